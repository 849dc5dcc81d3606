// What the secretary needs to see of one discharge message: patient, institution, discharge date,
// whether the patient is in a target group (no group names for her, issue 17 item 7), deadline and
// countdown in working days.
import { Tag } from '@digdir/designsystemet-react';
import { countdownColor, countdownText } from '../../state/followUpFormat';
import { formatDate } from '../../ui/format';
import type { InboxView } from './model';

export function PatientName({ row }: { row: InboxView }) {
  if (!row.patient) return <span>Ukjent pasient</span>;
  return (
    <span>
      <strong>{row.patient.name}</strong>
      {row.patient.birthDate && <span className="pht-inbox-muted"> f. {formatDate(row.patient.birthDate)}</span>}
    </span>
  );
}

export function Countdown({ row }: { row: InboxView }) {
  if (!row.deadline || row.workingDaysLeft === undefined) return <span>Ingen frist</span>;
  return (
    <span className="pht-inbox-deadline">
      Frist {formatDate(row.deadline)}{' '}
      <Tag data-color={countdownColor(row.workingDaysLeft)} data-size="sm" data-testid="inbox-countdown">
        {countdownText(row.workingDaysLeft)}
      </Tag>
    </span>
  );
}

export function TargetStatusTag({ row }: { row: InboxView }) {
  return (
    <Tag data-color={row.inTargetGroup ? 'info' : 'neutral'} data-size="sm" data-testid="inbox-target-status">
      {row.inTargetGroup ? 'I målgruppe' : 'Ikke i målgruppe'}
    </Tag>
  );
}

export function MessageFacts({ row }: { row: InboxView }) {
  return (
    <dl className="pht-inbox-facts">
      <div>
        <dt>Institusjon</dt>
        <dd>{row.institution.name ?? 'Ukjent institusjon'}</dd>
      </div>
      <div>
        <dt>Utskrevet</dt>
        <dd className={row.needsDateConfirmation ? 'pht-inbox-missing' : undefined}>{row.dischargeDateText}</dd>
      </div>
      <div>
        <dt>Målgruppe</dt>
        <dd>
          <TargetStatusTag row={row} />
        </dd>
      </div>
      <div>
        <dt>Frist</dt>
        <dd>
          <Countdown row={row} />
        </dd>
      </div>
    </dl>
  );
}

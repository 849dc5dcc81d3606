// What the secretary needs to see of one discharge message (issue point 3): patient, institution,
// discharge date, target-group status, deadline and countdown in working days.
import { Tag } from '@digdir/designsystemet-react';
import type { InboxRow } from '../../fhir/inbox';
import { countdownColor, countdownText, TARGET_STATUS_TEXT } from '../../state/followUpFormat';
import { formatDate, formatNationalId } from '../../ui/format';

export function PatientName({ row }: { row: InboxRow }) {
  if (!row.patient) return <span>Ukjent pasient</span>;
  return (
    <span>
      <strong>{row.patient.name}</strong>
      {row.patient.nationalId && <span className="pht-inbox-muted"> {formatNationalId(row.patient.nationalId)}</span>}
    </span>
  );
}

export function Countdown({ row }: { row: InboxRow }) {
  if (!row.deadline || !row.countdown) return <span>Ingen frist</span>;
  return (
    <span className="pht-inbox-deadline">
      Frist {formatDate(row.deadline)}{' '}
      <Tag data-color={countdownColor(row.countdown.workingDaysLeft)} data-size="sm" data-testid="inbox-countdown">
        {countdownText(row.countdown.workingDaysLeft)}
      </Tag>
    </span>
  );
}

export function TargetStatusTag({ row }: { row: InboxRow }) {
  const color = row.targetStatus === 'confirmed' ? 'success' : row.targetStatus === 'candidate' ? 'info' : 'neutral';
  return (
    <Tag data-color={color} data-size="sm" data-testid="inbox-target-status">
      {TARGET_STATUS_TEXT[row.targetStatus]}
    </Tag>
  );
}

export function MessageFacts({ row }: { row: InboxRow }) {
  return (
    <dl className="pht-inbox-facts">
      <div>
        <dt>Institusjon</dt>
        <dd>{row.episode.institution.name ?? 'Ukjent institusjon'}</dd>
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

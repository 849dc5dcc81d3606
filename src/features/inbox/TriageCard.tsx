// One unprocessed discharge message with its facts, warnings and triage form.
import { Alert, Heading, Paragraph } from '@digdir/designsystemet-react';
import type { FollowUpCloseReason } from '../../domain/followUp';
import type { NurseOption } from '../../state/followUpTeam';
import type { InboxView } from './model';
import type { RowAction } from './TriageForm';
import { MessageFacts, PatientName } from './MessageFacts';
import { TriageForm } from './TriageForm';

interface Props {
  row: InboxView;
  nurses: readonly NurseOption[];
  defaultNurseId: string | undefined;
  today: string;
  action: RowAction | undefined;
  onCreate: (input: { owner?: string; confirmDate?: string }) => void;
  onNone: (input: { reason: FollowUpCloseReason; note?: string; confirmDate?: string }) => void;
}

export function TriageCard({ row, ...form }: Props) {
  const headingId = `msg-${row.key.replace(/[^A-Za-z0-9-]/g, '_')}`;
  const warnings = row.warnings.filter((w) => !/utskrivningsdato/i.test(w));
  return (
    <li className="pht-inbox-card" aria-labelledby={headingId} data-testid="inbox-message" data-key={row.key}>
      <Heading level={4} data-size="2xs" id={headingId}>
        <PatientName row={row} />
      </Heading>
      <MessageFacts row={row} />
      {!row.inTargetGroup && (
        <Paragraph data-size="sm">Pasienten er ikke i en målgruppe. Opprett oppgave hvis teamet likevel bør følge opp.</Paragraph>
      )}
      {warnings.length > 0 && (
        <Alert data-color="warning" data-size="sm">
          {warnings.map((w) => (
            <Paragraph data-size="sm" key={w}>
              {w}
            </Paragraph>
          ))}
        </Alert>
      )}
      <TriageForm row={row} {...form} />
    </li>
  );
}

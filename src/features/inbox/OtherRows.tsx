// Messages that cannot be triaged (unknown patient, discharge in the future: fix the data in the EPJ
// first), and history: discharges whose deadline passed > 30 days before the app first saw them (SPEC §4
// [decision]) are listed, without a task.
import { Alert, Paragraph } from '@digdir/designsystemet-react';
import type { InboxView } from './model';
import { MessageFacts, PatientName } from './MessageFacts';

export function ErrorRows({ rows }: { rows: readonly InboxView[] }) {
  return (
    <ul className="pht-inbox-list" aria-label="Meldinger med feil">
      {rows.map((row) => (
        <li key={row.key} className="pht-inbox-card pht-inbox-card-error" data-testid="inbox-error-row">
          <Alert data-color="danger" data-size="sm">
            <Paragraph data-size="sm">
              <PatientName row={row} />: {row.errors.join(' ') || 'Fristen kan ikke beregnes.'} Rett opplysningene i journalsystemet; meldingen får ingen oppgave før det.
            </Paragraph>
          </Alert>
          <MessageFacts row={row} />
        </li>
      ))}
    </ul>
  );
}

export function HistoryRows({ rows }: { rows: readonly InboxView[] }) {
  return (
    <ul className="pht-inbox-list" aria-label="Historikk" data-testid="inbox-history">
      {rows.map((row) => (
        <li key={row.key} className="pht-inbox-card pht-inbox-card-history">
          <PatientName row={row} />
          <MessageFacts row={row} />
        </li>
      ))}
    </ul>
  );
}

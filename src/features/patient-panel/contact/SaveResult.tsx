// The saved contact: each charge of the day with the egenandel charged or waived and why (SPEC §6).
import { Alert, Button, Heading, Paragraph } from '@digdir/designsystemet-react';
import type { ContactSaved } from '../../contact-copay/api';
import { JournalState } from '../../../platform/ui/JournalState';
import { chargeRow } from '../../contact-copay/model';
import { ChargeTable } from './ChargeTable';
import { formatKr } from './format';

interface Props {
  result: ContactSaved;
  onNew: () => void;
}

export function SaveResult({ result, onNew }: Props) {
  const rows = result.day.rows.map((r) => chargeRow(r));
  const journal = result.day.journal[result.contactId];
  const mine = (id: string) => id.startsWith(`${result.contactId}:`);
  const own = rows.filter((r) => mine(r.id));
  const paid = own.reduce((s, r) => s + r.charged, 0);
  const waived = own.filter((r) => r.waived > 0);
  return (
    <section className="pht-contact-result" aria-labelledby="contact-result-heading" data-testid="contact-result">
      <Alert data-color="success">
        <Heading level={4} data-size="xs" id="contact-result-heading">
          {result.alreadySaved ? 'Kontakten var allerede lagret' : 'Kontakten er lagret'}
        </Heading>
        <Paragraph data-testid="contact-result-summary">
          {paid > 0
            ? `Pasienten betaler ${formatKr(paid)} i egenandel for denne kontakten.`
            : waived.length > 0
              ? `Pasienten betaler ingen egenandel for denne kontakten: ${waived[0]?.reasonLabel ?? ''}.`
              : 'Ingen egenandel for denne kontakten.'}
        </Paragraph>
      </Alert>
      {journal !== undefined && (
        <div data-testid="journal-state">
          <JournalState state={journal} />
        </div>
      )}
      {own
        .filter((r) => r.refundOwed)
        .map((r) => (
          <Alert key={r.id} data-color="warning" data-testid="refund-flag">
            <Paragraph>Tilbakebetaling: en betalt egenandel gjelder ikke lenger. Betal {formatKr(r.refundOwed ?? 0)} tilbake til pasienten.</Paragraph>
          </Alert>
        ))}
      <ChargeTable caption="Takstene for kontakten" rows={own} bearerId={result.day.bearerId} testId="contact-result-table" />
      <Button variant="secondary" onClick={onNew} data-testid="contact-new">
        Registrer en ny kontakt
      </Button>
    </section>
  );
}

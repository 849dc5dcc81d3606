// The saved contact: each charge of the day with the egenandel charged or waived and why (SPEC §6).
import { Alert, Button, Heading, Paragraph } from '@digdir/designsystemet-react';
import type { RegisterContactSaved } from '../../../fhir/contacts';
import { rowsFromDecisions } from '../../../fhir/todaysCharges';
import { ChargeTable } from './ChargeTable';
import { formatKr } from './format';

interface Props {
  result: RegisterContactSaved;
  onNew: () => void;
}

export function SaveResult({ result, onNew }: Props) {
  const rows = rowsFromDecisions(result.day);
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
      {result.note === 'not-allowed' && (
        <Alert data-color="warning">
          <Paragraph>Journalnotatet ble ikke lagret fordi appen ikke har tilgang til å skrive notater. Skriv notatet i journalen.</Paragraph>
        </Alert>
      )}
      {result.refunds.map((r) => (
        <Alert key={r.id} data-color="warning" data-testid="refund-flag">
          <Paragraph>Refusjon: en betalt egenandel gjelder ikke lenger. Betal {formatKr(r.amount)} tilbake til pasienten.</Paragraph>
        </Alert>
      ))}
      {result.issues.length > 0 && (
        <Alert data-color="warning">
          {result.issues.map((i) => (
            <Paragraph key={`${i.chargeId ?? ''}${i.message}`} data-size="sm">
              {i.message}
            </Paragraph>
          ))}
        </Alert>
      )}
      <ChargeTable caption="Gebyrene for kontakten" rows={own} bearerId={result.bearer} testId="contact-result-table" />
      <Button variant="secondary" onClick={onNew} data-testid="contact-new">
        Registrer en ny kontakt
      </Button>
    </section>
  );
}

// Today's team charges for the patient and who bears the egenandel (SPEC §6), with a cancel per charge
// the app wrote (confirmed first); a settled bearer that is cancelled is flagged for refund.
import { useState } from 'react';
import { Alert, Button, Heading, Paragraph, Spinner } from '@digdir/designsystemet-react';
import type { RefundNeed } from '../../../domain/copay';
import type { ErrorText } from '../../../fhir/errors';
import { errorText } from '../../../state/contactStore';
import type { ChargeRow, TodaysCharges } from '../../contact-copay/model';
import { formatDate } from '../../../ui/format';
import { ChargeTable } from './ChargeTable';
import { formatKr, formatOsloTime } from './format';

interface Props {
  data: TodaysCharges | undefined;
  loading: boolean;
  error: ErrorText | undefined;
  isToday: boolean;
  onReload: () => void;
  /** Marks the charges of the contact just saved. */
  highlightContactId?: string;
  /** Absent: the user may not cancel. Resolves with the refunds the cancel caused. */
  cancel?: (chargeId: string) => Promise<RefundNeed[]>;
  /** Whether this user may cancel this row (the one who registered it, or the daglig leder). */
  canCancel: (row: ChargeRow) => boolean;
}

type CancelState = { step: 'idle' } | { step: 'confirm' | 'working'; row: ChargeRow } | { step: 'failed'; row: ChargeRow; error: ErrorText };

export function bearerText(data: TodaysCharges): string {
  const bearer = data.rows.find((r) => r.id === data.bearerId);
  if (bearer) {
    return `Dagens egenandel ligger på ${bearer.code ?? 'en tjeneste'} (${bearer.performer.toLowerCase()}) kl. ${formatOsloTime(bearer.at)}: ${formatKr(bearer.charged)}.`;
  }
  if (data.exemption) return `Pasienten betaler ingen egenandel denne dagen: ${data.exemption.label}.`;
  if (data.paidElsewhere) return 'Registrert svar: pasienten var allerede belastet egenandel denne dagen.';
  return 'Ingen egenandel er tatt denne dagen ennå.';
}

export function TodaysChargesPanel({ data, loading, error, isToday, onReload, highlightContactId, cancel, canCancel }: Props) {
  const [state, setState] = useState<CancelState>({ step: 'idle' });
  const [refunds, setRefunds] = useState<{ row: ChargeRow; need: RefundNeed }[]>([]);
  const title = isToday || !data ? 'Dagens egenandeler for pasienten' : `Egenandeler ${formatDate(data.day)} for pasienten`;

  const confirm = async (row: ChargeRow) => {
    if (!cancel) return;
    setState({ step: 'working', row });
    try {
      const needs = await cancel(row.id);
      setRefunds((r) => [...r, ...needs.map((need) => ({ row: data?.rows.find((x) => x.id === need.id) ?? row, need }))]);
      setState({ step: 'idle' });
      onReload();
    } catch (err) {
      setState({ step: 'failed', row, error: errorText(err) });
    }
  };

  const action = (row: ChargeRow) => {
    if (!cancel || !row.ours || row.cancelled || !canCancel(row)) return null;
    if (state.step !== 'idle' && state.row.id === row.id) {
      return (
        <div className="pht-contact-confirm" role="group" aria-label={`Kanseller ${row.code ?? ''}`}>
          {state.step === 'working' ? (
            <span role="status">
              <Spinner aria-hidden data-size="xs" /> Kansellerer …
            </span>
          ) : (
            <>
              <span>{state.step === 'failed' ? `Ikke kansellert. ${state.error.message}` : `Kansellere ${row.code ?? 'tjenesten'}?`}</span>
              <Button data-size="sm" data-color="danger" onClick={() => void confirm(row)}>
                {state.step === 'failed' ? 'Prøv igjen' : 'Ja, kanseller'}
              </Button>
              <Button data-size="sm" variant="tertiary" onClick={() => setState({ step: 'idle' })}>
                Avbryt
              </Button>
            </>
          )}
        </div>
      );
    }
    return (
      <Button data-size="sm" variant="secondary" disabled={state.step === 'working'} onClick={() => setState({ step: 'confirm', row })}>
        Kanseller<span className="ds-sr-only"> {row.code}</span>
      </Button>
    );
  };

  return (
    <section className="pht-contact-today" aria-labelledby="contact-today-heading" data-testid="todays-charges" data-ready={data && !loading ? 'true' : undefined}>
      <Heading level={3} data-size="xs" id="contact-today-heading">
        {title}
      </Heading>
      {refunds.map(({ row, need }) => (
        <Alert key={need.id} data-color="warning" data-testid="refund-flag">
          <Paragraph>
            Tilbakebetaling: {row.code ?? 'tjenesten'} var betalt eller fakturert og er nå kansellert. Betal {formatKr(need.amount)} tilbake til pasienten.
          </Paragraph>
        </Alert>
      ))}
      {error && (
        <Alert data-color="danger" role="alert">
          <Paragraph>
            Kunne ikke hente dagens egenandeler. {error.message} {error.action}
          </Paragraph>
          <Button data-size="sm" onClick={onReload}>
            Prøv igjen
          </Button>
        </Alert>
      )}
      {loading && !data && (
        <Paragraph role="status">
          <Spinner aria-hidden data-size="sm" /> Henter dagens egenandeler …
        </Paragraph>
      )}
      {data && (
        <>
          <Paragraph data-testid="todays-bearer">{bearerText(data)}</Paragraph>
          {!data.gpChargesVisible && (
            <Paragraph data-size="sm">Listen viser takster registrert i appen; journalsystemets egne takster for fastlegen vises ikke.</Paragraph>
          )}
          {data.rows.length > 0 ? (
            <ChargeTable
              caption={title}
              rows={data.rows}
              bearerId={data.bearerId}
              highlight={highlightContactId ? (row) => row.id.startsWith(`${highlightContactId}:`) : undefined}
              action={cancel ? action : undefined}
              testId="todays-charges-table"
            />
          ) : (
            <Paragraph data-size="sm">Ingen takster registrert.</Paragraph>
          )}
        </>
      )}
    </section>
  );
}

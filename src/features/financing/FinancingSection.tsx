// Finansiering (issue 18 items 1, 2, 3, 5): what model B pays (or would pay, for a model-A practice),
// model A's nurse funding, the pilot grants and the income guarantee. Every amount comes from
// computeFinancing (pure) on the data the manager view already loaded; a click on it shows how. The model
// and the inputs are practice settings from the app server (src/platform/settings.ts).
import { Alert, Heading, Paragraph } from '@digdir/designsystemet-react';
import { defaultRates } from '../../domain/financing';
import type { Indicator } from '../../domain/manager';
import type { ManagerData } from '../../fhir/manager';
import type { ApiContext } from '../../platform/api';
import { formatDate } from '../../ui/format';
import type { Names } from '../manager/names';
import { InputsForm } from './InputsForm';
import { ModelASection } from './ModelASection';
import { ModelBSection } from './ModelBSection';
import { PilotSection } from './PilotSection';
import { useFinancing } from './useFinancing';
import './financing.css';

interface Props {
  data: ManagerData;
  /** Table 2 indicators as of the period's end (the manager's figures). */
  indicators: readonly Indicator[];
  names: Names;
  /** The app server's API (the practice settings: the model and the inputs). */
  api: ApiContext;
  /** The daglig leder may save the inputs. */
  canEdit: boolean;
}

export function FinancingSection({ data, indicators, names, api, canEdit }: Props) {
  const { query, settings, asOf, ...result } = useFinancing(data, indicators, api);
  const { model } = settings;

  return (
    <section aria-labelledby="financing-heading" className="pht-manager-section pht-fin" data-testid="financing">
      <Heading level={3} data-size="xs" id="financing-heading">
        Finansiering
      </Heading>
      <Paragraph data-size="sm">
        Praksisen bruker {model === 'A' ? 'honorarmodellen (A)' : 'driftstilskuddsmodellen (B)'}. Beløp per år; «hittil i år» er 1. januar–{formatDate(asOf)}
        {result.financing ? ` (${result.financing.year.elapsed} av ${result.financing.year.total} arbeidsdager)` : ''}. Klikk på et beløp for å se utregningen.{' '}
        Arbeidsdager: tilskudd og helårsanslag regnes mot kalenderårets arbeidsdager etter praksisens kalender; forventet takstbruk og takstinntekt mot Tabell 1s årsverk på 230 arbeidsdager, som i fanen Kodebruk.
      </Paragraph>
      <Paragraph data-size="sm" className="pht-muted">
        Satser: {defaultRates.id} (versjon {defaultRates.version}, gyldig fra {formatDate(defaultRates.validFrom)}). {defaultRates.illustrative}
      </Paragraph>
      <Paragraph data-size="sm" className="pht-muted">
        Tallene går til evalueringen i fanen Eksport.
      </Paragraph>
      {query.isError && (
        <Alert data-color="warning" role="alert">
          <Paragraph>Kunne ikke hente praksisens forutsetninger ({query.error.message}); tallene under bruker standardverdiene.</Paragraph>
        </Alert>
      )}
      {query.data && <InputsForm api={api} stored={query.data} canEdit={canEdit} />}
      {!result.financing ? (
        <Alert data-color="danger" role="alert">
          <Paragraph>Kan ikke beregne finansieringen: {result.error}</Paragraph>
        </Alert>
      ) : model === 'A' ? (
        <>
          <ModelASection a={result.financing.modelA} nursePositions={result.financing.nursePositions} />
          <PilotSection f={result.financing} />
          <ModelBSection b={result.financing.modelB} comparison names={names} />
        </>
      ) : (
        <>
          <ModelBSection b={result.financing.modelB} comparison={false} names={names} />
          <PilotSection f={result.financing} />
        </>
      )}
    </section>
  );
}

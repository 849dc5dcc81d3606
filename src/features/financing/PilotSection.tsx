// Pilot grants and the income guarantee (seed ch. 6): the practice's and the municipality's grants, and
// the skjermingsordning's ±10 % band around the pre-pilot income. All guarantee figures are estimates.
import { Heading, Paragraph } from '@digdir/designsystemet-react';
import type { Financing } from '../../domain/financing';
import { FigureCards } from './Explained';
import { formatKroner, formatPercent, formatValue } from './format';

export function PilotSection({ f }: { f: Financing }) {
  const g = f.guarantee;
  return (
    <section aria-labelledby="fin-pilot-heading" className="pht-fin-block" data-testid="financing-pilot">
      <Heading level={4} data-size="2xs" id="fin-pilot-heading">
        Forsøkstilskudd og skjermingsordning
      </Heading>
      <Paragraph data-size="sm">{formatValue(f.gpPositions, 'positions')} fastlege.</Paragraph>
      <FigureCards figures={[f.pilot.practice, f.pilot.municipality, f.incomeThisYear]} />
      {g ? (
        <>
          <Paragraph data-size="sm" data-testid="guarantee-band">
            Anslag: inntekten i år er {formatPercent(g.deviation)} fra inntekten før forsøket. Båndet uten kompensasjon eller trekk er {formatKroner(g.lower)}–{formatKroner(g.upper)}.
          </Paragraph>
          <FigureCards figures={[g.compensation, g.deduction]} />
        </>
      ) : (
        <Paragraph data-size="sm" data-testid="guarantee-missing">
          Skjermingsordningen: fyll inn «Inntekt før forsøket» under Forutsetninger for å se kompensasjon eller trekk.
        </Paragraph>
      )}
    </section>
  );
}

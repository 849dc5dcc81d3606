// Pilot grants and the income guarantee (seed ch. 6): the practice's and the municipality's grants, and
// the skjermingsordning's ±10 % band around the pre-pilot income. All guarantee figures are estimates.
import { Heading, Paragraph } from '@digdir/designsystemet-react';
import type { Financing } from '../../domain/financing';
import { Explained } from './Explained';
import { formatKroner, formatPercent, formatValue } from './format';

export function PilotSection({ f }: { f: Financing }) {
  const g = f.guarantee;
  return (
    <section aria-labelledby="fin-pilot-heading" className="pht-fin-block" data-testid="financing-pilot">
      <Heading level={4} data-size="2xs" id="fin-pilot-heading">
        Forsøkstilskudd og skjermingsordning
      </Heading>
      <Paragraph data-size="sm">{formatValue(f.gpPositions, 'positions')} fastlege.</Paragraph>
      <dl className="pht-fin-cards">
        {[f.pilot.practice, f.pilot.municipality, f.incomeThisYear].map((x) => (
          <div key={x.id}>
            <dt>{x.label}</dt>
            <dd>
              <Explained figure={x} />
            </dd>
          </div>
        ))}
      </dl>
      {g ? (
        <>
          <Paragraph data-size="sm" data-testid="guarantee-band">
            Anslag: inntekten i år er {formatPercent(g.deviation)} fra inntekten før forsøket. Båndet uten kompensasjon eller trekk er {formatKroner(g.lower)}–{formatKroner(g.upper)}.
          </Paragraph>
          <dl className="pht-fin-cards">
            {[g.compensation, g.deduction].map((x) => (
              <div key={x.id}>
                <dt>{x.label}</dt>
                <dd>
                  <Explained figure={x} />
                </dd>
              </div>
            ))}
          </dl>
        </>
      ) : (
        <Paragraph data-size="sm" data-testid="guarantee-missing">
          Skjermingsordningen: fyll inn «Inntekt før forsøket» under Forutsetninger for å se kompensasjon eller trekk.
        </Paragraph>
      )}
    </section>
  );
}

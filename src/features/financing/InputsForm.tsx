// The practice inputs the financing figures use (issue 18): positions, agreed nurse cost, municipality
// indices, pre-pilot and other income. A bad value gets a Norwegian message naming the field and is not
// applied; the last good value stays in force.
import { useState } from 'react';
import { Details, Paragraph, Textfield } from '@digdir/designsystemet-react';
import type { FinancingInputs } from './inputs';

interface FieldDef {
  key: keyof FinancingInputs;
  label: string;
  optional: boolean;
  description?: string;
}

const FIELDS: readonly FieldDef[] = [
  { key: 'nursePositions', label: 'Sykepleierstillinger (årsverk)', optional: true, description: 'Tomt: summen av stillingsprosentene i personallisten.' },
  { key: 'gpPositions', label: 'Fastlegestillinger (årsverk)', optional: true, description: 'Tomt: summen av stillingsprosentene i personallisten.' },
  { key: 'agreedNurseCostPerPosition', label: 'Avtalt sykepleierkostnad per hel stilling (kr)', optional: false, description: 'Kilden: 810 000 kr (2015-kroner).' },
  { key: 'livingConditionsIndex', label: 'Levekårsindeks (1 = landssnitt)', optional: false, description: 'Kilden: 17–62 kr per listeinnbygger, snitt 40 kr.' },
  { key: 'travelDistanceIndex', label: 'Reiseavstandsindeks (1 = landssnitt)', optional: false, description: 'Kilden: 11–246 kr per listeinnbygger, snitt 32 kr.' },
  { key: 'prePilotIncome', label: 'Inntekt før forsøket (kr per år)', optional: true, description: 'Grunnlaget for skjermingsordningen.' },
  { key: 'otherIncomePerYear', label: 'Andre inntekter per år (kr)', optional: false, description: 'Inntekt appen ikke ser, f.eks. basistilskudd.' },
];

/** "1 470" and "1,5" as Norwegians write them; undefined for an empty optional field; a message otherwise. */
export function parseInput(text: string, field: Pick<FieldDef, 'label' | 'optional'>): { value: number | undefined } | { error: string } {
  const cleaned = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (cleaned === '') return field.optional ? { value: undefined } : { error: `«${field.label}» må fylles ut.` };
  const n = Number(cleaned);
  if (!/^\d+(\.\d+)?$/.test(cleaned) || !Number.isFinite(n)) return { error: `«${field.label}» må være et tall større enn eller lik 0.` };
  return { value: n };
}

interface Props {
  inputs: FinancingInputs;
  onChange: (change: Partial<FinancingInputs>) => void;
}

export function InputsForm({ inputs, onChange }: Props) {
  const [drafts, setDrafts] = useState<Partial<Record<keyof FinancingInputs, string>>>({});
  const [errors, setErrors] = useState<Partial<Record<keyof FinancingInputs, string>>>({});
  return (
    <Details data-testid="financing-inputs">
      <Details.Summary>Forutsetninger (praksisinnstillinger)</Details.Summary>
      <Details.Content>
        <Paragraph data-size="sm">Brukes i beregningene under. Finansieringsmodellen velges øverst i ledervisningen.</Paragraph>
        <div className="pht-fin-form">
          {FIELDS.map((f) => {
            const current = inputs[f.key];
            return (
              <Textfield
                key={f.key}
                label={f.label}
                description={f.description}
                inputMode="decimal"
                data-testid={`input-${f.key}`}
                value={drafts[f.key] ?? (current === undefined ? '' : String(current).replace('.', ','))}
                error={errors[f.key]}
                onChange={(e) => {
                  const text = e.target.value;
                  setDrafts((d) => ({ ...d, [f.key]: text }));
                  const parsed = parseInput(text, f);
                  if ('error' in parsed) return setErrors((x) => ({ ...x, [f.key]: parsed.error }));
                  setErrors((x) => ({ ...x, [f.key]: undefined }));
                  onChange({ [f.key]: parsed.value });
                }}
              />
            );
          })}
        </div>
      </Details.Content>
    </Details>
  );
}

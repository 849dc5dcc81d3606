// The financing inputs (issue 18 item 1) are practice settings: the daglig leder edits and saves them here
// (PUT /api/settings through src/platform/settings.ts), and they are then in force for every user, in
// every browser and after a restart. Others see them read-only. The form checks Norwegian numbers for the
// user's sake; the app server checks every field again and its message (naming the field) is shown as is.
import { useState } from 'react';
import { Alert, Button, Details, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useQueryClient } from '@tanstack/react-query';
import { FINANCING_INPUT_LABELS, type FinancingInputs } from '../../domain/settings';
import { ApiError, type ApiContext } from '../../platform/api';
import { settingsQuery, useSaveSettings, type StoredSettings } from '../../platform/settings';

type Key = keyof FinancingInputs;

interface FieldDef {
  key: Key;
  optional: boolean;
  description: string;
}

const FIELDS: readonly FieldDef[] = [
  { key: 'nursePositions', optional: true, description: 'Tomt: summen av stillingsprosentene i personallisten.' },
  { key: 'gpPositions', optional: true, description: 'Tomt: summen av stillingsprosentene i personallisten.' },
  { key: 'gpSpecialisedPositions', optional: true, description: 'Spesialist i allmennmedisin. Tomt: fra personallisten.' },
  { key: 'nurseSpecialisedPositions', optional: true, description: 'Relevant videreutdanning. Tomt: fra personallisten.' },
  { key: 'agreedNurseCostPerPosition', optional: false, description: 'Kilden: 810 000 kr (2015-kroner).' },
  { key: 'livingConditionsIndex', optional: false, description: 'Kilden: 17–62 kr per listeinnbygger, snitt 40 kr.' },
  { key: 'travelDistanceIndex', optional: false, description: 'Kilden: 11–246 kr per listeinnbygger, snitt 32 kr.' },
  { key: 'prePilotIncome', optional: true, description: 'Grunnlaget for skjermingsordningen.' },
  { key: 'otherIncomePerYear', optional: false, description: 'Inntekt appen ikke ser, f.eks. basistilskudd.' },
];

/** "1 470" and "1,5" as Norwegians write them; null for an empty optional field; a message otherwise. */
export function parseInput(text: string, field: { label: string; optional: boolean }): { value: number | null } | { error: string } {
  const cleaned = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (cleaned === '') return field.optional ? { value: null } : { error: `«${field.label}» må fylles ut.` };
  const n = Number(cleaned);
  if (!/^\d+(\.\d+)?$/.test(cleaned) || !Number.isFinite(n)) return { error: `«${field.label}» må være et tall større enn eller lik 0.` };
  return { value: n };
}

const show = (v: number | null) => (v === null ? '' : String(v).replace('.', ','));

interface Props {
  api: ApiContext;
  stored: StoredSettings;
  canEdit: boolean;
}

type Message = { kind: 'danger' | 'success'; text: string } | undefined;

export function InputsForm({ api, stored, canEdit }: Props) {
  // Here, not in the fields: they start afresh when a newer version arrives, the message stays.
  const [message, setMessage] = useState<Message>();
  return (
    <Details data-testid="financing-inputs">
      <Details.Summary>Forutsetninger (praksisinnstillinger)</Details.Summary>
      <Details.Content>
        <Paragraph data-size="sm">
          Brukes i beregningene under og gjelder for hele praksisen. {canEdit ? 'Endringer gjelder når du lagrer.' : 'Bare daglig leder kan endre dem.'} Finansieringsmodellen velges øverst i ledervisningen.
        </Paragraph>
        {/* Keyed by the stored version: a newer save (here or in another browser) starts the form afresh. */}
        <InputsFields key={stored.version} api={api} stored={stored} canEdit={canEdit} message={message} setMessage={setMessage} />
      </Details.Content>
    </Details>
  );
}

function InputsFields({ api, stored, canEdit, message, setMessage }: Props & { message: Message; setMessage: (m: Message) => void }) {
  const [drafts, setDrafts] = useState<Record<Key, string>>(() => Object.fromEntries(FIELDS.map((f) => [f.key, show(stored.settings.financing[f.key])])) as Record<Key, string>);
  const [errors, setErrors] = useState<Partial<Record<Key, string>>>({});
  const save = useSaveSettings(api);
  const queryClient = useQueryClient();

  async function onSave() {
    // parseInput gives null only for an optional field, so `next` fits FinancingInputs (the server checks again).
    const next: Partial<Record<Key, number | null>> = {};
    const found: Partial<Record<Key, string>> = {};
    for (const f of FIELDS) {
      const parsed = parseInput(drafts[f.key], { label: FINANCING_INPUT_LABELS[f.key], optional: f.optional });
      if ('error' in parsed) found[f.key] = parsed.error;
      else next[f.key] = parsed.value;
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return setMessage({ kind: 'danger', text: 'Rett feltene som er merket, og lagre på nytt.' });
    try {
      await save.mutateAsync({ version: stored.version, settings: { ...stored.settings, financing: { ...stored.settings.financing, ...next } as FinancingInputs } });
      setMessage({ kind: 'success', text: 'Forutsetningene er lagret og gjelder for hele praksisen.' });
    } catch (error) {
      setMessage({ kind: 'danger', text: error instanceof ApiError ? error.message : 'Kunne ikke lagre forutsetningene.' });
      if (error instanceof ApiError && error.status === 409 && error.body.current) queryClient.setQueryData(settingsQuery(api).queryKey, error.body.current as StoredSettings);
    }
  }

  return (
    <form
      aria-label="Forutsetninger for finansieringen"
      onSubmit={(e) => {
        e.preventDefault();
        void onSave();
      }}
    >
      <div className="pht-fin-form">
        {FIELDS.map((f) => (
          <Textfield
            key={f.key}
            label={FINANCING_INPUT_LABELS[f.key]}
            description={f.description}
            inputMode="decimal"
            readOnly={!canEdit}
            data-testid={`input-${f.key}`}
            value={drafts[f.key]}
            error={errors[f.key]}
            onChange={(e) => {
              const text = e.target.value;
              setDrafts((d) => ({ ...d, [f.key]: text }));
              setMessage(undefined);
              const parsed = parseInput(text, { label: FINANCING_INPUT_LABELS[f.key], optional: f.optional });
              setErrors((x) => ({ ...x, [f.key]: 'error' in parsed ? parsed.error : undefined }));
            }}
          />
        ))}
      </div>
      {canEdit && (
        <Button type="submit" disabled={save.isPending} data-testid="save-financing-inputs" className="pht-fin-save">
          {save.isPending ? 'Lagrer …' : 'Lagre forutsetningene'}
        </Button>
      )}
      {message && (
        <Alert data-color={message.kind} role={message.kind === 'danger' ? 'alert' : 'status'} data-testid="financing-inputs-message">
          {message.text}
        </Alert>
      )}
    </form>
  );
}

// Practice settings, edited by the daglig leder (issue 15; SPEC §1 financing model, §2 closed dates and
// Saturdays for the deadline calendar, §7 Table 2 digital booking share). Stored on the app server, so they
// are in force for every user, every tab and the scheduled jobs. The server checks every field again and
// answers in Norwegian; a save over someone else's newer save is refused and the form shows theirs.
import { useState } from 'react';
import { Alert, Button, Checkbox, Field, Label, Paragraph, Select, Textarea, Textfield } from '@digdir/designsystemet-react';
import type { PracticeSettings } from '../../domain/settings';
import { useQueryClient } from '@tanstack/react-query';
import { settingsQuery, usePracticeSettings, useSaveSettings, type StoredSettings } from '../../platform/settings';
import { ApiError, type ApiContext } from '../../platform/api';

interface Draft {
  financingModel: 'A' | 'B';
  digitalBookingPercent: string;
  saturdayIsWorkingDay: boolean;
  closedDates: string;
}

const toDraft = (s: PracticeSettings): Draft => ({
  financingModel: s.financingModel,
  digitalBookingPercent: s.digitalBookingShare === null ? '' : String(Math.round(s.digitalBookingShare * 1000) / 10),
  saturdayIsWorkingDay: s.saturdayIsWorkingDay,
  closedDates: s.closedDates.join('\n'),
});

/** The form's text into settings; what the user typed is kept as typed, the server says what is wrong. */
function fromDraft(d: Draft, base: PracticeSettings): PracticeSettings | string {
  const percent = d.digitalBookingPercent.trim().replace(',', '.');
  const share = percent === '' ? null : Number(percent) / 100;
  if (share !== null && !Number.isFinite(share)) return 'Digital timebestilling: må være et tall';
  const dates = d.closedDates
    .split(/[\s,;]+/)
    .map((t) => t.trim())
    .filter(Boolean)
    // dd.mm.åååå is what Norwegian users type; the API takes ÅÅÅÅ-MM-DD.
    .map((t) => t.replace(/^(\d{1,2})\.(\d{1,2})\.(\d{4})$/, (_, dd: string, mm: string, y: string) => `${y}-${mm.padStart(2, '0')}-${dd.padStart(2, '0')}`));
  return { ...base, financingModel: d.financingModel, digitalBookingShare: share, saturdayIsWorkingDay: d.saturdayIsWorkingDay, closedDates: dates };
}

type Message = { kind: 'danger' | 'success'; text: string } | undefined;

export function Settings({ api, canEdit }: { api: ApiContext; canEdit: boolean }) {
  const query = usePracticeSettings(api);
  // Here, not in the form: the form starts afresh when a newer version arrives, the message stays.
  const [message, setMessage] = useState<Message>();
  if (query.isPending) return <Paragraph data-size="sm">Henter praksisens innstillinger …</Paragraph>;
  if (query.isError) return <Alert data-color="danger">Kunne ikke hente praksisens innstillinger: {query.error.message}</Alert>;
  // Keyed by version: a newer save (here or elsewhere) starts the form from what is stored.
  return <SettingsForm key={query.data.version} stored={query.data} api={api} canEdit={canEdit} message={message} setMessage={setMessage} />;
}

interface FormProps {
  stored: StoredSettings;
  api: ApiContext;
  canEdit: boolean;
  message: Message;
  setMessage: (m: Message) => void;
}

function SettingsForm({ stored, api, canEdit, message, setMessage }: FormProps) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(stored.settings));
  const save = useSaveSettings(api);
  const queryClient = useQueryClient();
  const set = (change: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...change }));
    setMessage(undefined);
  };

  async function onSave() {
    const settings = fromDraft(draft, stored.settings);
    if (typeof settings === 'string') return setMessage({ kind: 'danger', text: settings });
    try {
      await save.mutateAsync({ version: stored.version, settings });
      setMessage({ kind: 'success', text: 'Innstillingene er lagret og gjelder for hele praksisen.' });
    } catch (error) {
      setMessage({ kind: 'danger', text: error instanceof ApiError ? error.message : 'Kunne ikke lagre innstillingene.' });
      // Someone saved in between: show what is stored now (the form starts again from it).
      if (error instanceof ApiError && error.status === 409 && error.body.current) queryClient.setQueryData(settingsQuery(api).queryKey, error.body.current as StoredSettings);
    }
  }

  return (
    <form
      className="pht-manager-row pht-manager-settings"
      aria-label="Praksisens innstillinger"
      onSubmit={(e) => {
        e.preventDefault();
        void onSave();
      }}
    >
      <Field>
        <Label>Finansieringsmodell</Label>
        <Select value={draft.financingModel} disabled={!canEdit} onChange={(e) => set({ financingModel: e.target.value === 'B' ? 'B' : 'A' })} data-testid="financing-model">
          <Select.Option value="A">A: honorarmodell</Select.Option>
          <Select.Option value="B">B: driftstilskuddsmodell</Select.Option>
        </Select>
      </Field>
      <Textfield
        label="Digital timebestilling (% av listen)"
        inputMode="decimal"
        readOnly={!canEdit}
        value={draft.digitalBookingPercent}
        onChange={(e) => set({ digitalBookingPercent: e.target.value })}
        data-testid="digital-booking-share"
      />
      <Checkbox
        label="Lørdag er arbeidsdag (frister)"
        checked={draft.saturdayIsWorkingDay}
        disabled={!canEdit}
        onChange={(e) => set({ saturdayIsWorkingDay: e.target.checked })}
        data-testid="saturday-working-day"
      />
      <Field>
        <Label>Stengte dager (én dato per linje, f.eks. 24.12.2026)</Label>
        <Textarea rows={3} readOnly={!canEdit} value={draft.closedDates} onChange={(e) => set({ closedDates: e.target.value })} data-testid="closed-dates" />
      </Field>
      {canEdit ? (
        <Button type="submit" disabled={save.isPending} data-testid="save-settings">
          {save.isPending ? 'Lagrer …' : 'Lagre innstillinger'}
        </Button>
      ) : null}
      {message ? (
        <Alert data-color={message.kind} role={message.kind === 'danger' ? 'alert' : 'status'}>
          {message.text}
        </Alert>
      ) : null}
    </form>
  );
}

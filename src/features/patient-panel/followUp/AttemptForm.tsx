// Log a contact attempt that did not reach the patient (SPEC §4: each attempt logged with time, channel
// and who). Reaching the patient is recorded with the contact form below, which also suggests tariffs.
import { useState } from 'react';
import { Alert, Button, Fieldset, Paragraph, Radio, Textfield } from '@digdir/designsystemet-react';
import type { ContactChannel } from '../../../domain/followUp';
import { osloLocalMinute, osloLocalToIso } from '../../../state/contactTime';
import { ATTEMPT_CHANNELS, CHANNEL_TEXT } from '../../../state/followUpFormat';
import type { ActionState } from './FollowUpSection';
import { newClientId } from '../../follow-up/api';
import { DateField } from '../../../ui/DateField';

export const ATTEMPT_RESULTS = { 'no-answer': 'Ikke svar', 'call-back': 'Ringt tilbake senere' } as const;
type AttemptResult = keyof typeof ATTEMPT_RESULTS;

interface Props {
  userName: string;
  action: ActionState;
  onLog: (input: { id: string; at: string; channel: ContactChannel; note: string }) => Promise<boolean>;
}

export function AttemptForm({ userName, action, onLog }: Props) {
  const [time, setTime] = useState(() => osloLocalMinute(new Date()));
  const [channel, setChannel] = useState<ContactChannel>('phone');
  const [result, setResult] = useState<AttemptResult>('no-answer');
  const [note, setNote] = useState('');
  const [timeError, setTimeError] = useState<string | undefined>(undefined);
  // One client id per attempt the user means: a retry after an error is the same attempt.
  const [attemptId, setAttemptId] = useState(newClientId);
  const saving = action.status === 'saving';

  const submit = async () => {
    const iso = osloLocalToIso(time);
    const error = !iso ? 'Skriv et gyldig tidspunkt (dato og klokkeslett).' : Date.parse(iso) > Date.now() + 60_000 ? 'Tidspunktet kan ikke være fram i tid.' : undefined;
    setTimeError(error);
    if (error || !iso) return;
    const text = [ATTEMPT_RESULTS[result], note.trim()].filter(Boolean).join(': ');
    if (await onLog({ id: attemptId, at: iso, channel, note: text })) {
      setAttemptId(newClientId());
      setNote('');
      setTime(osloLocalMinute(new Date()));
    }
  };

  return (
    <form className="pht-fu-form" aria-labelledby="fu-attempt-heading" noValidate onSubmit={(e) => (e.preventDefault(), void submit())} data-testid="fu-attempt-form">
      <Paragraph id="fu-attempt-heading" data-size="sm">
        <strong>Registrer kontaktforsøk</strong> (registreres på {userName})
      </Paragraph>
      <div className="pht-fu-inline">
        <DateField label="Tidspunkt" kind="date-time" value={time} error={timeError} onChange={setTime} disabled={saving} data-testid="fu-attempt-time" />
        <Fieldset disabled={saving}>
          <Fieldset.Legend>Kanal</Fieldset.Legend>
          <div className="pht-fu-inline">
            {ATTEMPT_CHANNELS.map((c) => (
              <Radio key={c} name="fu-attempt-channel" value={c} label={CHANNEL_TEXT[c]} checked={channel === c} onChange={() => setChannel(c)} />
            ))}
          </div>
        </Fieldset>
        <Fieldset disabled={saving}>
          <Fieldset.Legend>Resultat</Fieldset.Legend>
          <div className="pht-fu-inline">
            {(Object.keys(ATTEMPT_RESULTS) as AttemptResult[]).map((r) => (
              <Radio key={r} name="fu-attempt-result" value={r} label={ATTEMPT_RESULTS[r]} checked={result === r} onChange={() => setResult(r)} data-testid={`fu-attempt-${r}`} />
            ))}
          </div>
        </Fieldset>
      </div>
      <div className="pht-fu-inline">
        <Textfield label="Merknad (valgfritt)" value={note} onChange={(e) => setNote(e.target.value)} disabled={saving} />
        <Button type="submit" disabled={saving} data-testid="fu-attempt-save">
          {saving ? 'Lagrer …' : 'Registrer kontaktforsøk'}
        </Button>
      </div>
      {action.status === 'error' && (
        <Alert data-color="danger" role="alert" data-size="sm">
          <Paragraph data-size="sm">
            Kontaktforsøket ble ikke lagret: {action.message} {action.action} Skjemaet er uendret; prøv igjen.
          </Paragraph>
        </Alert>
      )}
      {action.status === 'done' && (
        <Paragraph data-size="sm" role="status">
          {action.message}
        </Paragraph>
      )}
    </form>
  );
}

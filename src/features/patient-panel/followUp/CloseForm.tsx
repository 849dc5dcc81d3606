// Close the follow-up without contact, with one of SPEC §4's reasons (readmitted, deceased, declined,
// moved to an institution, followed up by another service, not needed after medical assessment).
import { useState } from 'react';
import { Alert, Button, Field, Label, Paragraph, Select, Textfield } from '@digdir/designsystemet-react';
import { FOLLOW_UP_CLOSE_REASON_TEXT, FOLLOW_UP_CLOSE_REASONS, type FollowUpCloseReason } from '../../../domain/followUp';
import type { ActionState } from './FollowUpSection';

const REASONS = FOLLOW_UP_CLOSE_REASONS.filter((r) => r !== 'no-follow-up-needed');

interface Props {
  action: ActionState;
  onClose: (input: { reason: FollowUpCloseReason; note?: string }) => Promise<boolean>;
}

export function CloseForm({ action, onClose }: Props) {
  const [reason, setReason] = useState<FollowUpCloseReason | ''>('');
  const [note, setNote] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const saving = action.status === 'saving';
  const submit = () => {
    setSubmitted(true);
    if (reason) void onClose({ reason, ...(note.trim() ? { note: note.trim() } : {}) });
  };
  return (
    <form className="pht-fu-form" aria-label="Lukk oppfølgingen" noValidate onSubmit={(e) => (e.preventDefault(), submit())} data-testid="fu-close-form">
      <div className="pht-fu-inline">
        <Field>
          <Label htmlFor="fu-close-reason">Årsak</Label>
          <Select id="fu-close-reason" value={reason} onChange={(e) => setReason(REASONS.find((r) => r === e.target.value) ?? '')} disabled={saving} aria-invalid={submitted && !reason} data-testid="fu-close-reason">
            <Select.Option value="">Velg årsak</Select.Option>
            {REASONS.map((r) => (
              <Select.Option key={r} value={r}>
                {FOLLOW_UP_CLOSE_REASON_TEXT[r]}
              </Select.Option>
            ))}
          </Select>
        </Field>
        <Textfield label="Merknad (valgfritt)" value={note} onChange={(e) => setNote(e.target.value)} disabled={saving} />
        <Button type="submit" variant="secondary" disabled={saving} data-testid="fu-close-save">
          {saving ? 'Lukker …' : 'Lukk oppfølgingen'}
        </Button>
      </div>
      {submitted && !reason && <Paragraph data-size="sm" role="alert">Velg en årsak.</Paragraph>}
      {action.status === 'error' && (
        <Alert data-color="danger" role="alert" data-size="sm">
          <Paragraph data-size="sm">
            Oppgaven ble ikke lukket: {action.message} {action.action}
          </Paragraph>
        </Alert>
      )}
    </form>
  );
}

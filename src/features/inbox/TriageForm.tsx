// The triage of one message: create the follow-up task for a nurse, or record «ingen oppfølging
// nødvendig» with a reason. A message without a discharge date must have its date confirmed first
// (SPEC §4; issue point 3). The values stay in the form whatever the save does, so a retry is one click.
import { useState } from 'react';
import { Alert, Button, Checkbox, Field, Label, Paragraph, Select, Textfield } from '@digdir/designsystemet-react';
import { FOLLOW_UP_CLOSE_REASON_TEXT, type FollowUpCloseReason } from '../../domain/followUp';
import type { InboxView } from './model';
import type { NurseOption } from '../../state/followUpTeam';
import { formatDate } from '../../ui/format';
import { DateField } from '../../ui/DateField';
import { followUpDeadline } from '../../domain/calendar';

/** The state of one row's save. */
export type RowAction = { status: 'saving' } | { status: 'error'; message: string; action: string };

const NONE_REASONS: readonly FollowUpCloseReason[] = ['no-follow-up-needed', 'followed-up-elsewhere', 'moved-to-institution', 'readmitted', 'deceased', 'declined'];

interface Props {
  row: InboxView;
  nurses: readonly NurseOption[];
  defaultNurseId: string | undefined;
  today: string;
  action: RowAction | undefined;
  onCreate: (input: { owner?: string; confirmDate?: string }) => void;
  onNone: (input: { reason: FollowUpCloseReason; note?: string; confirmDate?: string }) => void;
  /** The form opened for «ingen oppfølging» starts there (the triage table's row). */
  initialMode?: 'task' | 'none';
  /** Closes the form (the triage table); without it, «Avbryt» goes back to creating a task. */
  onCancel?: (() => void) | undefined;
}

export function TriageForm({ row, nurses, defaultNurseId, today, action, onCreate, onNone, initialMode = 'task', onCancel }: Props) {
  const id = `triage-${row.key.replace(/[^A-Za-z0-9-]/g, '_')}`;
  // The team (and its default nurse) may load after the form: until the user picks, the default applies.
  const [picked, setOwner] = useState<string | undefined>(undefined);
  const owner = picked ?? defaultNurseId ?? '';
  const [date, setDate] = useState(row.messageDate ?? '');
  const [dateChecked, setDateChecked] = useState(false);
  const [mode, setMode] = useState<'task' | 'none'>(initialMode);
  const [reason, setReason] = useState<FollowUpCloseReason>('no-follow-up-needed');
  const [note, setNote] = useState('');
  const saving = action?.status === 'saving';
  const dateError = row.needsDateConfirmation && date > today ? 'Utskrivningsdatoen kan ikke være i fremtiden.' : undefined;
  const blocked = row.needsDateConfirmation && (!dateChecked || !date || dateError !== undefined);
  const confirmDate = row.needsDateConfirmation ? date : undefined;

  return (
    <div className="pht-inbox-triage" data-testid="triage-form">
      {row.needsDateConfirmation && (
        <Alert data-color="warning" data-size="sm">
          <Paragraph data-size="sm">
            Utskrivningsdato mangler i meldingen. Fristen regnes foreløpig fra meldingsdatoen
            {row.messageDate ? ` ${formatDate(row.messageDate)}` : ''}. Kontroller datoen i epikrisen eller journalen før du oppretter oppgaven.
          </Paragraph>
          <div className="pht-inbox-inline">
            <DateField label="Utskrivningsdato" value={date} error={dateError} onChange={setDate} data-testid="triage-date" />
            <Checkbox label="Jeg har kontrollert utskrivningsdatoen" checked={dateChecked} onChange={(e) => setDateChecked(e.target.checked)} data-testid="triage-date-confirm" />
          </div>
          {date && !dateError && (
            <Paragraph data-size="sm" data-testid="triage-new-deadline">
              Ny frist regnet fra utskrivningsdatoen: {formatDate(followUpDeadline(date))}.
            </Paragraph>
          )}
        </Alert>
      )}
      {mode === 'task' ? (
        <div className="pht-inbox-inline">
          <Field>
            <Label htmlFor={`${id}-nurse`}>Sykepleier</Label>
            <Select id={`${id}-nurse`} value={owner} onChange={(e) => setOwner(e.target.value)} disabled={saving} data-testid="triage-nurse">
              <Select.Option value="">Ikke fordelt</Select.Option>
              {nurses.map((n) => (
                <Select.Option key={n.id} value={n.id}>
                  {n.name}
                </Select.Option>
              ))}
            </Select>
          </Field>
          <Button onClick={() => onCreate({ ...(owner ? { owner } : {}), ...(confirmDate ? { confirmDate } : {}) })} disabled={saving || blocked} data-testid="triage-create">
            {saving ? 'Oppretter …' : 'Opprett oppfølgingsoppgave'}
          </Button>
          <Button variant="secondary" onClick={() => setMode('none')} disabled={saving} data-testid="triage-none-open">
            Ingen oppfølging nødvendig
          </Button>
        </div>
      ) : (
        <div className="pht-inbox-inline">
          <Field>
            <Label htmlFor={`${id}-reason`}>Begrunnelse</Label>
            <Select id={`${id}-reason`} value={reason} onChange={(e) => setReason(NONE_REASONS.find((r) => r === e.target.value) ?? 'no-follow-up-needed')} disabled={saving} data-testid="triage-reason">
              {NONE_REASONS.map((r) => (
                <Select.Option key={r} value={r}>
                  {FOLLOW_UP_CLOSE_REASON_TEXT[r]}
                </Select.Option>
              ))}
            </Select>
          </Field>
          <Textfield label="Merknad (valgfritt)" value={note} onChange={(e) => setNote(e.target.value)} disabled={saving} />
          <Button onClick={() => onNone({ reason, ...(note.trim() ? { note: note.trim() } : {}), ...(confirmDate ? { confirmDate } : {}) })} disabled={saving || blocked} data-testid="triage-none">
            {saving ? 'Lagrer …' : 'Registrer ingen oppfølging'}
          </Button>
          <Button variant="tertiary" onClick={() => (onCancel ? onCancel() : setMode('task'))} disabled={saving}>
            Avbryt
          </Button>
        </div>
      )}
      {action?.status === 'error' && (
        <Alert data-color="danger" role="alert" data-size="sm">
          <Paragraph data-size="sm">
            Ble ikke lagret: {action.message} {action.action} Det du har fylt ut er tatt vare på; prøv igjen.
          </Paragraph>
        </Alert>
      )}
    </div>
  );
}

// Record the team's assessment of need and the offer made (consultation or home visit, date, answer),
// stored by the app server, which queues the journal note (issue 15).
import { useState, type FormEvent } from 'react';
import { Alert, Button, Fieldset, Paragraph, Radio, Textfield } from '@digdir/designsystemet-react';
import type { OutreachNeed, OutreachOfferKind } from '../../domain/targetGroups/views';
import { errorMessage, useRecordOutreach, type ApiContext } from '../target-groups/api';
import { osloToday } from '../../ui/format';
import { DateField } from '../../ui/DateField';

export const NEED_TEXT: Readonly<Record<OutreachNeed, string>> = {
  'follow-up-needed': 'Behov for oppfølging',
  'no-follow-up-needed': 'Ikke behov for oppfølging',
  'not-reached': 'Ikke nådd',
};

const NEEDS: readonly OutreachNeed[] = ['follow-up-needed', 'no-follow-up-needed', 'not-reached'];

interface Props {
  patientId: string;
  patientName: string;
  api: ApiContext;
  authorName: string;
  onDone: () => void;
}

export function OutreachForm({ patientId, patientName, api, authorName, onDone }: Props) {
  const record = useRecordOutreach(api);
  // One id per form: a retried save is the same record on the server (idempotent).
  const [recordId] = useState(() => globalThis.crypto.randomUUID());
  const [need, setNeed] = useState<OutreachNeed | undefined>(undefined);
  const [offer, setOffer] = useState<OutreachOfferKind | 'none'>('none');
  const [date, setDate] = useState(osloToday(new Date()));
  // No answer is pre-selected (issue 17 item 5): the nurse must say what the patient answered.
  const [accepted, setAccepted] = useState<boolean | undefined>(undefined);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const saving = record.isPending;
  const id = `orf-${patientId}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!need) return setProblem('Velg vurdert behov.');
    if (note.trim() === '') return setProblem('Skriv en begrunnelse.');
    if (offer !== 'none' && !/^\d{4}-\d{2}-\d{2}$/.test(date)) return setProblem('Dato for tilbudet: skriv datoen som dd.mm.åååå.');
    if (offer !== 'none' && accepted === undefined) return setProblem('Velg svar fra pasienten (takket ja eller nei).');
    setProblem(undefined);
    try {
      await record.mutateAsync({
        id: recordId,
        patientId,
        need,
        ...(offer === 'none' || accepted === undefined ? {} : { offer: { kind: offer, date, accepted } }),
        note,
        authorName,
      });
      onDone();
    } catch (error) {
      setProblem(`Ble ikke lagret: ${errorMessage(error)}`);
    }
  }

  return (
    <form className="pht-or-form" onSubmit={(e) => void submit(e)} aria-label={`Oppsøkende vurdering for ${patientName}`} data-testid="outreach-form">
      <Fieldset>
        <Fieldset.Legend>Vurdert behov</Fieldset.Legend>
        {NEEDS.map((n) => (
          <Radio key={n} label={NEED_TEXT[n]} name={`${id}-need`} value={n} checked={need === n} onChange={() => setNeed(n)} />
        ))}
      </Fieldset>
      <Textfield label="Begrunnelse" multiline rows={2} value={note} onChange={(e) => setNote(e.target.value)} data-testid="outreach-note" />
      <Fieldset>
        <Fieldset.Legend>Tilbud</Fieldset.Legend>
        <Radio label="Ikke gitt tilbud" name={`${id}-offer`} value="none" checked={offer === 'none'} onChange={() => setOffer('none')} />
        <Radio label="Konsultasjon" name={`${id}-offer`} value="consultation" checked={offer === 'consultation'} onChange={() => setOffer('consultation')} />
        <Radio label="Hjemmebesøk" name={`${id}-offer`} value="home-visit" checked={offer === 'home-visit'} onChange={() => setOffer('home-visit')} />
      </Fieldset>
      {offer !== 'none' && (
        <>
          <DateField label="Dato for tilbudet" value={date} onChange={setDate} data-testid="outreach-date" />
          <OfferAnswer name={`${id}-answer`} accepted={accepted} onChange={setAccepted} />
        </>
      )}
      {problem && (
        <Alert data-color="danger" role="alert">
          <Paragraph>{problem}</Paragraph>
        </Alert>
      )}
      <div className="pht-or-actions">
        <Button type="submit" disabled={saving} data-testid="outreach-save">
          Lagre
        </Button>
        <Button type="button" variant="tertiary" onClick={onDone}>
          Avbryt
        </Button>
      </div>
    </form>
  );
}

/** The patient's answer to the offer; nothing is checked until the nurse chooses. */
export function OfferAnswer({ name, accepted, onChange }: { name: string; accepted: boolean | undefined; onChange: (accepted: boolean) => void }) {
  return (
    <Fieldset>
      <Fieldset.Legend>Svar fra pasienten</Fieldset.Legend>
      <Radio label="Takket ja" name={name} value="yes" checked={accepted === true} onChange={() => onChange(true)} data-testid="outreach-answer-yes" />
      <Radio label="Takket nei" name={name} value="no" checked={accepted === false} onChange={() => onChange(false)} data-testid="outreach-answer-no" />
    </Fieldset>
  );
}

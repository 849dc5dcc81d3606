// A GP confirms or rejects a group with a reason (required); the app server stores it (it wins over the
// rules, SPEC §3) and queues the journal note.
import { useState, type FormEvent } from 'react';
import { Alert, Button, Fieldset, Paragraph, Radio, Textfield } from '@digdir/designsystemet-react';
import type { TargetGroup } from '../../../domain/targetGroups';
import { TARGET_GROUP_DISPLAY } from '../../../domain/targetGroups/views';
import { errorMessage, useAssessTargetGroup, type ApiContext } from '../../target-groups/api';

interface Props {
  patientId: string;
  group: TargetGroup;
  api: ApiContext;
  authorName: string;
  onDone: () => void;
}

export function AssessForm({ patientId, group, api, authorName, onDone }: Props) {
  const assess = useAssessTargetGroup(api);
  // One id per form: a retried save is the same assessment on the server (idempotent).
  const [id] = useState(() => globalThis.crypto.randomUUID());
  const [decision, setDecision] = useState<'include' | 'exclude' | undefined>(undefined);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const name = `assess-${group}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!decision) return setProblem('Velg bekreft eller avkreft.');
    if (reason.trim() === '') return setProblem('Skriv en begrunnelse.');
    setProblem(undefined);
    try {
      await assess.mutateAsync({ id, patientId, group, include: decision === 'include', reason, authorName });
      onDone();
    } catch (error) {
      setProblem(`Vurderingen ble ikke lagret: ${errorMessage(error)}`);
    }
  }

  return (
    <form className="pht-tg-form" onSubmit={(e) => void submit(e)} aria-label={`Vurder ${TARGET_GROUP_DISPLAY[group]}`} data-testid={`assess-form-${group}`}>
      <Fieldset>
        <Fieldset.Legend>Medisinskfaglig vurdering</Fieldset.Legend>
        <Radio label="Bekreft målgruppe" name={name} value="include" checked={decision === 'include'} onChange={() => setDecision('include')} />
        <Radio label="Avkreft målgruppe" name={name} value="exclude" checked={decision === 'exclude'} onChange={() => setDecision('exclude')} />
      </Fieldset>
      <Textfield label="Begrunnelse" multiline rows={2} aria-required="true" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="assess-reason" />
      {problem && (
        <Alert data-color="danger" role="alert">
          <Paragraph>{problem}</Paragraph>
        </Alert>
      )}
      <div className="pht-tg-actions">
        <Button type="submit" disabled={assess.isPending} data-testid="assess-save">
          Lagre vurdering
        </Button>
        <Button type="button" variant="tertiary" onClick={onDone}>
          Avbryt
        </Button>
      </div>
    </form>
  );
}

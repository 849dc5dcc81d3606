// A GP confirms or rejects a group with a reason (required), stored as the assessment Procedure.
import { useState, type FormEvent } from 'react';
import { Alert, Button, Fieldset, Paragraph, Radio, Textfield } from '@digdir/designsystemet-react';
import type { FhirClient } from '../../../fhir/client';
import { describeError } from '../../../fhir/errors';
import { recordTargetGroupAssessment, type GroupView, type PatientTargetGroups, type Recorder } from '../../../fhir/targetGroups';

interface Props {
  view: PatientTargetGroups;
  group: GroupView;
  client: FhirClient;
  recorder: Recorder;
  onDone: (next: PatientTargetGroups | undefined) => void;
}

export function AssessForm({ view, group, client, recorder, onDone }: Props) {
  const [decision, setDecision] = useState<'include' | 'exclude' | undefined>(undefined);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const name = `assess-${group.group}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!decision) return setProblem('Velg bekreft eller avkreft.');
    if (reason.trim() === '') return setProblem('Skriv en begrunnelse.');
    setProblem(undefined);
    setSaving(true);
    try {
      const next = await recordTargetGroupAssessment(client, view, { group: group.group, include: decision === 'include', reason, user: recorder, now: new Date() });
      onDone(next);
    } catch (error) {
      setProblem(`Vurderingen ble ikke lagret: ${describeError(error).message}`);
      setSaving(false);
    }
  }

  return (
    <form className="pht-tg-form" onSubmit={(e) => void submit(e)} aria-label={`Vurder ${group.label}`} data-testid={`assess-form-${group.group}`}>
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
        <Button type="submit" disabled={saving} data-testid="assess-save">
          Lagre vurdering
        </Button>
        <Button type="button" variant="tertiary" onClick={() => onDone(undefined)}>
          Avbryt
        </Button>
      </div>
    </form>
  );
}

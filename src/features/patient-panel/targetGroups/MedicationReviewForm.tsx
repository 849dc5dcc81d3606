// "Vurdert behov for legemiddelgjennomgang" for a patient with polypharmacy (source ch. 6.2.1, Table 2):
// stored as a medication-review-need Procedure; it counts like a review for the marker and indicator.
import { useState } from 'react';
import { Alert, Button, Paragraph, Textfield } from '@digdir/designsystemet-react';
import type { FhirClient } from '../../../fhir/client';
import { describeError } from '../../../fhir/errors';
import { recordMedicationReviewNeed, type PatientTargetGroups, type Recorder } from '../../../fhir/targetGroups';

interface Props {
  view: PatientTargetGroups;
  client: FhirClient;
  recorder: Recorder;
  onChange: (view: PatientTargetGroups) => void;
}

export function MedicationReviewForm({ view, client, recorder, onChange }: Props) {
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  const [saving, setSaving] = useState(false);

  async function save(needed: boolean) {
    setSaving(true);
    try {
      onChange(await recordMedicationReviewNeed(client, view, { needed, note, user: recorder, now: new Date() }));
      setMessage({ ok: true, text: needed ? 'Lagret: behov for legemiddelgjennomgang.' : 'Lagret: ikke behov for legemiddelgjennomgang nå.' });
      setNote('');
    } catch (error) {
      setMessage({ ok: false, text: `Ble ikke lagret: ${describeError(error).message}` });
    } finally {
      setSaving(false);
    }
  }

  return (
    <div className="pht-tg-form" role="group" aria-labelledby="tg-medreview" data-testid="medication-review-need">
      <strong id="tg-medreview">Vurdert behov for legemiddelgjennomgang</strong>
      <Textfield label="Merknad (valgfri)" value={note} onChange={(e) => setNote(e.target.value)} />
      <div className="pht-tg-actions">
        <Button data-size="sm" disabled={saving} onClick={() => void save(true)}>
          Behov for gjennomgang
        </Button>
        <Button data-size="sm" variant="secondary" disabled={saving} onClick={() => void save(false)}>
          Ikke behov nå
        </Button>
      </div>
      {message && (
        <Alert data-color={message.ok ? 'success' : 'danger'} role={message.ok ? 'status' : 'alert'}>
          <Paragraph>{message.text}</Paragraph>
        </Alert>
      )}
    </div>
  );
}

// "Vurdert behov for legemiddelgjennomgang" for a patient with polypharmacy (source ch. 6.2.1, Table 2):
// stored in the journal as a medication-review-need Procedure (a clinical act, so it stays in the EPJ);
// it counts like a review for the marker and indicator, and the app server reads it on the next panel load.
import { useState } from 'react';
import { Alert, Button, Paragraph, Textfield } from '@digdir/designsystemet-react';
import type { FhirClient } from '../../../fhir/client';
import { describeError } from '../../../fhir/errors';
import { recordMedicationReviewNeed, type Recorder } from '../../../fhir/targetGroups';

interface Props {
  client: FhirClient;
  patientId: string;
  recorder: Recorder;
  onSaved: () => void;
}

export function MedicationReviewForm({ client, patientId, recorder, onSaved }: Props) {
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  const [saving, setSaving] = useState(false);

  async function save(needed: boolean) {
    setSaving(true);
    try {
      await recordMedicationReviewNeed(client, patientId, { needed, note, user: recorder, now: new Date() });
      onSaved();
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

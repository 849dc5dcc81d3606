// The GP's assessment of the need for a medication review (source ch. 6.2.1, Table 2): a clinical act,
// written to the journal as a Procedure (profile pht-assessment), where the app server's panel read and
// the manager's indicators find it. Target-group assessments and outreach moved to the app server
// (issue 15: server/features/target-groups).
import { buildMedicationReviewNeedAssessment } from './builders/assessment';
import { userReference } from './builders/common';
import type { FhirClient } from './client';
import { FhirError } from './errors';

export interface Recorder {
  /** SMART fhirUser, `Practitioner/<id>`. */
  fhirUser: string | undefined;
  name: string;
}

/** The need for a medication review was assessed; counts like a review (SPEC §3, Table 2). */
export async function recordMedicationReviewNeed(
  client: FhirClient,
  patientId: string,
  input: { needed: boolean; note: string; user: Recorder; now: Date },
  signal?: AbortSignal,
): Promise<void> {
  const ref = userReference(input.user.fhirUser);
  if (!ref) throw new FhirError({ kind: 'forbidden', userMessage: 'Journalsystemet oppga ikke hvem du er, så vurderingen kan ikke lagres.' });
  await client.create(
    buildMedicationReviewNeedAssessment({ patientId, needed: input.needed, note: input.note, recorder: { ...ref, display: input.user.name }, performed: input.now.toISOString() }),
    { signal },
  );
}

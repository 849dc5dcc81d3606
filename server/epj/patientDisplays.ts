// What the worklist, «Mine oppgaver» and the follow-up section show about a patient (name, national id,
// birth date, phone, next of kin, protected address never; src/fhir/followUpsPatients.ts toPatientDisplay),
// read by the app server (the browser never parses FHIR): Patient by `_id` in batches, and RelatedPerson
// only where the EPJ lets the server read it (server/epj/capabilities.ts); without it, next of kin come
// from Patient.contact alone and the answer says so (`nextOfKinFromPatientOnly`).
import type { Patient, RelatedPerson } from '@medplum/fhirtypes';
import { toPatientDisplay, type PatientDisplay } from '../../src/fhir/followUpsPatients';
import { canRead, type ReadPlan } from './capabilities';
import { EpjReadError, searchAll, type EpjGet } from './targetGroups';

const BATCH = 50;

export interface PatientDisplays {
  patients: PatientDisplay[];
  /** true when the EPJ does not give RelatedPerson: next of kin are only those on the Patient. */
  nextOfKinFromPatientOnly: boolean;
}

export async function readPatientDisplays(get: EpjGet, base: string, ids: readonly string[], plan: ReadPlan): Promise<PatientDisplays> {
  const unique = [...new Set(ids)];
  let related = canRead(plan, 'RelatedPerson');
  const patients: Patient[] = [];
  const kin: RelatedPerson[] = [];
  for (let i = 0; i < unique.length; i += BATCH) {
    const batch = unique.slice(i, i + BATCH);
    const [found, rps] = await Promise.all([
      searchAll(get, base, 'Patient', { _id: batch.join(','), _count: String(batch.length) }),
      related
        ? searchAll(get, base, 'RelatedPerson', { patient: batch.map((id) => `Patient/${id}`).join(','), _count: '1000' }).catch((error: unknown) => {
            // Offered by the statement but not granted to the app: next of kin from the Patient only, said so.
            if (error instanceof EpjReadError && /HTTP (401|403)/.test(error.message)) {
              related = false;
              return [];
            }
            throw error;
          })
        : Promise.resolve([]),
    ]);
    patients.push(...(found as Patient[]));
    kin.push(...(rps as RelatedPerson[]));
  }
  const wanted = new Set(unique);
  return {
    patients: patients.filter((p): p is Patient & { id: string } => p.resourceType === 'Patient' && typeof p.id === 'string' && wanted.has(p.id)).map((p) => toPatientDisplay(p, kin)),
    nextOfKinFromPatientOnly: !related,
  };
}

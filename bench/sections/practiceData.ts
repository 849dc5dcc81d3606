// In-memory synthetic practice grouped per patient, shared by the classification benchmarks.
import type { Patient, Resource } from '@medplum/fhirtypes';
import { generatePractice, PRACTICE_ID } from '../../sandbox/seed';

export interface PatientBundle {
  patient: Patient;
  related: Resource[];
}

function subjectId(r: Resource): string | undefined {
  const ref =
    ('subject' in r && r.subject && typeof r.subject === 'object' && 'reference' in r.subject ? r.subject.reference : undefined) ??
    ('patient' in r && r.patient && typeof r.patient === 'object' && 'reference' in r.patient ? r.patient.reference : undefined) ??
    ('beneficiary' in r && r.beneficiary && typeof r.beneficiary === 'object' && 'reference' in r.beneficiary ? r.beneficiary.reference : undefined);
  return typeof ref === 'string' && ref.startsWith('Patient/') ? ref.slice(8) : undefined;
}

export function practiceByPatient(patients: number, asOf: string): { bundles: PatientBundle[]; practiceOrgId: string; resources: number } {
  const { resources } = generatePractice({ patients, seed: 1, asOf });
  const byId = new Map<string, PatientBundle>();
  for (const r of resources) if (r.resourceType === 'Patient' && r.id) byId.set(r.id, { patient: r, related: [] });
  for (const r of resources) {
    if (r.resourceType === 'Patient') continue;
    const id = subjectId(r);
    const bundle = id ? byId.get(id) : undefined;
    if (bundle) bundle.related.push(r);
  }
  return { bundles: [...byId.values()], practiceOrgId: PRACTICE_ID, resources: resources.length };
}

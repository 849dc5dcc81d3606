// The launch's patient is checked against every resource before it is shown (SPEC §8): a server bug or
// a wrong search parameter must never put another patient's data on this patient's screen.
import type { Resource } from '@medplum/fhirtypes';
import { FhirError } from './errors';
import { parseReference } from './session';

// The elements that carry "whose data is this" across the resources the app reads (Condition.subject,
// Coverage.beneficiary, Task.for, Flag.subject, AllergyIntolerance.patient, ...).
const PATIENT_ELEMENTS = ['subject', 'patient', 'for', 'beneficiary'] as const;

/** Patient ids the resource points at through its patient elements (the Patient's own id for a Patient). */
export function referencedPatientIds(resource: Resource): string[] {
  if (resource.resourceType === 'Patient') return resource.id ? [resource.id] : [];
  const ids: string[] = [];
  for (const element of PATIENT_ELEMENTS) {
    const value: unknown = Reflect.get(resource, element);
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item !== 'object' || item === null || !('reference' in item) || typeof item.reference !== 'string') continue;
      const ref = parseReference(item.reference);
      if (ref?.resourceType === 'Patient') ids.push(ref.id);
    }
  }
  return ids;
}

/**
 * Returns the resource when all its patient references are `patientId`; otherwise throws a FhirError
 * (kind `wrong-patient`) and the data must not be rendered. A resource with no patient reference at all
 * cannot be confirmed either and is refused the same way.
 */
export function assertBelongsToPatient<T extends Resource>(resource: T, patientId: string): T {
  const ids = referencedPatientIds(resource);
  if (ids.length === 0) {
    throw new FhirError({ kind: 'wrong-patient', userMessage: 'Data mangler kobling til pasienten og vises ikke.' });
  }
  if (ids.some((id) => id !== patientId)) {
    throw new FhirError({ kind: 'wrong-patient', userMessage: 'Data tilhører en annen pasient og vises ikke.' });
  }
  return resource;
}

/** The same check over a list; one stray resource refuses the whole list (it signals a bad query). */
export function assertAllBelongToPatient<T extends Resource>(resources: readonly T[], patientId: string): T[] {
  return resources.map((r) => assertBelongsToPatient(r, patientId));
}

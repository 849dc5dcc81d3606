import { describe, expect, test } from 'vitest';
import type { Resource } from '@medplum/fhirtypes';
import { assertAllBelongToPatient, assertBelongsToPatient, referencedPatientIds } from '../../../src/fhir/patientGuard';
import { FhirError } from '../../../src/fhir/errors';

const ok: [string, Resource][] = [
  ['the Patient itself', { resourceType: 'Patient', id: 'p1' }],
  ['Condition.subject', { resourceType: 'Condition', subject: { reference: 'Patient/p1' } }],
  ['absolute reference', { resourceType: 'Condition', subject: { reference: 'http://localhost:8103/fhir/Patient/p1' } }],
  ['versioned reference', { resourceType: 'Observation', status: 'final', code: {}, subject: { reference: 'Patient/p1/_history/4' } }],
  ['AllergyIntolerance.patient', { resourceType: 'AllergyIntolerance', patient: { reference: 'Patient/p1' } }],
  ['Task.for', { resourceType: 'Task', status: 'requested', intent: 'order', for: { reference: 'Patient/p1' } }],
  ['Coverage.beneficiary', { resourceType: 'Coverage', status: 'active', payor: [], beneficiary: { reference: 'Patient/p1' } }],
  ['ChargeItem.subject', { resourceType: 'ChargeItem', status: 'billable', code: {}, subject: { reference: 'Patient/p1' } }],
];

const refused: [string, Resource, string][] = [
  ['another Patient', { resourceType: 'Patient', id: 'p2' }, 'Data tilhører en annen pasient'],
  ['subject of another patient', { resourceType: 'Condition', subject: { reference: 'Patient/p2' } }, 'Data tilhører en annen pasient'],
  [
    'subject ok but patient element points elsewhere',
    { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'Patient/p1' } , ...{ patient: { reference: 'Patient/p2' } } },
    'Data tilhører en annen pasient',
  ],
  ['no patient reference at all', { resourceType: 'Condition', subject: { reference: 'Group/g1' } }, 'mangler kobling'],
  ['a Patient without id', { resourceType: 'Patient' }, 'mangler kobling'],
  ['a Practitioner', { resourceType: 'Practitioner', id: 'p1' }, 'mangler kobling'],
];

describe('assertBelongsToPatient', () => {
  test.each(ok)('accepts %s', (_name, resource) => {
    expect(assertBelongsToPatient(resource, 'p1')).toBe(resource);
  });

  test.each(refused)('refuses %s', (_name, resource, message) => {
    let error: unknown;
    try {
      assertBelongsToPatient(resource, 'p1');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FhirError);
    expect(error instanceof FhirError && error.kind).toBe('wrong-patient');
    expect(error instanceof FhirError && error.userMessage).toContain(message);
  });

  test('one stray resource refuses the whole list', () => {
    const list: Resource[] = [
      { resourceType: 'Condition', subject: { reference: 'Patient/p1' } },
      { resourceType: 'Condition', subject: { reference: 'Patient/p2' } },
    ];
    expect(() => assertAllBelongToPatient(list, 'p1')).toThrow(FhirError);
  });

  test('referencedPatientIds collects every patient element', () => {
    expect(referencedPatientIds({ resourceType: 'Task', status: 'requested', intent: 'order', for: { reference: 'Patient/a' } })).toEqual(['a']);
  });
});

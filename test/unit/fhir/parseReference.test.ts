// parseReference (src/fhir/session.ts): a FHIR reference or absolute URL split into type and id. The
// common 'Type/id' has its own short path; every form gives what the general reader gives. Expected
// values written by hand.
import { describe, expect, it } from 'vitest';
import { parseReference } from '../../../src/fhir/session';

describe('parseReference', () => {
  it.each([
    ['Practitioner/1', { resourceType: 'Practitioner', id: '1' }],
    ['Patient/pat-00001', { resourceType: 'Patient', id: 'pat-00001' }],
    ['http://host/fhir/Practitioner/1', { resourceType: 'Practitioner', id: '1' }],
    ['http://host/fhir/Practitioner/1/_history/2', { resourceType: 'Practitioner', id: '1' }],
    ['Patient/1?_format=json', { resourceType: 'Patient', id: '1' }],
    ['Patient/1#x', { resourceType: 'Patient', id: '1' }],
    ['Patient//1', { resourceType: 'Patient', id: '1' }],
  ])('%s', (reference, expected) => {
    expect(parseReference(reference)).toEqual(expected);
  });

  it.each(['', 'Patient', 'Patient/', '/1', 'patient/1', 'P/1', '_history/1', 'Pa tient/1', '#contained', undefined])('%s is not a reference to a resource', (reference) => {
    expect(parseReference(reference)).toBeUndefined();
  });
});

import { describe, expect, test } from 'vitest';
import { grantScopes, parseResourceScope, restrictToPatient, splitScopes } from '../../../sandbox/auth/scopes';
import manifest from '../../../manifest.json';

const registered = splitScopes(manifest.scope);

describe('parseResourceScope', () => {
  test.each([
    ['user/Task.crus', { context: 'user', resourceType: 'Task', permissions: 'crus' }],
    ['patient/*.rs', { context: 'patient', resourceType: '*', permissions: 'rs' }],
    ['system/Task.cruds', { context: 'system', resourceType: 'Task', permissions: 'cruds' }],
    ['user/Patient.read', { context: 'user', resourceType: 'Patient', permissions: 'rs' }],
    ['user/Task.write', { context: 'user', resourceType: 'Task', permissions: 'cud' }],
    ['user/Task.*', { context: 'user', resourceType: 'Task', permissions: 'cruds' }],
  ])('%s', (scope, expected) => {
    expect(parseResourceScope(scope)).toEqual(expected);
  });

  test.each(['user/Task.src', 'user/Task.rr', 'user/Task.', 'user/task.rs', 'group/Task.rs', 'launch', 'user/Observation.rs?category=laboratory', 'user/Task.x'])(
    'rejects %s',
    (scope) => {
      expect(parseResourceScope(scope)).toBeUndefined();
    },
  );
});

describe('grantScopes against the app registration', () => {
  test.each<[string, string]>([
    ['launch launch/patient openid fhirUser', 'launch launch/patient openid fhirUser'],
    ['user/Task.cruds', 'user/Task.crus'],
    ['user/Patient.read', 'user/Patient.rs'],
    ['user/Patient.cruds', 'user/Patient.rs'],
    ['user/AuditEvent.crud', 'user/AuditEvent.c'],
    ['user/AuditEvent.rs', ''],
    ['user/Binary.rs system/*.rs offline_access profile', ''],
    // A user/ registration covers the narrower patient/ form (SMART 2.2: patient/ scopes for a standalone launch).
    ['patient/Patient.rs patient/Task.cruds', 'patient/Patient.rs patient/Task.crus'],
    // A requested wildcard is granted as the registered types it covers.
    ['user/*.rs', 'user/Patient.rs user/Practitioner.rs user/PractitionerRole.rs user/Organization.rs user/RelatedPerson.rs user/Condition.rs user/MedicationStatement.rs user/MedicationRequest.rs user/Observation.rs user/CarePlan.rs user/Coverage.rs user/DocumentReference.rs user/Communication.rs user/Encounter.rs user/Procedure.rs user/Flag.rs user/Task.rs user/ChargeItem.rs user/Account.rs'],
    ['patient/*.c', 'patient/DocumentReference.c patient/Encounter.c patient/Procedure.c patient/Flag.c patient/Task.c patient/ChargeItem.c patient/Account.c patient/AuditEvent.c'],
    ['user/Condition.rs user/Condition.rs', 'user/Condition.rs'],
    ['', ''],
  ])('%j -> %j', (requested, granted) => {
    expect(grantScopes(splitScopes(requested), registered).join(' ')).toBe(granted);
  });

  test('a wildcard registration covers every type, narrowed to its permissions', () => {
    expect(grantScopes(['system/Patient.rs', 'system/Patient.c', 'system/Task.cruds'], ['system/*.rs', 'system/Task.cruds']))
      .toEqual(['system/Patient.rs', 'system/Task.cruds']);
  });
});

test('restrictToPatient turns user/ scopes into patient/ and leaves the rest', () => {
  expect(restrictToPatient(['launch', 'openid', 'user/Task.crus', 'system/*.rs'])).toEqual(['launch', 'openid', 'patient/Task.crus', 'system/*.rs']);
});

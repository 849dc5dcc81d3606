import { expect, test } from 'vitest';
import { missingScopes, scopeAllows, type Interaction } from '../../../src/fhir/launch/grantedScopes';
import { can } from '../../../src/fhir/session';

test.each([
  [['user/Task.crus'], 'Task', 'c', true],
  [['user/Task.crus'], 'Task', 'd', false],
  [['user/Task.rs'], 'Task', 'u', false],
  [['patient/Condition.rs'], 'Condition', 's', true],
  [['user/*.rs'], 'Flag', 'r', true],
  [['user/Patient.read'], 'Patient', 's', true],
  [['user/Patient.read'], 'Patient', 'c', false],
  [['user/Task.write'], 'Task', 'u', true],
  // A query-constrained scope grants nothing (smart/scopes.ts: an unenforced restriction must not widen access).
  [['user/Observation.rs?category=vital-signs'], 'Observation', 'r', false],
  [['launch', 'openid', 'fhirUser'], 'Patient', 'r', false],
  [['user/Task.xyz'], 'Task', 'r', false],
  [['user/Task.sr'], 'Task', 'r', false],
] satisfies [string[], string, Interaction, boolean][])('%j allows %s.%s: %s', (scopes, type, interaction, expected) => {
  expect(scopeAllows(scopes, type, interaction)).toBe(expected);
  expect(can({ grantedScopes: scopes }, type, interaction)).toBe(expected);
});

test('missingScopes lists what was requested but not granted', () => {
  expect(missingScopes(['user/Task.crus', 'user/Flag.crus'], ['user/Task.crus'])).toEqual(['user/Flag.crus']);
});

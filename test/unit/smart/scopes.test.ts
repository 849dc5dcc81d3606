import { describe, expect, test } from 'vitest';
import {
  accessFor,
  missingRequirements,
  parseScope,
  scopeAllows,
  summarizeGrants,
  toScopeList,
  type Interaction,
  type ScopeDecision,
} from '../../../src/fhir/smart/scopes';

describe('parseScope', () => {
  test.each([
    ['patient/Observation.rs', { context: 'patient', resourceType: 'Observation', interactions: ['r', 's'] }],
    ['user/*.cruds', { context: 'user', resourceType: '*', interactions: ['c', 'r', 'u', 'd', 's'] }],
    ['system/Task.cud', { context: 'system', resourceType: 'Task', interactions: ['c', 'u', 'd'] }],
    ['user/Patient.read', { context: 'user', resourceType: 'Patient', interactions: ['r', 's'] }],
    ['patient/Observation.write', { context: 'patient', resourceType: 'Observation', interactions: ['c', 'u', 'd'] }],
    ['user/*.*', { context: 'user', resourceType: '*', interactions: ['c', 'r', 'u', 'd', 's'] }],
    ['patient/Observation.rs?category=laboratory', { context: 'patient', resourceType: 'Observation', interactions: ['r', 's'], query: 'category=laboratory' }],
  ])('%s', (raw, expected) => {
    expect(parseScope(raw)).toEqual({ raw, ...expected });
  });

  test.each(['openid', 'fhirUser', 'launch/patient', 'offline_access', 'user/Task.sr', 'user/Task.rr', 'user/Task.', 'user/task.rs', 'admin/Task.rs', 'user/Task.x', ''])(
    'not a resource scope: %j',
    (raw) => {
      expect(parseScope(raw)).toBeUndefined();
    },
  );
});

describe('scopeAllows', () => {
  const cases: [string, string[], string, Interaction, ScopeDecision][] = [
    ['wildcard user grant', ['user/*.cruds'], 'Task', 'u', { allowed: true }],
    ['read-only grant refuses create', ['user/*.rs'], 'Task', 'c', { allowed: false }],
    ['type must match', ['user/Condition.rs'], 'Observation', 'r', { allowed: false }],
    ['patient grant is compartment-limited', ['patient/Condition.rs'], 'Condition', 's', { allowed: true, compartment: 'patient' }],
    ['user grant wins over patient grant', ['patient/*.rs', 'user/Condition.r'], 'Condition', 'r', { allowed: true }],
    ['patient grant for search, user only read', ['patient/*.rs', 'user/Condition.r'], 'Condition', 's', { allowed: true, compartment: 'patient' }],
    ['system grant', ['system/Task.cruds'], 'Task', 'd', { allowed: true }],
    ['v1 write gives no read', ['user/Observation.write'], 'Observation', 'r', { allowed: false }],
    ['v1 write gives update', ['user/Observation.write'], 'Observation', 'u', { allowed: true }],
    ['query scopes grant nothing (not enforced)', ['patient/Observation.rs?category=laboratory'], 'Observation', 'r', { allowed: false }],
    ['no scopes', [], 'Patient', 'r', { allowed: false }],
    ['non-resource scopes ignored', ['openid', 'fhirUser', 'launch'], 'Patient', 'r', { allowed: false }],
  ];
  test.each(cases)('%s', (_name, scopes, type, interaction, expected) => {
    expect(scopeAllows(scopes, type, interaction)).toEqual(expected);
  });
});

describe('helpers for degrading the UI', () => {
  test('accessFor lists each interaction', () => {
    const access = accessFor(['patient/Task.rs', 'user/Task.u'], 'Task');
    expect(access.r).toEqual({ allowed: true, compartment: 'patient' });
    expect(access.u).toEqual({ allowed: true });
    expect(access.c.allowed).toBe(false);
    expect(access.d.allowed).toBe(false);
  });

  test('missingRequirements names what a feature lacks', () => {
    const needs = [
      { resourceType: 'Task', interaction: 'c' as const },
      { resourceType: 'Task', interaction: 's' as const },
      { resourceType: 'Flag', interaction: 'r' as const },
    ];
    expect(missingRequirements(['user/Task.rs', 'user/Flag.r'], needs)).toEqual([{ resourceType: 'Task', interaction: 'c' }]);
    expect(missingRequirements(['user/*.cruds'], needs)).toEqual([]);
  });

  test('summarizeGrants merges per type and context', () => {
    const summary = summarizeGrants(toScopeList('openid user/Task.rs user/Task.cu patient/Flag.read'));
    expect(summary.get('Task')).toEqual({ user: ['c', 'r', 'u', 's'] });
    expect(summary.get('Flag')).toEqual({ patient: ['r', 's'] });
    expect(summary.has('openid')).toBe(false);
  });
});

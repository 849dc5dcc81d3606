// The EPJ's role table (issue 12 item 5): which of the app's registered scopes each role is granted.
// Expected grants are written by hand from SPEC §1's role table and the issue.
import { describe, expect, test } from 'vitest';
import { roleOf, scopesForRole } from '../../../sandbox/auth/roles';
import { splitScopes } from '../../../sandbox/auth/scopes';
import manifest from '../../../manifest.json';

const everything = splitScopes(manifest.scope);
const GP = { role: 'gp', practiceManager: false } as const;
const MANAGER = { role: 'gp', practiceManager: true } as const;
const NURSE = { role: 'nurse', practiceManager: false } as const;
const SECRETARY = { role: 'secretary', practiceManager: false } as const;

describe('scopesForRole, asked for everything the app is registered for', () => {
  test('the secretary gets no charges, no accounts, no clinical facts and no Flag writes; Tasks for triage', () => {
    const granted = scopesForRole(everything, SECRETARY);
    const none = ['user/ChargeItem.crus', 'user/ChargeItem.c', 'user/ChargeItem.rs', 'user/Account.crus', 'user/Coverage.rs'];
    // Issue 12 item 5: no diagnoses, medications, measurements, care plans or procedures (SPEC §3 facts).
    none.push('user/Condition.rs', 'user/MedicationStatement.rs', 'user/MedicationRequest.rs', 'user/Observation.rs', 'user/CarePlan.rs', 'user/Procedure.rs');
    for (const scope of none) {
      expect(granted.find((g) => g.startsWith(scope.split('.')[0] ?? scope))).toBeUndefined();
    }
    expect(granted).toContain('user/Task.crus');
    expect(granted).toContain('user/Encounter.rs');
    expect(granted).toContain('user/Flag.rs');
    expect(granted).not.toContain('user/Flag.crus');
    expect(granted).toContain('user/DocumentReference.rs');
    expect(granted).toContain('user/Communication.rs');
    expect(granted).toContain('user/AuditEvent.c');
  });

  test('the nurse may create charges and contacts but writes no candidate Flags', () => {
    const granted = scopesForRole(everything, NURSE);
    expect(granted).toEqual(expect.arrayContaining(['user/ChargeItem.crus', 'user/Account.crus', 'user/Encounter.crus', 'user/DocumentReference.crs', 'user/Procedure.crus', 'user/Task.crus', 'user/Coverage.rs']));
    expect(granted).toContain('user/Flag.rs');
    expect(granted).not.toContain('user/Flag.crus');
  });

  test('the GP and the daglig leder get the whole registration', () => {
    expect(scopesForRole(everything, GP)).toEqual(everything);
    expect(scopesForRole(everything, MANAGER)).toEqual(everything);
  });

  test('patient/ forms follow the same table', () => {
    expect(scopesForRole(['patient/ChargeItem.crus', 'patient/Condition.rs', 'patient/Task.cruds'], SECRETARY)).toEqual(['patient/Task.crus']);
  });

  test('a role never widens a grant', () => {
    expect(scopesForRole(['user/Patient.rs'], GP)).toEqual(['user/Patient.rs']);
    expect(scopesForRole(['user/Patient.cruds', 'system/*.rs'], GP)).toEqual(['user/Patient.rs']);
  });
});

test('roleOf: the practice-manager team role on a GP is the daglig leder', () => {
  expect([roleOf(GP), roleOf(MANAGER), roleOf(NURSE), roleOf(SECRETARY)]).toEqual(['gp', 'practiceManager', 'nurse', 'secretary']);
});

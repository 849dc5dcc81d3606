// Issue 17 item 10: only the one who registered a charge, or the daglig leder, may cancel it.
import type { ChargeItem } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { mayCancelCharge } from '../../../src/domain/chargeCancel';
import { readTeamCharge } from '../../../src/fhir/charges';
import { cancelCharge } from '../../../src/fhir/chargesCancel';
import type { FhirClient } from '../../../src/fhir/client';
import { SYSTEMS } from '../../../src/fhir/systems';

const GP_CHARGE: ChargeItem = {
  resourceType: 'ChargeItem',
  id: 'ci-1',
  status: 'billable',
  identifier: [{ system: SYSTEMS.chargeId, value: 'c1:2ad' }],
  code: { coding: [{ system: SYSTEMS.tariff, code: '2ad' }] },
  subject: { reference: 'Patient/pat-1' },
  occurrenceDateTime: '2026-03-10T09:00:00+01:00',
  performer: [{ actor: { reference: 'Practitioner/gp-1' } }],
  enterer: { reference: 'Practitioner/gp-1' },
};

const PAST_THE_CHECK = new Error('past the permission check');

/** Answers the charge search; anything after the permission check rejects with PAST_THE_CHECK. */
function clientAs(fhirUser: string): FhirClient {
  return {
    session: { launchKind: 'ehr', fhirBaseUrl: 'http://fake/fhir', accessToken: 't', expiresAt: 4_102_444_800_000, grantedScopes: ['user/ChargeItem.crus'], requestedScopes: [], needPatientBanner: true, fhirUser },
    searchAll: (type: string, params: Record<string, unknown>) => (type === 'ChargeItem' && 'identifier' in params ? Promise.resolve([GP_CHARGE]) : Promise.reject(PAST_THE_CHECK)),
    read: () => Promise.reject(PAST_THE_CHECK),
    search: () => Promise.reject(PAST_THE_CHECK),
    create: () => Promise.reject(PAST_THE_CHECK),
    update: () => Promise.reject(PAST_THE_CHECK),
    conditionalCreate: () => Promise.reject(PAST_THE_CHECK),
    transaction: () => Promise.reject(PAST_THE_CHECK),
  } as unknown as FhirClient;
}

describe('mayCancelCharge', () => {
  test.each([
    ['the GP who registered it', { practitionerId: 'gp-1', practiceManager: false }, true],
    ['a nurse', { practitionerId: 'nurse-1', practiceManager: false }, false],
    ['another GP', { practitionerId: 'gp-2', practiceManager: false }, false],
    ['the daglig leder', { practitionerId: 'nurse-1', practiceManager: true }, true],
  ])('%s: %s', (_who, user, allowed) => {
    expect(mayCancelCharge({ registeredBy: 'gp-1' }, user)).toBe(allowed);
  });
  test('a charge with no known registrant can only be cancelled by the daglig leder', () => {
    expect(mayCancelCharge({}, { practitionerId: 'gp-1', practiceManager: false })).toBe(false);
    expect(mayCancelCharge({}, { practitionerId: 'gp-1', practiceManager: true })).toBe(true);
  });
  test('registeredBy is read from ChargeItem.enterer', () => {
    expect(readTeamCharge({ ...GP_CHARGE, performer: [{ actor: { reference: 'Practitioner/gp-2' } }] }).charge?.registeredBy).toBe('gp-1');
  });
});

describe('cancelCharge refuses a charge the user did not register', () => {
  test('a nurse cannot cancel the GP charge: forbidden with a Norwegian message', async () => {
    await expect(cancelCharge(clientAs('Practitioner/nurse-1'), { chargeId: 'c1:2ad', patient: { birthDate: '1950-01-01' } })).rejects.toMatchObject({
      kind: 'forbidden',
      userMessage: 'Bare den som registrerte gebyret, eller daglig leder, kan kansellere det.',
    });
  });
  test('the GP who registered it, and the daglig leder, get past the check', async () => {
    await expect(cancelCharge(clientAs('Practitioner/gp-1'), { chargeId: 'c1:2ad', patient: { birthDate: '1950-01-01' } })).rejects.toBe(PAST_THE_CHECK);
    await expect(cancelCharge(clientAs('Practitioner/nurse-1'), { chargeId: 'c1:2ad', patient: { birthDate: '1950-01-01' }, practiceManager: true })).rejects.toBe(PAST_THE_CHECK);
  });
});

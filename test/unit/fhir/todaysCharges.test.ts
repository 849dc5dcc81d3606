// Today's team charges view model (SPEC §6): rows with who/what/why in words, the bearer, the patient's
// frikort from Coverage, the fallback when the EPJ hides GP charges, and the egenandel preview.
import type { Account, ChargeItem, Coverage, Resource, ResourceType } from '@medplum/fhirtypes';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { FHIR_BASE } from '../../support/fakeEhr';
import { FakeEpj, type Fault } from '../../support/fakeEpj';
import { pilot2018Catalogue, priceLines } from '../../../src/domain/tariffs';
import { buildTeamCharge } from '../../../src/fhir/builders/charge';
import { COPAY_EXTENSIONS, COPAY_SYSTEMS } from '../../../src/fhir/chargesSystems';
import { createFhirClient, type FhirClient } from '../../../src/fhir/client';
import type { Session } from '../../../src/fhir/session';
import { EXTENSIONS, SYSTEMS } from '../../../src/fhir/systems';
import { chargeRow, exemptionFromCoverage, loadCopayPatient, loadTodaysCharges, previewCopay, rowsFromDecisions } from '../../../src/fhir/todaysCharges';

const DAY = '2026-03-10';
const ADULT = { birthDate: '1950-05-05' };

function ours(contactId: string, code: string, at: string, decision: { charged: number; waived: number; reason?: string }, status: ChargeItem['status'] = 'billable'): ChargeItem {
  const line = priceLines([{ code, quantity: 1 }], pilot2018Catalogue, DAY).lines[0];
  if (!line) throw new Error('no line');
  const item = buildTeamCharge({
    contactId,
    patientId: 'pat-1',
    encounter: { reference: 'Encounter/e-1' },
    account: { reference: 'Account/acc-1' },
    line,
    practitionerId: 'nurse-1',
    occurrence: at,
    enterer: { reference: 'Practitioner/nurse-1' },
    enteredDate: at,
    decision: { id: `${contactId}:${code}`, ...decision },
  });
  return { ...item, id: `ci-${contactId}-${code}`, status };
}

function epjGpCharge(at: string, egenandel: number): ChargeItem {
  return {
    resourceType: 'ChargeItem',
    id: 'gp-charge',
    status: 'billable',
    extension: [{ url: EXTENSIONS.egenandel, valueMoney: { value: egenandel, currency: 'NOK' } }],
    code: { coding: [{ system: SYSTEMS.tariff, code: '2ad' }] },
    subject: { reference: 'Patient/pat-1' },
    occurrenceDateTime: at,
  };
}

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/**
 * The shared fake EPJ holding these resources; `refuse` makes every search of a type answer 403 (or drop the
 * connection); the client is the app's own, one attempt per request. `epj.requests` shows what was asked.
 */
function fakeClient(resources: Resource[], refuse: Partial<Record<ResourceType, Fault>> = {}): FhirClient & { epj: FakeEpj } {
  const epj = new FakeEpj(resources);
  for (const [type, fault] of Object.entries(refuse)) epj.failNext('GET', type, fault, 10);
  server.use(...epj.handlers());
  const session: Session = { launchKind: 'ehr', fhirBaseUrl: FHIR_BASE, accessToken: 't', expiresAt: Number.MAX_SAFE_INTEGER, grantedScopes: [], requestedScopes: [], needPatientBanner: true };
  return Object.assign(createFhirClient(session, { retry: { maxAttempts: 1 } }), { epj });
}

const FORBIDDEN: Fault = { status: 403 };

describe('loadTodaysCharges', () => {
  test('nurse S3 bears the egenandel, the GP 2ad is waived with the reason in words; other days are left out', async () => {
    const client = fakeClient([
        ours('c2', '2ad', `${DAY}T10:00:00+01:00`, { charged: 0, waived: 160, reason: 'SAME_DAY' }),
        ours('c1', 'S3', `${DAY}T09:00:00+01:00`, { charged: 100, waived: 0 }),
        ours('c1', 'S6', `${DAY}T09:00:00+01:00`, { charged: 0, waived: 0 }),
        ours('c0', 'S1a', '2026-03-09T23:30:00+01:00', { charged: 50, waived: 0 }),
    ]);
    const today = await loadTodaysCharges(client, { patientId: 'pat-1', day: DAY, patient: ADULT });
    expect(today.rows.map((r) => [r.code, r.performer, r.charged, r.waived, r.reasonLabel, r.ours])).toEqual([
      ['S3', 'Sykepleier', 100, 0, undefined, true],
      ['S6', 'Sykepleier', 0, 0, undefined, true],
      ['2ad', 'Fastlege', 0, 160, 'Egenandel allerede betalt i dag (teamet)', true],
    ]);
    expect(today.bearerId).toBe('c1:S3');
    expect(today.gpChargesVisible).toBe(true);
    expect(today.exemption).toBeUndefined();
    expect(today.rows[0]?.text).toBe('Hjemmebesøk');
    expect(client.epj.requests).toContain(`GET Account?${new URLSearchParams({ identifier: `${COPAY_SYSTEMS.copayDay}|pat-1:2026-03-10` })}`);
  });

  test("the EPJ's own GP charge: performer from the tariff, settled, bearer", async () => {
    const today = await loadTodaysCharges(fakeClient([epjGpCharge(`${DAY}T08:00:00+01:00`, 160)]), { patientId: 'pat-1', day: DAY, patient: ADULT });
    expect(today.rows).toMatchObject([{ id: 'ChargeItem/gp-charge', code: '2ad', performer: 'Fastlege', ours: false, settled: true, charged: 160 }]);
    expect(today.bearerId).toBe('ChargeItem/gp-charge');
  });

  test('a cancelled charge shows as cancelled and bears nothing', async () => {
    const today = await loadTodaysCharges(fakeClient([ours('c1', 'S3', `${DAY}T09:00:00+01:00`, { charged: 100, waived: 0 }, 'aborted')]), { patientId: 'pat-1', day: DAY, patient: ADULT });
    expect(today.rows[0]).toMatchObject({ cancelled: true, charged: 0, reasonLabel: 'Kansellert' });
    expect(today.bearerId).toBeUndefined();
  });

  test('when the EPJ refuses a patient-wide charge search: the ledger\'s own charges, and the recorded answer', async () => {
    const account: Account = {
      resourceType: 'Account',
      id: 'acc-1',
      status: 'active',
      identifier: [{ system: COPAY_SYSTEMS.copayDay, value: 'pat-1:2026-03-10' }],
      extension: [{ url: COPAY_EXTENSIONS.paidElsewhere, valueBoolean: true }],
    };
    // The patient-wide search is refused once; the ledger's charges are then read by account (Account/acc-1).
    const client = fakeClient([account, ours('c1', 'S1a', `${DAY}T09:00:00+01:00`, { charged: 0, waived: 50, reason: 'SAME_DAY' })]);
    client.epj.failNext('GET', 'ChargeItem', FORBIDDEN);
    const today = await loadTodaysCharges(client, { patientId: 'pat-1', day: DAY, patient: ADULT });
    expect(today.gpChargesVisible).toBe(false);
    expect(today.paidElsewhere).toBe(true);
    expect(today.rows.map((r) => r.code)).toEqual(['S1a']);
  });

  test('a patient under 16 is exempt that day, in words', async () => {
    const today = await loadTodaysCharges(fakeClient([]), { patientId: 'pat-1', day: DAY, patient: { birthDate: '2015-01-01' } });
    expect(today.exemption).toEqual({ code: 'B', label: 'Under 16 år' });
  });
});

describe('frikort from Coverage', () => {
  const frikort: Coverage = {
    resourceType: 'Coverage',
    status: 'active',
    type: { coding: [{ system: SYSTEMS.copayExemption, code: 'F' }] },
    beneficiary: { reference: 'Patient/pat-1' },
    payor: [{ reference: 'Organization/helfo' }],
    period: { start: '2026-02-01', end: '2026-12-31' },
  };

  test.each<[string, Coverage, ReturnType<typeof exemptionFromCoverage>]>([
    ['active frikort', frikort, { code: 'F', from: '2026-02-01', to: '2026-12-31' }],
    ['open-ended', { ...frikort, period: { start: '2026-02-01' } }, { code: 'F', from: '2026-02-01' }],
    ['cancelled', { ...frikort, status: 'cancelled' }, undefined],
    ['another patient', { ...frikort, beneficiary: { reference: 'Patient/pat-2' } }, undefined],
    ['not a Volven 7461 type', { ...frikort, type: { coding: [{ system: 'x', code: 'F' }] } }, undefined],
    ['no start', { ...frikort, period: {} }, undefined],
  ])('%s', (_name, coverage, expected) => {
    expect(exemptionFromCoverage(coverage, 'pat-1')).toEqual(expected);
  });

  test('loadCopayPatient: exemptions known, or not when Coverage is refused', async () => {
    expect(await loadCopayPatient(fakeClient([frikort]), 'pat-1', '1950-05-05')).toEqual({
      patient: { birthDate: '1950-05-05', exemptions: [{ code: 'F', from: '2026-02-01', to: '2026-12-31' }] },
      exemptionsKnown: true,
    });
    expect(await loadCopayPatient(fakeClient([], { Coverage: FORBIDDEN }), 'pat-1', undefined)).toEqual({ patient: {}, exemptionsKnown: false });
    await expect(loadCopayPatient(fakeClient([], { Coverage: 'network' }), 'pat-1', undefined)).rejects.toThrow();
  });
});

describe('rows from a save or cancel result', () => {
  test('performer from the catalogue, reasons in words, sorted by time', () => {
    const rows = rowsFromDecisions([
      { id: 'c2:2ad', code: '2ad', at: `${DAY}T10:00:00+01:00`, ours: true, settled: false, charged: 0, waived: 160, reason: 'SAME_DAY' },
      { id: 'c1:S3', code: 'S3', at: `${DAY}T09:00:00+01:00`, ours: true, settled: false, charged: 100, waived: 0 },
      { id: 'c3:S1a', code: 'S1a', at: `${DAY}T11:00:00+01:00`, ours: true, settled: false, charged: 0, waived: 0, reason: 'CANCELLED' },
    ]);
    expect(rows.map((r) => [r.id, r.performer, r.reasonLabel, r.cancelled])).toEqual([
      ['c1:S3', 'Sykepleier', undefined, false],
      ['c2:2ad', 'Fastlege', 'Egenandel allerede betalt i dag (teamet)', false],
      ['c3:S1a', 'Sykepleier', 'Kansellert', true],
    ]);
    expect(chargeRow({ id: 'x', ours: false, settled: false, charged: 0, waived: 0, performerCategory: 'LE' }).performer).toBe('Fastlege');
    expect(chargeRow({ id: 'x', ours: false, settled: false, charged: 0, waived: 0 }).performer).toBe('Ukjent');
  });
});

describe('previewCopay', () => {
  const empty = { day: DAY, dayCharges: [], gpChargesVisible: true };
  const at = `${DAY}T12:00:00+01:00`;
  test.each<[string, Parameters<typeof previewCopay>[0], { code: string; egenandel: number }[], Parameters<typeof previewCopay>[3], ReturnType<typeof previewCopay>]>([
    ['first of the day pays', empty, [{ code: 'S3', egenandel: 100 }, { code: 'S6', egenandel: 0 }], ADULT, { kind: 'charged', amount: 100 }],
    ['no egenandel on the codes', empty, [{ code: 'S6', egenandel: 0 }], ADULT, { kind: 'none' }],
    [
      'an earlier charge today bears it',
      { ...empty, dayCharges: [{ id: 'c1:S3', at: `${DAY}T09:00:00+01:00`, egenandel: 100 }] },
      [{ code: '2ad', egenandel: 160 }],
      ADULT,
      { kind: 'waived', amount: 160, reasonLabel: 'Egenandel allerede betalt i dag (teamet)' },
    ],
    ['frikort', empty, [{ code: 'S2a', egenandel: 100 }], { ...ADULT, exemptions: [{ code: 'F', from: '2026-01-01' }] }, { kind: 'waived', amount: 100, reasonLabel: 'Frikort' }],
    ['GP charges hidden, not answered', { ...empty, gpChargesVisible: false }, [{ code: 'S2a', egenandel: 100 }], ADULT, { kind: 'unknown' }],
    [
      'GP charges hidden, answered yes',
      { ...empty, gpChargesVisible: false, paidElsewhere: true },
      [{ code: 'S2a', egenandel: 100 }],
      ADULT,
      { kind: 'waived', amount: 100, reasonLabel: 'Egenandel allerede betalt i dag (teamet)' },
    ],
  ])('%s', (_name, today, lines, patient, expected) => {
    expect(previewCopay(today, lines, at, patient)).toEqual(expected);
  });
});

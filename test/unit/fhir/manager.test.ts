// The manager's FHIR edge: ChargeItem -> ChargeRecord (incl. malformed), PractitionerRole -> StaffMember,
// and markClaimed against an in-memory, version-checked fake EPJ (idempotent; retries on 412).
import type { ChargeItem, Patient, Practitioner, PractitionerRole, Resource } from '@medplum/fhirtypes';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { FHIR_BASE } from '../../support/fakeEhr';
import { FakeEpj } from '../../support/fakeEpj';
import { defaultCatalogues } from '../../../src/domain/tariffs';
import { createFhirClient } from '../../../src/fhir/client';
import type { Session } from '../../../src/fhir/session';
import { markClaimed, tariffNorms } from '../../../src/fhir/manager';
import { claimMarkOf, toChargeRecord, withClaimMark, type ChargeReadContext } from '../../../src/fhir/managerCharges';
import { groupByPatient, toPopulation } from '../../../src/fhir/managerPopulation';
import { toStaffMembers } from '../../../src/fhir/managerStaff';
import { MANAGER_EXTENSIONS, MANAGER_SYSTEMS } from '../../../src/fhir/managerSystems';
import { EXTENSIONS, SYSTEMS } from '../../../src/fhir/systems';

const AT = '2026-03-10T09:00:00+01:00';
const ctx: ChargeReadContext = { staffRoles: new Map([['nurse-1', 'nurse'], ['gp-1', 'gp']]), catalogues: defaultCatalogues };

function charge(over: Partial<ChargeItem> = {}): ChargeItem {
  return {
    resourceType: 'ChargeItem',
    id: 'ci-1',
    meta: { versionId: '1' },
    identifier: [{ system: SYSTEMS.chargeId, value: 'c1:S2a' }],
    status: 'billable',
    code: { coding: [{ system: SYSTEMS.tariff, code: 'S2a' }] },
    subject: { reference: 'Patient/pat-1' },
    context: { reference: 'Encounter/c1' },
    occurrenceDateTime: AT,
    performer: [{ function: { coding: [{ system: SYSTEMS.healthPersonnelCategory, code: 'SP' }] }, actor: { reference: 'Practitioner/nurse-1' } }],
    quantity: { value: 1 },
    priceOverride: { value: 152, currency: 'NOK' },
    extension: [{ url: EXTENSIONS.egenandel, extension: [{ url: 'charged', valueMoney: { value: 100 } }, { url: 'tariff', valueMoney: { value: 100 } }] }],
    ...over,
  };
}

describe('toChargeRecord', () => {
  test('a well-formed nurse charge: amounts, role from PractitionerRole, contact from context, unclaimed', () => {
    const { record, issues } = toChargeRecord(charge(), ctx);
    expect(issues).toEqual([]);
    expect(record).toEqual({
      id: 'c1:S2a', code: 'S2a', at: AT, patientId: 'pat-1', performerId: 'nurse-1', performerRole: 'nurse', quantity: 1,
      honorar: 152, egenandelCharged: 100, refusjon: 52, cancelled: false, contactId: 'c1',
    });
  });

  test.each([
    ['exempt (Volven 7461 B): refusjon = honorar', { charged: 0, reason: 'B' }, { egenandelCharged: 0, refusjon: 152, waiverReason: 'B' }],
    ['same day: the practice absorbs the egenandel', { charged: 0, reason: 'SAME_DAY' }, { egenandelCharged: 0, refusjon: 52, waiverReason: 'SAME_DAY' }],
  ])('%s', (_name, c, expected) => {
    const item = charge({
      extension: [
        { url: EXTENSIONS.egenandel, extension: [{ url: 'charged', valueMoney: { value: c.charged } }, { url: 'tariff', valueMoney: { value: 100 } }] },
        { url: EXTENSIONS.egenandelWaiverReason, valueCodeableConcept: { coding: [{ code: c.reason }] } },
      ],
    });
    expect(toChargeRecord(item, ctx).record).toMatchObject(expected);
  });

  test('claimed: the claim mark, or status billed without one (claimed outside the app)', () => {
    const marked = withClaimMark(charge(), { reference: 'Practitioner/gp-2' }, '2026-03-20T10:00:00+01:00');
    expect(marked.status).toBe('billed');
    expect(claimMarkOf(marked)).toEqual({ at: '2026-03-20T10:00:00+01:00', byId: 'gp-2' });
    expect(toChargeRecord(marked, ctx).record?.claimedAt).toBe('2026-03-20T10:00:00+01:00');
    const billed = charge({ status: 'billed', meta: { versionId: '3', lastUpdated: '2026-03-15T12:00:00Z' } });
    expect(toChargeRecord(billed, ctx).record?.claimedAt).toBe('2026-03-15T12:00:00Z');
  });

  test('cancelled after claim keeps the claim: cancelled, claimedAt, no egenandel, no refusjon', () => {
    const cancelled = { ...withClaimMark(charge(), { reference: 'Practitioner/gp-2' }, '2026-03-20T10:00:00+01:00'), status: 'aborted' as const };
    expect(toChargeRecord(cancelled, ctx).record).toMatchObject({ cancelled: true, claimedAt: '2026-03-20T10:00:00+01:00', egenandelCharged: 0, refusjon: 0 });
  });

  test('the EPJ seed shape: no priceOverride (honorar from the catalogue), role from PractitionerRole, no identifier', () => {
    const seed = charge({ identifier: undefined, priceOverride: undefined, performer: [{ actor: { reference: 'Practitioner/gp-1' } }], code: { coding: [{ system: SYSTEMS.tariff, code: 'S1a' }] }, quantity: { value: 2 } });
    expect(toChargeRecord(seed, ctx).record).toMatchObject({ id: 'ChargeItem/ci-1', performerRole: 'gp', honorar: 138, quantity: 2 });
  });

  test.each([
    ['no service time', charge({ occurrenceDateTime: undefined }), false, 'error'],
    ['no code', charge({ code: { coding: [] } }), false, 'error'],
    ['no patient', charge({ subject: { reference: 'Group/g1' } }), false, 'error'],
    ['no performer', charge({ performer: [] }), true, 'warning'],
    ['unknown code without honorar', charge({ code: { coding: [{ code: 'ZZ9' }] }, priceOverride: undefined }), true, 'warning'],
    ['negative quantity', charge({ quantity: { value: -1 } }), true, 'warning'],
  ])('malformed (%s): reported, never thrown', (_name, item, kept, severity) => {
    const { record, issues } = toChargeRecord(item, ctx);
    expect(record !== undefined).toBe(kept);
    expect(issues.some((i) => i.severity === severity && i.resourceType === 'ChargeItem' && i.id === 'ci-1')).toBe(true);
  });

  test('a performer without a known role falls back to the charge\'s own Volven 9060 function, then unknown', () => {
    const other = charge({ performer: [{ function: { coding: [{ system: SYSTEMS.healthPersonnelCategory, code: 'LE' }] }, actor: { reference: 'Practitioner/locum' } }] });
    expect(toChargeRecord(other, ctx).record?.performerRole).toBe('gp');
    expect(toChargeRecord(charge({ performer: [{ actor: { reference: 'Practitioner/locum' } }] }), ctx).record?.performerRole).toBe('unknown');
  });
});

describe('toStaffMembers', () => {
  const practitioner = (id: string, qualification?: Practitioner['qualification']): Practitioner => ({ resourceType: 'Practitioner', id, name: [{ given: ['Ane'], family: id }], ...(qualification ? { qualification } : {}) });
  const role = (id: string, code: string, percent?: number, active = true): PractitionerRole => ({
    resourceType: 'PractitionerRole',
    id: `role-${id}`,
    active,
    practitioner: { reference: `Practitioner/${id}` },
    code: [{ coding: [{ system: SYSTEMS.healthPersonnelCategory, code }] }],
    ...(percent === undefined ? {} : { extension: [{ url: EXTENSIONS.positionPercent, valueDecimal: percent }] }),
  });
  test('role, position, specialisation valid on the date; missing or invalid position is 100 % with a warning', () => {
    const spec = [{ code: { coding: [{ system: MANAGER_SYSTEMS.specialty, code: '1' }] }, period: { start: '2020-01-01' } }];
    const expired = [{ code: { coding: [{ system: MANAGER_SYSTEMS.specialty, code: '1' }] }, period: { end: '2025-12-31' } }];
    const read = toStaffMembers(
      [practitioner('a', spec), practitioner('b'), practitioner('c', expired), practitioner('d'), practitioner('e')],
      [role('a', 'LE', 80), role('b', 'SP'), role('c', 'SP', 150), role('d', 'HE', 50, false), role('e', 'XX', 50)],
      '2026-03-31',
    );
    expect(read.staff.map((s) => [s.id, s.role, s.positionPercent, s.specialised])).toEqual([
      ['a', 'gp', 80, true],
      ['b', 'nurse', 100, false],
      ['c', 'nurse', 100, false],
    ]);
    expect(read.issues.map((i) => i.id)).toEqual(['role-b', 'role-c']);
    expect(read.roles.get('b')).toBe('nurse');
  });
});

describe('population', () => {
  test('groups by subject, skips inactive and deceased patients, names for drill-down', () => {
    const patients: Patient[] = [
      { resourceType: 'Patient', id: 'p1', name: [{ given: ['Ola'], family: 'Nordmann' }], birthDate: '1950-01-01' },
      { resourceType: 'Patient', id: 'p2', deceasedBoolean: true },
      { resourceType: 'Patient', id: 'p3', active: false },
    ];
    const related: Resource[] = [
      { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/p1' }, clinicalStatus: { coding: [{ code: 'active' }] }, code: { coding: [{ system: SYSTEMS.icpc2, code: 'T90' }] } },
      { resourceType: 'Condition', id: 'c2', subject: { reference: 'Group/x' } },
    ];
    expect([...groupByPatient(related).keys()]).toEqual(['p1']);
    const pop = toPopulation(patients, related, '2026-03-31');
    expect(pop.members.map((m) => m.id)).toEqual(['p1']);
    expect(pop.members[0]?.facts.conditions).toHaveLength(1);
    expect(pop.names).toEqual({ p1: 'Ola Nordmann' });
  });
});

test('tariffNorms maps the catalogue in force (Table 1) to the manager norms', () => {
  const { norms, egenandelIsDemo } = tariffNorms(defaultCatalogues, '2026-03-31');
  expect(norms.find((n) => n.code === 'S2a')).toEqual({ code: 'S2a', text: 'Oppfølging hos sykepleier', profession: 'nurse', expectedPerYear: 1380 });
  expect(egenandelIsDemo).toBe(true);
});

// ---------------------------------------------------------------------------------------------
// markClaimed against the shared fake EPJ (test/support/fakeEpj.ts): If-Match enforced, scripted conflicts.

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function fakeEpj(items: ChargeItem[], conflicts: Record<string, number> = {}) {
  const epj = new FakeEpj(items);
  // Someone else wrote meanwhile: the next `conflicts[id]` updates of a charge find a newer version.
  epj.beforeWrite = (key, fake) => {
    const id = key.split('/')[1] ?? '';
    const current = fake.store.get(key);
    if (!current || (conflicts[id] ?? 0) <= 0) return;
    conflicts[id] = (conflicts[id] ?? 0) - 1;
    fake.store.set(key, { ...current, meta: { ...current.meta, versionId: String(Number(current.meta?.versionId ?? '1') + 1) } });
  };
  server.use(...epj.handlers());
  const session: Session = { launchKind: 'standalone', fhirBaseUrl: FHIR_BASE, accessToken: 't', expiresAt: Number.MAX_SAFE_INTEGER, grantedScopes: [], requestedScopes: [], needPatientBanner: false };
  return {
    client: createFhirClient(session, { sleep: async () => undefined }),
    store: { get: (id: string) => epj.store.get(`ChargeItem/${id}`) as ChargeItem | undefined },
    get writes() {
      return epj.requests.filter((r) => r.startsWith('PUT '));
    },
  };
}

describe('markClaimed', () => {
  const by = { reference: 'Practitioner/gp-2' };
  const items = [charge({ id: 'a' }), charge({ id: 'b' }), charge({ id: 'c', status: 'aborted' }), charge({ id: 'd', status: 'billed' })];

  test('marks the billable ones (status billed + who/when), leaves cancelled and billed; again writes nothing', async () => {
    const epj = fakeEpj(items);
    const progress: number[] = [];
    const first = await markClaimed(epj.client, ['a', 'b', 'c', 'd', 'a'], by, { now: '2026-03-20T10:00:00+01:00', onProgress: (p) => progress.push(p.done) });
    expect(first).toEqual({ marked: ['a', 'b'], unchanged: ['c', 'd'], failed: [] });
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(epj.store.get('a')?.status).toBe('billed');
    expect(epj.store.get('a')?.extension?.find((e) => e.url === MANAGER_EXTENSIONS.claimMarked)?.extension).toEqual([
      { url: 'at', valueDateTime: '2026-03-20T10:00:00+01:00' },
      { url: 'by', valueReference: { reference: 'Practitioner/gp-2' } },
    ]);
    const writes = epj.writes.length;
    const again = await markClaimed(epj.client, ['a', 'b', 'c', 'd'], by);
    expect(again).toEqual({ marked: [], unchanged: ['a', 'b', 'c', 'd'], failed: [] });
    expect(epj.writes.length).toBe(writes);
  });

  test('a 412 re-reads and retries; a charge gone is reported, not fatal', async () => {
    const epj = fakeEpj(items, { a: 2 });
    const result = await markClaimed(epj.client, ['a', 'missing'], by);
    expect(result.marked).toEqual(['a']);
    expect(result.failed.map((f) => f.id)).toEqual(['missing']);
  });
});

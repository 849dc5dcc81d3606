// ChargeItem -> DayCharge mapping (tolerant), the decision diff, and the ledger loop against an in-memory
// fake EPJ whose transactions are atomic and version-checked, with scripted network failures before and
// AFTER commit (SPEC §6).
import type { Bundle, ChargeItem, ExtractResource, Resource, ResourceType } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { cancelCharge } from '../../../src/fhir/chargesCancel';
import { changedDecisions, decisionView, readTeamCharge, storedDecision, toDayCharge } from '../../../src/fhir/charges';
import { isResourceOfType } from '../../../src/fhir/clientGuards';
import type { FhirClient, SearchParams } from '../../../src/fhir/client';
import { registerContact, overrideReasonFor, type RegisterContactInput } from '../../../src/fhir/contacts';
import { FhirError } from '../../../src/fhir/errors';
import { EXTENSIONS, SYSTEMS } from '../../../src/fhir/systems';

const AT = '2026-03-10T09:00:00+01:00';

function item(over: Partial<ChargeItem> = {}): ChargeItem {
  return { resourceType: 'ChargeItem', id: 'ci-1', status: 'billable', code: { coding: [{ system: SYSTEMS.tariff, code: '2ad' }] }, subject: { reference: 'Patient/pat-1' }, occurrenceDateTime: AT, ...over };
}

describe('readTeamCharge', () => {
  test('the EPJ seed shape: plain valueMoney, valueCoding waiver, no identifier -> foreign, settled when charged', () => {
    const read = readTeamCharge(item({ extension: [{ url: EXTENSIONS.egenandel, valueMoney: { value: 160, currency: 'NOK' } }] }));
    expect(read.issues).toEqual([]);
    expect(read.charge).toMatchObject({ id: 'ChargeItem/ci-1', ours: false, code: '2ad', tariffEgenandel: 160, charged: 160, settled: true, patientId: 'pat-1' });
    const exempt = readTeamCharge(item({ extension: [{ url: EXTENSIONS.egenandel, valueMoney: { value: 0, currency: 'NOK' } }, { url: EXTENSIONS.egenandelWaiverReason, valueCoding: { system: SYSTEMS.copayExemption, code: 'B' } }] }));
    expect(exempt.charge).toMatchObject({ charged: 0, tariffEgenandel: 0, waiverReason: 'B', settled: false });
  });
  test.each([
    ['no time', item({ occurrenceDateTime: undefined }), 'error', false],
    ['a date only', item({ occurrenceDateTime: '2026-03-10' }), 'error', false],
    ['no id at all', item({ id: undefined }), 'error', false],
    ['no egenandel, unknown code', item({ code: { coding: [{ code: 'ZZ' }] } }), 'warning', true],
    ['negative egenandel', item({ extension: [{ url: EXTENSIONS.egenandel, extension: [{ url: 'charged', valueMoney: { value: -5 } }, { url: 'tariff', valueMoney: { value: -5 } }] }] }), 'error', true],
  ])('malformed (%s) gives an issue and never throws', (_case, input, severity, kept) => {
    const read = readTeamCharge(input);
    expect(read.issues[0]?.severity).toBe(severity);
    expect(read.charge !== undefined).toBe(kept);
  });
  test('missing egenandel falls back to the catalogue lookup', () => {
    expect(readTeamCharge(item(), { tariffEgenandel: (code) => (code === '2ad' ? 160 : undefined) }).charge?.tariffEgenandel).toBe(160);
  });
  test('cancelled: aborted and entered-in-error; a stored A is a charge-level exemption, B/F/SAME_DAY are decided anew', () => {
    for (const status of ['aborted', 'entered-in-error'] as const) expect(readTeamCharge(item({ status })).charge?.cancelled).toBe(true);
    const withReason = (code: string) =>
      readTeamCharge(item({ identifier: [{ system: SYSTEMS.chargeId, value: 'c:S1a' }], extension: [{ url: EXTENSIONS.egenandel, extension: [{ url: 'charged', valueMoney: { value: 0 } }, { url: 'tariff', valueMoney: { value: 50 } }] }, { url: EXTENSIONS.egenandelWaiverReason, valueCodeableConcept: { coding: [{ code }] } }] })).charge;
    expect(toDayCharge(withReason('A')!)).toEqual({ id: 'c:S1a', at: AT, egenandel: 50, exemptReason: 'A' });
    expect(toDayCharge(withReason('SAME_DAY')!)).toEqual({ id: 'c:S1a', at: AT, egenandel: 50 });
    expect(storedDecision(withReason('SAME_DAY')!)).toEqual({ id: 'c:S1a', charged: 0, waived: 50, reason: 'SAME_DAY' });
  });
});

describe('decision diff and views', () => {
  const ours = readTeamCharge(item({ identifier: [{ system: SYSTEMS.chargeId, value: 'c:S1a' }], priceOverride: { value: 69 }, extension: [{ url: EXTENSIONS.egenandel, extension: [{ url: 'charged', valueMoney: { value: 50 } }, { url: 'tariff', valueMoney: { value: 50 } }] }] })).charge!;
  test.each([
    [{ id: 'c:S1a', charged: 50, waived: 0 }, 0],
    [{ id: 'c:S1a', charged: 0, waived: 50, reason: 'SAME_DAY' }, 1],
    [{ id: 'other', charged: 0, waived: 0 }, 0],
  ])('%j -> %i changes', (decision, n) => {
    expect(changedDecisions([ours], [decision])).toHaveLength(n);
  });
  test('view: Norwegian label and refusjon after the decision', () => {
    expect(decisionView({ id: 'c:S1a', charged: 0, waived: 50, reason: 'SAME_DAY' }, ours)).toMatchObject({ reasonLabel: 'Egenandel allerede betalt i dag (teamet)', refusjon: 19, code: '2ad' });
    expect(decisionView({ id: 'c:S1a', charged: 0, waived: 50, reason: 'F' }, ours).refusjon).toBe(69);
  });
  test('overrideReason records what changed from the suggestion', () => {
    expect(overrideReasonFor({ suggested: [{ code: 'S2a', quantity: 1 }], lines: [{ code: 'S2a', quantity: 1 }] })).toBeUndefined();
    expect(overrideReasonFor({ suggested: [{ code: 'S2a', quantity: 1 }], lines: [{ code: 'S1a', quantity: 1 }], overrideReason: 'Kort samtale' })).toBe('Foreslått S2a; valgt S1a. Kort samtale');
  });
});

// ---------------------------------------------------------------------------------------------------
// A fake EPJ: atomic, version-checked transactions; conditional creates on identifier; scripted faults.

type Fault = 'before' | 'after';

class FakeEpj {
  resources = new Map<string, Resource>();
  private seq = 0;
  faults: Fault[] = [];
  transactions = 0;
  refusePatientSearch = false;

  all<K extends ResourceType>(type: K): ExtractResource<K>[] {
    return [...this.resources.values()].filter((r): r is ExtractResource<K> => isResourceOfType(r, type));
  }

  byIdentifier(type: string, token: string): Resource | undefined {
    const [system, value] = [token.slice(0, token.indexOf('|')), token.slice(token.indexOf('|') + 1)];
    return [...this.resources.values()].find(
      (r) => r.resourceType === type && 'identifier' in r && Array.isArray(r.identifier) && r.identifier.some((i: { system?: string; value?: string }) => i.system === system && i.value === value),
    );
  }

  put<T extends Resource>(resource: T, store = this.resources): T {
    const id = resource.id ?? `r${++this.seq}`;
    const prev = store.get(`${resource.resourceType}/${id}`);
    const stored = { ...structuredClone(resource), id, meta: { ...resource.meta, versionId: String(Number(prev?.meta?.versionId ?? 0) + 1) } };
    store.set(`${resource.resourceType}/${id}`, stored);
    return stored;
  }

  client(fhirUser = 'Practitioner/nurse-1'): FhirClient {
    return fakeClient(this, fhirUser);
  }
}

function fakeClient(epj: FakeEpj, fhirUser: string): FhirClient {
  const unsupported = () => Promise.reject(new Error('not in the fake'));
  return {
    session: { launchKind: 'ehr', fhirBaseUrl: 'http://fake/fhir', accessToken: 't', expiresAt: Date.now() + 3_600_000, grantedScopes: ['user/ChargeItem.crus', 'user/Account.crus', 'user/Encounter.crus'], requestedScopes: [], needPatientBanner: true, fhirUser },
    async read(type, id) {
      const r = epj.resources.get(`${type}/${id}`);
      if (r && isResourceOfType(r, type)) return structuredClone(r);
      throw new FhirError({ kind: 'not-found', status: 404 });
    },
    async searchAll(type, params?: SearchParams) {
      if (params?.patient && epj.refusePatientSearch) throw new FhirError({ kind: 'forbidden', status: 403 });
      const identifier = typeof params?.identifier === 'string' ? params.identifier : undefined;
      return epj.all(type).filter((r) => (identifier ? epj.byIdentifier(type, identifier) === r : true)).map((r) => structuredClone(r));
    },
    async conditionalCreate(resource, ifNoneExist) {
      const existing = epj.byIdentifier(resource.resourceType, String(ifNoneExist.identifier));
      if (existing && existing.resourceType === resource.resourceType) return { resource: { ...resource, ...structuredClone(existing) }, created: false };
      return { resource: epj.put(resource), created: true };
    },
    async transaction(bundle: Bundle) {
      epj.transactions++;
      const fault = epj.faults.shift();
      if (fault === 'before') throw new FhirError({ kind: 'network' });
      const draft = new Map(epj.resources);
      for (const entry of bundle.entry ?? []) {
        const { request, resource } = entry;
        if (!request || !resource) continue;
        if (request.method === 'PUT') {
          const current = draft.get(request.url);
          if (request.ifMatch && request.ifMatch !== `W/"${current?.meta?.versionId}"`) throw new FhirError({ kind: 'conflict', status: 412 });
          epj.put(resource, draft);
        } else {
          const token = new URLSearchParams(request.ifNoneExist).get('identifier') ?? '';
          const saved = [...draft.values()];
          const found = saved.find((r) => r.resourceType === resource.resourceType && JSON.stringify(r).includes(JSON.stringify(token.slice(token.indexOf('|') + 1))));
          // (urn:uuid references are left as they are: nothing here reads them.)
          if (!found) epj.put(resource, draft);
        }
      }
      epj.resources = draft;
      if (fault === 'after') throw new FhirError({ kind: 'network' });
      return { resourceType: 'Bundle', type: 'transaction-response', entry: (bundle.entry ?? []).map(() => ({ response: { status: '200' } })) };
    },
    searchPage: unsupported,
    nextPage: unsupported,
    create: unsupported,
    update: unsupported,
    batch: unsupported,
  };
}

const FAST = { sleep: async () => undefined, random: () => 0.5 };

function input(contactId: string, time: string, over: Partial<RegisterContactInput> = {}): RegisterContactInput {
  return { contactId, patientId: 'pat-1', practitionerId: 'nurse-1', kind: 'simple', start: `2026-03-10T${time}:00+01:00`, lines: [{ code: 'S1a', quantity: 1 }], patient: { birthDate: '1950-01-01' }, ...over };
}

describe('registerContact against a fake EPJ', () => {
  test('a network failure AFTER commit: the resend conflicts, the re-read finds its own charge, nothing duplicated', async () => {
    const epj = new FakeEpj();
    epj.faults = ['after'];
    const result = await registerContact(epj.client(), input('c1', '09:00'), FAST);
    expect(result.status).toBe('saved');
    if (result.status !== 'saved') return;
    expect(result.stats).toMatchObject({ attempts: 2, transientRetries: 1, conflicts: 1, reads: 2 });
    expect(epj.all('ChargeItem')).toHaveLength(1);
    expect(epj.all('Encounter')).toHaveLength(1);
    expect(result.bearer).toBe('c1:S1a');
  });

  test('a network failure BEFORE commit: the same transaction is sent again and succeeds', async () => {
    const epj = new FakeEpj();
    epj.faults = ['before', 'before'];
    const result = await registerContact(epj.client(), input('c1', '09:00'), FAST);
    expect(result.stats).toMatchObject({ attempts: 3, transientRetries: 2, conflicts: 0 });
    expect(epj.all('ChargeItem')).toHaveLength(1);
  });

  test('an earlier contact registered later takes the egenandel: the old bearer is rewritten to SAME_DAY in the same transaction', async () => {
    const epj = new FakeEpj();
    const client = epj.client();
    await registerContact(client, input('late', '14:00'), FAST);
    const result = await registerContact(client, input('early', '08:00'), FAST);
    if (result.status !== 'saved') throw new Error(result.status);
    expect(result.bearer).toBe('early:S1a');
    expect(epj.transactions).toBe(2);
    const late = epj.all('ChargeItem').find((c) => c.identifier?.[0]?.value === 'late:S1a');
    expect(readTeamCharge(late!).charge).toMatchObject({ charged: 0, waiverReason: 'SAME_DAY' });
  });

  test('gives up after the attempt budget with a conflict FhirError, never a duplicate', async () => {
    const epj = new FakeEpj();
    epj.faults = Array.from({ length: 10 }, () => 'before' as const);
    await expect(registerContact(epj.client(), input('c1', '09:00'), { ...FAST, maxAttempts: 3 })).rejects.toMatchObject({ kind: 'conflict' });
    expect(epj.all('ChargeItem')).toHaveLength(0);
  });

  test('a refused patient-wide search falls back to the ledger and asks the nurse', async () => {
    const epj = new FakeEpj();
    epj.refusePatientSearch = true;
    const result = await registerContact(epj.client(), input('c1', '09:00'), FAST);
    expect(result.status).toBe('needs-answer');
    const answered = await registerContact(epj.client(), input('c1', '09:00', { paidElsewhereToday: false }), FAST);
    expect(answered.status === 'saved' && answered.bearer).toBe('c1:S1a');
  });

  test('a user without fhirUser cannot write', async () => {
    await expect(registerContact(new FakeEpj().client(''), input('c1', '09:00'), FAST)).rejects.toMatchObject({ kind: 'forbidden' });
  });

  test('cancelCharge: the next in line becomes the bearer', async () => {
    const epj = new FakeEpj();
    const client = epj.client();
    await registerContact(client, input('a', '08:00'), FAST);
    await registerContact(client, input('b', '09:00'), FAST);
    const result = await cancelCharge(client, { chargeId: 'a:S1a', patient: { birthDate: '1950-01-01' } }, FAST);
    expect(result).toMatchObject({ cancelled: true, bearer: 'b:S1a', refunds: [] });
    expect(result.day.find((d) => d.id === 'a:S1a')).toMatchObject({ reason: 'CANCELLED', reasonLabel: 'Kansellert' });
  });
});

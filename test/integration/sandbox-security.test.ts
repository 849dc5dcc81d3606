// Issue 12, authorization holes in the sandbox FHIR server: patient compartment from the Patient
// CompartmentDefinition (item 2), PATCH checked before it runs (item 3), history per version (item 4),
// and paging cursors bound to the grant (item 12). Token pA holds patient/*.cruds for Patient/pA.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Bundle, ChargeItem, Condition, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { issueText, startFhir, type Started } from './sandbox-http';

let s: Started;

const chargeItemForB: ChargeItem = {
  resourceType: 'ChargeItem',
  id: 'ci-b',
  status: 'billable',
  code: { coding: [{ system: 'urn:test:takst', code: 'egenandel' }] },
  subject: { reference: 'Patient/pB' },
  priceOverride: { value: 160, currency: 'NOK' },
  // Mentions pA, but not in a compartment parameter (ChargeItem: subject only).
  enterer: { reference: 'Patient/pA' },
};

beforeAll(async () => {
  s = await startFhir();
  await s.fhir.store.bulkLoad([
    { resourceType: 'Patient', id: 'pA', name: [{ family: 'Aas' }] },
    { resourceType: 'Patient', id: 'pB', name: [{ family: 'Berg' }], birthDate: '1980-05-17' },
    chargeItemForB,
  ]);
});
afterAll(async () => {
  await s.stop();
});

describe('item 2: compartment membership from the CompartmentDefinition', () => {
  test('a ChargeItem for B that mentions A elsewhere cannot be created, read, searched or overwritten by A', async () => {
    const before = s.fhir.store.count('ChargeItem');
    const planted = { ...chargeItemForB, id: undefined, performer: [{ actor: { reference: 'Patient/pA' } }], extension: [{ url: 'urn:x', valueReference: { reference: 'Patient/pA' } }] };
    const created = await s.call<OperationOutcome>('POST', 'ChargeItem', { token: 'pA', body: planted });
    expect(created.status).toBe(403);
    expect(created.body.resourceType).toBe('OperationOutcome');
    expect(s.fhir.store.count('ChargeItem')).toBe(before);

    expect((await s.call('GET', 'ChargeItem/ci-b', { token: 'pA' })).status).toBe(403);
    const search = await s.call<Bundle>('GET', 'ChargeItem', { token: 'pA' });
    expect(search.body.entry ?? []).toEqual([]);
    const put = await s.call('PUT', 'ChargeItem/ci-b', { token: 'pA', body: { ...chargeItemForB, priceOverride: { value: 0, currency: 'NOK' } } });
    expect(put.status).toBe(403);
    const stored = (await s.fhir.store.search<ChargeItem>('ChargeItem', { _id: 'ci-b' }))[0];
    expect(stored?.priceOverride?.value).toBe(160);
  });

  test('an Encounter for B naming A in an extension is refused; one for A is accepted', async () => {
    const forB = { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'Patient/pB' }, extension: [{ url: 'urn:x', valueReference: { reference: 'Patient/pA' } }] };
    expect((await s.call('POST', 'Encounter', { token: 'pA', body: forB })).status).toBe(403);
    const forA = { ...forB, subject: { reference: 'Patient/pA' }, extension: undefined };
    expect((await s.call('POST', 'Encounter', { token: 'pA', body: forA })).status).toBe(201);
  });

  test('a write may not reach into another patient\'s compartment through a second compartment parameter', async () => {
    // Observation is in A's compartment through performer, but it is about B (subject): refused.
    const obs = { resourceType: 'Observation', status: 'final', code: { text: 'BT' }, subject: { reference: 'Patient/pB' }, performer: [{ reference: 'Patient/pA' }] };
    const res = await s.call<OperationOutcome>('POST', 'Observation', { token: 'pA', body: obs });
    expect(res.status).toBe(403);
    expect(issueText(res.body)).toContain('Patient/pB');
  });
});

describe('item 3: PATCH checks access on the stored resource first', () => {
  test('a JSON Patch test on another patient\'s resource answers like a missing one, without the value', async () => {
    const probe = (id: string) =>
      s.call<OperationOutcome>('PATCH', `Patient/${id}`, {
        token: 'pA',
        raw: JSON.stringify([{ op: 'test', path: '/birthDate', value: '1900-01-01' }]),
        headers: { 'content-type': 'application/json-patch+json' },
      });
    const foreign = await probe('pB');
    const missing = await probe('finnes-ikke');
    expect(foreign.text).not.toContain('1980');
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(foreign.status);
    expect(foreign.body.resourceType).toBe('OperationOutcome');
    // Same answer apart from the id in the text.
    expect(foreign.text.replace('pB', 'X')).toBe(missing.text.replace('finnes-ikke', 'X'));
  });

  test('a patch that succeeds is still checked after: A cannot move its own resource to B', async () => {
    const own = await s.call<Condition>('POST', 'Condition', { token: 'pA', body: { resourceType: 'Condition', subject: { reference: 'Patient/pA' }, code: { text: 'T90' } } });
    expect(own.status).toBe(201);
    const moved = await s.call('PATCH', `Condition/${own.body.id}`, {
      token: 'pA',
      raw: JSON.stringify([{ op: 'replace', path: '/subject/reference', value: 'Patient/pB' }]),
      headers: { 'content-type': 'application/json-patch+json' },
    });
    expect(moved.status).toBe(403);
  });
});

describe('item 4: history checks every version', () => {
  test('older versions that belonged to another patient are left out', async () => {
    const v1 = await s.call<Condition>('POST', 'Condition', { body: { resourceType: 'Condition', subject: { reference: 'Patient/pB' }, code: { text: 'Hemmelig for B' } } });
    expect(v1.status).toBe(201);
    const v2 = await s.call<Condition>('PUT', `Condition/${v1.body.id}`, { body: { ...v1.body, subject: { reference: 'Patient/pA' }, code: { text: 'A sin' } } });
    expect(v2.status).toBe(200);
    const history = await s.call<Bundle<Resource>>('GET', `Condition/${v1.body.id}/_history`, { token: 'pA' });
    expect(history.status).toBe(200);
    expect(history.body.entry?.map((e) => e.resource?.meta?.versionId)).toEqual(['2']);
    expect(history.text).not.toContain('Hemmelig');
    expect((await s.call('GET', `Condition/${v1.body.id}/_history/1`, { token: 'pA' })).status).toBe(403);
  });
});

describe('item 12: paging cursors are bound to the grant', () => {
  test('a cursor made for one token cannot be used by a token with other scopes; no total leaks', async () => {
    const first = await s.call<Bundle>('GET', 'Patient?_count=1');
    const next = first.body.link?.find((l) => l.relation === 'next')?.url;
    expect(next).toBeDefined();
    expect((await s.call<Bundle>('GET', next ?? '')).status).toBe(200);
    const other = await s.call<Bundle>('GET', next ?? '', { token: 'narrow' });
    expect(other.status).toBe(410);
    expect(other.body.resourceType).toBe('OperationOutcome');
    expect(other.text).not.toContain('total');
  });
});

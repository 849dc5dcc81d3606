// The sandbox's two EPJ profiles (issue 16 item 1) over real HTTP: the same requests against `full` and
// `narrow`, each answered as the profile promises, and the CapabilityStatement saying exactly that.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Bundle, CapabilityStatement, OperationOutcome } from '@medplum/fhirtypes';
import { startFhir, type Started } from './sandbox-http';
import { FULL_PROFILE, type EpjProfile } from '../../sandbox/fhir/epjProfile';

const NARROW: EpjProfile = { name: 'narrow', optional: [] };
const NARROW_MED: EpjProfile = { name: 'narrow', optional: ['MedicationStatement'] };

let s: Started;
beforeAll(async () => {
  s = await startFhir();
  await s.fhir.store.bulkLoad([
    { resourceType: 'Patient', id: 'p1', birthDate: '1940-01-01' },
    { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/p1' }, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icpc-2', code: 'T90' }] } },
    { resourceType: 'MedicationStatement', id: 'm1', status: 'active', subject: { reference: 'Patient/p1' }, medicationCodeableConcept: { coding: [{ system: 'http://www.whocc.no/atc', code: 'A10BA02' }] } },
    { resourceType: 'Task', id: 't1', status: 'requested', intent: 'order', for: { reference: 'Patient/p1' } },
  ]);
});
afterAll(async () => {
  s.fhir.setProfile(FULL_PROFILE);
  await s.stop();
});

const note = { resourceType: 'DocumentReference', status: 'current', subject: { reference: 'Patient/p1' }, content: [{ attachment: { contentType: 'text/plain', data: 'SGVp' } }] };
const transaction: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Basic', code: { text: 'x' } }, request: { method: 'POST', url: 'Basic' } }] };
const readBatch = (url: string): Bundle => ({ resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url } }] });

interface Case {
  what: string;
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  full: number;
  narrow: number;
  /** Words the narrow refusal's text must contain. */
  says?: string;
}

// Expected statuses written from the profile's definition (sandbox/fhir/epjProfile.ts header, issue 16).
const CASES: Case[] = [
  { what: 'read Patient', method: 'GET', path: 'Patient/p1', full: 200, narrow: 200 },
  { what: 'search Condition', method: 'GET', path: 'Condition?patient=p1', full: 200, narrow: 200 },
  { what: 'search MedicationStatement (optional, off)', method: 'GET', path: 'MedicationStatement?patient=p1', full: 200, narrow: 404, says: 'MedicationStatement' },
  { what: 'POST _search Task', method: 'POST', path: 'Task/_search', full: 200, narrow: 404, says: 'Task' },
  { what: '_include', method: 'GET', path: 'Condition?patient=p1&_include=Condition:subject', full: 200, narrow: 400, says: '_include' },
  { what: '_revinclude', method: 'GET', path: 'Patient?_id=p1&_revinclude=Condition:subject', full: 200, narrow: 400, says: '_revinclude' },
  { what: 'create DocumentReference (journal note)', method: 'POST', path: 'DocumentReference', body: note, full: 201, narrow: 201 },
  { what: 'create Binary', method: 'POST', path: 'Binary', body: { resourceType: 'Binary', contentType: 'text/plain', data: 'SGVp' }, full: 201, narrow: 201 },
  { what: 'create Flag', method: 'POST', path: 'Flag', body: { resourceType: 'Flag', status: 'active', code: { text: 'x' }, subject: { reference: 'Patient/p1' } }, full: 201, narrow: 405, says: 'Flag' },
  { what: 'conditional create', method: 'POST', path: 'DocumentReference', body: note, headers: { 'If-None-Exist': 'identifier=x|1' }, full: 201, narrow: 400, says: 'If-None-Exist' },
  { what: 'update with If-Match', method: 'PUT', path: 'Patient/p1', body: { resourceType: 'Patient', id: 'p1', birthDate: '1940-01-01' }, headers: { 'If-Match': 'W/"1"' }, full: 200, narrow: 400, says: 'If-Match' },
  { what: 'update', method: 'PUT', path: 'Patient/p1', body: { resourceType: 'Patient', id: 'p1', birthDate: '1940-01-01' }, full: 200, narrow: 405, says: 'PUT' },
  { what: 'delete', method: 'DELETE', path: 'Task/t1', full: 200, narrow: 405, says: 'DELETE' },
  { what: 'history', method: 'GET', path: 'Patient/p1/_history', full: 200, narrow: 405, says: 'History' },
  { what: 'transaction', method: 'POST', path: '', body: transaction, full: 200, narrow: 405, says: 'Transactions' },
  { what: 'batch of allowed reads', method: 'POST', path: '', body: readBatch('Condition?patient=p1'), full: 200, narrow: 200 },
  { what: 'batch reading a type it lacks', method: 'POST', path: '', body: readBatch('Task?patient=p1'), full: 200, narrow: 404, says: 'Task' },
];

describe.each([
  ['full', FULL_PROFILE],
  ['narrow', NARROW],
] as const)('profile %s', (name, profile) => {
  beforeAll(() => s.fhir.setProfile(profile));
  test.each(CASES)('$what', async (c) => {
    const res = await s.call<OperationOutcome>(c.method, c.path, { body: c.body, headers: c.headers });
    expect(res.status).toBe(name === 'full' ? c.full : c.narrow);
    if (res.status >= 400) {
      expect(res.body.resourceType).toBe('OperationOutcome');
      if (c.says) expect(res.text).toContain(c.says);
    }
  });
});

describe('narrow with an optional type switched on', () => {
  beforeAll(() => s.fhir.setProfile(NARROW_MED));
  test('the optional type is read; the others stay off', async () => {
    expect((await s.call('GET', 'MedicationStatement?patient=p1')).status).toBe(200);
    expect((await s.call('GET', 'Observation?patient=p1')).status).toBe(404);
  });
});

describe('CapabilityStatement', () => {
  const resourceOf = (cs: CapabilityStatement, type: string) => cs.rest?.[0]?.resource?.find((r) => r.type === type);
  const interactions = (cs: CapabilityStatement, type: string) => (resourceOf(cs, type)?.interaction ?? []).map((i) => i.code).sort();

  test('narrow says exactly what it offers', async () => {
    s.fhir.setProfile(NARROW_MED);
    const cs = (await s.call<CapabilityStatement>('GET', 'metadata', { token: null })).body;
    const types = (cs.rest?.[0]?.resource ?? []).map((r) => r.type).sort();
    expect(types).toEqual(['Binary', 'Condition', 'DocumentReference', 'Encounter', 'MedicationStatement', 'Organization', 'Patient', 'Practitioner', 'PractitionerRole']);
    expect(cs.rest?.[0]?.interaction?.map((i) => i.code)).toEqual(['batch']);
    expect(interactions(cs, 'Patient')).toEqual(['read', 'search-type']);
    expect(interactions(cs, 'DocumentReference')).toEqual(['create']);
    expect(interactions(cs, 'Binary')).toEqual(['create']);
    for (const r of cs.rest?.[0]?.resource ?? []) {
      expect(r.conditionalCreate).toBe(false);
      expect(r.versioning).toBe('no-version');
      expect(r.searchInclude ?? []).toEqual([]);
      expect(r.searchRevInclude ?? []).toEqual([]);
    }
  });

  test('full offers transactions, conditional create, If-Match and _include', async () => {
    s.fhir.setProfile(FULL_PROFILE);
    const cs = (await s.call<CapabilityStatement>('GET', 'metadata', { token: null })).body;
    expect(cs.rest?.[0]?.interaction?.map((i) => i.code)).toEqual(['transaction', 'batch']);
    const task = resourceOf(cs, 'Task');
    expect(task?.conditionalCreate).toBe(true);
    expect(task?.versioning).toBe('versioned-update');
    expect(task?.searchInclude).toEqual(['*']);
    expect(interactions(cs, 'Task')).toContain('update');
  });
});

describe('the launch page chooses the EPJ profile', () => {
  test('shown on the page; a launch with epj=narrow switches the FHIR server; a bad value is refused', async () => {
    const { startSandbox } = await import('../../sandbox/app');
    const sandbox = await startSandbox({ port: 0, asOf: '2026-11-25', patients: 50, epjProfile: FULL_PROFILE });
    try {
      const page = await (await fetch(`${sandbox.origin}/`)).text();
      expect(page).toContain('Journalsystem (EPJ-profil)');
      expect(page).toMatch(/value="full" checked/);
      const metadata = async () => ((await (await fetch(`${sandbox.fhirBaseUrl}/metadata`)).json()) as CapabilityStatement).id;
      expect(await metadata()).toBe('sandbox-full');
      const launch = await fetch(`${sandbox.origin}/launch?user=gp-1&profile=smart&epj=narrow`, { redirect: 'manual' });
      expect(launch.status).toBe(302);
      expect(await metadata()).toBe('sandbox-narrow');
      expect(await (await fetch(`${sandbox.origin}/`)).text()).toMatch(/value="narrow" checked/);
      const bad = await fetch(`${sandbox.origin}/launch?user=gp-1&profile=smart&epj=wide`, { redirect: 'manual' });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('Parameteret «epj» må være «full» eller «narrow».');
      expect(await metadata()).toBe('sandbox-narrow');
    } finally {
      await sandbox.close();
    }
  });
});

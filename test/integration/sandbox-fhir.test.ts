// The sandbox FHIR server over real HTTP (node:http on port 0), with a test authenticate that maps
// fixed bearer strings to grants. Covers SPEC §8 conventions and the FINDINGS workarounds.
import { Agent, createServer, get as httpGet, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Bundle, CapabilityStatement, Condition, OperationOutcome, Patient, Resource, Task } from '@medplum/fhirtypes';
import { AuthenticationError, type AccessContext } from '../../sandbox/auth/types';
import { createFhirServer, type FhirServer } from '../../sandbox/fhir/server';

const FAR_FUTURE = 4_102_444_800;
const GRANTS: Record<string, AccessContext> = {
  admin: { kind: 'user', clientId: 'app', scopes: ['user/*.cruds'], fhirUser: 'Practitioner/gp1', expiresAt: FAR_FUTURE },
  reader: { kind: 'user', clientId: 'app', scopes: ['user/*.rs'], fhirUser: 'Practitioner/gp1', expiresAt: FAR_FUTURE },
  v1: { kind: 'user', clientId: 'app', scopes: ['user/Patient.read', 'user/Condition.write'], expiresAt: FAR_FUTURE },
  p1: { kind: 'user', clientId: 'app', scopes: ['patient/*.cruds'], patient: 'p1', expiresAt: FAR_FUTURE },
  backend: { kind: 'backend', clientId: 'sweep', scopes: ['system/*.rs', 'system/Task.cruds'], expiresAt: FAR_FUTURE },
};

interface Started {
  fhir: FhirServer;
  http: Server;
  base: string;
}

async function start(dataDir?: string, allowedOrigins?: string[]): Promise<Started> {
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/fhir`;
  const fhir = await createFhirServer({
    baseUrl: base,
    dataDir,
    allowedOrigins,
    authenticate: async (header) => {
      const token = header?.replace(/^Bearer /, '');
      if (token === 'explode') throw new Error('key store unavailable');
      const grant = token ? GRANTS[token] : undefined;
      if (!grant) throw new AuthenticationError(header ? 'unknown token' : 'missing token');
      return grant;
    },
  });
  http.on('request', (req, res) => void fhir.handle(req, res));
  return { fhir, http, base };
}

async function stop(s: Started): Promise<void> {
  await new Promise<void>((resolve) => {
    s.http.close(() => resolve());
    s.http.closeAllConnections();
  });
  await s.fhir.close();
}

let s: Started;
beforeAll(async () => {
  s = await start();
});
afterAll(async () => {
  await stop(s);
});

interface Sent<T> {
  status: number;
  headers: Headers;
  body: T;
}

async function call<T = Resource>(method: string, path: string, opts: { token?: string | null; body?: unknown; headers?: Record<string, string>; raw?: string } = {}): Promise<Sent<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  const token = opts.token === undefined ? 'admin' : opts.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | undefined = opts.raw;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/fhir+json';
  }
  const res = await fetch(path.startsWith('http') ? path : `${s.base}/${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

function patient(id: string, family: string, extra: Partial<Patient> = {}): Patient {
  return { resourceType: 'Patient', id, name: [{ family, given: ['Kari'] }], ...extra };
}

function condition(id: string, patientId: string, code = 'T90'): Condition {
  return {
    resourceType: 'Condition',
    id,
    subject: { reference: `Patient/${patientId}` },
    code: { coding: [{ system: 'http://hl7.org/fhir/sid/icpc-2', code }] },
    onsetDateTime: '2024-03-01',
  };
}

function issueText(o: OperationOutcome): string {
  return o.issue?.map((i) => i.details?.text ?? i.diagnostics ?? '').join(' ') ?? '';
}

describe('metadata, auth, CORS and headers', () => {
  test('CapabilityStatement without a token, with SMART oauth-uris', async () => {
    const res = await call<CapabilityStatement>('GET', 'metadata', { token: null });
    expect(res.status).toBe(200);
    expect(res.body.fhirVersion).toBe('4.0.1');
    const oauth = res.body.rest?.[0]?.security?.extension?.[0];
    const origin = new URL(s.base).origin;
    expect(oauth?.extension?.map((e) => e.valueUri)).toEqual([`${origin}/auth/authorize`, `${origin}/auth/token`]);
    const cond = res.body.rest?.[0]?.resource?.find((r) => r.type === 'Condition');
    expect(cond?.searchParam?.map((p) => p.name)).toContain('patient');
    expect(cond?.searchParam?.map((p) => p.name)).not.toContain('abatement-age'); // quantity: not answered
  });

  test('a GET keeps its connection: the next request reuses the socket (issue 19 point 2, no reconnect per read)', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const once = () =>
      new Promise<{ connection: string | undefined; reused: boolean; status: number | undefined }>((ok, fail) => {
        const req = httpGet(`${s.base}/Patient?_count=1`, { agent, headers: { authorization: 'Bearer admin' } }, (res) => {
          res.resume();
          res.on('end', () => ok({ connection: res.headers.connection, reused: req.reusedSocket, status: res.statusCode }));
        });
        req.on('error', fail);
      });
    try {
      const first = await once();
      const second = await once();
      expect(first).toEqual({ connection: 'keep-alive', reused: false, status: 200 });
      expect(second).toEqual({ connection: 'keep-alive', reused: true, status: 200 });
    } finally {
      agent.destroy();
    }
  });

  test('401 with WWW-Authenticate for a missing or unknown token', async () => {
    const missing = await call<OperationOutcome>('GET', 'Patient', { token: null });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    expect(missing.body.resourceType).toBe('OperationOutcome');
    const bad = await call<OperationOutcome>('GET', 'Patient', { token: 'nope' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  test('CORS echoes the Origin, answers preflight without auth, security headers on every response', async () => {
    const pre = await fetch(`${s.base}/Patient`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PUT' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/If-Match.*If-None-Exist.*Prefer/);
    const get = await fetch(`${s.base}/metadata`, { headers: { origin: 'http://localhost:5173' } });
    expect(get.headers.get('access-control-expose-headers')).toMatch(/ETag.*Location.*Last-Modified/);
    expect(get.headers.get('x-content-type-options')).toBe('nosniff');
    expect(get.headers.get('referrer-policy')).toBe('no-referrer');
    expect(get.headers.get('cache-control')).toBe('no-store');
  });

  test('listed origins only when allowedOrigins is given', async () => {
    const other = await start(undefined, ['http://app.test']);
    try {
      const ok = await fetch(`${other.base}/metadata`, { headers: { origin: 'http://app.test' } });
      expect(ok.headers.get('access-control-allow-origin')).toBe('http://app.test');
      const no = await fetch(`${other.base}/metadata`, { headers: { origin: 'http://evil.test' } });
      expect(no.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await stop(other);
    }
  });
});

describe('CRUD, versions and conditional requests', () => {
  test('create, read, vread, update with If-Match, patch, history, delete', async () => {
    const created = await call<Patient>('POST', 'Patient', { body: patient('ignored', 'Hansen') });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(id).not.toBe('ignored');
    expect(created.headers.get('etag')).toBe('W/"1"');
    expect(created.headers.get('location')).toBe(`${s.base}/Patient/${id}/_history/1`);
    expect(created.headers.get('last-modified')).toMatch(/GMT$/);

    const read = await call<Patient>('GET', `Patient/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.name?.[0]?.family).toBe('Hansen');

    const updated = await call<Patient>('PUT', `Patient/${id}`, { body: { ...read.body, gender: 'female' }, headers: { 'if-match': 'W/"1"' } });
    expect(updated.status).toBe(200);
    expect(updated.headers.get('etag')).toBe('W/"2"');

    const stale = await call<OperationOutcome>('PUT', `Patient/${id}`, { body: { ...read.body, gender: 'male' }, headers: { 'if-match': 'W/"1"' } });
    expect(stale.status).toBe(412);
    expect(stale.body.resourceType).toBe('OperationOutcome');

    const patched = await call<Patient>('PATCH', `Patient/${id}`, {
      body: [{ op: 'replace', path: '/gender', value: 'other' }],
      headers: { 'content-type': 'application/json-patch+json' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.gender).toBe('other');
    expect(patched.body.meta?.versionId).toBe('3');
    const badPatch = await call<OperationOutcome>('PATCH', `Patient/${id}`, {
      body: [{ op: 'replace', path: '/nope/0', value: 1 }],
      headers: { 'content-type': 'application/json-patch+json' },
    });
    expect(badPatch.status).toBe(422);
    expect(badPatch.body.resourceType).toBe('OperationOutcome');

    const v1 = await call<Patient>('GET', `Patient/${id}/_history/1`);
    expect(v1.status).toBe(200);
    expect(v1.body.gender).toBeUndefined();
    const history = await call<Bundle>('GET', `Patient/${id}/_history`);
    expect(history.body.entry?.map((e) => e.resource?.meta?.versionId)).toEqual(['3', '2', '1']);

    expect((await call('DELETE', `Patient/${id}`)).status).toBe(200);
    expect((await call('GET', `Patient/${id}`)).status).toBe(410);
    expect((await call('GET', 'Patient/does-not-exist')).status).toBe(404);
  });

  test('conditional create with If-None-Exist returns the existing resource', async () => {
    const body = patient('x', 'Berg', { identifier: [{ system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: '01010112345' }] });
    const headers = { 'if-none-exist': 'identifier=urn:oid:2.16.578.1.12.4.1.4.1|01010112345' };
    const first = await call<Patient>('POST', 'Patient', { body, headers });
    const second = await call<Patient>('POST', 'Patient', { body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
  });

  test('50 concurrent conditional creates of one identifier make exactly one resource', async () => {
    const body = patient('x', 'Samtidig', { identifier: [{ system: 'urn:test', value: 'same-1' }] });
    const results = await Promise.all(
      Array.from({ length: 50 }, () => call<Patient>('POST', 'Patient', { body, headers: { 'if-none-exist': 'identifier=urn:test|same-1' } })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(49);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(s.fhir.store.count('Patient')).toBeGreaterThan(0);
    const found = await call<Bundle>('GET', 'Patient?identifier=urn:test|same-1');
    expect(found.body.total).toBe(1);
  });

  test('two concurrent If-Match updates of the same version: one 200, one 412', async () => {
    const created = await call<Patient>('POST', 'Patient', { body: patient('x', 'Lås') });
    const id = created.body.id as string;
    const [a, b] = await Promise.all(
      ['male', 'female'].map((gender) => call('PUT', `Patient/${id}`, { body: { ...created.body, gender }, headers: { 'if-match': 'W/"1"' } })),
    );
    expect([a?.status, b?.status].sort()).toEqual([200, 412]);
  });

  test('conditional update and conditional delete by identifier', async () => {
    const body = patient('x', 'Betinget', { identifier: [{ system: 'urn:cond', value: '7' }] });
    delete body.id;
    const created = await call<Patient>('PUT', 'Patient?identifier=urn:cond|7', { body });
    expect(created.status).toBe(201);
    const updated = await call<Patient>('PUT', 'Patient?identifier=urn:cond|7', { body: { ...body, gender: 'female' } });
    expect(updated.status).toBe(200);
    expect(updated.body.id).toBe(created.body.id);
    expect(updated.body.meta?.versionId).toBe('2');
    expect((await call('DELETE', 'Patient?identifier=urn:cond|7')).status).toBe(200);
    expect((await call('GET', `Patient/${created.body.id}`)).status).toBe(410);
  });

  test('Prefer: return=minimal leaves the body out but keeps the headers', async () => {
    const res = await fetch(`${s.base}/Patient`, {
      method: 'POST',
      headers: { authorization: 'Bearer admin', 'content-type': 'application/fhir+json', prefer: 'return=minimal' },
      body: JSON.stringify(patient('x', 'Minimal')),
    });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('');
    expect(res.headers.get('location')).toContain('/Patient/');
  });
});

describe('errors are OperationOutcomes with the right status', () => {
  test.each([
    ['malformed JSON', 'POST', 'Patient', { raw: '{"resourceType":', headers: { 'content-type': 'application/fhir+json' } }, 400],
    ['not an object', 'POST', 'Patient', { body: [1, 2] }, 400],
    ['unknown resourceType in body', 'POST', 'Patient', { body: { resourceType: 'Pasient' } }, 400],
    ['type does not match URL', 'POST', 'Patient', { body: { resourceType: 'Condition' } }, 400],
    ['bad id', 'PUT', 'Patient/a_b', { body: { resourceType: 'Patient', id: 'a_b' } }, 400],
    ['invalid element', 'POST', 'Patient', { body: { resourceType: 'Patient', foo: 1 } }, 422],
    ['invalid code value', 'POST', 'Patient', { body: { resourceType: 'Patient', birthDate: 'yesterday' } }, 422],
    ['unknown resource type in URL', 'GET', 'Pasient/1', {}, 404],
    ['method not allowed', 'POST', 'Patient/p-none', { body: { resourceType: 'Patient' } }, 405],
    ['DELETE on base', 'DELETE', '', {}, 405],
    ['unsupported media type', 'POST', 'Patient', { raw: '<Patient/>', headers: { 'content-type': 'application/xml' } }, 415],
    ['unknown search parameter', 'GET', 'Patient?shoe-size=42', {}, 400],
    ['number parameter (Medplum answers empty)', 'GET', 'RiskAssessment?probability=gt0.5', {}, 400],
    ['quantity parameter', 'GET', 'Observation?value-quantity=5', {}, 400],
    ['composite parameter', 'GET', 'Observation?code-value-quantity=x$5', {}, 400],
    ['bad date', 'GET', 'Encounter?date=2024-13-01', {}, 400],
    ['expired cursor', 'GET', 'Patient?_cursor=nope&_offset=50', {}, 410],
    ['authenticate fails unexpectedly', 'GET', 'Patient', { token: 'explode' }, 500],
  ] as const)('%s (%s %s)', async (_name, method, path, opts, status) => {
    const res = await call<OperationOutcome>(method, path, opts);
    expect(res.status).toBe(status);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.headers.get('content-type')).toContain('application/fhir+json');
  });
});

describe('search', () => {
  beforeAll(async () => {
    const resources: Resource[] = [
      patient('p1', 'Ås', { generalPractitioner: [{ reference: 'Practitioner/gp1' }], identifier: [{ system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: '12345678901' }] }),
      patient('p2', 'Aasen', { generalPractitioner: [{ reference: 'Practitioner/gp2' }] }),
      patient('p3', 'Johansen', { generalPractitioner: [{ reference: 'Practitioner/gp1' }] }),
      { resourceType: 'Practitioner', id: 'gp1', name: [{ family: 'Lege' }] },
      condition('c1', 'p1', 'T90'),
      condition('c2', 'p1', 'K86'),
      condition('c3', 'p2', 'T90'),
      { resourceType: 'Encounter', id: 'e1', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, subject: { reference: 'Patient/p1' }, period: { start: '2024-05-02T10:00:00+02:00', end: '2024-05-02T10:20:00+02:00' } },
      { resourceType: 'Encounter', id: 'e2', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' }, subject: { reference: 'Patient/p1' }, period: { start: '2025-01-10T09:00:00+01:00' } },
      { resourceType: 'Task', id: 't1', status: 'requested', intent: 'order', for: { reference: 'Patient/p1' }, owner: { reference: 'Practitioner/gp1' } },
      { resourceType: 'Task', id: 't2', status: 'completed', intent: 'order', for: { reference: 'Patient/p2' } },
      { resourceType: 'Provenance', id: 'prov1', target: [{ reference: 'Task/t1' }], recorded: '2024-05-02T10:00:00Z', agent: [{ who: { reference: 'Practitioner/gp1' } }] },
    ];
    await s.fhir.store.bulkLoad(resources);
  });

  async function ids(path: string, token = 'admin'): Promise<string[]> {
    const res = await call<Bundle>('GET', path, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.entry ?? []).filter((e) => e.search?.mode === 'match').map((e) => e.resource?.id ?? '');
  }

  test('reference params accept a bare id, Type/id and subject', async () => {
    expect(await ids('Condition?patient=p1')).toEqual(['c1', 'c2']);
    expect(await ids('Condition?patient=Patient/p1')).toEqual(['c1', 'c2']);
    expect(await ids('Condition?subject=p1')).toEqual(['c1', 'c2']);
    expect(await ids(`Condition?subject=${encodeURIComponent(`${s.base}/Patient/p2`)}`)).toEqual(['c3']);
    expect(await ids('Patient?general-practitioner=gp1')).toEqual(['p1', 'p3']);
    expect(await ids('Task?patient=p1&status=requested')).toEqual(['t1']);
    expect(await ids('Task?owner=Practitioner/gp1')).toEqual(['t1']);
  });

  test('string search is starts-with, accent-insensitive; :contains and :exact', async () => {
    expect(await ids('Patient?family=aas')).toEqual(['p2']);
    expect(await ids('Patient?family=as')).toEqual(['p1']); // Ås, not Johansen ("contains" would match it)
    expect(await ids('Patient?family:contains=sen')).toEqual(['p2', 'p3']);
    expect(await ids('Patient?name:exact=johansen')).toEqual(['p3']);
  });

  test('tokens, identifiers, dates, _lastUpdated, _id', async () => {
    expect(await ids('Patient?identifier=12345678901')).toEqual(['p1']);
    expect(await ids('Patient?identifier=urn:oid:2.16.578.1.12.4.1.4.1|12345678901')).toEqual(['p1']);
    expect(await ids('Condition?code=http://hl7.org/fhir/sid/icpc-2|T90')).toEqual(['c1', 'c3']);
    expect(await ids('Condition?code:not=T90&patient=p1')).toEqual(['c2']);
    expect(await ids('Encounter?class=AMB')).toEqual(['e1']);
    expect(await ids('Encounter?date=2024-05-02')).toEqual(['e1']);
    expect(await ids('Encounter?date=ge2025-01-01')).toEqual(['e2']); // open-ended period
    expect(await ids('Encounter?date=lt2024-06')).toEqual(['e1']);
    expect(await ids('Encounter?_id=e1,e2&_sort=-date')).toEqual(['e2', 'e1']);
    expect(await ids('Condition?_lastUpdated=gt2000-01-01&patient=p2')).toEqual(['c3']);
  });

  test('chained and _has searches', async () => {
    expect(await ids('Condition?subject:Patient.identifier=12345678901')).toEqual(['c1', 'c2']);
    expect(await ids('Patient?_has:Condition:patient:code=K86')).toEqual(['p1']);
  });

  test('_include and _revinclude', async () => {
    const res = await call<Bundle>('GET', 'Task?_id=t1&_include=Task:patient&_revinclude=Provenance:target');
    const entries = res.body.entry ?? [];
    expect(entries.map((e) => [e.search?.mode, e.resource?.resourceType, e.resource?.id])).toEqual([
      ['match', 'Task', 't1'],
      ['include', 'Patient', 'p1'],
      ['include', 'Provenance', 'prov1'],
    ]);
    expect(entries[1]?.fullUrl).toBe(`${s.base}/Patient/p1`);
  });

  test('_summary=count and POST _search', async () => {
    const count = await call<Bundle>('GET', 'Condition?patient=p1&_summary=count');
    expect(count.body.total).toBe(2);
    expect(count.body.entry).toBeUndefined();
    const res = await fetch(`${s.base}/Condition/_search`, {
      method: 'POST',
      headers: { authorization: 'Bearer admin', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'patient=p2',
    });
    const bundle = (await res.json()) as Bundle;
    expect(bundle.entry?.map((e) => e.resource?.id)).toEqual(['c3']);
  });
});

describe('paging with a cursor', () => {
  test('walks every page once, links next until the end, default _count 50', async () => {
    const many: Condition[] = Array.from({ length: 230 }, (_, i) => condition(`page-${String(i).padStart(3, '0')}`, 'pager'));
    await s.fhir.store.bulkLoad(many);
    const first = await call<Bundle>('GET', 'Condition?patient=pager');
    expect(first.body.total).toBe(230);
    expect(first.body.entry).toHaveLength(50);
    expect(first.body.link?.find((l) => l.relation === 'self')?.url).toBe(`${s.base}/Condition?patient=pager`);

    const seen: string[] = [];
    let bundle: Bundle | undefined = first.body;
    let pages = 0;
    while (bundle) {
      pages++;
      seen.push(...(bundle.entry ?? []).map((e) => e.resource?.id ?? ''));
      const next: string | undefined = bundle.link?.find((l) => l.relation === 'next')?.url;
      bundle = next ? (await call<Bundle>('GET', next)).body : undefined;
    }
    expect(pages).toBe(5);
    expect(seen).toEqual(many.map((c) => c.id));

    const big = await call<Bundle>('GET', 'Condition?patient=pager&_count=5000');
    expect(big.body.entry).toHaveLength(230); // capped at 1000, all fit
    const other = await call<OperationOutcome>('GET', first.body.link?.find((l) => l.relation === 'next')?.url ?? '', { token: 'reader' });
    expect(other.status).toBe(410); // same client and user but other scopes -> another grant (issue 12)
    const foreign = await call<OperationOutcome>('GET', first.body.link?.find((l) => l.relation === 'next')?.url ?? '', { token: 'backend' });
    expect(foreign.status).toBe(410);
  });
});

describe('batch and transaction', () => {
  test('transaction resolves urn:uuid references and is atomic on failure', async () => {
    const ok = await call<Bundle>('POST', '', {
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { fullUrl: 'urn:uuid:11111111-1111-4111-8111-111111111111', resource: patient('x', 'Trans'), request: { method: 'POST', url: 'Patient' } },
          { resource: { ...condition('x', 'x'), subject: { reference: 'urn:uuid:11111111-1111-4111-8111-111111111111' } }, request: { method: 'POST', url: 'Condition' } },
        ],
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.type).toBe('transaction-response');
    const [p, c] = ok.body.entry ?? [];
    expect(p?.response?.status).toMatch(/^201/);
    expect(p?.response?.etag).toBe('W/"1"');
    expect((c?.resource as Condition).subject?.reference).toBe(`Patient/${p?.resource?.id}`);

    const before = s.fhir.store.count();
    const failed = await call<OperationOutcome>('POST', '', {
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { resource: patient('x', 'Rollback'), request: { method: 'POST', url: 'Patient' } },
          { request: { method: 'DELETE', url: 'Patient/finnes-ikke' } },
        ],
      },
    });
    expect(failed.status).toBe(404);
    expect(issueText(failed.body)).toContain('rolled back');
    expect(s.fhir.store.count()).toBe(before);
    expect(await s.fhir.store.search('Patient', { family: 'Rollback' })).toHaveLength(0);
  });

  test('more than 8 conditional entries and more than 50 PUTs in one transaction are accepted', async () => {
    const entries = Array.from({ length: 60 }, (_, i) => ({
      resource: patient(`bulk-${i}`, 'Mange', { identifier: [{ system: 'urn:bulk', value: String(i) }] }),
      request: i < 10 ? { method: 'POST', url: 'Patient', ifNoneExist: `identifier=urn:bulk|${i}` } : { method: 'PUT', url: `Patient/bulk-${i}` },
    }));
    const res = await call<Bundle>('POST', '', { body: { resourceType: 'Bundle', type: 'transaction', entry: entries } });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body.entry).toHaveLength(60);
  });

  test('batch keeps going past a failed entry', async () => {
    const res = await call<Bundle>('POST', '', {
      body: {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { request: { method: 'GET', url: 'Patient/p1' } },
          { request: { method: 'GET', url: 'Patient/finnes-ikke' } },
          { request: { method: 'GET', url: 'Condition?patient=p2' } },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.entry?.map((e) => e.response?.status.slice(0, 3))).toEqual(['200', '404', '200']);
  });
});

describe('SMART scopes', () => {
  test('read-only grant: reads and searches pass, writes get 403 naming the scope', async () => {
    expect((await call('GET', 'Patient/p1', { token: 'reader' })).status).toBe(200);
    const denied = await call<OperationOutcome>('POST', 'Patient', { token: 'reader', body: patient('x', 'Nei') });
    expect(denied.status).toBe(403);
    expect(issueText(denied.body)).toContain('user/Patient.c');
  });

  test('v1 scopes are understood', async () => {
    expect((await call('GET', 'Patient/p1', { token: 'v1' })).status).toBe(200);
    expect((await call('GET', 'Condition/c1', { token: 'v1' })).status).toBe(403);
    expect((await call('POST', 'Condition', { token: 'v1', body: condition('x', 'p1') })).status).toBe(201);
  });

  test('patient/ scope: own compartment only; searches are filtered', async () => {
    expect((await call('GET', 'Patient/p1', { token: 'p1' })).status).toBe(200);
    expect((await call('GET', 'Patient/p2', { token: 'p1' })).status).toBe(403);
    expect((await call('GET', 'Condition/c3', { token: 'p1' })).status).toBe(403);
    expect(await ids2('Condition?code=T90&_id=c1,c2,c3', 'p1')).toEqual(['c1']);
    expect(await ids2('Patient', 'p1')).toEqual(['p1']);
    expect((await call('POST', 'Condition', { token: 'p1', body: condition('x', 'p2') })).status).toBe(403);
    expect((await call('POST', 'Condition', { token: 'p1', body: condition('x', 'p1') })).status).toBe(201);
    // Moving a resource to another patient is a write for that patient.
    const c1 = await call<Condition>('GET', 'Condition/c1', { token: 'p1' });
    expect((await call('PUT', 'Condition/c1', { token: 'p1', body: { ...c1.body, subject: { reference: 'Patient/p2' } } })).status).toBe(403);
    const include = await call<Bundle>('GET', 'Condition?_id=c1&_include=Condition:subject', { token: 'p1' });
    expect(include.body.entry?.map((e) => e.resource?.id)).toEqual(['c1', 'p1']);
  });

  test('batch entries are checked one by one; a transaction with a forbidden entry is refused whole', async () => {
    const batch = await call<Bundle>('POST', '', {
      token: 'p1',
      body: { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: 'Patient/p1' } }, { request: { method: 'GET', url: 'Patient/p2' } }] },
    });
    expect(batch.body.entry?.map((e) => e.response?.status.slice(0, 3))).toEqual(['200', '403']);
    const before = s.fhir.store.count('Task');
    const tx = await call<OperationOutcome>('POST', '', {
      token: 'backend',
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { resource: { resourceType: 'Task', status: 'requested', intent: 'order' } satisfies Task, request: { method: 'POST', url: 'Task' } },
          { resource: condition('x', 'p1'), request: { method: 'POST', url: 'Condition' } },
        ],
      },
    });
    expect(tx.status).toBe(403);
    expect(issueText(tx.body)).toContain('system/Condition.c');
    expect(s.fhir.store.count('Task')).toBe(before);
  });

  async function ids2(path: string, token: string): Promise<string[]> {
    const res = await call<Bundle>('GET', path, { token });
    return (res.body.entry ?? []).map((e) => e.resource?.id ?? '');
  }
});

describe('persistence', () => {
  test('data survives close and restart on the same folder; reset empties it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pht-fhir-'));
    try {
      const a = await start(dir);
      await a.fhir.store.bulkLoad([patient('seed-1', 'Frø')]);
      const res = await fetch(`${a.base}/Patient`, { method: 'POST', headers: { authorization: 'Bearer admin', 'content-type': 'application/fhir+json' }, body: JSON.stringify(patient('x', 'Varig')) });
      const created = (await res.json()) as Patient;
      const upd = await fetch(`${a.base}/Patient/seed-1`, { method: 'PUT', headers: { authorization: 'Bearer admin', 'content-type': 'application/fhir+json' }, body: JSON.stringify(patient('seed-1', 'Frø2')) });
      expect(upd.status).toBe(200);
      await stop(a);

      const b = await start(dir);
      try {
        expect(b.fhir.store.count('Patient')).toBe(2);
        const back = await fetch(`${b.base}/Patient/${created.id}`, { headers: { authorization: 'Bearer admin' } });
        expect(((await back.json()) as Patient).name?.[0]?.family).toBe('Varig');
        const seeded = (await b.fhir.store.search<Patient>('Patient', { _id: 'seed-1' }))[0];
        expect(seeded?.name?.[0]?.family).toBe('Frø2');
        expect(seeded?.meta?.versionId).toBe('2');
        await b.fhir.store.reset();
      } finally {
        await stop(b);
      }
      const c = await start(dir);
      expect(c.fhir.store.count()).toBe(0);
      await stop(c);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// FHIR Bulk Data `$export` on the sandbox EPJ (issue 19 point 5), against the real FHIR server on port 0.
// Expected counts are the resources this test writes itself.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Resource } from '@medplum/fhirtypes';
import { GRANTS, startFhir, type Started } from './sandbox-http';

const FAR_FUTURE = 4_102_444_800;
GRANTS.system = { kind: 'backend', clientId: 'jobs', scopes: ['system/Patient.rs', 'system/Condition.rs', 'system/Group.rs'], expiresAt: FAR_FUTURE };
GRANTS.otherSystem = { kind: 'backend', clientId: 'someone-else', scopes: ['system/*.rs'], expiresAt: FAR_FUTURE };

let s: Started;

interface Manifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: { type: string; url: string; count: number }[];
  error: unknown[];
}

async function waitDone(statusUrl: string, token = 'system'): Promise<Manifest> {
  const path = statusUrl.slice(s.base.length);
  for (;;) {
    const r = await s.call<Manifest>('GET', path, { token });
    if (r.status === 200) return r.body;
    expect(r.status).toBe(202);
    expect(r.headers.get('x-progress')).toMatch(/%/);
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

async function lines(url: string, token = 'system'): Promise<Resource[]> {
  const r = await s.call('GET', url.slice(s.base.length), { token });
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('application/fhir+ndjson');
  return r.text.trim().split('\n').map((l) => JSON.parse(l) as Resource);
}

beforeAll(async () => {
  s = await startFhir();
  const patients: Resource[] = ['b1', 'b2', 'b3'].map((id) => ({ resourceType: 'Patient', id, name: [{ family: id }] }));
  const conditions: Resource[] = [
    { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/b1' }, code: { text: 'Diabetes' } },
    { resourceType: 'Condition', id: 'c2', subject: { reference: 'Patient/b2' }, code: { text: 'KOLS' } },
  ];
  const group: Resource = { resourceType: 'Group', id: 'list-gp1', type: 'person', actual: true, member: [{ entity: { reference: 'Patient/b1' } }] };
  await s.fhir.store.bulkLoad([...patients, ...conditions, group, { resourceType: 'Practitioner', id: 'pr1' }]);
});
afterAll(() => s.stop());

describe('$export', () => {
  test('system level: kick-off 202 with Content-Location, status 202 then 200 with a manifest, NDJSON files per type', async () => {
    const kick = await s.call('GET', '/$export?_type=Patient,Condition', { token: 'system', headers: { prefer: 'respond-async' } });
    expect(kick.status).toBe(202);
    const location = kick.headers.get('content-location') ?? '';
    expect(location).toMatch(new RegExp(`^${s.base.replace(/[.]/g, '\\.')}/\\$export-status/`));
    const manifest = await waitDone(location);
    expect(manifest.requiresAccessToken).toBe(true);
    expect(manifest.error).toEqual([]);
    expect(manifest.output.map((o) => [o.type, o.count])).toEqual([
      ['Condition', 2],
      ['Patient', 3],
    ]);
    const patients = await lines(manifest.output.find((o) => o.type === 'Patient')?.url ?? '');
    expect(patients.map((p) => p.id).sort()).toEqual(['b1', 'b2', 'b3']);
  });

  test('a file holds the resources as they were when the export ran, even when one changes before the download', async () => {
    const kick = await s.call('GET', '/$export?_type=Condition', { token: 'system', headers: { prefer: 'respond-async' } });
    const manifest = await waitDone(kick.headers.get('content-location') ?? '');
    await s.fhir.store.bulkLoad([{ resourceType: 'Condition', id: 'c2', subject: { reference: 'Patient/b2' }, code: { text: 'KOLS, endret etter eksporten' } }]);
    try {
      const conditions = await lines(manifest.output.find((o) => o.type === 'Condition')?.url ?? '');
      expect(conditions.map((c) => [c.id, (c as { code?: { text?: string } }).code?.text]).sort()).toEqual([
        ['c1', 'Diabetes'],
        ['c2', 'KOLS'],
      ]);
    } finally {
      await s.fhir.store.bulkLoad([{ resourceType: 'Condition', id: 'c2', subject: { reference: 'Patient/b2' }, code: { text: 'KOLS' } }]);
    }
  });

  test('group level exports the members and what references them only', async () => {
    const kick = await s.call('GET', '/Group/list-gp1/$export?_type=Patient,Condition', { token: 'system', headers: { prefer: 'respond-async' } });
    expect(kick.status).toBe(202);
    const manifest = await waitDone(kick.headers.get('content-location') ?? '');
    expect(manifest.output.map((o) => [o.type, o.count])).toEqual([
      ['Condition', 1],
      ['Patient', 1],
    ]);
  });

  test('_since keeps only resources changed after the instant', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const kick = await s.call('GET', `/$export?_type=Patient&_since=${encodeURIComponent(future)}`, { token: 'system', headers: { prefer: 'respond-async' } });
    const manifest = await waitDone(kick.headers.get('content-location') ?? '');
    expect(manifest.output).toEqual([]);
  });

  test('refusals: no Prefer header, a type the grant does not cover, a patient/ token, an unknown parameter or format', async () => {
    expect((await s.call('GET', '/$export', { token: 'system' })).status).toBe(400);
    expect((await s.call('GET', '/$export?_type=Observation', { token: 'system', headers: { prefer: 'respond-async' } })).status).toBe(403);
    expect((await s.call('GET', '/$export', { token: 'pA', headers: { prefer: 'respond-async' } })).status).toBe(403);
    expect((await s.call('GET', '/$export?_typeFilter=x', { token: 'system', headers: { prefer: 'respond-async' } })).status).toBe(400);
    expect((await s.call('GET', '/$export?_outputFormat=text/csv', { token: 'system', headers: { prefer: 'respond-async' } })).status).toBe(400);
    expect((await s.call('GET', '/Group/nope/$export', { token: 'system', headers: { prefer: 'respond-async' } })).status).toBe(404);
    expect((await s.call('GET', '/$export', { token: null, headers: { prefer: 'respond-async' } })).status).toBe(401);
  });

  test('only the client that started a job sees its status and files; DELETE cancels it', async () => {
    const kick = await s.call('GET', '/$export?_type=Patient', { token: 'system', headers: { prefer: 'respond-async' } });
    const location = kick.headers.get('content-location') ?? '';
    const manifest = await waitDone(location);
    const path = location.slice(s.base.length);
    expect((await s.call('GET', path, { token: 'otherSystem' })).status).toBe(404);
    expect((await s.call('GET', (manifest.output[0]?.url ?? '').slice(s.base.length), { token: 'otherSystem' })).status).toBe(404);
    expect((await s.call('DELETE', path, { token: 'system' })).status).toBe(202);
    expect((await s.call('GET', path, { token: 'system' })).status).toBe(404);
  });
});

test('the CapabilityStatement offers the three export operations', async () => {
  const r = await s.call<{ rest: { operation?: { name: string; definition: string }[] }[] }>('GET', '/metadata', { token: null });
  expect(r.body.rest[0]?.operation?.map((o) => o.name)).toEqual(['export', 'patient-export', 'group-export']);
});

describe('the app server reads a practice by $export (server/epj/bulkExport.ts) against the sandbox', () => {
  test('yields every exported resource and the transaction time; offersBulkExport reads the CapabilityStatement', async () => {
    const { bulkExport, offersBulkExport } = await import('../../server/epj/bulkExport');
    const get = (url: URL, headers: Record<string, string> = {}) => fetch(url, { headers: { ...headers, authorization: 'Bearer system' } });
    const meta = await (await fetch(`${s.base}/metadata`)).json();
    expect(offersBulkExport(meta)).toBe(true);
    expect(offersBulkExport({ resourceType: 'CapabilityStatement', status: 'active', date: '2026-01-01', kind: 'instance', fhirVersion: '4.0.1', format: ['json'], rest: [{ mode: 'server' }] })).toBe(false);
    const seen: string[] = [];
    const it = bulkExport(get, s.base, { types: ['Patient', 'Condition'], wait: () => new Promise((ok) => setTimeout(ok, 10)) });
    let next = await it.next();
    while (!next.done) {
      seen.push(`${next.value.resourceType}/${next.value.id}`);
      next = await it.next();
    }
    expect(seen.sort()).toEqual(['Condition/c1', 'Condition/c2', 'Patient/b1', 'Patient/b2', 'Patient/b3']);
    expect(next.value.transactionTime).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  test('a refused kick-off becomes one Norwegian error naming the status', async () => {
    const { bulkExport, BulkExportError } = await import('../../server/epj/bulkExport');
    const get = (url: URL, headers: Record<string, string> = {}) => fetch(url, { headers: { ...headers, authorization: 'Bearer system' } });
    const it = bulkExport(get, s.base, { types: ['Observation'] });
    await expect(it.next()).rejects.toThrow(BulkExportError);
    await expect(bulkExport(get, s.base, { types: ['Observation'] }).next()).rejects.toThrow(/Eksporten kunne ikke startes: journalsystemet svarte 403/);
  });
});

// Issue 12, robustness of the sandbox EPJ: load limits and reads outside the write lane (item 7),
// 4xx with an OperationOutcome where a 500 or a bare answer was given (item 8), start-up (item 9),
// and the log replaying whole transactions only (item 10).
import { connect } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Bundle, BundleEntry, CapabilityStatement, Condition, Observation, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { startSandbox } from '../../sandbox/app';
import { MAX_BUNDLE_ENTRIES } from '../../sandbox/fhir/server';
import { issueText, startFhir, type Started } from './sandbox-http';

const PATIENTS = 2000;
let s: Started;
/** Called when the FHIR server has read the whole body of a POST to the base URL. */
let onBatchBodyRead: (() => void) | undefined;
/** Server-side order in which responses were ended (`METHOD path`), the event the test orders by. */
const answered: string[] = [];

beforeAll(async () => {
  s = await startFhir({
    onRequest: (req, res) => {
      if (req.method === 'POST' && /\/fhir\/?$/.test(req.url ?? '')) req.on('end', () => onBatchBodyRead?.());
      const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
      res.end = ((...args: unknown[]) => {
        answered.push(`${req.method} ${(req.url ?? '/').split('?')[0]}`);
        return end(...args);
      }) as typeof res.end;
    },
  });
  const patients: Patient[] = Array.from({ length: PATIENTS }, (_, i) => ({ resourceType: 'Patient', id: `p${i}`, name: [{ family: `Etternavn${i}` }] }));
  const conditions: Condition[] = Array.from({ length: 600 }, (_, i) => ({ resourceType: 'Condition', id: `c${i}`, subject: { reference: 'Patient/p0' }, code: { text: 'T90' } }));
  const observations: Observation[] = Array.from({ length: 600 }, (_, i) => ({ resourceType: 'Observation', id: `o${i}`, status: 'final', subject: { reference: 'Patient/p0' }, code: { text: 'BT' } }));
  await s.fhir.store.bulkLoad([...patients, ...conditions, ...observations]);
});
afterAll(async () => {
  await s.stop();
});

function searches(n: number, url: string): Bundle {
  return { resourceType: 'Bundle', type: 'batch', entry: Array.from({ length: n }, (): BundleEntry => ({ request: { method: 'GET', url } })) };
}

describe('item 7: one user cannot freeze the server', () => {
  test(`a batch or transaction over ${MAX_BUNDLE_ENTRIES} entries answers 413 with an OperationOutcome`, async () => {
    for (const type of ['batch', 'transaction'] as const) {
      const res = await s.call<OperationOutcome>('POST', '', { body: { ...searches(MAX_BUNDLE_ENTRIES + 1, 'Patient?_count=1'), type } });
      expect(res.status).toBe(413);
      expect(res.body.resourceType).toBe('OperationOutcome');
      expect(issueText(res.body)).toContain(String(MAX_BUNDLE_ENTRIES));
    }
  });

  test('a batch whose searches together would return too many resources answers 413, not a huge Bundle', async () => {
    const res = await s.call<OperationOutcome>('POST', '', { body: searches(10, 'Patient?_count=1000') });
    expect(res.status).toBe(413);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.text.length).toBeLessThan(10_000);
  });

  test('/metadata and a write are answered while a batch of searches is still running', async () => {
    const bodyRead = new Promise<void>((resolve) => (onBatchBodyRead = resolve));
    const batch = s.call<Bundle>('POST', '', { body: searches(MAX_BUNDLE_ENTRIES, 'Patient?_count=40&_sort=name') });
    await bodyRead; // the server now works on the batch
    onBatchBodyRead = undefined;
    answered.length = 0;
    const metadata = s.call<CapabilityStatement>('GET', 'metadata', { token: null });
    const write = s.call('POST', 'Patient', { body: { resourceType: 'Patient', name: [{ family: 'Underveis' }] } });
    const [res, meta, created] = await Promise.all([batch, metadata, write]);
    expect(res.status).toBe(200);
    expect(res.body.entry).toHaveLength(MAX_BUNDLE_ENTRIES);
    expect(res.body.entry?.every((e) => e.response?.status.startsWith('200'))).toBe(true);
    expect([meta.status, created.status]).toEqual([200, 201]);
    // Ordered by when the server answered, not by wall-clock thresholds.
    expect(answered).toHaveLength(3);
    expect(answered.at(-1)).toBe('POST /fhir/');
    expect(answered.slice(0, 2).sort()).toEqual(['GET /fhir/metadata', 'POST /fhir/Patient']);
  });
});

describe('item 8: a 4xx with an OperationOutcome instead of a 500', () => {
  test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('query parameter named %s', async (name) => {
    const res = await s.call<OperationOutcome>('GET', `Patient?${name}=1`);
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  test('_revinclude past the include limit', async () => {
    const res = await s.call<OperationOutcome>('GET', 'Patient?_id=p0&_revinclude=Condition:subject&_revinclude=Observation:subject');
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue?.[0]?.code).toBe('too-costly');
  });

  test.each([
    ['__proto__ at the top', '{"resourceType":"Patient","__proto__":{"active":true}}'],
    ['constructor at the top', '{"resourceType":"Patient","constructor":{"name":"x"}}'],
    ['__proto__ inside an element', '{"resourceType":"Patient","name":[{"family":"Ok","__proto__":{"given":["x"]}}]}'],
  ])('a resource with %s is refused, not stored', async (_label, raw) => {
    const before = s.fhir.store.count('Patient');
    const res = await s.call<OperationOutcome>('POST', 'Patient', { raw, headers: { 'content-type': 'application/fhir+json' } });
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(s.fhir.store.count('Patient')).toBe(before);
  });

  test('a JSON Patch path through __proto__ is refused', async () => {
    const res = await s.call<OperationOutcome>('PATCH', 'Patient/p1', {
      raw: JSON.stringify([{ op: 'add', path: '/__proto__/polluted', value: true }]),
      headers: { 'content-type': 'application/json-patch+json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a request target starting with // is a path, not a host (found by the fuzz test)', async () => {
    const { port, hostname } = new URL(s.base);
    const answer = await rawRequest(port, hostname, `GET //% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(answer.split('\r\n')[0]).toMatch(/^HTTP\/1.1 4\d\d /);
    expect(answer).toContain('"OperationOutcome"');
  });

    test('JSON nested deeper than any resource is refused with 400', async () => {
    const deep = `{"resourceType":"Patient","extension":[${'{"url":"urn:x","extension":['.repeat(200)}${']}'.repeat(200)}]}`;
    const res = await s.call<OperationOutcome>('POST', 'Patient', { raw: deep, headers: { 'content-type': 'application/fhir+json' } });
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });
});

describe('items 8 and 9: the whole sandbox (HTTP edge and start-up)', () => {
  let dataDir: string;
  let probe: { status: number; retryAfter: string | null; body: OperationOutcome } | undefined;
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pht-robust-'));
    sandbox = await startSandbox({
      port: 0,
      dataDir,
      patients: 50,
      asOf: '2026-03-02',
      // Runs after listen and before the stores exist: the port must answer, not hang.
      onListening: async (origin) => {
        const res = await fetch(`${origin}/fhir/metadata`);
        probe = { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as OperationOutcome };
      },
    });
  });
  afterAll(async () => {
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('item 9: a request during start-up gets 503 with Retry-After and an OperationOutcome', () => {
    expect(probe?.status).toBe(503);
    expect(Number(probe?.retryAfter)).toBeGreaterThan(0);
    expect(probe?.body.resourceType).toBe('OperationOutcome');
  });

  test('item 8: a request line with an absolute URL is served like its path', async () => {
    const { port, hostname: host } = new URL(sandbox.origin);
    const answer = await rawRequest(port, host, `GET ${sandbox.origin}/fhir/metadata HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(answer).toContain('"CapabilityStatement"');
  });

  test.each([
    ['a malformed request line', 'GARBAGE\r\n\r\n', 400],
    ['oversized headers', `GET /fhir/metadata HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`, 431],
  ])('item 8: %s gets an OperationOutcome, not a bare status line', async (_label, raw, status) => {
    const { port, hostname: host } = new URL(sandbox.origin);
    const answer = await rawRequest(port, host, raw);
    expect(answer.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as OperationOutcome;
    expect(body.resourceType).toBe('OperationOutcome');
  });
});

function rawRequest(port: string, host: string, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), host.replace(/^\[|\]$/g, ''));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', (err) => (chunks.length > 0 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(err)));
    socket.end(raw);
  });
}

describe('item 10: the log replays whole transactions only', () => {
  test('a transaction torn mid-write is dropped whole at restart, and later writes still survive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pht-torn-'));
    try {
      const a = await startFhir({ dataDir: join(dir, 'fhir') });
      const first = await a.call('POST', 'Patient', { body: { resourceType: 'Patient', id: 'x', name: [{ family: 'Før' }] } });
      expect(first.status).toBe(201);
      const log = join(dir, 'fhir', 'log.ndjson');
      const committed = statSync(log).size;
      // Two egenandeler in one transaction; the second is large, so a cut at 30% of the transaction's
      // bytes falls inside the second entry whatever the line layout.
      const tx = await a.call<Bundle>('POST', '', {
        body: {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            { resource: { resourceType: 'Patient', name: [{ family: 'Halv1' }] }, request: { method: 'POST', url: 'Patient' } },
            { resource: { resourceType: 'Patient', name: [{ family: 'Halv2', given: ['x'.repeat(5000)] }] }, request: { method: 'POST', url: 'Patient' } },
          ],
        },
      });
      expect(tx.status).toBe(200);
      // Simulate the crash: no close (which would compact), then a torn tail.
      await new Promise<void>((resolve) => {
        a.http.close(() => resolve());
        a.http.closeAllConnections();
      });
      const full = statSync(log).size;
      truncateSync(log, committed + Math.floor((full - committed) * 0.3));

      const b = await startFhir({ dataDir: join(dir, 'fhir') });
      const families = async (srv: Started) => (await srv.fhir.store.search<Patient>('Patient', {})).map((p) => p.name?.[0]?.family).sort();
      expect(await families(b)).toEqual(['Før']);
      expect((await b.call('POST', 'Patient', { body: { resourceType: 'Patient', name: [{ family: 'Etter' }] } })).status).toBe(201);
      await new Promise<void>((resolve) => {
        b.http.close(() => resolve());
        b.http.closeAllConnections();
      });
      expect(readFileSync(log, 'utf8').endsWith('\n')).toBe(true);

      const c = await startFhir({ dataDir: join(dir, 'fhir') });
      expect(await families(c)).toEqual(['Etter', 'Før']);
      await c.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

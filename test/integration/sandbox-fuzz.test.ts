// Issue 12 item 11: a bounded, seeded, property-based fuzz of the sandbox FHIR HTTP API. Each case is
// one hostile request (malformed JSON, deep nesting, huge bodies, odd encodings, prototype names, path
// traversal, random methods and queries); every answer must be below 500 and every 4xx must carry an
// OperationOutcome. Afterwards the server still answers and memory stayed within a generous bound.
import { afterAll, beforeAll, expect, test } from 'vitest';
import fc from 'fast-check';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { startFhir, type Started } from './sandbox-http';

const SEED = 20261202;
const RUNS = 300;
const PROTO_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];
const TYPES = ['Patient', 'Condition', 'ChargeItem', 'Task', 'Flag', 'Encounter', 'Bundle', 'Nonsense', 'patient', ''];
/** Over the server's 8 MB body limit; built once. */
const HUGE = `{"resourceType":"Patient","text":{"status":"generated","div":"${'x'.repeat(9 * 1024 * 1024)}"}}`;

interface Case {
  method: string;
  path: string;
  token: 'admin' | 'pA' | null;
  contentType?: string;
  body?: string | Uint8Array<ArrayBuffer>;
}

const segment = fc.oneof(
  fc.constantFrom(...TYPES),
  fc.constantFrom('..', '%2e%2e', '..%2F..%2Fetc%2Fpasswd', '%00', '%', '%zz', '_history', '_search', 'metadata', '$everything', '.', '//', '%2F'),
  fc.constantFrom(...PROTO_NAMES),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);
const query = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...PROTO_NAMES, '_count', '_sort', '_include', '_revinclude', '_elements', '_cursor', 'patient', 'name', '_has:Condition:subject:code'), fc.string({ maxLength: 8 })), fc.string({ maxLength: 16 })), { maxLength: 4 })
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}` : ''));
const path = fc.tuple(fc.array(segment, { minLength: 0, maxLength: 4 }), query).map(([segs, q]) => `/fhir/${segs.join('/')}${q}`);

const deepJson = fc.tuple(fc.integer({ min: 60, max: 20_000 }), fc.boolean()).map(([depth, arrays]) =>
  arrays ? `{"resourceType":"Patient","extension":${'['.repeat(depth)}${']'.repeat(depth)}}` : `{"resourceType":"Patient","a":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
);
const protoJson = fc.tuple(fc.constantFrom(...PROTO_NAMES), fc.constantFrom('Patient', 'Condition', 'Bundle'), fc.boolean()).map(([name, type, nested]) =>
  nested ? `{"resourceType":"${type}","name":[{"family":"x","${name}":{"polluted":true}}]}` : `{"resourceType":"${type}","${name}":{"polluted":true}}`,
);
const oddBytes = fc.oneof(
  fc.uint8Array({ maxLength: 200 }).map((b) => new Uint8Array(b)),
  fc.constant(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('{"resourceType":"Patient"}')])), // BOM
  fc.constant(new Uint8Array(Buffer.from('{"resourceType":"Patient","name":[{"family":"Ø"}]}', 'utf16le'))),
  fc.constant(new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d])), // invalid UTF-8
);
const body = fc.oneof(
  { arbitrary: fc.string({ maxLength: 200 }), weight: 4 }, // malformed JSON, mostly
  { arbitrary: fc.json({ maxDepth: 4 }), weight: 3 },
  { arbitrary: deepJson, weight: 2 },
  { arbitrary: protoJson, weight: 3 },
  { arbitrary: oddBytes, weight: 2 },
  { arbitrary: fc.constant(HUGE), weight: 1 },
  {
    arbitrary: fc.array(fc.record({ request: fc.record({ method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD'), url: path.map((p) => p.slice(6)) }) }), { maxLength: 6 }).map((entry) =>
      JSON.stringify({ resourceType: 'Bundle', type: 'batch', entry }),
    ),
    weight: 2,
  },
);
const contentType = fc.constantFrom(undefined, 'application/fhir+json', 'application/json', 'application/json-patch+json', 'application/fhir+json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '');

const token = fc.constantFrom('admin' as const, 'pA' as const, null);
const fhirType = fc.constantFrom('Patient', 'Condition', 'ChargeItem', 'Task', 'Flag', 'Encounter');
const id = fc.oneof(fc.constantFrom('pA', 'pB', 'c1', 'finnes-ikke'), segment);
const patchBody = fc
  .array(fc.record({ op: fc.constantFrom('add', 'replace', 'remove', 'test', 'move', 'copy'), path: fc.constantFrom('/birthDate', '/__proto__/x', '/constructor/prototype/x', '/name/0/family', '/id', '', '/-'), value: fc.jsonValue({ maxDepth: 2 }) }), { maxLength: 3 })
  .map((ops) => JSON.stringify(ops));
const fhirJson = fc.constantFrom('application/fhir+json', 'application/fhir+json', 'application/json-patch+json');

/** FHIR-shaped requests most of the time, so the hostile parts reach the handlers; fully random ones too. */
const request: fc.Arbitrary<Case> = fc.oneof(
  fc.record({ method: fc.constant('GET'), path: fc.tuple(fhirType, query).map(([t, q]) => `/fhir/${t}${q}`), token }),
  fc.record({ method: fc.constant('POST'), path: fhirType.map((t) => `/fhir/${t}`), token, contentType: fhirJson, body }),
  fc.record({ method: fc.constant('PUT'), path: fc.tuple(fhirType, id).map(([t, i]) => `/fhir/${t}/${i}`), token, contentType: fhirJson, body }),
  fc.record({ method: fc.constant('PATCH'), path: fc.tuple(fhirType, id).map(([t, i]) => `/fhir/${t}/${i}`), token, contentType: fc.constant('application/json-patch+json'), body: fc.oneof(patchBody, body) }),
  fc.record({ method: fc.constant('POST'), path: fc.constant('/fhir/'), token, contentType: fhirJson, body }),
  fc.record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
    path,
    token,
    contentType,
    body: fc.option(body, { nil: undefined }),
  }),
);

let s: Started;
beforeAll(async () => {
  s = await startFhir();
  await s.fhir.store.bulkLoad([
    { resourceType: 'Patient', id: 'pA', name: [{ family: 'Aas' }] },
    { resourceType: 'Patient', id: 'pB', name: [{ family: 'Berg' }] },
    { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/pA' }, code: { text: 'T90' } },
  ]);
});
afterAll(async () => {
  await s.stop();
});

test(`${RUNS} seeded hostile requests: never a 5xx, every 4xx an OperationOutcome, server alive, memory bounded`, async () => {
  const heapBefore = process.memoryUsage().heapUsed;
  let sent = 0;
  await fc.assert(
    fc.asyncProperty(request, async (c) => {
      sent++;
      const headers: Record<string, string> = {};
      if (c.token) headers.authorization = `Bearer ${c.token}`;
      if (c.contentType) headers['content-type'] = c.contentType;
      const withBody = c.body !== undefined && c.method !== 'GET' && c.method !== 'HEAD';
      const res = await fetch(`${new URL(s.base).origin}${c.path}`, { method: c.method, headers, body: withBody ? c.body : undefined });
      const text = await res.text();
      const label = `${c.method} ${c.path.slice(0, 120)} -> ${res.status} ${text.slice(0, 200)}`;
      expect(res.status, label).toBeLessThan(500);
      if (res.status >= 400 && c.method !== 'HEAD') {
        expect((JSON.parse(text) as OperationOutcome).resourceType, label).toBe('OperationOutcome');
      }
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
  expect(sent).toBe(RUNS);
  const alive = await fetch(`${s.base}/metadata`);
  expect(alive.status).toBe(200);
  await alive.text();
  // Generous: the huge bodies alone are refused at 8 MB each and must not accumulate.
  expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(300 * 1024 * 1024);
}, 120_000);

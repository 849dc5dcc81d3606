import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import type { Bundle, OperationOutcome, Patient, Task } from '@medplum/fhirtypes';
import { createFhirClient, type FhirClientOptions } from '../../../src/fhir/client';
import { FhirError } from '../../../src/fhir/errors';
import type { Session } from '../../../src/fhir/session';
import { FHIR_BASE, patient, searchset } from '../../support/fakeEhr';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);

function session(overrides: Partial<Session> = {}): Session {
  return {
    launchKind: 'ehr',
    fhirBaseUrl: FHIR_BASE,
    accessToken: 'secret-access-token',
    expiresAt: NOW + 3600_000,
    grantedScopes: ['user/Patient.rs', 'user/Task.crus'],
    requestedScopes: [],
    patientId: 'pat-1',
    needPatientBanner: true,
    fhirUser: 'Practitioner/nurse-1',
    ...overrides,
  };
}

/** A client that never really waits: the delays it would have slept are recorded instead. */
function client(overrides: Partial<Session> = {}, options: FhirClientOptions = {}) {
  const delays: number[] = [];
  const fhir = createFhirClient(session(overrides), {
    now: () => NOW,
    random: () => 1,
    sleep: async (ms) => void delays.push(ms),
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
    ...options,
  });
  return { fhir, delays };
}

async function fhirError(promise: Promise<unknown>): Promise<FhirError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof FhirError)) throw new Error(`expected FhirError, got ${String(error)}`);
  return error;
}

const notFound: OperationOutcome = {
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'not-found', diagnostics: 'Patient/x is not known' }],
};

describe('read', () => {
  test('returns the typed resource, with the bearer token and keepalive off', async () => {
    let auth: string | null = null;
    let keepalive: boolean | undefined;
    server.use(
      http.get(`${FHIR_BASE}/Patient/pat-1`, ({ request }) => {
        auth = request.headers.get('authorization');
        keepalive = request.keepalive;
        return HttpResponse.json(patient());
      }),
    );
    const p = await client().fhir.read('Patient', 'pat-1');
    expect(p.name?.[0]?.family).toBe('Nordmann');
    expect(auth).toBe('Bearer secret-access-token');
    expect(keepalive).toBe(false);
  });

  test('wraps an OperationOutcome error into FhirError with status and a Norwegian message', async () => {
    server.use(http.get(`${FHIR_BASE}/Patient/x`, () => HttpResponse.json(notFound, { status: 404 })));
    const error = await fhirError(client().fhir.read('Patient', 'x'));
    expect(error.kind).toBe('not-found');
    expect(error.status).toBe(404);
    expect(error.outcome).toEqual(notFound);
    expect(error.userMessage).toMatch(/^Fant ikke/);
  });

  test.each([
    [401, 'unauthorized', 'Økten er utløpt'],
    [403, 'forbidden', 'mangler tilgang'],
    [409, 'conflict', 'endret dette samtidig'],
    [412, 'conflict', 'endret dette samtidig'],
    [400, 'invalid', 'godtok ikke'],
    [500, 'server', 'feil i journalsystemet'],
  ])('HTTP %i -> %s', async (status, kind, text) => {
    server.use(http.get(`${FHIR_BASE}/Patient/x`, () => new HttpResponse(null, { status })));
    const error = await fhirError(client({}, { retry: { maxAttempts: 1 } }).fhir.read('Patient', 'x'));
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.userMessage).toContain(text);
    expect(error.outcome.resourceType).toBe('OperationOutcome');
  });

  test('retries 5xx and network errors with growing backoff, then succeeds', async () => {
    let calls = 0;
    server.use(
      http.get(`${FHIR_BASE}/Patient/pat-1`, () => {
        calls++;
        if (calls === 1) return HttpResponse.error();
        if (calls === 2) return new HttpResponse(null, { status: 503 });
        return HttpResponse.json(patient());
      }),
    );
    const { fhir, delays } = client();
    const p = await fhir.read('Patient', 'pat-1');
    expect(p.id).toBe('pat-1');
    expect(calls).toBe(3);
    expect(delays).toEqual([100, 200]);
  });

  test('retries exhausted: FhirError "Får ikke kontakt med journalsystemet"', async () => {
    let calls = 0;
    server.use(
      http.get(`${FHIR_BASE}/Patient/pat-1`, () => {
        calls++;
        return HttpResponse.error();
      }),
    );
    const error = await fhirError(client().fhir.read('Patient', 'pat-1'));
    expect(calls).toBe(3);
    expect(error.kind).toBe('network');
    expect(error.status).toBeUndefined();
    expect(error.userMessage).toBe('Får ikke kontakt med journalsystemet.');
  });

  test('a 4xx is not retried', async () => {
    let calls = 0;
    server.use(
      http.get(`${FHIR_BASE}/Patient/x`, () => {
        calls++;
        return HttpResponse.json(notFound, { status: 404 });
      }),
    );
    await fhirError(client().fhir.read('Patient', 'x'));
    expect(calls).toBe(1);
  });

  test('429 honours Retry-After as a floor, bounded by maxDelayMs', async () => {
    let calls = 0;
    server.use(
      http.get(`${FHIR_BASE}/Patient/pat-1`, () => {
        calls++;
        return calls === 1 ? new HttpResponse(null, { status: 429, headers: { 'retry-after': '30' } }) : HttpResponse.json(patient());
      }),
    );
    const { fhir, delays } = client({}, { random: () => 0 });
    await fhir.read('Patient', 'pat-1');
    expect(delays).toEqual([1000]);
  });

  test('an expired session sends no request', async () => {
    let calls = 0;
    server.use(http.get(`${FHIR_BASE}/Patient/pat-1`, () => void calls++));
    const error = await fhirError(client({ expiresAt: NOW - 1 }).fhir.read('Patient', 'pat-1'));
    expect(error.kind).toBe('expired');
    expect(error.needsRelaunch).toBe(true);
    expect(`${error.userMessage} ${error.userAction}`).toBe('Økten er utløpt. Start appen på nytt fra journalen.');
    expect(calls).toBe(0);
  });

  test('an aborted read is an aborted FhirError, not retried', async () => {
    server.use(http.get(`${FHIR_BASE}/Patient/pat-1`, () => HttpResponse.json(patient())));
    const controller = new AbortController();
    controller.abort();
    const error = await fhirError(client().fhir.read('Patient', 'pat-1', { signal: controller.signal }));
    expect(error.kind).toBe('aborted');
  });

  test('the same resource read again within seconds is not fetched twice; a write makes the next read fresh', async () => {
    let reads = 0;
    server.use(
      http.get(`${FHIR_BASE}/Patient/pat-1`, () => {
        reads++;
        return HttpResponse.json({ ...patient(), meta: { versionId: String(reads) } });
      }),
      http.put(`${FHIR_BASE}/Patient/pat-1`, () => HttpResponse.json({ ...patient(), meta: { versionId: '9' } })),
    );
    let clock = NOW;
    const fhir = createFhirClient(session(), { now: () => clock, sleep: async () => undefined });
    const first = await fhir.read('Patient', 'pat-1');
    expect(await fhir.read('Patient', 'pat-1')).toBe(first);
    expect(reads).toBe(1);
    clock += 6_000; // past the reuse window
    await fhir.read('Patient', 'pat-1');
    expect(reads).toBe(2);
    await fhir.update({ ...patient(), meta: { versionId: '2' } });
    await fhir.read('Patient', 'pat-1');
    expect(reads).toBe(3);
  });

  test('a response of the wrong type is refused', async () => {
    server.use(http.get(`${FHIR_BASE}/Patient/pat-1`, () => HttpResponse.json({ resourceType: 'Practitioner', id: 'pat-1' })));
    const error = await fhirError(client().fhir.read('Patient', 'pat-1'));
    expect(error.kind).toBe('invalid');
  });
});

describe('search', () => {
  const task = (id: string): Task => ({ resourceType: 'Task', id, status: 'requested', intent: 'order' });

  test('searchAll follows next links and reports progress', async () => {
    server.use(
      http.get(`${FHIR_BASE}/Task`, ({ request }) => {
        const page = new URL(request.url).searchParams.get('page') ?? '1';
        if (page === '1') return HttpResponse.json(searchset([task('t1'), task('t2')], `${FHIR_BASE}/Task?page=2`));
        if (page === '2') return HttpResponse.json(searchset([task('t3')], `${FHIR_BASE}/Task?page=3`));
        return HttpResponse.json(searchset([task('t4')]));
      }),
    );
    const progress: number[] = [];
    const tasks = await client().fhir.searchAll('Task', { status: 'requested' }, { onProgress: (p) => progress.push(p.fetched) });
    expect(tasks.map((t) => t.id)).toEqual(['t1', 't2', 't3', 't4']);
    expect(progress).toEqual([2, 3, 4]);
  });

  test('searchAll keeps _include-d resources out of the result', async () => {
    const bundle = searchset<Task | Patient>([task('t1')]);
    bundle.entry.push({ resource: patient(), search: { mode: 'include' } });
    server.use(http.get(`${FHIR_BASE}/Task`, () => HttpResponse.json(bundle)));
    const tasks = await client().fhir.searchAll('Task', { _include: 'Task:patient' });
    expect(tasks.map((t) => t.id)).toEqual(['t1']);
  });

  test('a next link to another server is not followed (it would get our token)', async () => {
    server.use(http.get(`${FHIR_BASE}/Task`, () => HttpResponse.json(searchset([task('t1')], 'http://evil.example/fhir/Task?page=2'))));
    const error = await fhirError(client().fhir.searchAll('Task'));
    expect(error.kind).toBe('invalid');
  });

  test('a page that fails transiently is retried', async () => {
    let page2Calls = 0;
    server.use(
      http.get(`${FHIR_BASE}/Task`, ({ request }) => {
        if (new URL(request.url).searchParams.get('page') !== '2') return HttpResponse.json(searchset([task('t1')], `${FHIR_BASE}/Task?page=2`));
        page2Calls++;
        return page2Calls === 1 ? new HttpResponse(null, { status: 502 }) : HttpResponse.json(searchset([task('t2')]));
      }),
    );
    const tasks = await client().fhir.searchAll('Task');
    expect(tasks.map((t) => t.id)).toEqual(['t1', 't2']);
  });

  test('searchPage returns one page with its next link', async () => {
    server.use(http.get(`${FHIR_BASE}/Task`, () => HttpResponse.json(searchset([task('t1')], `${FHIR_BASE}/Task?page=2`))));
    const page = await client().fhir.searchPage('Task');
    expect(page.resources.map((t) => t.id)).toEqual(['t1']);
    expect(page.nextUrl).toBe(`${FHIR_BASE}/Task?page=2`);
  });
});

describe('writes', () => {
  const newTask: Task = { resourceType: 'Task', status: 'requested', intent: 'order' };

  test('a plain create is not retried on 503 (it could create twice)', async () => {
    let calls = 0;
    server.use(
      http.post(`${FHIR_BASE}/Task`, () => {
        calls++;
        return new HttpResponse(null, { status: 503 });
      }),
    );
    const error = await fhirError(client().fhir.create(newTask));
    expect(error.kind).toBe('server');
    expect(calls).toBe(1);
  });

  test('a create marked idempotent is retried', async () => {
    let calls = 0;
    server.use(
      http.post(`${FHIR_BASE}/Task`, () => {
        calls++;
        return calls === 1 ? new HttpResponse(null, { status: 503 }) : HttpResponse.json({ ...newTask, id: 't1' }, { status: 201 });
      }),
    );
    const created = await client().fhir.create(newTask, { idempotent: true });
    expect(created.id).toBe('t1');
    expect(calls).toBe(2);
  });

  test('conditionalCreate sends If-None-Exist, is retried, and tells created from existing', async () => {
    const headers: (string | null)[] = [];
    let calls = 0;
    server.use(
      http.post(`${FHIR_BASE}/Task`, ({ request }) => {
        headers.push(request.headers.get('if-none-exist'));
        calls++;
        if (calls === 1) return HttpResponse.error();
        return HttpResponse.json({ ...newTask, id: 't1' }, { status: 200 });
      }),
    );
    const result = await client().fhir.conditionalCreate(newTask, { identifier: 'https://pht.example.org/fhir/NamingSystem/follow-up-task-id|abc' });
    expect(result).toEqual({ resource: { ...newTask, id: 't1' }, created: false });
    expect(headers[1]).toBe('identifier=https%3A%2F%2Fpht.example.org%2Ffhir%2FNamingSystem%2Ffollow-up-task-id%7Cabc');
  });

  test('conditionalCreate reads the Location when an existing match comes back without a body', async () => {
    server.use(
      http.post(`${FHIR_BASE}/Task`, () => new HttpResponse(null, { status: 200, headers: { location: `${FHIR_BASE}/Task/t9/_history/2` } })),
      http.get(`${FHIR_BASE}/Task/t9`, () => HttpResponse.json({ ...newTask, id: 't9' })),
    );
    const result = await client().fhir.conditionalCreate(newTask, { identifier: 'x|y' });
    expect(result.resource.id).toBe('t9');
    expect(result.created).toBe(false);
  });

  test('update is version-checked with If-Match; 412 is a conflict', async () => {
    let ifMatch: string | null = null;
    server.use(
      http.put(`${FHIR_BASE}/Task/t1`, ({ request }) => {
        ifMatch = request.headers.get('if-match');
        return HttpResponse.json(
          { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'conflict' }] },
          { status: 412 },
        );
      }),
    );
    const error = await fhirError(client().fhir.update({ ...newTask, id: 't1', meta: { versionId: '3' } }));
    expect(ifMatch).toBe('W/"3"');
    expect(error.kind).toBe('conflict');
    expect(error.status).toBe(412);
  });

  test('update without a version is a programming error', async () => {
    await expect(client().fhir.update({ ...newTask, id: 't1' })).rejects.toThrow(TypeError);
  });

  test('transaction posts the bundle to the base and is not retried by default', async () => {
    let calls = 0;
    server.use(
      http.post(FHIR_BASE, () => {
        calls++;
        return new HttpResponse(null, { status: 500 });
      }),
    );
    const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [] };
    await fhirError(client().fhir.transaction(bundle));
    expect(calls).toBe(1);
  });

  test('batch returns the response bundle', async () => {
    server.use(http.post(FHIR_BASE, () => HttpResponse.json({ resourceType: 'Bundle', type: 'batch-response', entry: [] })));
    const result = await client().fhir.batch({ resourceType: 'Bundle', type: 'batch', entry: [] });
    expect(result.type).toBe('batch-response');
  });
});

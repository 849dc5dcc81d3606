// A failing server (issue "Reliability and security", point 2): reads through createFhirClient against
// a real sandbox behind the fault-injecting proxy. Under 30 % failures (500s and dropped connections)
// they are retried with backoff and succeed; under 100 % they end in a FhirError whose bokmål text says
// what to do; a slow server and an AbortSignal stop a long searchAll promptly.
import type { Condition } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../sandbox/faultProxy';
import { createFhirClient, type FhirClient } from '../../src/fhir/client';
import { sleep } from '../../src/fhir/clientRetry';
import { FhirError } from '../../src/fhir/errors';
import type { Session } from '../../src/fhir/session';
import { launchSession, startTestEpj, type TestEpj } from './copay-sandbox';

let epj: TestEpj;
let proxy: FaultProxy;
let session: Session;
const PATIENTS = Array.from({ length: 30 }, (_, i) => `pat-${String(i + 1).padStart(5, '0')}`);

beforeAll(async () => {
  epj = await startTestEpj(50);
  proxy = await startFaultProxy({ upstream: epj.sandbox.origin, pathPrefix: '/fhir', scope: 'all', seed: 20260311, rates: {}, slowMs: 1_500 });
  session = await launchSession(epj.sandbox, 'gp-1', 'pat-00001', `${proxy.origin}/fhir`);
});

afterAll(async () => {
  await proxy?.close();
  await epj?.close();
});

/** A client whose backoff really waits (short delays), recording each delay it chose. */
function retryingClient(maxAttempts = 8): { client: FhirClient; delays: number[] } {
  const delays: number[] = [];
  const client = createFhirClient(session, {
    retry: { maxAttempts, baseDelayMs: 20, maxDelayMs: 400 },
    sleep: (ms, signal) => {
      delays.push(ms);
      return sleep(ms, signal);
    },
  });
  return { client, delays };
}

async function rejection(promise: Promise<unknown>): Promise<FhirError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof FhirError)) throw new Error(`expected a FhirError, got ${String(error)}`);
  return error;
}

describe('30 % of reads fail (500 or dropped connection)', () => {
  test('reads and paged searches are retried with backoff and all succeed', async () => {
    proxy.setRates({ error500: 0.15, dropBefore: 0.15 });
    const before = { ...proxy.stats.faults };
    const { client, delays } = retryingClient();

    const patients = await Promise.all(PATIENTS.map((id) => client.read('Patient', id)));
    expect(patients.map((p) => p.id)).toEqual(PATIENTS);

    const conditions: Condition[] = await client.searchAll('Condition', { _count: '20' });
    const direct = await epj.sandbox.fhir.store.search<Condition>('Condition', { _count: '100000' });
    expect(new Set(conditions.map((c) => c.id))).toEqual(new Set(direct.map((c) => c.id)));

    const injected = proxy.stats.faults.error500 - before.error500 + (proxy.stats.faults.dropBefore - before.dropBefore);
    expect(injected).toBeGreaterThan(5);
    // One backoff per injected fault, each within the policy's ceiling.
    expect(delays.length).toBe(injected);
    expect(Math.max(...delays)).toBeLessThanOrEqual(400);
  });
});

describe('100 % of reads fail', () => {
  test.each([
    ['500', { error500: 1 }, 'server', 'Det oppstod en feil i journalsystemet.', /Prøv igjen om litt/],
    ['dropped connection', { dropBefore: 1 }, 'network', 'Får ikke kontakt med journalsystemet.', /Sjekk nettverkstilkoblingen/],
  ] as const)('%s: gives up after the policy\'s attempts with a FhirError that says what to do', async (_name, rates, kind, message, action) => {
    proxy.setRates(rates);
    const requestsBefore = proxy.stats.requests;
    const { client, delays } = retryingClient(4);
    const error = await rejection(client.read('Patient', 'pat-00002'));
    expect(error.kind).toBe(kind);
    expect(error.userMessage).toBe(message);
    expect(error.userAction).toMatch(action);
    expect(error.outcome.resourceType).toBe('OperationOutcome');
    expect(proxy.stats.requests - requestsBefore).toBe(4);
    // Exponential ceilings: 20, 40, 80 ms (full jitter picks at most that).
    expect(delays).toHaveLength(3);
    delays.forEach((d, i) => expect(d).toBeLessThanOrEqual(20 * 2 ** i));
  });
});

describe('a slow server and an AbortSignal', () => {
  test('cancel a long searchAll promptly, and no request is sent after the abort', async () => {
    proxy.setRates({ slow: 1 }); // every answer 1.5 s late
    const { client } = retryingClient();
    const controller = new AbortController();
    const pages: number[] = [];
    const t0 = performance.now();
    const search = client.searchAll('Condition', { _count: '5' }, { signal: controller.signal, onProgress: (p) => pages.push(p.pages) });
    setTimeout(() => controller.abort(), 300);
    const error = await rejection(search);
    const ms = performance.now() - t0;
    expect(error.kind).toBe('aborted');
    expect(ms).toBeLessThan(1_000); // not the 1.5 s of the slow answer, let alone all the pages
    expect(pages).toEqual([]);
    const requests = proxy.stats.requests;
    await sleep(1_700);
    expect(proxy.stats.requests).toBe(requests);
  });

  test('without an abort the same slow search would have taken many seconds (the test above is meaningful)', async () => {
    proxy.setRates({ slow: 1 });
    const { client } = retryingClient();
    const t0 = performance.now();
    const page = await client.searchPage('Condition', { _count: '5' });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1_400);
    expect(page.nextUrl).toBeDefined(); // more pages would follow, each as slow
    proxy.setRates({});
  });
});

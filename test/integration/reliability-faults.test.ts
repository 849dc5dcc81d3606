// A failing server (issue "Reliability and security", point 2): reads through createFhirClient against
// a real sandbox behind the fault-injecting proxy. Under 30 % failures (500s and dropped connections)
// they are retried with backoff and succeed; under 100 % they end in a FhirError whose bokmål text says
// what to do; a slow server and an AbortSignal stop a long searchAll before the slow answer.
import type { Condition } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
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
  // Events, not timers (issue 13, point 1): the abort is sent once the proxy has the first page request, and
  // two sentinel requests, each as slow as that page, prove that its slow answer has come and gone.
  test('cancel a long searchAll before the slow answer arrives, and no request is sent after the abort', async () => {
    proxy.setRates({ slow: 1 }); // every answer 1.5 s late
    const { client } = retryingClient();
    const sentinel = createFhirClient(session, { retry: { maxAttempts: 1 } });
    const controller = new AbortController();
    const pages: number[] = [];
    const requestsBefore = proxy.stats.requests;
    const search = rejection(client.searchAll('Condition', { _count: '5' }, { signal: controller.signal, onProgress: (p) => pages.push(p.pages) }));
    await vi.waitFor(() => expect(proxy.stats.requests).toBe(requestsBefore + 1), { timeout: 30_000, interval: 5 });

    // Started after the search's first request, the sentinel is answered after that request's slow answer.
    let firstSentinelAnswered = false;
    const first = sentinel.searchPage('Condition', { _count: '5' }).then(() => (firstSentinelAnswered = true));
    controller.abort();
    const error = await search;
    expect(firstSentinelAnswered).toBe(false); // the abort did not wait for the slow answer
    expect(error.kind).toBe('aborted');
    expect(pages).toEqual([]);

    await first;
    // A request the client might still send when the aborted page's answer arrived would reach the proxy
    // before a second sentinel, sent now, is answered.
    await sentinel.searchPage('Condition', { _count: '5' });
    expect(proxy.stats.requests - requestsBefore).toBe(3); // the aborted page and the two sentinels
    expect(proxy.stats.faults.slow).toBeGreaterThanOrEqual(3);
    proxy.setRates({});
  });
});

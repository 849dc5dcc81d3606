// Issue 17 item 9: with the server down, a save fails within 10 s (retries bounded by time, not only by
// count). Fake clocks: every sleep advances the clock; no wall time.
import { describe, expect, test } from 'vitest';
import { runDayLedger } from '../../../src/fhir/chargesLedger';
import type { FhirClient } from '../../../src/fhir/client';
import { DEFAULT_RETRY_POLICY, withRetry } from '../../../src/fhir/clientRetry';
import { FhirError } from '../../../src/fhir/errors';

function fakeClock() {
  let t = 1_000_000;
  return { now: () => t, sleep: async (ms: number) => void (t += ms), elapsed: (from: number) => t - from };
}

const down = () => Promise.reject(new FhirError({ kind: 'network' }));

function deadServerClient(): { client: FhirClient; calls: () => number } {
  let calls = 0;
  const fail = () => (calls++, down());
  const client = {
    session: { launchKind: 'ehr', fhirBaseUrl: 'http://down/fhir', accessToken: 't', expiresAt: 4_102_444_800_000, grantedScopes: [], requestedScopes: [], needPatientBanner: true, fhirUser: 'Practitioner/nurse-1' },
    read: fail, search: fail, searchAll: fail, create: fail, update: fail, conditionalCreate: fail, transaction: fail,
  } as unknown as FhirClient;
  return { client, calls: () => calls };
}

describe('retries bounded by a time budget', () => {
  test('the day ledger gives up within 10 s of fake time with the server down', async () => {
    const clock = fakeClock();
    const start = clock.now();
    const { client, calls } = deadServerClient();
    // random = 1: the longest backoff every time (the worst case).
    await expect(
      runDayLedger(client, { patientId: 'pat-1', day: '2026-12-02' }, () => ({ done: 'x' }), { sleep: clock.sleep, now: () => new Date(clock.now()), random: () => 1 }),
    ).rejects.toMatchObject({ kind: 'network' });
    expect(clock.elapsed(start)).toBeLessThan(10_000);
    expect(calls()).toBeGreaterThan(1);
  });

  test('the client retry stops at its time budget even with attempts left', async () => {
    const clock = fakeClock();
    const start = clock.now();
    let attempts = 0;
    const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 100 };
    await expect(withRetry(() => (attempts++, down()), policy, { sleep: clock.sleep, random: () => 1, now: clock.now })).rejects.toMatchObject({ kind: 'network' });
    expect(clock.elapsed(start)).toBeLessThanOrEqual(4_000);
    // 300 + 600 + 1200 = 2100 ms slept after 3 failures; the next delay (2400) would pass 4 s: 4 attempts.
    expect(attempts).toBe(4);
  });
});

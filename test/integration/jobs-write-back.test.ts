// The journal write-back job (issue 15 item 3) against the sandbox EPJ through the app server's own Backend
// Services token, on PGlite and PostgreSQL: nothing lost while the EPJ is down (the row waits, with back-off,
// and becomes 'failed' after WRITE_BACK_MAX_ATTEMPTS, then can be retried), nothing written twice (a write
// whose answer was lost is found by its identifier; two workers at once write each note once), and the
// status the daglig leder reads. "EPJ down" and "answer lost" are made at the client boundary (a backend
// that fails before or after the real request), the same faults sandbox/faultProxy.ts injects on the wire.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, DocumentReference, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type AppDatabase } from '../../server/db/database';
import { journalNote, JOURNAL_NOTE_SYSTEM } from '../../server/epj/journalNote';
import { enqueueWriteBack, journalStates } from '../../server/epj/writeBack';
import { jobRoutes } from '../../server/jobs/routes';
import type { JobContext } from '../../server/jobs/types';
import { WRITE_BACK_JOB, WRITE_BACK_MAX_ATTEMPTS, retryFailedWriteBacks, sendWriteBacks } from '../../server/jobs/writeBack';
import { BackendServices } from '../../server/smart/backendServices';
import { EpjClients } from '../../server/smart/epjClient';
import type { EpjEntry } from '../../server/smart/registry';
import { osloToday } from '../../sandbox/clock';
import { startAppServer, type AppServerEnv } from '../support/appServer';
import { BACKENDS, stopTestPostgres } from '../support/database';

afterAll(stopTestPostgres);

const PRACTICE = 'Organization/org-practice';
const PATIENT = 'wb-patient';

describe.each(BACKENDS)('journal write-back on %s', (backend) => {
  let env: AppServerEnv;
  let dataDir: string;
  let other: AppDatabase;
  let now = Date.parse('2026-03-02T08:00:00Z');
  let smart: EpjEntry;
  let real: BackendServices;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pht-write-back-'));
    env = await startAppServer({ dataDir, asOf: osloToday(), patients: 50, database: backend });
    const patient: Resource = { resourceType: 'Patient', id: PATIENT, name: [{ family: 'Skriv', given: ['Tilbake'] }], managingOrganization: { reference: PRACTICE } };
    await env.sandbox.fhir.store.bulkLoad([patient]);
    smart = env.app.registry.lookup(`${env.sandbox.origin}/fhir`)!;
    // The token's dates follow the machine's clock; the queue's follow the test's.
    real = new BackendServices(new EpjClients(env.app.keys));
    // A second server process's connection pool (PostgreSQL); PGlite is one process.
    other = backend === 'PostgreSQL' ? await openDatabase(env.databaseConfig, { migrate: false }) : ({ db: env.app.db, kind: 'pglite', close: async () => undefined } as AppDatabase);
  }, 180_000);

  afterAll(async () => {
    await other?.close();
    await env?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const ctx = (backendServices: BackendServices, db = env.app.db, entry = smart): JobContext => ({
    db,
    registry: env.app.registry,
    backend: backendServices,
    now: () => now,
    log: () => undefined,
    practice: { practiceId: PRACTICE, epj: entry },
  });
  /** The EPJ does not answer at all. */
  const down = { get: async () => Promise.reject(new TypeError('fetch failed')), post: async () => Promise.reject(new TypeError('fetch failed')) } as unknown as BackendServices;
  /** The EPJ stores the write, but its answer never arrives. */
  const answerLost = {
    get: (entry: EpjEntry, url: URL) => real.get(entry, url),
    post: async (entry: EpjEntry, url: URL, resource: unknown, headers?: Record<string, string>) => {
      await real.post(entry, url, resource, headers);
      throw new TypeError('socket hang up');
    },
  } as unknown as BackendServices;

  async function queueNote(id: string, entry = smart) {
    await env.app.db.transaction().execute((tx) =>
      enqueueWriteBack(tx, {
        practiceId: PRACTICE,
        iss: entry.iss,
        resource: journalNote({ id, patientId: PATIENT, author: 'Practitioner/nurse-1', date: new Date(now).toISOString(), title: 'Kontakt etter utskrivning', text: `Notat ${id}` }),
        patientId: PATIENT,
        source: `contact/${id}`,
        at: new Date(now),
      }),
    );
  }

  async function inEpj(id: string): Promise<DocumentReference[]> {
    const url = new URL(`${smart.iss}/DocumentReference`);
    url.searchParams.set('identifier', `${JOURNAL_NOTE_SYSTEM}|${id}`);
    const bundle = (await (await real.get(smart, url)).json()) as Bundle<DocumentReference>;
    return (bundle.entry ?? []).map((e) => e.resource!);
  }

  const row = (id: string) => env.app.db.selectFrom('write_back').selectAll().where('key', '=', `${JOURNAL_NOTE_SYSTEM}|${id}`).executeTakeFirstOrThrow();

  it('keeps a note while the EPJ is down and writes it once when the EPJ is back', async () => {
    await queueNote(`${backend}-a`);
    expect(await sendWriteBacks(ctx(down))).toEqual({ claimed: 1, written: 0, retrying: 1, failed: 0 });
    expect((await journalStates(env.app.db, PRACTICE, [`contact/${backend}-a`])).get(`contact/${backend}-a`)).toBe('pending');
    expect(await row(`${backend}-a`)).toMatchObject({ state: 'pending', attempts: 1, last_error: 'journalsystemet svarer ikke: fetch failed', next_attempt_at: new Date(now + 60_000) });
    // Not before the back-off.
    now += 30_000;
    expect((await sendWriteBacks(ctx(real))).claimed).toBe(0);
    now += 30_000;
    expect(await sendWriteBacks(ctx(real))).toEqual({ claimed: 1, written: 1, retrying: 0, failed: 0 });
    const stored = await inEpj(`${backend}-a`);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ subject: { reference: `Patient/${PATIENT}` }, author: [{ reference: 'Practitioner/nurse-1' }], description: 'Kontakt etter utskrivning' });
    expect(await row(`${backend}-a`)).toMatchObject({ state: 'written', epj_id: stored[0]!.id, last_error: null });
    expect((await journalStates(env.app.db, PRACTICE, [`contact/${backend}-a`])).get(`contact/${backend}-a`)).toBe('written');
    // Queuing the same note again is a no-op.
    await queueNote(`${backend}-a`);
    now += 60_000;
    expect((await sendWriteBacks(ctx(real))).claimed).toBe(0);
  });

  it('does not write a note twice when the answer to the write was lost', async () => {
    await queueNote(`${backend}-b`);
    expect((await sendWriteBacks(ctx(answerLost))).retrying).toBe(1);
    expect(await inEpj(`${backend}-b`)).toHaveLength(1);
    now += 60_000;
    expect((await sendWriteBacks(ctx(real))).written).toBe(1);
    const stored = await inEpj(`${backend}-b`);
    expect(stored).toHaveLength(1);
    expect((await row(`${backend}-b`)).epj_id).toBe(stored[0]!.id);
  });

  it('writes each note once with two workers at once', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => `${backend}-c${i}`);
    for (const id of ids) await queueNote(id);
    const [one, two] = await Promise.all([sendWriteBacks(ctx(real)), sendWriteBacks(ctx(new BackendServices(new EpjClients(env.app.keys)), other.db))]);
    expect(one.claimed + two.claimed).toBe(6);
    expect(one.written + two.written).toBe(6);
    for (const id of ids) expect(await inEpj(id)).toHaveLength(1);
  });

  it('writes through the DPoP-bound (HelseID-like) profile too', async () => {
    const helseid = env.app.registry.lookup(`${env.sandbox.origin}/helseid/fhir`)!;
    await queueNote(`${backend}-d`, helseid);
    expect(await sendWriteBacks(ctx(real, env.app.db, helseid))).toMatchObject({ written: 1 });
    expect(await inEpj(`${backend}-d`)).toHaveLength(1);
  });

  it(`marks a note failed after ${WRITE_BACK_MAX_ATTEMPTS} attempts, shows it, and writes it when retried`, async () => {
    await queueNote(`${backend}-e`);
    for (let attempt = 1; attempt <= WRITE_BACK_MAX_ATTEMPTS; attempt++) {
      const s = await sendWriteBacks(ctx(down));
      expect(s.claimed).toBe(1);
      now += 3_600_000; // past any back-off
    }
    expect(await row(`${backend}-e`)).toMatchObject({ state: 'failed', attempts: WRITE_BACK_MAX_ATTEMPTS });
    expect((await journalStates(env.app.db, PRACTICE, [`contact/${backend}-e`])).get(`contact/${backend}-e`)).toBe('failed');
    expect((await sendWriteBacks(ctx(real))).claimed).toBe(0);
    // The daglig leder sees it in the status and sends it again.
    const nudged: string[] = [];
    const routes = jobRoutes({
      db: env.app.db,
      now: () => now,
      actor: async () => ({ actor: { practiceId: PRACTICE, user: 'Practitioner/leder', role: 'gp', practiceManager: true } }),
      jobs: { jobNames: [WRITE_BACK_JOB], runNow: async () => [], nudge: (job) => void nudged.push(job) },
    });
    const asNurse = jobRoutes({
      db: env.app.db,
      now: () => now,
      actor: async () => ({ actor: { practiceId: PRACTICE, user: 'Practitioner/nurse-1', role: 'nurse', practiceManager: false } }),
      jobs: { jobNames: [WRITE_BACK_JOB], runNow: async () => [], nudge: () => undefined },
    });
    for (const [path, method] of [['/status', 'GET'], ['/write-back/retry', 'POST'], [`/${WRITE_BACK_JOB}/run`, 'POST']] as const) {
      const refused = await asNurse.request(path, { method });
      expect([refused.status, await refused.json()]).toEqual([403, { error: 'Bare daglig leder kan se og styre de planlagte jobbene.' }]);
    }
    expect((await routes.request('/ukjent.jobb/run', { method: 'POST' })).status).toBe(404);
    const status = (await (await routes.request('/status')).json()) as { writeBack: { failed: number } };
    expect(status.writeBack.failed).toBe(1);
    expect(await (await routes.request('/write-back/retry', { method: 'POST' })).json()).toEqual({ retried: 1 });
    expect(nudged).toEqual([WRITE_BACK_JOB]);
    expect(await sendWriteBacks(ctx(real))).toMatchObject({ written: 1 });
    expect(await inEpj(`${backend}-e`)).toHaveLength(1);
    expect(await retryFailedWriteBacks(env.app.db, PRACTICE, new Date(now))).toBe(0);
  });

  it('runs as the scheduled job epj.write-back, per practice at each EPJ', async () => {
    await queueNote(`${backend}-f`);
    // The server's scheduler (timer off in tests) with the machine's clock.
    await env.app.scheduler.runNow(WRITE_BACK_JOB, PRACTICE);
    const outcomes = await env.app.scheduler.runDue();
    expect(outcomes.filter((o) => o.job === WRITE_BACK_JOB).map((o) => [o.iss, o.ok]).sort()).toEqual([
      [`${env.sandbox.origin}/fhir`, true],
      [`${env.sandbox.origin}/helseid/fhir`, true],
    ]);
    expect(await inEpj(`${backend}-f`)).toHaveLength(1);
  });
});

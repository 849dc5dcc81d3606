// The job queue and scheduler (issue 15 item 4) on PGlite and on a real PostgreSQL server: one run of a job
// per practice at a time whatever the number of workers, a dead worker's run taken over after its lease, the
// schedule at the right ticks of a fixed clock (Oslo time, the practice's working days). Expected ticks and
// days are written by hand: 2026-03-02 is a Monday; 2026-05-14 is Ascension Day (SPEC §2 table); Oslo is UTC+1
// in March, UTC+2 in May.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type AppDatabase } from '../../server/db/database';
import { saveSettings } from '../../server/features/settings/store';
import { enqueueWriteBack } from '../../server/epj/writeBack';
import { CLAIMS_OVERDUE, CLAIMS_WARNING_JOB, claimsWarningJob } from '../../server/jobs/claimsWarning';
import { listen } from '../../server/jobs/notify';
import { JobQueue, lastRuns } from '../../server/jobs/queue';
import { openWarnings } from '../../server/jobs/warnings';
import { WRITE_BACK_CHANNEL } from '../../server/jobs/writeBack';
import type { ChargeRecord } from '../../src/domain/manager/types';
import { Scheduler } from '../../server/jobs/scheduler';
import type { JobContext, JobDefinition } from '../../server/jobs/types';
import type { BackendServices } from '../../server/smart/backendServices';
import { EpjRegistry, type EpjEntry } from '../../server/smart/registry';
import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import { BACKENDS, stopTestPostgres, useFreshDatabase } from '../support/database';

afterAll(stopTestPostgres);

const P = 'Organization/p1';
const ISS = 'http://epj.test/fhir';
const entry: EpjEntry = { name: 'Test-EPJ', iss: ISS, clientId: 'c', tokenEndpointAuth: 'none', alg: 'ES256', par: 'off', dpop: false, frameAncestors: [], organisations: [P] };
const registry = new EpjRegistry([entry]);
const backend = {} as BackendServices;
const MIN = 60_000;

describe.each(BACKENDS)('job queue on %s', (backend_) => {
  const fresh = useFreshDatabase(backend_, { each: true });
  let app: AppDatabase;
  let second: AppDatabase;
  beforeEach(async () => {
    app = fresh.app;
    // A second "process": on PostgreSQL its own connection pool; PGlite is one process by construction.
    second = backend_ === 'PostgreSQL' ? await openDatabase(fresh.config, { migrate: false }) : app;
  }, 60_000);
  afterEach(async () => {
    if (second !== app) await second.close();
  });

  it('gives a run claimed by two workers at once to exactly one, and keeps one running per job+practice', async () => {
    let now = Date.parse('2026-03-02T08:00:00Z');
    const a = new JobQueue(app.db, { worker: 'a', now: () => now });
    const b = new JobQueue(second.db, { worker: 'b', now: () => now });
    const target = { job: 'test.sweep', practiceId: P, iss: ISS };
    expect((await a.enqueue(target)).queued).toBe(true);
    // A second request while one waits joins it.
    expect((await b.enqueue(target)).queued).toBe(false);
    const claims = await Promise.all([a.claim(['test.sweep']), b.claim(['test.sweep']), a.claim(['test.sweep']), b.claim(['test.sweep'])]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    const running = claims.find(Boolean)!;
    const owner = running.leaseUntil && (await app.db.selectFrom('job_run').select('worker').where('id', '=', running.id).executeTakeFirstOrThrow()).worker;
    // Another run queued now must wait while the first runs, even for the other worker.
    expect((await a.enqueue(target)).queued).toBe(true);
    expect(await a.claim(['test.sweep'])).toBeUndefined();
    expect(await b.claim(['test.sweep'])).toBeUndefined();
    // Another practice is not held up.
    await a.enqueue({ ...target, practiceId: 'Organization/p2' });
    expect((await b.claim(['test.sweep']))?.practiceId).toBe('Organization/p2');
    now += MIN;
    await (owner === 'a' ? a : b).complete(running);
    const next = await (owner === 'a' ? b : a).claim(['test.sweep']);
    expect(next?.practiceId).toBe(P);
    expect(await app.db.selectFrom('job_run').select(['state']).where('practice_id', '=', P).orderBy('id').execute()).toEqual([{ state: 'done' }, { state: 'running' }]);
  });

  it("runs a dead worker's run again after its lease, and the dead worker cannot finish it afterwards", async () => {
    let now = Date.parse('2026-03-02T08:00:00Z');
    const dead = new JobQueue(app.db, { worker: 'dead', now: () => now, leaseMs: 5 * MIN });
    const alive = new JobQueue(second.db, { worker: 'alive', now: () => now, leaseMs: 5 * MIN });
    await dead.enqueue({ job: 'test.sweep', practiceId: P, iss: ISS });
    const lost = await dead.claim(['test.sweep']);
    expect(lost?.attempts).toBe(1);
    now += 4 * MIN;
    expect(await alive.recoverExpired()).toBe(0);
    expect(await alive.claim(['test.sweep'])).toBeUndefined();
    now += 2 * MIN;
    expect(await alive.recoverExpired()).toBe(1);
    const again = await alive.claim(['test.sweep']);
    expect(again).toMatchObject({ id: lost!.id, attempts: 2 });
    // The worker that was thought dead wakes up: its completion does not count.
    await dead.complete(lost!);
    expect((await app.db.selectFrom('job_run').select(['state', 'worker']).executeTakeFirstOrThrow())).toEqual({ state: 'running', worker: 'alive' });
    await alive.complete(again!);
    expect((await lastRuns(app.db, P)).map((r) => [r.job, r.state, r.attempts])).toEqual([['test.sweep', 'done', 2]]);
  });

  it('gives a run up as failed when its lease ran out on the last attempt', async () => {
    let now = Date.parse('2026-03-02T08:00:00Z');
    const q = new JobQueue(app.db, { worker: 'w', now: () => now, leaseMs: MIN });
    await q.enqueue({ job: 'test.sweep', practiceId: P, iss: ISS }, { maxAttempts: 1 });
    await q.claim(['test.sweep']);
    now += 2 * MIN;
    expect(await q.recoverExpired()).toBe(1);
    expect(await q.claim(['test.sweep'])).toBeUndefined();
    expect((await lastRuns(app.db, P))[0]).toMatchObject({ state: 'failed', error: 'Arbeideren som kjørte jobben ble borte før den var ferdig.' });
  });

  it('runs a 15-minute working-day job at the right ticks of a fixed clock, skipping holidays, weekends and closed days', async () => {
    let now = 0;
    const ran: string[] = [];
    const sweep: JobDefinition = {
      name: 'test.sweep',
      perPractice: true,
      schedule: { everyMinutes: 15, workingDaysOnly: true },
      async run(ctx: JobContext) {
        ran.push(`${new Date(ctx.now()).toISOString()} ${ctx.practice?.practiceId}`);
      },
    };
    const s1 = new Scheduler({ db: app.db, registry, backend, jobs: [sweep], now: () => now, worker: 'one' });
    const s2 = new Scheduler({ db: second.db, registry, backend, jobs: [sweep], now: () => now, worker: 'two' });
    const at = async (iso: string) => {
      now = Date.parse(iso);
      // Two processes tick and work at the same instant.
      await Promise.all([s1.tick(), s2.tick()]);
      await Promise.all([s1.runDue(), s2.runDue()]);
    };
    await at('2026-03-02T08:00:00Z'); // Monday 09:00 Oslo
    await at('2026-03-02T08:05:00Z');
    await at('2026-03-02T08:14:59Z');
    await at('2026-03-02T08:15:00Z');
    await at('2026-03-02T08:16:00Z');
    await at('2026-05-14T10:00:00Z'); // Ascension Day
    await at('2026-03-07T10:00:00Z'); // Saturday
    await at('2026-03-08T10:00:00Z'); // Sunday
    expect(ran).toEqual([`2026-03-02T08:00:00.000Z ${P}`, `2026-03-02T08:15:00.000Z ${P}`]);
    // The practice opens on Saturdays and closes on Tuesday 3 March: the settings are in force at the next tick.
    await saveSettings(app.db, P, { ...DEFAULT_SETTINGS, saturdayIsWorkingDay: true, closedDates: ['2026-03-03'] }, { expectedVersion: 0, by: 'Practitioner/leder', at: new Date(now) });
    await at('2026-03-07T10:30:00Z');
    await at('2026-03-03T10:30:00Z');
    expect(ran.slice(2)).toEqual([`2026-03-07T10:30:00.000Z ${P}`]);
  });

  it('runs a daily job once a day from its Oslo time, and catches up after downtime', async () => {
    let now = 0;
    const ran: string[] = [];
    const nightly: JobDefinition = { name: 'test.nightly', perPractice: false, schedule: { dailyAt: '02:00' }, run: async (ctx) => void ran.push(new Date(ctx.now()).toISOString()) };
    const s = new Scheduler({ db: app.db, registry, backend, jobs: [nightly], now: () => now });
    const at = async (iso: string) => {
      now = Date.parse(iso);
      await s.tick();
      await s.runDue();
    };
    await at('2026-03-02T00:59:00Z'); // 01:59 Oslo
    await at('2026-03-02T01:00:00Z'); // 02:00 Oslo
    await at('2026-03-02T05:00:00Z');
    await at('2026-05-13T23:59:00Z'); // 01:59 Oslo (summer time)
    await at('2026-05-14T06:00:00Z'); // the server was down at 02:00: runs at the first tick
    await at('2026-05-14T07:00:00Z');
    expect(ran).toEqual(['2026-03-02T01:00:00.000Z', '2026-05-14T06:00:00.000Z']);
  });

  it('retries a failed run after a back-off, and reports the last run with its error', async () => {
    let now = Date.parse('2026-03-02T08:00:00Z');
    let fail = true;
    const flaky: JobDefinition = {
      name: 'test.flaky',
      perPractice: true,
      async run() {
        if (fail) throw new Error('EPJ-en svarte 503');
      },
    };
    const s = new Scheduler({ db: app.db, registry, backend, jobs: [flaky], now: () => now });
    expect(await s.runNow('test.flaky', P)).toHaveLength(1);
    expect(await s.runDue()).toEqual([{ job: 'test.flaky', practiceId: P, iss: ISS, ok: false, error: 'EPJ-en svarte 503' }]);
    // Not again before the back-off (1 minute after the first attempt).
    now += 30_000;
    expect(await s.runDue()).toEqual([]);
    now += 30_000;
    fail = false;
    expect(await s.runDue()).toEqual([{ job: 'test.flaky', practiceId: P, iss: ISS, ok: true }]);
    expect(await s.lastRuns(P)).toEqual([{ job: 'test.flaky', iss: ISS, state: 'done', slot: null, attempts: 2, startedAt: '2026-03-02T08:01:00.000Z', finishedAt: '2026-03-02T08:01:00.000Z', error: null }]);
  });

  it('warns the daglig leder of egenandeler unclaimed for more than 14 days (model A), and closes the warning when claimed', async () => {
    // Service days by hand: 14 days before 2026-03-17 is 2026-03-03; "older than 14 days" = before that.
    const charge = (id: string, at: string, egenandel: number, extra: Partial<ChargeRecord> = {}): ChargeRecord => ({
      id, code: '2ad', at, patientId: 'p', performerId: 'Practitioner/nurse-1', performerRole: 'nurse', quantity: 1, honorar: 200, egenandelCharged: egenandel, refusjon: 0, cancelled: false, ...extra,
    });
    let charges: ChargeRecord[] = [
      charge('old-1', '2026-03-01T09:00:00+01:00', 170),
      charge('old-2', '2026-03-02T23:30:00+01:00', 170),
      charge('day-14', '2026-03-03T08:00:00+01:00', 170), // exactly 14 days: not yet overdue
      charge('old-free', '2026-03-01T10:00:00+01:00', 0, { waiverReason: 'SAME_DAY' }),
      charge('old-claimed', '2026-02-20T10:00:00+01:00', 170, { claimedAt: '2026-03-01T12:00:00Z' }),
      charge('old-gp', '2026-02-20T10:00:00+01:00', 170, { performerRole: 'gp' }),
    ];
    let now = Date.parse('2026-03-17T06:00:00Z'); // Tuesday 07:00 Oslo
    const s = new Scheduler({ db: app.db, registry, backend, jobs: [claimsWarningJob(async () => charges)], now: () => now });
    await s.tick();
    expect(await s.runDue()).toEqual([{ job: CLAIMS_WARNING_JOB, practiceId: P, iss: ISS, ok: true }]);
    expect(await openWarnings(app.db, P)).toEqual([
      {
        kind: CLAIMS_OVERDUE,
        message: '2 egenandeler er eldre enn 14 dager og ikke markert som krevd. Send kravet til Helfo og marker dem i kravkontrollen.',
        details: { count: 2, egenandel: 340, oldestServiceDay: '2026-03-01', chargeIds: ['old-1', 'old-2'] },
        openedAt: '2026-03-17T06:00:00.000Z',
        updatedAt: '2026-03-17T06:00:00.000Z',
      },
    ]);
    // Marked as claimed: the next working morning closes it.
    charges = charges.map((c) => ({ ...c, claimedAt: '2026-03-17T12:00:00Z' }));
    now = Date.parse('2026-03-18T06:00:00Z');
    await s.tick();
    await s.runDue();
    expect(await openWarnings(app.db, P)).toEqual([]);
    // A model B practice gets no claims warning.
    charges = [charge('old-3', '2026-03-01T09:00:00+01:00', 170)];
    await saveSettings(app.db, P, { ...DEFAULT_SETTINGS, financingModel: 'B' }, { expectedVersion: 0, by: 'Practitioner/leder', at: new Date(now) });
    now = Date.parse('2026-03-19T06:00:00Z');
    await s.tick();
    await s.runDue();
    expect(await openWarnings(app.db, P)).toEqual([]);
  });

  it('nudges the write-back when a write-back is queued, at commit', async () => {
    const heard: string[] = [];
    let resolveHeard!: () => void;
    const got = new Promise<void>((r) => (resolveHeard = r));
    const stop = await listen(second, backend_ === 'PostgreSQL' ? (fresh.config.url ?? '') : undefined, WRITE_BACK_CHANNEL, (p) => {
      if (p) {
        heard.push(p);
        resolveHeard();
      }
    });
    try {
      await app.db.transaction().execute(async (tx) => {
        await enqueueWriteBack(tx, {
          practiceId: P,
          iss: ISS,
          resource: { resourceType: 'Flag', identifier: [{ system: 'urn:test', value: 'n1' }], status: 'active', code: {}, subject: { reference: 'Patient/x' } },
          patientId: 'x',
          source: 'test/n1',
          at: new Date('2026-03-02T08:00:00Z'),
        });
        expect(heard).toEqual([]);
      });
      await got;
      expect(heard).toEqual([P]);
    } finally {
      await stop();
    }
  });
});

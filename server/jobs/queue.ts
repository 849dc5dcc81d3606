// The job queue on the app's own database (issue 15 item 4): table job_run (server/db/migrations/0004_jobs.sql).
// Why not pg-boss: it runs on PGlite (measured, README "Planlagte jobber"), but its PGlite adapter drives the one
// PGlite connection outside our Kysely dialect's queue (a statement of it can land inside a slice's open
// transaction, and its error path sends ROLLBACK on that shared connection), its schema lives outside our
// migrations and backup, and its leases run on the wall clock, so tests could not drive them with a fixed
// clock. This is the small equivalent: a due row is claimed with FOR UPDATE SKIP LOCKED under a lease; the
// partial unique indexes keep one run per job+practice+EPJ running and one waiting, in any number of
// processes; a run whose lease ran out (its worker died) is queued again; every run stays as history.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../db/schema';
import type { JobRunState, JobRunTable } from './tables';

/** Which run: a job, for one practice at one EPJ ('' for a deployment-wide job). */
export interface JobTarget {
  job: string;
  practiceId?: string;
  iss?: string;
}

export interface ClaimedRun {
  id: string;
  job: string;
  practiceId: string;
  iss: string;
  slot: string | null;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
  leaseUntil: Date;
}

export interface RunRecord {
  job: string;
  iss: string;
  state: JobRunState;
  slot: string | null;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export const DEFAULT_LEASE_MS = 5 * 60_000;
/** After a failed attempt: 1, 2, 4, ... minutes, at most an hour. */
export const retryDelayMs = (attempts: number) => Math.min(60 * 60_000, 60_000 * 2 ** Math.max(0, attempts - 1));
const LOST_WORKER = 'Arbeideren som kjørte jobben ble borte før den var ferdig.';

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

function toClaimed(row: Selectable<JobRunTable>): ClaimedRun {
  return {
    id: String(row.id),
    job: row.job,
    practiceId: row.practice_id,
    iss: row.iss,
    slot: row.slot,
    payload: row.payload,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    leaseUntil: new Date(row.lease_until ?? 0),
  };
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export class JobQueue {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: { worker: string; now: () => number; leaseMs?: number },
  ) {}

  private get leaseMs(): number {
    return this.options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  private now(): Date {
    return new Date(this.options.now());
  }

  /** An update of `run` that touches it only while it is still ours (running, by this worker, this attempt). */
  private ours(run: ClaimedRun) {
    return this.db
      .updateTable('job_run')
      .where('practice_id', '=', run.practiceId)
      .where('id', '=', run.id)
      .where('state', '=', 'running')
      .where('worker', '=', this.options.worker)
      .where('attempts', '=', run.attempts);
  }

  /**
   * Queues a run. A second request while one is waiting joins it (returns its id, `queued: false`); a slot
   * already queued once (e.g. today's nightly run) is not queued again (id null).
   */
  async enqueue(target: JobTarget, opts: { slot?: string; payload?: unknown; runAt?: Date; maxAttempts?: number } = {}): Promise<{ id: string | null; queued: boolean }> {
    const at = this.now();
    const inserted = await this.db
      .insertInto('job_run')
      .values({
        job: target.job,
        practice_id: target.practiceId ?? '',
        iss: target.iss ?? '',
        slot: opts.slot ?? null,
        payload: opts.payload === undefined ? null : JSON.stringify(opts.payload),
        run_at: opts.runAt ?? at,
        created_at: at,
        ...(opts.maxAttempts ? { max_attempts: opts.maxAttempts } : {}),
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { id: String(inserted.id), queued: true };
    const runsOfTarget = () =>
      this.db.selectFrom('job_run').select('id').where('job', '=', target.job).where('practice_id', '=', target.practiceId ?? '').where('iss', '=', target.iss ?? '');
    if (opts.slot) {
      const slotted = await runsOfTarget().where('slot', '=', opts.slot).executeTakeFirst();
      if (slotted) return { id: null, queued: false };
    }
    const waiting = await runsOfTarget().where('state', '=', 'queued').executeTakeFirst();
    return { id: waiting ? String(waiting.id) : null, queued: false };
  }

  /** Runs whose lease ran out (the worker died): queued again while attempts are left, else failed. */
  async recoverExpired(): Promise<number> {
    const at = this.now();
    const expired = await this.db
      .selectFrom('job_run')
      .select(['practice_id', 'id', 'attempts', 'max_attempts'])
      .where('state', '=', 'running')
      .where('lease_until', '<', at)
      .execute();
    let recovered = 0;
    for (const row of expired) {
      const again = row.attempts < row.max_attempts;
      const set = async (state: JobRunState) =>
        this.db
          .updateTable('job_run')
          .set({ state, lease_until: null, run_at: at, error: LOST_WORKER, ...(state === 'failed' ? { finished_at: at } : {}) })
          .where('practice_id', '=', row.practice_id)
          .where('id', '=', row.id)
          .where('state', '=', 'running')
          .where('lease_until', '<', at)
          .executeTakeFirst();
      try {
        const r = await set(again ? 'queued' : 'failed');
        recovered += Number(r.numUpdatedRows);
      } catch (error) {
        // Another run of the job is already waiting: that one does the work; this one is history.
        if (!isUniqueViolation(error)) throw error;
        recovered += Number((await set('failed')).numUpdatedRows);
      }
    }
    return recovered;
  }

  /** Claims the oldest due run of these jobs whose job+practice+EPJ has no run in progress; undefined if none. */
  async claim(jobs: readonly string[]): Promise<ClaimedRun | undefined> {
    if (jobs.length === 0) return undefined;
    const at = this.now();
    const lease = new Date(at.getTime() + this.leaseMs);
    try {
      const result = await sql<Selectable<JobRunTable>>`
        update job_run set state = 'running', attempts = attempts + 1, lease_until = ${lease}, worker = ${this.options.worker},
          started_at = ${at}, finished_at = null, error = null
        where (practice_id, id) = (
          select q.practice_id, q.id from job_run q
          where q.state = 'queued' and q.run_at <= ${at} and q.job in (${sql.join([...jobs])})
            and not exists (select 1 from job_run r where r.state = 'running' and r.job = q.job and r.practice_id = q.practice_id and r.iss = q.iss)
          order by q.run_at, q.id
          limit 1
          for update skip locked)
        returning *`.execute(this.db);
      const row = result.rows[0];
      return row ? toClaimed(row) : undefined;
    } catch (error) {
      // Another process started a run of the same job+practice+EPJ in the same instant: it runs, we do not.
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  /** Extends the lease of a run still in progress; false if it is no longer ours (it expired and moved on). */
  async extend(run: ClaimedRun): Promise<boolean> {
    const lease = new Date(this.options.now() + this.leaseMs);
    const r = await this.ours(run).set({ lease_until: lease }).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async complete(run: ClaimedRun): Promise<void> {
    await this.ours(run).set({ state: 'done', lease_until: null, finished_at: this.now(), error: null }).execute();
  }

  /** A failed attempt: queued again after a back-off while attempts are left, else failed for good. */
  async fail(run: ClaimedRun, message: string): Promise<void> {
    const at = this.now();
    const finish = () => this.ours(run).set({ state: 'failed', lease_until: null, finished_at: at, error: message }).execute();
    if (run.attempts >= run.maxAttempts) return void (await finish());
    try {
      await this.ours(run)
        .set({ state: 'queued', lease_until: null, run_at: new Date(at.getTime() + retryDelayMs(run.attempts)), error: message })
        .execute();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await finish();
    }
  }
}

/** Keeps the run history for this long (the status view needs the last run of each job only). */
export const HISTORY_MS = 14 * 86_400_000;

/** Deletes finished runs older than the history (keeping each job's last one). */
export async function pruneHistory(db: Kysely<Database>, at: Date): Promise<number> {
  const r = await sql`
    delete from job_run j where j.state in ('done', 'failed') and j.finished_at < ${new Date(at.getTime() - HISTORY_MS)}
      and exists (select 1 from job_run k where k.job = j.job and k.practice_id = j.practice_id and k.iss = j.iss
        and k.state in ('done', 'failed') and k.finished_at > j.finished_at)`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** The last finished run (done or failed) of each job at each EPJ for a practice, plus deployment-wide jobs. */
export async function lastRuns(db: Kysely<Database>, practiceId: string): Promise<RunRecord[]> {
  const rows = await sql<Selectable<JobRunTable>>`
    select distinct on (job, iss) * from job_run
    where practice_id in (${practiceId}, '') and state in ('done', 'failed')
    order by job, iss, finished_at desc, id desc`.execute(db);
  return rows.rows.map((r) => ({
    job: r.job,
    iss: r.iss,
    state: r.state,
    slot: r.slot,
    attempts: r.attempts,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    error: r.error,
  }));
}

// The scheduler and worker of the server's jobs (issue 15 item 4). Given the JobDefinitions, `tick` queues the
// schedule slots that are due now (server/jobs/schedule.ts) for each practice of each EPJ registry entry (or once
// for a deployment-wide job), and `runDue` claims and runs due runs from the queue (server/jobs/queue.ts) until
// none is left. Both take the time from `now`, so tests use a fixed clock and drive ticks themselves; `start`
// only adds a timer that calls them (server/main.ts; PHT_JOBS=off leaves it out). `runNow` queues a run at
// once (manual rescan, the write-back nudge), `lastRuns` says how each job went.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { isWorkingDay } from '../../src/domain/calendar';
import { calendarOf } from '../../src/domain/settings';
import type { Database } from '../db/schema';
import { getSettings } from '../features/settings/store';
import type { BackendServices } from '../smart/backendServices';
import type { CapabilityCache } from '../epj/capabilities';
import type { EpjRegistry } from '../smart/registry';
import { JobQueue, lastRuns, pruneHistory, type ClaimedRun, type RunRecord } from './queue';
import { checkSchedule, dueSlot } from './schedule';
import type { JobContext, JobDefinition } from './types';

export interface SchedulerOptions {
  db: Kysely<Database>;
  registry: EpjRegistry;
  backend: BackendServices;
  /** The server's one CapabilityStatement cache, handed to every job (JobContext.capabilities). */
  capabilities?: CapabilityCache;
  jobs: readonly JobDefinition[];
  now?: () => number;
  log?: (line: string) => void;
  /** This process's name in job_run.worker (default host:pid:random). */
  worker?: string;
}

export interface RunOutcome {
  job: string;
  practiceId: string;
  iss: string;
  ok: boolean;
  error?: string;
}

interface Target {
  practiceId: string;
  iss: string;
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class Scheduler {
  private readonly byName: Map<string, JobDefinition>;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private readonly worker: string;
  private readonly queues = new Map<number, JobQueue>();
  private timer: NodeJS.Timeout | undefined;
  private prunedAt = 0;
  private loop: Promise<void> | undefined;
  private again = false;

  constructor(private readonly options: SchedulerOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => undefined);
    this.worker = options.worker ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.byName = new Map();
    for (const job of options.jobs) {
      if (this.byName.has(job.name)) throw new Error(`Jobben ${job.name} er definert to ganger`);
      if (job.schedule) checkSchedule(job.name, job.schedule);
      this.byName.set(job.name, job);
    }
  }

  get jobNames(): string[] {
    return [...this.byName.keys()];
  }

  /** The queue with a job's lease (each job may have its own). */
  private queue(job?: JobDefinition): JobQueue {
    const leaseMs = (job?.leaseMinutes ?? 5) * 60_000;
    let q = this.queues.get(leaseMs);
    if (!q) {
      q = new JobQueue(this.options.db, { worker: this.worker, now: this.now, leaseMs });
      this.queues.set(leaseMs, q);
    }
    return q;
  }

  /** Where a job runs: each practice of each registry entry, or once for the deployment. */
  private targets(job: JobDefinition, practiceId?: string): Target[] {
    if (!job.perPractice) return [{ practiceId: '', iss: '' }];
    return this.options.registry.entries.flatMap((e) => e.organisations.filter((o) => practiceId === undefined || o === practiceId).map((o) => ({ practiceId: o, iss: e.iss })));
  }

  private async workingDayTest(practiceId: string): Promise<(date: string) => boolean> {
    const calendar = practiceId ? calendarOf((await getSettings(this.options.db, practiceId)).settings) : undefined;
    return (date) => {
      try {
        return isWorkingDay(date, calendar);
      } catch (error) {
        // Outside the holiday table: better to run than to stop every job.
        this.log(`[jobs] arbeidsdag ukjent for ${date}: ${describe(error)}`);
        return true;
      }
    };
  }

  /** Queues every schedule slot due now; returns how many runs were queued. */
  async tick(): Promise<number> {
    const at = new Date(this.now());
    let queued = 0;
    const calendars = new Map<string, (date: string) => boolean>();
    for (const job of this.byName.values()) {
      if (!job.schedule) continue;
      for (const target of this.targets(job)) {
        let test = calendars.get(target.practiceId);
        if (!test) calendars.set(target.practiceId, (test = await this.workingDayTest(target.practiceId)));
        const slot = dueSlot(job.schedule, at, test);
        if (!slot) continue;
        const r = await this.queue(job).enqueue({ job: job.name, ...target }, { slot, ...(job.maxAttempts ? { maxAttempts: job.maxAttempts } : {}) });
        if (r.queued) queued++;
      }
    }
    return queued;
  }

  /** Queues a run now (for one practice, at each EPJ serving it; or the deployment-wide run). Returns run ids. */
  async runNow(name: string, practiceId?: string, payload?: unknown): Promise<string[]> {
    const job = this.byName.get(name);
    if (!job) throw new Error(`Ukjent jobb ${name}`);
    const ids: string[] = [];
    for (const target of this.targets(job, practiceId)) {
      const r = await this.queue(job).enqueue({ job: name, ...target }, { ...(payload === undefined ? {} : { payload }), ...(job.maxAttempts ? { maxAttempts: job.maxAttempts } : {}) });
      if (r.id) ids.push(r.id);
    }
    return ids;
  }

  /** runNow, then wakes the worker loop when the timer runs (the write-back right after an enqueue). */
  nudge(name: string, practiceId?: string): void {
    void this.runNow(name, practiceId)
      .then(() => this.wake())
      .catch((error: unknown) => this.log(`[jobs] ${name}: kunne ikke køes: ${describe(error)}`));
  }

  /** Recovers runs of dead workers, then claims and runs due runs one by one until none is due. */
  async runDue(): Promise<RunOutcome[]> {
    const outcomes: RunOutcome[] = [];
    const names = this.jobNames;
    await this.queue().recoverExpired();
    if (this.now() - this.prunedAt > 3_600_000) {
      this.prunedAt = this.now();
      await pruneHistory(this.options.db, new Date(this.prunedAt));
    }
    for (let i = 0; i < 10_000; i++) {
      const run = await this.queue().claim(names);
      if (!run) break;
      outcomes.push(await this.execute(run));
    }
    return outcomes;
  }

  private async execute(run: ClaimedRun): Promise<RunOutcome> {
    const job = this.byName.get(run.job);
    const queue = this.queue(job);
    const outcome = { job: run.job, practiceId: run.practiceId, iss: run.iss };
    // The lease of a run in progress is renewed at a third of its length, so only a dead worker loses it.
    const leaseMs = (job?.leaseMinutes ?? 5) * 60_000;
    const heartbeat = setInterval(() => void queue.extend(run).catch(() => undefined), leaseMs / 3);
    heartbeat.unref();
    try {
      if (!job) throw new Error(`Ukjent jobb ${run.job}`);
      // Claimed with the default lease; a job with its own lease length gets it at once.
      if (job.leaseMinutes !== undefined) await queue.extend(run);
      const ctx: JobContext = { db: this.options.db, registry: this.options.registry, backend: this.options.backend, ...(this.options.capabilities ? { capabilities: this.options.capabilities } : {}), now: this.now, log: this.log };
      if (job.perPractice) {
        const epj = this.options.registry.lookup(run.iss);
        if (!epj) throw new Error(`Journalsystemet ${run.iss} er ikke lenger registrert`);
        ctx.practice = { practiceId: run.practiceId, epj };
      }
      await job.run(ctx, run.payload ?? undefined);
      await queue.complete(run);
      return { ...outcome, ok: true };
    } catch (error) {
      const message = describe(error);
      this.log(`[jobs] ${run.job}${run.practiceId ? ` (${run.practiceId}, ${run.iss})` : ''} feilet: ${message}`);
      await queue.fail(run, message);
      return { ...outcome, ok: false, error: message };
    } finally {
      clearInterval(heartbeat);
    }
  }

  lastRuns(practiceId: string): Promise<RunRecord[]> {
    return lastRuns(this.options.db, practiceId);
  }

  private wake(): void {
    if (!this.timer) return;
    if (this.loop) {
      this.again = true;
      return;
    }
    this.loop = (async () => {
      do {
        this.again = false;
        try {
          await this.tick();
          await this.runDue();
        } catch (error) {
          this.log(`[jobs] runde feilet: ${describe(error)}`);
        }
      } while (this.again && this.timer);
    })().finally(() => (this.loop = undefined));
  }

  /** Ticks and runs every `pollMs` (default 15 s) until stop(). */
  start(pollMs = 15_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.wake(), pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Stops the timer and waits for the run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.loop;
  }
}

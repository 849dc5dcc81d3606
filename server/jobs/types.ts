// What a scheduled job is (issue 15 item 4). Each slice exports its jobs from server/features/<job>/jobs.ts
// as JobDefinitions; server/jobs/ (the queue and scheduler) runs them so that a job survives restarts and
// never runs twice at once, on one or many server processes.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { CapabilityCache } from '../epj/capabilities';
import type { BackendServices } from '../smart/backendServices';
import type { EpjEntry, EpjRegistry } from '../smart/registry';

export interface JobContext {
  db: Kysely<Database>;
  registry: EpjRegistry;
  /** The app server's own SMART Backend Services client (system token per EPJ). */
  backend: BackendServices;
  /** The server's one cache of the EPJs' CapabilityStatements (shared with the routes); absent: fetched per run. */
  capabilities?: CapabilityCache;
  now: () => number;
  log: (line: string) => void;
  /** Set when the job runs for one practice (scheduled jobs run once per practice of each registry entry). */
  practice?: { practiceId: string; epj: EpjEntry };
}

export interface JobSchedule {
  /** Run every N minutes (e.g. the discharge sweep: 15). */
  everyMinutes?: number;
  /** Run once a day at this Oslo time, 'HH:MM' (e.g. the nightly scan: '02:00'). */
  dailyAt?: string;
  /** Only on working days of the practice's calendar (SPEC §2; settings' closed dates and Saturdays). */
  workingDaysOnly?: boolean;
}

export interface JobDefinition {
  /** Unique, e.g. 'follow-up.sweep'. */
  name: string;
  schedule?: JobSchedule;
  /** Once per practice (ctx.practice set) or once per deployment. */
  perPractice: boolean;
  /** How long a run may go without its worker renewing the lease before another process takes it over (default 5). */
  leaseMinutes?: number;
  /** Attempts before a run is given up as failed (default 3; a failed attempt is retried after 1, 2, 4 ... minutes). */
  maxAttempts?: number;
  run(ctx: JobContext, payload?: unknown): Promise<void>;
}

// The discharge sweep (SPEC §4, issue 15 item 4): every 15 minutes on working days, per practice, the
// app server reads the discharges of the look-back window from the EPJ with its own SMART Backend
// Services token and creates the follow-up tasks of candidates and confirmed target-group patients in
// the database, once (store.ensureFollowUp: one task per practice + patient + episode, whoever comes
// first: the sweep, the inbox or the worklist). Others wait in the secretary's inbox. `npm run sweep`
// runs the same function once (scripts/sweep.ts).
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { osloDate, type CalendarOptions } from '../../../src/domain/calendar';
import { shouldCreateTask, type TaskDecision } from '../../../src/domain/followUp';
import { calendarOf, type PracticeSettings } from '../../../src/domain/settings';
import type { DischargeEpisode } from '../../../src/fhir/discharges';
import type { Database } from '../../db/schema';
import type { EpjGet } from '../../epj/targetGroups';
import type { JobContext, JobDefinition } from '../../jobs/types';
import { getSettings } from '../settings/store';
import { readPlanFor, type ReadPlan } from '../../epj/capabilities';
import type { ShortCache } from '../../epj/shortCache';
import { readDischarges, type DischargeRead } from './epj';
import { ensureFollowUp, listFollowUps, tasksBySignal, type FollowUp } from './store';

export const SWEEP_JOB = 'follow-up.sweep';

/** A stable uuid-shaped id for the sweep's task of an episode, so two sweeps propose the same id. */
export function sweepTaskId(practiceId: string, episodeKey: string): string {
  const h = createHash('sha256').update(`${practiceId}\n${episodeKey}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const signalKeys = (episode: DischargeEpisode) => episode.signals.map((s) => `${s.resourceType}/${s.id}`);

export interface PracticeEpj {
  practiceId: string;
  iss: string;
  get: EpjGet;
  /** What the EPJ lets the app read (the app server's shared capability cache); absent: read from its statement. */
  plan?: () => Promise<ReadPlan>;
  /**
   * The app server's short cache of discharge reads per practice (issue 19 point 2): the inbox and the
   * worklist of 50 users share one EPJ read a few seconds old instead of reading every discharge each.
   * Absent (the scheduled sweep, `npm run sweep`): read now.
   */
  discharges?: ShortCache<DischargeRead>;
}

export interface Episodes extends DischargeRead {
  today: string;
  calendar: CalendarOptions;
  settings: PracticeSettings;
  /** Task id per episode key (tasks that exist now). */
  taskOf: Map<string, string>;
}

/** Reads the practice's discharge episodes and which already have a task. */
export async function readEpisodes(db: Kysely<Database>, epj: PracticeEpj, now: number): Promise<Episodes> {
  const today = osloDate(new Date(now).toISOString());
  const { settings } = await getSettings(db, epj.practiceId);
  const calendar = calendarOf(settings);
  const ctx = {
    practiceId: epj.practiceId,
    today,
    lookbackDays: settings.dischargeLookbackDays,
    calendar,
    epikriseCodes: settings.epikriseCodes,
    ...(epj.plan ? { plan: await epj.plan() } : {}),
  };
  const load = () => readDischarges(epj.get, epj.iss, ctx);
  // The key holds everything the read depends on (the settings and the plan too): a changed setting reads afresh.
  const key = `${epj.practiceId}\n${epj.iss}\n${JSON.stringify([today, settings.dischargeLookbackDays, calendar, settings.epikriseCodes, ctx.plan ? [ctx.plan.readable ? [...ctx.plan.readable].sort() : null, ctx.plan.unavailable] : null])}`;
  const read = epj.discharges ? (await epj.discharges.get(key, load)).value : await load();
  const bySignal = await tasksBySignal(db, epj.practiceId, read.episodes.flatMap(signalKeys));
  const keyed = await db
    .selectFrom('follow_up_task')
    .select(['id', 'patient_id', 'episode_key'])
    .where('practice_id', '=', epj.practiceId)
    .where('episode_key', 'in', read.episodes.length > 0 ? read.episodes.map((e) => e.key) : [''])
    .execute();
  const byKey = new Map(keyed.map((r) => [`${r.patient_id}\n${r.episode_key}`, r.id]));
  const taskOf = new Map<string, string>();
  for (const e of read.episodes) {
    const id = (e.patientId ? byKey.get(`${e.patientId}\n${e.key}`) : undefined) ?? signalKeys(e).map((s) => bySignal.get(s)).find((t) => t !== undefined);
    if (id) taskOf.set(e.key, id);
  }
  return { ...read, today, calendar, settings, taskOf };
}

/** SPEC §4's decision for one episode (automatic creation: not requested by a user). */
export function decisionOf(episodes: Episodes, episode: DischargeEpisode): TaskDecision {
  const target = episode.patientId ? episodes.target.get(episode.patientId) : undefined;
  return shouldCreateTask(target?.status ?? 'none', {
    ...(episode.deadline ? { deadline: episode.deadline } : {}),
    firstSeen: episodes.today,
    hasErrors: episode.errors.length > 0,
    hasTask: episodes.taskOf.has(episode.key),
  });
}

export interface SweepReport {
  today: string;
  episodes: number;
  created: number;
  alreadyThere: number;
  /** Not in a target group, history, or a date to confirm: waiting for the secretary's triage. */
  awaitingTriage: number;
  withErrors: number;
  failures: { key: string; message: string }[];
  /** Open tasks due today / overdue, as of today. */
  dueToday: FollowUp[];
  overdue: FollowUp[];
}

export interface Created {
  created: number;
  alreadyThere: number;
  awaitingTriage: number;
  failures: { key: string; message: string }[];
}

/**
 * Creates the automatic tasks of read episodes (target-group patients with a known discharge date; a
 * message without a date waits for a user to confirm it) and records them in `episodes.taskOf`.
 */
export async function createAutomatic(db: Kysely<Database>, epj: Pick<PracticeEpj, 'practiceId' | 'iss'>, episodes: Episodes, now: number): Promise<Created> {
  const out: Created = { created: 0, alreadyThere: 0, awaitingTriage: 0, failures: [] };
  for (const episode of episodes.episodes) {
    const decision = decisionOf(episodes, episode);
    if (decision.reason === 'task-exists' || decision.reason === 'has-errors') continue;
    if (!decision.create || episode.dischargeDate === undefined || !episode.patientId || !episode.deadline) {
      out.awaitingTriage++;
      continue;
    }
    try {
      const result = await ensureFollowUp(db, epj.practiceId, {
        id: sweepTaskId(epj.practiceId, episode.key),
        iss: epj.iss,
        patientId: episode.patientId,
        episodeKey: episode.key,
        institution: episode.institution,
        dischargeDate: episode.dischargeDate,
        ...(episode.messageDate ? { messageDate: osloDate(episode.messageDate) } : {}),
        ...(episode.summaryRef ? { summaryRef: episode.summaryRef } : {}),
        deadline: episode.deadline,
        signals: signalKeys(episode),
        createdBy: 'system',
        at: new Date(now),
      });
      episodes.taskOf.set(episode.key, result.task.id);
      if (result.created) out.created++;
      else out.alreadyThere++;
    } catch (error) {
      out.failures.push({ key: episode.key, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return out;
}

/** One sweep of one practice at one EPJ. */
export async function sweepPractice(db: Kysely<Database>, epj: PracticeEpj, now: number, log: (line: string) => void = () => undefined): Promise<SweepReport> {
  const episodes = await readEpisodes(db, epj, now);
  const { created, alreadyThere, awaitingTriage, failures } = await createAutomatic(db, epj, episodes, now);
  const open = await listFollowUps(db, epj.practiceId, { open: true, deadlineTo: episodes.today });
  const report: SweepReport = {
    today: episodes.today,
    episodes: episodes.episodes.length,
    created,
    alreadyThere,
    awaitingTriage,
    withErrors: episodes.episodes.filter((e) => e.errors.length > 0).length,
    failures,
    dueToday: open.filter((t) => t.deadline === episodes.today),
    overdue: open.filter((t) => t.deadline < episodes.today),
  };
  log(`[${SWEEP_JOB}] ${epj.practiceId} @ ${epj.iss}: ${report.episodes} utskrivninger, ${created} nye oppgaver, ${awaitingTriage} venter på vurdering${failures.length ? `, ${failures.length} feilet` : ''}`);
  return report;
}

/** Runs the sweep in a job context (the scheduler, or `npm run sweep`). */
export async function runSweepJob(ctx: JobContext): Promise<SweepReport[]> {
  const targets = ctx.practice
    ? [ctx.practice]
    : ctx.registry.entries.flatMap((epj) => epj.organisations.map((practiceId) => ({ practiceId, epj })));
  const reports: SweepReport[] = [];
  for (const { practiceId, epj } of targets) {
    const get = (url: URL) => ctx.backend.get(epj, url);
    // What the EPJ lets the server read: its statement through the server's one capability cache, with the registry's override.
    const plan = () => readPlanFor(epj.iss, get, epj.capabilities, ctx.capabilities);
    reports.push(await sweepPractice(ctx.db, { practiceId, iss: epj.iss, get, plan }, ctx.now(), ctx.log));
  }
  return reports;
}

export const followUpSweepJob: JobDefinition = {
  name: SWEEP_JOB,
  schedule: { everyMinutes: 15, workingDaysOnly: true },
  perPractice: true,
  async run(ctx) {
    await runSweepJob(ctx);
  },
};

export const followUpJobs: JobDefinition[] = [followUpSweepJob];

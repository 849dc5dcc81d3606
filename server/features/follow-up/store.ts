// Discharge follow-up tasks and the GP's tasks in the app's database (issue 15 item 2, SPEC §4, issue 17
// item 13). The database holds the invariants (migration 0010): one task per practice + patient +
// discharge episode, one task per discharge signal, states and their fields agree. Every write is
// idempotent (the client's id, or the episode for the sweep), changes that two users can make to one task
// (close, assign, confirm the date; a GP task's answer) are version-checked, and each attempt and each
// closure queues its journal note in the same transaction (server/epj/writeBack.ts).
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { followUpDeadline, osloDate, type CalendarOptions } from '../../../src/domain/calendar';
import {
  FOLLOW_UP_CLOSE_REASON_TEXT,
  followUpOutcome,
  followUpStatus,
  type ContactAttempt,
  type ContactChannel,
  type FollowUpCloseReason,
  type FollowUpStatus,
} from '../../../src/domain/followUp';
import type { Attempt, FollowUp, GpTask, NewGpTask } from '../../../src/domain/followUpViews';
import type { Database } from '../../db/schema';
import { journalNote } from '../../epj/journalNote';
import { enqueueWriteBack, journalStates } from '../../epj/writeBack';
import type { GpTaskTable } from './tables';

export type { Attempt, Closure, FollowUp, GpTask, NewGpTask } from '../../../src/domain/followUpViews';

type Db = Kysely<Database> | Transaction<Database>;

export const followUpSource = (taskId: string) => `follow-up/${taskId}`;

// Date columns as text: both drivers would otherwise make local-midnight Date objects of them.
const TASK_COLUMNS = [
  'id',
  'iss',
  'patient_id',
  'episode_key',
  'institution_id',
  'institution_name',
  sql<string | null>`discharge_date::text`.as('discharge_date'),
  'discharge_date_confirmed',
  sql<string | null>`message_date::text`.as('message_date'),
  'summary_ref',
  sql<string>`deadline::text`.as('deadline'),
  'status',
  'outcome',
  'owner',
  'close_reason',
  'closed_at',
  'closed_by',
  'close_note',
  'created_at',
  'created_by',
  'version',
] as const;

interface TaskRow {
  id: string;
  iss: string;
  patient_id: string;
  episode_key: string;
  institution_id: string | null;
  institution_name: string | null;
  discharge_date: string | null;
  discharge_date_confirmed: boolean;
  message_date: string | null;
  summary_ref: string | null;
  deadline: string;
  status: FollowUpStatus;
  outcome: 'met' | 'late' | null;
  owner: string | null;
  close_reason: FollowUpCloseReason | null;
  closed_at: Date | null;
  closed_by: string | null;
  close_note: string | null;
  created_at: Date;
  created_by: string;
  version: number;
}

const iso = (d: Date | string) => new Date(d).toISOString();

function taskQuery(db: Db, practiceId: string) {
  return db.selectFrom('follow_up_task').select(TASK_COLUMNS).where('practice_id', '=', practiceId);
}

function gpTaskOf(row: Omit<Selectable<GpTaskTable>, 'practice_id'>): GpTask {
  return {
    id: row.id,
    patientId: row.patient_id,
    assignee: row.assignee,
    kind: row.kind,
    reason: row.reason,
    due: row.due,
    followUpId: row.follow_up_id,
    status: row.status,
    answer: row.answer,
    completedAt: row.completed_at ? iso(row.completed_at) : null,
    completedBy: row.completed_by,
    createdAt: iso(row.created_at),
    createdBy: row.created_by,
    version: row.version,
  };
}

const GP_TASK_COLUMNS = [
  'id',
  'patient_id',
  'assignee',
  'kind',
  'reason',
  sql<string | null>`due::text`.as('due'),
  'follow_up_id',
  'status',
  'answer',
  'completed_at',
  'completed_by',
  'created_at',
  'created_by',
  'version',
] as const;

/** Tasks with their attempts, GP tasks and journal state, in the order of `rows`. */
async function hydrate(db: Db, practiceId: string, rows: readonly TaskRow[]): Promise<FollowUp[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [attempts, gpTasks, journal] = await Promise.all([
    db
      .selectFrom('follow_up_attempt')
      .select(['id', 'task_id', 'at', 'channel', 'by', 'successful', 'note'])
      .where('practice_id', '=', practiceId)
      .where('task_id', 'in', ids)
      .orderBy('at')
      .orderBy('recorded_at')
      .orderBy('id')
      .execute(),
    db.selectFrom('gp_task').select(GP_TASK_COLUMNS).where('practice_id', '=', practiceId).where('follow_up_id', 'in', ids).orderBy('created_at').execute(),
    journalStates(db as Kysely<Database>, practiceId, ids.map(followUpSource)),
  ]);
  const attemptsBy = new Map<string, Attempt[]>();
  for (const a of attempts) {
    const list = attemptsBy.get(a.task_id) ?? [];
    list.push({ id: a.id, at: iso(a.at), channel: a.channel, by: a.by, successful: a.successful, note: a.note });
    attemptsBy.set(a.task_id, list);
  }
  const gpBy = new Map<string, GpTask[]>();
  for (const g of gpTasks) {
    if (!g.follow_up_id) continue;
    gpBy.set(g.follow_up_id, [...(gpBy.get(g.follow_up_id) ?? []), gpTaskOf(g)]);
  }
  return rows.map((r) => ({
    id: r.id,
    patientId: r.patient_id,
    episodeKey: r.episode_key,
    institution: { id: r.institution_id, name: r.institution_name },
    dischargeDate: r.discharge_date,
    dischargeDateConfirmed: r.discharge_date_confirmed,
    messageDate: r.message_date,
    summaryRef: r.summary_ref,
    deadline: r.deadline,
    status: r.status,
    outcome: r.outcome,
    owner: r.owner,
    closure: r.close_reason && r.closed_at && r.closed_by ? { reason: r.close_reason, at: iso(r.closed_at), by: r.closed_by, note: r.close_note } : null,
    attempts: attemptsBy.get(r.id) ?? [],
    gpTasks: gpBy.get(r.id) ?? [],
    createdAt: iso(r.created_at),
    createdBy: r.created_by,
    version: r.version,
    journal: journal.get(followUpSource(r.id)) ?? null,
  }));
}

export async function getFollowUp(db: Db, practiceId: string, id: string): Promise<FollowUp | undefined> {
  const row = (await taskQuery(db, practiceId).where('id', '=', id).executeTakeFirst()) as TaskRow | undefined;
  return row ? (await hydrate(db, practiceId, [row]))[0] : undefined;
}

export interface FollowUpFilter {
  /** Only tasks not yet contacted or closed. */
  open?: boolean;
  patientId?: string;
  /** Deadline on or after (Oslo date). */
  deadlineFrom?: string;
  deadlineTo?: string;
  ids?: readonly string[];
}

export async function listFollowUps(db: Db, practiceId: string, filter: FollowUpFilter = {}): Promise<FollowUp[]> {
  let q = taskQuery(db, practiceId);
  if (filter.open) q = q.where('status', 'in', ['new', 'attempted']);
  if (filter.patientId) q = q.where('patient_id', '=', filter.patientId);
  if (filter.deadlineFrom) q = q.where('deadline', '>=', filter.deadlineFrom);
  if (filter.deadlineTo) q = q.where('deadline', '<=', filter.deadlineTo);
  if (filter.ids) {
    if (filter.ids.length === 0) return [];
    q = q.where('id', 'in', [...filter.ids]);
  }
  const rows = (await q.orderBy('deadline').orderBy('id').execute()) as TaskRow[];
  return hydrate(db, practiceId, rows);
}

/** The tasks of these discharge signals (e.g. `Encounter/enc-1`), by signal. */
export async function tasksBySignal(db: Db, practiceId: string, signals: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (signals.length === 0) return out;
  const rows = await db.selectFrom('follow_up_signal').select(['signal', 'task_id']).where('practice_id', '=', practiceId).where('signal', 'in', [...new Set(signals)]).execute();
  for (const r of rows) out.set(r.signal, r.task_id);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Creating a task (the sweep, or a user's triage)

export interface NewFollowUp {
  /** The client's id (uuid); the sweep derives one. */
  id: string;
  iss: string;
  patientId: string;
  episodeKey: string;
  institution: { id?: string; name?: string };
  dischargeDate?: string;
  dischargeDateConfirmed?: boolean;
  messageDate?: string;
  summaryRef?: string;
  deadline: string;
  /** `Type/id` of every signal of the episode. */
  signals: string[];
  owner?: string;
  createdBy: string;
  at: Date;
}

export interface Ensured {
  task: FollowUp;
  created: boolean;
}

/**
 * Creates the task of a discharge episode once: the same client id, the same episode, or any signal the
 * episode shares with an existing task finds that task instead (and links the new signals to it).
 */
export async function ensureFollowUp(db: Kysely<Database>, practiceId: string, input: NewFollowUp): Promise<Ensured> {
  return db.transaction().execute(async (tx) => {
    const existing = await findExisting(tx, practiceId, input);
    let taskId = existing;
    let created = false;
    if (!taskId) {
      const inserted = await tx
        .insertInto('follow_up_task')
        .values({
          practice_id: practiceId,
          id: input.id,
          iss: input.iss,
          patient_id: input.patientId,
          episode_key: input.episodeKey,
          institution_id: input.institution.id ?? null,
          institution_name: input.institution.name ?? null,
          discharge_date: input.dischargeDate ?? null,
          discharge_date_confirmed: input.dischargeDateConfirmed ?? false,
          message_date: input.messageDate ?? null,
          summary_ref: input.summaryRef ?? null,
          deadline: input.deadline,
          outcome: null,
          owner: input.owner ?? null,
          close_reason: null,
          closed_by: null,
          close_note: null,
          created_at: input.at,
          created_by: input.createdBy,
          updated_at: input.at,
          updated_by: input.createdBy,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) {
        taskId = inserted.id;
        created = true;
      } else {
        // Someone else created it meanwhile (another process, the sweep): find it.
        taskId = await findExisting(tx, practiceId, input);
        if (!taskId) throw new Error(`follow-up: task ${input.id} is neither created nor found`);
      }
    }
    if (input.signals.length > 0) {
      await tx
        .insertInto('follow_up_signal')
        .values(input.signals.map((signal) => ({ practice_id: practiceId, signal, task_id: taskId })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    const task = await getFollowUp(tx, practiceId, taskId);
    if (!task) throw new Error(`follow-up: task ${taskId} vanished`);
    return { task, created };
  });
}

async function findExisting(db: Db, practiceId: string, input: Pick<NewFollowUp, 'id' | 'patientId' | 'episodeKey' | 'signals'>): Promise<string | undefined> {
  const own = await db
    .selectFrom('follow_up_task')
    .select('id')
    .where('practice_id', '=', practiceId)
    .where((eb) => eb.or([eb('id', '=', input.id), eb.and([eb('patient_id', '=', input.patientId), eb('episode_key', '=', input.episodeKey)])]))
    .orderBy('created_at')
    .executeTakeFirst();
  if (own) return own.id;
  if (input.signals.length === 0) return undefined;
  const bySignal = await db
    .selectFrom('follow_up_signal')
    .innerJoin('follow_up_task', (j) => j.onRef('follow_up_task.practice_id', '=', 'follow_up_signal.practice_id').onRef('follow_up_task.id', '=', 'follow_up_signal.task_id'))
    .select('follow_up_task.id')
    .where('follow_up_signal.practice_id', '=', practiceId)
    .where('follow_up_signal.signal', 'in', input.signals)
    .where('follow_up_task.patient_id', '=', input.patientId)
    .executeTakeFirst();
  return bySignal?.id;
}

// ---------------------------------------------------------------------------------------------
// Changes

export type Change<T> =
  | { ok: true; value: T; changed: boolean }
  | { ok: false; kind: 'not-found' }
  | { ok: false; kind: 'conflict'; current: FollowUp }
  | { ok: false; kind: 'refused'; reason: 'closed' | 'contacted' | 'closed-other-reason' | 'future-date' | 'after-message'; current: FollowUp };

async function lockTask(tx: Transaction<Database>, practiceId: string, id: string): Promise<TaskRow | undefined> {
  return (await taskQuery(tx, practiceId).where('id', '=', id).forUpdate().executeTakeFirst()) as TaskRow | undefined;
}

async function current(tx: Transaction<Database>, practiceId: string, id: string): Promise<FollowUp> {
  const task = await getFollowUp(tx, practiceId, id);
  if (!task) throw new Error(`follow-up: task ${id} vanished`);
  return task;
}

const CHANNEL_TEXT: Record<ContactChannel, string> = {
  phone: 'telefon',
  video: 'video',
  'in-person': 'oppmøte',
  'home-visit': 'hjemmebesøk',
  written: 'skriftlig',
};

function osloTime(at: string): string {
  const parts = new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(at));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.day}.${p.month}.${p.year} kl. ${p.hour}:${p.minute}`;
}

const dotted = (date: string) => `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;

export interface AttemptInput {
  id: string;
  at: string;
  channel: ContactChannel;
  successful: boolean;
  note?: string;
}

/**
 * Logs a contact attempt (SPEC §4): the task becomes attempted, or contacted (met or late by the first
 * successful contact) when the patient was reached. The same client id twice is logged once. A closed
 * task takes no attempts. Attempts by two users at once both count (no version check: they add up).
 */
export async function addAttempt(db: Kysely<Database>, practiceId: string, taskId: string, input: AttemptInput, by: string, now: Date): Promise<Change<FollowUp>> {
  return db.transaction().execute(async (tx): Promise<Change<FollowUp>> => {
    const row = await lockTask(tx, practiceId, taskId);
    if (!row) return { ok: false, kind: 'not-found' };
    const known = await tx.selectFrom('follow_up_attempt').select(['id', 'task_id']).where('practice_id', '=', practiceId).where('id', '=', input.id).executeTakeFirst();
    if (known) {
      if (known.task_id !== taskId) return { ok: false, kind: 'not-found' };
      return { ok: true, value: await current(tx, practiceId, taskId), changed: false };
    }
    if (row.status === 'closed') return { ok: false, kind: 'refused', reason: 'closed', current: await current(tx, practiceId, taskId) };
    await tx
      .insertInto('follow_up_attempt')
      .values({ practice_id: practiceId, id: input.id, task_id: taskId, at: new Date(input.at), channel: input.channel, by, successful: input.successful, note: input.note ?? null, recorded_at: now })
      .execute();
    const attempts = await tx.selectFrom('follow_up_attempt').select(['at', 'successful']).where('practice_id', '=', practiceId).where('task_id', '=', taskId).execute();
    const domainAttempts: Pick<ContactAttempt, 'at' | 'successful'>[] = attempts.map((a) => ({ at: iso(a.at), successful: a.successful }));
    const status = followUpStatus(domainAttempts as ContactAttempt[]);
    const outcome = status === 'contacted' ? followUpOutcome(row.deadline, domainAttempts, '9999-12-31') : null;
    await tx
      .updateTable('follow_up_task')
      .set({ status, outcome: outcome === 'met' || outcome === 'late' ? outcome : null, version: row.version + 1, updated_at: now, updated_by: by })
      .where('practice_id', '=', practiceId)
      .where('id', '=', taskId)
      .execute();
    const result = input.successful ? 'pasienten nådd' : 'ikke nådd';
    const text = [
      `Oppfølging etter utskrivning${row.discharge_date ? ` (utskrevet ${dotted(row.discharge_date)}${row.institution_name ? ` fra ${row.institution_name}` : ''})` : ''}.`,
      `Kontaktforsøk ${osloTime(input.at)} per ${CHANNEL_TEXT[input.channel]}: ${result}.`,
      ...(input.note ? [`Notat: ${input.note}`] : []),
      `Frist for kontakt: ${dotted(row.deadline)}.`,
    ].join('\n');
    await enqueueWriteBack(tx, {
      practiceId,
      iss: row.iss,
      resource: journalNote({
        id: `follow-up-attempt-${input.id}`,
        patientId: row.patient_id,
        author: by,
        date: new Date(input.at).toISOString(),
        title: input.successful ? 'Oppfølging etter utskrivning: pasienten kontaktet' : 'Oppfølging etter utskrivning: kontaktforsøk',
        text,
      }),
      patientId: row.patient_id,
      source: followUpSource(taskId),
      at: now,
    });
    return { ok: true, value: await current(tx, practiceId, taskId), changed: true };
  });
}

export interface CloseInput {
  reason: FollowUpCloseReason;
  note?: string;
  /** The version the user saw. */
  version: number;
}

/**
 * Closes an open task with a reason (SPEC §4). Closing again with the same reason changes nothing (a
 * retry); a contacted task or one closed with another reason is refused; a change since the user's
 * version is a conflict (409 with what is stored now).
 */
export async function closeFollowUp(db: Kysely<Database>, practiceId: string, taskId: string, input: CloseInput, by: string, now: Date): Promise<Change<FollowUp>> {
  return db.transaction().execute(async (tx): Promise<Change<FollowUp>> => {
    const row = await lockTask(tx, practiceId, taskId);
    if (!row) return { ok: false, kind: 'not-found' };
    if (row.status === 'closed') {
      if (row.close_reason === input.reason) return { ok: true, value: await current(tx, practiceId, taskId), changed: false };
      return { ok: false, kind: 'refused', reason: 'closed-other-reason', current: await current(tx, practiceId, taskId) };
    }
    if (row.status === 'contacted') return { ok: false, kind: 'refused', reason: 'contacted', current: await current(tx, practiceId, taskId) };
    if (row.version !== input.version) return { ok: false, kind: 'conflict', current: await current(tx, practiceId, taskId) };
    await tx
      .updateTable('follow_up_task')
      .set({ status: 'closed', close_reason: input.reason, closed_at: now, closed_by: by, close_note: input.note ?? null, version: row.version + 1, updated_at: now, updated_by: by })
      .where('practice_id', '=', practiceId)
      .where('id', '=', taskId)
      .execute();
    await enqueueWriteBack(tx, {
      practiceId,
      iss: row.iss,
      resource: journalNote({
        id: `follow-up-closed-${taskId}`,
        patientId: row.patient_id,
        author: by,
        date: now.toISOString(),
        title: 'Oppfølging etter utskrivning: avsluttet',
        text: [
          `Oppfølging etter utskrivning${row.discharge_date ? ` (utskrevet ${dotted(row.discharge_date)}${row.institution_name ? ` fra ${row.institution_name}` : ''})` : ''} avsluttet uten kontakt.`,
          `Årsak: ${FOLLOW_UP_CLOSE_REASON_TEXT[input.reason]}.`,
          ...(input.note ? [`Notat: ${input.note}`] : []),
        ].join('\n'),
      }),
      patientId: row.patient_id,
      source: followUpSource(taskId),
      at: now,
    });
    return { ok: true, value: await current(tx, practiceId, taskId), changed: true };
  });
}

export interface TriageUpdate {
  version: number;
  /** `Practitioner/<id>`; null = unassigned; absent = unchanged. */
  owner?: string | null;
  /** The discharge date a user confirms when the messages had none (issue 17 item 6): the deadline is recomputed. */
  dischargeDate?: string;
}

/** Assigns the task and/or confirms its discharge date (version-checked). */
export async function updateFollowUp(
  db: Kysely<Database>,
  practiceId: string,
  taskId: string,
  input: TriageUpdate,
  by: string,
  now: Date,
  calendar?: CalendarOptions,
): Promise<Change<FollowUp>> {
  return db.transaction().execute(async (tx): Promise<Change<FollowUp>> => {
    const row = await lockTask(tx, practiceId, taskId);
    if (!row) return { ok: false, kind: 'not-found' };
    const owner = input.owner === undefined ? row.owner : input.owner;
    const date = input.dischargeDate ?? row.discharge_date;
    if (owner === row.owner && date === row.discharge_date) return { ok: true, value: await current(tx, practiceId, taskId), changed: false };
    if (row.version !== input.version) return { ok: false, kind: 'conflict', current: await current(tx, practiceId, taskId) };
    if (input.dischargeDate !== undefined) {
      if (input.dischargeDate > osloDate(now.toISOString())) return { ok: false, kind: 'refused', reason: 'future-date', current: await current(tx, practiceId, taskId) };
      if (row.message_date && input.dischargeDate > row.message_date) return { ok: false, kind: 'refused', reason: 'after-message', current: await current(tx, practiceId, taskId) };
    }
    await tx
      .updateTable('follow_up_task')
      .set({
        owner,
        ...(input.dischargeDate !== undefined
          ? { discharge_date: input.dischargeDate, discharge_date_confirmed: true, deadline: followUpDeadline(input.dischargeDate, calendar) }
          : {}),
        version: row.version + 1,
        updated_at: now,
        updated_by: by,
      })
      .where('practice_id', '=', practiceId)
      .where('id', '=', taskId)
      .execute();
    return { ok: true, value: await current(tx, practiceId, taskId), changed: true };
  });
}

// ---------------------------------------------------------------------------------------------
// GP tasks (issue 17 item 13: «Mine oppgaver»)


export type GpChange = { ok: true; value: GpTask; changed: boolean } | { ok: false; kind: 'not-found' | 'not-assignee' } | { ok: false; kind: 'conflict'; current: GpTask };

export async function getGpTask(db: Db, practiceId: string, id: string): Promise<GpTask | undefined> {
  const row = await db.selectFrom('gp_task').select(GP_TASK_COLUMNS).where('practice_id', '=', practiceId).where('id', '=', id).executeTakeFirst();
  return row ? gpTaskOf(row) : undefined;
}

/** Creates a task for a GP once per client id; a follow-up it belongs to must exist in the practice. */
export async function createGpTask(db: Kysely<Database>, practiceId: string, input: NewGpTask, by: string, now: Date): Promise<{ ok: true; value: GpTask; created: boolean } | { ok: false; kind: 'follow-up-not-found' | 'id-taken' }> {
  return db.transaction().execute(async (tx) => {
    if (input.followUpId) {
      const task = await tx.selectFrom('follow_up_task').select(['patient_id']).where('practice_id', '=', practiceId).where('id', '=', input.followUpId).executeTakeFirst();
      if (!task || task.patient_id !== input.patientId) return { ok: false as const, kind: 'follow-up-not-found' as const };
    }
    const inserted = await tx
      .insertInto('gp_task')
      .values({
        practice_id: practiceId,
        id: input.id,
        patient_id: input.patientId,
        assignee: input.assignee,
        kind: input.kind,
        reason: input.reason,
        due: input.due ?? null,
        follow_up_id: input.followUpId ?? null,
        answer: null,
        completed_at: null,
        completed_by: null,
        created_at: now,
        created_by: by,
      })
      .onConflict((oc) => oc.columns(['practice_id', 'id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    const value = await getGpTask(tx, practiceId, input.id);
    if (!value) throw new Error(`gp task ${input.id} vanished`);
    // A retry is the same task; the same id for another task is a client error.
    if (!inserted && (value.patientId !== input.patientId || value.assignee !== input.assignee || value.reason !== input.reason)) return { ok: false as const, kind: 'id-taken' as const };
    return { ok: true as const, value, created: inserted !== undefined };
  });
}

export interface GpTaskFilter {
  assignee?: string;
  status?: 'open' | 'all';
}

export async function listGpTasks(db: Db, practiceId: string, filter: GpTaskFilter): Promise<GpTask[]> {
  let q = db.selectFrom('gp_task').select(GP_TASK_COLUMNS).where('practice_id', '=', practiceId);
  if (filter.assignee) q = q.where('assignee', '=', filter.assignee);
  if (filter.status !== 'all') q = q.where('status', '=', 'open');
  // Open first, then by due date (none last), then oldest first.
  const rows = await q
    .orderBy(sql`case when status = 'open' then 0 else 1 end`)
    .orderBy(sql`due nulls last`)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(gpTaskOf);
}

export interface CompleteGpTask {
  status: 'done' | 'not-needed';
  answer?: string;
  version: number;
}

/** The assignee answers the task (done / not needed, with a note); the same answer again is a retry. */
export async function completeGpTask(db: Kysely<Database>, practiceId: string, id: string, input: CompleteGpTask, by: string, now: Date): Promise<GpChange> {
  return db.transaction().execute(async (tx): Promise<GpChange> => {
    const row = await tx.selectFrom('gp_task').select(GP_TASK_COLUMNS).where('practice_id', '=', practiceId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) return { ok: false, kind: 'not-found' };
    if (row.assignee !== by) return { ok: false, kind: 'not-assignee' };
    const task = gpTaskOf(row);
    if (row.status === input.status && (row.answer ?? '') === (input.answer ?? '')) return { ok: true, value: task, changed: false };
    if (row.version !== input.version) return { ok: false, kind: 'conflict', current: task };
    await tx
      .updateTable('gp_task')
      .set({ status: input.status, answer: input.answer ?? null, completed_at: now, completed_by: by, version: row.version + 1 })
      .where('practice_id', '=', practiceId)
      .where('id', '=', id)
      .execute();
    const value = await getGpTask(tx, practiceId, id);
    if (!value) throw new Error(`gp task ${id} vanished`);
    return { ok: true, value, changed: true };
  });
}

// The secretary's inbox of discharge messages (SPEC §4; issue "Discharge follow-up" points 3-5):
// discharge signals of the last INBOX_WINDOW_DAYS -> one row per episode with the patient, the target
// status, the existing task and what to do. Triage writes are idempotent: the task's identifier is a hash
// of the episode key and every create is a conditional create on it, so the same message triaged twice,
// or from two machines at once, gives one Task.
//
// Round-trips: 3 signal searches in parallel, then (in parallel, in batches of ID_BATCH_SIZE patients)
// Patient, RelatedPerson, the 7 resource types of the target-group facts and the patients' follow-up Tasks.
import { formatDate } from '../ui/format';
import type { Resource, Task } from '@medplum/fhirtypes';
import { followUpDeadline, osloDate, type CalendarOptions } from '../domain/calendar';
import { closeTask, shouldCreateTask, worklistUrgency, type FollowUpCloseReason, type TargetStatus, type TaskDecision } from '../domain/followUp';
import type { StatusSource } from './targetGroupStatus';
import { classifyPatient, type PatientFacts, type TargetGroup } from '../domain/targetGroups';
import {
  applyFollowUpState,
  buildDischargeFollowUpTask,
  followUpTaskIdentifierValue,
  toFollowUpTask,
  type SignalRef,
  type TaskRequester,
} from './builders/task';
import type { FhirClient } from './client';
import { detectDischarges, DISCHARGE_COMMUNICATION_CATEGORIES, DISCHARGE_SUMMARY_LOINC, INPATIENT_ENCOUNTER_CLASSES, type DischargeEpisode } from './discharges';
import { loadPatientDisplays, searchByPatients, type PatientDisplay } from './followUpsPatients';
import { FollowUpError, recordOf, updateFollowUpTask, type FollowUpRecord } from './followUpsUpdate';
import { toPatientFacts } from './mappers/patientFacts';
import { referencedPatientIds } from './patientGuard';
import { SYSTEMS } from './systems';

/** [decision] How far back the inbox looks for discharge messages (deadline + the 30-day history rule). */
export const INBOX_WINDOW_DAYS = 60;

const FACT_TYPES = ['Condition', 'MedicationStatement', 'MedicationRequest', 'Encounter', 'Observation', 'CarePlan', 'Procedure'] as const;

export interface InboxContext {
  /** Organization id of the practice: its own encounters are not discharges. */
  practiceOrgId: string;
  /** Oslo date. */
  today: string;
  calendar?: CalendarOptions;
  /** The practice's configured epikrise codes, besides LOINC 18842-5. */
  epikriseCodes?: { system: string; code: string }[];
}

export type InboxPhase = 'signals' | 'patients' | 'done';

export interface InboxProgress {
  phase: InboxPhase;
  /** Requests finished so far / planned in this phase. */
  done: number;
  total: number;
}

export interface InboxOptions {
  signal?: AbortSignal;
  onProgress?: (progress: InboxProgress) => void;
  /**
   * Target-group status from the app server instead of reading clinical facts (the secretary's inbox:
   * her token has no clinical read scopes; issue 12 item 5). Without it the facts are read and classified here.
   */
  statusSource?: StatusSource;
}

export interface Countdown {
  /** 0 = due today, > 0 working days left, < 0 overdue by that many. */
  workingDaysLeft: number;
  urgency: 'overdue' | 'due-today' | 'upcoming';
}

export interface InboxTask {
  id: string;
  status: 'new' | 'attempted' | 'contacted' | 'closed';
  ownerId?: string;
  deadline: string;
  closeReason?: FollowUpCloseReason;
  /** The task's deadline runs from the message date until someone confirms the discharge date. */
  dischargeDateUnconfirmed: boolean;
}

export interface InboxRow {
  /** DischargeEpisode.key. */
  key: string;
  episode: DischargeEpisode;
  /** «20.11.2026», or «utskrivningsdato mangler». */
  dischargeDateText: string;
  /** No discharge date in any message: the deadline runs from the message date until a user confirms. */
  needsDateConfirmation: boolean;
  deadline?: string;
  countdown?: Countdown;
  patient?: PatientDisplay;
  targetStatus: TargetStatus;
  /** The groups the patient is in (candidate or confirmed). */
  targetGroups: TargetGroup[];
  task?: InboxTask;
  decision: TaskDecision;
  /** Still to be triaged: no task yet (an error row stays until its data is fixed). */
  needsTriage: boolean;
  /** Norwegian, user-facing (episode warnings and data problems). */
  warnings: string[];
  errors: string[];
}

export interface Inbox {
  rows: InboxRow[];
  /** Tasks that could not be read (shown to the user, never thrown). */
  taskIssues: string[];
}

function isoDay(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function loadSignals(client: FhirClient, ctx: InboxContext, since: string, opts: InboxOptions): Promise<Resource[]> {
  const epikrise = (ctx.epikriseCodes ?? []).map((c) => `${c.system}|${c.code}`);
  const requests: Promise<Resource[]>[] = [
    client.searchAll('Encounter', { class: INPATIENT_ENCOUNTER_CLASSES.join(','), status: 'finished', date: `ge${since}`, _count: '500' }, { signal: opts.signal }),
    client.searchAll('DocumentReference', { type: [`${SYSTEMS.loinc}|${DISCHARGE_SUMMARY_LOINC}`, ...epikrise].join(','), date: `ge${since}`, _count: '500' }, { signal: opts.signal }),
    client.searchAll(
      'Communication',
      { category: [...DISCHARGE_COMMUNICATION_CATEGORIES, `${SYSTEMS.loinc}|${DISCHARGE_SUMMARY_LOINC}`, ...epikrise].join(','), sent: `ge${since}`, _count: '500' },
      { signal: opts.signal },
    ),
  ];
  let done = 0;
  opts.onProgress?.({ phase: 'signals', done, total: requests.length });
  const results = await Promise.all(
    requests.map((r) =>
      r.then((resources) => {
        opts.onProgress?.({ phase: 'signals', done: ++done, total: requests.length });
        return resources;
      }),
    ),
  );
  return results.flat();
}

function targetStatusOf(facts: PatientFacts, episodeDates: string[], today: string): { status: TargetStatus; groups: TargetGroup[]; warnings: string[] } {
  // The discharge itself is a fact ("a discharge in the last 365 days", SPEC §3) even when it only came
  // as a document or a message, which the facts mapper (Encounters) does not see.
  const discharges = [...new Set([...facts.discharges, ...episodeDates.filter((d) => d <= today)])];
  const classification = classifyPatient({ ...facts, discharges }, today);
  const status: TargetStatus = classification.confirmed.length > 0 ? 'confirmed' : classification.groups.length > 0 ? 'candidate' : 'none';
  return { status, groups: classification.groups, warnings: classification.warnings };
}

function inboxTask(record: FollowUpRecord): InboxTask {
  const { followUp, details } = record;
  return {
    id: followUp.id,
    status: followUp.status,
    ...(followUp.owner ? { ownerId: followUp.owner } : {}),
    deadline: followUp.deadline,
    ...(followUp.closure ? { closeReason: followUp.closure.reason } : {}),
    dischargeDateUnconfirmed: details.dischargeDateUnconfirmed,
  };
}

/** Tasks indexed by identifier value and by every signal they name, per patient. */
class TaskIndex {
  private readonly byIdentifier = new Map<string, FollowUpRecord>();
  private readonly bySignal = new Map<string, FollowUpRecord>();

  add(record: FollowUpRecord): void {
    if (record.details.taskType !== 'discharge-follow-up') return;
    if (record.details.identifier) this.byIdentifier.set(record.details.identifier, record);
    for (const s of record.details.signals) this.bySignal.set(`${record.followUp.patientId}|${s.resourceType}/${s.id}`, record);
  }

  find(episode: DischargeEpisode): FollowUpRecord | undefined {
    const own = this.byIdentifier.get(followUpTaskIdentifierValue('discharge-follow-up', episode.key));
    if (own) return own;
    if (!episode.patientId) return undefined;
    for (const s of episode.signals) {
      const found = this.bySignal.get(`${episode.patientId}|${s.resourceType}/${s.id}`);
      if (found) return found;
    }
    return undefined;
  }
}

/**
 * The inbox: every discharge episode of the last INBOX_WINDOW_DAYS, newest discharge first. A message
 * whose patient cannot be found is an error row; a discharge in the future is refused (an error); a
 * missing discharge date is shown as «utskrivningsdato mangler» and needs confirmation.
 */
export async function loadInbox(client: FhirClient, ctx: InboxContext, opts: InboxOptions = {}): Promise<Inbox> {
  const today = osloDate(ctx.today);
  const since = isoDay(today, -INBOX_WINDOW_DAYS);
  const signals = await loadSignals(client, ctx, since, opts);
  const discharges = { practiceOrgIds: [ctx.practiceOrgId], today, calendar: ctx.calendar, epikriseCodes: ctx.epikriseCodes };
  const firstPass = detectDischarges(signals, discharges);
  const patientIds = [...new Set(firstPass.episodes.map((e) => e.patientId).filter((id): id is string => id !== undefined))];

  const factTypes = opts.statusSource ? [] : FACT_TYPES;
  const total = 3 + factTypes.length;
  let done = 0;
  const tick = <T>(p: Promise<T>): Promise<T> =>
    p.then((v) => {
      opts.onProgress?.({ phase: 'patients', done: ++done, total });
      return v;
    });
  opts.onProgress?.({ phase: 'patients', done, total });
  const [loaded, tasks, ...factLists] = await Promise.all([
    tick(loadPatientDisplays(client, patientIds, opts)),
    tick(searchByPatients(client, 'Task', patientIds, { code: `${SYSTEMS.taskType}|discharge-follow-up` }, opts)),
    ...factTypes.map((type) => tick(searchByPatients(client, type, patientIds, {}, opts))),
  ]);
  const remote = opts.statusSource ? await opts.statusSource([...loaded.patients.keys()], { signal: opts.signal }) : undefined;
  opts.onProgress?.({ phase: 'patients', done: total, total });
  const facts: Resource[] = factLists.flat();

  const { episodes } = detectDischarges(signals, { ...discharges, knownPatientIds: new Set(loaded.patients.keys()) });
  const index = new TaskIndex();
  const taskIssues: string[] = [];
  for (const task of tasks) {
    const mapping = toFollowUpTask(task);
    if (mapping.followUp && mapping.details) index.add({ resource: task, followUp: mapping.followUp, details: mapping.details });
    else taskIssues.push(`Oppgave ${task.id ?? '(uten id)'}: ${mapping.issues.map((i) => i.message).join('; ')}`);
  }

  const factsByPatient = new Map<string, Resource[]>();
  for (const r of facts) {
    for (const id of referencedPatientIds(r)) factsByPatient.set(id, [...(factsByPatient.get(id) ?? []), r]);
  }
  const episodeDates = new Map<string, string[]>();
  for (const e of episodes) {
    if (e.patientId && e.dischargeDate) episodeDates.set(e.patientId, [...(episodeDates.get(e.patientId) ?? []), e.dischargeDate]);
  }
  const classified = new Map<string, ReturnType<typeof targetStatusOf>>();
  for (const [id, patient] of loaded.patients) {
    if (remote) {
      const status = remote.get(id);
      const groups = status?.groups ?? [];
      classified.set(id, { status: (status?.confirmed.length ?? 0) > 0 ? 'confirmed' : groups.length > 0 ? 'candidate' : 'none', groups, warnings: [] });
      continue;
    }
    const mapped = toPatientFacts(patient, factsByPatient.get(id) ?? [], { practiceOrgId: ctx.practiceOrgId, asOf: today });
    classified.set(id, targetStatusOf(mapped.facts, episodeDates.get(id) ?? [], today));
  }

  const rows = episodes.map((episode) => {
    const record = index.find(episode);
    const target = episode.patientId ? classified.get(episode.patientId) : undefined;
    const patient = episode.patientId ? loaded.displays.get(episode.patientId) : undefined;
    return inboxRow(episode, { record, target, patient, today, calendar: ctx.calendar });
  });
  rows.sort((a, b) => byText(b.episode.effectiveDate ?? '9999', a.episode.effectiveDate ?? '9999') || byText(a.key, b.key));
  opts.onProgress?.({ phase: 'done', done: 1, total: 1 });
  return { rows, taskIssues };
}

interface RowFacts {
  record?: FollowUpRecord;
  target?: { status: TargetStatus; groups: TargetGroup[]; warnings: string[] };
  patient?: PatientDisplay;
  today: string;
  calendar?: CalendarOptions;
}

/** One inbox row from an episode and what is known about it (pure; exported for tests). */
export function inboxRow(episode: DischargeEpisode, facts: RowFacts): InboxRow {
  // A date confirmed at triage lives on the task (issue 17 item 6): the row shows it, not «mangler».
  const dischargeDate = episode.dischargeDate ?? facts.record?.followUp.dischargeDate;
  const needsDateConfirmation = dischargeDate === undefined;
  const deadline = facts.record?.followUp.deadline ?? episode.deadline;
  let countdown: Countdown | undefined;
  if (deadline) {
    const { urgency, workingDaysLeft } = worklistUrgency({ id: episode.key, deadline, status: 'new' }, facts.today, facts.calendar);
    if (urgency !== 'done') countdown = { urgency, workingDaysLeft };
  }
  const targetStatus = facts.target?.status ?? 'none';
  const decision = shouldCreateTask(targetStatus, {
    deadline: episode.deadline,
    firstSeen: facts.today,
    hasErrors: episode.errors.length > 0,
    hasTask: facts.record !== undefined,
  });
  return {
    key: episode.key,
    episode,
    dischargeDateText: dischargeDate ? formatDate(dischargeDate) : 'utskrivningsdato mangler',
    needsDateConfirmation,
    ...(deadline ? { deadline } : {}),
    ...(countdown ? { countdown } : {}),
    ...(facts.patient ? { patient: facts.patient } : {}),
    targetStatus,
    targetGroups: facts.target?.groups ?? [],
    ...(facts.record ? { task: inboxTask(facts.record) } : {}),
    decision,
    needsTriage: facts.record === undefined,
    warnings: [...episode.warnings, ...(facts.target?.warnings ?? [])],
    errors: [...episode.errors],
  };
}

// ---------------------------------------------------------------------------------------------
// Writes

export interface TriageContext {
  /** ISO date-time now (authoredOn, lastModified). */
  now: string;
  calendar?: CalendarOptions;
}

function signalRefs(episode: DischargeEpisode): SignalRef[] {
  return episode.signals.map((s) => ({ resourceType: s.resourceType, id: s.id }));
}

function taskFor(row: InboxRow, requester: TaskRequester, now: string, ownerId: string | undefined, confirmed?: { date: string; deadline: string }): Task {
  const { episode } = row;
  const deadline = confirmed?.deadline ?? episode.deadline;
  if (!episode.patientId || !deadline || episode.errors.length > 0) {
    const why = episode.errors.length > 0 ? episode.errors.join('; ') : 'fristen kan ikke beregnes';
    throw new FollowUpError(`Kan ikke lage oppgave for denne meldingen: ${why}.`, 'Rett opplysningene i journalsystemet først.');
  }
  const dischargeDate = confirmed?.date ?? episode.dischargeDate;
  return buildDischargeFollowUpTask({
    episodeKey: episode.key,
    patientId: episode.patientId,
    signals: signalRefs(episode),
    deadline,
    ...(dischargeDate ? { dischargeDate } : {}),
    institution: episode.institution,
    ...(ownerId ? { ownerId } : {}),
    requester,
    authoredOn: now,
  });
}

function confirmedDate(row: InboxRow, confirmDate: string | undefined, ctx: TriageContext): { date: string; deadline: string } | undefined {
  if (confirmDate === undefined) return undefined;
  const date = osloDate(confirmDate);
  if (date > osloDate(ctx.now)) {
    throw new FollowUpError(`Utskrivningsdatoen ${formatDate(date)} er i fremtiden.`, 'Kontroller datoen.');
  }
  if (row.episode.messageDate && date > osloDate(row.episode.messageDate)) {
    throw new FollowUpError(`Utskrivningsdatoen ${formatDate(date)} er etter at meldingen kom.`, 'Kontroller datoen.');
  }
  return { date, deadline: followUpDeadline(date, ctx.calendar) };
}

export interface TriageResult extends FollowUpRecord {
  /** False when the task already existed (created by someone else, the sweep or an earlier click). */
  created: boolean;
}

/** Conditional create on the task's identifier (If-None-Exist): never two tasks for one episode. */
async function createOnce(client: FhirClient, task: Task): Promise<{ record: FollowUpRecord; created: boolean }> {
  const value = task.identifier?.[0]?.value ?? '';
  const { resource, created } = await client.conditionalCreate(task, { identifier: `${SYSTEMS.followUpTaskId}|${value}` });
  return { record: recordOf(resource), created };
}

async function existingRecord(client: FhirClient, row: InboxRow): Promise<Task | undefined> {
  return row.task ? client.read('Task', row.task.id) : undefined;
}

export interface CreateFollowUpOptions {
  /** The nurse to own the task (Practitioner id). */
  owner?: string;
  /** The user triaging (Practitioner id). */
  by: string;
  /** The discharge date the user confirms when the messages had none (SPEC §4). */
  confirmDate?: string;
}

/**
 * The triage action "create follow-up task" (also for patients outside the target groups, SPEC §4).
 * Idempotent: a second call, from anywhere, finds the first task; the owner and a confirmed date are then
 * set on it (version-checked).
 */
export async function createFollowUpTask(
  client: FhirClient,
  row: InboxRow,
  opts: CreateFollowUpOptions,
  ctx: TriageContext = { now: new Date().toISOString() },
): Promise<TriageResult> {
  const confirmed = confirmedDate(row, opts.confirmDate, ctx);
  const existing = await existingRecord(client, row);
  let result: { record: FollowUpRecord; created: boolean };
  if (existing) result = { record: recordOf(existing), created: false };
  else result = await createOnce(client, taskFor(row, { practitionerId: opts.by }, ctx.now, opts.owner, confirmed));
  if (result.created) return { ...result.record, created: true };

  const { followUp } = result.record;
  const wantsOwner = opts.owner !== undefined && followUp.owner !== opts.owner;
  const wantsDate = confirmed !== undefined && followUp.dischargeDate !== confirmed.date;
  if (!wantsOwner && !wantsDate) return { ...result.record, created: false };
  const updated = await updateFollowUpTask(
    client,
    followUp.id,
    ({ followUp: current }) => {
      const owner = opts.owner ?? current.owner;
      const date = confirmed?.date ?? current.dischargeDate;
      const deadline = confirmed?.deadline ?? current.deadline;
      if (owner === current.owner && date === current.dischargeDate) return undefined;
      return {
        state: { ...current, ...(owner ? { owner } : {}), ...(date ? { dischargeDate: date } : {}), deadline },
        opts: { now: ctx.now, by: opts.by },
      };
    },
    { current: result.record.resource },
  );
  return { ...updated, created: false };
}

export interface NoFollowUpOptions {
  reason?: FollowUpCloseReason;
  by: string;
  note?: string;
  confirmDate?: string;
}

/**
 * The triage action "no follow-up needed": recorded as a cancelled Task (statusReason
 * no-follow-up-needed by default), so the message leaves the inbox on every machine. An open task of
 * the episode is closed instead; a contacted or closed one is left as it is.
 */
export async function markNoFollowUp(
  client: FhirClient,
  row: InboxRow,
  opts: NoFollowUpOptions,
  ctx: TriageContext = { now: new Date().toISOString() },
): Promise<TriageResult> {
  const reason = opts.reason ?? 'no-follow-up-needed';
  const closure = { reason, at: ctx.now, by: opts.by, ...(opts.note ? { note: opts.note } : {}) };
  const existing = await existingRecord(client, row);
  let record: FollowUpRecord;
  if (existing) {
    record = recordOf(existing);
  } else {
    const confirmed = confirmedDate(row, opts.confirmDate, ctx);
    const fresh = taskFor(row, { practitionerId: opts.by }, ctx.now, undefined, confirmed);
    const draft = recordOf({ ...fresh, id: 'new' });
    const closed = applyFollowUpState(fresh, closeTask(draft.followUp, closure), { now: ctx.now, by: opts.by });
    const result = await createOnce(client, closed);
    if (result.created) return { ...result.record, created: true };
    record = result.record;
  }
  const updated = await updateFollowUpTask(
    client,
    record.followUp.id,
    ({ followUp }) => (followUp.status === 'closed' || followUp.status === 'contacted' ? undefined : { state: closeTask(followUp, closure), opts: { now: ctx.now, by: opts.by } }),
    { current: record.resource },
  );
  return { ...updated, created: false };
}

export interface EnsureContext extends TriageContext {
  /** Who creates the tasks: the user who opened the inbox, or the practice (the headless sweep). */
  requester: TaskRequester;
  /** The nurse new tasks go to, when the practice has one default (else unassigned until triaged). */
  defaultOwnerId?: string;
  /** Parallel creates; default 4. */
  concurrency?: number;
}

export interface EnsureResult {
  /** The rows, with the tasks that now exist. */
  rows: InboxRow[];
  created: number;
  /** Created meanwhile by someone else (the conditional create found them). */
  alreadyThere: number;
  failures: { key: string; message: string }[];
}

/**
 * SPEC §4: candidates and confirmed target-group patients get their task when the discharge is first
 * seen, whoever sees it first (inbox, worklist or the sweep). Rows whose decision is not
 * `target-group` are left for triage. Safe to run from many places at once (conditional create).
 */
export async function ensureFollowUpTasks(client: FhirClient, rows: readonly InboxRow[], ctx: EnsureContext): Promise<EnsureResult> {
  const out = [...rows];
  let created = 0;
  let alreadyThere = 0;
  const failures: EnsureResult['failures'] = [];
  const todo = out.map((row, i) => ({ row, i })).filter(({ row }) => row.decision.create && row.decision.reason === 'target-group');
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const item = todo[next++];
      if (!item) break;
      try {
        const task = taskFor(item.row, ctx.requester, ctx.now, ctx.defaultOwnerId);
        const result = await createOnce(client, task);
        if (result.created) created++;
        else alreadyThere++;
        out[item.i] = { ...item.row, task: inboxTask(result.record), decision: { create: false, reason: 'task-exists' }, needsTriage: false };
      } catch (error) {
        const message = error instanceof Error && 'userMessage' in error && typeof error.userMessage === 'string' ? error.userMessage : String(error);
        failures.push({ key: item.row.key, message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, ctx.concurrency ?? 4) }, worker));
  return { rows: out, created, alreadyThere, failures };
}

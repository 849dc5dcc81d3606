// The nurse's worklist of discharge follow-ups and its actions (SPEC §4), and the manager's deadline
// compliance (SPEC §7). Every change of a Task is version-checked (If-Match) and retried on 412 from a
// fresh read (followUpsUpdate.ts). The contact form itself (Encounter, charges, tariffs) is
// src/fhir/contacts.ts; recordContact here only ties the contact to the task and closes it as met/late.
import type { Task } from '@medplum/fhirtypes';
import { osloDate, type CalendarOptions } from '../domain/calendar';
import {
  closeTask,
  complianceClass,
  deadlineCompliance,
  firstContactDate,
  recordAttempt,
  sortWorklist,
  type CompliancePeriod,
  type ContactAttempt,
  type DeadlineCompliance,
  type FollowUpCloseReason,
  type FollowUpTask,
  type NurseCompliance,
  type WorklistUrgency,
} from '../domain/followUp';
import { buildGpMedicationReviewTask, toFhirDateTime, toFollowUpTask, type SignalRef, type TaskContactAttempt, type TaskRequester } from './builders/task';
import type { FhirClient } from './client';
import { loadPatientDisplays, loadPractitionerNames, toPatientDisplay, type PatientDisplay } from './followUpsPatients';
import { FollowUpError, recordOf, updateFollowUpTask, type FollowUpRecord, type UpdateResult } from './followUpsUpdate';
import { ensureFollowUpTasks, loadInbox, type EnsureResult } from './inbox';
import { SYSTEMS } from './systems';

export { FollowUpError } from './followUpsUpdate';
export type { FollowUpRecord, UpdateResult } from './followUpsUpdate';

const DISCHARGE_FOLLOW_UP = `${SYSTEMS.taskType}|discharge-follow-up`;

export interface WorklistRow {
  taskId: string;
  followUp: FollowUpTask;
  urgency: WorklistUrgency;
  /** 0 = due today, > 0 working days left, < 0 overdue by that many. */
  workingDaysLeft: number;
  patient?: PatientDisplay;
  owner?: { id: string; name: string };
  institution?: { id?: string; name?: string };
  dischargeDate?: string;
  /** The deadline runs from the message date until someone confirms the discharge date. */
  dischargeDateUnconfirmed: boolean;
  /** The discharge signal the task follows up (to open the epikrise). */
  focus?: SignalRef;
  /** Number of attempts so far and the latest. */
  attemptCount: number;
  lastAttempt?: ContactAttempt;
  needsGp: boolean;
}

export interface WorklistQuery {
  /** Oslo date. */
  today: string;
  calendar?: CalendarOptions;
  /** Only this nurse's tasks (plus unassigned ones unless includeUnassigned is false). */
  nurseId?: string;
  includeUnassigned?: boolean;
  /**
   * SPEC §4: opening the worklist also creates the tasks of newly seen discharges. Given, the inbox is
   * loaded and ensureFollowUpTasks run first.
   */
  ensure?: { practiceOrgId: string; requester: TaskRequester; now: string; defaultOwnerId?: string };
}

export interface Worklist {
  rows: WorklistRow[];
  /** Tasks that could not be read, in Norwegian. */
  issues: string[];
  ensured?: Pick<EnsureResult, 'created' | 'alreadyThere' | 'failures'>;
}

function worklistRow(record: FollowUpRecord, sorted: { urgency: WorklistUrgency; workingDaysLeft: number }, patient?: PatientDisplay, ownerName?: string): WorklistRow {
  const { followUp, details } = record;
  const lastAttempt = followUp.attempts.at(-1);
  return {
    taskId: followUp.id,
    followUp,
    urgency: sorted.urgency,
    workingDaysLeft: sorted.workingDaysLeft,
    ...(patient ? { patient } : {}),
    ...(followUp.owner ? { owner: { id: followUp.owner, name: ownerName ?? followUp.owner } } : {}),
    ...(details.institution ? { institution: details.institution } : {}),
    ...(followUp.dischargeDate ? { dischargeDate: followUp.dischargeDate } : {}),
    dischargeDateUnconfirmed: details.dischargeDateUnconfirmed,
    ...(details.focus ? { focus: details.focus } : {}),
    attemptCount: followUp.attempts.length,
    ...(lastAttempt ? { lastAttempt } : {}),
    needsGp: followUp.needsGp === true,
  };
}

function readRecords(tasks: readonly Task[]): { records: FollowUpRecord[]; issues: string[] } {
  const records: FollowUpRecord[] = [];
  const issues: string[] = [];
  for (const task of tasks) {
    const { followUp, details, issues: found } = toFollowUpTask(task);
    if (followUp && details) records.push({ resource: task, followUp, details });
    else issues.push(`Oppgave ${task.id ?? '(uten id)'}: ${found.map((i) => i.message).join('; ')}`);
  }
  return { records, issues };
}

/**
 * The open discharge follow-ups: overdue first, then due today, then by deadline (sortWorklist), each
 * with its countdown in working days, the patient's phone and next of kin, and the owner.
 */
export async function loadWorklist(client: FhirClient, query: WorklistQuery, opts: { signal?: AbortSignal } = {}): Promise<Worklist> {
  const today = osloDate(query.today);
  let ensured: Worklist['ensured'];
  if (query.ensure) {
    const inbox = await loadInbox(client, { practiceOrgId: query.ensure.practiceOrgId, today, calendar: query.calendar }, opts);
    const result = await ensureFollowUpTasks(client, inbox.rows, {
      now: query.ensure.now,
      calendar: query.calendar,
      requester: query.ensure.requester,
      ...(query.ensure.defaultOwnerId ? { defaultOwnerId: query.ensure.defaultOwnerId } : {}),
    });
    ensured = { created: result.created, alreadyThere: result.alreadyThere, failures: result.failures };
  }
  const tasks = await client.searchAll('Task', { code: DISCHARGE_FOLLOW_UP, status: 'requested,in-progress', _count: '500' }, opts);
  const { records, issues } = readRecords(tasks);
  const mine = records.filter(({ followUp }) => {
    if (!query.nurseId) return true;
    if (followUp.owner === query.nurseId) return true;
    return followUp.owner === undefined && query.includeUnassigned !== false;
  });
  const [patients, owners] = await Promise.all([
    loadPatientDisplays(client, mine.map((r) => r.followUp.patientId), opts),
    loadPractitionerNames(client, mine.flatMap((r) => (r.followUp.owner ? [r.followUp.owner] : [])), opts),
  ]);
  const byId = new Map(mine.map((r) => [r.followUp.id, r]));
  const rows = sortWorklist(mine.map((r) => r.followUp), today, query.calendar).flatMap((sorted) => {
    const record = byId.get(sorted.id);
    if (!record) return [];
    return [worklistRow(record, sorted, patients.displays.get(record.followUp.patientId), record.followUp.owner ? owners.get(record.followUp.owner) : undefined)];
  });
  return { rows, issues, ...(ensured ? { ensured } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Actions

function sameAttempt(a: ContactAttempt, b: ContactAttempt): boolean {
  return toFhirDateTime(a.at) === toFhirDateTime(b.at) && a.by === b.by && a.channel === b.channel && a.successful === b.successful;
}

function refuseClosed(followUp: FollowUpTask): void {
  if (followUp.status === 'closed') {
    throw new FollowUpError('Oppgaven er lukket, og det kan ikke registreres flere kontaktforsøk.', 'Last inn på nytt for å se hvem som lukket den.');
  }
}

/** Logs a contact attempt (time, channel, who; SPEC §4). The same attempt twice is logged once. */
export async function logAttempt(client: FhirClient, taskId: string, attempt: ContactAttempt, opts: { now?: string; signal?: AbortSignal } = {}): Promise<UpdateResult> {
  const now = opts.now ?? new Date().toISOString();
  return updateFollowUpTask(
    client,
    taskId,
    ({ followUp }) => {
      if (followUp.attempts.some((a) => sameAttempt(a, attempt))) return undefined;
      refuseClosed(followUp);
      return { state: recordAttempt(followUp, attempt), opts: { now, by: attempt.by } };
    },
    opts,
  );
}

export interface ContactInput {
  /** The nurse contact Encounter (pht-nurse-contact) registered by contacts.ts. */
  contactId: string;
  /** When the patient was reached (the contact's start). */
  at: string;
  by: string;
  channel: ContactAttempt['channel'];
  /** The contact found medication changes that need the GP (nurses do not prescribe, ch. 3.4.1). */
  medicationChangesNeedGp?: boolean;
  /** The GP to ask; default the patient's regular GP (Patient.generalPractitioner). */
  gpId?: string;
  /** For the GP: what changed. */
  gpNote?: string;
  note?: string;
}

export interface ContactResult extends UpdateResult {
  gpTask?: { id: string; created: boolean };
}

/**
 * The patient was reached: the task is completed with businessStatus met (first contact on or before
 * the deadline) or late, and points at the contact. When medication changes need the GP, a
 * gp-medication-review task is created first (conditional create: one per follow-up).
 */
export async function recordContact(client: FhirClient, taskId: string, contact: ContactInput, opts: { now?: string; signal?: AbortSignal } = {}): Promise<ContactResult> {
  const now = opts.now ?? new Date().toISOString();
  let current = recordOf(await client.read('Task', taskId, { signal: opts.signal }));
  refuseClosed(current.followUp);
  let gpTask: ContactResult['gpTask'];
  if (contact.medicationChangesNeedGp) {
    gpTask = await createGpTask(client, current, contact, now, opts.signal);
    current = recordOf(await client.read('Task', taskId, { signal: opts.signal }));
  }
  const attempt: TaskContactAttempt = {
    at: contact.at,
    channel: contact.channel,
    by: contact.by,
    successful: true,
    contactId: contact.contactId,
    ...(contact.note ? { note: contact.note } : {}),
  };
  const result = await updateFollowUpTask(
    client,
    taskId,
    ({ followUp, details }) => {
      const hasContact = followUp.attempts.some((a) => 'contactId' in a && a.contactId === contact.contactId);
      const hasGpTask = !gpTask || details.gpTaskIds.includes(gpTask.id);
      if (hasContact && hasGpTask) return undefined;
      refuseClosed(followUp);
      const state = hasContact ? followUp : recordAttempt(followUp, attempt);
      return { state, opts: { now, by: contact.by, ...(gpTask ? { gpTaskId: gpTask.id } : {}) } };
    },
    { current: current.resource, signal: opts.signal },
  );
  return { ...result, ...(gpTask ? { gpTask } : {}) };
}

async function createGpTask(client: FhirClient, record: FollowUpRecord, contact: ContactInput, now: string, signal?: AbortSignal): Promise<{ id: string; created: boolean }> {
  const { followUp, details } = record;
  let gpId = contact.gpId;
  if (!gpId) {
    const patient = await client.read('Patient', followUp.patientId, { signal });
    gpId = toPatientDisplay({ ...patient, id: followUp.patientId }).gpId;
  }
  const identifier = details.identifier ?? followUp.id;
  const focus = details.signals.find((s) => s.resourceType === 'DocumentReference') ?? details.focus;
  const task = buildGpMedicationReviewTask({
    followUpTaskId: followUp.id,
    followUpIdentifier: identifier,
    patientId: followUp.patientId,
    ...(gpId ? { gpId } : {}),
    requesterId: contact.by,
    authoredOn: now,
    ...(focus ? { focus } : {}),
    ...(contact.gpNote ? { note: contact.gpNote } : {}),
  });
  const value = task.identifier?.[0]?.value ?? '';
  const { resource, created } = await client.conditionalCreate(task, { identifier: `${SYSTEMS.followUpTaskId}|${value}` }, { signal });
  if (!resource.id) throw new FollowUpError('Oppgaven til fastlegen ble ikke lagret.', 'Prøv igjen.');
  return { id: resource.id, created };
}

/** Closes an open task with a reason (SPEC §4). Closing it again with the same reason changes nothing. */
export async function closeFollowUp(
  client: FhirClient,
  taskId: string,
  closure: { reason: FollowUpCloseReason; by: string; at?: string; note?: string },
  opts: { now?: string; signal?: AbortSignal } = {},
): Promise<UpdateResult> {
  const now = opts.now ?? new Date().toISOString();
  const at = closure.at ?? now;
  return updateFollowUpTask(
    client,
    taskId,
    ({ followUp }) => {
      if (followUp.status === 'closed' && followUp.closure?.reason === closure.reason) return undefined;
      if (followUp.status === 'closed' || followUp.status === 'contacted') {
        throw new FollowUpError(
          followUp.status === 'contacted' ? 'Pasienten er allerede kontaktet; oppgaven er fullført.' : 'Oppgaven er allerede lukket med en annen årsak.',
          'Last inn på nytt.',
        );
      }
      return { state: closeTask(followUp, { reason: closure.reason, at, by: closure.by, ...(closure.note ? { note: closure.note } : {}) }), opts: { now, by: closure.by } };
    },
    opts,
  );
}

/** Assigns (or reassigns) the task to a nurse. */
export async function assignFollowUp(client: FhirClient, taskId: string, assignment: { ownerId: string; by: string }, opts: { now?: string; signal?: AbortSignal } = {}): Promise<UpdateResult> {
  const now = opts.now ?? new Date().toISOString();
  return updateFollowUpTask(
    client,
    taskId,
    ({ followUp }) => (followUp.owner === assignment.ownerId ? undefined : { state: { ...followUp, owner: assignment.ownerId }, opts: { now, by: assignment.by } }),
    opts,
  );
}

// ---------------------------------------------------------------------------------------------
// Deadline compliance (SPEC §7)

export interface ComplianceTaskRow {
  taskId: string;
  patientId: string;
  patientName?: string;
  deadline: string;
  ownerId?: string;
  /** Oslo date of the first successful contact, if any (late tasks). */
  firstContact?: string;
  closeReason?: FollowUpCloseReason;
}

export interface ComplianceReport {
  figures: DeadlineCompliance;
  /** byNurse with the nurse's name. */
  byNurse: (NurseCompliance & { name?: string })[];
  late: ComplianceTaskRow[];
  missed: ComplianceTaskRow[];
  issues: string[];
}

/** Days before the period's first deadline a task of it can have been created (discharge + deadline). */
const AUTHORED_BEFORE_DEADLINE_DAYS = 60;

function isoDay(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** deadlineCompliance over the discharge follow-ups whose deadline falls in the period, per nurse. */
export async function loadCompliance(client: FhirClient, period: CompliancePeriod, asOf: string, opts: { signal?: AbortSignal } = {}): Promise<ComplianceReport> {
  const from = osloDate(period.from);
  const to = osloDate(period.to);
  const tasks = await client.searchAll(
    'Task',
    { code: DISCHARGE_FOLLOW_UP, 'authored-on': [`ge${isoDay(from, -AUTHORED_BEFORE_DEADLINE_DAYS)}`, `le${isoDay(to, 1)}`], _count: '500' },
    opts,
  );
  const { records, issues } = readRecords(tasks);
  const inPeriod = records.filter(({ followUp }) => followUp.deadline >= from && followUp.deadline <= to);
  const figures = deadlineCompliance(inPeriod.map((r) => r.followUp), { from, to }, asOf);
  const classed = inPeriod.map((r) => ({ r, cls: complianceClass(r.followUp, asOf) }));
  const flagged = classed.filter(({ cls }) => cls === 'late' || cls === 'missed');
  const [patients, nurses] = await Promise.all([
    loadPatientDisplays(client, flagged.map(({ r }) => r.followUp.patientId), opts),
    loadPractitionerNames(client, figures.byNurse.flatMap((n) => (n.nurseId ? [n.nurseId] : [])), opts),
  ]);
  const row = ({ followUp }: FollowUpRecord): ComplianceTaskRow => {
    const first = firstContactDate(followUp.attempts, osloDate(asOf));
    const name = patients.displays.get(followUp.patientId)?.name;
    return {
      taskId: followUp.id,
      patientId: followUp.patientId,
      ...(name ? { patientName: name } : {}),
      deadline: followUp.deadline,
      ...(followUp.owner ? { ownerId: followUp.owner } : {}),
      ...(first ? { firstContact: first } : {}),
      ...(followUp.closure ? { closeReason: followUp.closure.reason } : {}),
    };
  };
  const byDeadline = (a: ComplianceTaskRow, b: ComplianceTaskRow) => (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : a.taskId < b.taskId ? -1 : 1);
  return {
    figures,
    byNurse: figures.byNurse.map((n) => {
      const name = n.nurseId ? nurses.get(n.nurseId) : undefined;
      return { ...n, ...(name ? { name } : {}) };
    }),
    late: flagged.filter(({ cls }) => cls === 'late').map(({ r }) => row(r)).sort(byDeadline),
    missed: flagged.filter(({ cls }) => cls === 'missed').map(({ r }) => row(r)).sort(byDeadline),
    issues,
  };
}


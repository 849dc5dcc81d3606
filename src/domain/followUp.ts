// Discharge follow-up tasks in domain terms (SPEC §4, source ch. 4.3: contact within 3 working days
// after discharge) and the manager's deadline-compliance figure (SPEC §7). Pure: today/asOf are passed in.
import { osloDate, workingDaysUntil, type CalendarOptions } from './calendar';

export type FollowUpStatus = 'new' | 'attempted' | 'contacted' | 'closed';

/** How the nurse reached (or tried to reach) the patient; the same words as the tariff contact channels. */
export type ContactChannel = 'phone' | 'video' | 'in-person' | 'home-visit' | 'written';

export interface ContactAttempt {
  /** ISO date-time (no offset = Oslo local time). */
  at: string;
  channel: ContactChannel;
  /** Practitioner id of whoever made the attempt. */
  by: string;
  /** The patient was reached. */
  successful: boolean;
  note?: string;
}

/** SPEC §4's close reasons, plus 'no-follow-up-needed' for the secretary's triage. */
export const FOLLOW_UP_CLOSE_REASONS = [
  'readmitted',
  'deceased',
  'declined',
  'moved-to-institution',
  'followed-up-elsewhere',
  'not-needed-after-assessment',
  'no-follow-up-needed',
] as const;
export type FollowUpCloseReason = (typeof FOLLOW_UP_CLOSE_REASONS)[number];

/** Bokmål labels for the UI. */
export const FOLLOW_UP_CLOSE_REASON_TEXT: Record<FollowUpCloseReason, string> = {
  readmitted: 'Innlagt på nytt',
  deceased: 'Død',
  declined: 'Pasienten ønsket ikke oppfølging',
  'moved-to-institution': 'Flyttet til institusjon',
  'followed-up-elsewhere': 'Fulgt opp av annen tjeneste',
  'not-needed-after-assessment': 'Ikke behov etter medisinskfaglig vurdering',
  'no-follow-up-needed': 'Ikke behov for oppfølging (triage)',
};

/**
 * Reasons that are facts about the patient, outside the team's control, and may be recorded after the
 * deadline without counting against it. The other reasons are the team's own decisions and excuse a
 * task only when recorded on or before its deadline (see deadlineCompliance).
 */
const EXTERNAL_CLOSE_REASONS: ReadonlySet<FollowUpCloseReason> = new Set([
  'readmitted',
  'deceased',
  'moved-to-institution',
  'followed-up-elsewhere',
]);

export interface FollowUpClosure {
  reason: FollowUpCloseReason;
  /** ISO date-time the task was closed. */
  at: string;
  by: string;
  note?: string;
}

export interface FollowUpTask {
  id: string;
  patientId: string;
  /** DischargeEpisode.key: patientId|institution|dischargeDate. */
  dischargeKey: string;
  dischargeDate?: string;
  /** Oslo date: followUpDeadline of the discharge. */
  deadline: string;
  status: FollowUpStatus;
  /** The nurse responsible (Practitioner id); undefined until assigned. */
  owner?: string;
  attempts: ContactAttempt[];
  closure?: FollowUpClosure;
  /** ISO date-time the task was created. */
  createdAt: string;
  /** The contact found medication changes that need the GP (nurses do not prescribe, ch. 3.4.1). */
  needsGp?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle: new -> attempted -> contacted, or closed with a reason (SPEC §4)

export function followUpStatus(attempts: readonly ContactAttempt[], closure?: FollowUpClosure): FollowUpStatus {
  if (attempts.some((a) => a.successful)) return 'contacted';
  if (closure) return 'closed';
  return attempts.length > 0 ? 'attempted' : 'new';
}

/** Logs an attempt. A closed task takes no more attempts; a contacted one may log further contacts. */
export function recordAttempt(task: FollowUpTask, attempt: ContactAttempt): FollowUpTask {
  if (task.status === 'closed') throw new Error(`Follow-up task ${task.id} is closed; no attempts can be logged`);
  osloDate(attempt.at); // validates
  const attempts = [...task.attempts, attempt];
  return { ...task, attempts, status: followUpStatus(attempts, task.closure) };
}

/** Closes an open task with a reason. A contacted task is finished (met or late) and cannot be closed. */
export function closeTask(task: FollowUpTask, closure: FollowUpClosure): FollowUpTask {
  if (task.status === 'closed' || task.status === 'contacted') {
    throw new Error(`Follow-up task ${task.id} is already ${task.status}`);
  }
  osloDate(closure.at);
  return { ...task, closure, status: 'closed' };
}

// ---------------------------------------------------------------------------------------------
// Outcome

export type FollowUpOutcome = 'met' | 'late' | 'pending' | 'missed';

/** Oslo date of the first successful contact on or before `today` (later facts are ignored). */
export function firstContactDate(contacts: readonly Pick<ContactAttempt, 'at' | 'successful'>[], today: string): string | undefined {
  let first: string | undefined;
  for (const contact of contacts) {
    if (!contact.successful) continue;
    const date = osloDate(contact.at);
    if (date <= today && (first === undefined || date < first)) first = date;
  }
  return first;
}

/**
 * SPEC §4: met = the first successful contact on or before the deadline; late = after it; missed = the
 * deadline has passed (as of today) with no successful contact; pending = not yet due, no contact.
 */
export function followUpOutcome(
  deadline: string,
  contacts: readonly Pick<ContactAttempt, 'at' | 'successful'>[],
  today: string,
): FollowUpOutcome {
  const d = osloDate(deadline);
  const t = osloDate(today);
  const first = firstContactDate(contacts, t);
  if (first !== undefined) return first <= d ? 'met' : 'late';
  return t > d ? 'missed' : 'pending';
}

// ---------------------------------------------------------------------------------------------
// Task creation

/** [decision] SPEC §4: a deadline that passed more than this many days before first sight is history. */
export const HISTORIC_AFTER_DAYS = 30;

function calendarDaysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

/** True when the deadline passed more than 30 calendar days before the app first saw the discharge. */
export function isHistoricDischarge(deadline: string, firstSeen: string): boolean {
  return calendarDaysBetween(osloDate(deadline), osloDate(firstSeen)) > HISTORIC_AFTER_DAYS;
}

export type TargetStatus = 'candidate' | 'confirmed' | 'none';

export type TaskDecisionReason =
  | 'target-group' // candidate or confirmed: created automatically
  | 'requested-by-user' // a user chose to create one (not in target group, or history)
  | 'not-in-target-group' // shown in triage as "ikke i målgruppen"
  | 'historic' // listed, no task
  | 'task-exists'
  | 'has-errors'; // no patient, future discharge, no deadline: fix the data first

export interface TaskDecision {
  create: boolean;
  reason: TaskDecisionReason;
}

export interface DischargeForTask {
  /** Undefined when it could not be computed; then no task. */
  deadline?: string;
  /** When the app (inbox, worklist or sweep) first saw the discharge: date or date-time. */
  firstSeen: string;
  /** The episode carries errors (e.g. patient not found, discharge in the future). */
  hasErrors?: boolean;
  /** A task already exists for this discharge episode (the merge key). */
  hasTask?: boolean;
}

/**
 * SPEC §4: candidates and confirmed target-group patients get a task; others appear in triage and a user
 * may still create one. [decision] History (isHistoricDischarge) gets no automatic task, but a user may
 * still create one deliberately. Episodes with errors never get one.
 */
export function shouldCreateTask(
  targetStatus: TargetStatus,
  discharge: DischargeForTask,
  requestedByUser = false,
): TaskDecision {
  if (discharge.hasTask) return { create: false, reason: 'task-exists' };
  if (discharge.hasErrors || discharge.deadline === undefined) return { create: false, reason: 'has-errors' };
  if (requestedByUser) return { create: true, reason: 'requested-by-user' };
  if (isHistoricDischarge(discharge.deadline, discharge.firstSeen)) return { create: false, reason: 'historic' };
  if (targetStatus === 'none') return { create: false, reason: 'not-in-target-group' };
  return { create: true, reason: 'target-group' };
}

// ---------------------------------------------------------------------------------------------
// Worklist

export type WorklistUrgency = 'overdue' | 'due-today' | 'upcoming' | 'done';

export interface WorklistItem {
  id: string;
  deadline: string;
  status: FollowUpStatus;
}

export interface WorklistAnnotation {
  urgency: WorklistUrgency;
  /** workingDaysUntil(deadline, today): 0 due today, > 0 left, < 0 overdue. */
  workingDaysLeft: number;
}

const URGENCY_ORDER: Record<WorklistUrgency, number> = { overdue: 0, 'due-today': 1, upcoming: 2, done: 3 };

export function worklistUrgency(item: WorklistItem, today: string, cal?: CalendarOptions): WorklistAnnotation {
  const workingDaysLeft = workingDaysUntil(item.deadline, today, cal);
  if (item.status === 'contacted' || item.status === 'closed') return { urgency: 'done', workingDaysLeft };
  const urgency = workingDaysLeft < 0 ? 'overdue' : workingDaysLeft === 0 ? 'due-today' : 'upcoming';
  return { urgency, workingDaysLeft };
}

/**
 * Overdue first (the oldest deadline first), then due today, then upcoming by deadline; finished tasks
 * (contacted or closed) last. Ties break by id, so the order is stable across renders. Each item comes
 * back with its urgency and countdown.
 */
export function sortWorklist<T extends WorklistItem>(
  items: readonly T[],
  today: string,
  cal?: CalendarOptions,
): (T & WorklistAnnotation)[] {
  return items
    .map((item) => ({ ...item, ...worklistUrgency(item, today, cal) }))
    .sort(
      (a, b) =>
        URGENCY_ORDER[a.urgency] - URGENCY_ORDER[b.urgency] ||
        compareStrings(a.deadline, b.deadline) ||
        compareStrings(a.id, b.id),
    );
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Deadline compliance (SPEC §7: "share of discharge follow-ups contacted within 3 working days, per nurse")

export interface CompliancePeriod {
  /** First deadline date counted, inclusive (Oslo date). */
  from: string;
  /** Last deadline date counted, inclusive (Oslo date). */
  to: string;
}

export interface ComplianceCounts {
  /** Tasks that count: met + late + missed + pending. */
  due: number;
  met: number;
  late: number;
  missed: number;
  /** Deadline not yet passed as of asOf and no contact yet. */
  pending: number;
  /** Closed without contact for an accepted reason; not in `due`. */
  excluded: number;
  /** met / (met + late + missed): the decided tasks; null when none is decided. */
  share: number | null;
}

export interface NurseCompliance extends ComplianceCounts {
  /** The task's owner; null for tasks never assigned. */
  nurseId: string | null;
}

export interface DeadlineCompliance {
  period: CompliancePeriod;
  asOf: string;
  total: ComplianceCounts;
  /** Sorted by nurse id, unassigned (null) last. */
  byNurse: NurseCompliance[];
}

type ComplianceClass = 'met' | 'late' | 'missed' | 'pending' | 'excluded';

/**
 * How one task counts as of `asOf`. A successful contact decides (met or late) whatever happened after.
 * Without one, a closure recorded by asOf excludes the task when its reason is external to the team
 * (readmitted, deceased, moved, followed up elsewhere) or when it was recorded on or before the
 * deadline; a team decision recorded after a passed deadline does not rescue it (it counts as missed).
 */
export function complianceClass(task: Pick<FollowUpTask, 'deadline' | 'attempts' | 'closure'>, asOf: string): ComplianceClass {
  const outcome = followUpOutcome(task.deadline, task.attempts, asOf);
  if (outcome === 'met' || outcome === 'late') return outcome;
  const closure = task.closure;
  if (closure) {
    const closedOn = osloDate(closure.at);
    if (closedOn <= osloDate(asOf)) {
      if (EXTERNAL_CLOSE_REASONS.has(closure.reason) || closedOn <= osloDate(task.deadline)) return 'excluded';
      return 'missed';
    }
  }
  return outcome;
}

function emptyCounts(): ComplianceCounts {
  return { due: 0, met: 0, late: 0, missed: 0, pending: 0, excluded: 0, share: null };
}

function finish(counts: ComplianceCounts): ComplianceCounts {
  const decided = counts.met + counts.late + counts.missed;
  counts.due = decided + counts.pending;
  counts.share = decided === 0 ? null : counts.met / decided;
  return counts;
}

/**
 * [decision] The tasks of a period are those whose deadline falls in it (from..to inclusive): a
 * follow-up belongs to the period in which it fell due, whenever the discharge or the contact
 * happened. Tasks are attributed to their owner (the nurse responsible for the deadline), not to
 * whoever made the contact. Counted as of `asOf` (normally today): later contacts are ignored, so a
 * past period's figure is reproducible.
 */
export function deadlineCompliance(
  tasks: readonly Pick<FollowUpTask, 'deadline' | 'attempts' | 'closure' | 'owner'>[],
  period: CompliancePeriod,
  asOf: string,
): DeadlineCompliance {
  const from = osloDate(period.from);
  const to = osloDate(period.to);
  if (from > to) throw new RangeError(`Invalid period ${JSON.stringify(period.from)}..${JSON.stringify(period.to)}: from is after to`);
  const total = emptyCounts();
  const perNurse = new Map<string | null, ComplianceCounts>();
  for (const task of tasks) {
    const deadline = osloDate(task.deadline);
    if (deadline < from || deadline > to) continue;
    const cls = complianceClass(task, asOf);
    const nurseId = task.owner ?? null;
    let counts = perNurse.get(nurseId);
    if (!counts) {
      counts = emptyCounts();
      perNurse.set(nurseId, counts);
    }
    total[cls]++;
    counts[cls]++;
  }
  const byNurse = [...perNurse.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : compareStrings(a, b)))
    .map(([nurseId, counts]) => ({ nurseId, ...finish(counts) }));
  return { period: { from, to }, asOf: osloDate(asOf), total: finish(total), byNurse };
}

export interface OverdueTask<T> {
  task: T;
  /** Working days past the deadline as of asOf (at least 1). */
  workingDaysOverdue: number;
}

/**
 * Open follow-ups whose deadline has passed as of `asOf`, whatever period is chosen (issue 17 item 2):
 * no successful contact and not closed. Most overdue first.
 */
export function overdueNow<T extends Pick<FollowUpTask, 'id' | 'deadline' | 'attempts' | 'closure'>>(tasks: readonly T[], asOf: string, cal?: CalendarOptions): OverdueTask<T>[] {
  const today = osloDate(asOf);
  const out: OverdueTask<T>[] = [];
  for (const task of tasks) {
    if (task.closure && osloDate(task.closure.at) <= today) continue;
    if (followUpOutcome(task.deadline, task.attempts, today) !== 'missed') continue;
    out.push({ task, workingDaysOverdue: -workingDaysUntil(osloDate(task.deadline), today, cal) });
  }
  return out.sort((a, b) => b.workingDaysOverdue - a.workingDaysOverdue || compareStrings(a.task.id, b.task.id));
}

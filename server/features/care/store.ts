// The care slice's store (issue 17 items 16-19): care plans and reviews, the medication review as a GP task
// until done, recall events and the practice's recall groups, and the individual plan. Every write takes the
// client's id (a retry returns what is stored); the database's unique indexes hold «one active plan per
// condition», «one open medication review per patient» and «one IP record per patient».
import { sql, type Kysely } from 'kysely';
import { DEFAULT_RECALL_GROUPS, type CareRecord, type IpReportChannel, type RecallEvent, type RecallGroup, type RecallState } from '../../../src/domain/care';
import type { CarePlan, CarePlanReview, CareTask, IndividualPlan, MedicationAssessment } from '../../../src/domain/careViews';
import type { Database } from '../../db/schema';
import type { CareTaskStatus } from './tables';

export type { CarePlan, CarePlanReview, CareTask, IndividualPlan, MedicationAssessment } from '../../../src/domain/careViews';

type Db = Kysely<Database>;

const planColumns = [
  'id',
  'patient_id',
  'condition',
  'goals',
  'status',
  'created_at',
  'created_by',
  sql<string | null>`ended_on::text`.as('ended_on'),
  'ended_by',
  'end_note',
  'version',
] as const;

async function reviewsOf(db: Db, practiceId: string, planIds: readonly string[]): Promise<Map<string, CarePlanReview[]>> {
  const out = new Map<string, CarePlanReview[]>();
  if (planIds.length === 0) return out;
  const rows = await db
    .selectFrom('care_plan_review')
    .select(['id', 'plan_id', sql<string>`reviewed_on::text`.as('reviewed_on'), 'note', 'by'])
    .where('practice_id', '=', practiceId)
    .where('plan_id', 'in', [...planIds])
    .orderBy('reviewed_on')
    .orderBy('recorded_at')
    .execute();
  for (const r of rows) out.set(r.plan_id, [...(out.get(r.plan_id) ?? []), { id: r.id, reviewedOn: r.reviewed_on, note: r.note, by: r.by }]);
  return out;
}

export async function listPlans(db: Db, practiceId: string, patientId: string): Promise<CarePlan[]> {
  const rows = await db.selectFrom('care_plan').select(planColumns).where('practice_id', '=', practiceId).where('patient_id', '=', patientId).orderBy('created_at').execute();
  const reviews = await reviewsOf(db, practiceId, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    patientId: r.patient_id,
    condition: r.condition,
    goals: r.goals,
    status: r.status,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
    endedOn: r.ended_on,
    endedBy: r.ended_by,
    endNote: r.end_note,
    version: r.version,
    reviews: reviews.get(r.id) ?? [],
  }));
}

export async function getPlan(db: Db, practiceId: string, id: string): Promise<CarePlan | undefined> {
  const row = await db.selectFrom('care_plan').select('patient_id').where('practice_id', '=', practiceId).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return (await listPlans(db, practiceId, row.patient_id)).find((p) => p.id === id);
}

export type PlanWrite = { ok: true; plan: CarePlan; created: boolean } | { ok: false; reason: 'active-exists' | 'other-patient' | 'not-found' | 'ended' | 'conflict'; plan?: CarePlan };

export async function createPlan(
  db: Db,
  input: { practiceId: string; iss: string; id: string; patientId: string; condition: 'diabetes' | 'kols'; goals: string[]; by: string; at: Date },
): Promise<PlanWrite> {
  const existing = await getPlan(db, input.practiceId, input.id);
  if (existing) return existing.patientId === input.patientId ? { ok: true, plan: existing, created: false } : { ok: false, reason: 'other-patient' };
  const inserted = await db
    .insertInto('care_plan')
    .values({
      practice_id: input.practiceId,
      id: input.id,
      iss: input.iss,
      patient_id: input.patientId,
      condition: input.condition,
      goals: JSON.stringify(input.goals),
      created_at: input.at,
      created_by: input.by,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) {
    const again = await getPlan(db, input.practiceId, input.id);
    if (again) return { ok: true, plan: again, created: false };
    const active = (await listPlans(db, input.practiceId, input.patientId)).find((p) => p.status === 'active' && p.condition === input.condition);
    return { ok: false, reason: 'active-exists', ...(active ? { plan: active } : {}) };
  }
  return { ok: true, plan: (await getPlan(db, input.practiceId, input.id))!, created: true };
}

export async function reviewPlan(
  db: Db,
  input: { practiceId: string; planId: string; id: string; reviewedOn: string; note: string; by: string; at: Date },
): Promise<PlanWrite> {
  const plan = await getPlan(db, input.practiceId, input.planId);
  if (!plan) return { ok: false, reason: 'not-found' };
  if (plan.reviews.some((r) => r.id === input.id)) return { ok: true, plan, created: false };
  if (plan.status !== 'active') return { ok: false, reason: 'ended', plan };
  await db
    .insertInto('care_plan_review')
    .values({ practice_id: input.practiceId, id: input.id, plan_id: input.planId, reviewed_on: input.reviewedOn, note: input.note, by: input.by, recorded_at: input.at })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return { ok: true, plan: (await getPlan(db, input.practiceId, input.planId))!, created: true };
}

export async function endPlan(
  db: Db,
  input: { practiceId: string; planId: string; endedOn: string; note: string | null; version: number; by: string },
): Promise<PlanWrite> {
  const plan = await getPlan(db, input.practiceId, input.planId);
  if (!plan) return { ok: false, reason: 'not-found' };
  if (plan.status === 'ended') return plan.endedOn === input.endedOn ? { ok: true, plan, created: false } : { ok: false, reason: 'ended', plan };
  const updated = await db
    .updateTable('care_plan')
    .set({ status: 'ended', ended_on: input.endedOn, ended_by: input.by, end_note: input.note, version: plan.version + 1 })
    .where('practice_id', '=', input.practiceId)
    .where('id', '=', input.planId)
    .where('version', '=', input.version)
    .where('status', '=', 'active')
    .returning('id')
    .executeTakeFirst();
  const now = (await getPlan(db, input.practiceId, input.planId))!;
  return updated ? { ok: true, plan: now, created: true } : { ok: false, reason: 'conflict', plan: now };
}

// -------------------------------------------------------------------------------------------------
// Medication review as a GP task

const taskColumns = [
  'id',
  'patient_id',
  'kind',
  'assignee',
  'reason',
  'status',
  sql<string | null>`due::text`.as('due'),
  'created_at',
  'created_by',
  sql<string | null>`done_on::text`.as('done_on'),
  'done_by',
  'done_note',
] as const;

type TaskRow = {
  id: string;
  patient_id: string;
  kind: 'medication-review';
  assignee: string;
  reason: string;
  status: CareTaskStatus;
  due: string | null;
  created_at: Date;
  created_by: string;
  done_on: string | null;
  done_by: string | null;
  done_note: string | null;
};

const toTask = (r: TaskRow): CareTask => ({
  id: r.id,
  patientId: r.patient_id,
  kind: r.kind,
  assignee: r.assignee,
  reason: r.reason,
  status: r.status,
  due: r.due,
  createdAt: r.created_at.toISOString(),
  createdBy: r.created_by,
  doneOn: r.done_on,
  doneBy: r.done_by,
  doneNote: r.done_note,
});

export async function listTasks(db: Db, practiceId: string, patientId: string): Promise<CareTask[]> {
  const rows = await db.selectFrom('care_task').select(taskColumns).where('practice_id', '=', practiceId).where('patient_id', '=', patientId).orderBy('created_at').execute();
  return rows.map(toTask);
}

async function getTask(db: Db, practiceId: string, id: string): Promise<CareTask | undefined> {
  const row = await db.selectFrom('care_task').select(taskColumns).where('practice_id', '=', practiceId).where('id', '=', id).executeTakeFirst();
  return row ? toTask(row) : undefined;
}

/**
 * The GP's open care tasks (medication reviews to do), oldest first, for «Mine oppgaver» (composed in the
 * browser with the follow-up slice's GP tasks); with `all`, the answered ones too.
 */
export async function openCareTasksFor(db: Db, practiceId: string, practitioner: string, opts: { all?: boolean } = {}): Promise<CareTask[]> {
  let q = db.selectFrom('care_task').select(taskColumns).where('practice_id', '=', practiceId).where('assignee', '=', practitioner);
  if (!opts.all) q = q.where('status', '=', 'open');
  const rows = await q.orderBy('created_at').orderBy('id').execute();
  return rows.map(toTask);
}

export type TaskWrite = { ok: true; task: CareTask; created: boolean } | { ok: false; reason: 'not-found' | 'other-patient' | 'done-other-date'; task?: CareTask };

/** Records the need; an open review for the patient is returned as it is (one open task per patient). */
export async function recordMedicationReviewNeed(
  db: Db,
  input: { practiceId: string; iss: string; id: string; patientId: string; assignee: string; reason: string; due?: string | undefined; by: string; at: Date },
): Promise<TaskWrite> {
  const existing = await getTask(db, input.practiceId, input.id);
  if (existing) return existing.patientId === input.patientId ? { ok: true, task: existing, created: false } : { ok: false, reason: 'other-patient' };
  const inserted = await db
    .insertInto('care_task')
    .values({
      practice_id: input.practiceId,
      id: input.id,
      iss: input.iss,
      patient_id: input.patientId,
      kind: 'medication-review',
      assignee: input.assignee,
      reason: input.reason,
      due: input.due ?? null,
      created_at: input.at,
      created_by: input.by,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { ok: true, task: (await getTask(db, input.practiceId, input.id))!, created: true };
  const again = await getTask(db, input.practiceId, input.id);
  if (again) return { ok: true, task: again, created: false };
  const open = (await listTasks(db, input.practiceId, input.patientId)).find((t) => t.status === 'open');
  return { ok: true, task: open!, created: false };
}

export async function completeMedicationReview(
  db: Db,
  input: { practiceId: string; taskId: string; status?: 'done' | 'not-needed'; doneOn: string; note: string | null; by: string },
): Promise<TaskWrite> {
  const status = input.status ?? 'done';
  const task = await getTask(db, input.practiceId, input.taskId);
  if (!task) return { ok: false, reason: 'not-found' };
  if (task.status !== 'open') return task.doneOn === input.doneOn && task.status === status ? { ok: true, task, created: false } : { ok: false, reason: 'done-other-date', task };
  await db
    .updateTable('care_task')
    .set({ status, done_on: input.doneOn, done_by: input.by, done_note: input.note })
    .where('practice_id', '=', input.practiceId)
    .where('id', '=', input.taskId)
    .where('status', '=', 'open')
    .execute();
  const now = (await getTask(db, input.practiceId, input.taskId))!;
  return { ok: true, task: now, created: now.doneBy === input.by && now.doneOn === input.doneOn };
}

/** Records «ikke behov for legemiddelgjennomgang nå» (a retry with the same id returns what is stored). */
export async function recordMedicationAssessment(
  db: Db,
  input: { practiceId: string; iss: string; id: string; patientId: string; assessedOn: string; note: string | null; by: string; at: Date },
): Promise<{ ok: true; assessment: MedicationAssessment; created: boolean } | { ok: false }> {
  const inserted = await db
    .insertInto('care_medication_assessment')
    .values({ practice_id: input.practiceId, id: input.id, iss: input.iss, patient_id: input.patientId, assessed_on: input.assessedOn, note: input.note, by: input.by, recorded_at: input.at })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  const found = (await medicationAssessments(db, input.practiceId, input.patientId)).find((a) => a.id === input.id);
  return found ? { ok: true, assessment: found, created: !!inserted } : { ok: false };
}

export async function medicationAssessments(db: Db, practiceId: string, patientId: string): Promise<MedicationAssessment[]> {
  const rows = await db
    .selectFrom('care_medication_assessment')
    .select(['id', 'patient_id', sql<string>`assessed_on::text`.as('assessed_on'), 'note', 'by'])
    .where('practice_id', '=', practiceId)
    .where('patient_id', '=', patientId)
    .orderBy('assessed_on')
    .orderBy('recorded_at')
    .execute();
  return rows.map((r) => ({ id: r.id, patientId: r.patient_id, assessedOn: r.assessed_on, note: r.note, by: r.by }));
}

/**
 * What the care tables hold per patient for the target-group facts and the Table 2 indicators (src/domain/care
 * careFactsAt): every plan with its dates, and the medication review's events. All the practice's patients
 * when `patientIds` is left out.
 */
export async function careRecords(db: Db, practiceId: string, patientIds?: readonly string[]): Promise<Map<string, CareRecord>> {
  const out = new Map<string, CareRecord & { plans: CareRecord['plans'][number][]; reviewsDone: string[]; reviewsNotNeeded: string[]; needsRecorded: string[] }>();
  if (patientIds && patientIds.length === 0) return out;
  const only = patientIds ? [...new Set(patientIds)] : undefined;
  const of = (id: string) => {
    let r = out.get(id);
    if (!r) out.set(id, (r = { plans: [], reviewsDone: [], reviewsNotNeeded: [], needsRecorded: [] }));
    return r;
  };
  let plans = db
    .selectFrom('care_plan')
    .select(['patient_id', 'goals', sql<string>`(created_at at time zone 'Europe/Oslo')::date::text`.as('created_on'), sql<string | null>`ended_on::text`.as('ended_on')])
    .where('practice_id', '=', practiceId);
  if (only) plans = plans.where('patient_id', 'in', only);
  for (const p of await plans.orderBy('created_at').execute()) of(p.patient_id).plans.push({ goals: p.goals, createdOn: p.created_on, endedOn: p.ended_on });
  let tasks = db
    .selectFrom('care_task')
    .select(['patient_id', 'status', sql<string>`(created_at at time zone 'Europe/Oslo')::date::text`.as('created_on'), sql<string | null>`done_on::text`.as('done_on')])
    .where('practice_id', '=', practiceId);
  if (only) tasks = tasks.where('patient_id', 'in', only);
  for (const t of await tasks.execute()) {
    const r = of(t.patient_id);
    r.needsRecorded.push(t.created_on);
    if (t.status === 'done' && t.done_on) r.reviewsDone.push(t.done_on);
    if (t.status === 'not-needed' && t.done_on) r.reviewsNotNeeded.push(t.done_on);
  }
  let assessed = db.selectFrom('care_medication_assessment').select(['patient_id', sql<string>`assessed_on::text`.as('assessed_on')]).where('practice_id', '=', practiceId);
  if (only) assessed = assessed.where('patient_id', 'in', only);
  for (const a of await assessed.execute()) of(a.patient_id).reviewsNotNeeded.push(a.assessed_on);
  return out;
}

// -------------------------------------------------------------------------------------------------
// Recall

export async function getRecallGroups(db: Db, practiceId: string): Promise<{ groups: RecallGroup[]; updatedBy: string | null }> {
  const row = await db.selectFrom('care_recall_setting').select(['groups', 'updated_by']).where('practice_id', '=', practiceId).executeTakeFirst();
  return row ? { groups: row.groups as RecallGroup[], updatedBy: row.updated_by } : { groups: [...DEFAULT_RECALL_GROUPS], updatedBy: null };
}

export async function saveRecallGroups(db: Db, practiceId: string, groups: readonly RecallGroup[], by: string, at: Date): Promise<void> {
  await db
    .insertInto('care_recall_setting')
    .values({ practice_id: practiceId, groups: JSON.stringify(groups), updated_at: at, updated_by: by })
    .onConflict((oc) => oc.column('practice_id').doUpdateSet({ groups: JSON.stringify(groups), updated_at: at, updated_by: by }))
    .execute();
}

export async function addRecallEvent(
  db: Db,
  input: { practiceId: string; id: string; patientId: string; state: RecallState; onDate: string; by: string; at: Date },
): Promise<{ ok: true; created: boolean } | { ok: false }> {
  const inserted = await db
    .insertInto('care_recall_event')
    .values({ practice_id: input.practiceId, id: input.id, patient_id: input.patientId, state: input.state, on_date: input.onDate, by: input.by, recorded_at: input.at })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { ok: true, created: true };
  const row = await db.selectFrom('care_recall_event').select(['patient_id', 'state']).where('practice_id', '=', input.practiceId).where('id', '=', input.id).executeTakeFirst();
  return row?.patient_id === input.patientId && row.state === input.state ? { ok: true, created: false } : { ok: false };
}

export async function recallEvents(db: Db, practiceId: string, patientIds: readonly string[]): Promise<Map<string, RecallEvent[]>> {
  const out = new Map<string, RecallEvent[]>();
  if (patientIds.length === 0) return out;
  const rows = await db
    .selectFrom('care_recall_event')
    .select(['patient_id', 'state', sql<string>`on_date::text`.as('on_date'), 'by', 'recorded_at'])
    .where('practice_id', '=', practiceId)
    .where('patient_id', 'in', [...new Set(patientIds)])
    .execute();
  for (const r of rows) out.set(r.patient_id, [...(out.get(r.patient_id) ?? []), { state: r.state, date: r.on_date, by: r.by, recordedAt: r.recorded_at.toISOString() }]);
  return out;
}

// -------------------------------------------------------------------------------------------------
// Individual plan

const ipColumns = [
  'id',
  'patient_id',
  sql<string>`needed_on::text`.as('needed_on'),
  'recorded_by',
  sql<string | null>`reported_on::text`.as('reported_on'),
  'reported_how',
  'reported_by',
  'coordinator_name',
  sql<string | null>`coordinator_on::text`.as('coordinator_on'),
  'version',
] as const;

export async function getIp(db: Db, practiceId: string, patientId: string): Promise<IndividualPlan | null> {
  const r = await db.selectFrom('care_ip').select(ipColumns).where('practice_id', '=', practiceId).where('patient_id', '=', patientId).executeTakeFirst();
  if (!r) return null;
  return {
    id: r.id,
    patientId: r.patient_id,
    neededOn: r.needed_on,
    recordedBy: r.recorded_by,
    reportedOn: r.reported_on,
    reportedHow: r.reported_how as IpReportChannel | null,
    reportedBy: r.reported_by,
    coordinatorName: r.coordinator_name,
    coordinatorOn: r.coordinator_on,
    version: r.version,
  };
}

export type IpWrite = { ok: true; ip: IndividualPlan } | { ok: false; reason: 'not-found' | 'conflict' | 'not-reported'; ip?: IndividualPlan | null };

export async function recordIpNeed(db: Db, input: { practiceId: string; iss: string; id: string; patientId: string; neededOn: string; by: string; at: Date }): Promise<IpWrite> {
  await db
    .insertInto('care_ip')
    .values({ practice_id: input.practiceId, patient_id: input.patientId, id: input.id, iss: input.iss, needed_on: input.neededOn, recorded_by: input.by, updated_at: input.at })
    .onConflict((oc) => oc.columns(['practice_id', 'patient_id']).doNothing())
    .execute();
  return { ok: true, ip: (await getIp(db, input.practiceId, input.patientId))! };
}

export async function updateIp(
  db: Db,
  input: { practiceId: string; patientId: string; version: number; at: Date } & (
    | { step: 'report'; reportedOn: string; reportedHow: string; by: string }
    | { step: 'coordinator'; coordinatorName: string; coordinatorOn: string }
  ),
): Promise<IpWrite> {
  const ip = await getIp(db, input.practiceId, input.patientId);
  if (!ip) return { ok: false, reason: 'not-found' };
  if (input.step === 'coordinator' && !ip.reportedOn) return { ok: false, reason: 'not-reported', ip };
  const set =
    input.step === 'report'
      ? { reported_on: input.reportedOn, reported_how: input.reportedHow, reported_by: input.by }
      : { coordinator_name: input.coordinatorName, coordinator_on: input.coordinatorOn };
  const updated = await db
    .updateTable('care_ip')
    .set({ ...set, version: ip.version + 1, updated_at: input.at })
    .where('practice_id', '=', input.practiceId)
    .where('patient_id', '=', input.patientId)
    .where('version', '=', input.version)
    .returning('id')
    .executeTakeFirst();
  const now = (await getIp(db, input.practiceId, input.patientId))!;
  return updated ? { ok: true, ip: now } : { ok: false, reason: 'conflict', ip: now };
}

// Target groups in the app's database (issue 15 item 2): scan runs, the current result per patient and
// group, the team's assessments and the outreach assessments and offers. SQL only; the EPJ reads are in
// scan.ts and the HTTP in routes.ts. Writes with a client-generated id are idempotent: the same id again
// returns what was stored the first time.
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { osloDate } from '../../../src/domain/calendar';
import type { Classification, FactKind, PatientFacts, TargetGroup } from '../../../src/domain/targetGroups';
import {
  groupViews,
  uncheckedViews,
  type AssessmentRecord,
  type OutreachOffer,
  type OutreachRecord,
  type PopulationRow,
  type ReasonView,
  type ScanRunView,
  type UncheckedView,
} from '../../../src/domain/targetGroups/views';
import type { OutreachRow } from '../../../src/domain/financing/evaluationSources';
import type { Database } from '../../db/schema';
import type { PatientDisplay, ScannedPatient, StoredAssessment } from './scan';
import type { OutreachNeed, ResultStatus, ScanPhase, TgOutreachTable, TgScanRunTable } from './tables';

type Db = Kysely<Database>;

/** A run still 'running' after this long died with its process: it no longer blocks a new one. */
export const STALE_RUN_MS = 2 * 3_600_000;

/** What the list needs besides the display: the markers of the classification. */
interface StoredDisplay extends PatientDisplay {
  /** The criteria the EPJ's data could not decide (issue 16), and the fact kinds it could not give. */
  unchecked?: UncheckedView[];
  unavailable?: FactKind[];
  /** Data-quality notes of the rules (e.g. missing birth date). */
  warnings: string[];
  needsMedicationReview: boolean;
  needsCarePlan: boolean;
  polypharmacy: boolean;
  /** The content hash of the row and its group rows when the panel stored it (storePatientResultIfChanged). */
  contentHash?: string;
}

function runView(row: Selectable<TgScanRunTable>): ScanRunView {
  const view: ScanRunView = {
    id: row.id,
    state: row.state,
    phase: row.phase,
    startedAt: new Date(row.started_at).toISOString(),
    startedBy: row.started_by,
    asOf: row.as_of,
    ruleSetVersion: row.rule_set_version,
    done: row.progress_done,
    total: row.progress_total,
  };
  if (row.finished_at) view.finishedAt = new Date(row.finished_at).toISOString();
  if (row.patients !== null) view.patients = row.patients;
  if (row.candidates !== null) view.candidates = row.candidates;
  if (row.error !== null) view.error = row.error;
  return view;
}

export type StartScan = { ok: true; run: ScanRunView } | { ok: false; running: ScanRunView };

/** Starts a run unless one is running for the practice (the database's partial unique index decides). */
export async function startScan(db: Db, practiceId: string, run: { id: string; by: string; asOf: string; ruleSetVersion: string; at: Date }): Promise<StartScan> {
  await db
    .updateTable('tg_scan_run')
    .set({ state: 'failed', finished_at: run.at, error: 'Gjennomgangen stoppet uten å bli ferdig.' })
    .where('practice_id', '=', practiceId)
    .where('state', '=', 'running')
    .where('started_at', '<', new Date(run.at.getTime() - STALE_RUN_MS))
    .execute();
  const inserted = await db
    .insertInto('tg_scan_run')
    .values({ practice_id: practiceId, id: run.id, started_at: run.at, started_by: run.by, as_of: run.asOf, rule_set_version: run.ruleSetVersion, finished_at: null, patients: null, candidates: null, error: null })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { ok: true, run: runView(inserted) };
  const running = await db.selectFrom('tg_scan_run').selectAll().where('practice_id', '=', practiceId).where('state', '=', 'running').executeTakeFirst();
  if (!running) throw new Error('tg_scan_run: kunne ikke starte og fant ingen som kjører');
  return { ok: false, running: runView(running) };
}

export async function scanProgress(db: Db, practiceId: string, id: string, phase: ScanPhase, done: number, total: number): Promise<void> {
  await db.updateTable('tg_scan_run').set({ phase, progress_done: done, progress_total: total }).where('practice_id', '=', practiceId).where('id', '=', id).execute();
}

export async function failScan(db: Db, practiceId: string, id: string, error: string, at: Date): Promise<void> {
  await db.updateTable('tg_scan_run').set({ state: 'failed', finished_at: at, error: error.slice(0, 500) }).where('practice_id', '=', practiceId).where('id', '=', id).execute();
}

export async function getRun(db: Db, practiceId: string, id: string): Promise<ScanRunView | undefined> {
  const row = await db.selectFrom('tg_scan_run').selectAll().where('practice_id', '=', practiceId).where('id', '=', id).executeTakeFirst();
  return row ? runView(row) : undefined;
}

/** The running run and the last finished one. */
export async function latestRuns(db: Db, practiceId: string): Promise<{ running?: ScanRunView; lastDone?: ScanRunView }> {
  const running = await db.selectFrom('tg_scan_run').selectAll().where('practice_id', '=', practiceId).where('state', '=', 'running').executeTakeFirst();
  const lastDone = await db
    .selectFrom('tg_scan_run')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where('state', '=', 'done')
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return { ...(running ? { running: runView(running) } : {}), ...(lastDone ? { lastDone: runView(lastDone) } : {}) };
}

export interface Classified {
  patient: ScannedPatient;
  classification: Classification;
  polypharmacy: boolean;
  /** The fact kinds the EPJ could not give when this was classified (kept for re-classifying). */
  unavailable?: readonly FactKind[];
}

function patientRow(practiceId: string, c: Classified, meta: { asOf: string; ruleSetVersion: string; at: Date; scanId: string | null }, hash?: string) {
  const display: StoredDisplay = {
    ...c.patient.display,
    warnings: c.classification.warnings,
    needsMedicationReview: c.classification.needsMedicationReview,
    needsCarePlan: c.classification.needsCarePlan,
    polypharmacy: c.polypharmacy,
    unchecked: uncheckedViews(c.classification),
    unavailable: [...(c.unavailable ?? [])],
    ...(hash !== undefined ? { contentHash: hash } : {}),
  };
  return {
    practice_id: practiceId,
    patient_id: c.patient.patientId,
    gp_id: c.patient.gpId ?? null,
    display: JSON.stringify(display),
    facts: JSON.stringify(c.patient.facts),
    weak_demander: c.classification.weakDemander,
    rule_set_version: meta.ruleSetVersion,
    as_of: meta.asOf,
    computed_at: meta.at,
    scan_id: meta.scanId,
  };
}

function resultRows(practiceId: string, c: Classified, meta: { ruleSetVersion: string; at: Date }) {
  return groupViews(c.classification).map((g) => ({
    practice_id: practiceId,
    patient_id: c.patient.patientId,
    target_group: g.group,
    status: g.status,
    evidence: JSON.stringify(g.reasons),
    rule_set_version: meta.ruleSetVersion,
    computed_at: meta.at,
  }));
}

const BATCH = 500;

async function insertBatched<T>(items: readonly T[], insert: (batch: T[]) => Promise<unknown>, size = BATCH): Promise<void> {
  for (let i = 0; i < items.length; i += size) await insert(items.slice(i, i + size));
}

/**
 * Patients per statement when a scan is stored (1,000: larger batches grow PGlite's memory more for no gain). Each statement carries its rows as ONE jsonb parameter that
 * PostgreSQL unpacks with jsonb_to_recordset: one parse in C instead of ten bound parameters per row through the
 * driver, which at 100,000 patients was most of the store time (issue 19 point 5).
 */
const SCAN_BATCH = 1_000;

/**
 * Replaces the practice's results with a finished scan, in one transaction: readers see the old result
 * until the new one is complete. Patients no longer listed disappear (their results with them).
 */
export async function finishScan(db: Db, practiceId: string, runId: string, classified: readonly Classified[], meta: { asOf: string; ruleSetVersion: string; at: Date }): Promise<void> {
  const candidates = classified.filter((c) => c.classification.groups.length > 0).length;
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('tg_patient').where('practice_id', '=', practiceId).execute();
    await insertBatched(
      classified,
      async (batch) => {
        const rows = batch.map((c) => {
          const row = patientRow(practiceId, c, { ...meta, scanId: runId });
          // display and facts as JSON values (not strings) inside the one jsonb parameter.
          return `{"patient_id":${JSON.stringify(row.patient_id)},"gp_id":${JSON.stringify(row.gp_id)},"display":${row.display},"facts":${row.facts},"weak_demander":${row.weak_demander}}`;
        });
        await sql`
          insert into tg_patient (practice_id, patient_id, gp_id, display, facts, weak_demander, rule_set_version, as_of, computed_at, scan_id)
          select ${practiceId}, r.patient_id, r.gp_id, r.display, r.facts, r.weak_demander, ${meta.ruleSetVersion}, ${meta.asOf}, ${meta.at}, ${runId}::uuid
          from jsonb_to_recordset(${`[${rows.join(',')}]`}::jsonb) as r(patient_id text, gp_id text, display jsonb, facts jsonb, weak_demander boolean)`.execute(tx);
        const results = batch.flatMap((c) => resultRows(practiceId, c, meta));
        if (results.length === 0) return;
        const resultJson = results.map((r) => `{"patient_id":${JSON.stringify(r.patient_id)},"target_group":${JSON.stringify(r.target_group)},"status":${JSON.stringify(r.status)},"evidence":${r.evidence}}`);
        await sql`
          insert into tg_result (practice_id, patient_id, target_group, status, evidence, rule_set_version, computed_at)
          select ${practiceId}, r.patient_id, r.target_group, r.status, r.evidence, ${meta.ruleSetVersion}, ${meta.at}
          from jsonb_to_recordset(${`[${resultJson.join(',')}]`}::jsonb) as r(patient_id text, target_group text, status text, evidence jsonb)`.execute(tx);
      },
      SCAN_BATCH,
    );
    await tx
      .updateTable('tg_scan_run')
      .set({ state: 'done', phase: 'done', finished_at: meta.at, patients: classified.length, candidates })
      .where('practice_id', '=', practiceId)
      .where('id', '=', runId)
      .execute();
  });
}

/**
 * Stores one patient's current result (the patient panel, or after an assessment). Call inside a transaction.
 * `hash`: its content hash (storePatientResultIfChanged), kept in the display; without it none is kept.
 */
export async function storePatientResult(db: Db, practiceId: string, c: Classified, meta: { asOf: string; ruleSetVersion: string; at: Date }, hash?: string): Promise<void> {
  const row = patientRow(practiceId, c, { ...meta, scanId: null }, hash);
  await db
    .insertInto('tg_patient')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['practice_id', 'patient_id']).doUpdateSet({
        gp_id: row.gp_id,
        display: row.display,
        facts: row.facts,
        weak_demander: row.weak_demander,
        rule_set_version: row.rule_set_version,
        as_of: row.as_of,
        computed_at: row.computed_at,
      }),
    )
    .execute();
  await db.deleteFrom('tg_result').where('practice_id', '=', practiceId).where('patient_id', '=', c.patient.patientId).execute();
  const results = resultRows(practiceId, c, meta);
  if (results.length > 0) await db.insertInto('tg_result').values(results).execute();
}

/**
 * What a stored result holds besides when it was computed (patient row and group rows), as one hash: the
 * panel's re-read of an unchanged patient then writes nothing but the time (storePatientResultIfChanged).
 */
function contentHash(practiceId: string, c: Classified, meta: { asOf: string; ruleSetVersion: string }): string {
  const row = patientRow(practiceId, c, { ...meta, at: new Date(0), scanId: null });
  const results = resultRows(practiceId, c, { ...meta, at: new Date(0) }).map((r) => [r.target_group, r.status, r.evidence]);
  return createHash('sha256')
    .update(JSON.stringify([row.gp_id, row.display, row.facts, row.weak_demander, row.rule_set_version, row.as_of, results]))
    .digest('base64url');
}

/**
 * Stores one patient's current result unless the stored one is the same (its content hash, kept in the
 * display): then only `computed_at` moves, one small statement instead of rewriting the row (facts of tens of
 * KB) and its group rows, and the list's cached rows stay valid. True when something changed.
 */
export async function storePatientResultIfChanged(db: Db, practiceId: string, c: Classified, meta: { asOf: string; ruleSetVersion: string; at: Date }): Promise<boolean> {
  const hash = contentHash(practiceId, c, meta);
  const touched = await db
    .updateTable('tg_patient')
    .set({ computed_at: meta.at })
    .where('practice_id', '=', practiceId)
    .where('patient_id', '=', c.patient.patientId)
    .where(sql<string>`display->>'contentHash'`, '=', hash)
    .executeTakeFirst();
  if (Number(touched.numUpdatedRows) > 0) return false;
  await db.transaction().execute((tx) => storePatientResult(tx, practiceId, c, meta, hash));
  return true;
}

/** The stored facts and display of one patient (for re-classifying after an assessment). */
export async function storedPatient(db: Db, practiceId: string, patientId: string): Promise<{ patient: ScannedPatient; asOf: string; unavailable: FactKind[] } | undefined> {
  const row = await db.selectFrom('tg_patient').selectAll().where('practice_id', '=', practiceId).where('patient_id', '=', patientId).executeTakeFirst();
  if (!row) return undefined;
  const d = row.display as StoredDisplay;
  const display: PatientDisplay = { name: d.name, addressProtected: d.addressProtected, notes: d.notes };
  if (d.birthDate !== undefined) display.birthDate = d.birthDate;
  if (d.age !== undefined) display.age = d.age;
  if (d.address !== undefined) display.address = d.address;
  return { patient: { patientId, ...(row.gp_id ? { gpId: row.gp_id } : {}), display, facts: row.facts as PatientFacts }, asOf: row.as_of, unavailable: d.unavailable ?? [] };
}

interface ListOptions {
  gpId?: string;
  /** Only weak demanders (the outreach worklist). */
  weakDemandersOnly?: boolean;
  /** False for the health secretary: membership only, no groups, markers or evidence (SPEC §1, §8). */
  clinical: boolean;
}

/** The stored rows of the list overview, by name. */
export async function listRows(db: Db, practiceId: string, opts: ListOptions): Promise<PopulationRow[]> {
  // One row holding all patients as JSON: PGlite (and pg) hand back one value instead of 3 000 rows to
  // decode, which keeps the list overview well under a second (issue 15 acceptance).
  const gpFilter = opts.gpId !== undefined ? sql`and gp_id = ${opts.gpId}` : sql``;
  const weakFilter = opts.weakDemandersOnly ? sql`and weak_demander` : sql``;
  const patientsQuery = sql<{ rows: string | null }>`
    select json_agg(json_build_array(patient_id, gp_id, display, weak_demander))::text as rows
    from tg_patient where practice_id = ${practiceId} ${gpFilter} ${weakFilter}`;
  const resultsQuery = sql<{ rows: string | null }>`
    select json_agg(json_build_array(r.patient_id, r.target_group, r.status, r.evidence))::text as rows
    from tg_result r join tg_patient p on p.practice_id = r.practice_id and p.patient_id = r.patient_id
    where r.practice_id = ${practiceId} and r.status in ('candidate', 'confirmed')
    ${opts.gpId !== undefined ? sql`and p.gp_id = ${opts.gpId}` : sql``} ${opts.weakDemandersOnly ? sql`and p.weak_demander` : sql``}`;
  const [patientsFound, resultsFound, outreach] = await Promise.all([
    patientsQuery.execute(db),
    resultsQuery.execute(db),
    opts.clinical ? latestOutreachByPatient(db, practiceId) : Promise.resolve(new Map<string, OutreachRecord>()),
  ]);
  const patientRows = (JSON.parse(patientsFound.rows[0]?.rows ?? 'null') ?? []) as [string, string | null, StoredDisplay, boolean][];
  const resultRowsFound = (JSON.parse(resultsFound.rows[0]?.rows ?? 'null') ?? []) as [string, TargetGroup, ResultStatus, ReasonView[]][];
  const groupsOf = new Map<string, { group: TargetGroup; status: ResultStatus; evidence: ReasonView[] }[]>();
  const order = ['chronic', 'mental-substance', 'frail-elderly', 'disability'];
  resultRowsFound.sort((a, b) => order.indexOf(a[1]) - order.indexOf(b[1]));
  for (const [patientId, group, status, evidence] of resultRowsFound) {
    const list = groupsOf.get(patientId) ?? [];
    list.push({ group, status, evidence });
    groupsOf.set(patientId, list);
  }
  const rows = patientRows.map(([patientId, gpId, d, weakDemander]) => {
    const groups = groupsOf.get(patientId) ?? [];
    const row: PopulationRow = {
      patientId,
      name: d.name,
      inTargetGroup: groups.length > 0,
      groups: opts.clinical ? groups.map((g) => ({ group: g.group, confirmed: g.status === 'confirmed' })) : [],
      weakDemander: opts.clinical && weakDemander,
      needsMedicationReview: opts.clinical && d.needsMedicationReview,
      needsCarePlan: opts.clinical && d.needsCarePlan,
      reasons: opts.clinical ? groups.flatMap((g) => g.evidence) : [],
      addressProtected: d.addressProtected,
      issueCount: opts.clinical ? d.notes.length + d.warnings.length : 0,
    };
    if (gpId) row.gpId = gpId;
    if (d.birthDate !== undefined) row.birthDate = d.birthDate;
    if (d.age !== undefined) row.age = d.age;
    if (d.address !== undefined) row.address = d.address;
    if (opts.clinical && d.unchecked && d.unchecked.length > 0) row.unchecked = d.unchecked;
    const o = outreach.get(patientId);
    if (o) row.outreach = o;
    return row;
  });
  const collator = new Intl.Collator('nb');
  return rows.sort((a, b) => collator.compare(a.name, b.name));
}

/** The panel's stored view of one patient (groups with evidence; markers). */
export async function patientResult(db: Db, practiceId: string, patientId: string) {
  const patient = await db
    .selectFrom('tg_patient')
    .select(['display', 'weak_demander', 'as_of', 'computed_at'])
    .where('practice_id', '=', practiceId)
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
  if (!patient) return undefined;
  const results = await db
    .selectFrom('tg_result')
    .select(['target_group', 'status', 'evidence'])
    .where('practice_id', '=', practiceId)
    .where('patient_id', '=', patientId)
    .execute();
  const order = ['chronic', 'mental-substance', 'frail-elderly', 'disability'];
  results.sort((a, b) => order.indexOf(a.target_group) - order.indexOf(b.target_group));
  return { display: patient.display as StoredDisplay, weakDemander: patient.weak_demander, asOf: patient.as_of, computedAt: new Date(patient.computed_at).toISOString(), results };
}

// ---- team assessments ----------------------------------------------------------------------------

export interface AssessmentInput {
  id: string;
  patientId: string;
  group: TargetGroup;
  include: boolean;
  reason: string;
  by: string;
  byName: string;
  at: Date;
}

function assessmentRecord(row: { id: string; target_group: TargetGroup; include: boolean; reason: string; by_name: string; at: Date }): AssessmentRecord {
  return { id: row.id, group: row.target_group, include: row.include, reason: row.reason, by: row.by_name, at: new Date(row.at).toISOString() };
}

/** Stores an assessment; the same id again returns the first one (`created: false`). */
export async function recordAssessment(db: Db, practiceId: string, a: AssessmentInput): Promise<{ record: AssessmentRecord; patientId: string; created: boolean }> {
  const inserted = await db
    .insertInto('tg_assessment')
    .values({ practice_id: practiceId, id: a.id, patient_id: a.patientId, target_group: a.group, include: a.include, reason: a.reason.trim(), by_user: a.by, by_name: a.byName, at: a.at })
    .onConflict((oc) => oc.columns(['practice_id', 'id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  const row = inserted ?? (await db.selectFrom('tg_assessment').selectAll().where('practice_id', '=', practiceId).where('id', '=', a.id).executeTakeFirstOrThrow());
  return { record: assessmentRecord(row), patientId: row.patient_id, created: inserted !== undefined };
}

/** A patient's assessments, oldest first. */
export async function assessmentsOf(db: Db, practiceId: string, patientId: string): Promise<AssessmentRecord[]> {
  const rows = await db.selectFrom('tg_assessment').selectAll().where('practice_id', '=', practiceId).where('patient_id', '=', patientId).orderBy('at').orderBy('id').execute();
  return rows.map(assessmentRecord);
}

/** As the rules read them (SPEC §3): Oslo date, author's name; oldest first so the later wins a tie. */
export function asRuleAssessment(a: AssessmentRecord): StoredAssessment {
  return { group: a.group, include: a.include, reason: a.reason, date: osloDate(a.at), author: a.by };
}

/** Every stored assessment of the practice per patient, for the scan. */
export async function assessmentsByPatient(db: Db, practiceId: string): Promise<Map<string, StoredAssessment[]>> {
  const rows = await db.selectFrom('tg_assessment').selectAll().where('practice_id', '=', practiceId).orderBy('at').orderBy('id').execute();
  const out = new Map<string, StoredAssessment[]>();
  for (const row of rows) out.set(row.patient_id, [...(out.get(row.patient_id) ?? []), asRuleAssessment(assessmentRecord(row))]);
  return out;
}

// ---- outreach ------------------------------------------------------------------------------------

export interface OutreachInput {
  id: string;
  patientId: string;
  need: OutreachNeed;
  offer?: OutreachOffer;
  note: string;
  by: string;
  byName: string;
  at: Date;
}

function outreachRecord(row: Selectable<TgOutreachTable>): OutreachRecord {
  const record: OutreachRecord = { id: row.id, date: osloDate(new Date(row.at).toISOString()), need: row.need, by: row.by_name };
  if (row.offer_kind && row.offer_date && row.offer_accepted !== null) record.offer = { kind: row.offer_kind, date: row.offer_date, accepted: row.offer_accepted };
  if (row.note !== '') record.note = row.note;
  return record;
}

export async function recordOutreach(db: Db, practiceId: string, o: OutreachInput): Promise<{ record: OutreachRecord; patientId: string; created: boolean }> {
  const inserted = await db
    .insertInto('tg_outreach')
    .values({
      practice_id: practiceId,
      id: o.id,
      patient_id: o.patientId,
      need: o.need,
      offer_kind: o.offer?.kind ?? null,
      offer_date: o.offer?.date ?? null,
      offer_accepted: o.offer?.accepted ?? null,
      note: o.note.trim(),
      by_user: o.by,
      by_name: o.byName,
      at: o.at,
    })
    .onConflict((oc) => oc.columns(['practice_id', 'id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  const row = inserted ?? (await db.selectFrom('tg_outreach').selectAll().where('practice_id', '=', practiceId).where('id', '=', o.id).executeTakeFirstOrThrow());
  return { record: outreachRecord(row), patientId: row.patient_id, created: inserted !== undefined };
}

/** The latest outreach assessment per patient. */
export async function latestOutreachByPatient(db: Db, practiceId: string, patientId?: string): Promise<Map<string, OutreachRecord>> {
  let q = db
    .selectFrom('tg_outreach')
    .selectAll()
    .distinctOn('patient_id')
    .where('practice_id', '=', practiceId)
    .orderBy('patient_id')
    .orderBy('at', 'desc')
    .orderBy('id', 'desc');
  if (patientId !== undefined) q = q.where('patient_id', '=', patientId);
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.patient_id, outreachRecord(r)]));
}

/** For tests and the bench: how many result rows the practice has. */
export async function countResults(db: Db, practiceId: string): Promise<number> {
  const row = await db.selectFrom('tg_result').select(sql<number>`count(*)::int`.as('n')).where('practice_id', '=', practiceId).executeTakeFirstOrThrow();
  return row.n;
}

/** Outreach assessments recorded on Oslo dates [from, to] (a day's margin in SQL, the exact day in JS), for the evaluation's counts. */
export async function outreachRowsIn(db: Db, practiceId: string, from: string, to: string): Promise<OutreachRow[]> {
  const lo = new Date(Date.parse(`${from}T00:00:00Z`) - 86_400_000);
  const hi = new Date(Date.parse(`${to}T00:00:00Z`) + 2 * 86_400_000);
  const rows = await db
    .selectFrom('tg_outreach')
    .select(['id', 'patient_id', 'need', 'offer_accepted', 'at'])
    .where('practice_id', '=', practiceId)
    .where('at', '>=', lo)
    .where('at', '<', hi)
    .execute();
  return rows
    .map((r) => {
      const at = new Date(r.at).toISOString();
      return { id: r.id, patientId: r.patient_id, date: osloDate(at), at, need: r.need, ...(r.offer_accepted === null ? {} : { offerAccepted: r.offer_accepted }) };
    })
    .filter((r) => r.date >= from && r.date <= to);
}

// The population scan as a job (issue 15 item 4): 'target-groups.nightly-scan' runs at 02:00 for each
// practice, reading the list through SMART Backend Services, so the list overview opens at once with
// «beregnet kl. 02:13». The manual rescan (routes.ts) runs the same code. At most one run per practice at
// a time: startScan's row is guarded by a partial unique index in the database.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { osloDate } from '../../../src/domain/calendar';
import { withCareFacts, type CareRecord } from '../../../src/domain/care';
import { DEFAULT_RULE_SET, type FactKind, type PatientFacts } from '../../../src/domain/targetGroups';
import type { Database } from '../../db/schema';
import { READ_EVERYTHING, readPlanFor, type ReadPlan } from '../../epj/capabilities';
import type { EpjGet } from '../../epj/targetGroups';
import type { JobContext, JobDefinition } from '../../jobs/types';
import { classifyWith, readPractice, type ScannedPatient } from './scan';
import { asRuleAssessment, assessmentsByPatient, assessmentsOf, failScan, finishScan, scanProgress, startScan, storedPatient, storePatientResult, type Classified, type StartScan } from './store';

/**
 * The app's care records per patient (care plans, medication reviews; the care slice's store, wired by the
 * composition root): added to the EPJ's facts whenever a patient is classified, so «trenger behandlingsplan»
 * and «trenger legemiddelgjennomgang» follow what the team recorded (issue 17 items 16-17). All the
 * practice's patients when `patientIds` is left out.
 */
export type CareSource = (db: Kysely<Database>, practiceId: string, patientIds?: readonly string[]) => Promise<ReadonlyMap<string, CareRecord>>;

export interface ScanDeps {
  db: Kysely<Database>;
  /** A GET on the practice's EPJ with the server's own token. */
  get: EpjGet;
  /** The EPJ's FHIR base. */
  iss: string;
  practiceId: string;
  now: () => number;
  log?: (line: string) => void;
  /** What the EPJ lets the server read (default: everything, by search); resolved lazily per run. */
  plan?: ReadPlan | (() => Promise<ReadPlan>);
  /** The app's care records (default: none). */
  care?: CareSource;
}

export function hasPolypharmacy(facts: PatientFacts): boolean {
  return new Set(facts.medications.filter((m) => m.active).map((m) => m.atc.trim().toUpperCase())).size >= DEFAULT_RULE_SET.thresholds.polypharmacyMinAtc;
}

/** Classifies scanned patients with their stored team assessments (pure but for the given map). */
export function classifyPatients(
  patients: readonly ScannedPatient[],
  assessments: ReadonlyMap<string, Parameters<ReturnType<typeof classifyWith>>[1]>,
  asOf: string,
  unavailable: readonly FactKind[] = [],
  care: ReadonlyMap<string, CareRecord> = new Map(),
): Classified[] {
  const classify = classifyWith(DEFAULT_RULE_SET);
  const options = unavailable.length > 0 ? { unavailable } : undefined;
  return patients.map((patient) => ({
    patient,
    classification: classify(withCareFacts(patient.facts, care.get(patient.patientId), asOf), assessments.get(patient.patientId) ?? [], asOf, options),
    polypharmacy: hasPolypharmacy(patient.facts),
    ...(unavailable.length > 0 ? { unavailable } : {}),
  }));
}

/** Starts a run for the practice, or says which one is running. */
export function startPracticeScan(deps: ScanDeps, by: string, id: string = randomUUID()): Promise<StartScan> {
  const at = new Date(deps.now());
  return startScan(deps.db, deps.practiceId, { id, by, asOf: osloDate(at.toISOString()), ruleSetVersion: DEFAULT_RULE_SET.version, at });
}

/** Reads, classifies and stores a started run; a failure marks the run failed (and is rethrown). */
export async function executeScan(deps: ScanDeps, runId: string): Promise<{ patients: number; candidates: number }> {
  const { db, practiceId } = deps;
  const asOf = osloDate(new Date(deps.now()).toISOString());
  const started = deps.now();
  try {
    let last = '';
    const progress = async (phase: 'patients' | 'facts' | 'classify' | 'store', done: number, total: number) => {
      const key = `${phase}:${done}`;
      if (key === last) return;
      last = key;
      await scanProgress(db, practiceId, runId, phase, done, total);
    };
    const pending: Promise<void>[] = [];
    const plan = typeof deps.plan === 'function' ? await deps.plan() : (deps.plan ?? READ_EVERYTHING);
    const patients = await readPractice(deps.get, deps.iss, practiceId, asOf, (phase, done, total) => void pending.push(progress(phase, done, total)), { plan });
    await Promise.all(pending);
    await progress('classify', 0, patients.length);
    const care = deps.care ? await deps.care(db, practiceId) : new Map<string, CareRecord>();
    const classified = classifyPatients(patients, await assessmentsByPatient(db, practiceId), asOf, plan.unavailable, care);
    await progress('store', 0, classified.length);
    await finishScan(db, practiceId, runId, classified, { asOf, ruleSetVersion: DEFAULT_RULE_SET.version, at: new Date(deps.now()) });
    const candidates = classified.filter((c) => c.classification.groups.length > 0).length;
    deps.log?.(`[target-groups] ${practiceId}: ${patients.length} pasienter, ${candidates} kandidater, ${Math.round(deps.now() - started)} ms (${plan.bulkExport ? '$export' : 'søk'})`);
    return { patients: patients.length, candidates };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.log?.(`[target-groups] ${practiceId}: gjennomgangen feilet: ${message}`);
    await failScan(db, practiceId, runId, `Gjennomgangen feilet: ${message}`, new Date(deps.now()));
    throw error;
  }
}

export const NIGHTLY_SCAN = 'target-groups.nightly-scan';

/** The job's work for one practice; callable without the scheduler (tests, `npm run` scripts). */
export async function runNightlyScan(ctx: JobContext, care?: CareSource): Promise<{ patients: number; candidates: number } | undefined> {
  const practice = ctx.practice;
  if (!practice) throw new Error(`${NIGHTLY_SCAN} kjører per praksis, men fikk ingen praksis`);
  const get = (url: URL, headers?: Record<string, string>) => ctx.backend.get(practice.epj, url, headers);
  const deps: ScanDeps = {
    db: ctx.db,
    get,
    // The EPJ's CapabilityStatement, read once per run: what to read, and whether by $export.
    plan: () => readPlanFor(practice.epj.iss, get, practice.epj.capabilities, ctx.capabilities),
    iss: practice.epj.iss,
    practiceId: practice.practiceId,
    now: ctx.now,
    log: ctx.log,
    ...(care ? { care } : {}),
  };
  const start = await startPracticeScan(deps, `job:${NIGHTLY_SCAN}`);
  if (!start.ok) {
    ctx.log(`[target-groups] ${practice.practiceId}: en gjennomgang kjører allerede (${start.running.id}); hopper over`);
    return undefined;
  }
  return executeScan(deps, start.run.id);
}

export const nightlyScanJob: JobDefinition = {
  name: NIGHTLY_SCAN,
  schedule: { dailyAt: '02:00' },
  perPractice: true,
  run: async (ctx) => void (await runNightlyScan(ctx)),
};

/** The nightly scan with the app's care records added (server/jobs/index.ts wires the care slice's store). */
export function nightlyScanJobWith(care: CareSource): JobDefinition {
  return { ...nightlyScanJob, run: async (ctx) => void (await runNightlyScan(ctx, care)) };
}

/**
 * Re-classifies a patient's stored result with the care records of today (after a care plan or a medication
 * review changed), so the list overview's markers follow at once. Nothing happens for a patient never scanned.
 */
export async function reclassifyWithCare(db: Kysely<Database>, practiceId: string, patientId: string, care: CareSource, at: Date): Promise<boolean> {
  const asOf = osloDate(at.toISOString());
  return db.transaction().execute(async (tx) => {
    const stored = await storedPatient(tx, practiceId, patientId);
    if (!stored) return false;
    const record = (await care(tx, practiceId, [patientId])).get(patientId);
    const assessments = (await assessmentsOf(tx, practiceId, patientId)).map(asRuleAssessment);
    const unavailable = stored.unavailable.length > 0 ? { unavailable: stored.unavailable } : undefined;
    const classification = classifyWith(DEFAULT_RULE_SET)(withCareFacts(stored.patient.facts, record, asOf), assessments, asOf, unavailable);
    await storePatientResult(tx, practiceId, { patient: stored.patient, classification, polypharmacy: hasPolypharmacy(stored.patient.facts), unavailable: stored.unavailable }, { asOf, ruleSetVersion: DEFAULT_RULE_SET.version, at });
    return true;
  });
}

/** This slice's scheduled jobs (the lead adds them to the scheduler's list). */
export const targetGroupJobs: readonly JobDefinition[] = [nightlyScanJob];

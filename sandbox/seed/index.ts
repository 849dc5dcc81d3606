// The synthetic practice (issue "Foundation", point 5): a Norwegian GP practice organised as a
// primærhelseteam, its staff, its list of patients and their routine data, as FHIR R4 resources.
// Same options -> identical output. `practiceResources` streams (the CLI uses it for 100,000 patients);
// `generatePractice` collects everything into memory.

import type { Resource } from '@medplum/fhirtypes';
import { addDays, followUpDeadline, parseDate } from './calendar';
import { emitPatient, frikortStart, type PatientContext, type TodayVisit } from './emit';
import { plannedGroups, type TargetGroup } from './groups';
import { organizations, staff } from './organizations';
import { planPatient, STREAM, type DischargeScenario, type DischargeShape, type PatientPlan } from './plan';
import { rngFor } from './prng';
import { RECENT_WINDOW_DAYS, placeRecentDischarges } from './recent';

export interface SeedOptions {
  /** Listed patients; default 3000, at most 100,000. */
  patients?: number;
  /** PRNG seed; default 1. */
  seed?: number;
  /** Oslo date YYYY-MM-DD: "today" of the data. */
  asOf: string;
}

export interface SeedSummary {
  asOf: string;
  seed: number;
  patients: number;
  patientsByGp: Record<string, number>;
  /** Resources per resourceType. */
  resources: Record<string, number>;
  totalResources: number;
  ageBands: { under16: number; under18: number; from18to64: number; from65to74: number; from75to84: number; from85: number };
  dNumbers: number;
  addressProtection: { fortrolig: number; strengtFortrolig: number };
  livingInInstitution: number;
  discharges: {
    /** Hospital/institution stays discharged in the last 21 days (asOf included), one per stay. */
    recentStays: number;
    recentByShape: Record<DischargeShape, number>;
    recentByScenario: Partial<Record<DischargeScenario, number>>;
    /** Relative to asOf by the SPEC §2 deadline (3rd working day after discharge). */
    dueToday: number;
    overdue: number;
    notYetDue: number;
    /** Stays discharged 22-730 days before asOf (Encounter or DocumentReference). */
    historyStays: number;
    /** Emergency visits without admission (class EMER; not discharges), all and last 21 days. */
    emergencyVisits: number;
    recentEmergencyVisits: number;
  };
  /** SPEC §3 default rules applied by the generator to its own plan (not by src/domain). */
  expectedCandidates: { total: number; share: number; byGroup: Record<TargetGroup, number>; weakDemanders: number };
  todayGpCharges: number;
}

export interface SeedResult {
  resources: Resource[];
  summary: SeedSummary;
}

export const DEFAULT_PATIENTS = 3000;
export const MAX_PATIENTS = 100_000;
/** Share of candidates that have not been in contact with the practice for a year (weak demanders). */
const WEAK_DEMANDER_SHARE = 0.13;

function validate(opts: SeedOptions): { patients: number; seed: number; asOf: string } {
  const patients = opts.patients ?? DEFAULT_PATIENTS;
  const seed = opts.seed ?? 1;
  if (!Number.isInteger(patients) || patients < 50 || patients > MAX_PATIENTS) {
    throw new RangeError(`patients must be an integer in 50..${MAX_PATIENTS}, got ${patients}`);
  }
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  parseDate(opts.asOf);
  return { patients, seed, asOf: opts.asOf };
}

/** Patients seen by their GP today, with the exemption their charge carries (SPEC §6 has something to find). */
function pickTodayVisits(seed: number, asOf: string, plans: readonly PatientPlan[], contexts: Map<number, Omit<PatientContext, 'today'>>): Map<number, TodayVisit> {
  const rng = rngFor(seed, 0, STREAM.today);
  const count = Math.max(8, Math.round(plans.length * 0.004));
  const visits = new Map<number, TodayVisit>();
  const eligible = (p: PatientPlan): boolean => !p.institution && !contexts.get(p.n)?.weakDemander && !visits.has(p.n);
  const add = (p: PatientPlan | undefined, exemption: TodayVisit['exemption']): void => {
    if (!p) return;
    visits.set(p.n, { minutes: rng.int(8 * 60, 15 * 60 + 30), exemption, settled: visits.size === 1 });
  };
  const from = rng.int(0, plans.length - 1);
  const rotated = [...plans.slice(from), ...plans.slice(0, from)];
  add(rotated.find((p) => eligible(p) && p.age < 16), 'B');
  add(rotated.find((p) => eligible(p) && contexts.get(p.n)?.frikortStart !== undefined), 'F');
  for (let guard = 0; visits.size < count && guard < 100 * count; guard++) {
    const p = rng.pick(plans);
    if (eligible(p)) add(p, p.age < 16 ? 'B' : contexts.get(p.n)?.frikortStart ? 'F' : undefined);
  }
  return visits;
}

function emptySummary(patients: number, seed: number, asOf: string): SeedSummary {
  return {
    asOf, seed, patients, patientsByGp: {}, resources: {}, totalResources: 0,
    ageBands: { under16: 0, under18: 0, from18to64: 0, from65to74: 0, from75to84: 0, from85: 0 },
    dNumbers: 0, addressProtection: { fortrolig: 0, strengtFortrolig: 0 }, livingInInstitution: 0,
    discharges: {
      recentStays: 0, recentByShape: { encounter: 0, document: 0, communication: 0, 'encounter+document': 0 },
      recentByScenario: {}, dueToday: 0, overdue: 0, notYetDue: 0, historyStays: 0, emergencyVisits: 0, recentEmergencyVisits: 0,
    },
    expectedCandidates: { total: 0, share: 0, byGroup: { chronic: 0, 'mental-substance': 0, 'frail-elderly': 0, disability: 0 }, weakDemanders: 0 },
    todayGpCharges: 0,
  };
}

function countPatient(s: SeedSummary, p: PatientPlan, ctx: PatientContext, asOf: string): void {
  s.patientsByGp[p.gp] = (s.patientsByGp[p.gp] ?? 0) + 1;
  const a = s.ageBands;
  if (p.age < 16) a.under16++;
  if (p.age < 18) a.under18++;
  else if (p.age < 65) a.from18to64++;
  else if (p.age < 75) a.from65to74++;
  else if (p.age < 85) a.from75to84++;
  else a.from85++;
  if (p.idKind === 'dnr') s.dNumbers++;
  if (p.protection === 'fortrolig') s.addressProtection.fortrolig++;
  if (p.protection === 'strengt-fortrolig') s.addressProtection.strengtFortrolig++;
  if (p.institution) s.livingInInstitution++;
  const d = s.discharges;
  const windowStart = addDays(asOf, -(RECENT_WINDOW_DAYS - 1));
  for (const stay of p.stays) {
    if (stay.dischargeDate < windowStart) {
      d.historyStays++;
      continue;
    }
    d.recentStays++;
    d.recentByShape[stay.shape]++;
    d.recentByScenario[stay.scenario] = (d.recentByScenario[stay.scenario] ?? 0) + 1;
    const deadline = followUpDeadline(stay.dischargeDate);
    if (deadline === asOf) d.dueToday++;
    else if (deadline < asOf) d.overdue++;
    else d.notYetDue++;
  }
  d.emergencyVisits += p.erVisits.length;
  d.recentEmergencyVisits += p.erVisits.filter((v) => v.date >= windowStart).length;
  const e = s.expectedCandidates;
  if (ctx.groups.length > 0) e.total++;
  for (const g of ctx.groups) e.byGroup[g]++;
  if (ctx.weakDemander) e.weakDemanders++;
  if (ctx.today) s.todayGpCharges++;
}

/** Streams the practice's resources; returns the summary when done. Memory: the plans, not the resources. */
export function* practiceResources(opts: SeedOptions): Generator<Resource, SeedSummary, undefined> {
  const { patients, seed, asOf } = validate(opts);
  const taken = new Set<string>();
  const plans: PatientPlan[] = [];
  for (let n = 1; n <= patients; n++) plans.push(planPatient(seed, n, asOf, taken));
  placeRecentDischarges(seed, asOf, plans);

  const contexts = new Map<number, Omit<PatientContext, 'today'>>();
  for (const p of plans) {
    const groups = plannedGroups(p, asOf);
    const weakDemander = groups.length > 0 && rngFor(seed, p.n, 7).chance(WEAK_DEMANDER_SHARE);
    contexts.set(p.n, { groups, weakDemander, frikortStart: frikortStart(seed, p, asOf) });
  }
  const today = pickTodayVisits(seed, asOf, plans, contexts);

  const summary = emptySummary(patients, seed, asOf);
  const count = (r: Resource): Resource => {
    summary.resources[r.resourceType] = (summary.resources[r.resourceType] ?? 0) + 1;
    summary.totalResources++;
    return r;
  };
  for (const r of [...organizations(), ...staff()]) yield count(r);
  for (const p of plans) {
    const base = contexts.get(p.n);
    if (!base) throw new Error(`No context for ${p.id}`);
    const ctx: PatientContext = { ...base, today: today.get(p.n) };
    countPatient(summary, p, ctx, asOf);
    for (const r of emitPatient(seed, p, asOf, ctx)) yield count(r);
  }
  summary.expectedCandidates.share = Math.round((summary.expectedCandidates.total / patients) * 10_000) / 10_000;
  return summary;
}

/** The whole practice in memory (fine up to 100,000 patients with ~1.5 GB of heap; stream above that). */
export function generatePractice(opts: SeedOptions): SeedResult {
  const resources: Resource[] = [];
  const it = practiceResources(opts);
  for (;;) {
    const next = it.next();
    if (next.done) return { resources, summary: next.value };
    resources.push(next.value);
  }
}

export { CFS_CODE, EXT_RESIDENCE_INSTITUTION, MESSAGE_CATEGORY, MESSAGE_CATEGORY_SYSTEM, LOINC_DISCHARGE_SUMMARY, MEDICATION_REVIEW_CODE } from './codes';
export { PRACTICE_ID, GP_IDS } from './organizations';

// Pass 1: plan each listed patient (identity, conditions, drugs, frailty, institution, older hospital
// stays). Plans are small and kept in memory; resources are built from them later, one patient at a time.

import { addDays, ageOn, daysBetween } from './calendar';
import { DISEASES, ELDERLY_DRUGS, SHORT_COURSE_DRUGS, type DiseaseKey, type Sex } from './catalogue';
import { FAMILY_NAMES, STREETS, givenNamesFor } from './names';
import { syntheticNationalId } from './norwegianIds';
import { GP_IDS, type GpId, type InstitutionId } from './organizations';
import { rngFor, type Rng } from './prng';

export type DischargeShape = 'encounter' | 'document' | 'communication' | 'encounter+document';
export type InpatientClass = 'IMP' | 'ACUTE' | 'NONAC' | 'OBSENC' | 'SS';

/** Why a recent discharge was placed on its date (SPEC §2 deadline cases). */
export type DischargeScenario = 'due-today' | 'friday-before' | 'weekend' | 'overdue' | 'discharged-today' | 'not-yet-due' | 'random' | 'history';

export interface StayPlan {
  readonly institution: InstitutionId;
  readonly admitDate: string;
  readonly dischargeDate: string;
  /** Minutes after Oslo midnight. */
  readonly dischargeMinutes: number;
  readonly classCode: InpatientClass;
  readonly shape: DischargeShape;
  readonly scenario: DischargeScenario;
  readonly reason: number;
  readonly department: number;
  /** Communication category for shape 'communication'. */
  readonly notice: 'epikrise' | 'discharge-notice';
}

export interface ErVisitPlan {
  readonly institution: InstitutionId;
  readonly date: string;
  readonly minutes: number;
}

export interface ConditionPlan {
  readonly disease: DiseaseKey;
  readonly codeIndex: number;
  readonly status: 'active' | 'inactive' | 'resolved';
  readonly onset: string;
  readonly coding: 'icpc' | 'icpc-oid' | 'icd-dot' | 'icd-nodot' | 'both';
  readonly icdSystem: 'oid' | 'uri';
}

export interface PatientPlan {
  readonly n: number;
  readonly id: string;
  readonly sex: Sex;
  readonly birthDate: string;
  readonly age: number;
  readonly gp: GpId;
  readonly idKind: 'fnr' | 'dnr';
  readonly nationalId: string;
  readonly family: string;
  readonly given: readonly string[];
  readonly street: number;
  readonly houseNumber: number;
  readonly phone?: string;
  readonly institution: boolean;
  readonly protection?: 'fortrolig' | 'strengt-fortrolig';
  readonly conditions: readonly ConditionPlan[];
  readonly activeDrugs: readonly string[];
  readonly pastDrugs: readonly string[];
  readonly cfs: readonly { readonly date: string; readonly score: number }[];
  /** Yearly hospital admission rate; also the weight for placing recent discharges. */
  readonly admissionRate: number;
  stays: StayPlan[];
  erVisits: ErVisitPlan[];
}

/** Stream ids for rngFor: one independent stream per purpose. */
export const STREAM = { identity: 1, clinical: 2, stays: 3, recent: 4, emit: 5, today: 6 } as const;

/** Share of a Norwegian GP list by age band [from, to, percent] (SSB 2024, rounded; ~17 % under 18). */
export const AGE_BANDS: readonly (readonly [number, number, number])[] = [
  [0, 5, 6], [6, 15, 9], [16, 17, 2.2], [18, 29, 15.5], [30, 44, 22], [45, 59, 20], [60, 69, 11], [70, 74, 5],
  [75, 79, 4], [80, 84, 2.6], [85, 89, 1.5], [90, 94, 0.8], [95, 100, 0.2],
];

const AGE_BAND_TOTAL = AGE_BANDS.reduce((sum, b) => sum + b[2], 0);

/**
 * The age band of patient n by a low-discrepancy (golden ratio) sequence rather than independent draws,
 * so every list, whatever its seed and size, has the age mix of AGE_BANDS almost exactly (and so a
 * stable share of target-group candidates).
 */
function ageBandFor(seed: number, n: number): readonly [number, number] {
  const offset = rngFor(seed, 0, 9).next();
  let u = ((n * 0.6180339887498949 + offset) % 1) * AGE_BAND_TOTAL;
  for (const [from, to, percent] of AGE_BANDS) {
    u -= percent;
    if (u < 0) return [from, to];
  }
  const last = AGE_BANDS[AGE_BANDS.length - 1];
  return [last?.[0] ?? 0, last?.[1] ?? 0];
}

export function patientId(n: number): string {
  return `pat-${String(n).padStart(5, '0')}`;
}

function birthDateFor(rng: Rng, asOf: string, age: number): string {
  const year = Number(asOf.slice(0, 4)) - age;
  const md = asOf.slice(5) === '02-29' ? '02-28' : asOf.slice(5);
  return addDays(`${year}-${md}`, -rng.int(0, 364));
}

function phoneNumber(rng: Rng): string {
  const first = rng.pick(['4', '9']);
  const d = (k: number): string => Array.from({ length: k }, () => String(rng.int(0, 9))).join('');
  return `+47 ${first}${d(2)} ${d(2)} ${d(3)}`;
}

/**
 * Keeps dated facts a few days clear of "365 days before asOf", so that any reading of "in the last 365
 * days" (inclusive or not) classifies the seed the same way.
 */
export function clearOfYearBoundary(asOf: string, date: string): string {
  const days = daysBetween(date, asOf);
  return days >= 362 && days <= 368 ? addDays(date, -7) : date;
}

function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

const CHRONIC_MULTIMORBIDITY: ReadonlySet<DiseaseKey> = new Set<DiseaseKey>([
  'diabetes2', 'kols', 'heartFailure', 'ihd', 'af', 'hypertension', 'stroke', 'osteoarthritis', 'hyperlipidaemia',
]);

function baseAdmissionRate(age: number): number {
  if (age < 1) return 0.1;
  if (age < 18) return 0.03;
  if (age < 50) return 0.04;
  if (age < 65) return 0.07;
  if (age < 75) return 0.12;
  if (age < 85) return 0.14;
  return 0.25;
}

function planConditions(rng: Rng, asOf: string, birthDate: string, age: number, sex: Sex, institution: boolean): ConditionPlan[] {
  // Multimorbidity clusters: a per-person factor scales the cardiometabolic diseases together.
  const morbidity = rng.weighted<number>([[0.4, 40], [1, 35], [1.8, 18], [3, 7]]);
  const plans: ConditionPlan[] = [];
  const onset = (): string => {
    const earliest = Math.max(1, Math.min(3650, ageDays(birthDate, asOf) - 1));
    return addDays(asOf, -rng.int(1, earliest));
  };
  const coding = (hasIcpc: boolean, hasIcd: boolean): ConditionPlan['coding'] => {
    if (!hasIcpc) return rng.chance(0.5) ? 'icd-dot' : 'icd-nodot';
    if (!hasIcd) return rng.chance(0.85) ? 'icpc' : 'icpc-oid';
    return rng.weighted<ConditionPlan['coding']>([['icpc', 62], ['icpc-oid', 12], ['icd-dot', 10], ['icd-nodot', 8], ['both', 8]]);
  };
  for (const d of DISEASES) {
    let p = d.prevalence(age, sex);
    if (CHRONIC_MULTIMORBIDITY.has(d.key)) p *= morbidity;
    if (d.key === 'dementia' && institution) p = 0.7;
    if (!rng.chance(Math.min(p, 0.95))) continue;
    const codeIndex = rng.int(0, d.codes.length - 1);
    const code = d.codes[codeIndex];
    plans.push({
      disease: d.key, codeIndex, status: 'active', onset: onset(),
      coding: coding(Boolean(code?.icpc), Boolean(code?.icd)), icdSystem: rng.chance(0.6) ? 'oid' : 'uri',
    });
  }
  // Conditions that are no longer active: they must not count (SPEC §3 "only active conditions").
  const noise: [DiseaseKey, number, ConditionPlan['status']][] = [
    ['depression', age >= 16 ? 0.06 : 0, 'resolved'], ['asthma', age >= 10 ? 0.03 : 0, 'inactive'],
    ['alcohol', age >= 25 ? 0.006 : 0, 'resolved'], ['drugs', age >= 25 ? 0.004 : 0, 'inactive'],
    ['kols', age >= 60 ? 0.004 : 0, 'resolved'],
  ];
  for (const [key, p, status] of noise) {
    if (!rng.chance(p) || plans.some((c) => c.disease === key)) continue;
    plans.push({ disease: key, codeIndex: 0, status, onset: onset(), coding: coding(true, true), icdSystem: rng.chance(0.5) ? 'oid' : 'uri' });
  }
  return plans;
}

function ageDays(birthDate: string, asOf: string): number {
  return Math.round((Date.parse(asOf) - Date.parse(birthDate)) / 86_400_000);
}

function planDrugs(rng: Rng, age: number, conditions: readonly ConditionPlan[]): { active: string[]; past: string[] } {
  const active = new Set<string>();
  for (const c of conditions) {
    if (c.status !== 'active') continue;
    const d = DISEASES.find((x) => x.key === c.disease);
    d?.drugs.forEach((atc, i) => {
      if (rng.chance(i === 0 ? 0.8 : 0.33)) active.add(atc);
    });
  }
  if (age >= 65) for (const atc of ELDERLY_DRUGS) if (rng.chance(age >= 80 ? 0.15 : 0.08)) active.add(atc);
  const past = SHORT_COURSE_DRUGS.filter(() => rng.chance(0.12));
  return { active: [...active], past };
}

function planCfs(rng: Rng, asOf: string, age: number, institution: boolean, conditions: readonly ConditionPlan[]): { date: string; score: number }[] {
  if (age < 75 || !rng.chance(institution ? 0.5 : 0.3)) return [];
  const chronic = conditions.filter((c) => c.status === 'active' && CHRONIC_MULTIMORBIDITY.has(c.disease)).length;
  const dementia = conditions.some((c) => c.disease === 'dementia' && c.status === 'active');
  const raw = 1.2 + (age - 75) / 6 + chronic * 0.35 + (dementia ? 1.5 : 0) + (institution ? 1.5 : 0) + rng.next() * 2 - 1;
  const score = Math.max(1, Math.min(9, Math.round(raw)));
  const latest = { date: addDays(asOf, -rng.int(10, 500)), score };
  if (!rng.chance(0.35)) return [latest];
  // An earlier score that differs: only the latest counts (SPEC §3).
  const earlier = { date: addDays(latest.date, -rng.int(120, 300)), score: Math.max(1, Math.min(9, score + rng.pick([-2, -1, 1, 2]))) };
  return [earlier, latest];
}

const HOSPITALS: readonly InstitutionId[] = ['org-ous-ulleval', 'org-ahus', 'org-lovisenberg'];

export function drawStay(rng: Rng, age: number, dischargeDate: string, shape: DischargeShape, scenario: DischargeScenario): StayPlan {
  const nursingHome = age >= 75 && rng.chance(0.12);
  const institution: InstitutionId = nursingHome
    ? 'org-sagene-sykehjem'
    : rng.weighted<InstitutionId>([['org-ous-ulleval', 40], ['org-ahus', 20], ['org-lovisenberg', 40]]);
  const classCode: InpatientClass = nursingHome
    ? 'NONAC'
    : rng.weighted<InpatientClass>([['IMP', 55], ['ACUTE', 25], ['OBSENC', 8], ['SS', 7], ['NONAC', 5]]);
  const los = classCode === 'SS' || classCode === 'OBSENC' ? rng.int(0, 1) : rng.int(1, nursingHome ? 21 : 9);
  return {
    institution, admitDate: addDays(dischargeDate, -los), dischargeDate, dischargeMinutes: rng.int(9 * 60, 19 * 60),
    classCode, shape, scenario, reason: rng.int(0, 99), department: rng.int(0, 9),
    notice: rng.chance(0.6) ? 'epikrise' : 'discharge-notice',
  };
}

/** Plans one patient. `takenIds` makes national ids unique across the list (hence sequential). */
export function planPatient(seed: number, n: number, asOf: string, takenIds: Set<string>): PatientPlan {
  const rng = rngFor(seed, n, STREAM.identity);
  const [from, to] = ageBandFor(seed, n);
  const age = rng.int(from, to);
  const birthDate = birthDateFor(rng, asOf, age);
  const sex: Sex = rng.chance(age >= 85 ? 0.36 : age >= 70 ? 0.46 : 0.51) ? 'male' : 'female';
  const idKind = age >= 20 && age <= 60 && rng.chance(0.015) ? 'dnr' : 'fnr';
  const nationalId = syntheticNationalId(rng, birthDate, sex, idKind, takenIds);
  takenIds.add(nationalId);
  const names = givenNamesFor(Number(birthDate.slice(0, 4)), sex);
  const given = rng.chance(0.2) ? [rng.pick(names), rng.pick(names)] : [rng.pick(names)];
  const street = rng.int(0, STREETS.length - 1);
  const institution = rng.chance(age >= 85 ? 0.14 : age >= 75 ? 0.03 : age >= 65 ? 0.004 : 0);
  // Every 400th patient has a confidential address; a quarter of those strictly confidential.
  const protection = n % 400 === 7 ? 'fortrolig' : n % 1600 === 203 ? 'strengt-fortrolig' : undefined;

  const clinical = rngFor(seed, n, STREAM.clinical);
  const conditions = planConditions(clinical, asOf, birthDate, age, sex, institution);
  const drugs = planDrugs(clinical, age, conditions);
  const cfs = planCfs(clinical, asOf, age, institution, conditions);
  const admissionRate = baseAdmissionRate(age) + conditions
    .filter((c) => c.status === 'active')
    .reduce((sum, c) => sum + (DISEASES.find((d) => d.key === c.disease)?.admissionRate ?? 0), 0);

  // Older stays and ER visits: discharged 22-730 days ago (the last 3 weeks are placed in pass 2).
  const stayRng = rngFor(seed, n, STREAM.stays);
  const stays: StayPlan[] = [];
  for (let k = poisson(stayRng, admissionRate * (709 / 365)); k > 0; k--) {
    const date = clearOfYearBoundary(asOf, addDays(asOf, -stayRng.int(22, 722)));
    if (date <= birthDate) continue;
    stays.push(drawStay(stayRng, age, date, stayRng.chance(0.75) ? 'encounter' : 'document', 'history'));
  }
  const erVisits: ErVisitPlan[] = [];
  for (let k = poisson(stayRng, (age >= 75 ? 0.15 : 0.06) * (709 / 365)); k > 0; k--) {
    const date = addDays(asOf, -stayRng.int(22, 730));
    if (date > birthDate) erVisits.push({ institution: stayRng.pick(HOSPITALS), date, minutes: stayRng.int(8 * 60, 21 * 60) });
  }
  stays.sort((a, b) => a.dischargeDate.localeCompare(b.dischargeDate));
  erVisits.sort((a, b) => a.date.localeCompare(b.date));

  return {
    n, id: patientId(n), sex, birthDate, age: ageOn(birthDate, asOf), gp: rng.weighted(GP_IDS.map((g, i) => [g, [36, 33, 31][i] ?? 1] as const)),
    idKind, nationalId, family: rng.pick(FAMILY_NAMES), given, street, houseNumber: rng.int(1, STREETS[street]?.maxNumber ?? 10),
    phone: age >= 12 || rng.chance(0.2) ? phoneNumber(rng) : undefined, institution, protection,
    conditions, activeDrugs: drugs.active, pastDrugs: drugs.past, cfs, admissionRate, stays, erVisits,
  };
}

export { phoneNumber, poisson, HOSPITALS };

// Pass 3: build one patient's resources from the plan. Each patient draws from its own PRNG streams, so
// the output for a patient does not depend on how many patients come before it.

import type { Resource } from '@medplum/fhirtypes';
import { addDays, isWorkingDay, osloDateTime } from './calendar';
import {
  buildCarePlan, buildContactEncounter, buildFrikort, buildGoal, buildGpCharge, buildMedicationReview,
  type CarePlanDisease, type ChargeExemption, type ContactPlan,
} from './careResources';
import { buildDischargeCommunication, buildDischargeDocument, buildErEncounter, buildInpatientEncounter } from './dischargeResources';
import type { TargetGroup } from './groups';
import { buildConditions, buildFrailtyObservations, buildMedicationStatements, buildNextOfKin, buildPatient } from './patientResources';
import { clearOfYearBoundary, poisson, STREAM, type PatientPlan } from './plan';
import { rngFor, type Rng } from './prng';

export interface TodayVisit {
  readonly minutes: number;
  readonly exemption: ChargeExemption;
  readonly settled: boolean;
}

export interface PatientContext {
  readonly groups: readonly TargetGroup[];
  /** A candidate with no contact with the practice in the last 365 days (SPEC §3). */
  readonly weakDemander: boolean;
  readonly frikortStart: string | undefined;
  readonly today: TodayVisit | undefined;
}

/** Frikort: reached the egenandelstak some time this year; more likely with age and illness. */
export function frikortStart(seed: number, p: PatientPlan, asOf: string): string | undefined {
  if (p.age < 16 || p.institution) return undefined;
  const rng = rngFor(seed, p.n, 8);
  const chronic = p.conditions.filter((c) => c.status === 'active').length;
  const chance = Math.min(0.6, 0.04 + 0.06 * chronic + (p.age >= 70 ? 0.12 : 0));
  if (!rng.chance(chance)) return undefined;
  const start = addDays(`${asOf.slice(0, 4)}-01-01`, rng.int(40, 330));
  return start <= asOf ? start : undefined;
}

function contactRate(p: PatientPlan, groups: readonly TargetGroup[]): number {
  if (p.institution) return 0.3;
  const base = p.age < 6 ? 2 : p.age < 18 ? 0.8 : p.age < 60 ? 1.2 : p.age < 75 ? 2.2 : 3.5;
  const active = p.conditions.filter((c) => c.status === 'active').length;
  return base + 0.4 * Math.min(active, 5) + (groups.includes('mental-substance') ? 1.5 : 0);
}

function workingDayOnOrBefore(date: string): string {
  let d = date;
  while (!isWorkingDay(d)) d = addDays(d, -1);
  return d;
}

function planContacts(rng: Rng, p: PatientPlan, asOf: string, ctx: PatientContext): ContactPlan[] {
  const contacts: ContactPlan[] = [];
  const yearAgo = addDays(asOf, -365);
  for (let k = poisson(rng, 2 * contactRate(p, ctx.groups)); k > 0; k--) {
    const date = clearOfYearBoundary(asOf, workingDayOnOrBefore(addDays(asOf, -rng.int(1, 722))));
    if (date <= p.birthDate || (ctx.weakDemander && date > yearAgo)) continue;
    const classCode = rng.weighted<ContactPlan['classCode']>([['AMB', 75], ['VR', 20], ['HH', p.age >= 80 ? 15 : 0]]);
    contacts.push({ date, minutes: rng.int(8 * 60, 15 * 60 + 30), classCode, performer: rng.chance(0.15) ? 'nurse-1' : p.gp });
  }
  return contacts.sort((a, b) => a.date.localeCompare(b.date) || a.minutes - b.minutes);
}

function carePlans(rng: Rng, p: PatientPlan, asOf: string, conditionIds: readonly (string | undefined)[]): Resource[] {
  const out: Resource[] = [];
  const num = p.id.slice(4);
  const diseases: [CarePlanDisease, number][] = [];
  p.conditions.forEach((c, i) => {
    if (c.status !== 'active') return;
    if (c.disease === 'diabetes1' || c.disease === 'diabetes2') diseases.push(['diabetes', i]);
    if (c.disease === 'kols') diseases.push(['kols', i]);
  });
  diseases.forEach(([disease, i], k) => {
    if (!rng.chance(0.3)) return;
    const start = addDays(asOf, -rng.int(20, 700));
    const withGoal = rng.chance(0.65);
    const goalId = withGoal ? `goal-${num}-${k + 1}` : undefined;
    if (goalId) out.push(buildGoal(p, disease, goalId, start));
    out.push(buildCarePlan(p, disease, `cp-${num}-${k + 1}`, start, conditionIds[i], goalId));
  });
  return out;
}

/** All resources of one listed patient, in a fixed order. */
export function emitPatient(seed: number, p: PatientPlan, asOf: string, ctx: PatientContext): Resource[] {
  const rng = rngFor(seed, p.n, STREAM.emit);
  const num = p.id.slice(4);
  const out: Resource[] = [buildPatient(p)];
  if (p.institution || (p.age >= 70 && rng.chance(0.85))) out.push(buildNextOfKin(rng, p));
  const conditions = buildConditions(p);
  out.push(...conditions, ...buildMedicationStatements(rng, p, asOf), ...buildFrailtyObservations(p));
  out.push(...carePlans(rng, p, asOf, conditions.map((c) => c.id)));

  if (new Set(p.activeDrugs).size >= 4) {
    const r = rng.next();
    const daysAgo = r < 0.45 ? rng.int(10, 350) : r < 0.65 ? rng.int(380, 720) : undefined;
    if (daysAgo !== undefined) out.push(buildMedicationReview(p, `proc-lmg-${num}-1`, clearOfYearBoundary(asOf, addDays(asOf, -daysAgo))));
  }
  if (ctx.frikortStart) out.push(buildFrikort(p, ctx.frikortStart));

  planContacts(rng, p, asOf, ctx).forEach((c, k) => out.push(buildContactEncounter(p, c, `enc-${num}-${String(k + 1).padStart(3, '0')}`)));
  if (ctx.today) {
    const encId = `enc-${num}-today`;
    out.push(buildContactEncounter(p, { date: asOf, minutes: ctx.today.minutes, classCode: 'AMB', performer: p.gp }, encId));
    out.push(buildGpCharge(p, `ci-${num}-today`, encId, osloDateTime(asOf, ctx.today.minutes), ctx.today.exemption, ctx.today.settled));
  }

  p.stays.forEach((s, k) => {
    const encounter = s.shape === 'encounter' || s.shape === 'encounter+document' ? buildInpatientEncounter(p, s, k) : undefined;
    if (encounter) out.push(encounter);
    if (s.shape === 'document' || s.shape === 'encounter+document') {
      out.push(buildDischargeDocument(p, s, k, encounter && s.reason % 2 === 0 ? encounter.id : undefined));
    }
    if (s.shape === 'communication') out.push(buildDischargeCommunication(p, s, k));
  });
  p.erVisits.forEach((v, k) => out.push(buildErEncounter(p, v, k)));
  return out;
}

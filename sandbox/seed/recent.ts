// Pass 2: the discharges of the last 3 weeks before `asOf`, placed on purpose so the worklist has every
// SPEC §2 case (due today, overdue, a weekend, the Friday before, discharged today, not yet due) in all
// SPEC §4 shapes, and given to patients in proportion to their admission rate.

import { addDays, followUpDeadline, isWorkingDay, weekday } from './calendar';
import { HOSPITALS, STREAM, drawStay, type DischargeScenario, type DischargeShape, type PatientPlan } from './plan';
import { rngFor, type Rng } from './prng';

export const RECENT_WINDOW_DAYS = 21;

const SHAPES: readonly DischargeShape[] = ['encounter', 'document', 'communication', 'encounter+document'];

interface Slot {
  readonly date: string;
  readonly scenario: DischargeScenario;
  readonly shape: DischargeShape;
}

function windowDates(asOf: string): string[] {
  return Array.from({ length: RECENT_WINDOW_DAYS }, (_, i) => addDays(asOf, -i));
}

/** The mandated cases first (shapes cycling so each appears), then random dates to fill up to `total`. */
export function recentSlots(rng: Rng, asOf: string, total: number): Slot[] {
  const dates = windowDates(asOf);
  const mandated: [DischargeScenario, string | undefined][] = [];
  const dueToday = dates.filter((d) => followUpDeadline(d) === asOf);
  if (isWorkingDay(asOf)) for (let i = 0; i < 3; i++) mandated.push(['due-today', dueToday[i % dueToday.length]]);
  const friday = dates.find((d) => d < asOf && weekday(d) === 5);
  mandated.push(['friday-before', friday]);
  const weekend = dates.filter((d) => d < asOf && (weekday(d) === 0 || weekday(d) === 6));
  mandated.push(['weekend', weekend[0]], ['weekend', weekend[1]]);
  const overdue = dates.filter((d) => followUpDeadline(d) < asOf);
  for (let i = 0; i < 4; i++) mandated.push(['overdue', overdue[Math.floor((i * overdue.length) / 4)]]);
  mandated.push(['discharged-today', asOf]);
  const notYetDue = dates.filter((d) => d < asOf && followUpDeadline(d) > asOf);
  mandated.push(['not-yet-due', notYetDue[0] ?? asOf]);

  const slots: Slot[] = [];
  mandated.forEach(([scenario, date]) => {
    if (date) slots.push({ date, scenario, shape: SHAPES[slots.length % SHAPES.length] ?? 'encounter' });
  });
  while (slots.length < total) {
    const shape = rng.weighted<DischargeShape>([['encounter', 35], ['document', 25], ['communication', 25], ['encounter+document', 15]]);
    slots.push({ date: rng.pick(dates), scenario: 'random', shape });
  }
  return slots;
}

/** Weighted draw without replacement via cumulative weights (binary search), skipping taken patients. */
function drawPatient(rng: Rng, asOf: string, plans: readonly PatientPlan[], cumulative: Float64Array, taken: Set<number>): PatientPlan {
  const bornBefore = addDays(asOf, -RECENT_WINDOW_DAYS);
  const total = cumulative[cumulative.length - 1] ?? 0;
  for (let tries = 0; ; tries++) {
    const r = rng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) > r) hi = mid;
      else lo = mid + 1;
    }
    const plan = plans[lo];
    if (plan && (!taken.has(lo) || tries > 10_000) && plan.birthDate < bornBefore) {
      taken.add(lo);
      return plan;
    }
  }
}

/** Adds recent discharges and ER visits to the plans (mutates `stays`/`erVisits`). */
export function placeRecentDischarges(seed: number, asOf: string, plans: PatientPlan[]): void {
  const rng = rngFor(seed, 0, STREAM.recent);
  const cumulative = new Float64Array(plans.length);
  let sum = 0;
  plans.forEach((p, i) => {
    sum += p.admissionRate;
    cumulative[i] = sum;
  });
  const expected = Math.round((sum * RECENT_WINDOW_DAYS) / 365);
  const slots = recentSlots(rng, asOf, Math.max(16, expected));
  const taken = new Set<number>();
  for (const slot of slots) {
    const plan = drawPatient(rng, asOf, plans, cumulative, taken);
    plan.stays.push(drawStay(rng, plan.age, slot.date, slot.shape, slot.scenario));
  }
  const erCount = Math.max(4, Math.round(expected * 0.4));
  for (let i = 0; i < erCount; i++) {
    const plan = drawPatient(rng, asOf, plans, cumulative, taken);
    plan.erVisits.push({ institution: rng.pick(HOSPITALS), date: addDays(asOf, -rng.int(0, RECENT_WINDOW_DAYS - 1)), minutes: rng.int(8 * 60, 21 * 60) });
  }
}

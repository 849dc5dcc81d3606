// One co-payment a day (SPEC §6, source ch. 6.1.2: "Det er således ikke tillatt å ta doble egenandeler").
// Pure: the caller gathers the team's charges for one patient (GP and nurse, as far as the EPJ exposes
// them) and gets one decision per charge. Each Oslo calendar day is decided on its own.
import { osloDate } from './calendar';
import { osloInstant } from './calendar';

export interface DayCharge {
  id: string;
  /** When the service was given (ISO date-time; without offset = Oslo local time). */
  at: string;
  /** The tariff's egenandel in kr, 0 if none. */
  egenandel: number;
  cancelled?: boolean;
  /** Its egenandel is already paid or claimed. */
  settled?: boolean;
  /** This service is exempt on its own (Volven 7461 code, e.g. A: allmennfarlig smittsom sykdom). */
  exemptReason?: string;
}

export interface CopayExemption {
  /** Volven 7461 code, e.g. F (frikort). */
  code: string;
  /** First day (YYYY-MM-DD), inclusive. */
  from: string;
  /** Last day (YYYY-MM-DD), inclusive; open-ended when missing. */
  to?: string;
}

export interface CopayPatient {
  /** YYYY-MM-DD; FHIR's partial YYYY or YYYY-MM is read as the earliest possible day. */
  birthDate?: string;
  exemptions?: CopayExemption[];
}

export interface CopayDecision {
  id: string;
  /** What the patient pays, kr. */
  charged: number;
  /** The egenandel not charged, kr (exemption or already paid today). */
  waived: number;
  reason?: string;
}

export interface CopayOptions {
  /** Age limit for Volven 7461 `B`; versioned data (SPEC §6). Default 16. */
  exemptUnderAge?: number;
}

export const REASON_CANCELLED = 'CANCELLED';
export const REASON_SAME_DAY = 'SAME_DAY';
/** Volven 7461: under the age limit on the service date. */
export const REASON_UNDER_AGE = 'B';
/** Volven 7461: frikort. */
export const REASON_FRIKORT = 'F';
export const DEFAULT_EXEMPT_UNDER_AGE = 16;

/** Norwegian labels for decision reasons (Volven 7461 codes plus our own two). */
export const COPAY_REASON_LABELS: Readonly<Record<string, string>> = {
  A: 'Allmennfarlig smittsom sykdom',
  B: 'Under 16 år',
  F: 'Frikort',
  SAME_DAY: 'Egenandel allerede belastet i dag (teamet)',
  CANCELLED: 'Kansellert',
};

/** The label for a reason; the `B` label follows a non-default age limit; unknown codes are named. */
export function copayReasonLabel(reason: string, opts: CopayOptions = {}): string {
  const limit = opts.exemptUnderAge ?? DEFAULT_EXEMPT_UNDER_AGE;
  if (reason === REASON_UNDER_AGE) return `Under ${limit} år`;
  return COPAY_REASON_LABELS[reason] ?? `Fritak for egenandel (kode ${reason})`;
}

const FULL_BIRTH_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** Completed years on `day` (YYYY-MM-DD); a 16th birthday on `day` means 16. */
export function ageOn(birthDate: string, day: string): number {
  const b = FULL_BIRTH_DATE.exec(birthDate);
  const d = FULL_BIRTH_DATE.exec(day);
  if (!b || !d) throw new RangeError(`Ugyldig dato: "${b ? day : birthDate}"`);
  // A partial birth date is read as its earliest possible day: the patient is then only treated as under
  // the limit when certainly under it. Born 29 February: a year older on 1 March in common years.
  const [by, bm, bd] = [Number(b[1]), Number(b[2] ?? '01'), Number(b[3] ?? '01')];
  const [dy, dm, dd] = [Number(d[1]), Number(d[2] ?? '01'), Number(d[3] ?? '01')];
  const hadBirthday = dm > bm || (dm === bm && dd >= bd);
  return dy - by - (hadBirthday ? 0 : 1);
}

/** The patient's own exemption on an Oslo day: the age limit first, then the first covering exemption. */
export function patientExemptionOn(patient: CopayPatient, day: string, opts: CopayOptions = {}): string | undefined {
  const limit = opts.exemptUnderAge ?? DEFAULT_EXEMPT_UNDER_AGE;
  if (patient.birthDate && ageOn(patient.birthDate, day) < limit) return REASON_UNDER_AGE;
  const covering = (patient.exemptions ?? []).find(
    (e) => osloDate(e.from) <= day && (e.to === undefined || day <= osloDate(e.to)),
  );
  return covering?.code;
}

interface Pending {
  index: number;
  charge: DayCharge;
  instant: number;
}

/** Service time (instant), then id as a plain string: a total order when ids are unique. */
function byTimeThenId(a: Pending, b: Pending): number {
  if (a.instant !== b.instant) return a.instant - b.instant;
  if (a.charge.id < b.charge.id) return -1;
  return a.charge.id > b.charge.id ? 1 : 0;
}

const waive = (c: DayCharge, reason: string): CopayDecision => ({ id: c.id, charged: 0, waived: c.egenandel, reason });

/**
 * One decision per charge, in input order (SPEC §6). Per charge, in this order of precedence:
 * cancelled -> CANCELLED (counts for nothing); egenandel 0 -> nothing to decide; own exemptReason;
 * the patient's exemption that day (under the age limit -> B, else the first covering exemption's code);
 * otherwise the day's bearer (first settled by time then id, else first by time then id) is charged in
 * full and every other remaining charge that day is waived with SAME_DAY.
 */
export function allocateCopayments(charges: DayCharge[], patient: CopayPatient, opts: CopayOptions = {}): CopayDecision[] {
  const decisions: (CopayDecision | undefined)[] = new Array<CopayDecision | undefined>(charges.length);
  const pendingByDay = new Map<string, Pending[]>();

  charges.forEach((charge, index) => {
    if (!Number.isFinite(charge.egenandel) || charge.egenandel < 0) {
      throw new RangeError(`Ugyldig egenandel for ${charge.id}: ${charge.egenandel}`);
    }
    const instant = osloInstant(charge.at);
    const day = osloDate(charge.at);
    if (charge.cancelled) {
      decisions[index] = { id: charge.id, charged: 0, waived: 0, reason: REASON_CANCELLED };
    } else if (charge.egenandel === 0) {
      decisions[index] = { id: charge.id, charged: 0, waived: 0 };
    } else if (charge.exemptReason) {
      decisions[index] = waive(charge, charge.exemptReason);
    } else {
      const dayReason = patientExemptionOn(patient, day, opts);
      if (dayReason) {
        decisions[index] = waive(charge, dayReason);
      } else {
        const list = pendingByDay.get(day) ?? [];
        list.push({ index, charge, instant });
        pendingByDay.set(day, list);
      }
    }
  });

  for (const pending of pendingByDay.values()) {
    const ordered = [...pending].sort(byTimeThenId);
    const bearer = ordered.find((p) => p.charge.settled) ?? ordered[0];
    for (const p of ordered) {
      decisions[p.index] =
        p === bearer
          ? { id: p.charge.id, charged: p.charge.egenandel, waived: 0 }
          : waive(p.charge, REASON_SAME_DAY);
    }
  }

  return decisions.map((d, i) => d ?? { id: charges[i]?.id ?? '', charged: 0, waived: 0 });
}

export interface RefundNeed {
  id: string;
  /** kr to pay back to the patient. */
  amount: number;
  /** Why the charge no longer carries what was paid (CANCELLED, SAME_DAY or an exemption code). */
  reason: string;
}

/**
 * Settled charges whose new decision charges less than before need a refund (SPEC §6: "a settled bearer
 * that is cancelled needs a refund, which the app flags"). This also catches two settled charges on one
 * day (a race between two machines): the one that is no longer the bearer is flagged.
 * `charges` is the current state; decisions are matched by id.
 */
export function needsRefund(
  decisionsBefore: CopayDecision[],
  decisionsAfter: CopayDecision[],
  charges: DayCharge[],
): RefundNeed[] {
  const before = new Map(decisionsBefore.map((d) => [d.id, d]));
  const after = new Map(decisionsAfter.map((d) => [d.id, d]));
  const needs: RefundNeed[] = [];
  for (const charge of charges) {
    const was = before.get(charge.id);
    const now = after.get(charge.id);
    if (!charge.settled || !was || !now) continue;
    const amount = roundKr(was.charged - now.charged);
    if (amount > 0) needs.push({ id: charge.id, amount, reason: now.reason ?? REASON_CANCELLED });
  }
  return needs;
}

/**
 * Refusjon (what folketrygden pays) for a service after the co-payment decision (SPEC §6):
 * exempt -> honorar (folketrygden pays the egenandel part); waived SAME_DAY -> honorar minus the tariff
 * egenandel ([decision]: the practice absorbs it); charged or no egenandel -> honorar minus egenandel;
 * cancelled -> 0. `amounts` are the tariff's (or the charge's summed lines') honorar and egenandel.
 */
export function refusjonAfterCopay(amounts: { honorar: number; egenandel: number }, decision: CopayDecision): number {
  if (decision.reason === REASON_CANCELLED) return 0;
  if (decision.reason !== undefined && decision.reason !== REASON_SAME_DAY) return roundKr(amounts.honorar);
  return roundKr(amounts.honorar - amounts.egenandel);
}

function roundKr(kr: number): number {
  return Math.round(kr * 100) / 100;
}

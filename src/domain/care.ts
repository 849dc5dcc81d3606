// Care for the chronically ill (issue 17 items 16-19; seed ch. 4.3 and 5; SPEC §3 and §7 Table 2): care
// plans with goals (behandlingsplan med behandlingsmål), the medication review followed through until done,
// the yearly check (årskontroll) and recall (innkalling), and the individual plan (IP). Pure: the date is
// passed in, nothing is read.
import { osloDate } from './calendar';
import { codeSystemKind } from './targetGroups/codeSystems';
import { DEFAULT_RULE_SET } from './targetGroups/ruleSet';
import type { PatientFacts } from './targetGroups/types';

export type CarePlanStatus = 'active' | 'ended';

export interface CarePlanFact {
  status: CarePlanStatus;
  goals: readonly string[];
}

/**
 * «Trenger behandlingsplan» (SPEC §3): the patient has diabetes or KOLS and no active plan with at least one
 * goal. The manager's Table 2 indicator counts the same thing (plans from the care slice).
 */
export function needsCarePlan(hasCarePlanDisease: boolean, plans: readonly CarePlanFact[]): boolean {
  return hasCarePlanDisease && !plans.some((p) => p.status === 'active' && p.goals.some((g) => g.trim() !== ''));
}

/** The care slice's plans in the shape the target-group facts use (PatientFacts.carePlans). */
export function carePlanFacts(plans: readonly CarePlanFact[]): { active: boolean; hasGoals: boolean }[] {
  return plans.map((p) => ({ active: p.status === 'active', hasGoals: p.goals.some((g) => g.trim() !== '') }));
}

/**
 * What the app's care tables hold for one patient that the target-group rules and the Table 2 indicators
 * count (issue 17 items 16 and 17): the care plans with their dates, and the medication review's events.
 */
export interface CareRecord {
  plans: readonly { goals: readonly string[]; createdOn: string; endedOn: string | null }[];
  /** Dates a medication review was recorded as done. */
  reviewsDone: readonly string[];
  /** Dates the need was assessed with «no review needed now» (the team's assessment or the GP's answer). */
  reviewsNotNeeded: readonly string[];
  /** Dates a need for a review was recorded (a task for the GP). */
  needsRecorded: readonly string[];
}

/**
 * The record as target-group facts on `asOf`: a plan counts as active from the day it was made until the day
 * it ended (that day not included); a review done or an assessment of «not needed» takes the «trenger
 * legemiddelgjennomgang» marker away, while a recorded need leaves it until the review is done (issue 17
 * item 17) but counts for the Table 2 indicator as an assessment of the need (SPEC §7).
 */
export function careFactsAt(record: CareRecord, asOf: string): Pick<PatientFacts, 'carePlans' | 'medicationReviews'> & { medicationReviewNeeds: string[] } {
  return {
    carePlans: record.plans.map((p) => ({
      active: p.createdOn <= asOf && (p.endedOn === null || p.endedOn > asOf),
      hasGoals: p.goals.some((g) => g.trim() !== ''),
    })),
    medicationReviews: [...record.reviewsDone, ...record.reviewsNotNeeded].filter((d) => d <= asOf).sort(),
    medicationReviewNeeds: record.needsRecorded.filter((d) => d <= asOf).sort(),
  };
}

/** The EPJ's facts with the care record's plans and reviews added on `asOf` (nothing of the EPJ's is dropped). */
export function withCareFacts(facts: PatientFacts, record: CareRecord | undefined, asOf: string): PatientFacts {
  if (!record) return facts;
  const care = careFactsAt(record, asOf);
  return { ...facts, carePlans: [...facts.carePlans, ...care.carePlans], medicationReviews: [...facts.medicationReviews, ...care.medicationReviews] };
}

// -------------------------------------------------------------------------------------------------
// Årskontroll and recall

/** The groups a practice can call in for a yearly check (rule-set chronic disease ids). */
export const RECALL_GROUPS = ['diabetes', 'kols', 'heart-failure', 'asthma', 'ihd', 'atrial-fibrillation', 'hypertension', 'stroke'] as const;
export type RecallGroup = (typeof RECALL_GROUPS)[number];
export const DEFAULT_RECALL_GROUPS: readonly RecallGroup[] = ['diabetes', 'kols', 'heart-failure'];

export const RECALL_GROUP_LABELS: Readonly<Record<RecallGroup, string>> = {
  diabetes: 'Diabetes',
  kols: 'KOLS',
  'heart-failure': 'Hjertesvikt',
  asthma: 'Astma',
  ihd: 'Iskemisk hjertesykdom',
  'atrial-fibrillation': 'Atrieflimmer',
  hypertension: 'Hypertensjon',
  stroke: 'Hjerneslag',
};

export interface Coding {
  system?: string;
  code?: string;
}

/** Which recall groups a set of (active) condition codings belongs to, by the rule set's ICPC-2/ICD-10 prefixes. */
export function recallGroupsOf(codings: readonly Coding[], groups: readonly RecallGroup[]): RecallGroup[] {
  const out: RecallGroup[] = [];
  for (const group of groups) {
    const disease = DEFAULT_RULE_SET.chronicDiseases.find((d) => d.id === group);
    if (!disease) continue;
    const hit = codings.some((c) => {
      const kind = codeSystemKind(c.system);
      const code = (c.code ?? '').trim().toUpperCase();
      if (!code) return false;
      const prefixes = kind === 'icpc2' ? disease.icpc2 : kind === 'icd10' ? disease.icd10 : [];
      return prefixes.some((p) => code.startsWith(p.toUpperCase()));
    });
    if (hit) out.push(group);
  }
  return out;
}

export type RecallState = 'called' | 'booked' | 'done';
export const RECALL_STATE_LABELS: Readonly<Record<RecallState, string>> = { called: 'innkalt', booked: 'time bestilt', done: 'gjennomført' };

export interface RecallEvent {
  state: RecallState;
  /** The calendar date the event happened (the check's date for 'done', the appointment for 'booked'). */
  date: string;
  by: string;
  /** Order of recording (ISO instant), to find the latest. */
  recordedAt: string;
}

export interface RecallStatus {
  /** Date of the last yearly check, or null when none is recorded. */
  lastCheck: string | null;
  lastCheckedBy: string | null;
  /** 12 months after the last check; null = never checked (due now). */
  due: string | null;
  /** 'overdue' past the due date, 'due' within the look-ahead window (or never checked), else 'not-due'. */
  urgency: 'overdue' | 'due' | 'not-due';
  /** Where the current cycle stands: called/booked since the last check, or null. */
  state: 'called' | 'booked' | null;
  stateDate: string | null;
}

/** Same day 12 months later; 29 February gives 28 February. */
export function addTwelveMonths(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y + 1, m, 0)).getUTCDate();
  return `${y + 1}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** A patient's recall status as of `today`; `lookAheadDays` counts a check due that soon as due. */
export function recallStatus(events: readonly RecallEvent[], today: string, lookAheadDays = 30): RecallStatus {
  const sorted = [...events].sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
  let lastDone: RecallEvent | undefined;
  for (const e of sorted) if (e.state === 'done' && (!lastDone || e.date >= lastDone.date)) lastDone = e;
  // The current cycle: calls and bookings made after the last check (a call on the day of the check belongs
  // to it). A call's date is the day it was made; a booking's date is the appointment's, so a booking counts
  // from the day it was recorded: one made before the check, for a later appointment, was used up by it.
  const madeOn = (e: RecallEvent) => (e.state === 'booked' ? osloDate(e.recordedAt) : e.date);
  const since = sorted.filter((e) => e.state !== 'done' && (!lastDone || madeOn(e) > lastDone.date));
  const current = since.at(-1);
  const due = lastDone ? addTwelveMonths(lastDone.date) : null;
  const urgency = due === null ? 'due' : due < today ? 'overdue' : due <= addDays(today, lookAheadDays) ? 'due' : 'not-due';
  return {
    lastCheck: lastDone?.date ?? null,
    lastCheckedBy: lastDone?.by ?? null,
    due,
    urgency,
    state: current ? (current.state as 'called' | 'booked') : null,
    stateDate: current?.date ?? null,
  };
}

// -------------------------------------------------------------------------------------------------
// Individual plan (IP)

export type IpStage = 'needed' | 'reported' | 'coordinator';
export const IP_REPORT_CHANNELS = ['elektronisk-melding', 'brev', 'telefon', 'møte'] as const;
export type IpReportChannel = (typeof IP_REPORT_CHANNELS)[number];
export const IP_CHANNEL_LABELS: Readonly<Record<IpReportChannel, string>> = {
  'elektronisk-melding': 'elektronisk melding',
  brev: 'brev',
  telefon: 'telefon',
  møte: 'møte',
};

export interface IpFacts {
  reportedOn: string | null;
  coordinatorName: string | null;
}

/** Where an IP stands: needed (not reported), reported (waiting for a coordinator), or coordinator known. */
export function ipStage(ip: IpFacts): IpStage {
  if (ip.coordinatorName) return 'coordinator';
  return ip.reportedOn ? 'reported' : 'needed';
}

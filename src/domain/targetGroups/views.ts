// What the target-group API answers (issue 15): the shapes the app server sends and the browser shows,
// shared by both sides, and the pure functions that turn a classification into them. No I/O, no clock.
import type { Classification, Reason, RuleId, TargetGroup } from './types';
import { describeUnchecked, RULE_DESCRIPTIONS, TARGET_GROUPS } from './types';

/** Displays of the target-group code system (fhir-profiles/input/fsh/codesystems.fsh). */
export const TARGET_GROUP_DISPLAY: Readonly<Record<TargetGroup, string>> = {
  chronic: 'Kronisk syke',
  'mental-substance': 'Psykisk lidelse og rusavhengighet',
  'frail-elderly': 'Skrøpelige eldre',
  disability: 'Utviklingshemming og funksjonsnedsettelse',
};

export interface ReasonView {
  group: TargetGroup;
  rule: RuleId;
  /** The rule in bokmål. */
  text: string;
  /** The facts (code, date), dates as dd.mm.åååå. */
  evidence: string[];
}

/** `2026-01-02` anywhere in a text -> `02.01.2026`. */
export function formatDatesIn(value: string): string {
  return value.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, (_m, y: string, mo: string, d: string) => `${d}.${mo}.${y}`);
}

export function toReasonView(reason: Reason): ReasonView {
  return { group: reason.group, rule: reason.rule, text: RULE_DESCRIPTIONS[reason.rule], evidence: reason.evidence.map(formatDatesIn) };
}

export type GroupStatus = 'candidate' | 'confirmed' | 'rejected' | 'not-candidate';

export interface GroupView {
  group: TargetGroup;
  status: GroupStatus;
  /** Clinical evidence: empty in what a health secretary receives. */
  reasons: ReasonView[];
}

/** The groups with a decision or a reason, in TargetGroup order (SPEC §3: the team's assessment wins). */
export function groupViews(c: Classification): GroupView[] {
  const out: GroupView[] = [];
  for (const group of TARGET_GROUPS) {
    const reasons = c.reasons.filter((r) => r.group === group);
    if (reasons.length === 0 && !c.groups.includes(group)) continue;
    const status: GroupStatus = c.confirmed.includes(group)
      ? 'confirmed'
      : c.groups.includes(group)
        ? 'candidate'
        : reasons.some((r) => r.rule === 'team-assessment.exclude')
          ? 'rejected'
          : 'not-candidate';
    out.push({ group, status, reasons: reasons.map(toReasonView) });
  }
  return out;
}

export type OutreachNeed = 'follow-up-needed' | 'no-follow-up-needed' | 'not-reached';
export type OutreachOfferKind = 'consultation' | 'home-visit';

export interface OutreachOffer {
  kind: OutreachOfferKind;
  /** Oslo date of the offered consultation or home visit, YYYY-MM-DD. */
  date: string;
  accepted: boolean;
}

export type JournalStateView = 'pending' | 'written' | 'failed';

export interface OutreachRecord {
  id: string;
  /** Oslo date the assessment was recorded. */
  date: string;
  need: OutreachNeed;
  offer?: OutreachOffer;
  note?: string;
  by: string;
  /** Whether the journal note is in the EPJ yet. */
  journal?: JournalStateView;
}

export interface AssessmentRecord {
  id: string;
  group: TargetGroup;
  include: boolean;
  reason: string;
  by: string;
  at: string;
  journal?: JournalStateView;
}

export interface GroupMembership {
  group: TargetGroup;
  /** Confirmed by the team's assessment; otherwise a candidate of the rules (forslag). */
  confirmed: boolean;
}

/** One listed patient in the list overview (and the outreach worklist). */
export interface PopulationRow {
  patientId: string;
  name: string;
  gpId?: string;
  gpName?: string;
  age?: number;
  birthDate?: string;
  /** In at least one group: the one thing a health secretary learns (SPEC §1, §8). */
  inTargetGroup: boolean;
  /** Empty for the health secretary. */
  groups: GroupMembership[];
  weakDemander: boolean;
  needsMedicationReview: boolean;
  needsCarePlan: boolean;
  /** Clinical evidence: empty for the health secretary. */
  reasons: ReasonView[];
  /** Fortrolig or strengt fortrolig adresse: the address is never shown or exported (SPEC §8). */
  addressProtected: boolean;
  /** Only when not protected. */
  address?: string;
  /** The latest outreach assessment, if any. */
  outreach?: OutreachRecord;
  issueCount: number;
  /**
   * The criteria the journal system's data could not decide for this patient, stored with the scan's result
   * (issue 16); absent when every criterion was checked, and for the health secretary.
   */
  unchecked?: UncheckedView[];
}

/** A scan run as the list overview shows it. */
export interface ScanRunView {
  id: string;
  state: 'running' | 'done' | 'failed';
  phase: 'patients' | 'facts' | 'classify' | 'store' | 'done';
  startedAt: string;
  finishedAt?: string;
  startedBy: string;
  /** The Oslo date the rules were applied on. */
  asOf: string;
  ruleSetVersion: string;
  done: number;
  total: number;
  patients?: number;
  candidates?: number;
  error?: string;
}

export interface ListOverviewResponse {
  scope: 'gp' | 'practice';
  /** When the rows were computed (the last finished scan); absent before the first scan. */
  computedAt?: string;
  asOf?: string;
  ruleSetVersion?: string;
  lastScan?: ScanRunView;
  running?: ScanRunView;
  /** False for the health secretary: rows carry membership only. */
  clinical: boolean;
  rows: PopulationRow[];
}

export interface PatientTargetGroupsResponse {
  patientId: string;
  asOf: string;
  computedAt: string;
  clinical: boolean;
  groups: GroupView[];
  inTargetGroup: boolean;
  weakDemander: boolean;
  needsMedicationReview: boolean;
  needsCarePlan: boolean;
  polypharmacy: boolean;
  /** Data-quality notes in bokmål (clinical roles only). */
  notes: string[];
  assessments: AssessmentRecord[];
  outreach?: OutreachRecord;
  /**
   * The criteria the journal system's data could not decide (issue 16 item 2; `describeUnchecked`), for the
   * clinical roles; absent when the EPJ gives everything the rules read.
   */
  unchecked?: UncheckedView[];
}

/** «Kunne ikke sjekkes: Eldre med demens (mangler diagnoser)», beside its group's badge when it has one. */
export interface UncheckedView {
  group?: TargetGroup;
  text: string;
}

export function uncheckedViews(c: Classification): UncheckedView[] {
  return (c.unchecked ?? []).map((u) => ({ ...(u.group ? { group: u.group } : {}), text: describeUnchecked(u) }));
}

export interface OutreachWorklistResponse {
  computedAt?: string;
  asOf?: string;
  rows: PopulationRow[];
}

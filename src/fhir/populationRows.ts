// View models of the target groups (the UI never parses FHIR): one row per listed patient, and the
// reasons in words with dates as dd.mm.åååå (GLOSSARY).
import type { Patient } from '@medplum/fhirtypes';
import { RULE_DESCRIPTIONS, type Classification, type Reason, type RuleId, type TargetGroup } from '../domain/targetGroups';
import { fullYears, isIsoDate } from '../domain/targetGroups/isoDate';
import type { OutreachRecord } from './builders/assessment';
import { text } from './mappers/read';
import { safeAddress } from './privacy';
import { humanNameText } from './sessionContext';

export interface GroupMembership {
  group: TargetGroup;
  /** Confirmed by the team's assessment; otherwise a candidate of the rules (forslag). */
  confirmed: boolean;
}

export interface ReasonView {
  group: TargetGroup;
  rule: RuleId;
  /** The rule in bokmål. */
  text: string;
  /** The facts (code, date), dates as dd.mm.åååå. */
  evidence: string[];
}

export interface PopulationRow {
  patientId: string;
  name: string;
  gpId?: string;
  gpName?: string;
  age?: number;
  birthDate?: string;
  groups: GroupMembership[];
  weakDemander: boolean;
  needsMedicationReview: boolean;
  needsCarePlan: boolean;
  /** Clinical evidence: left out of what a health secretary sees (withoutClinicalEvidence). */
  reasons: ReasonView[];
  /** Fortrolig or strengt fortrolig adresse: the address is never shown or exported (SPEC §8). */
  addressProtected: boolean;
  /** Only when not protected. */
  address?: string;
  /** The latest outreach assessment, if any. */
  outreach?: OutreachRecord;
  issueCount: number;
}

/** `2026-01-02` anywhere in a text -> `02.01.2026`. */
export function formatDatesIn(value: string): string {
  return value.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, (_m, y: string, mo: string, d: string) => `${d}.${mo}.${y}`);
}

export function toReasonView(reason: Reason): ReasonView {
  return { group: reason.group, rule: reason.rule, text: RULE_DESCRIPTIONS[reason.rule], evidence: reason.evidence.map(formatDatesIn) };
}

export interface RowContext {
  asOf: string;
  gpId?: string;
  gpName?: string;
  outreach?: OutreachRecord;
  issueCount: number;
}

export function toPopulationRow(patient: Patient, c: Classification, ctx: RowContext): PopulationRow {
  // One decision for every view and export (SPEC §8): src/fhir/privacy.ts.
  const safe = safeAddress(patient);
  const birthDate = text(patient.birthDate);
  const row: PopulationRow = {
    patientId: patient.id ?? '',
    name: humanNameText(patient.name) ?? 'Ukjent navn',
    groups: c.groups.map((group) => ({ group, confirmed: c.confirmed.includes(group) })),
    weakDemander: c.weakDemander,
    needsMedicationReview: c.needsMedicationReview,
    needsCarePlan: c.needsCarePlan,
    reasons: c.reasons.map(toReasonView),
    addressProtected: safe.kind === 'protected',
    issueCount: ctx.issueCount,
  };
  if (ctx.gpId !== undefined) row.gpId = ctx.gpId;
  if (ctx.gpName !== undefined) row.gpName = ctx.gpName;
  if (birthDate !== undefined && isIsoDate(birthDate) && birthDate <= ctx.asOf) {
    row.birthDate = birthDate;
    row.age = fullYears(birthDate, ctx.asOf);
  }
  if (safe.kind === 'address') row.address = safe.text;
  if (ctx.outreach !== undefined) row.outreach = ctx.outreach;
  return row;
}

/** What a health secretary may see: membership and markers, not the clinical evidence (SPEC §1, §8). */
export function withoutClinicalEvidence(rows: readonly PopulationRow[]): PopulationRow[] {
  return rows.map((row) => ({ ...row, reasons: [] }));
}

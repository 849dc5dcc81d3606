// Public types of the target-group classifier (SPEC §3). Dates are Oslo calendar dates, YYYY-MM-DD.

export type TargetGroup = 'chronic' | 'mental-substance' | 'frail-elderly' | 'disability';

/** The four groups in the order of the `TargetGroup` type; `Classification.groups` keeps this order. */
export const TARGET_GROUPS: readonly TargetGroup[] = ['chronic', 'mental-substance', 'frail-elderly', 'disability'];

export interface Coding {
  system: string;
  code: string;
}

export interface PatientFacts {
  birthDate?: string;
  /** Permanent resident of a nursing home or similar (SPEC §3 "home-dwelling"). */
  livesInInstitution?: boolean;
  conditions: { codings: Coding[]; active: boolean }[];
  /** One entry per medication. */
  medications: { atc: string; active: boolean }[];
  /** Dates of contacts with the practice. */
  contacts: string[];
  /** Dates of discharge from hospital or another institution. */
  discharges: string[];
  /** Clinical Frailty Scale, 1-9. */
  frailtyScores: { value: number; date: string }[];
  carePlans: { active: boolean; hasGoals: boolean }[];
  /** Dates of a medication review, or of an assessment of the need for one. */
  medicationReviews: string[];
  assessments: { group: TargetGroup; include: boolean; reason: string; date: string; author?: string }[];
}

/**
 * What the classifier is told besides the facts (issue 16): `unavailable` = kinds of facts the EPJ could
 * not give (it does not expose them), so their lists are empty because they are unknown, not because the
 * patient has none. The results do not change; `Classification.unchecked` says which criteria could not
 * be checked.
 */
export interface ClassifyOptions {
  unavailable?: readonly FactKind[];
}

/** The kinds of fact in PatientFacts a journal may not expose. */
export type FactKind =
  | 'birthDate'
  | 'livesInInstitution'
  | 'conditions'
  | 'medications'
  | 'contacts'
  | 'discharges'
  | 'frailtyScores'
  | 'carePlans'
  | 'medicationReviews';

/** Bokmål names of the fact kinds, for "kunne ikke sjekkes (mangler ...)". */
export const FACT_LABELS: Readonly<Record<FactKind, string>> = {
  birthDate: 'fødselsdato',
  livesInInstitution: 'boforhold',
  conditions: 'diagnoser',
  medications: 'legemiddelliste',
  contacts: 'kontakter',
  discharges: 'utskrivninger',
  frailtyScores: 'skrøpelighetsskår',
  carePlans: 'behandlingsplaner',
  medicationReviews: 'legemiddelgjennomganger',
};

/** The rules, and the markers beside them, that the classifier can report as not checked. */
export type CriterionId = RuleId | 'weak-demander' | 'needs-medication-review' | 'needs-care-plan';

export interface UncheckedCriterion {
  criterion: CriterionId;
  /** The group the rule belongs to (absent for the markers). */
  group?: TargetGroup;
  /** The unavailable facts that would decide it. */
  missing: FactKind[];
}

export interface Reason {
  group: TargetGroup;
  rule: RuleId;
  evidence: string[];
}

export interface Classification {
  /** After the team's assessments; in the order of the TargetGroup type. */
  groups: TargetGroup[];
  /** Groups whose latest assessment includes the patient. */
  confirmed: TargetGroup[];
  weakDemander: boolean;
  needsMedicationReview: boolean;
  needsCarePlan: boolean;
  /**
   * Every rule that fired, for any group, plus the team's latest assessment per group and the
   * home-dwelling rule when it suppressed a candidate. A group can have reasons and still not be in
   * `groups` (rejected by the team, or lives in an institution): `groups` is the decision, `reasons`
   * the explanation. Ordered by group (TargetGroup order), rules before the assessment.
   */
  reasons: Reason[];
  /** Data-quality notes in Norwegian, e.g. missing or invalid birth date. */
  warnings: string[];
  /**
   * Present only when `ClassifyOptions.unavailable` is given: the criteria that did not fire but might have, had
   * the missing facts been there (every available part of the rule holds). Empty list = all decided.
   */
  unchecked?: UncheckedCriterion[];
}

/** Stable identifiers of the rules; the UI translates them with `RULE_DESCRIPTIONS`. */
export type RuleId =
  | 'chronic.key-disease-with-multimorbidity'
  | 'chronic.key-disease-with-polypharmacy'
  | 'chronic.key-disease-with-discharge'
  | 'mental-substance.diagnosis'
  | 'frail-elderly.age'
  | 'frail-elderly.age-with-frailty-score'
  | 'frail-elderly.age-with-dementia'
  | 'frail-elderly.age-with-discharge'
  | 'frail-elderly.age-with-polypharmacy-and-multimorbidity'
  | 'disability.diagnosis'
  | 'home-dwelling.lives-in-institution'
  | 'team-assessment.include'
  | 'team-assessment.exclude';

/** Short bokmål text per rule, for badges and tooltips (thresholds are in the evidence). */
export const RULE_DESCRIPTIONS: Readonly<Record<RuleId, string>> = {
  'chronic.key-disease-with-multimorbidity': 'Nøkkelsykdom og flere kroniske sykdommer',
  'chronic.key-disease-with-polypharmacy': 'Nøkkelsykdom og mange faste legemidler',
  'chronic.key-disease-with-discharge': 'Nøkkelsykdom og utskrevet siste år',
  'mental-substance.diagnosis': 'Diagnose for psykisk lidelse eller rusavhengighet',
  'frail-elderly.age': 'Høy alder',
  'frail-elderly.age-with-frailty-score': 'Eldre med høy skår på skrøpelighetsskala (CFS)',
  'frail-elderly.age-with-dementia': 'Eldre med demens',
  'frail-elderly.age-with-discharge': 'Eldre utskrevet siste år',
  'frail-elderly.age-with-polypharmacy-and-multimorbidity': 'Eldre med mange legemidler og flere kroniske sykdommer',
  'disability.diagnosis': 'Utviklingshemming eller funksjonsnedsettelse',
  'home-dwelling.lives-in-institution': 'Bor i institusjon: ikke kandidat',
  'team-assessment.include': 'Bekreftet av teamet',
  'team-assessment.exclude': 'Avkreftet av teamet',
};

/** Bokmål names of the markers that can also go unchecked. */
export const MARKER_DESCRIPTIONS: Readonly<Record<Exclude<CriterionId, RuleId>, string>> = {
  'weak-demander': 'Svak etterspørrer (ingen kontakt siste år)',
  'needs-medication-review': 'Trenger legemiddelgjennomgang',
  'needs-care-plan': 'Trenger behandlingsplan',
};

/** «Kunne ikke sjekkes: Eldre med demens (mangler diagnoser)». */
export function describeUnchecked(u: UncheckedCriterion): string {
  const name = u.criterion in RULE_DESCRIPTIONS ? RULE_DESCRIPTIONS[u.criterion as RuleId] : MARKER_DESCRIPTIONS[u.criterion as Exclude<CriterionId, RuleId>];
  return `Kunne ikke sjekkes: ${name} (mangler ${u.missing.map((f) => FACT_LABELS[f]).join(' og ')})`;
}

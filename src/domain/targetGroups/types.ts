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

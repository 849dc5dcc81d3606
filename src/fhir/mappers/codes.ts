// Codes and URLs the FHIR -> PatientFacts mapper reads (SPEC §3, §4, §8). Builders and the FSH
// profiles in fhir-profiles/ should use the same constants.
import { EXTENSIONS, PHT_CANONICAL, SYSTEMS } from '../systems';

/** Patient extension, valueBoolean: permanent resident of a nursing home or similar (SPEC §3 home-dwelling). */
export const LIVES_IN_INSTITUTION_EXTENSION = EXTENSIONS.livesInInstitution;

/**
 * Patient extension, valueReference(Organization): the institution the patient lives in. The sandbox
 * seed writes this one; its presence means livesInInstitution = true.
 */
export const RESIDENCE_INSTITUTION_EXTENSION = `${PHT_CANONICAL}/StructureDefinition/residence-institution`;

/** Outcome of a target-group assessment (Procedure.outcome): 'include' | 'exclude' (fhir-profiles/README.md). */
export const ASSESSMENT_OUTCOME_SYSTEM = SYSTEMS.assessmentOutcome;

/** Codes in SYSTEMS.assessmentType. */
export const ASSESSMENT_TYPE = {
  targetGroup: 'target-group',
  medicationReviewNeed: 'medication-review-need',
  outreach: 'outreach',
} as const;

export interface CodeRef {
  system: string;
  code: string;
}

/**
 * Clinical Frailty Scale (Rockwood), an Observation with a value 1-9: SNOMED CT 763264000 "Canadian
 * Study of Health and Aging Clinical Frailty Scale score" (as the sandbox seed writes it).
 */
export const CLINICAL_FRAILTY_SCALE_CODES: readonly CodeRef[] = [{ system: SYSTEMS.snomed, code: '763264000' }];

/**
 * A medication review (legemiddelgjennomgang), or an assessment of the need for one, both count for
 * SPEC §3 needsMedicationReview and the Table 2 indicator. SNOMED CT 182836005 "Review of medication".
 */
export const MEDICATION_REVIEW_CODES: readonly CodeRef[] = [
  { system: SYSTEMS.snomed, code: '182836005' },
  // pht-medication-review-need-assessment: counts whatever its outcome (review-needed or not).
  { system: SYSTEMS.assessmentType, code: ASSESSMENT_TYPE.medicationReviewNeed },
];

/** Inpatient encounter classes (v3 ActCode) whose finished encounters are discharges (SPEC §4). */
export const INPATIENT_CLASSES: readonly string[] = ['IMP', 'ACUTE', 'NONAC', 'OBSENC', 'SS'];

/** LOINC 71802-3 "Housing status": the standard observation of where a patient lives (issue 16). */
export const HOUSING_STATUS_CODES: readonly CodeRef[] = [
  { system: SYSTEMS.loinc, code: '71802-3' },
  { system: 'urn:oid:2.16.840.1.113883.6.1', code: '71802-3' },
];

/**
 * SNOMED CT values of a housing-status observation that mean living in an institution (SPEC §3
 * home-dwelling): 160734000 "Lives in a nursing home", 160737007 "Lives in a residential home" (care
 * home), 248160001 "Lives in sheltered accommodation" is NOT one (own home with services). Any other
 * coded value means not in an institution. The list is data: to be checked against the national SNOMED
 * CT release (not verifiable offline here).
 */
export const INSTITUTION_HOUSING_CODES: readonly CodeRef[] = [
  { system: SYSTEMS.snomed, code: '160734000' },
  { system: SYSTEMS.snomed, code: '160737007' },
];

/** Words in a current address that name an institution (nursing home, care home), read with a note. */
export const INSTITUTION_ADDRESS_WORDS = /\b(sykehjem|sjukeheim|pleiehjem|aldershjem|omsorgssenter|bo- og behandlingssenter|helsehus|institusjon)\b/i;

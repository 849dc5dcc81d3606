// The team's documented assessments, as Procedure (SPEC §3, §8: "medication review and assessments =
// Procedure"), profile pht-medication-review-need-assessment (fhir-profiles/input/fsh/profiles.fsh), read back
// by src/fhir/mappers/patientFacts.ts. Target-group and outreach assessments are the app's own data since
// issue 15 (server/features/target-groups); the journal gets them as notes.
import type { CodeableConcept, Coding, Procedure } from '@medplum/fhirtypes';
import { ASSESSMENT_TYPE } from '../mappers/codes';
import { SYSTEMS } from '../systems';
import { profileMeta, reference, type UserReference } from './common';

const TYPE_DISPLAY = {
  'target-group': 'Vurdering av målgruppe',
  'medication-review-need': 'Vurdering av behov for legemiddelgjennomgang',
  outreach: 'Oppsøkende vurdering og tilbud',
} as const;

type AssessmentType = keyof typeof TYPE_DISPLAY;

/** Codes of the assessment-outcome code system with their displays. */
export const ASSESSMENT_OUTCOME_DISPLAY = {
  include: 'Inkludert',
  exclude: 'Ekskludert',
  'review-needed': 'Behov for legemiddelgjennomgang',
  'review-not-needed': 'Ikke behov for legemiddelgjennomgang',
  'follow-up-needed': 'Behov for oppfølging',
  'no-follow-up-needed': 'Ikke behov for oppfølging',
  'not-reached': 'Ikke nådd',
  'offered-consultation': 'Tilbudt konsultasjon',
  'offered-home-visit': 'Tilbudt hjemmebesøk',
  'offer-declined': 'Tilbud avslått',
} as const;

type OutcomeCode = keyof typeof ASSESSMENT_OUTCOME_DISPLAY;

function outcome(code: OutcomeCode): CodeableConcept {
  return { coding: [outcomeCoding(code)] };
}

function outcomeCoding(code: OutcomeCode): Coding {
  return { system: SYSTEMS.assessmentOutcome, code, display: ASSESSMENT_OUTCOME_DISPLAY[code] };
}

interface AssessmentBase {
  patientId: string;
  /** The user's fhirUser as a reference (builders/common userReference). */
  recorder: UserReference;
  /** FHIR dateTime with offset (or a date). */
  performed: string;
  /** Free text: the reason for the decision. */
  note?: string;
}

function base(type: AssessmentType, input: AssessmentBase): Procedure {
  const note = input.note?.trim();
  return {
    resourceType: 'Procedure',
    meta: profileMeta(`pht-${type}-assessment`),
    status: 'completed',
    code: { coding: [{ system: SYSTEMS.assessmentType, code: ASSESSMENT_TYPE[typeKey(type)], display: TYPE_DISPLAY[type] }] },
    subject: reference('Patient', input.patientId),
    performedDateTime: input.performed,
    recorder: input.recorder,
    ...(note ? { note: [{ text: note }] } : {}),
  };
}

function typeKey(type: AssessmentType): keyof typeof ASSESSMENT_TYPE {
  return type === 'target-group' ? 'targetGroup' : type === 'outreach' ? 'outreach' : 'medicationReviewNeed';
}

export interface MedicationReviewNeedInput extends AssessmentBase {
  needed: boolean;
}

/** The need for a medication review was assessed (counts for SPEC §3 and the Table 2 indicator). */
export function buildMedicationReviewNeedAssessment(input: MedicationReviewNeedInput): Procedure {
  return { ...base('medication-review-need', input), outcome: outcome(input.needed ? 'review-needed' : 'review-not-needed') };
}

// The team's documented assessments, as Procedure (SPEC §3, §8: "medication review and assessments =
// Procedure"), profiles pht-target-group-assessment, pht-outreach-assessment and
// pht-medication-review-need-assessment (fhir-profiles/input/fsh/profiles.fsh). The mapper
// src/fhir/mappers/patientFacts.ts reads the first and the last back into PatientFacts.
import type { CodeableConcept, Coding, Procedure } from '@medplum/fhirtypes';
import type { TargetGroup } from '../../domain/targetGroups';
import { ASSESSMENT_TYPE } from '../mappers/codes';
import { codings, field, list, readOsloDate, text } from '../mappers/read';
import { SYSTEMS } from '../systems';
import { profileMeta, reference, type UserReference } from './common';
import { TARGET_GROUP_DISPLAY } from './flag';

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

export interface TargetGroupAssessmentInput extends AssessmentBase {
  group: TargetGroup;
  include: boolean;
  /** Required: why the GP confirms or rejects (SPEC §3). */
  note: string;
}

/** A GP confirms (include) or rejects (exclude) a candidate for one group, with a reason. */
export function buildTargetGroupAssessment(input: TargetGroupAssessmentInput): Procedure {
  if (input.note.trim() === '') throw new TypeError('A target-group assessment needs a reason');
  return {
    ...base('target-group', input),
    reasonCode: [{ coding: [{ system: SYSTEMS.targetGroup, code: input.group, display: TARGET_GROUP_DISPLAY[input.group] }] }],
    outcome: outcome(input.include ? 'include' : 'exclude'),
  };
}

export interface MedicationReviewNeedInput extends AssessmentBase {
  needed: boolean;
}

/** The need for a medication review was assessed (counts for SPEC §3 and the Table 2 indicator). */
export function buildMedicationReviewNeedAssessment(input: MedicationReviewNeedInput): Procedure {
  return { ...base('medication-review-need', input), outcome: outcome(input.needed ? 'review-needed' : 'review-not-needed') };
}

export type OutreachNeed = 'follow-up-needed' | 'no-follow-up-needed' | 'not-reached';
export type OutreachOfferKind = 'consultation' | 'home-visit';

export interface OutreachOffer {
  kind: OutreachOfferKind;
  /** Oslo date of the offered consultation or home visit, YYYY-MM-DD. */
  date: string;
  accepted: boolean;
}

export interface OutreachAssessmentInput extends AssessmentBase {
  need: OutreachNeed;
  offer?: OutreachOffer;
}

const OFFER_CODE: Readonly<Record<OutreachOfferKind, OutcomeCode>> = {
  consultation: 'offered-consultation',
  'home-visit': 'offered-home-visit',
};

/**
 * The team's assessment of a weak demander's need and the offer made (source ch. 4.3). The offer is
 * Procedure.followUp: the offer code, plus offer-declined when the patient said no; its date is the
 * followUp's text (the profile has no element of its own for it) and `performed` is when it was made.
 */
export function buildOutreachAssessment(input: OutreachAssessmentInput): Procedure {
  const procedure: Procedure = { ...base('outreach', input), outcome: outcome(input.need) };
  const offer = input.offer;
  if (offer) {
    const coding = [outcomeCoding(OFFER_CODE[offer.kind]), ...(offer.accepted ? [] : [outcomeCoding('offer-declined')])];
    const [y, m, d] = offer.date.split('-');
    const label = offer.kind === 'home-visit' ? 'Hjemmebesøk' : 'Konsultasjon';
    procedure.followUp = [{ coding, text: `${label} ${d}.${m}.${y}, ${offer.accepted ? 'takket ja' : 'takket nei'}` }];
  }
  return procedure;
}

export interface OutreachRecord {
  id?: string;
  /** Oslo date the assessment was recorded. */
  date: string;
  need: OutreachNeed;
  offer?: { kind: OutreachOfferKind; accepted: boolean; text?: string };
  note?: string;
}

const NEEDS: readonly OutreachNeed[] = ['follow-up-needed', 'no-follow-up-needed', 'not-reached'];

/** An outreach assessment read back for the worklist, or undefined when the Procedure is not one. */
export function readOutreachAssessment(procedure: Procedure): OutreachRecord | undefined {
  const isOutreach = codings(procedure.code).some((c) => c.system === SYSTEMS.assessmentType && c.code === ASSESSMENT_TYPE.outreach);
  if (!isOutreach || procedure.status !== 'completed') return undefined;
  const read = readOsloDate(procedure.performedDateTime);
  const need = codings(procedure.outcome).map((c) => c.code).find((c): c is OutreachNeed => NEEDS.some((n) => n === c));
  if (read === undefined || !('date' in read) || need === undefined) return undefined;
  const record: OutreachRecord = { date: read.date, need };
  const id = text(procedure.id);
  if (id !== undefined) record.id = id;
  const followUp = codings(procedure.followUp).map((c) => c.code);
  const kind: OutreachOfferKind | undefined = followUp.includes('offered-home-visit')
    ? 'home-visit'
    : followUp.includes('offered-consultation')
      ? 'consultation'
      : undefined;
  if (kind) {
    const offerText = list(procedure.followUp).map((f) => text(field(f, 'text'))).find(Boolean);
    record.offer = { kind, accepted: !followUp.includes('offer-declined'), ...(offerText ? { text: offerText } : {}) };
  }
  const note = list(procedure.note).map((n) => text(field(n, 'text'))).filter(Boolean).join(' ');
  if (note !== '') record.note = note;
  return record;
}

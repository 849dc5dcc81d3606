// Target-group flags (SPEC §3, §8: "candidate/target group = Flag (evidence via the standard
// flag-detail extension)"), profile pht-target-group-flag. One flag per patient and group, identified by
// SYSTEMS.flagId `<patientId>|<group>`, so writing it twice is one flag. The app server queues it for the
// EPJ when a GP confirms a group (server/features/target-groups, write-back where the EPJ accepts Flag).
//
// Candidate vs confirmed: a confirmed flag carries a second category, assessment-outcome#include (the
// GP's assessment included the patient); a candidate carries only flag-category#clinical.
import type { CodeableConcept, Extension, Flag } from '@medplum/fhirtypes';
import { RULE_DESCRIPTIONS, type Reason, type TargetGroup } from '../../domain/targetGroups';
import { TARGET_GROUP_DISPLAY } from '../../domain/targetGroups/views';
import { EXTENSIONS, SYSTEMS } from '../systems';
import { identifier, profileMeta, reference } from './common';

export { TARGET_GROUP_DISPLAY };
export const FLAG_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/flag-category';

const CLINICAL: CodeableConcept = { coding: [{ system: FLAG_CATEGORY_SYSTEM, code: 'clinical', display: 'Clinical' }] };
const CONFIRMED: CodeableConcept = {
  coding: [{ system: SYSTEMS.assessmentOutcome, code: 'include', display: 'Inkludert' }],
  text: 'Bekreftet av teamet',
};

export function flagIdentifierValue(patientId: string, group: TargetGroup): string {
  return `${patientId}|${group}`;
}

export interface TargetGroupFlagInput {
  patientId: string;
  group: TargetGroup;
  confirmed: boolean;
  /** The reasons of this group (Classification.reasons filtered by group). */
  reasons: readonly Reason[];
  /** Oslo date the flag starts (the scan's date). */
  start: string;
}

/** One flag-detail per reason: the rule in words, then its facts (code, date). */
function evidenceExtensions(reasons: readonly Reason[]): Extension[] {
  return reasons.map((r) => ({
    url: EXTENSIONS.flagDetail,
    valueReference: { display: `${RULE_DESCRIPTIONS[r.rule]}: ${r.evidence.join('; ')}` },
  }));
}

export function buildTargetGroupFlag(input: TargetGroupFlagInput): Flag {
  const display = TARGET_GROUP_DISPLAY[input.group];
  const evidence = evidenceExtensions(input.reasons);
  return {
    resourceType: 'Flag',
    meta: profileMeta('pht-target-group-flag'),
    ...(evidence.length > 0 ? { extension: evidence } : {}),
    identifier: [identifier(SYSTEMS.flagId, flagIdentifierValue(input.patientId, input.group))],
    status: 'active',
    category: input.confirmed ? [CLINICAL, CONFIRMED] : [CLINICAL],
    code: {
      coding: [{ system: SYSTEMS.targetGroup, code: input.group, display }],
      text: `${display} (${input.confirmed ? 'bekreftet' : 'forslag'})`,
    },
    subject: reference('Patient', input.patientId),
    period: { start: input.start },
  };
}

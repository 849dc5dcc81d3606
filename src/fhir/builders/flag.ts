// Target-group flags (SPEC §3, §8: "candidate/target group = Flag (evidence via the standard
// flag-detail extension)"), profile pht-target-group-flag. One flag per patient and group, identified by
// SYSTEMS.flagId `<patientId>|<group>`, so a re-scan finds and updates it instead of adding another; a
// flag that no longer applies is closed (status inactive, period.end), never deleted.
//
// Candidate vs confirmed: a confirmed flag carries a second category, assessment-outcome#include (the
// GP's assessment included the patient); a candidate carries only flag-category#clinical.
import type { CodeableConcept, Extension, Flag } from '@medplum/fhirtypes';
import { RULE_DESCRIPTIONS, TARGET_GROUPS, type Reason, type TargetGroup } from '../../domain/targetGroups';
import { codings, field, list, text } from '../mappers/read';
import { parseReference } from '../session';
import { EXTENSIONS, SYSTEMS } from '../systems';
import { identifier, profileMeta, reference } from './common';

export const FLAG_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/flag-category';

/** Displays of the target-group code system (fhir-profiles/input/fsh/codesystems.fsh). */
export const TARGET_GROUP_DISPLAY: Readonly<Record<TargetGroup, string>> = {
  chronic: 'Kronisk syke',
  'mental-substance': 'Psykisk lidelse og rusavhengighet',
  'frail-elderly': 'Skrøpelige eldre',
  disability: 'Utviklingshemming og funksjonsnedsettelse',
};

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

/**
 * The stored flag brought up to date: same id and version (for If-Match), the new content, and the
 * original start unless it was closed (a re-opened flag starts again).
 */
export function updatedTargetGroupFlag(existing: Flag, input: TargetGroupFlagInput): Flag {
  const fresh = buildTargetGroupFlag(input);
  const start = existing.status === 'active' ? (existing.period?.start ?? input.start) : input.start;
  return { ...fresh, id: existing.id, meta: profileMeta('pht-target-group-flag', existing.meta), period: { start } };
}

/** A flag that no longer applies: inactive, with period.end (SPEC §3: closed, not deleted). */
export function closedTargetGroupFlag(existing: Flag, end: string): Flag {
  const start = existing.period?.start ?? end;
  return { ...existing, status: 'inactive', period: { start, end: end < start ? start : end } };
}

export interface StoredTargetGroupFlag {
  id: string;
  versionId?: string;
  patientId: string;
  group: TargetGroup;
  active: boolean;
  confirmed: boolean;
  /** Compared with a freshly built flag to decide whether an update is needed. */
  fingerprint: string;
}

function isTargetGroup(value: string | undefined): value is TargetGroup {
  return TARGET_GROUPS.some((g) => g === value);
}

/** What the app needs of a stored flag, or undefined when it is not one of ours. */
export function readTargetGroupFlag(flag: Flag): StoredTargetGroupFlag | undefined {
  const value = list(flag.identifier).map((i) => (field(i, 'system') === SYSTEMS.flagId ? text(field(i, 'value')) : undefined)).find(Boolean);
  const id = text(flag.id);
  if (value === undefined || id === undefined) return undefined;
  const group = codings(flag.code).find((c) => c.system === SYSTEMS.targetGroup)?.code;
  const patient = parseReference(text(field(flag.subject, 'reference')));
  if (!isTargetGroup(group) || patient?.resourceType !== 'Patient') return undefined;
  const confirmed = codings(flag.category).some((c) => c.system === SYSTEMS.assessmentOutcome && c.code === 'include');
  const stored: StoredTargetGroupFlag = {
    id,
    patientId: patient.id,
    group,
    active: flag.status === 'active',
    confirmed,
    fingerprint: flagFingerprint(flag),
  };
  const versionId = text(flag.meta?.versionId);
  if (versionId !== undefined) stored.versionId = versionId;
  return stored;
}

/** The content that matters for the diff: status, group, confirmation and evidence. */
export function flagFingerprint(flag: Flag): string {
  const details = list(flag.extension)
    .filter((e) => field(e, 'url') === EXTENSIONS.flagDetail)
    .map((e) => text(field(field(e, 'valueReference'), 'display')) ?? '');
  const categories = codings(flag.category).map((c) => `${c.system ?? ''}#${c.code ?? ''}`);
  const group = codings(flag.code).find((c) => c.system === SYSTEMS.targetGroup)?.code ?? '';
  return JSON.stringify([flag.status ?? '', group, categories, details]);
}

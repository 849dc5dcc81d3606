// The launch patient's target groups for the patient panel (issue "Target groups" point 4; SPEC §3).
// On the launch path: ONE round-trip after the token (the Patient and the 9 fact types in parallel; a
// discharge also comes as a discharge summary or a message, SPEC §4, narrowed by factSearchParams).
// The GP's assessment is written as a Procedure and applied to the loaded facts at once, so the panel
// re-classifies without another read.
import type { Procedure, Resource } from '@medplum/fhirtypes';
import { classifyPatient, DEFAULT_RULE_SET, TARGET_GROUPS, type PatientFacts, type TargetGroup } from '../domain/targetGroups';
import { osloDate } from '../domain/calendar';
import {
  buildMedicationReviewNeedAssessment,
  buildOutreachAssessment,
  buildTargetGroupAssessment,
  readOutreachAssessment,
  type OutreachNeed,
  type OutreachOffer,
  type OutreachRecord,
} from './builders/assessment';
import { userReference } from './builders/common';
import { TARGET_GROUP_DISPLAY } from './builders/flag';
import type { FhirClient } from './client';
import { FhirError } from './errors';
import { toPatientFacts, type DataIssue } from './mappers/patientFacts';
import { FACT_TYPES, factSearchParams } from './populationFetch';
import { toReasonView, type ReasonView } from './populationRows';

export { TARGET_GROUP_DISPLAY } from './builders/flag';
export type { OutreachNeed, OutreachOffer, OutreachOfferKind, OutreachRecord } from './builders/assessment';

const DISCHARGE_MESSAGE_TYPES: ReadonlySet<string> = new Set(['DocumentReference', 'Communication']);

export type GroupStatus = 'candidate' | 'confirmed' | 'rejected' | 'not-candidate';

export interface GroupView {
  group: TargetGroup;
  label: string;
  status: GroupStatus;
  reasons: ReasonView[];
}

export interface PatientTargetGroups {
  patientId: string;
  asOf: string;
  /** Domain facts (not FHIR), kept to re-classify after an assessment. */
  facts: PatientFacts;
  /** Groups with a decision or a reason, in TargetGroup order. */
  groups: GroupView[];
  weakDemander: boolean;
  needsMedicationReview: boolean;
  needsCarePlan: boolean;
  polypharmacy: boolean;
  /** Data-quality notes in bokmål: resources that could not be used (from the mapper). */
  dataIssues: string[];
  /** Data-quality notes of the rules (e.g. missing birth date). */
  warnings: string[];
  outreach?: OutreachRecord;
}

const RESOURCE_LABEL: Readonly<Record<string, string>> = {
  Patient: 'Pasient',
  Condition: 'Diagnose',
  MedicationStatement: 'Legemiddel',
  MedicationRequest: 'Resept',
  Encounter: 'Kontakt',
  Observation: 'Måling',
  CarePlan: 'Behandlingsplan',
  Procedure: 'Prosedyre',
  DocumentReference: 'Epikrise',
  Communication: 'Melding',
};

function issueText(issue: DataIssue): string {
  return `${RESOURCE_LABEL[issue.resourceType] ?? issue.resourceType}${issue.id ? ` ${issue.id}` : ''}: ${issue.message}`;
}

function distinctActiveAtc(facts: PatientFacts): number {
  return new Set(facts.medications.filter((m) => m.active).map((m) => m.atc.trim().toUpperCase())).size;
}

/** Pure: the panel's view of the facts on `asOf`. */
export function targetGroupsView(patientId: string, facts: PatientFacts, asOf: string, dataIssues: readonly string[], outreach?: OutreachRecord): PatientTargetGroups {
  const c = classifyPatient(facts, asOf);
  const groups: GroupView[] = [];
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
    groups.push({ group, label: TARGET_GROUP_DISPLAY[group], status, reasons: reasons.map(toReasonView) });
  }
  const view: PatientTargetGroups = {
    patientId,
    asOf,
    facts,
    groups,
    weakDemander: c.weakDemander,
    needsMedicationReview: c.needsMedicationReview,
    needsCarePlan: c.needsCarePlan,
    polypharmacy: distinctActiveAtc(facts) >= DEFAULT_RULE_SET.thresholds.polypharmacyMinAtc,
    dataIssues: [...dataIssues],
    warnings: c.warnings,
  };
  if (outreach) view.outreach = outreach;
  return view;
}

export async function loadPatientTargetGroups(client: FhirClient, patientId: string, asOf: string, signal?: AbortSignal): Promise<PatientTargetGroups> {
  const unreadable: string[] = [];
  const [patient, ...perType] = await Promise.all([
    client.read('Patient', patientId, { signal }),
    ...FACT_TYPES.map((type) => {
      const search = client.searchAll(type, { ...factSearchParams(type, asOf), patient: `Patient/${patientId}`, _count: '1000' }, { signal });
      if (!DISCHARGE_MESSAGE_TYPES.has(type)) return search;
      // Discharge messages only add discharges: without access to them the panel still shows the rest.
      return search.catch((error: unknown): Resource[] => {
        if (!(error instanceof FhirError) || error.kind !== 'forbidden') throw error;
        unreadable.push(`${RESOURCE_LABEL[type] ?? type}: ingen lesetilgang; utskrivninger som bare finnes der, er ikke med.`);
        return [];
      });
    }),
  ]);
  const related: Resource[] = perType.flat();
  const orgRef = patient.managingOrganization?.reference ?? '';
  const practiceOrgId = /Organization\/([^/]+)$/.exec(orgRef)?.[1] ?? '';
  const { facts, issues } = toPatientFacts(patient, related, { practiceOrgId, asOf });
  let outreach: OutreachRecord | undefined;
  for (const r of related) {
    const record = r.resourceType === 'Procedure' ? readOutreachAssessment(r) : undefined;
    if (record && (!outreach || record.date >= outreach.date)) outreach = record;
  }
  return targetGroupsView(patientId, facts, asOf, [...unreadable, ...issues.map(issueText)], outreach);
}

export interface Recorder {
  /** SMART fhirUser, `Practitioner/<id>`. */
  fhirUser: string | undefined;
  name: string;
}

function recorderReference(user: Recorder) {
  const ref = userReference(user.fhirUser);
  if (!ref) throw new FhirError({ kind: 'forbidden', userMessage: 'Journalsystemet oppga ikke hvem du er, så vurderingen kan ikke lagres.' });
  return { ...ref, display: user.name };
}

async function save(client: FhirClient, procedure: Procedure, signal?: AbortSignal): Promise<Procedure> {
  return client.create(procedure, { signal });
}

/** A GP confirms or rejects a group; the result wins over the rules from now on (SPEC §3). */
export async function recordTargetGroupAssessment(
  client: FhirClient,
  current: PatientTargetGroups,
  input: { group: TargetGroup; include: boolean; reason: string; user: Recorder; now: Date },
  signal?: AbortSignal,
): Promise<PatientTargetGroups> {
  const recorder = recorderReference(input.user);
  const performed = input.now.toISOString();
  await save(client, buildTargetGroupAssessment({ patientId: current.patientId, group: input.group, include: input.include, note: input.reason, recorder, performed }), signal);
  const date = osloDate(performed);
  const facts: PatientFacts = {
    ...current.facts,
    assessments: [...current.facts.assessments, { group: input.group, include: input.include, reason: input.reason.trim(), date, author: input.user.name }],
  };
  return targetGroupsView(current.patientId, facts, current.asOf, current.dataIssues, current.outreach);
}

/** The need for a medication review was assessed; counts like a review (SPEC §3, Table 2). */
export async function recordMedicationReviewNeed(
  client: FhirClient,
  current: PatientTargetGroups,
  input: { needed: boolean; note: string; user: Recorder; now: Date },
  signal?: AbortSignal,
): Promise<PatientTargetGroups> {
  const recorder = recorderReference(input.user);
  const performed = input.now.toISOString();
  await save(client, buildMedicationReviewNeedAssessment({ patientId: current.patientId, needed: input.needed, note: input.note, recorder, performed }), signal);
  const facts: PatientFacts = { ...current.facts, medicationReviews: [...current.facts.medicationReviews, osloDate(performed)] };
  return targetGroupsView(current.patientId, facts, current.asOf, current.dataIssues, current.outreach);
}

/** The team's outreach assessment and offer for a weak demander (source ch. 4.3). */
export async function recordOutreach(
  client: FhirClient,
  input: { patientId: string; need: OutreachNeed; offer?: OutreachOffer; note: string; user: Recorder; now: Date },
  signal?: AbortSignal,
): Promise<OutreachRecord> {
  const recorder = recorderReference(input.user);
  const procedure = buildOutreachAssessment({ patientId: input.patientId, need: input.need, offer: input.offer, note: input.note, recorder, performed: input.now.toISOString() });
  const saved = await save(client, procedure, signal);
  const record = readOutreachAssessment(saved) ?? readOutreachAssessment(procedure);
  if (!record) throw new FhirError({ kind: 'invalid', userMessage: 'Journalsystemet svarte med en vurdering appen ikke kan lese.' });
  return record;
}

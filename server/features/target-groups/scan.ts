// The population scan on the server (issue 15 item 4; SPEC §3): read a practice's listed patients and
// their facts from the EPJ with the server's own SMART Backend Services token, map them with the shared
// mappers (src/fhir/mappers) and classify them with the app's rules (src/domain/targetGroups). Reading
// is by type, shaped like a Bulk Data $export (one stream per resource type, grouped by patient), so the
// same code serves 3 000 and 100 000 patients. Storing is store.ts's job; the job and the manual rescan
// both call scanPractice.
import type { Patient, Resource } from '@medplum/fhirtypes';
import { createClassifier, DEFAULT_RULE_SET, type Classification, type PatientFacts, type RuleSet } from '../../../src/domain/targetGroups';
import { fullYears, isIsoDate } from '../../../src/domain/targetGroups/isoDate';
import { toPatientFacts, type DataIssue } from '../../../src/fhir/mappers/patientFacts';
import { FACT_TYPES, factSearchParams, patientIdOf } from '../../../src/fhir/populationFetch';
import { safeAddress } from '../../../src/fhir/privacy';
import { humanNameText } from '../../../src/fhir/sessionContext';
import { searchAll, type EpjGet } from '../../epj/targetGroups';

/** What the list shows of a patient besides the groups: no address when it is protected (SPEC §8). */
export interface PatientDisplay {
  name: string;
  birthDate?: string;
  age?: number;
  addressProtected: boolean;
  address?: string;
  /** Data-quality notes in bokmål (resources that could not be used, warnings of the rules). */
  notes: string[];
}

export interface ScannedPatient {
  patientId: string;
  gpId?: string;
  display: PatientDisplay;
  /** Facts from the EPJ (team assessments stored in the app are added when classifying). */
  facts: PatientFacts;
}

export type ScanProgress = (phase: 'patients' | 'facts' | 'classify', done: number, total: number) => void;

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

export function issueText(issue: DataIssue): string {
  return `${RESOURCE_LABEL[issue.resourceType] ?? issue.resourceType}${issue.id ? ` ${issue.id}` : ''}: ${issue.message}`;
}

/** The patient's GP (first generalPractitioner that is a Practitioner). */
export function gpIdOf(patient: Patient): string | undefined {
  for (const ref of patient.generalPractitioner ?? []) {
    const match = /^Practitioner\/([^/]+)$/.exec(ref.reference ?? '');
    if (match?.[1]) return match[1];
  }
  return undefined;
}

/** Name, age and (only when not protected) address, decided once by src/fhir/privacy.ts (SPEC §8). */
export function patientDisplay(patient: Patient, asOf: string, notes: string[] = []): PatientDisplay {
  const safe = safeAddress(patient);
  const display: PatientDisplay = { name: humanNameText(patient.name) ?? 'Ukjent navn', addressProtected: safe.kind === 'protected', notes };
  const birthDate = typeof patient.birthDate === 'string' ? patient.birthDate : undefined;
  if (birthDate !== undefined && isIsoDate(birthDate) && birthDate <= asOf) {
    display.birthDate = birthDate;
    display.age = fullYears(birthDate, asOf);
  }
  if (safe.kind === 'address') display.address = safe.text;
  return display;
}

function scanned(patient: Patient & { id: string }, related: Resource[], practiceId: string, asOf: string): ScannedPatient {
  const practiceOrgId = practiceId.replace(/^Organization\//, '');
  const { facts, issues } = toPatientFacts(patient, related, { practiceOrgId, asOf });
  const gpId = gpIdOf(patient);
  return { patientId: patient.id, ...(gpId ? { gpId } : {}), display: patientDisplay(patient, asOf, issues.map(issueText)), facts };
}

function belongsTo(patient: Patient, practiceId: string): patient is Patient & { id: string } {
  return typeof patient.id === 'string' && patient.resourceType === 'Patient' && patient.managingOrganization?.reference === practiceId;
}

/**
 * Every patient listed at the practice (Patient.managingOrganization), with their facts on `asOf`.
 * Reads `Patient` and each fact type whole (paged, `_count=1000`) and keeps what belongs to the practice.
 */
export async function readPractice(get: EpjGet, base: string, practiceId: string, asOf: string, progress: ScanProgress = () => undefined): Promise<ScannedPatient[]> {
  progress('patients', 0, 1);
  const all = (await searchAll(get, base, 'Patient', { _count: '1000' })) as Patient[];
  const patients = all.filter((p) => belongsTo(p, practiceId));
  progress('patients', patients.length, patients.length);
  const related = new Map<string, Resource[]>(patients.map((p) => [p.id, []]));
  let done = 0;
  progress('facts', 0, FACT_TYPES.length);
  for (const type of FACT_TYPES) {
    for (const resource of await searchAll(get, base, type, { ...factSearchParams(type, asOf), _count: '1000' })) {
      const id = patientIdOf(resource);
      if (id !== undefined) related.get(id)?.push(resource);
    }
    progress('facts', ++done, FACT_TYPES.length);
  }
  return patients.map((p) => scanned(p, related.get(p.id) ?? [], practiceId, asOf));
}

/** One patient, for the patient panel: the Patient and the fact types in parallel. Undefined when unknown. */
export async function readPatient(get: EpjGet, base: string, practiceId: string, patientId: string, asOf: string): Promise<ScannedPatient | undefined> {
  const ref = `Patient/${patientId}`;
  const [found, ...perType] = await Promise.all([
    searchAll(get, base, 'Patient', { _id: patientId }),
    ...FACT_TYPES.map((type) => searchAll(get, base, type, { ...factSearchParams(type, asOf), patient: ref, _count: '1000' })),
  ]);
  const patient = (found as Patient[]).find((p) => p.id === patientId && p.resourceType === 'Patient');
  if (!patient?.id) return undefined;
  return scanned(patient as Patient & { id: string }, perType.flat(), practiceId, asOf);
}

/** A stored team assessment, as the rules read it. */
export type StoredAssessment = PatientFacts['assessments'][number];

/**
 * Classifies with the team's assessments from the app's database added after the EPJ's, so the latest
 * (by date; on the same date the later entry) wins over the rules (SPEC §3).
 */
export function classifyWith(ruleSet: RuleSet = DEFAULT_RULE_SET): (facts: PatientFacts, assessments: readonly StoredAssessment[], asOf: string) => Classification {
  const classify = createClassifier(ruleSet);
  return (facts, assessments, asOf) => classify(assessments.length === 0 ? facts : { ...facts, assessments: [...facts.assessments, ...assessments] }, asOf);
}

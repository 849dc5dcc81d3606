// The population scan on the server (issue 15 item 4; SPEC §3): read a practice's listed patients and
// their facts from the EPJ with the server's own SMART Backend Services token, map them with the shared
// mappers (src/fhir/mappers) and classify them with the app's rules (src/domain/targetGroups). Reading
// is by type: FHIR Bulk Data $export where the EPJ offers it, paged search otherwise (one stream per resource
// type, grouped by patient), so the same code serves 3 000 and 100 000 patients. Only the types the EPJ's
// CapabilityStatement lets the server read are asked for; the rest are `unavailable` to the rules. Storing is store.ts's job; the job and the manual rescan
// both call scanPractice.
import type { Patient, Resource } from '@medplum/fhirtypes';
import { createClassifier, DEFAULT_RULE_SET, type Classification, type ClassifyOptions, type PatientFacts, type RuleSet } from '../../../src/domain/targetGroups';
import { fullYears, isIsoDate } from '../../../src/domain/targetGroups/isoDate';
import { patientFactsBuilder, toPatientFacts, type DataIssue, type PatientFactsBuilder } from '../../../src/fhir/mappers/patientFacts';
import { patientIdOf } from '../../../src/fhir/populationFetch';
import { safeAddress } from '../../../src/fhir/privacy';
import { humanNameText } from '../../../src/fhir/sessionContext';
import { bulkExport } from '../../epj/bulkExport';
import { READ_EVERYTHING, type ReadPlan } from '../../epj/capabilities';
import { factReadParams, readableFactTypes, searchAll, type EpjGet } from '../../epj/targetGroups';

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

export interface ReadOptions {
  /** What the EPJ lets the server read (server/epj/capabilities readPlan); default: everything, by search. */
  plan?: ReadPlan;
  /** Overrides the plan's `bulkExport` (the benchmark compares both ways on the same EPJ). */
  via?: 'bulk-export' | 'search';
  /** Waits between `$export` status polls (tests). */
  wait?: (ms: number) => Promise<void>;
}

/** Groups the facts by the patient they refer to, keeping only the practice's patients. */
function grouped(patients: (Patient & { id: string })[]): { related: Map<string, Resource[]>; add: (resource: Resource) => void } {
  const related = new Map<string, Resource[]>(patients.map((p) => [p.id, []]));
  return {
    related,
    add: (resource) => {
      const id = patientIdOf(resource);
      if (id !== undefined) related.get(id)?.push(resource);
    },
  };
}

/**
 * Every patient listed at the practice (Patient.managingOrganization), with their facts on `asOf`. By FHIR
 * Bulk Data `$export` when the EPJ offers it (one kick-off, NDJSON per type; issue 19 point 5), otherwise by
 * paged search of `Patient` and each fact type (`_count=1000`). Types the EPJ cannot read are not asked for.
 */
export async function readPractice(get: EpjGet, base: string, practiceId: string, asOf: string, progress: ScanProgress = () => undefined, options: ReadOptions = {}): Promise<ScannedPatient[]> {
  const plan = options.plan ?? READ_EVERYTHING;
  const types = readableFactTypes(plan);
  const bulk = options.via ? options.via === 'bulk-export' : plan.bulkExport;
  if (bulk) return readPracticeByExport(get, base, practiceId, asOf, types, progress, options);
  progress('patients', 0, 1);
  const all = (await searchAll(get, base, 'Patient', { _count: '1000' })) as Patient[];
  const patients = all.filter((p) => belongsTo(p, practiceId));
  progress('patients', patients.length, patients.length);
  const { related, add } = grouped(patients);
  let done = 0;
  progress('facts', 0, types.length);
  for (const type of types) {
    for (const resource of await searchAll(get, base, type, { ...factReadParams(type, asOf), _count: '1000' })) add(resource);
    progress('facts', ++done, types.length);
  }
  return patients.map((p) => scanned(p, related.get(p.id) ?? [], practiceId, asOf));
}

/**
 * The same by `$export`: one system-level export of Patient and the readable fact types, the Patient files
 * first. Each fact is mapped as it streams in (patientFactsBuilder) and then dropped, so memory holds the
 * practice's patients and their facts, never the population's resources (issue 19 point 5: 100,000 patients
 * in ≤ 1 GiB). A fact whose patient has not (yet) been seen is kept aside and mapped at the end, so an EPJ
 * that sends the files in another order gives the same result.
 */
async function readPracticeByExport(get: EpjGet, base: string, practiceId: string, asOf: string, types: readonly string[], progress: ScanProgress, options: ReadOptions): Promise<ScannedPatient[]> {
  progress('patients', 0, 1);
  const practiceOrgId = practiceId.replace(/^Organization\//, '');
  // Per patient what the list needs (id, GP, display) and the facts so far; not the Patient resource itself.
  const patients = new Map<string, { patientId: string; gpId: string | undefined; display: PatientDisplay; builder: PatientFactsBuilder }>();
  const aside: Resource[] = [];
  const doneTypes = new Set<string>();
  let current = '';
  for await (const resource of bulkExport(get, base, { types: ['Patient', ...types], ...(options.wait ? { wait: options.wait } : {}) })) {
    if (resource.resourceType !== current) {
      if (current === 'Patient') {
        progress('patients', patients.size, patients.size);
        progress('facts', 0, types.length);
      } else if (current !== '') {
        doneTypes.add(current);
        progress('facts', doneTypes.size, types.length);
      }
      current = resource.resourceType;
    }
    if (resource.resourceType === 'Patient') {
      if (belongsTo(resource, practiceId) && !patients.has(resource.id)) {
        patients.set(resource.id, { patientId: resource.id, gpId: gpIdOf(resource), display: patientDisplay(resource, asOf), builder: patientFactsBuilder(resource, { practiceOrgId, asOf }) });
      }
      continue;
    }
    const id = patientIdOf(resource);
    if (id === undefined) continue;
    const entry = patients.get(id);
    if (entry) entry.builder.add(resource);
    else aside.push(resource);
  }
  for (const resource of aside) patients.get(patientIdOf(resource) ?? '')?.builder.add(resource);
  progress('facts', types.length, types.length);
  const out: ScannedPatient[] = [];
  for (const { patientId, gpId, display, builder } of patients.values()) {
    const { facts, issues } = builder.finish();
    display.notes = issues.map(issueText);
    out.push({ patientId, ...(gpId ? { gpId } : {}), display, facts });
  }
  return out;
}

/** One patient, for the patient panel: the Patient and the readable fact types in parallel. Undefined when unknown. */
export async function readPatient(get: EpjGet, base: string, practiceId: string, patientId: string, asOf: string, plan: ReadPlan = READ_EVERYTHING): Promise<ScannedPatient | undefined> {
  const ref = `Patient/${patientId}`;
  const [found, ...perType] = await Promise.all([
    searchAll(get, base, 'Patient', { _id: patientId }),
    ...readableFactTypes(plan).map((type) => searchAll(get, base, type, { ...factReadParams(type, asOf), patient: ref, _count: '1000' })),
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
export function classifyWith(ruleSet: RuleSet = DEFAULT_RULE_SET): (facts: PatientFacts, assessments: readonly StoredAssessment[], asOf: string, options?: ClassifyOptions) => Classification {
  const classify = createClassifier(ruleSet);
  return (facts, assessments, asOf, options) => classify(assessments.length === 0 ? facts : { ...facts, assessments: [...facts.assessments, ...assessments] }, asOf, options);
}

// The listed population for Table 2's patient indicators (SPEC §7): the practice's listed patients
// (populationTeam.ts: the user's practice, its GPs, their lists) with the facts the indicators need,
// streamed by type and grouped by patient with the target-group scan's helpers (populationFetch.ts), and
// mapped with the shared toPatientFacts. The scan itself (population.ts) is not reused because it
// returns classifications, not facts, and the trend needs the facts at each month's end.
// Encounters and observations are not loaded: the Table 2 indicators do not depend on them.
import type { Patient, Resource } from '@medplum/fhirtypes';
import type { PatientFacts } from '../domain/targetGroups';
import type { FhirClient } from './client';
import type { ManagerIssue } from './managerStaff';
import { toPatientFacts } from './mappers/patientFacts';
import { patientIdOf, searchSource, type ScanType } from './populationFetch';
import { loadListedPatients, loadPracticeTeam } from './populationTeam';
import { humanNameText } from './sessionContext';

export interface PopulationMember {
  id: string;
  facts: PatientFacts;
  /** Administrative sex, for model B's age/sex weights (src/domain/financing). */
  sex?: 'female' | 'male';
}

export interface PopulationProgress {
  step: string;
  fetched: number;
}

export interface PopulationOptions {
  /** The user (Practitioner id): finds the practice and its GPs' lists. */
  userId: string;
  signal?: AbortSignal;
  onProgress?: (progress: PopulationProgress) => void;
}

const STEPS: readonly { type: ScanType; label: string }[] = [
  { type: 'Condition', label: 'Diagnoser' },
  { type: 'MedicationStatement', label: 'Legemidler' },
  { type: 'MedicationRequest', label: 'Resepter' },
  { type: 'CarePlan', label: 'Behandlingsplaner' },
  { type: 'Procedure', label: 'Legemiddelgjennomganger' },
];

/** Groups resources by the patient they refer to; resources without one are left out. */
export function groupByPatient(resources: readonly Resource[]): Map<string, Resource[]> {
  const out = new Map<string, Resource[]>();
  for (const r of resources) add(out, r);
  return out;
}

function add(grouped: Map<string, Resource[]>, r: Resource): void {
  const id = patientIdOf(r);
  if (!id) return;
  const list = grouped.get(id);
  if (list) list.push(r);
  else grouped.set(id, [r]);
}

export interface Population {
  members: PopulationMember[];
  /** Patient id -> display name, for drill-down lists in the app (never exported). */
  names: Record<string, string>;
  issues: ManagerIssue[];
}

export function toPopulation(patients: readonly Patient[], related: readonly Resource[], asOf: string, practiceOrgId = ''): Population {
  const grouped = groupByPatient(related);
  const members: PopulationMember[] = [];
  const names: Record<string, string> = {};
  const issues: ManagerIssue[] = [];
  for (const patient of patients) {
    if (!patient.id || patient.active === false || patient.deceasedBoolean === true || patient.deceasedDateTime) continue;
    const { facts, issues: found } = toPatientFacts(patient, grouped.get(patient.id) ?? [], { practiceOrgId, asOf });
    members.push({ id: patient.id, facts, ...(patient.gender === 'female' || patient.gender === 'male' ? { sex: patient.gender } : {}) });
    names[patient.id] = humanNameText(patient.name) ?? patient.id;
    for (const i of found) issues.push({ resourceType: i.resourceType, ...(i.id ? { id: i.id } : {}), severity: 'warning', message: i.message });
  }
  return { members, names, issues };
}

export async function loadPopulation(client: FhirClient, asOf: string, opts: PopulationOptions): Promise<Population> {
  opts.onProgress?.({ step: 'Listeinnbyggere', fetched: 0 });
  const team = await loadPracticeTeam(client, opts.userId, opts.signal);
  const patients = await loadListedPatients(client, team.gps.map((g) => g.id), {
    signal: opts.signal,
    onProgress: (fetched) => opts.onProgress?.({ step: 'Listeinnbyggere', fetched }),
  });
  // A whole practice: one paged search per type (the scan's by-type strategy), grouped as it streams.
  const source = searchSource(client, [], 'by-type', { signal: opts.signal });
  const related: Resource[] = [];
  for (const step of STEPS) {
    opts.onProgress?.({ step: step.label, fetched: related.length });
    await source.stream(step.type, (r) => related.push(r));
  }
  return toPopulation(patients, related, asOf, team.practiceOrgId ?? '');
}

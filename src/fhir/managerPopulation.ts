// The listed population for Table 2's patient indicators (SPEC §7): patients and their fact resources,
// grouped by patient and mapped with the shared toPatientFacts. The app server reads them from the EPJ
// by capability (server/epj/population.ts) and the manager view gets them from
// /api/target-groups/manager/population; the trend needs the facts at each month's end.
import type { Patient, Resource } from '@medplum/fhirtypes';
import type { PatientFacts } from '../domain/targetGroups';
import type { ManagerIssue } from './managerStaff';
import { toPatientFacts } from './mappers/patientFacts';
import { patientIdOf } from './populationFetch';
import { humanNameText } from './sessionContext';

export interface PopulationMember {
  id: string;
  facts: PatientFacts;
  /** Administrative sex, for model B's age/sex weights (src/domain/financing). */
  sex?: 'female' | 'male';
}

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

// The practice's listed population for the daglig leder's Table 2 indicators (SPEC §7), read by the app
// server (the browser never parses FHIR): the practice's patients (Patient.managingOrganization) and the
// fact types the indicators use, only those the EPJ lets the server read (server/epj/capabilities.ts), mapped
// with the shared toPatientFacts (src/fhir/managerPopulation.ts toPopulation). What the EPJ does not give is
// returned as `unavailable` (FactKinds) with the capability report's notes, never as a silent "none".
import type { Patient, Resource } from '@medplum/fhirtypes';
import type { FactKind } from '../../src/domain/targetGroups';
import { toPopulation, type Population } from '../../src/fhir/managerPopulation';
import { canRead, type ReadPlan } from './capabilities';
import { searchAll, type EpjGet } from './targetGroups';

/** The fact types the indicators need (encounters and observations are not used by Table 2). */
export const POPULATION_TYPES = ['Condition', 'MedicationStatement', 'MedicationRequest', 'CarePlan', 'Procedure'] as const;

export interface PopulationRead extends Population {
  /** The fact kinds the EPJ could not give (from the read plan). */
  unavailable: FactKind[];
}

export async function readPopulation(get: EpjGet, base: string, practiceId: string, asOf: string, plan: ReadPlan): Promise<PopulationRead> {
  const all = (await searchAll(get, base, 'Patient', { _count: '1000' })) as Patient[];
  const patients = all.filter((p) => p.resourceType === 'Patient' && p.managingOrganization?.reference === practiceId);
  const related: Resource[] = [];
  for (const type of POPULATION_TYPES) {
    if (canRead(plan, type)) related.push(...(await searchAll(get, base, type, { _count: '1000' })));
  }
  return { ...toPopulation(patients, related, asOf, practiceId.replace(/^Organization\//, '')), unavailable: [...plan.unavailable] };
}

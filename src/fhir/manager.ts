// The practice manager's data from the EPJ (SPEC §7): FHIR -> the domain inputs of src/domain/manager.
// Every figure is computed from these inputs by pure functions; nothing here computes a figure. The
// charges and claims are the app's own and come from the app server (src/features/contact-copay/api.ts);
// `charges` is filled in by the view.
//
// Loaded for a period (Oslo dates, inclusive):
// - Practitioner + PractitionerRole -> StaffMember (toStaffMembers).
// - (discharge follow-up tasks are in the app's database: the view adds them from /api/follow-up.)
// - the listed population (read by the app server, mapped by managerPopulation.ts) -> facts per patient, for the Table 2 indicators.
// Malformed resources are reported in `issues` (Norwegian), never fatal.
import { osloDate } from '../domain/calendar';
import type { FollowUpTask } from '../domain/followUp';
import type { ChargeRecord, Period, StaffMember, TariffNorm } from '../domain/manager';
import { catalogueInForce, defaultCatalogues, type Catalogue } from '../domain/tariffs';
import type { FhirClient } from './client';
import { toStaffMembers, type ManagerIssue } from './managerStaff';
import type { Population, PopulationMember } from './managerPopulation';

export type { ManagerIssue } from './managerStaff';

export type { PopulationMember } from './managerPopulation';

export interface ManagerData {
  period: Period;
  /** Oslo date the data was loaded ("today" for overdue egenandel and compliance). */
  asOf: string;
  /** From the app server (the view fills them in); from 1 January of the period's first year (yearly maximum). */
  charges: ChargeRecord[];
  staff: StaffMember[];
  norms: TariffNorm[];
  /** Whether the tariff catalogue's egenandel amounts are demo values (SPEC §5: say so in the UI). */
  egenandelIsDemo: boolean;
  tasks: FollowUpTask[];
  population: PopulationMember[];
  /** Patient id -> display name, for the drill-down lists (never exported). */
  patientNames: Record<string, string>;
  issues: ManagerIssue[];
}

export interface ManagerProgress {
  /** Norwegian label of what is being loaded. */
  step: string;
  /** 1-based. */
  stepIndex: number;
  steps: number;
  fetched: number;
}

export interface LoadManagerOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ManagerProgress) => void;
  /** Oslo date; defaults to today. */
  asOf?: string;
  catalogues?: readonly Catalogue[];
  /** The leader (Practitioner id). */
  userId: string;
  /** The practice's listed population on an Oslo date, as the app server read it from the EPJ (/api/target-groups/manager/population). */
  population: (asOf: string, signal?: AbortSignal) => Promise<Population>;
}

const STEPS = 4;

/** Table 1 norms of the catalogue in force at the period's end. */
export function tariffNorms(catalogues: readonly Catalogue[], date: string): { norms: TariffNorm[]; egenandelIsDemo: boolean } {
  const catalogue = catalogueInForce(catalogues, date);
  if (!catalogue) return { norms: [], egenandelIsDemo: false };
  const norms = catalogue.tariffs.map((t): TariffNorm => ({
    code: t.code,
    text: t.text,
    profession: t.profession,
    ...(t.expectedPerYear !== null ? { expectedPerYear: t.expectedPerYear } : {}),
    ...(t.maxPerYear !== null ? { maxPerYear: t.maxPerYear } : {}),
  }));
  return { norms, egenandelIsDemo: catalogue.tariffs.some((t) => t.egenandelIsDemo) };
}

export async function loadManagerData(client: FhirClient, period: Period, opts: LoadManagerOptions): Promise<ManagerData> {
  const asOf = opts.asOf ?? osloDate(new Date().toISOString());
  const catalogues = opts.catalogues ?? defaultCatalogues;
  const signal = opts.signal;
  const progress = (stepIndex: number, step: string) => (p: { fetched: number }) => opts.onProgress?.({ step, stepIndex, steps: STEPS, fetched: p.fetched });
  const issues: ManagerIssue[] = [];

  progress(1, 'Ansatte')({ fetched: 0 });
  const [practitioners, roles] = await Promise.all([
    client.searchAll('Practitioner', { _count: '1000' }, { signal }),
    client.searchAll('PractitionerRole', { _count: '1000' }, { signal, onProgress: progress(1, 'Ansatte') }),
  ]);
  const staffRead = toStaffMembers(practitioners, roles, period.to);
  issues.push(...staffRead.issues);

  // Follow-up tasks live in the app's database (issue 15): the manager view adds them from
  // /api/follow-up/deadlines (src/features/follow-up/api.ts); the EPJ has none.
  const tasks: FollowUpTask[] = [];

  const populationAsOf = period.to < asOf ? period.to : asOf;
  progress(3, 'Listeinnbyggere')({ fetched: 0 });
  const pop = await opts.population(populationAsOf, signal);
  issues.push(...pop.issues);

  const { norms, egenandelIsDemo } = tariffNorms(catalogues, period.to);
  return { period, asOf, charges: [], staff: staffRead.staff, norms, egenandelIsDemo, tasks, population: pop.members, patientNames: pop.names, issues };
}

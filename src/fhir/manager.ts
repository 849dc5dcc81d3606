// The practice manager's data from the EPJ (SPEC §7): FHIR -> the domain inputs of src/domain/manager.
// Every figure is computed from these inputs by pure functions; nothing here computes a figure. The
// charges and claims are the app's own and come from the app server (src/features/contact-copay/api.ts);
// `charges` is filled in by the view.
//
// Loaded for a period (Oslo dates, inclusive):
// - Practitioner + PractitionerRole -> StaffMember (toStaffMembers).
// - discharge follow-up Tasks whose deadline can fall in the period, read by the follow-up area's
//   toFollowUpTask (src/fhir/builders/task.ts).
// - the listed population (managerPopulation.ts) -> facts per patient, for the Table 2 indicators.
// Malformed resources are reported in `issues` (Norwegian), never fatal.
import { osloDate } from '../domain/calendar';
import type { FollowUpTask } from '../domain/followUp';
import type { ChargeRecord, Period, StaffMember, TariffNorm } from '../domain/manager';
import { catalogueInForce, defaultCatalogues, type Catalogue } from '../domain/tariffs';
import { toFollowUpTask } from './builders/task';
import type { FhirClient } from './client';
import { toStaffMembers, type ManagerIssue } from './managerStaff';
import { loadPopulation, type PopulationMember } from './managerPopulation';
import { SYSTEMS } from './systems';

export type { ManagerIssue } from './managerStaff';

/** YYYY-MM-DD plus n days (UTC arithmetic on a calendar date). */
function shiftDay(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
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
  /** The leader (Practitioner id): finds the practice whose lists are measured. */
  userId: string;
}

const DISCHARGE_FOLLOW_UP = `${SYSTEMS.taskType}|discharge-follow-up`;
/** A task whose deadline falls in the period was authored at most this many days before it. */
const AUTHORED_BEFORE_DEADLINE_DAYS = 60;
const STEPS = 3;

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

  // The period's tasks, and every open one whatever the period: an overdue follow-up must show (and
  // count) until it is done, not only in the month it was created (issue 17 item 2).
  const [inPeriod, open] = await Promise.all([
    client.searchAll(
      'Task',
      { code: DISCHARGE_FOLLOW_UP, 'authored-on': [`ge${shiftDay(period.from, -AUTHORED_BEFORE_DEADLINE_DAYS)}`, `le${shiftDay(period.to, 1)}`], _count: '1000' },
      { signal, onProgress: progress(2, 'Oppfølgingsoppgaver') },
    ),
    client.searchAll('Task', { code: DISCHARGE_FOLLOW_UP, status: 'requested,in-progress', _count: '1000' }, { signal }),
  ]);
  const seen = new Set<string>();
  const taskResources = [...inPeriod, ...open].filter((t) => !t.id || (!seen.has(t.id) && (seen.add(t.id), true)));
  const tasks: FollowUpTask[] = [];
  for (const t of taskResources) {
    const mapped = toFollowUpTask(t);
    if (mapped.followUp) tasks.push(mapped.followUp);
    else issues.push({ resourceType: 'Task', ...(t.id ? { id: t.id } : {}), severity: 'error', message: mapped.issues.map((i) => i.message).join('; ') || 'Oppgaven kan ikke leses.' });
  }

  const populationAsOf = period.to < asOf ? period.to : asOf;
  const pop = await loadPopulation(client, populationAsOf, { userId: opts.userId, signal, onProgress: (p) => progress(3, `Listeinnbyggere: ${p.step}`)(p) });
  issues.push(...pop.issues);

  const { norms, egenandelIsDemo } = tariffNorms(catalogues, period.to);
  return { period, asOf, charges: [], staff: staffRead.staff, norms, egenandelIsDemo, tasks, population: pop.members, patientNames: pop.names, issues };
}

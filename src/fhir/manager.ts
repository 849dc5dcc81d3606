// The practice manager's data (SPEC §7): FHIR -> the domain inputs of src/domain/manager, and the one
// write the view makes, "mark as claimed". Every figure is computed from these inputs by pure functions;
// nothing here computes a figure.
//
// Loaded for a period (Oslo dates, inclusive):
// - ChargeItems whose service time falls from 1 January of the period's first year to its end (the
//   yearly-maximum anomaly counts the whole calendar year), read by toChargeRecord.
// - Practitioner + PractitionerRole -> StaffMember (toStaffMembers).
// - (discharge follow-up tasks are in the app's database: the view adds them from /api/follow-up.)
// - the listed population (managerPopulation.ts) -> facts per patient, for the Table 2 indicators.
// Malformed resources are reported in `issues` (Norwegian), never fatal.
import type { ChargeItem } from '@medplum/fhirtypes';
import { osloDate } from '../domain/calendar';
import type { FollowUpTask } from '../domain/followUp';
import type { ChargeRecord, Period, StaffMember, TariffNorm } from '../domain/manager';
import { catalogueInForce, defaultCatalogues, type Catalogue } from '../domain/tariffs';
import type { UserReference } from './builders/common';
import type { FhirClient } from './client';
import { isFhirError } from './errors';
import { shiftDay } from './chargesLedger';
import { toChargeRecord, withClaimMark, type ManagerIssue } from './managerCharges';
import { loadPopulation, type PopulationMember } from './managerPopulation';
import { toStaffMembers } from './managerStaff';

export type { ManagerIssue } from './managerCharges';
export type { PopulationMember } from './managerPopulation';

export interface ManagerData {
  period: Period;
  /** Oslo date the data was loaded ("today" for overdue egenandel and compliance). */
  asOf: string;
  charges: ChargeRecord[];
  /** ChargeRecord.id -> ChargeItem resource id, for markClaimed. */
  chargeResourceIds: Record<string, string>;
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

  const yearStart = `${period.from.slice(0, 4)}-01-01`;
  const items = await client.searchAll(
    'ChargeItem',
    { occurrence: [`ge${shiftDay(yearStart, -1)}`, `le${shiftDay(period.to, 1)}`], _count: '1000' },
    { signal, onProgress: progress(2, 'Gebyrer') },
  );
  const { charges, chargeResourceIds } = readCharges(items, { staffRoles: staffRead.roles, catalogues }, issues);

  // Follow-up tasks live in the app's database (issue 15): the manager view adds them from
  // /api/follow-up/deadlines (src/features/follow-up/api.ts); the EPJ has none.
  const tasks: FollowUpTask[] = [];

  const populationAsOf = period.to < asOf ? period.to : asOf;
  const pop = await loadPopulation(client, populationAsOf, { userId: opts.userId, signal, onProgress: (p) => progress(4, `Listeinnbyggere: ${p.step}`)(p) });
  issues.push(...pop.issues);

  const { norms, egenandelIsDemo } = tariffNorms(catalogues, period.to);
  return { period, asOf, charges, chargeResourceIds, staff: staffRead.staff, norms, egenandelIsDemo, tasks, population: pop.members, patientNames: pop.names, issues };
}

function readCharges(items: readonly ChargeItem[], ctx: Parameters<typeof toChargeRecord>[1], issues: ManagerIssue[]) {
  const charges: ChargeRecord[] = [];
  const chargeResourceIds: Record<string, string> = {};
  for (const item of items) {
    const { record, issues: found } = toChargeRecord(item, ctx);
    issues.push(...found);
    if (!record) continue;
    if (chargeResourceIds[record.id] !== undefined) {
      issues.push({ resourceType: 'ChargeItem', ...(item.id ? { id: item.id } : {}), severity: 'error', message: `Gebyret ${record.id} finnes to ganger; bare det første er tatt med.` });
      continue;
    }
    charges.push(record);
    if (item.id) chargeResourceIds[record.id] = item.id;
  }
  return { charges, chargeResourceIds };
}

// ---------------------------------------------------------------------------------------------
// Mark as claimed (SPEC §7: "lets the leader mark them as claimed (never twice)")

export interface MarkClaimedProgress {
  done: number;
  total: number;
}

export interface MarkClaimedResult {
  /** ChargeItem ids written now. */
  marked: string[];
  /** Already billed (claimed) or cancelled on the server: left as they are. */
  unchanged: string[];
  failed: { id: string; message: string }[];
}

export interface MarkClaimedOptions {
  signal?: AbortSignal;
  /** ISO date-time of the mark; defaults to now. */
  now?: string;
  onProgress?: (progress: MarkClaimedProgress) => void;
}

const MAX_CONFLICT_RETRIES = 5;

/**
 * Marks each ChargeItem as claimed: status billed + the claim-marked extension, a version-checked
 * update (If-Match). Idempotent: a charge already billed, or cancelled, is left unchanged, so marking
 * the same charges (or the same period) again writes nothing. On 412 the charge is read again and the
 * check repeated (someone else may have marked or cancelled it meanwhile).
 */
export async function markClaimed(client: FhirClient, chargeIds: readonly string[], by: UserReference, opts: MarkClaimedOptions = {}): Promise<MarkClaimedResult> {
  const now = opts.now ?? new Date().toISOString();
  const result: MarkClaimedResult = { marked: [], unchanged: [], failed: [] };
  const unique = [...new Set(chargeIds)];
  let done = 0;
  for (const id of unique) {
    try {
      const outcome = await markOne(client, id, by, now, opts.signal);
      result[outcome].push(id);
    } catch (error) {
      if (isFhirError(error) && error.kind === 'aborted') throw error;
      result.failed.push({ id, message: isFhirError(error) ? error.userMessage : 'Ukjent feil.' });
    }
    done++;
    opts.onProgress?.({ done, total: unique.length });
  }
  return result;
}

async function markOne(client: FhirClient, id: string, by: UserReference, now: string, signal?: AbortSignal): Promise<'marked' | 'unchanged'> {
  for (let attempt = 0; ; attempt++) {
    const current = await client.read('ChargeItem', id, { signal });
    if (current.status !== 'billable' && current.status !== 'planned') return 'unchanged';
    try {
      await client.update(withClaimMark(current, by, now), { signal });
      return 'marked';
    } catch (error) {
      if (!(isFhirError(error) && error.kind === 'conflict') || attempt >= MAX_CONFLICT_RETRIES) throw error;
    }
  }
}

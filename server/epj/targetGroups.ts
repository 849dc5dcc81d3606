// Target-group STATUS without the evidence (issue 12 item 5): the app server reads the facts with its own
// Backend Services token and classifies them with the same rules as the app (src/domain/targetGroups,
// SPEC §3), so a role that may see who is in a target group but not why (the secretary) needs no
// clinical read scopes. Only the groups leave this module: no reasons, codes or resources.
import type { Bundle, Patient, Resource } from '@medplum/fhirtypes';
import { classifyPatientWith, DEFAULT_RULE_SET, type TargetGroup } from '../../src/domain/targetGroups';
import { referencedPatientIds } from '../../src/fhir/patientGuard';
import { toPatientFacts } from '../../src/fhir/mappers/patientFacts';
import { listingOf } from '../../src/fhir/mappers/listing';
import { DISCHARGE_LOOKBACK_DAYS, FACT_TYPES, PATIENT_BATCH } from '../../src/fhir/populationFetch';
import { canRead, READ_EVERYTHING, type ReadPlan } from './capabilities';

export interface TargetGroupStatus {
  patientId: string;
  /** Candidate or confirmed groups, in TargetGroup order. */
  groups: TargetGroup[];
  /** The groups a GP has confirmed (a subset of `groups`). */
  confirmed: TargetGroup[];
}

/** A GET against the EPJ (the server's own token); `headers` e.g. `Prefer: respond-async` for `$export`. */
export type EpjGet = (url: URL, headers?: Record<string, string>) => Promise<Response>;

export class EpjReadError extends Error {
  override readonly name = 'EpjReadError';
}

/** Every resource of a search, following `next` links (FHIR RESTful search paging). */
export async function searchAll(get: EpjGet, base: string, type: string, params: Record<string, string>): Promise<Resource[]> {
  let url: URL | undefined = new URL(`${base}/${type}`);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const out: Resource[] = [];
  for (let pages = 0; url && pages < 1000; pages++) {
    const res = await get(url);
    if (!res.ok) throw new EpjReadError(`${type}: HTTP ${res.status}`);
    const bundle = (await res.json()) as Bundle;
    for (const e of bundle.entry ?? []) if (e.resource && e.search?.mode !== 'outcome') out.push(e.resource);
    const next = bundle.link?.find((l) => l.relation === 'next')?.url;
    url = next ? new URL(next) : undefined;
  }
  return out;
}

/** YYYY-MM-DD `days` before an ISO date (undefined when it cannot be read: then no filter). */
function daysBefore(date: string, days: number): string | undefined {
  const ms = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms - days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The search parameters of the server's fact reads (issue 16 item 3). Discharge documents and messages are
 * NOT narrowed by their type/category code or their own date: a text-only category, a Volven 9602 type or
 * no date at all would then never reach src/fhir/discharges.ts, which decides what is a discharge and how it
 * is dated. Only `_lastUpdated` bounds them (every stored resource has it), to the rules' window and more.
 */
export function factReadParams(type: string, asOf?: string): Record<string, string> {
  if (type !== 'DocumentReference' && type !== 'Communication') return {};
  const since = asOf === undefined ? undefined : daysBefore(asOf, DISCHARGE_LOOKBACK_DAYS);
  return since === undefined ? {} : { _lastUpdated: `ge${since}` };
}

/** The fact types the plan lets the server read (the rest are `unavailable` to the rules). */
export function readableFactTypes(plan: ReadPlan): string[] {
  return FACT_TYPES.filter((t) => canRead(plan, t));
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * `asOf` = today in Oslo. Patients the EPJ does not have are left out of the answer. Types the EPJ does not
 * let the server read (plan) are not asked for.
 */
export async function targetGroupStatus(get: EpjGet, base: string, patientIds: readonly string[], asOf: string, plan: ReadPlan = READ_EVERYTHING): Promise<TargetGroupStatus[]> {
  const types = readableFactTypes(plan);
  const unique = [...new Set(patientIds)];
  const patients: Patient[] = [];
  const related: Resource[] = [];
  for (const batch of batches(unique, PATIENT_BATCH)) {
    const refs = batch.map((id) => `Patient/${id}`).join(',');
    const [found, ...perType] = await Promise.all([
      searchAll(get, base, 'Patient', { _id: batch.join(','), _count: '1000' }),
      ...types.map((type) => searchAll(get, base, type, { ...factReadParams(type, asOf), patient: refs, _count: '1000' })),
    ]);
    patients.push(...(found as Patient[]));
    related.push(...perType.flat());
  }
  const byPatient = new Map<string, Resource[]>();
  for (const r of related) for (const id of referencedPatientIds(r)) byPatient.set(id, [...(byPatient.get(id) ?? []), r]);
  return patients
    .filter((p) => p.resourceType === 'Patient' && p.id && unique.includes(p.id))
    .map((patient) => {
      const id = patient.id as string;
      const practiceOrgId = listingOf(patient, []).practiceOrgId ?? '';
      const { facts } = toPatientFacts(patient, byPatient.get(id) ?? [], { practiceOrgId, asOf });
      const c = classifyPatientWith(DEFAULT_RULE_SET, facts, asOf, { unavailable: plan.unavailable });
      return { patientId: id, groups: [...c.groups], confirmed: [...c.confirmed] };
    });
}

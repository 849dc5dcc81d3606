// Streaming the list's resources by type and grouping them by patient (issue "Target groups" point 3).
// Shaped like a Bulk Data `$export` (FHIR Bulk Data IG: one NDJSON stream per resource type): a source
// yields resources of one type at a time, and the scan groups them by the patient they refer to. Today the
// source is paged FHIR search, by `patient` in batches (a GP's list) or by type (a whole practice).
import type { ExtractResource, Resource, ResourceType } from '@medplum/fhirtypes';
import type { FhirClient } from './client';
import { DISCHARGE_COMMUNICATION_CATEGORIES, DISCHARGE_SUMMARY_LOINC } from './discharges';
import { field, text } from './mappers/read';
import { parseReference } from './session';
import { SYSTEMS } from './systems';

/**
 * The resource types the target-group facts come from (a discharge also arrives as a discharge summary
 * or a message, SPEC §4), plus our flags (for the idempotent diff).
 */
export const FACT_TYPES = [
  'Condition',
  'MedicationStatement',
  'MedicationRequest',
  'Encounter',
  'Observation',
  'CarePlan',
  'Procedure',
  'DocumentReference',
  'Communication',
] as const;
export const SCAN_TYPES = [...FACT_TYPES, 'Flag'] as const;
export type ScanType = (typeof SCAN_TYPES)[number];

/** Discharge messages are read this far back from asOf: the rules look back 365 days (SPEC §3). */
export const DISCHARGE_LOOKBACK_DAYS = 400;

/**
 * The search parameters that narrow DocumentReference and Communication to discharge messages (the
 * inbox's filters, SPEC §4) and, given asOf, to the rules' window: `date` / `sent` at or after
 * asOf - DISCHARGE_LOOKBACK_DAYS (a message is dated on or after its discharge). Other types: none.
 */
export function factSearchParams(type: string, asOf?: string): Record<string, string> {
  const since = asOf === undefined ? undefined : daysBefore(asOf, DISCHARGE_LOOKBACK_DAYS);
  const loinc = `${SYSTEMS.loinc}|${DISCHARGE_SUMMARY_LOINC}`;
  if (type === 'DocumentReference') return { type: loinc, ...(since !== undefined && { date: `ge${since}` }) };
  if (type === 'Communication') return { category: [...DISCHARGE_COMMUNICATION_CATEGORIES, loinc].join(','), ...(since !== undefined && { sent: `ge${since}` }) };
  return {};
}

/** YYYY-MM-DD `days` before an Oslo date; undefined when the date cannot be read (then no date filter). */
function daysBefore(date: string, days: number): string | undefined {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(ms) ? new Date(ms - days * 86_400_000).toISOString().slice(0, 10) : undefined;
}

/** Patients per `patient=` search: keeps URLs well under common server limits (8 KB). */
export const PATIENT_BATCH = 50;
/** Requests in flight at once: enough to hide latency, few enough not to flood the EPJ. */
export const CONCURRENCY = 6;

export type FetchStrategy = 'by-patient' | 'by-type';

export interface FetchProgress {
  done: number;
  total: number;
  resourceType: ScanType;
}

export interface ResourceSource {
  /** Calls `onResource` for every resource of `type` that may belong to `patientIds`. */
  stream(type: ScanType, onResource: (resource: Resource) => void): Promise<void>;
  /** Units of work (requests or types) planned, for progress. */
  readonly units: number;
}

export interface SourceOptions {
  signal?: AbortSignal;
  /** Oslo date: restricts discharge messages to the rules' window (factSearchParams). */
  asOf?: string;
  onUnitDone?: (type: ScanType) => void;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `tasks` with at most `limit` in flight; stops starting new ones once the signal aborts. */
export async function runLimited(tasks: readonly (() => Promise<void>)[], limit: number, signal?: AbortSignal): Promise<void> {
  let next = 0;
  async function worker(): Promise<void> {
    while (next < tasks.length) {
      signal?.throwIfAborted();
      const task = tasks[next++];
      if (task) await task();
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

/**
 * FHIR search as the source: `<type>?patient=Patient/a,...&_count=1000` in batches, or `<type>?_count=1000`,
 * with factSearchParams for the discharge messages.
 */
export function searchSource(client: FhirClient, patientIds: readonly string[], strategy: FetchStrategy, opts: SourceOptions = {}): ResourceSource {
  const batches = chunks(patientIds, PATIENT_BATCH);
  return {
    units: strategy === 'by-patient' ? batches.length * SCAN_TYPES.length : SCAN_TYPES.length,
    async stream(type, onResource) {
      const search = async (params: Record<string, string>): Promise<void> => {
        const found: ExtractResource<ResourceType>[] = await client.searchAll(type, { ...factSearchParams(type, opts.asOf), ...params, _count: '1000' }, { signal: opts.signal });
        for (const resource of found) onResource(resource);
        opts.onUnitDone?.(type);
      };
      if (strategy === 'by-type') return search({});
      await runLimited(
        batches.map((batch) => () => search({ patient: batch.map((id) => `Patient/${id}`).join(',') })),
        CONCURRENCY,
        opts.signal,
      );
    },
  };
}

/** The patient a resource belongs to: `subject` (or Flag.subject), `patient` for the rest. */
export function patientIdOf(resource: Resource): string | undefined {
  const ref = field(resource, 'subject') ?? field(resource, 'patient');
  const parsed = parseReference(text(field(ref, 'reference')));
  return parsed?.resourceType === 'Patient' ? parsed.id : undefined;
}

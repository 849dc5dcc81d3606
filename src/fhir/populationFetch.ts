// Streaming the list's resources by type and grouping them by patient (issue "Target groups" point 3).
// Shaped like a Bulk Data `$export` (FHIR Bulk Data IG: one NDJSON stream per resource type): a source
// yields resources of one type at a time, and the scan groups them by the patient they refer to. Today the
// source is paged FHIR search, by `patient` in batches (a GP's list) or by type (a whole practice).
import type { ExtractResource, Resource, ResourceType } from '@medplum/fhirtypes';
import type { FhirClient } from './client';
import { field, text } from './mappers/read';
import { parseReference } from './session';

/** The resource types the target-group facts come from, plus our flags (for the idempotent diff). */
export const SCAN_TYPES = ['Condition', 'MedicationStatement', 'MedicationRequest', 'Encounter', 'Observation', 'CarePlan', 'Procedure', 'Flag'] as const;
export type ScanType = (typeof SCAN_TYPES)[number];

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

/** FHIR search as the source: `<type>?patient=Patient/a,...&_count=1000` in batches, or `<type>?_count=1000`. */
export function searchSource(client: FhirClient, patientIds: readonly string[], strategy: FetchStrategy, opts: SourceOptions = {}): ResourceSource {
  const batches = chunks(patientIds, PATIENT_BATCH);
  return {
    units: strategy === 'by-patient' ? batches.length * SCAN_TYPES.length : SCAN_TYPES.length,
    async stream(type, onResource) {
      const search = async (params: Record<string, string>): Promise<void> => {
        const found: ExtractResource<ResourceType>[] = await client.searchAll(type, { ...params, _count: '1000' }, { signal: opts.signal });
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

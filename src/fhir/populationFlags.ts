// The idempotent flag diff of a scan (SPEC §3, §8): what the classification says vs the stored flags.
// New group -> POST with If-None-Exist on the flag identifier; changed -> PUT with If-Match; no longer in
// the group -> PUT status inactive with period.end. Unchanged flags are not written at all, so a re-scan
// of an unchanged list writes nothing.
import type { Bundle, BundleEntry, Flag } from '@medplum/fhirtypes';
import type { Classification, TargetGroup } from '../domain/targetGroups';
import {
  buildTargetGroupFlag,
  closedTargetGroupFlag,
  flagFingerprint,
  flagIdentifierValue,
  readTargetGroupFlag,
  updatedTargetGroupFlag,
  type StoredTargetGroupFlag,
} from './builders/flag';
import { ifMatchVersion, ifNoneExistIdentifier } from './builders/common';
import type { FhirClient } from './client';
import { describeError } from './errors';
import { SYSTEMS } from './systems';

export interface FlagWrite {
  kind: 'create' | 'update' | 'close';
  entry: BundleEntry;
}

export interface FlagWriteSummary {
  created: number;
  updated: number;
  closed: number;
  unchanged: number;
  /** Writes that failed (the scan still finishes), with the reason in bokmål. */
  failed: number;
  errors: string[];
}

/** Our flags among a patient's Flags, by group; of duplicates (should not exist) the latest version wins. */
export function storedFlagsByGroup(flags: readonly Flag[]): Map<TargetGroup, { flag: Flag; stored: StoredTargetGroupFlag }> {
  const byGroup = new Map<TargetGroup, { flag: Flag; stored: StoredTargetGroupFlag }>();
  for (const flag of flags) {
    const stored = readTargetGroupFlag(flag);
    if (!stored) continue;
    const current = byGroup.get(stored.group);
    if (!current || (flag.meta?.lastUpdated ?? '') > (current.flag.meta?.lastUpdated ?? '')) byGroup.set(stored.group, { flag, stored });
  }
  return byGroup;
}

/** The writes that bring one patient's flags in line with the classification. */
export function diffPatientFlags(patientId: string, classification: Classification, flags: readonly Flag[], today: string): { writes: FlagWrite[]; unchanged: number } {
  const stored = storedFlagsByGroup(flags);
  const writes: FlagWrite[] = [];
  let unchanged = 0;
  for (const group of classification.groups) {
    const input = {
      patientId,
      group,
      confirmed: classification.confirmed.includes(group),
      reasons: classification.reasons.filter((r) => r.group === group),
      start: today,
    };
    const existing = stored.get(group);
    if (!existing) {
      const value = flagIdentifierValue(patientId, group);
      writes.push({
        kind: 'create',
        entry: { resource: buildTargetGroupFlag(input), request: { method: 'POST', url: 'Flag', ifNoneExist: ifNoneExistIdentifier(SYSTEMS.flagId, value) } },
      });
      continue;
    }
    const next = updatedTargetGroupFlag(existing.flag, input);
    if (existing.stored.active && flagFingerprint(next) === existing.stored.fingerprint) {
      unchanged++;
      continue;
    }
    writes.push({ kind: 'update', entry: putEntry(next, existing.stored) });
  }
  for (const [group, existing] of stored) {
    if (classification.groups.includes(group) || !existing.stored.active) continue;
    writes.push({ kind: 'close', entry: putEntry(closedTargetGroupFlag(existing.flag, today), existing.stored) });
  }
  return { writes, unchanged };
}

function putEntry(flag: Flag, stored: StoredTargetGroupFlag): BundleEntry {
  return {
    resource: flag,
    request: { method: 'PUT', url: `Flag/${stored.id}`, ...(stored.versionId ? { ifMatch: ifMatchVersion(stored.versionId) } : {}) },
  };
}

/** Flag writes per transaction: small enough for any server, few enough round-trips. */
export const FLAG_BATCH = 100;

/**
 * Writes the flags in transactions of FLAG_BATCH entries. A failed transaction (e.g. 412: someone changed
 * a flag meanwhile) is counted and reported, and the next one is still sent: a scan never stops on it.
 */
export async function writeFlags(
  client: FhirClient,
  writes: readonly FlagWrite[],
  unchanged: number,
  opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<FlagWriteSummary> {
  const summary: FlagWriteSummary = { created: 0, updated: 0, closed: 0, unchanged, failed: 0, errors: [] };
  opts.onProgress?.(0, writes.length);
  for (let i = 0; i < writes.length; i += FLAG_BATCH) {
    opts.signal?.throwIfAborted();
    const batch = writes.slice(i, i + FLAG_BATCH);
    const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: batch.map((w) => w.entry) };
    try {
      const response = await client.transaction(bundle, { signal: opts.signal });
      batch.forEach((w, index) => {
        const status = response.entry?.[index]?.response?.status ?? '';
        if (w.kind === 'create' && status.startsWith('200')) summary.unchanged++; // found by If-None-Exist
        else if (w.kind === 'create') summary.created++;
        else if (w.kind === 'update') summary.updated++;
        else summary.closed++;
      });
    } catch (error) {
      if (opts.signal?.aborted) throw error;
      summary.failed += batch.length;
      summary.errors.push(describeError(error).message);
    }
    opts.onProgress?.(Math.min(i + FLAG_BATCH, writes.length), writes.length);
  }
  return summary;
}

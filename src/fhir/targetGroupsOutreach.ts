// The nurse's outreach worklist (issue "Target groups" point 5; SPEC §3 weak demander, source ch. 4.3):
// the candidates of the latest scan (active target-group Flags), re-classified read-only so that
// "no contact in the last 365 days" is today's truth, with each patient's latest outreach assessment.
import { readTargetGroupFlag } from './builders/flag';
import type { FhirClient } from './client';
import { scanPopulation, type PopulationRow, type ScanProgress } from './population';

export interface OutreachWorklist {
  asOf: string;
  /** False when no scan has written flags yet: the team must run one first. */
  hasScan: boolean;
  /** Weak demanders, by name. */
  rows: PopulationRow[];
}

export async function loadOutreachWorklist(
  client: FhirClient,
  opts: { userId: string; asOf: string; signal?: AbortSignal; onProgress?: (progress: ScanProgress) => void },
): Promise<OutreachWorklist> {
  // R4 Flag has no `status` search parameter: read the flags and keep our active ones.
  const flags = await client.searchAll('Flag', { _count: '1000' }, { signal: opts.signal });
  const patientIds = [...new Set(flags.map(readTargetGroupFlag).flatMap((f) => (f?.active ? [f.patientId] : [])))];
  if (patientIds.length === 0) return { asOf: opts.asOf, hasScan: false, rows: [] };
  const scan = await scanPopulation(client, { kind: 'patients', patientIds }, { ...opts, writeFlags: false });
  const rows = scan.rows.filter((r) => r.weakDemander).sort((a, b) => a.name.localeCompare(b.name, 'nb'));
  return { asOf: opts.asOf, hasScan: true, rows };
}

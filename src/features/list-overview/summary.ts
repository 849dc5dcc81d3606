// Counts and shares per target group, for the practice and per GP (SPEC §3: shown against the source's
// 7-10 % estimate, which the source itself calls uncertain).
import { TARGET_GROUPS, type TargetGroup } from '../../domain/targetGroups';
import type { PopulationRow } from '../../domain/targetGroups/views';

export const SOURCE_ESTIMATE = { low: 0.07, high: 0.1 } as const;

export interface GroupCount {
  candidates: number;
  confirmed: number;
}

export interface Summary {
  key: string;
  label: string;
  patients: number;
  /** Patients in at least one group (candidate or confirmed). */
  inAnyGroup: number;
  weakDemanders: number;
  byGroup: Record<TargetGroup, GroupCount>;
}

function empty(key: string, label: string): Summary {
  const byGroup = {} as Record<TargetGroup, GroupCount>;
  for (const g of TARGET_GROUPS) byGroup[g] = { candidates: 0, confirmed: 0 };
  return { key, label, patients: 0, inAnyGroup: 0, weakDemanders: 0, byGroup };
}

function add(s: Summary, row: PopulationRow): void {
  s.patients++;
  if (row.inTargetGroup) s.inAnyGroup++;
  if (row.weakDemander) s.weakDemanders++;
  for (const m of row.groups) s.byGroup[m.group][m.confirmed ? 'confirmed' : 'candidates']++;
}

/** The practice (first) and each GP, by name. */
export function summarize(rows: readonly PopulationRow[], practiceLabel: string): Summary[] {
  const total = empty('all', practiceLabel);
  const perGp = new Map<string, Summary>();
  for (const row of rows) {
    add(total, row);
    const key = row.gpId ?? '-';
    let gp = perGp.get(key);
    if (!gp) {
      gp = empty(key, row.gpName ?? 'Uten fastlege');
      perGp.set(key, gp);
    }
    add(gp, row);
  }
  const gps = [...perGp.values()].sort((a, b) => a.label.localeCompare(b.label, 'nb'));
  return gps.length > 1 ? [total, ...gps] : [total];
}

/** `0.0734` -> `7,3 %`. */
export function formatShare(part: number, whole: number): string {
  if (whole === 0) return '–';
  return `${((part / whole) * 100).toLocaleString('nb-NO', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}\u00a0%`; // a no-break space: the number and its % stay on one line
}

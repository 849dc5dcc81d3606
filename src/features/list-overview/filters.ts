// Filtering and sorting of the list rows (pure; the table shows the result).
import { matchesPatientSearch } from '../../domain/patientSearch';
import type { TargetGroup } from '../../domain/targetGroups';
import type { PopulationRow } from '../../domain/targetGroups/views';
import type { SortState } from '../../ui/DataTable';

export type Marker = 'weakDemander' | 'needsMedicationReview' | 'needsCarePlan';

export interface ListFilter {
  text: string;
  /**
   * 'in-any' = in at least one group; 'everyone' = the whole list; 'unchecked' = patients with criteria the
   * journal system's data could not decide (issue 16), in a group or not.
   */
  group: TargetGroup | 'in-any' | 'everyone' | 'unchecked';
  marker: Marker | 'none';
  gpId: string;
}

export const DEFAULT_FILTER: ListFilter = { text: '', group: 'in-any', marker: 'none', gpId: 'all' };

export function filterRows(rows: readonly PopulationRow[], f: ListFilter): PopulationRow[] {
  // The patient search of every list (issue 17 item 21): name or birth date, case- and accent-insensitive.
  return rows.filter((r) => {
    if (f.group === 'in-any' && !r.inTargetGroup) return false;
    if (f.group === 'unchecked' && (r.unchecked ?? []).length === 0) return false;
    if (f.group !== 'in-any' && f.group !== 'everyone' && f.group !== 'unchecked' && !r.groups.some((g) => g.group === f.group)) return false;
    if (f.marker !== 'none' && !r[f.marker]) return false;
    if (f.gpId !== 'all' && r.gpId !== f.gpId) return false;
    return matchesPatientSearch({ name: r.name, birthDate: r.birthDate ?? null }, f.text);
  });
}

const collator = new Intl.Collator('nb');

function value(row: PopulationRow, column: string): string | number {
  switch (column) {
    case 'age':
      return row.age ?? -1;
    case 'gp':
      return row.gpName ?? '';
    case 'groups':
      return row.groups.length + Number(row.inTargetGroup);
    case 'markers':
      return Number(row.weakDemander) + Number(row.needsMedicationReview) + Number(row.needsCarePlan);
    default:
      return row.name;
  }
}

export function sortRows(rows: readonly PopulationRow[], sort: SortState): PopulationRow[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = value(a, sort.column);
    const y = value(b, sort.column);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return c !== 0 ? sign * c : collator.compare(a.name, b.name);
  });
}

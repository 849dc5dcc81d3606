// The triage table's order (issue 17 item 14): by default overdue and due-soon first (fewest working days
// left), then by patient; a column header sorts by that column instead. Pure.
import type { InboxView } from './model';

export type TriageSortColumn = 'deadline' | 'patient' | 'discharged' | 'institution';
export interface TriageSort {
  column: TriageSortColumn;
  direction: 'ascending' | 'descending';
}

export const DEFAULT_TRIAGE_SORT: TriageSort = { column: 'deadline', direction: 'ascending' };

const KEYS: Record<TriageSortColumn, (r: InboxView) => string | number> = {
  // No deadline sorts last.
  deadline: (r) => r.workingDaysLeft ?? Number.MAX_SAFE_INTEGER,
  patient: (r) => r.patient?.name.toLocaleLowerCase('nb') ?? '\uffff',
  discharged: (r) => r.dischargeDate ?? r.messageDate ?? '',
  institution: (r) => r.institution.name?.toLocaleLowerCase('nb') ?? '\uffff',
};

export function sortTriageRows(rows: readonly InboxView[], sort: TriageSort): InboxView[] {
  const key = KEYS[sort.column];
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  return [...rows].sort((a, b) => sign * compare(key(a), key(b)) || compare(KEYS.deadline(a), KEYS.deadline(b)) || compare(a.key, b.key));
}

/** A click on a header: the same column flips, another column starts ascending. */
export function nextTriageSort(current: TriageSort, column: TriageSortColumn): TriageSort {
  return current.column === column ? { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' } : { column, direction: 'ascending' };
}

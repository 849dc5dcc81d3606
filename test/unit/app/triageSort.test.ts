// The triage table's order (issue 17 item 14): overdue and due-soon first by default; a header sorts by
// its column, a second click reverses it. Expected orders written by hand.
import { describe, expect, it } from 'vitest';
import type { InboxView } from '../../../src/features/inbox/model';
import { DEFAULT_TRIAGE_SORT, nextTriageSort, sortTriageRows } from '../../../src/features/inbox/sort';

function row(key: string, name: string, workingDaysLeft: number | undefined, dischargeDate: string, institution: string): InboxView {
  return {
    key,
    patientId: key,
    patient: { name, birthDate: null, phone: null, gpId: null },
    institution: { id: null, name: institution },
    dischargeDate,
    messageDate: null,
    deadline: workingDaysLeft === undefined ? null : '2026-11-25',
    summaryRef: null,
    inTargetGroup: false,
    decision: { create: false, reason: 'not-in-target-group' },
    task: null,
    warnings: [],
    errors: [],
    dischargeDateText: dischargeDate,
    needsDateConfirmation: false,
    ...(workingDaysLeft === undefined ? {} : { workingDaysLeft }),
  };
}

const ROWS = [
  row('a', 'Berit Ås', 2, '2026-11-20', 'Ahus'),
  row('b', 'Anne Lie', -1, '2026-11-17', 'Ullevål'),
  row('c', 'Carl Berg', undefined, '2026-11-23', 'Bærum'),
  row('d', 'Dag Moe', 0, '2026-11-19', 'Ahus'),
];
const keys = (rows: readonly InboxView[]) => rows.map((r) => r.key);

describe('sortTriageRows', () => {
  it('puts overdue first, then due today, then later, and rows without a deadline last', () => {
    expect(keys(sortTriageRows(ROWS, DEFAULT_TRIAGE_SORT))).toEqual(['b', 'd', 'a', 'c']);
  });
  it.each([
    ['patient', 'ascending', ['b', 'a', 'c', 'd']],
    ['patient', 'descending', ['d', 'c', 'a', 'b']],
    ['discharged', 'ascending', ['b', 'd', 'a', 'c']],
    ['discharged', 'descending', ['c', 'a', 'd', 'b']],
    // Same institution (Ahus): the more urgent first.
    ['institution', 'ascending', ['d', 'a', 'c', 'b']],
  ] as const)('by %s %s', (column, direction, expected) => {
    expect(keys(sortTriageRows(ROWS, { column, direction }))).toEqual(expected);
  });
  it('a click on the same header reverses, on another starts ascending', () => {
    expect(nextTriageSort({ column: 'deadline', direction: 'ascending' }, 'deadline')).toEqual({ column: 'deadline', direction: 'descending' });
    expect(nextTriageSort({ column: 'deadline', direction: 'descending' }, 'patient')).toEqual({ column: 'patient', direction: 'ascending' });
  });
});

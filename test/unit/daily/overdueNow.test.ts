// Issue 17 item 2: open follow-ups past their deadline show whatever the period, and count as missed.
// Working days counted by hand (no public holidays in Oct-Nov 2026):
// deadline Mon 23 Nov -> Wed 2 Dec: 24, 25, 26, 27, 30 Nov, 1, 2 Dec = 7;
// deadline Tue 20 Oct -> Wed 2 Dec: 3 (21-23 Oct) + 5 x 5 (26 Oct - 27 Nov) + 3 (30 Nov - 2 Dec) = 31.
import { describe, expect, test } from 'vitest';
import { overdueNow, type FollowUpTask } from '../../../src/domain/followUp';
import { computeManagerFigures } from '../../../src/domain/manager/managerFigures';

function task(id: string, deadline: string, over: Partial<FollowUpTask> = {}): FollowUpTask {
  return { id, patientId: `p-${id}`, dischargeKey: id, deadline, status: 'new', owner: 'nurse-1', attempts: [], createdAt: `${deadline}T08:00:00+01:00`, ...over };
}

const ASOF = '2026-12-02';
const TASKS = [
  task('oct', '2026-10-20'),
  task('nov', '2026-11-23', { status: 'attempted', attempts: [{ at: '2026-11-23T10:00:00+01:00', channel: 'phone', by: 'nurse-1', successful: false }] }),
  task('done', '2026-11-23', { status: 'contacted', attempts: [{ at: '2026-11-25T10:00:00+01:00', channel: 'phone', by: 'nurse-1', successful: true }] }),
  task('closed', '2026-11-23', { status: 'closed', closure: { reason: 'deceased', at: '2026-11-24T10:00:00+01:00', by: 'nurse-1' } }),
  task('today', '2026-12-02'),
  task('future', '2026-12-04'),
];

describe('overdueNow', () => {
  test('open tasks past the deadline, most overdue first, with working days overdue', () => {
    expect(overdueNow(TASKS, ASOF).map((o) => [o.task.id, o.workingDaysOverdue])).toEqual([
      ['oct', 31],
      ['nov', 7],
    ]);
  });
});

describe("the daglig leder's figures", () => {
  test('the December view shows November and October overdue tasks', () => {
    const figures = computeManagerFigures({ period: { from: '2026-12-01', to: '2026-12-31' }, asOf: ASOF, charges: [], staff: [], norms: [], tasks: TASKS, population: [] });
    expect(figures.overdueNow.map((o) => o.task.id)).toEqual(['oct', 'nov']);
  });
  test('November: the open overdue task counts as missed, not "I tide 100 %"', () => {
    const figures = computeManagerFigures({ period: { from: '2026-11-01', to: '2026-11-30' }, asOf: ASOF, charges: [], staff: [], norms: [], tasks: TASKS, population: [] });
    // nov: missed; done: late (contact 25 Nov after deadline 23 Nov); closed: excluded (deceased).
    expect(figures.compliance.total).toMatchObject({ met: 0, late: 1, missed: 1, excluded: 1, share: 0 });
  });
});

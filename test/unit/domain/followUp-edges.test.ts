import { describe, expect, it } from 'vitest';
import {
  closeTask,
  complianceClass,
  deadlineCompliance,
  followUpOutcome,
  followUpStatus,
  overdueNow,
  recordAttempt,
  shouldCreateTask,
  sortWorklist,
  type ContactAttempt,
  type FollowUpTask,
} from '../../../src/domain/followUp';

// Edges of the follow-up rules that the mutation run (npm run mutation) showed untested. Expected values by
// hand from SPEC §2 ("Countdown: 0 = due today; a positive number = working days left; after the deadline
// the task is overdue by at least 1") and §4 ("Met = first successful contact on or before the deadline").
// Calendar: Wed 2026-11-25 .. Mon 2026-11-30; no holidays in late November 2026.

const attempt = (at: string, successful: boolean): ContactAttempt => ({ at, channel: 'phone', by: 'nurse-1', successful });
const closure = (at: string) => ({ reason: 'declined' as const, at, by: 'nurse-1' });

function task(overrides: Partial<FollowUpTask> = {}): FollowUpTask {
  return {
    id: 'task-1',
    patientId: 'pat-1',
    dischargeKey: 'pat-1|org:ahus|2026-11-20',
    deadline: '2026-11-25',
    status: 'new',
    owner: 'nurse-1',
    attempts: [],
    createdAt: '2026-11-20T12:00:00+01:00',
    ...overrides,
  };
}

describe('overdueNow ("Forfalt nå"): open tasks past their deadline, most overdue first', () => {
  const tasks = [
    task({ id: 'b', deadline: '2026-11-27' }), // Fri: Mon 30 -> 1 working day overdue
    task({ id: 'a-2', deadline: '2026-11-25' }), // Wed: Thu 26, Fri 27, Mon 30 -> 3
    task({ id: 'a-1', deadline: '2026-11-25' }), // the same, ties by id
    task({ id: 'late', deadline: '2026-11-25', attempts: [attempt('2026-11-26T10:00:00', true)] }), // contacted (late): not open
    task({ id: 'failed', deadline: '2026-11-26', attempts: [attempt('2026-11-26T10:00:00', false)] }), // Fri 27, Mon 30 -> 2
    task({ id: 'closed', deadline: '2026-11-20', closure: closure('2026-11-24T10:00:00') }), // closed: not open
    task({ id: 'closed-today', deadline: '2026-11-20', closure: closure('2026-11-30T08:00:00') }), // closed today: not open
    task({ id: 'closed-later', deadline: '2026-11-20', closure: closure('2026-12-02T10:00:00') }), // not yet closed on the 30th: 23-27, 30 -> 6
    task({ id: 'today', deadline: '2026-11-30' }), // due today: not overdue
  ];

  it('on Monday 2026-11-30', () => {
    expect(overdueNow(tasks, '2026-11-30T09:00:00').map((o) => [o.task.id, o.workingDaysOverdue])).toEqual([
      ['closed-later', 6],
      ['a-1', 3],
      ['a-2', 3],
      ['failed', 2],
      ['b', 1],
    ]);
  });

  it('a closed date does not count as a working day overdue; a Saturday after a Friday deadline is overdue by 1', () => {
    expect(overdueNow([task({ deadline: '2026-11-25' })], '2026-11-30', { closedDates: ['2026-11-26'] })[0]?.workingDaysOverdue).toBe(2);
    expect(overdueNow([task({ deadline: '2026-11-27' })], '2026-11-28')[0]?.workingDaysOverdue).toBe(1);
  });
});

describe('lifecycle messages and status', () => {
  it('a closed task takes no attempt; a closed or contacted task cannot be closed again', () => {
    const closed = task({ status: 'closed', closure: closure('2026-11-24T10:00:00') });
    const contacted = task({ status: 'contacted', attempts: [attempt('2026-11-24T10:00:00', true)] });
    expect(() => recordAttempt(closed, attempt('2026-11-25T10:00:00', true))).toThrow('Follow-up task task-1 is closed; no attempts can be logged');
    expect(() => closeTask(closed, closure('2026-11-25T10:00:00'))).toThrow('Follow-up task task-1 is already closed');
    expect(() => closeTask(contacted, closure('2026-11-25T10:00:00'))).toThrow('Follow-up task task-1 is already contacted');
  });

  it.each([
    [[], undefined, 'new'],
    [[attempt('2026-11-24T10:00:00', false)], undefined, 'attempted'],
    [[attempt('2026-11-24T10:00:00', false)], closure('2026-11-25T10:00:00'), 'closed'],
    [[], closure('2026-11-25T10:00:00'), 'closed'],
    [[attempt('2026-11-24T10:00:00', false), attempt('2026-11-25T10:00:00', true)], undefined, 'contacted'],
  ] as const)('attempts %j, closure %j -> %s', (attempts, c, expected) => {
    expect(followUpStatus(attempts, c)).toBe(expected);
  });

  it('an attempt with a date that does not exist is refused, and the task is unchanged', () => {
    const t = task();
    expect(() => recordAttempt(t, attempt('2026-11-31T10:00:00', true))).toThrow(RangeError);
    expect(t.attempts).toEqual([]);
    expect(() => closeTask(t, closure('2026-11-31T10:00:00'))).toThrow(RangeError);
  });
});

describe('deadlineCompliance', () => {
  it('the unassigned come last, nurses by id, whatever the input order', () => {
    const missed = (owner: string | undefined) => task({ owner, deadline: '2026-11-25' });
    const result = deadlineCompliance([missed(undefined), missed('nurse-b'), missed('nurse-a'), missed(undefined)], { from: '2026-11-25', to: '2026-11-25' }, '2026-11-30');
    expect(result.byNurse.map((n) => [n.nurseId, n.missed])).toEqual([
      ['nurse-a', 1],
      ['nurse-b', 1],
      [null, 2],
    ]);
    expect(result.period).toEqual({ from: '2026-11-25', to: '2026-11-25' });
  });

  it('a reversed period is refused with both ends named', () => {
    expect(() => deadlineCompliance([], { from: '2026-12-01', to: '2026-11-01' }, '2026-12-10')).toThrow(
      'Invalid period "2026-12-01".."2026-11-01": from is after to',
    );
  });

  it('the period and asOf are Oslo dates', () => {
    const result = deadlineCompliance([], { from: '2026-10-31T23:30:00Z', to: '2026-11-30T22:59:00Z' }, '2026-12-09T23:30:00Z');
    expect([result.period, result.asOf]).toEqual([{ from: '2026-11-01', to: '2026-11-30' }, '2026-12-10']);
  });
});

describe('more edges from the second mutation run', () => {
  it('the first successful contact decides, also when it comes first in the list', () => {
    // Deadline Wed 25: contact on Tue 24 (met), another on Fri 27.
    const contacts = [attempt('2026-11-24T10:00:00', true), attempt('2026-11-27T10:00:00', true)];
    expect(followUpOutcome('2026-11-25', contacts, '2026-11-30')).toBe('met');
  });

  it.each([
    ['a late contact stays late after a later closure', task({ attempts: [attempt('2026-11-27T10:00:00', true)], closure: closure('2026-11-28T10:00:00') }), '2026-12-10', 'late'],
    ['a closure on the asOf day counts that day (deceased: excluded)', task({ deadline: '2026-12-15', closure: { reason: 'deceased', at: '2026-12-10T09:00:00', by: 'nurse-1' } }), '2026-12-10', 'excluded'],
  ] as const)('%s', (_name, t, asOf, expected) => {
    expect(complianceClass(t, asOf)).toBe(expected);
  });

  it('urgency comes before the deadline: an overdue task before a done one with an earlier deadline', () => {
    const items = [
      { id: 'done', deadline: '2026-11-20', status: 'contacted' as const },
      { id: 'overdue', deadline: '2026-11-24', status: 'new' as const },
    ];
    expect(sortWorklist(items, '2026-11-30').map((i) => [i.id, i.urgency])).toEqual([
      ['overdue', 'overdue'],
      ['done', 'done'],
    ]);
  });

  it('a task is not requested by a user unless said so', () => {
    expect(shouldCreateTask('none', { deadline: '2026-11-25', firstSeen: '2026-11-21' })).toEqual({ create: false, reason: 'not-in-target-group' });
  });
});

import { describe, expect, it } from 'vitest';
import {
  closeTask,
  complianceClass,
  deadlineCompliance,
  FOLLOW_UP_CLOSE_REASON_TEXT,
  FOLLOW_UP_CLOSE_REASONS,
  followUpOutcome,
  followUpStatus,
  isHistoricDischarge,
  recordAttempt,
  shouldCreateTask,
  sortWorklist,
  type ContactAttempt,
  type FollowUpCloseReason,
  type FollowUpTask,
  type TargetStatus,
} from '../../../src/domain/followUp';

const attempt = (at: string, successful: boolean, by = 'nurse-1'): ContactAttempt => ({ at, channel: 'phone', by, successful });

function task(overrides: Partial<FollowUpTask> = {}): FollowUpTask {
  return {
    id: 'task-1',
    patientId: 'pat-1',
    dischargeKey: 'pat-1|org:ahus|2026-11-20',
    dischargeDate: '2026-11-20',
    deadline: '2026-11-25',
    status: 'new',
    owner: 'nurse-1',
    attempts: [],
    createdAt: '2026-11-20T12:00:00+01:00',
    ...overrides,
  };
}

describe('followUpOutcome', () => {
  // Deadline Wed 2026-11-25.
  it.each([
    ['no contact, before deadline', [], '2026-11-23', 'pending'],
    ['no contact, due today', [], '2026-11-25', 'pending'],
    ['no contact, the day after', [], '2026-11-26', 'missed'],
    ['failed attempts only, passed', [attempt('2026-11-24T10:00:00+01:00', false)], '2026-11-27', 'missed'],
    ['contact on the deadline', [attempt('2026-11-25T15:00:00+01:00', true)], '2026-11-30', 'met'],
    ['contact at 23:30 Oslo on the deadline (22:30Z)', [attempt('2026-11-25T22:30:00Z', true)], '2026-11-30', 'met'],
    ['contact at 00:30 Oslo the day after (23:30Z)', [attempt('2026-11-25T23:30:00Z', true)], '2026-11-30', 'late'],
    ['contact before the deadline', [attempt('2026-11-23T09:00:00', true)], '2026-11-23', 'met'],
    ['late contact', [attempt('2026-11-27T09:00:00', true)], '2026-11-30', 'late'],
    [
      'first successful contact decides, not the last',
      [attempt('2026-11-27T09:00:00', true), attempt('2026-11-24T09:00:00', true)],
      '2026-11-30',
      'met',
    ],
    ['a contact after today is ignored (as-of view)', [attempt('2026-11-24T09:00:00', true)], '2026-11-23', 'pending'],
    ['a contact after today is ignored, passed', [attempt('2026-11-27T09:00:00', true)], '2026-11-26', 'missed'],
  ] as const)('%s -> %s', (_label, contacts, today, expected) => {
    expect(followUpOutcome('2026-11-25', contacts, today)).toBe(expected);
  });

  it('rejects invalid dates with RangeError', () => {
    expect(() => followUpOutcome('2026-02-30', [], '2026-11-25')).toThrow(RangeError);
    expect(() => followUpOutcome('2026-11-25', [attempt('yesterday', true)], '2026-11-25')).toThrow('"yesterday"');
  });
});

describe('lifecycle', () => {
  it.each([
    [[], undefined, 'new'],
    [[attempt('2026-11-23T09:00:00', false)], undefined, 'attempted'],
    [[attempt('2026-11-23T09:00:00', false), attempt('2026-11-23T14:00:00', true)], undefined, 'contacted'],
    [[], { reason: 'deceased', at: '2026-11-22T10:00:00', by: 'sec-1' }, 'closed'],
    [[attempt('2026-11-23T09:00:00', false)], { reason: 'declined', at: '2026-11-23T10:00:00', by: 'nurse-1' }, 'closed'],
  ] as const)('attempts %j, closure %j -> %s', (attempts, closure, expected) => {
    expect(followUpStatus(attempts, closure)).toBe(expected);
  });

  it('new -> attempted -> contacted', () => {
    const t1 = recordAttempt(task(), attempt('2026-11-23T09:00:00', false));
    expect(t1.status).toBe('attempted');
    const t2 = recordAttempt(t1, attempt('2026-11-24T09:00:00', true));
    expect(t2.status).toBe('contacted');
    expect(t2.attempts).toHaveLength(2);
    expect(task().attempts).toHaveLength(0); // pure
  });

  it('close with a reason; closed takes no attempts; contacted cannot be closed', () => {
    const closed = closeTask(task(), { reason: 'readmitted', at: '2026-11-22T10:00:00', by: 'sec-1' });
    expect(closed.status).toBe('closed');
    expect(() => recordAttempt(closed, attempt('2026-11-23T09:00:00', true))).toThrow('closed');
    const contacted = recordAttempt(task(), attempt('2026-11-23T09:00:00', true));
    expect(() => closeTask(contacted, { reason: 'declined', at: '2026-11-24T10:00:00', by: 'nurse-1' })).toThrow('contacted');
  });

  it('every close reason has a Norwegian label', () => {
    expect(FOLLOW_UP_CLOSE_REASONS).toHaveLength(7);
    for (const reason of FOLLOW_UP_CLOSE_REASONS) expect(FOLLOW_UP_CLOSE_REASON_TEXT[reason]).toMatch(/\S/);
  });
});

describe('isHistoricDischarge and shouldCreateTask', () => {
  it.each([
    ['2026-01-01', '2026-01-31', false, '30 days after the deadline is not yet history'],
    ['2026-01-01', '2026-02-01', true, '31 days is history'],
    ['2026-01-01', '2026-01-31T23:30:00Z', true, 'first seen 00:30 Oslo on 1 Feb'],
    ['2026-01-01', '2025-12-30', false, 'seen before the deadline'],
  ])('deadline %s, first seen %s -> %s (%s)', (deadline, firstSeen, expected) => {
    expect(isHistoricDischarge(deadline, firstSeen)).toBe(expected);
  });

  const fresh = { deadline: '2026-11-25', firstSeen: '2026-11-21T08:00:00' };
  const old = { deadline: '2026-01-05', firstSeen: '2026-11-21T08:00:00' };
  it.each([
    ['confirmed', fresh, false, true, 'target-group'],
    ['candidate', fresh, false, true, 'target-group'],
    ['none', fresh, false, false, 'not-in-target-group'],
    ['none', fresh, true, true, 'requested-by-user'],
    ['confirmed', old, false, false, 'historic'],
    ['none', old, false, false, 'historic'],
    ['confirmed', old, true, true, 'requested-by-user'],
    ['confirmed', { ...fresh, hasErrors: true }, false, false, 'has-errors'],
    ['confirmed', { ...fresh, hasErrors: true }, true, false, 'has-errors'],
    ['confirmed', { firstSeen: fresh.firstSeen }, false, false, 'has-errors'],
    ['confirmed', { ...fresh, hasTask: true }, true, false, 'task-exists'],
  ] as const)('%s %j requested=%s -> create=%s (%s)', (status, discharge, requested, create, reason) => {
    expect(shouldCreateTask(status as TargetStatus, discharge, requested)).toEqual({ create, reason });
  });
});

describe('sortWorklist', () => {
  const today = '2026-11-25'; // Wednesday
  const items = [
    { id: 'f', deadline: '2026-11-27', status: 'new' as const },
    { id: 'e', deadline: '2026-11-26', status: 'attempted' as const },
    { id: 'd2', deadline: '2026-11-25', status: 'new' as const },
    { id: 'd1', deadline: '2026-11-25', status: 'attempted' as const },
    { id: 'c', deadline: '2026-11-24', status: 'new' as const },
    { id: 'b', deadline: '2026-11-20', status: 'attempted' as const },
    { id: 'x', deadline: '2026-11-19', status: 'contacted' as const },
    { id: 'y', deadline: '2026-11-30', status: 'closed' as const },
    { id: 'a', deadline: '2026-11-20', status: 'new' as const },
  ];

  it('overdue first (oldest first), then due today, then by deadline, done last; ties by id', () => {
    const sorted = sortWorklist(items, today);
    expect(sorted.map((i) => i.id)).toEqual(['a', 'b', 'c', 'd1', 'd2', 'e', 'f', 'x', 'y']);
    expect(sorted.map((i) => i.urgency)).toEqual([
      'overdue', 'overdue', 'overdue', 'due-today', 'due-today', 'upcoming', 'upcoming', 'done', 'done',
    ]);
    expect(sorted.map((i) => i.workingDaysLeft)).toEqual([-3, -3, -1, 0, 0, 1, 2, -4, 3]);
  });

  it('is independent of input order and keeps the item fields', () => {
    const reversed = sortWorklist([...items].reverse(), today);
    expect(reversed.map((i) => i.id)).toEqual(['a', 'b', 'c', 'd1', 'd2', 'e', 'f', 'x', 'y']);
    expect(reversed[0]).toMatchObject({ id: 'a', deadline: '2026-11-20', status: 'new' });
  });

  it('on a Saturday a Friday deadline is overdue; the calendar shapes the countdown', () => {
    const sat = sortWorklist([{ id: 'a', deadline: '2026-11-20', status: 'new' }], '2026-11-21');
    expect(sat[0]).toMatchObject({ urgency: 'overdue', workingDaysLeft: -1 });
    const closed = sortWorklist([{ id: 'a', deadline: '2026-12-30', status: 'new' }], '2026-12-23', { closedDates: ['2026-12-24'] });
    expect(closed[0]?.workingDaysLeft).toBe(3);
  });
});

describe('deadlineCompliance', () => {
  const period = { from: '2026-11-01', to: '2026-11-30' };
  const asOf = '2026-12-10';
  const closure = (reason: FollowUpCloseReason, at: string) => ({ reason, at, by: 'nurse-1' });

  it.each([
    ['met', task({ attempts: [attempt('2026-11-24T10:00:00', true)] }), 'met'],
    ['late', task({ attempts: [attempt('2026-11-27T10:00:00', true)] }), 'late'],
    ['missed', task({ attempts: [attempt('2026-11-24T10:00:00', false)] }), 'missed'],
    ['deceased closed after the deadline', task({ closure: closure('deceased', '2026-11-28T10:00:00') }), 'excluded'],
    ['readmitted closed before', task({ closure: closure('readmitted', '2026-11-22T10:00:00') }), 'excluded'],
    ['not needed, decided by the deadline', task({ closure: closure('not-needed-after-assessment', '2026-11-25T16:00:00') }), 'excluded'],
    ['not needed, decided after the deadline', task({ closure: closure('not-needed-after-assessment', '2026-11-26T09:00:00') }), 'missed'],
    ['declined after the deadline', task({ closure: closure('declined', '2026-11-27T09:00:00') }), 'missed'],
    ['contact wins over a later closure', task({ attempts: [attempt('2026-11-24T10:00:00', true)], closure: closure('declined', '2026-11-27T09:00:00') }), 'met'],
    ['closure after asOf is not yet known', task({ deadline: '2026-12-15', closure: closure('deceased', '2026-12-12T09:00:00') }), 'pending'],
  ])('%s -> %s', (_label, t, expected) => {
    expect(complianceClass(t, asOf)).toBe(expected);
  });

  it('counts per nurse and in total the tasks whose deadline falls in the period', () => {
    const tasks = [
      task({ owner: 'nurse-a', deadline: '2026-11-02', attempts: [attempt('2026-11-02T10:00:00', true)] }), // met
      task({ owner: 'nurse-a', deadline: '2026-11-10', attempts: [attempt('2026-11-09T10:00:00', true)] }), // met
      task({ owner: 'nurse-a', deadline: '2026-11-12', attempts: [attempt('2026-11-13T10:00:00', true)] }), // late
      task({ owner: 'nurse-b', deadline: '2026-11-30', attempts: [] }), // missed
      task({ owner: 'nurse-b', deadline: '2026-11-30', attempts: [attempt('2026-11-30T23:30:00Z', true, 'nurse-a')] }), // late (1 Dec Oslo), owner b
      task({ owner: 'nurse-b', deadline: '2026-11-20', closure: closure('deceased', '2026-11-19T10:00:00') }), // excluded
      task({ owner: undefined, deadline: '2026-11-16', attempts: [] }), // missed, unassigned
      task({ owner: 'nurse-a', deadline: '2026-10-31', attempts: [] }), // outside: before
      task({ owner: 'nurse-a', deadline: '2026-12-01', attempts: [] }), // outside: after
    ];
    const result = deadlineCompliance(tasks, period, asOf);
    expect(result.total).toEqual({ due: 6, met: 2, late: 2, missed: 2, pending: 0, excluded: 1, share: 2 / 6 });
    expect(result.byNurse).toEqual([
      { nurseId: 'nurse-a', due: 3, met: 2, late: 1, missed: 0, pending: 0, excluded: 0, share: 2 / 3 },
      { nurseId: 'nurse-b', due: 2, met: 0, late: 1, missed: 1, pending: 0, excluded: 1, share: 0 },
      { nurseId: null, due: 1, met: 0, late: 0, missed: 1, pending: 0, excluded: 0, share: 0 },
    ]);
    expect(result.period).toEqual(period);
  });

  it('pending tasks are due but not in the share; an empty period has share null', () => {
    const running = deadlineCompliance(
      [task({ deadline: '2026-11-25', attempts: [attempt('2026-11-23T10:00:00', true)] }), task({ deadline: '2026-11-27' })],
      period,
      '2026-11-25',
    );
    expect(running.total).toMatchObject({ due: 2, met: 1, pending: 1, share: 1 });
    expect(deadlineCompliance([], period, asOf)).toEqual({
      period,
      asOf,
      total: { due: 0, met: 0, late: 0, missed: 0, pending: 0, excluded: 0, share: null },
      byNurse: [],
    });
  });

  it('a past period is reproducible: later contacts do not change it', () => {
    const t = task({ deadline: '2026-11-25', attempts: [attempt('2026-12-05T10:00:00', true)] });
    expect(deadlineCompliance([t], period, '2026-12-01').total.missed).toBe(1);
    expect(deadlineCompliance([t], period, '2026-12-10').total.late).toBe(1);
  });

  it('rejects a reversed period', () => {
    expect(() => deadlineCompliance([], { from: '2026-12-01', to: '2026-11-01' }, asOf)).toThrow(RangeError);
  });
});

// The seed places discharges with its own small working-day calendar; it must agree with date-holidays
// (the test's independent helper) on every day of several years, and with SPEC §2's deadline table.
import { describe, expect, test } from 'vitest';
import { followUpDeadline, isWorkingDay, osloDateTime } from '../../../sandbox/seed/calendar';
import { deadlineForTest, isWorkingDayForTest, shiftDate } from './osloTestHelpers';

describe('seed calendar', () => {
  test('agrees with date-holidays on every day 2024-2032', () => {
    const disagree: string[] = [];
    for (let d = '2024-01-01'; d < '2033-01-01'; d = shiftDate(d, 1)) {
      if (isWorkingDay(d) !== isWorkingDayForTest(d)) disagree.push(d);
    }
    expect(disagree).toEqual([]);
  });

  test.each([
    ['2026-11-20', '2026-11-25'],
    ['2026-11-21', '2026-11-25'],
    ['2026-04-01', '2026-04-09'],
    ['2026-05-13', '2026-05-19'],
    ['2026-12-24', '2026-12-30'],
  ])('SPEC §2 table: discharged %s -> deadline %s', (discharged, deadline) => {
    expect(followUpDeadline(discharged)).toBe(deadline);
    expect(deadlineForTest(discharged)).toBe(deadline);
  });

  test.each([
    ['2026-03-28', 600, '2026-03-28T10:00:00+01:00'],
    ['2026-03-29', 600, '2026-03-29T10:00:00+02:00'],
    ['2026-10-24', 600, '2026-10-24T10:00:00+02:00'],
    ['2026-10-25', 600, '2026-10-25T10:00:00+01:00'],
  ])('Oslo offset on %s', (date, minutes, expected) => {
    expect(osloDateTime(date, minutes)).toBe(expected);
  });
});

// Issue 17 item 8: month-to-date code usage is compared with the expected count for the working days
// elapsed, not the whole month. December 2026 counted by hand: Tue 1 .. Thu 31 has 23 weekdays, minus
// 1. juledag (Fri 25; 2. juledag is a Saturday) = 22 working days; by Wed 2 December: 1, 2 = 2 days;
// by Thu 10 December: 1-4, 7-10 = 8 days.
import { describe, expect, test } from 'vitest';
import { codeUsage } from '../../../src/domain/manager/codeUsage';
import { computeManagerFigures } from '../../../src/domain/manager/managerFigures';
import type { StaffMember, TariffNorm } from '../../../src/domain/manager/types';

const NORMS: TariffNorm[] = [{ code: 'S2a', text: 'Oppfølging hos sykepleier', profession: 'nurse', expectedPerYear: 1380 }];
const STAFF: StaffMember[] = [{ id: 'nurse-1', name: 'Sykepleier En', role: 'nurse', positionPercent: 100 }];
const DECEMBER = { from: '2026-12-01', to: '2026-12-31' };

describe('expected counts pro-rated to the working days elapsed', () => {
  test.each([
    ['2026-11-30', 0, 0],
    ['2026-12-02', 2, 12], // 1380 x 2 / 230
    ['2026-12-10', 8, 48], // 1380 x 8 / 230
    ['2026-12-31', 22, 132],
    ['2027-01-05', 22, 132],
  ])('as of %s: %i working days, %i expected', (asOf, days, expected) => {
    const usage = codeUsage([], STAFF, NORMS, DECEMBER, { asOf });
    expect(usage.workingDays).toBe(days);
    expect(usage.periodWorkingDays).toBe(22);
    expect(usage.rows[0]?.expected).toBeCloseTo(expected, 10);
  });

  test("the manager's figures use asOf", () => {
    const figures = computeManagerFigures({ period: DECEMBER, asOf: '2026-12-02', charges: [], staff: STAFF, norms: NORMS, tasks: [], population: [] });
    expect(figures.codeUsage.rows[0]?.expected).toBeCloseTo(12, 10);
  });
});

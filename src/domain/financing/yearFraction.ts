// "So far this year" (issue 18 items 1-3): two bases, each for the figures it fits. No clock: pass asOf.
// - yearFraction: the share of the calendar year's working days (the practice's calendar: 253 in 2026 without
//   closed dates) from 1 January to asOf. For what belongs to the calendar year: the flat grant so far, and
//   the helårsanslag of registered egenandel and tariffs (the practice bills on all its working days).
// - nurseYearFraction: Table 1's nurse-year, 230 working days (46 weeks; SPEC §5), the same basis as the code
//   usage tab (src/domain/manager/codeUsage.ts): elapsed working days / 230, at most one nurse-year. For what
//   Table 1 expects of a nurse: the expected tariff income and counts so far.
import type { CalendarOptions } from '../calendar';
import { WORKING_DAYS_PER_NURSE_YEAR, workingDaysInPeriod } from '../manager/period';

export interface YearFraction {
  elapsed: number;
  total: number;
  fraction: number;
}

export function yearFraction(asOf: string, cal?: CalendarOptions): YearFraction {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new RangeError(`asOf må være en dato ÅÅÅÅ-MM-DD, fikk «${asOf}»`);
  const year = asOf.slice(0, 4);
  const total = workingDaysInPeriod({ from: `${year}-01-01`, to: `${year}-12-31` }, cal);
  // At least one working day, so 1-2 January (holiday and weekend) still give a usable fraction.
  const elapsed = Math.max(1, workingDaysInPeriod({ from: `${year}-01-01`, to: asOf }, cal));
  return { elapsed, total, fraction: elapsed / total };
}

export interface NurseYearFraction {
  /** Working days elapsed (the same count as YearFraction.elapsed). */
  elapsed: number;
  /** Working days in Table 1's nurse-year (230, SPEC §5). */
  total: number;
  /** min(1, elapsed / total): a nurse-year is never more than one year. */
  fraction: number;
}

export function nurseYearFraction(year: YearFraction): NurseYearFraction {
  return { elapsed: year.elapsed, total: WORKING_DAYS_PER_NURSE_YEAR, fraction: Math.min(1, year.elapsed / WORKING_DAYS_PER_NURSE_YEAR) };
}

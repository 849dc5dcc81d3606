// "So far this year" (issue 18 items 1-2): the share of the calendar year's working days from 1 January
// to asOf inclusive, from the project's working-day calendar (src/domain/calendar.ts). No clock: pass asOf.
import type { CalendarOptions } from '../calendar';
import { workingDaysInPeriod } from '../manager/period';

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

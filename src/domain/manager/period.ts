// Period arithmetic on Oslo calendar dates (YYYY-MM-DD strings compare correctly as text).
import { isWorkingDay, osloDate, type CalendarOptions } from '../calendar';
import type { Period } from './types';

/** Working days per nurse-year implied by Table 1's frequencies: 46 weeks x 5 days (SPEC §5). */
export const WORKING_DAYS_PER_NURSE_YEAR = 230;

export function inPeriod(date: string, period: Period): boolean {
  return date >= period.from && date <= period.to;
}

/** Oslo date of a service time: the day a charge belongs to (SPEC §2, §6). */
export function serviceDay(at: string): string {
  return osloDate(at);
}

/**
 * A per-call memo of charges' service days: the figures look at each charge's day several times, and
 * the Oslo conversion dominates a year of a large practice (bench/manager.ts).
 */
export function serviceDayMemo(): (c: { at: string }) => string {
  const days = new Map<string, string>();
  return (c) => {
    let d = days.get(c.at);
    if (d === undefined) {
      d = osloDate(c.at);
      days.set(c.at, d);
    }
    return d;
  };
}

export function nextDate(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The part of a period that has happened by `asOf` (inclusive), or undefined when the period has not
 * started. Month-to-date figures compare against this part, not the whole period (issue 17 item 8).
 */
export function elapsedPart(period: Period, asOf: string): Period | undefined {
  if (asOf < period.from) return undefined;
  return { from: period.from, to: asOf < period.to ? asOf : period.to };
}

export function workingDaysInPeriod(period: Period, cal?: CalendarOptions): number {
  if (period.to < period.from) throw new RangeError(`Perioden slutter før den starter: ${period.from}–${period.to}`);
  let n = 0;
  for (let d = period.from; d <= period.to; d = nextDate(d)) if (isWorkingDay(d, cal)) n++;
  return n;
}

/** Calendar months covering a period, as periods clipped to it (for trends). */
export function monthsOf(period: Period): Period[] {
  const out: Period[] = [];
  let start = period.from;
  while (start <= period.to) {
    const [y, m] = start.split('-').map(Number) as [number, number];
    const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const monthEnd = `${start.slice(0, 8)}${String(lastDay).padStart(2, '0')}`;
    const end = monthEnd < period.to ? monthEnd : period.to;
    out.push({ from: start, to: end });
    start = nextDate(end);
  }
  return out;
}

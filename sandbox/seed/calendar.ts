// Calendar arithmetic on Oslo calendar dates ('YYYY-MM-DD'), done in UTC so no local time zone or
// daylight-saving change can shift a date. The seed needs its own small copy of the SPEC §2 working-day
// rule to *place* discharges (due today, overdue); the app's rule lives in src/domain.

const DAY_MS = 86_400_000;

// Memoised: the seed does millions of date steps over a few tens of thousands of distinct days.
const parsed = new Map<string, number>();
const formatted = new Map<number, string>();

export function parseDate(date: string): number {
  const hit = parsed.get(date);
  if (hit !== undefined) return hit;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`Not a date (YYYY-MM-DD): ${date}`);
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(t).toISOString().slice(0, 10) !== date) throw new Error(`No such date: ${date}`);
  parsed.set(date, t);
  return t;
}

export function formatDate(t: number): string {
  const hit = formatted.get(t);
  if (hit !== undefined) return hit;
  const s = new Date(t).toISOString().slice(0, 10);
  formatted.set(t, s);
  return s;
}

export function addDays(date: string, days: number): string {
  return formatDate(parseDate(date) + days * DAY_MS);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((parseDate(to) - parseDate(from)) / DAY_MS);
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(parseDate(date)).getUTCDay();
}

// Working days and the follow-up deadline are the app's own rules (SPEC §2): the seed places discharges
// with exactly the calendar the app judges them by.
export { followUpDeadline, isWorkingDay } from '../../src/domain/calendar';

/** Oslo's UTC offset on a date, valid for wall-clock times 03:00-24:00 (we never place events 01-03). */
export function osloOffset(date: string): '+01:00' | '+02:00' {
  const year = Number(date.slice(0, 4));
  const lastSunday = (month: number): string => {
    const last = Date.UTC(year, month, 0); // day 0 of the next month = last day of `month`
    return formatDate(last - new Date(last).getUTCDay() * DAY_MS);
  };
  return date >= lastSunday(3) && date < lastSunday(10) ? '+02:00' : '+01:00';
}

/** An Oslo wall-clock time as a FHIR dateTime with its offset, e.g. 2026-11-20T14:05:00+01:00. */
export function osloDateTime(date: string, minutesAfterMidnight: number): string {
  const hh = String(Math.floor(minutesAfterMidnight / 60)).padStart(2, '0');
  const mm = String(minutesAfterMidnight % 60).padStart(2, '0');
  return `${date}T${hh}:${mm}:00${osloOffset(date)}`;
}

/** Full years between a birth date and a reference date. */
export function ageOn(birthDate: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

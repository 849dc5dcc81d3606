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

/** Easter Sunday (anonymous Gregorian algorithm). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const holidayCache = new Map<number, Set<string>>();

/** Norwegian public holidays of a year (SPEC §2). */
export function publicHolidays(year: number): Set<string> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const easter = easterSunday(year);
  const set = new Set<string>([
    `${year}-01-01`,
    addDays(easter, -3),
    addDays(easter, -2),
    easter,
    addDays(easter, 1),
    `${year}-05-01`,
    `${year}-05-17`,
    addDays(easter, 39),
    addDays(easter, 49),
    addDays(easter, 50),
    `${year}-12-25`,
    `${year}-12-26`,
  ]);
  holidayCache.set(year, set);
  return set;
}

export function isWorkingDay(date: string): boolean {
  const wd = weekday(date);
  return wd !== 0 && wd !== 6 && !publicHolidays(Number(date.slice(0, 4))).has(date);
}

/** SPEC §2: the 3rd working day strictly after the Oslo discharge date. */
export function followUpDeadline(dischargeDate: string): string {
  let d = dischargeDate;
  let count = 0;
  while (count < 3) {
    d = addDays(d, 1);
    if (isWorkingDay(d)) count++;
  }
  return d;
}

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

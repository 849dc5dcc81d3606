// Working days and the 3-working-day discharge follow-up deadline (SPEC §2, source ch. 4.3).
//
// Dates are Europe/Oslo calendar dates 'YYYY-MM-DD'. Internally a date is a day number (days since
// 1970-01-01), so the hot paths (followUpDeadline, workingDaysUntil) allocate no Date objects.
//
// Holidays come from holidays-no.json, generated from the maintained date-holidays library by
// scripts/gen-holidays.ts (importing date-holidays itself costs ~241 KB gzip in the browser bundle;
// see that script). The table covers HOLIDAY_RANGE; a working-day question outside it throws a
// RangeError rather than guessing.
import holidayTable from './holidays-no.json';

export interface CalendarOptions {
  /** The practice is open on Saturdays (SPEC §2: default off). A Saturday holiday stays closed. */
  saturdayIsWorkingDay?: boolean;
  /** Dates the practice is closed ('YYYY-MM-DD'), e.g. 24 and 31 Dec or fellesferie. Treat as immutable. */
  closedDates?: string[];
}

export interface PublicHoliday {
  date: string;
  /** Norwegian name(s); two holidays can share a date (17 May 2027 is also Whit Monday). */
  names: string[];
  /** The names joined with " og ", for display. */
  name: string;
}

// ---------------------------------------------------------------------------------------------
// Day numbers

const DAYS_PER_400_YEARS = 146097;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function dayNumber(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * DAYS_PER_400_YEARS + doe - 719468;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** 'YYYY-MM-DD' of a day number (H. Hinnant's civil_from_days). */
function formatDay(dn: number): string {
  const z = dn + 719468;
  const era = Math.floor(z / DAYS_PER_400_YEARS);
  const doe = z - era * DAYS_PER_400_YEARS;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

/** 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday). */
function weekday(dn: number): number {
  return (((dn + 4) % 7) + 7) % 7;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function invalid(what: string, value: unknown, expected: string): RangeError {
  return new RangeError(`Invalid ${what} ${describe(value)}: expected ${expected}`);
}

// FHIR dateTime/instant, plus HH:mm without seconds. No offset = Oslo local time (SPEC §2). The accepted
// form (DATE_TIME_RE) is /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.

function checkedDayNumber(y: number, m: number, d: number, value: unknown, what: string): number {
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) throw invalid(what, value, 'an existing calendar date YYYY-MM-DD');
  return dayNumber(y, m, d);
}

/** Day number of a strict 'YYYY-MM-DD'. */
function parseDate(value: string, what = 'date'): number {
  // Exactly /^(\d{4})-(\d{2})-(\d{2})$/, read by character codes: no match array or substrings (the mapper
  // reads a date per resource).
  if (typeof value !== 'string' || value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) throw invalid(what, value, 'a date YYYY-MM-DD');
  const y = digits(value, 0, 4);
  const m = digits(value, 5, 2);
  const d = digits(value, 8, 2);
  if (y < 0 || m < 0 || d < 0) throw invalid(what, value, 'a date YYYY-MM-DD');
  return checkedDayNumber(y, m, d, value, what);
}

/** The number written by `count` ASCII digits of `s` from `from`; -1 when one is not a digit. */
function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Oslo time zone

// Oslo's UTC offset per UTC day, read from the platform's tz database (Intl) once per day and cached.
// The offset is taken at 12:00 UTC: Norway changes offset at 01:00 UTC (EU rule), and before 01:00 UTC
// a +01/+02 offset cannot move the local date, so the noon offset gives the right date all day.
const osloOffsetByUtcDay = new Map<number, number>();
const osloFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Oslo',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export interface OsloWallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The Oslo wall-clock reading of an instant (the platform's tz database, via Intl). */
export function osloWallClock(at: Date): OsloWallClock {
  const p: Record<string, number> = {};
  for (const part of osloFormatter.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p.year ?? 0, month: p.month ?? 0, day: p.day ?? 0, hour: p.hour ?? 0, minute: p.minute ?? 0, second: p.second ?? 0 };
}

function osloOffsetMinutes(utcDay: number): number {
  const cached = osloOffsetByUtcDay.get(utcDay);
  if (cached !== undefined) return cached;
  const noonUtcMinutes = utcDay * 1440 + 720;
  const parts = osloWallClock(new Date(noonUtcMinutes * 60_000));
  const localMinutes = dayNumber(parts.year, parts.month, parts.day) * 1440 + parts.hour * 60 + parts.minute;
  const offset = localMinutes - noonUtcMinutes;
  osloOffsetByUtcDay.set(utcDay, offset);
  return offset;
}

// The fields of a date-time as DATE_TIME_RE would capture them, read by character codes (the mapper
// reads a date-time per resource): no match array, no substrings. scanDateTime accepts exactly the
// strings DATE_TIME_RE matches; zoneSign 0 = no zone, 2 = 'Z', 1/-1 = '+'/'-' with zoneHours:zoneMinutes.
const scanned = { y: 0, mo: 0, d: 0, hour: 0, minute: 0, second: 0, zoneSign: 0, zoneHours: 0, zoneMinutes: 0 };

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

function scanDateTime(s: string): boolean {
  const n = s.length;
  if (n < 16 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58) return false;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  if (y < 0 || mo < 0 || d < 0 || hour < 0 || minute < 0) return false;
  let i = 16;
  let second = 0;
  if (i < n && s.charCodeAt(i) === 58) {
    if (i + 3 > n) return false;
    second = digits(s, i + 1, 2);
    if (second < 0) return false;
    i += 3;
    if (i < n && s.charCodeAt(i) === 46) {
      let j = i + 1;
      while (j < n && isDigitAt(s, j)) j++;
      if (j === i + 1) return false;
      i = j;
    }
  }
  let zoneSign = 0;
  let zoneHours = 0;
  let zoneMinutes = 0;
  if (i < n) {
    const c = s.charCodeAt(i);
    if (c === 90 && i + 1 === n) zoneSign = 2;
    else if ((c === 43 || c === 45) && i + 6 === n && s.charCodeAt(i + 3) === 58) {
      zoneHours = digits(s, i + 1, 2);
      zoneMinutes = digits(s, i + 4, 2);
      if (zoneHours < 0 || zoneMinutes < 0) return false;
      zoneSign = c === 43 ? 1 : -1;
    } else return false;
  }
  scanned.y = y;
  scanned.mo = mo;
  scanned.d = d;
  scanned.hour = hour;
  scanned.minute = minute;
  scanned.second = second;
  scanned.zoneSign = zoneSign;
  scanned.zoneHours = zoneHours;
  scanned.zoneMinutes = zoneMinutes;
  return true;
}

/** Two ASCII digits of `s` at `i` as a number; -1 when either is not a digit. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a < 0 || a > 9 || b < 0 || b > 9 ? -1 : a * 10 + b;
}

/**
 * The common shapes of a date-time ('YYYY-MM-DDThh:mm:ss' with '±hh:mm', 'Z' or no zone) whose Oslo
 * date is the date written, checked as osloDayNumber checks them but without the day number (the mapper
 * reads a date-time per resource). False for anything else, which osloDayNumber then reads (or refuses).
 */
function writtenDateTime(s: string): boolean {
  const n = s.length;
  if (n !== 25 && n !== 20 && n !== 19) return false;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  const y1 = twoDigits(s, 0);
  const y2 = twoDigits(s, 2);
  const mo = twoDigits(s, 5);
  const d = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || d < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  const y = y1 * 100 + y2;
  if (d > daysInMonth(y, mo)) return false;
  if (n === 19) return true; // local Oslo time: the date as written
  let offset = 0;
  if (n === 25) {
    const sign = s.charCodeAt(19);
    if ((sign !== 43 && sign !== 45) || s.charCodeAt(22) !== 58) return false;
    const zoneHours = twoDigits(s, 20);
    const zoneMinutes = twoDigits(s, 23);
    if (zoneHours < 0 || zoneHours > 14 || zoneMinutes < 0 || zoneMinutes > 59) return false;
    offset = (sign === 43 ? 1 : -1) * (zoneHours * 60 + zoneMinutes);
  } else if (s.charCodeAt(19) !== 90) return false;
  const local = hour * 60 + minute;
  return y >= 1900 && local - offset + 60 >= 0 && local - offset + 120 < 1440;
}

/** Set by osloDayNumber: the Oslo date is the date written in the string (its first 10 characters). */
let dateAsWritten = false;

function osloDayNumber(at: string): number {
  dateAsWritten = true;
  if (typeof at === 'string' && at.length === 10) return parseDate(at);
  if (typeof at !== 'string' || !scanDateTime(at)) throw invalid('date or date-time', at, 'YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][Z|±hh:mm]');
  const dn = checkedDayNumber(scanned.y, scanned.mo, scanned.d, at, 'date-time');
  const { hour, minute, second, zoneSign } = scanned;
  if (hour > 23 || minute > 59 || second > 60) throw invalid('date-time', at, 'a time of day 00:00:00-23:59:60');
  if (zoneSign === 0) return dn; // local Oslo time: the date is as written (also in DST gaps)
  let offset = 0;
  if (zoneSign !== 2) {
    if (scanned.zoneHours > 14 || scanned.zoneMinutes > 59) throw invalid('date-time', at, 'a UTC offset between -14:00 and +14:00');
    offset = zoneSign * (scanned.zoneHours * 60 + scanned.zoneMinutes);
  }
  const local = hour * 60 + minute;
  // Since 1895 Oslo's offset is +01:00 or +02:00: when the written time moved by either stays on its
  // day, that day is the Oslo date, without looking the offset up.
  if (scanned.y >= 1900 && local - offset + 60 >= 0 && local - offset + 120 < 1440) return dn;
  dateAsWritten = false;
  const utcMinutes = dn * 1440 + local - offset;
  const utcDay = Math.floor(utcMinutes / 1440);
  return Math.floor((utcMinutes + osloOffsetMinutes(utcDay)) / 1440);
}

/** The Europe/Oslo calendar date of an ISO date or date-time. A date-time without offset is Oslo local. */
export function osloDate(at: string): string {
  if (writtenDateTime(at)) return at.slice(0, 10);
  const dn = osloDayNumber(at);
  // A date passes through unchanged; a date-time whose Oslo date is the one written, as its first 10 characters.
  if (at.length === 10) return at;
  return dateAsWritten ? at.slice(0, 10) : formatDay(dn);
}

// ---------------------------------------------------------------------------------------------
// Holidays and working days

interface HolidayIndex {
  firstDay: number;
  lastDay: number;
  /** Holiday names per day number. */
  names: Map<number, string[]>;
  /** Per day from firstDay: 1 when Mon-Fri and no holiday. */
  weekdays: Uint8Array;
  /** Per day from firstDay: 1 when Mon-Sat and no holiday. */
  weekdaysAndSaturdays: Uint8Array;
}

let holidayIndex: HolidayIndex | undefined;

/** Built once from the generated table (about 1,200 entries; well under a millisecond). */
function holidays(): HolidayIndex {
  if (holidayIndex) return holidayIndex;
  const firstDay = dayNumber(holidayTable.from, 1, 1);
  const lastDay = dayNumber(holidayTable.to, 12, 31);
  const names = new Map<number, string[]>();
  for (const [year, days] of Object.entries(holidayTable.years)) {
    for (const [monthDay, name] of days) {
      if (monthDay === undefined || name === undefined) throw new RangeError(`Malformed holiday table year ${year}`);
      const dn = parseDate(`${year}-${monthDay}`, 'holiday table date');
      const list = names.get(dn);
      if (list) list.push(name);
      else names.set(dn, [name]);
    }
  }
  const size = lastDay - firstDay + 1;
  const weekdays = new Uint8Array(size);
  const weekdaysAndSaturdays = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const dn = firstDay + i;
    if (names.has(dn)) continue;
    const wd = weekday(dn);
    if (wd !== 0) weekdaysAndSaturdays[i] = 1;
    if (wd !== 0 && wd !== 6) weekdays[i] = 1;
  }
  holidayIndex = { firstDay, lastDay, names, weekdays, weekdaysAndSaturdays };
  return holidayIndex;
}

function outOfRange(dn: number): RangeError {
  return new RangeError(
    `Date ${describe(formatDay(dn))} is outside the supported holiday years ${holidayTable.from}-${holidayTable.to}`,
  );
}

const closedDaysCache = new WeakMap<readonly string[], Set<number>>();

function closedDays(cal: CalendarOptions | undefined): Set<number> | undefined {
  const list = cal?.closedDates;
  if (!list || list.length === 0) return undefined;
  let set = closedDaysCache.get(list);
  if (!set) {
    set = new Set(list.map((date) => parseDate(date, 'closed date')));
    closedDaysCache.set(list, set);
  }
  return set;
}

/** A prepared calendar: the bitmap for the Saturday setting plus the practice's closed days. */
interface WorkingDayTest {
  index: HolidayIndex;
  open: Uint8Array;
  closed: Set<number> | undefined;
}

function prepare(cal: CalendarOptions | undefined): WorkingDayTest {
  const index = holidays();
  return {
    index,
    open: cal?.saturdayIsWorkingDay ? index.weekdaysAndSaturdays : index.weekdays,
    closed: closedDays(cal),
  };
}

function isWorkingDayNumber(dn: number, t: WorkingDayTest): boolean {
  const i = dn - t.index.firstDay;
  if (i < 0 || dn > t.index.lastDay) throw outOfRange(dn);
  return t.open[i] === 1 && !(t.closed !== undefined && t.closed.has(dn));
}

/** Working days in (from, to]; from <= to. */
function countWorkingDays(from: number, to: number, t: WorkingDayTest): number {
  let count = 0;
  for (let dn = from + 1; dn <= to; dn++) if (isWorkingDayNumber(dn, t)) count++;
  return count;
}

function addWorkingDayNumbers(dn: number, n: number, t: WorkingDayTest): number {
  let day = dn;
  for (let left = n; left > 0; ) {
    day++;
    if (isWorkingDayNumber(day, t)) left--;
  }
  return day;
}

/** Monday-Friday (and Saturday if configured) that is neither a public holiday nor a closed date. */
export function isWorkingDay(date: string, cal?: CalendarOptions): boolean {
  return isWorkingDayNumber(parseDate(date), prepare(cal));
}

/** The n-th working day strictly after `date` (n a whole number >= 0; 0 returns `date` itself). */
export function addWorkingDays(date: string, n: number, cal?: CalendarOptions): string {
  const dn = parseDate(date);
  if (!Number.isInteger(n) || n < 0) throw invalid('number of working days', n, 'a whole number >= 0');
  if (n === 0) return date;
  return formatDay(addWorkingDayNumbers(dn, n, prepare(cal)));
}

/** SPEC §2: the 3rd working day strictly after the Oslo date of discharge. */
export function followUpDeadline(dischargedAt: string, cal?: CalendarOptions): string {
  return formatDay(addWorkingDayNumbers(osloDayNumber(dischargedAt), 3, prepare(cal)));
}

/**
 * Countdown to a deadline (SPEC §2): 0 when today is the deadline; before it, the working days after
 * today up to and including the deadline (at least 1); after it, minus the working days after the
 * deadline up to and including today (at most -1: a Saturday after a Friday deadline is overdue).
 */
export function workingDaysUntil(deadline: string, today: string, cal?: CalendarOptions): number {
  const d = parseDate(deadline, 'deadline');
  const t = parseDate(today, 'today');
  if (d === t) return 0;
  const test = prepare(cal);
  if (t < d) return Math.max(1, countWorkingDays(t, d, test));
  return -Math.max(1, countWorkingDays(d, t, test));
}

/** Whether `date` is a Norwegian public holiday (helligdag or 1/17 May). */
export function isPublicHoliday(date: string): boolean {
  const dn = parseDate(date);
  const index = holidays();
  if (dn < index.firstDay || dn > index.lastDay) throw outOfRange(dn);
  return index.names.has(dn);
}

/** The public holidays of a year, one entry per date, in date order, with Norwegian names. */
export function publicHolidays(year: number): PublicHoliday[] {
  if (!Number.isInteger(year) || year < holidayTable.from || year > holidayTable.to) {
    throw invalid('year', year, `a whole year ${holidayTable.from}-${holidayTable.to}`);
  }
  const index = holidays();
  const result: PublicHoliday[] = [];
  for (let dn = dayNumber(year, 1, 1), last = dayNumber(year, 12, 31); dn <= last; dn++) {
    const names = index.names.get(dn);
    if (names) result.push({ date: formatDay(dn), names: [...names], name: names.join(' og ') });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Instants: ordering service times (SPEC §6: "the earliest by service time"), where a date-time without
// offset is Oslo wall-clock time (SPEC §2), so "10:00" (local) and "09:30:00Z" compare correctly.

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function invalidInstant(at: string): RangeError {
  return new RangeError(`Ugyldig tidspunkt: ${JSON.stringify(at)} (ventet ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DDTtt:mm[:ss][Z|±tt:mm])`);
}

/** Oslo wall-clock time of an instant, read as if it were UTC (whole seconds). */
function osloWallMs(instant: number): number {
  const p = osloWallClock(new Date(instant));
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

/** Oslo's UTC offset in ms at an instant. */
function osloOffsetAt(instant: number): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return osloWallMs(whole) - whole;
}

/** The instant (epoch ms) of an ISO date or date-time; no offset = Oslo local time, a date = its Oslo midnight. */
export function osloInstant(at: string): number {
  const m = typeof at === 'string' ? ISO_INSTANT.exec(at) : null;
  if (!m) throw invalidInstant(at);
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m;
  const [year, month, day, hour, minute] = [Number(y), Number(mo), Number(d), Number(h), Number(mi)];
  // A leap second (:60) is ordered as the last millisecond of its minute.
  const second = Math.min(Number(s), 59);
  const ms = Number(s) === 60 ? 999 : frac ? Math.floor(Number(`0${frac}`) * 1000) : 0;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) {
    throw invalidInstant(at);
  }
  if (zone === 'Z') return wall;
  if (zone !== undefined) {
    const sign = zone.startsWith('-') ? -1 : 1;
    return wall - sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  // Oslo is UTC+1 or UTC+2: guess with the offset at the wall time read as UTC, then correct once.
  // Spring gap (02:00-03:00 does not exist): an hour later. Autumn overlap: the later (winter-time) one.
  const first = osloOffsetAt(wall);
  const guess = wall - first;
  const second2 = osloOffsetAt(guess);
  return second2 === first ? guess : wall - second2;
}

// Civil-date arithmetic on YYYY-MM-DD strings without Date objects: the classifier runs on a whole
// list at once (>= 100 000 patients/s), and plain string comparison orders ISO dates correctly.
// Day numbers use Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian).

const ZERO = 48;
const DASH = 45;

function digitsAt(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - ZERO;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** True for a real calendar date written exactly as YYYY-MM-DD (year 0001-9999). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 10) return false;
  if (value.charCodeAt(4) !== DASH || value.charCodeAt(7) !== DASH) return false;
  const y = digitsAt(value, 0, 4);
  const m = digitsAt(value, 5, 7);
  const d = digitsAt(value, 8, 10);
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  return d <= daysInMonth(y, m);
}

/** Days since 1970-01-01 of a valid ISO date. */
export function toDayNumber(date: string): number {
  let y = digitsAt(date, 0, 4);
  const m = digitsAt(date, 5, 7);
  const d = digitsAt(date, 8, 10);
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function fromDayNumber(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

/**
 * Full years from `birthDate` to `asOf` (both valid ISO dates, birthDate <= asOf). The birthday counts
 * from its own day; someone born 29 February turns a year older on 1 March in a common year.
 */
export function fullYears(birthDate: string, asOf: string): number {
  const years = digitsAt(asOf, 0, 4) - digitsAt(birthDate, 0, 4);
  const asOfMonthDay = digitsAt(asOf, 5, 7) * 100 + digitsAt(asOf, 8, 10);
  const birthMonthDay = digitsAt(birthDate, 5, 7) * 100 + digitsAt(birthDate, 8, 10);
  return asOfMonthDay < birthMonthDay ? years - 1 : years;
}

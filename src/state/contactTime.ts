// Service time of a contact as the user types it: an Oslo wall-clock `YYYY-MM-DDTHH:mm` (what an
// <input type="datetime-local"> gives), and the ISO date-time with offset that FHIR needs (a FHIR dateTime
// with a time must carry a zone, R4 datatypes.html#dateTime). SPEC §2/§6: days and times are Oslo time.
import { osloInstant, osloWallClock } from '../domain/calendar';

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

const two = (n: number) => String(n).padStart(2, '0');

function parts(at: Date): Record<'year' | 'month' | 'day' | 'hour' | 'minute', string> {
  const p = osloWallClock(at);
  return { year: String(p.year), month: two(p.month), day: two(p.day), hour: two(p.hour), minute: two(p.minute) };
}

/** `now` as Oslo wall-clock `YYYY-MM-DDTHH:mm` (the form's default service time). */
export function osloLocalMinute(now: Date): string {
  const p = parts(now);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

export function isOsloLocalMinute(value: string): boolean {
  if (!LOCAL.test(value)) return false;
  try {
    osloInstant(value);
    return true;
  } catch {
    return false;
  }
}

/** `2026-03-10T09:15` (Oslo) -> `2026-03-10T09:15:00+01:00`; undefined when not a valid wall-clock time. */
export function osloLocalToIso(value: string): string | undefined {
  if (!isOsloLocalMinute(value)) return undefined;
  const instant = osloInstant(value);
  // The spring gap (02:00-03:00 does not exist) moves the time an hour on: write the real wall time.
  const real = osloLocalMinute(new Date(instant));
  const m = LOCAL.exec(real);
  if (!m) return undefined;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  const offsetMin = Math.round((wall - Math.floor(instant / 60_000) * 60_000) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${real}:00${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The Oslo calendar date of a wall-clock value (its first 10 characters). */
export function localDay(value: string): string {
  return value.slice(0, 10);
}

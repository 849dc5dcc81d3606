// Test-only helpers, written independently of sandbox/seed so the tests check the seed rather than
// re-run it: Oslo dates via Intl, working days via date-holidays (SPEC §2), a mod-11 validator.

import Holidays from 'date-holidays';
import type { Resource } from '@medplum/fhirtypes';

const osloFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The Oslo calendar date of a FHIR date or dateTime (a bare date is already an Oslo date). */
export function osloDate(dateTime: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(dateTime)) return dateTime;
  return osloFormat.format(new Date(dateTime));
}

export function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const holidays = new Holidays('NO', { types: ['public'] });
const holidayDates = new Map<number, Set<string>>();

export function isHoliday(date: string): boolean {
  const year = Number(date.slice(0, 4));
  let set = holidayDates.get(year);
  if (!set) {
    // Read `date` (local), not `start` (Oslo midnight in UTC, a day early) - SPEC §2.
    set = new Set(holidays.getHolidays(year).map((h) => h.date.slice(0, 10)));
    holidayDates.set(year, set);
  }
  return set.has(date);
}

export function isWorkingDayForTest(date: string): boolean {
  const wd = new Date(`${date}T12:00:00Z`).getUTCDay();
  return wd >= 1 && wd <= 5 && !isHoliday(date);
}

/** The 3rd working day strictly after the discharge date (SPEC §2). */
export function deadlineForTest(discharge: string): string {
  let d = discharge;
  for (let n = 0; n < 3; ) {
    d = shiftDate(d, 1);
    if (isWorkingDayForTest(d)) n++;
  }
  return d;
}

/**
 * SPEC §2 countdown, counted day by day with date-holidays (independent of src/domain/calendar): 0 on the
 * deadline; before it the working days after today up to and including the deadline (at least 1); after it
 * minus the working days after the deadline up to and including today (at least 1 overdue).
 */
export function workingDaysLeftForTest(deadline: string, today: string): number {
  if (deadline === today) return 0;
  const [from, to, sign] = today < deadline ? [today, deadline, 1] : [deadline, today, -1];
  let n = 0;
  for (let d = shiftDate(from, 1); d <= to; d = shiftDate(d, 1)) if (isWorkingDayForTest(d)) n++;
  return sign * Math.max(1, n);
}

/** Full years on a date. */
export function fullYears(birthDate: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/**
 * Fødselsnummer / D-nummer check (Skatteetaten): both mod-11 control digits, and a real date
 * (D-nummer: day + 40).
 */
export function isValidNationalId(id: string): boolean {
  if (!/^\d{11}$/.test(id)) return false;
  const d = [...id].map(Number);
  const weighted = (weights: number[]): number => weights.reduce((s, w, i) => s + w * (d[i] ?? 0), 0);
  const control = (sum: number): number => (11 - (sum % 11)) % 11;
  const k1 = control(weighted([3, 7, 6, 1, 8, 9, 4, 5, 2]));
  const k2 = control(weighted([5, 4, 3, 2, 7, 6, 5, 4, 3, 2]));
  if (k1 === 10 || k2 === 10 || k1 !== d[9] || k2 !== d[10]) return false;
  const day = Number(id.slice(0, 2)) % 40;
  const month = Number(id.slice(2, 4));
  const yy = Number(id.slice(4, 6));
  const probe = new Date(Date.UTC(2000 + yy, month - 1, day)); // any century: only Feb 29 depends on it
  const century = birthCentury(id);
  if (century === undefined) return false;
  const real = new Date(Date.UTC(century + yy, month - 1, day));
  return day >= 1 && probe.getUTCMonth() === month - 1 && real.getUTCDate() === day && real.getUTCMonth() === month - 1;
}

/** The century implied by the individnummer (first matching range; ambiguous ranges prefer 1900/2000). */
export function birthCentury(id: string): number | undefined {
  const ind = Number(id.slice(6, 9));
  const yy = Number(id.slice(4, 6));
  if (ind <= 499) return 1900;
  if (ind <= 749) return yy <= 39 ? 2000 : 1800;
  if (ind <= 899) return yy <= 39 ? 2000 : undefined;
  return yy >= 40 ? 1900 : 2000;
}

export function byType<T extends Resource['resourceType']>(resources: readonly Resource[], type: T): Extract<Resource, { resourceType: T }>[] {
  return resources.filter((r): r is Extract<Resource, { resourceType: T }> => r.resourceType === type);
}

/** 'Patient/pat-00001' -> 'pat-00001' */
export function refId(reference: string | undefined): string {
  return reference?.split('/')[1] ?? '';
}

// Display formats from GLOSSARY: dates dd.mm.åååå, fødselsnummer `ddmmåå nnnnn`, age in full years
// on today's Oslo date (SPEC §2: all dates are Europe/Oslo calendar dates).

/** `01019012345` -> `010190 12345`; anything that is not 11 digits is shown as given. */
export function formatNationalId(id: string): string {
  const digits = id.replace(/\s+/g, '');
  return /^\d{11}$/.test(digits) ? `${digits.slice(0, 6)} ${digits.slice(6)}` : id;
}

/** `2026-11-22` -> `22.11.2026`. */
export function formatDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  return match ? `${match[3]}.${match[2]}.${match[1]}` : isoDate;
}

const osloDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's calendar date in Oslo as YYYY-MM-DD. */
export function osloToday(now: Date): string {
  return osloDate.format(now);
}

/** Full years from `birthDate` (YYYY, YYYY-MM or YYYY-MM-DD) to `today` (YYYY-MM-DD). */
export function ageInYears(birthDate: string, today: string): number | undefined {
  const b = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(birthDate);
  const t = /^(\d{4})-(\d{2})-(\d{2})/.exec(today);
  if (!b || !t) return undefined;
  // A partial birth date cannot say whether the birthday has passed; count it as not yet passed.
  const [by, bm, bd] = [Number(b[1]), Number(b[2] ?? 12), Number(b[3] ?? 31)];
  const [ty, tm, td] = [Number(t[1]), Number(t[2]), Number(t[3])];
  const hadBirthday = tm > bm || (tm === bm && td >= bd);
  const age = ty - by - (hadBirthday ? 0 : 1);
  return age >= 0 ? age : undefined;
}

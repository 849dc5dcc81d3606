// Display formats from GLOSSARY: dates dd.mm.åååå, fødselsnummer `ddmmåå nnnnn`, age in full years
// on today's Oslo date (SPEC §2: all dates are Europe/Oslo calendar dates).

/** 1234 -> `kr 1 234`; 99.5 -> `kr 99,50`; plain spaces between thousands (GLOSSARY: amounts `kr 1 234`). */
export function formatKr(amount: number): string {
  const negative = amount < 0;
  const ore = Math.round(Math.abs(amount) * 100);
  const whole = String(Math.floor(ore / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  const fraction = ore % 100 === 0 ? '' : `,${String(ore % 100).padStart(2, '0')}`;
  return `${negative ? '−' : ''}kr ${whole}${fraction}`;
}

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

// Typed dates (issue 17 item 11): the user types dd.mm.åååå (and tt:mm), whatever the browser's
// locale; the app keeps ISO strings. One parser per shape, each with a Norwegian message.

export type Parsed = { ok: true; value: string } | { ok: false; message: string };

function validDay(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `02.12.2026` (also `2.12.2026`, and a pasted ISO `2026-12-02`) -> `2026-12-02`. */
export function parseDate(text: string, field: string): Parsed {
  const iso = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(text);
  const m = iso ? [text, iso[3], iso[2], iso[1]] : /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$/.exec(text);
  if (!m) return { ok: false, message: `${field}: skriv datoen som dd.mm.åååå, for eksempel 02.12.2026.` };
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!validDay(y, mo, d)) return { ok: false, message: `${field}: ${text.trim()} er ikke en gyldig dato.` };
  return { ok: true, value: `${y}-${pad(mo)}-${pad(d)}` };
}

/** `02.12.2026 09:30` -> `2026-12-02T09:30` (a local Oslo wall-clock time, as contactTime expects). */
export function parseDateTime(text: string, field: string): Parsed {
  const m = /^\s*(\S+?)(?:\s+(?:kl\.?\s*)?|T)(\d{1,2})[:.](\d{2})\s*$/.exec(text);
  const date = m ? parseDate(m[1] ?? '', field) : undefined;
  if (!m || !date?.ok) return { ok: false, message: `${field}: skriv dato og klokkeslett som dd.mm.åååå tt:mm, for eksempel 02.12.2026 09:30.` };
  const [h, min] = [Number(m[2]), Number(m[3])];
  if (h > 23 || min > 59) return { ok: false, message: `${field}: ${m[2]}:${m[3]} er ikke et gyldig klokkeslett.` };
  return { ok: true, value: `${date.value}T${pad(h)}:${pad(min)}` };
}

/** `12.2026` -> `2026-12`. */
export function parseMonth(text: string, field: string): Parsed {
  const iso = /^\s*(\d{4})-(\d{2})\s*$/.exec(text);
  const m = iso ? [text, iso[2], iso[1]] : /^\s*(\d{1,2})\.(\d{4})\s*$/.exec(text);
  const mo = m ? Number(m[1]) : 0;
  if (!m || mo < 1 || mo > 12) return { ok: false, message: `${field}: skriv måneden som mm.åååå, for eksempel 12.2026.` };
  return { ok: true, value: `${m[2] ?? ''}-${pad(mo)}` };
}

/** `2026-12-02T09:30` -> `02.12.2026 09:30`; a bare date as formatDate; `2026-12` -> `12.2026`. */
export function formatTyped(iso: string): string {
  const dt = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  if (dt) return `${formatDate(dt[1] ?? '')} ${dt[2]}`;
  const month = /^(\d{4})-(\d{2})$/.exec(iso);
  if (month) return `${month[2]}.${month[1]}`;
  return formatDate(iso);
}

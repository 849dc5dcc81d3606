// The instant of a service time, for ordering a day's charges (SPEC §6: "the earliest by service time").
// The Oslo calendar date itself comes from ./calendar (osloDate); this adds what calendar.ts does not
// export: an epoch-ms instant, where a date-time without offset is Oslo wall-clock time (SPEC §2), so
// "10:00" (local) and "09:30:00Z" (= 10:30 in winter) compare correctly. Private to the domain.

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

const osloParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Oslo',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function invalid(at: string): RangeError {
  return new RangeError(`Ugyldig tidspunkt: ${JSON.stringify(at)} (ventet ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DDTtt:mm[:ss][Z|±tt:mm])`);
}

/** Oslo wall-clock time of an instant, read as if it were UTC (whole seconds). */
function osloWallMs(instant: number): number {
  const p: Record<string, number> = {};
  for (const part of osloParts.formatToParts(new Date(instant))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
}

/** Oslo's UTC offset in ms at an instant. */
function osloOffsetAt(instant: number): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return osloWallMs(whole) - whole;
}

/** The instant (epoch ms) of an ISO date or date-time; no offset = Oslo local time, a date = its Oslo midnight. */
export function osloInstant(at: string): number {
  const m = typeof at === 'string' ? ISO.exec(at) : null;
  if (!m) throw invalid(at);
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m;
  const [year, month, day, hour, minute] = [Number(y), Number(mo), Number(d), Number(h), Number(mi)];
  // A leap second (:60) is ordered as the last millisecond of its minute.
  const second = Math.min(Number(s), 59);
  const ms = Number(s) === 60 ? 999 : frac ? Math.floor(Number(`0${frac}`) * 1000) : 0;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) {
    throw invalid(at);
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

// FHIR date search on precomputed millisecond ranges (R4 §3.1.1.4.2 "date"): a value has an implicit
// range from its precision (`2024` is the whole year), and the prefixes compare ranges, not points.
// Dates without a zone are read as UTC on both sides, which keeps comparisons consistent.

export interface DateRange {
  lo: number; // inclusive
  hi: number; // exclusive
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

export function parseDateRange(value: string): DateRange | undefined {
  const m = DATE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  if (mo === undefined) return { lo: Date.UTC(year, 0, 1), hi: Date.UTC(year + 1, 0, 1) };
  const month = Number(mo) - 1;
  if (d === undefined) return { lo: Date.UTC(year, month, 1), hi: Date.UTC(year, month + 1, 1) };
  const day = Number(d);
  if (h === undefined) return { lo: Date.UTC(year, month, day), hi: Date.UTC(year, month, day + 1) };
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${frac ?? ''}${zone ?? 'Z'}`;
  const lo = Date.parse(iso);
  if (Number.isNaN(lo)) return undefined;
  const width = s === undefined ? 60_000 : frac === undefined ? 1000 : 1;
  return { lo, hi: lo + width };
}

/** A Period's range; an open end is unbounded, as FHIR says for an ongoing period. */
export function periodRange(start: string | undefined, end: string | undefined): DateRange | undefined {
  const from = start ? parseDateRange(start) : undefined;
  const to = end ? parseDateRange(end) : undefined;
  if (!from && !to) return undefined;
  return { lo: from?.lo ?? -Infinity, hi: to?.hi ?? Infinity };
}

export type DatePrefix = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'sa' | 'eb' | 'ap';

export function matchesDate(target: DateRange, prefix: DatePrefix, search: DateRange): boolean {
  switch (prefix) {
    case 'eq':
      return target.lo >= search.lo && target.hi <= search.hi;
    case 'ne':
      return !(target.lo >= search.lo && target.hi <= search.hi);
    case 'gt':
      return target.hi > search.hi;
    case 'lt':
      return target.lo < search.lo;
    case 'ge':
      return target.hi > search.lo;
    case 'le':
      return target.lo < search.hi;
    case 'sa':
      return target.lo >= search.hi;
    case 'eb':
      return target.hi <= search.lo;
    case 'ap':
      return target.lo < search.hi && target.hi > search.lo;
  }
}

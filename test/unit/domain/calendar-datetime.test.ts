// osloDate on FHIR date-times (SPEC §2: a date-time without offset is Oslo local time; with an offset it
// is the Oslo calendar date of that instant). The reader takes a shortcut when the written offset
// cannot move the date; these cases sit on both sides of it. Expected values are written by hand, and
// the property compares with an independent oracle (the accepted form as a regular expression, and
// Intl's Europe/Oslo time zone).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { osloDate } from '../../../src/domain/calendar';

describe('the Oslo date of a date-time near midnight', () => {
  it.each([
    // Winter (UTC+1).
    ['2026-01-15T00:59:00+02:00', '2026-01-14'], // 22:59 UTC = 23:59 Oslo
    ['2026-01-15T01:00:00+02:00', '2026-01-15'], // 23:00 UTC = 00:00 Oslo
    ['2026-01-15T22:59:00Z', '2026-01-15'], // 23:59 Oslo
    ['2026-01-15T23:00:00Z', '2026-01-16'], // 00:00 Oslo
    ['2026-01-15T23:30:00+01:00', '2026-01-15'],
    ['2026-01-15T00:00:00+01:00', '2026-01-15'],
    // Summer (UTC+2).
    ['2026-07-15T21:59:00Z', '2026-07-15'],
    ['2026-07-15T22:00:00Z', '2026-07-16'],
    ['2026-07-15T23:30:00+01:00', '2026-07-16'], // 22:30 UTC = 00:30 Oslo
    ['2026-07-15T22:30:00+01:00', '2026-07-15'], // 23:30 Oslo
    ['2026-07-15T00:30:00+02:00', '2026-07-15'],
    // Far offsets.
    ['2026-07-15T18:00:00-05:00', '2026-07-16'], // 23:00 UTC = 01:00 Oslo
    ['2026-07-15T16:59:00-05:00', '2026-07-15'], // 21:59 UTC = 23:59 Oslo
    ['2026-07-15T05:00:00+05:30', '2026-07-15'], // 23:30 UTC the day before = 01:30 Oslo
    ['2026-07-15T01:00:00+05:30', '2026-07-14'], // 19:30 UTC = 21:30 Oslo the day before
    // The nights the clocks change (29 March and 25 October 2026, at 01:00 UTC).
    ['2026-03-28T23:30:00Z', '2026-03-29'], // 00:30 Oslo (UTC+1)
    ['2026-10-24T22:30:00Z', '2026-10-25'], // 00:30 Oslo (still UTC+2)
    ['2026-10-25T23:30:00Z', '2026-10-26'], // 00:30 Oslo (UTC+1 again)
    // No offset: the date as written.
    ['2026-07-15T23:59:59', '2026-07-15'],
    ['2026-07-15T00:00', '2026-07-15'],
    // Fractions of a second.
    ['2026-07-15T21:59:59.999Z', '2026-07-15'],
    ['2026-07-15T22:00:00.000Z', '2026-07-16'],
  ])('%s is %s in Oslo', (at, date) => {
    expect(osloDate(at)).toBe(date);
  });

  it('before 1895 Oslo kept local mean time, so no shortcut by the written offset', () => {
    // 00:05 at +01:00 is 23:05 UTC on 31 May: 23:48 in Oslo at +00:43 (its own LMT), 23:58 at +00:53
    // (where the tz database links Oslo to Berlin); either way still 31 May.
    expect(osloDate('1890-06-01T00:05:00+01:00')).toBe('1890-05-31');
  });

  it('rejects what the form does not allow', () => {
    for (const at of ['2026-07-15T10:00:5', '2026-07-15T10:00:00.', '2026-07-15T10:00+0100', '2026-07-15T10:00Z ', '2026-07-15t10:00', '2026-07-15T10', '2026-07-15T10:00:00+01', '2026-07-15T1O:00'])
      expect(() => osloDate(at), at).toThrow(RangeError);
  });
});

// The oracle: the accepted form, and the Oslo date by Intl.
const FORM = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;
const OSLO = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' });

function oracle(at: string): string | 'invalid' {
  const m = FORM.exec(at);
  if (!m) return 'invalid';
  const [, y, mo, d, h, mi, s, zone] = m;
  if (zone === undefined) return `${y}-${mo}-${d}`;
  const sign = zone === 'Z' ? 0 : zone.startsWith('-') ? -1 : 1;
  const offset = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)) - offset * 60_000;
  return OSLO.format(new Date(utc));
}

describe('osloDate agrees with the oracle', () => {
  it('for any date-time 1900-2099 (property)', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    const zone = fc.constantFrom('', 'Z', '+01:00', '+02:00', '-01:00', '+00:00', '-05:00', '+05:30', '+14:00', '-14:00', '+03:00');
    const seconds = fc.constantFrom('', ':00', ':59', ':30.5', ':07.123456');
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2099 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), seconds, zone, (y, mo, d, h, mi, s, z) => {
        const at = `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}${s}${z}`;
        expect(osloDate(at)).toBe(oracle(at));
      }),
      { seed: 20261202, numRuns: 3000 },
    );
  });

  it('accepts exactly the strings of the form (property over near-misses)', () => {
    const piece = fc.constantFrom('2026', '-', '07', '15', 'T', '10', ':', '00', '.', '5', 'Z', '+', '01', ' ', 't', '1');
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 14 }), (pieces) => {
        const at = pieces.join('');
        if (at.length === 10) return; // a plain date has its own reader
        let result: string;
        try {
          result = osloDate(at);
        } catch {
          result = 'invalid';
        }
        const expected = oracle(at);
        // The form may hold an impossible date or time (month 15, hour 25): rejected as well.
        if (expected === 'invalid') expect(result).toBe('invalid');
        else if (result !== 'invalid') expect(result).toBe(expected);
      }),
      { seed: 20261202, numRuns: 3000 },
    );
  });
});

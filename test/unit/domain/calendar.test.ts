import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  followUpDeadline,
  isPublicHoliday,
  isWorkingDay,
  osloDate,
  publicHolidays,
  workingDaysUntil,
  type CalendarOptions,
} from '../../../src/domain/calendar';
import holidayJson from '../../../src/domain/holidays-no.json';
import { generateHolidayTable, HOLIDAY_TABLE_PATH, serializeHolidayTable } from '../../../scripts/gen-holidays';

// Test-only date helpers built on Date in UTC (independent of the module's day-number arithmetic).
const DAY_MS = 86_400_000;
const toMs = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const fromMs = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const plusDays = (date: string, n: number): string => fromMs(toMs(date) + n * DAY_MS);
const dow = (date: string): number => new Date(toMs(date)).getUTCDay();

// Second oracle: the Anonymous Gregorian (Meeus/Jones/Butcher) Easter computus and the law's list
// (helligdagsfredloven § 2 and the 1/17 May law), with no help from date-holidays.
function easterSunday(y: number): string {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
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
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function lawHolidays(y: number): { date: string; name: string }[] {
  const easter = easterSunday(y);
  return [
    { date: `${y}-01-01`, name: 'Første nyttårsdag' },
    { date: plusDays(easter, -3), name: 'Skjærtorsdag' },
    { date: plusDays(easter, -2), name: 'Langfredag' },
    { date: easter, name: 'Første påskedag' },
    { date: plusDays(easter, 1), name: 'Andre påskedag' },
    { date: `${y}-05-01`, name: 'Arbeidernes dag' },
    { date: `${y}-05-17`, name: 'Grunnlovsdagen' },
    { date: plusDays(easter, 39), name: 'Kristi himmelfartsdag' },
    { date: plusDays(easter, 49), name: 'Første pinsedag' },
    { date: plusDays(easter, 50), name: 'Andre pinsedag' },
    { date: `${y}-12-25`, name: 'Første juledag' },
    { date: `${y}-12-26`, name: 'Andre juledag' },
  ];
}

const oracleIsWorkingDay = (date: string, cal: CalendarOptions = {}): boolean => {
  const wd = dow(date);
  if (wd === 0 || (wd === 6 && !cal.saturdayIsWorkingDay)) return false;
  if (cal.closedDates?.includes(date)) return false;
  return !lawHolidays(Number(date.slice(0, 4))).some((h) => h.date === date);
};

describe('SPEC §2 deadline table', () => {
  it.each([
    ['2026-11-20', '2026-11-25', 'Fri -> Mon, Tue, Wed'],
    ['2026-11-21', '2026-11-25', 'weekend does not count'],
    ['2026-04-01', '2026-04-09', 'Easter: 2, 3, 6 Apr are holidays'],
    ['2026-05-13', '2026-05-19', 'Ascension 14 May, weekend'],
    ['2026-12-24', '2026-12-30', '25 Dec holiday, 24 Dec itself not counted'],
  ])('discharged %s -> deadline %s (%s)', (discharged, deadline) => {
    expect(followUpDeadline(discharged)).toBe(deadline);
    expect(followUpDeadline(`${discharged}T12:00:00+01:00`)).toBe(deadline);
  });

  it('discharged Sunday 23:30 UTC = Monday 00:30 in Oslo: Tue 24, Wed 25, Thu 26', () => {
    expect(osloDate('2026-11-22T23:30:00Z')).toBe('2026-11-23');
    expect(followUpDeadline('2026-11-22T23:30:00Z')).toBe('2026-11-26');
    expect(followUpDeadline('2026-11-22T22:30:00Z')).toBe('2026-11-25'); // still Sunday in Oslo
  });

  it('Saturday holiday and Saturday setting: Christmas 2027 falls on Sat/Sun', () => {
    expect(followUpDeadline('2027-12-24', { saturdayIsWorkingDay: true })).toBe('2027-12-29');
    expect(followUpDeadline('2027-12-24')).toBe('2027-12-29');
  });
});

describe('public holidays', () => {
  it('the committed table is exactly what date-holidays generates (no drift)', () => {
    const generated = generateHolidayTable();
    expect(generated.years).toEqual(holidayJson.years);
    expect(readFileSync(HOLIDAY_TABLE_PATH, 'utf8')).toBe(serializeHolidayTable(generated));
  });

  it('the Easter computus oracle agrees with known dates', () => {
    expect(easterSunday(2000)).toBe('2000-04-23');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(easterSunday(2038)).toBe('2038-04-25');
    expect(easterSunday(2100)).toBe('2100-03-28');
  });

  it('every year 2000-2100 has exactly the law list (independent computus)', () => {
    for (let y = 2000; y <= 2100; y++) {
      const expected = lawHolidays(y);
      const actual = publicHolidays(y).flatMap((h) => h.names.map((name) => ({ date: h.date, name })));
      const byDateThenName = (a: { date: string; name: string }, b: { date: string; name: string }) =>
        a.date.localeCompare(b.date) || a.name.localeCompare(b.name);
      expect(actual.sort(byDateThenName), String(y)).toEqual(expected.sort(byDateThenName));
    }
  });

  it('2026 in full, with Norwegian names', () => {
    expect(publicHolidays(2026).map((h) => `${h.date} ${h.name}`)).toEqual([
      '2026-01-01 Første nyttårsdag',
      '2026-04-02 Skjærtorsdag',
      '2026-04-03 Langfredag',
      '2026-04-05 Første påskedag',
      '2026-04-06 Andre påskedag',
      '2026-05-01 Arbeidernes dag',
      '2026-05-14 Kristi himmelfartsdag',
      '2026-05-17 Grunnlovsdagen',
      '2026-05-24 Første pinsedag',
      '2026-05-25 Andre pinsedag',
      '2026-12-25 Første juledag',
      '2026-12-26 Andre juledag',
    ]);
  });

  it('17 May 2027 is both Grunnlovsdagen and Whit Monday', () => {
    const day = publicHolidays(2027).find((h) => h.date === '2027-05-17');
    expect(day?.names).toEqual(['Grunnlovsdagen', 'Andre pinsedag']);
    expect(day?.name).toBe('Grunnlovsdagen og Andre pinsedag');
    expect(publicHolidays(2027)).toHaveLength(11);
    expect(isWorkingDay('2027-05-17')).toBe(false);
    expect(isWorkingDay('2027-05-18')).toBe(true);
    // Ascension Thu 6 May 2027; discharge Fri 14 May: Tue 18, Wed 19, Thu 20.
    expect(followUpDeadline('2027-05-14')).toBe('2027-05-20');
  });

  const years = [2025, 2026, 2027, 2028, 2029, 2030];
  const cases = years.flatMap((y) => lawHolidays(y).map((h) => [h.date, h.name] as const));
  it.each(cases)('%s %s is a holiday and not a working day; its neighbours are as the weekday says', (date) => {
    expect(isPublicHoliday(date)).toBe(true);
    expect(isWorkingDay(date)).toBe(false);
    expect(isWorkingDay(date, { saturdayIsWorkingDay: true })).toBe(false);
    for (const neighbour of [plusDays(date, -1), plusDays(date, 1)]) {
      expect(isWorkingDay(neighbour), neighbour).toBe(oracleIsWorkingDay(neighbour));
      expect(isPublicHoliday(neighbour), neighbour).toBe(
        lawHolidays(Number(neighbour.slice(0, 4))).some((h) => h.date === neighbour),
      );
    }
  });

  it('every day of 2025-2030 matches the oracle', () => {
    for (let date = '2025-01-01'; date <= '2030-12-31'; date = plusDays(date, 1)) {
      if (isWorkingDay(date) !== oracleIsWorkingDay(date)) expect.fail(date);
    }
  });

  it('24 and 31 Dec are working days by default, and can be closed', () => {
    for (const date of ['2025-12-24', '2025-12-31', '2026-12-24', '2026-12-31']) {
      expect(isPublicHoliday(date)).toBe(false);
      expect(isWorkingDay(date)).toBe(true);
      expect(isWorkingDay(date, { closedDates: ['2025-12-24', '2025-12-31', '2026-12-24', '2026-12-31'] })).toBe(false);
    }
  });
});

describe('Oslo dates', () => {
  it.each([
    ['2026-11-22T23:30:00Z', '2026-11-23', 'winter +01: 00:30 Monday'],
    ['2026-11-22T22:59:59Z', '2026-11-22', 'winter +01: 23:59:59'],
    ['2026-11-22T23:00:00Z', '2026-11-23', 'winter +01: exactly midnight'],
    ['2026-07-01T21:59:59Z', '2026-07-01', 'summer +02: 23:59:59'],
    ['2026-07-01T22:00:00Z', '2026-07-02', 'summer +02: exactly midnight'],
    ['2026-07-01T22:30:00.123Z', '2026-07-02', 'fractional seconds'],
    ['2026-11-23T00:30:00+01:00', '2026-11-23', 'Oslo offset given'],
    ['2026-11-22T18:30:00-05:00', '2026-11-23', 'another zone: 23:30 UTC'],
    ['2026-11-23T08:00:00+09:00', '2026-11-23', 'another zone: 23:00 UTC the day before'],
    ['2026-11-22T23:30:00', '2026-11-22', 'no offset: Oslo local time'],
    ['2026-11-22T23:30', '2026-11-22', 'no offset, no seconds'],
    ['2026-11-22', '2026-11-22', 'a date is a date'],
    ['2025-12-31T23:30:00Z', '2026-01-01', 'new year in Oslo'],
    ['1999-12-31T23:30:00Z', '2000-01-01', 'outside the holiday years is fine for dates'],
  ])('%s -> %s (%s)', (at, expected) => {
    expect(osloDate(at)).toBe(expected);
  });

  it.each([
    // Spring forward Sun 2026-03-29 at 01:00 UTC (02:00 -> 03:00 local).
    ['2026-03-28T22:59:00Z', '2026-03-28'],
    ['2026-03-28T23:30:00Z', '2026-03-29'],
    ['2026-03-29T00:59:00Z', '2026-03-29'],
    ['2026-03-29T01:00:00Z', '2026-03-29'],
    ['2026-03-29T21:59:00Z', '2026-03-29'],
    ['2026-03-29T22:00:00Z', '2026-03-30'],
    ['2026-03-29T02:30:00', '2026-03-29'], // a local time that does not exist
    // Fall back Sun 2026-10-25 at 01:00 UTC (03:00 -> 02:00 local).
    ['2026-10-24T21:59:00Z', '2026-10-24'],
    ['2026-10-24T22:00:00Z', '2026-10-25'],
    ['2026-10-25T00:30:00Z', '2026-10-25'],
    ['2026-10-25T01:30:00Z', '2026-10-25'],
    ['2026-10-25T22:59:00Z', '2026-10-25'],
    ['2026-10-25T23:00:00Z', '2026-10-26'],
    ['2026-10-25T02:30:00', '2026-10-25'], // a local time that occurs twice
  ])('DST change: %s -> %s', (at, expected) => {
    expect(osloDate(at)).toBe(expected);
  });

  it('DST changes do not shift deadlines', () => {
    expect(followUpDeadline('2026-03-27T10:00:00+01:00')).toBe('2026-04-01'); // Mon 30, Tue 31, Wed 1
    expect(followUpDeadline('2026-03-29T23:30:00+02:00')).toBe('2026-04-01'); // Sunday night
    expect(followUpDeadline('2026-10-23T12:00:00+02:00')).toBe('2026-10-28'); // Mon 26, Tue 27, Wed 28
    expect(followUpDeadline('2026-10-25T23:30:00+01:00')).toBe('2026-10-28');
    expect(workingDaysUntil('2026-04-01', '2026-03-27')).toBe(3);
    expect(workingDaysUntil('2026-10-28', '2026-10-23')).toBe(3);
  });

  it('agrees with Intl Europe/Oslo for any instant 2000-2099 (property)', () => {
    const intl = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' });
    const from = Date.UTC(2000, 0, 1);
    const to = Date.UTC(2099, 11, 31);
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), fc.integer({ min: -12 * 4, max: 14 * 4 }), (ms, quarterHours) => {
        const offsetMin = quarterHours * 15;
        const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 19);
        const sign = offsetMin < 0 ? '-' : '+';
        const abs = Math.abs(offsetMin);
        const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        expect(osloDate(`${local}${zone}`)).toBe(intl.format(ms));
        expect(osloDate(new Date(ms).toISOString())).toBe(intl.format(ms));
      }),
      { numRuns: 3000, seed: 20261122 },
    );
  });
});

describe('practice settings', () => {
  it('closed dates move the deadline', () => {
    const christmas = { closedDates: ['2026-12-24', '2026-12-31'] };
    expect(followUpDeadline('2026-12-23')).toBe('2026-12-29');
    expect(followUpDeadline('2026-12-23', christmas)).toBe('2026-12-30');
    expect(followUpDeadline('2026-12-28')).toBe('2026-12-31');
    expect(followUpDeadline('2026-12-28', christmas)).toBe('2027-01-04');
    const fellesferie = { closedDates: ['2026-07-13', '2026-07-14', '2026-07-15', '2026-07-16', '2026-07-17'] };
    expect(followUpDeadline('2026-07-10', fellesferie)).toBe('2026-07-22');
  });

  it('a closed date that is already a holiday or weekend changes nothing', () => {
    expect(followUpDeadline('2026-11-20', { closedDates: ['2026-11-21', '2026-12-25'] })).toBe('2026-11-25');
  });

  it('Saturday as a working day', () => {
    const sat = { saturdayIsWorkingDay: true };
    expect(isWorkingDay('2026-11-21', sat)).toBe(true);
    expect(isWorkingDay('2026-11-22', sat)).toBe(false);
    expect(isWorkingDay('2027-12-25', sat)).toBe(false); // a Saturday holiday stays closed
    expect(isWorkingDay('2027-05-01', sat)).toBe(false);
    expect(followUpDeadline('2026-11-20', sat)).toBe('2026-11-24'); // Sat, Mon, Tue
    expect(followUpDeadline('2026-11-20', { ...sat, closedDates: ['2026-11-21'] })).toBe('2026-11-25');
    expect(workingDaysUntil('2026-11-24', '2026-11-20', sat)).toBe(3);
  });
});

describe('addWorkingDays and the countdown', () => {
  it.each([
    ['2026-11-20', 0, '2026-11-20'],
    ['2026-11-21', 0, '2026-11-21'], // 0 returns the date itself, even a Saturday
    ['2026-11-20', 1, '2026-11-23'],
    ['2026-11-20', 5, '2026-11-27'],
    ['2026-04-01', 1, '2026-04-07'],
    ['2026-12-23', 10, '2027-01-08'],
  ])('addWorkingDays(%s, %i) = %s', (date, n, expected) => {
    expect(addWorkingDays(date, n)).toBe(expected);
  });

  it.each([
    // deadline, today, countdown
    ['2026-11-25', '2026-11-25', 0, 'due today'],
    ['2026-11-25', '2026-11-20', 3, 'Friday before: Mon, Tue, Wed'],
    ['2026-11-25', '2026-11-21', 3, 'on Saturday'],
    ['2026-11-25', '2026-11-22', 3, 'on Sunday'],
    ['2026-11-25', '2026-11-24', 1, 'the day before'],
    ['2026-11-20', '2026-11-21', -1, 'Saturday after a Friday deadline is overdue'],
    ['2026-11-20', '2026-11-22', -1, 'Sunday after a Friday deadline'],
    ['2026-11-20', '2026-11-23', -1, 'Monday after a Friday deadline'],
    ['2026-11-20', '2026-11-24', -2, 'Tuesday'],
    ['2026-04-09', '2026-04-01', 3, 'over Easter: 7, 8, 9 Apr'],
    ['2026-04-09', '2026-04-02', 3, 'counted on Maundy Thursday'],
    ['2026-04-01', '2026-04-03', -1, 'overdue on Good Friday'],
    ['2026-04-01', '2026-04-06', -1, 'overdue on Easter Monday'],
    ['2026-04-01', '2026-04-07', -1, 'first working day after Easter'],
    ['2026-04-01', '2026-04-08', -2, ''],
    ['2026-11-21', '2026-11-20', 1, 'a non-working deadline ahead still counts 1'],
  ])('workingDaysUntil(%s, today %s) = %i %s', (deadline, today, expected) => {
    expect(workingDaysUntil(deadline, today)).toBe(expected);
  });

  it('closed dates count in the countdown', () => {
    expect(workingDaysUntil('2026-12-30', '2026-12-23', { closedDates: ['2026-12-24'] })).toBe(3);
    expect(workingDaysUntil('2026-12-30', '2026-12-23')).toBe(4);
  });
});

describe('invalid input throws a RangeError naming the value', () => {
  const dates = ['', 'not a date', '2026-02-30', '2026-13-01', '2026-00-10', '2026-1-1', '2026', '2026-11', '20261122', '2026-02-29'];
  it.each(dates)('date %j', (value) => {
    for (const call of [
      () => isWorkingDay(value),
      () => addWorkingDays(value, 1),
      () => followUpDeadline(value),
      () => workingDaysUntil(value, '2026-11-20'),
      () => workingDaysUntil('2026-11-20', value),
      () => osloDate(value),
      () => isPublicHoliday(value),
      () => isWorkingDay('2026-11-20', { closedDates: [value] }),
    ]) {
      expect(call).toThrow(RangeError);
      expect(call).toThrow(JSON.stringify(value));
    }
  });

  it.each([
    '2026-11-22T24:00:00Z',
    '2026-11-22T23:60:00Z',
    '2026-11-22T23:30:61Z',
    '2026-11-22T23:30:00+15:00',
    '2026-11-22T23:30:00+01',
    '2026-11-22 23:30:00Z',
    '2026-02-30T10:00:00Z',
    '2026-11-22T23:30:00ZZ',
  ])('date-time %j', (value) => {
    expect(() => osloDate(value)).toThrow(RangeError);
    expect(() => osloDate(value)).toThrow(JSON.stringify(value));
    expect(() => followUpDeadline(value)).toThrow(RangeError);
  });

  it('leap days exist only in leap years', () => {
    expect(isWorkingDay('2028-02-29')).toBe(true);
    expect(() => isWorkingDay('2100-02-29')).toThrow(RangeError);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('n = %s', (n) => {
    expect(() => addWorkingDays('2026-11-20', n)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-11-20', n)).toThrow(String(n));
  });

  it('dates outside the holiday table throw rather than guess', () => {
    expect(() => isWorkingDay('1999-12-31')).toThrow(/"1999-12-31".*2000-2100/);
    expect(() => followUpDeadline('2100-12-30')).toThrow(RangeError);
    expect(() => publicHolidays(1999)).toThrow(RangeError);
    expect(() => publicHolidays(2026.5)).toThrow('2026.5');
    expect(followUpDeadline('2000-01-01')).toBe('2000-01-05');
  });
});

describe('properties', () => {
  const first = toMs('2000-03-01'); // room for the countdown property to look 40 days back
  const last = toMs('2099-12-01');
  const anyDate = fc.integer({ min: 0, max: (last - first) / DAY_MS }).map((i) => fromMs(first + i * DAY_MS));
  // Closed dates are relative to the generated date so that they matter.
  const withCalendar = fc.tuple(anyDate, fc.boolean(), fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 6 })).map(
    ([date, saturdayIsWorkingDay, offsets]): [string, CalendarOptions] => [
      date,
      { saturdayIsWorkingDay, closedDates: offsets.map((o) => plusDays(date, o)) },
    ],
  );

  const oracleCount = (from: string, to: string, cal: CalendarOptions): number => {
    let n = 0;
    for (let d = plusDays(from, 1); d <= to; d = plusDays(d, 1)) if (oracleIsWorkingDay(d, cal)) n++;
    return n;
  };

  it('the deadline is a working day strictly after discharge with exactly 3 working days in (discharge, deadline]', () => {
    fc.assert(
      fc.property(withCalendar, ([date, cal]) => {
        const deadline = followUpDeadline(date, cal);
        expect(deadline > date).toBe(true);
        expect(isWorkingDay(deadline, cal)).toBe(true);
        expect(oracleIsWorkingDay(deadline, cal)).toBe(true);
        expect(oracleCount(date, deadline, cal)).toBe(3);
        expect(oracleCount(date, plusDays(deadline, -1), cal)).toBe(2);
      }),
      { numRuns: 500, seed: 42 },
    );
  });

  it('addWorkingDays(d, n) is a working day for n > 0 and the countdown inverts it', () => {
    fc.assert(
      fc.property(withCalendar, fc.integer({ min: 1, max: 60 }), ([date, cal], n) => {
        const later = addWorkingDays(date, n, cal);
        expect(isWorkingDay(later, cal)).toBe(true);
        expect(oracleCount(date, later, cal)).toBe(n);
        if (isWorkingDay(date, cal)) {
          expect(workingDaysUntil(later, date, cal)).toBe(n);
          expect(workingDaysUntil(date, later, cal)).toBe(-n);
        }
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it('the countdown is antisymmetric around the deadline and never 0 except on it', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -40, max: 40 }), (deadline, delta) => {
        const today = plusDays(deadline, delta);
        const days = workingDaysUntil(deadline, today);
        expect(Math.sign(days)).toBe(delta === 0 ? 0 : -Math.sign(delta));
      }),
      { numRuns: 500, seed: 3 },
    );
  });
});

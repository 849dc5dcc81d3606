import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  followUpDeadline,
  isPublicHoliday,
  isWorkingDay,
  osloDate,
  osloInstant,
  publicHolidays,
  workingDaysUntil,
} from '../../../src/domain/calendar';

// Edges of the calendar that the mutation run (npm run mutation) showed untested: the messages of rejected
// input (they name the field and what was expected), the ends of the holiday table (2000-2100), and leap
// seconds and fractions in instants. Every expected value is written by hand.

describe('rejected input names the field and the expected form', () => {
  it.each([
    ['a day that does not exist', () => isWorkingDay('2026-02-29'), 'Invalid date "2026-02-29": expected an existing calendar date YYYY-MM-DD'],
    ['month 13', () => isWorkingDay('2026-13-01'), 'Invalid date "2026-13-01": expected an existing calendar date YYYY-MM-DD'],
    ['not YYYY-MM-DD', () => isWorkingDay('2026-2-3'), 'Invalid date "2026-2-3": expected a date YYYY-MM-DD'],
    ['a deadline', () => workingDaysUntil('2026-11-31', '2026-11-25'), 'Invalid deadline "2026-11-31": expected an existing calendar date'],
    ['today', () => workingDaysUntil('2026-11-25', '25.11.2026'), 'Invalid today "25.11.2026": expected a date YYYY-MM-DD'],
    ['a closed date', () => isWorkingDay('2026-11-25', { closedDates: ['2026-11-31'] }), 'Invalid closed date "2026-11-31"'],
    ['a space for T', () => osloDate('2026-11-25 10:00'), 'Invalid date or date-time "2026-11-25 10:00": expected YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][Z|±hh:mm]'],
    ['hour 24', () => osloDate('2026-11-25T24:00'), 'Invalid date-time "2026-11-25T24:00": expected a time of day 00:00:00-23:59:60'],
    ['minute 60', () => followUpDeadline('2026-11-25T10:60Z'), 'expected a time of day 00:00:00-23:59:60'],
    ['a day that does not exist in a date-time', () => osloDate('2026-02-30T10:00Z'), 'Invalid date-time "2026-02-30T10:00Z": expected an existing calendar date'],
    ['offset +15:00', () => osloDate('2026-11-25T10:00+15:00'), 'Invalid date-time "2026-11-25T10:00+15:00": expected a UTC offset between -14:00 and +14:00'],
    ['offset minutes 60', () => osloDate('2026-11-25T10:00+01:60'), 'expected a UTC offset between -14:00 and +14:00'],
    ['half a working day', () => addWorkingDays('2026-11-25', 1.5), 'Invalid number of working days 1.5: expected a whole number >= 0'],
    ['minus one working day', () => addWorkingDays('2026-11-25', -1), 'Invalid number of working days -1: expected a whole number >= 0'],
    ['a year before the table', () => publicHolidays(1999), 'Invalid year 1999: expected a whole year 2000-2100'],
    ['a year after the table', () => publicHolidays(2101), 'Invalid year 2101: expected a whole year 2000-2100'],
    ['half a year', () => publicHolidays(2026.5), 'Invalid year 2026.5: expected a whole year 2000-2100'],
    ['an instant with hour 25', () => osloInstant('2026-11-25T25:00'), 'Ugyldig tidspunkt: "2026-11-25T25:00" (ventet ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DDTtt:mm[:ss][Z|±tt:mm])'],
    ['an instant on 30 Feb', () => osloInstant('2026-02-30'), 'Ugyldig tidspunkt: "2026-02-30"'],
  ])('%s', (_name, call, message) => {
    expect(call).toThrow(RangeError);
    expect(call).toThrow(message);
  });

  it('a seconds value of 60 (leap second) is accepted, 61 is not', () => {
    expect(osloDate('2016-12-31T23:59:60Z')).toBe('2017-01-01'); // 00:59:60 in Oslo (UTC+1)
    expect(() => osloDate('2016-12-31T23:59:61Z')).toThrow('expected a time of day 00:00:00-23:59:60');
  });

  it('offsets up to ±14:00 are accepted', () => {
    // 2026-11-25 01:00 at +14:00 is 2026-11-24 11:00 UTC = 12:00 in Oslo.
    expect(osloDate('2026-11-25T01:00+14:00')).toBe('2026-11-24');
    // 2026-11-25 22:00 at -14:00 is 2026-11-26 12:00 UTC = 13:00 in Oslo.
    expect(osloDate('2026-11-25T22:00-14:00')).toBe('2026-11-26');
  });
});

describe('the holiday table covers 2000-2100 and no more', () => {
  it.each([
    ['2000-01-01', true, '1 Jan 2000: the first day of the table'],
    ['2000-04-21', true, 'Good Friday 2000 (Easter 23 Apr)'],
    ['2100-12-26', true, '26 Dec 2100'],
    ['2100-12-31', false, '31 Dec 2100: the last day of the table, not a holiday'],
  ])('isPublicHoliday(%s) = %s (%s)', (date, holiday) => {
    expect(isPublicHoliday(date)).toBe(holiday);
  });

  it.each([['1999-12-31'], ['2101-01-01']])('%s is outside the table: a RangeError, never a guess', (date) => {
    expect(() => isPublicHoliday(date)).toThrow(`Date "${date}" is outside the supported holiday years 2000-2100`);
    expect(() => isWorkingDay(date)).toThrow(`Date "${date}" is outside the supported holiday years 2000-2100`);
  });

  it('the first and last years of the table list their holidays', () => {
    // 2000: Easter Sunday 23 Apr; 2100: Easter Sunday 28 Mar (Meeus/Jones/Butcher).
    expect(publicHolidays(2000).map((h) => h.date)).toEqual([
      '2000-01-01', '2000-04-20', '2000-04-21', '2000-04-23', '2000-04-24', '2000-05-01', '2000-05-17',
      '2000-06-01', '2000-06-11', '2000-06-12', '2000-12-25', '2000-12-26',
    ]);
    expect(publicHolidays(2100).map((h) => h.date)).toEqual([
      '2100-01-01', '2100-03-25', '2100-03-26', '2100-03-28', '2100-03-29', '2100-05-01', '2100-05-06',
      '2100-05-16', '2100-05-17', '2100-05-17', '2100-12-25', '2100-12-26',
    ].filter((d, i, all) => all.indexOf(d) === i));
  });

  it('a working day on 30 Dec 2100 is found; the deadline after it would leave the table', () => {
    expect(isWorkingDay('2100-12-30')).toBe(true); // Thursday
    expect(() => followUpDeadline('2100-12-29')).toThrow('outside the supported holiday years 2000-2100');
  });
});

describe('addWorkingDays', () => {
  it.each([
    ['2026-11-25', 0, '2026-11-25', '0 returns the date itself'],
    ['2026-11-21', 0, '2026-11-21', '0 returns the date itself, also a Saturday'],
    ['2026-11-20', 1, '2026-11-23', 'Friday + 1 = Monday'],
    ['2026-03-31', 3, '2026-04-08', 'Tue 31 Mar + 3 over Easter: Wed 1, Tue 7, Wed 8 (2, 3 and 6 Apr are holidays)'],
  ])('%s + %s = %s (%s)', (date, n, expected) => {
    expect(addWorkingDays(date, n)).toBe(expected);
  });
});

describe('osloInstant: fractions and leap seconds', () => {
  it.each([
    ['2026-11-25T10:00:00.250Z', Date.UTC(2026, 10, 25, 10, 0, 0, 250)],
    ['2026-11-25T10:00:00.5Z', Date.UTC(2026, 10, 25, 10, 0, 0, 500)],
    ['2026-11-25T10:00:00Z', Date.UTC(2026, 10, 25, 10, 0, 0, 0)],
    // A leap second is ordered as the last millisecond of its minute.
    ['2016-12-31T23:59:60Z', Date.UTC(2016, 11, 31, 23, 59, 59, 999)],
    // No offset = Oslo local time: 10:00 in November is 09:00 UTC, in June 08:00 UTC.
    ['2026-11-25T10:00', Date.UTC(2026, 10, 25, 9, 0, 0, 0)],
    ['2026-06-15T10:00', Date.UTC(2026, 5, 15, 8, 0, 0, 0)],
    ['2026-11-25T10:00+05:30', Date.UTC(2026, 10, 25, 4, 30, 0, 0)],
    ['2026-11-25T10:00-03:00', Date.UTC(2026, 10, 25, 13, 0, 0, 0)],
    ['2026-11-25', Date.UTC(2026, 10, 24, 23, 0, 0, 0)],
  ])('%s', (at, expected) => {
    expect(osloInstant(at)).toBe(expected);
  });
});

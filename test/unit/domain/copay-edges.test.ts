import { describe, expect, test } from 'vitest';
import { ageOn, allocateCopayments, type CopayPatient, type DayCharge } from '../../../src/domain/copay';

// Edges of the co-payment rule that the mutation run (npm run mutation) showed untested. Expected values by
// hand from SPEC §6: "Otherwise exactly one charge that day carries an egenandel: if one has already been
// settled (paid or billed), it stays the bearer; else the earliest by service time, then id."

const adult: CopayPatient = { birthDate: '1950-05-05' };
const charge = (id: string, at: string, over: Partial<DayCharge> = {}): DayCharge => ({ id, at, egenandel: 100, ...over });
const bearers = (charges: DayCharge[]): string[] => allocateCopayments(charges, adult).filter((d) => d.charged > 0).map((d) => d.id);

describe('SPEC §6: the same service time is decided by id', () => {
  test.each([
    ['a before b, given in order', [charge('a', '2026-11-25T10:00'), charge('b', '2026-11-25T10:00')], ['a']],
    ['a before b, given in reverse', [charge('b', '2026-11-25T10:00'), charge('a', '2026-11-25T10:00')], ['a']],
    ['the same instant written two ways (10:00 Oslo = 09:00Z)', [charge('z', '2026-11-25T09:00:00Z'), charge('y', '2026-11-25T10:00')], ['y']],
    ['three at once, the middle id in the middle', [charge('c2', '2026-11-25T08:00'), charge('c3', '2026-11-25T08:00'), charge('c1', '2026-11-25T08:00')], ['c1']],
    ['ids compare as plain strings: "10" < "9"', [charge('9', '2026-11-25T08:00'), charge('10', '2026-11-25T08:00')], ['10']],
    ['an earlier time beats a smaller id', [charge('a', '2026-11-25T10:01'), charge('b', '2026-11-25T10:00')], ['b']],
  ])('%s', (_name, charges, expected) => {
    expect(bearers(charges)).toEqual(expected);
  });

  test('the others are waived as already charged today, in input order', () => {
    expect(allocateCopayments([charge('b', '2026-11-25T10:00'), charge('a', '2026-11-25T10:00')], adult)).toEqual([
      { id: 'b', charged: 0, waived: 100, reason: 'SAME_DAY' },
      { id: 'a', charged: 100, waived: 0 },
    ]);
  });
});

describe('rejected input', () => {
  test.each([
    ['a negative egenandel', charge('c1', '2026-11-25T10:00', { egenandel: -1 }), 'Ugyldig egenandel for c1: -1'],
    ['an egenandel that is not a number', charge('c2', '2026-11-25T10:00', { egenandel: Number.NaN }), 'Ugyldig egenandel for c2: NaN'],
  ])('%s', (_name, c, message) => {
    expect(() => allocateCopayments([c], adult)).toThrow(RangeError);
    expect(() => allocateCopayments([c], adult)).toThrow(message);
  });

  test.each([
    ['16.05.2010', '2026-05-16', 'Ugyldig dato: "16.05.2010"'],
    ['2010-05-16', 'i dag', 'Ugyldig dato: "i dag"'],
    ['', '2026-05-16', 'Ugyldig dato: ""'],
  ])('ageOn(%j, %j) throws %s', (birth, day, message) => {
    expect(() => ageOn(birth, day)).toThrow(RangeError);
    expect(() => ageOn(birth, day)).toThrow(message);
  });
});

describe('ageOn with a partial day (FHIR YYYY or YYYY-MM: its earliest possible day)', () => {
  test.each([
    ['2010-01-01', '2026', 16], // 2026 = 1 Jan 2026: the 16th birthday
    ['2010-01-02', '2026', 15],
    ['2010-01-01', '2026-01', 16], // 2026-01 = 1 Jan 2026
    ['2010-02-01', '2026-01', 15],
  ])('ageOn(%s, %s) = %i', (birth, day, age) => {
    expect(ageOn(birth, day)).toBe(age);
  });
});

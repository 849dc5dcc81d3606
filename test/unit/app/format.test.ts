import { expect, test } from 'vitest';
import { ageInYears, formatDate, formatNationalId, osloToday } from '../../../src/ui/format';

test.each([
  ['01019012345', '010190 12345'],
  ['010190 12345', '010190 12345'],
  ['12345', '12345'],
])('formatNationalId(%s) = %s', (input, expected) => {
  expect(formatNationalId(input)).toBe(expected);
});

test('formatDate gives dd.mm.åååå', () => {
  expect(formatDate('2026-11-22')).toBe('22.11.2026');
  expect(formatDate('2026-11-22T10:00:00Z')).toBe('22.11.2026');
});

test.each([
  ['1990-01-01', '2026-11-23', 36],
  ['1990-11-23', '2026-11-23', 36],
  ['1990-11-24', '2026-11-23', 35],
  ['2000-02-29', '2025-02-28', 24],
  ['2000-02-29', '2025-03-01', 25],
  ['1990', '2026-11-23', 35],
  ['2027-01-01', '2026-11-23', undefined],
])('age of %s on %s is %s', (birth, today, age) => {
  expect(ageInYears(birth, today)).toBe(age);
});

test('osloToday uses the Oslo calendar date (SPEC §2)', () => {
  expect(osloToday(new Date('2026-11-22T23:30:00Z'))).toBe('2026-11-23');
  expect(osloToday(new Date('2026-06-30T21:59:00Z'))).toBe('2026-06-30');
  expect(osloToday(new Date('2026-06-30T22:00:00Z'))).toBe('2026-07-01');
});

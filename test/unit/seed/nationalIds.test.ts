import { describe, expect, test } from 'vitest';
import { generatePractice } from '../../../sandbox/seed/index';
import { SYSTEMS } from '../../../src/fhir/systems';
import { birthCentury, byType, isValidNationalId } from './osloTestHelpers';

describe('the test validator itself', () => {
  // Published valid and invalid numbers from the norwegian-national-id-validator test suite.
  test.each(['29029600013', '03119849925', '03111590981', '03115690905', '03110175255'])('accepts fnr %s', (id) => {
    expect(isValidNationalId(id)).toBe(true);
  });
  test.each(['71010073132', '50101099943'])('accepts D-number %s', (id) => {
    expect(isValidNationalId(id)).toBe(true);
  });
  test.each([
    ['29029900157', 'no 29 Feb 1999'],
    ['03119975255', 'bad control digits'],
    ['03111590925', 'bad control digits (an age-only example in that README)'],
    ['67047000658', 'bad control digits'],
    ['2902960001', 'too short'],
    ['29029600014', 'last digit off by one'],
    ['29029600003', 'first control digit off'],
  ])('rejects %s (%s)', (id) => {
    expect(isValidNationalId(id)).toBe(false);
  });
});

describe('identifiers in the seed', () => {
  const { resources } = generatePractice({ asOf: '2026-11-24', patients: 3000, seed: 11 });
  const patients = byType(resources, 'Patient');

  test('every patient has exactly one fnr or D-number, valid by mod-11, unique', () => {
    const seen = new Set<string>();
    for (const p of patients) {
      const ids = (p.identifier ?? []).filter((i) => i.system === SYSTEMS.fnr || i.system === SYSTEMS.dnr);
      expect(ids, p.id).toHaveLength(1);
      const value = ids[0]?.value ?? '';
      expect(isValidNationalId(value), `${p.id} ${value}`).toBe(true);
      expect(seen.has(value)).toBe(false);
      seen.add(value);
    }
  });

  test('the number encodes the birth date, the sex and an individnummer range of the birth year', () => {
    for (const p of patients) {
      const id = p.identifier?.[0];
      const value = id?.value ?? '';
      const dnr = id?.system === SYSTEMS.dnr;
      const day = Number(value.slice(0, 2)) - (dnr ? 40 : 0);
      const century = birthCentury(value);
      const birth = `${(century ?? 0) + Number(value.slice(4, 6))}-${value.slice(2, 4)}-${String(day).padStart(2, '0')}`;
      expect(birth, p.id).toBe(p.birthDate);
      expect(Number(value[8]) % 2 === 1 ? 'male' : 'female', p.id).toBe(p.gender);
    }
  });

  test('some D-numbers (first digit + 4), not many', () => {
    const d = patients.filter((p) => p.identifier?.[0]?.system === SYSTEMS.dnr);
    expect(d.length).toBeGreaterThan(3);
    expect(d.length).toBeLessThan(patients.length * 0.03);
    for (const p of d) expect(Number(p.identifier?.[0]?.value?.[0])).toBeGreaterThanOrEqual(4);
  });
});

import { describe, expect, it } from 'vitest';
import { matchesPatientSearch } from '../../../src/domain/patientSearch';

const inger = { name: 'Inger Hansen', birthDate: '1941-03-07' };
const aase = { name: 'Åse Øvre-Lie', birthDate: '2001-12-24' };

describe('matchesPatientSearch (issue 17 item 21)', () => {
  it.each([
    [inger, '', true],
    [inger, 'inger', true],
    [inger, 'HAN', true],
    [inger, 'ing han', true],
    [inger, 'sen', false],
    [inger, 'inger olsen', false],
    [aase, 'åse', true],
    [aase, 'ase', true],
    [aase, 'lie', true],
    [inger, '07.03.1941', true],
    [inger, '07.03.41', true],
    [inger, '070341', true],
    [inger, '07031941', true],
    [inger, '07.03', true],
    [inger, '03.07.1941', false],
    [aase, '24.12.2001', true],
    [{ name: 'Uten Dato' }, '01.01.1950', false],
  ] as const)('%o with «%s» -> %s', (patient, query, expected) => {
    expect(matchesPatientSearch(patient, query)).toBe(expected);
  });
});

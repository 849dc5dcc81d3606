import { describe, expect, it } from 'vitest';
import { matchesPatientSearch, searchPatients } from '../../../src/domain/patientSearch';

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
    [aase, 'ovre', true],
    [aase, 'ØVRE', true],
    [{ name: 'Kjell Sørensen' }, 'sorensen', true],
    [{ name: 'Kjell Sørensen' }, 'sørensen', true],
    [{ name: 'Bjørn Ærø' }, 'aero', true],
    [{ name: 'René Dahl' }, 'rene', true],
    [{ name: 'Rene Dahl' }, 'rené', true],
    [inger, '  inger  ', true],
    [inger, '7.3.1941', false],
    [inger, '1941', false],
  ] as const)('%o with «%s» -> %s', (patient, query, expected) => {
    expect(matchesPatientSearch(patient, query)).toBe(expected);
  });
});

describe('searchPatients', () => {
  const rows = [
    { id: 'a', who: { name: 'Inger Hansen', birthDate: '1941-03-07' } },
    { id: 'b', who: { name: 'Åse Øvre-Lie', birthDate: '2001-12-24' } },
    { id: 'c', who: { name: 'Ingrid Olsen', birthDate: '1950-01-02' } },
  ];
  it('keeps the rows the query finds, in their order', () => {
    expect(searchPatients(rows, 'ing', (r) => r.who).map((r) => r.id)).toEqual(['a', 'c']);
    expect(searchPatients(rows, '24.12', (r) => r.who).map((r) => r.id)).toEqual(['b']);
  });
  it('an empty or blank query keeps every row', () => {
    expect(searchPatients(rows, '   ', (r) => r.who).map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });
  it('no match gives no rows', () => {
    expect(searchPatients(rows, 'Pettersen', (r) => r.who)).toEqual([]);
  });
});

// The rule set as data: validation of a practice's JSON, and the date helpers behind the windows.
import { describe, expect, test } from 'vitest';
import { codeSystemKind, DEFAULT_RULE_SET, matchKey, normalizeCode, validateRuleSet } from '../../../src/domain/targetGroups';
import { addDays, fullYears, isIsoDate } from '../../../src/domain/targetGroups/isoDate';

const json = (): Record<string, unknown> => JSON.parse(JSON.stringify(DEFAULT_RULE_SET));

describe('validateRuleSet', () => {
  test('the default rule set, round-tripped through JSON, is valid and unchanged', () => {
    expect(validateRuleSet(json())).toEqual({ ok: true, ruleSet: DEFAULT_RULE_SET });
  });

  test('codes are normalised (trimmed, upper case)', () => {
    const input = json();
    input.dementia = { icpc2: [' p70 '], icd10: ['g30'] };
    const result = validateRuleSet(input);
    expect(result.ok && result.ruleSet.dementia).toEqual({ icpc2: ['P70'], icd10: ['G30'] });
  });

  const broken: { name: string; change: (r: Record<string, unknown>) => void; error: string }[] = [
    { name: 'not an object', change: () => undefined, error: 'Regelsettet må være et JSON-objekt' },
    { name: 'missing id', change: (r) => delete r.id, error: 'id: må være en tekst som ikke er tom' },
    { name: 'ICD-10 with subcode', change: (r) => (r.disability = { icpc2: [], icd10: ['F70.1'] }), error: 'disability.icd10[0]: "F70.1" er ikke en ICD-10-kategori' },
    { name: 'range not expanded', change: (r) => (r.mentalSubstance = { icpc2: [], icd10: ['F10-F16'] }), error: 'mentalSubstance.icd10[0]' },
    { name: 'duplicate code', change: (r) => (r.dementia = { icpc2: ['P70', 'p70'], icd10: [] }), error: 'dementia.icpc2[1]: P70 står to ganger' },
    { name: 'list missing', change: (r) => (r.dementia = { icpc2: ['P70'] }), error: 'dementia.icd10: må være en liste med koder' },
    {
      name: 'duplicate disease id',
      change: (r) => (r.chronicDiseases = [...DEFAULT_RULE_SET.chronicDiseases, DEFAULT_RULE_SET.chronicDiseases[0]]),
      error: 'chronicDiseases[11].id: «diabetes» står to ganger',
    },
    {
      name: 'no key disease',
      change: (r) => (r.chronicDiseases = DEFAULT_RULE_SET.chronicDiseases.filter((d) => !d.key)),
      error: 'chronicDiseases: minst én sykdom må være nøkkelsykdom (key: true)',
    },
    {
      name: 'key not boolean',
      change: (r) => (r.chronicDiseases = [{ id: 'x', label: 'x', key: 'yes', icpc2: ['T90'], icd10: [] }]),
      error: 'chronicDiseases[0].key: må være true eller false',
    },
    {
      name: 'disease without codes',
      change: (r) => (r.chronicDiseases = [{ id: 'x', label: 'x', key: true, icpc2: [], icd10: [] }]),
      error: 'chronicDiseases[0]: sykdommen har ingen koder',
    },
    {
      name: 'threshold not an integer',
      change: (r) => (r.thresholds = { ...DEFAULT_RULE_SET.thresholds, lookbackDays: '365' }),
      error: 'thresholds.lookbackDays: må være et heltall fra 1, var "365"',
    },
    {
      name: 'CFS threshold above 9',
      change: (r) => (r.thresholds = { ...DEFAULT_RULE_SET.thresholds, frailtyScoreMin: 10 }),
      error: 'thresholds.frailtyScoreMin: Clinical Frailty Scale går fra 1 til 9',
    },
    {
      name: 'ages the wrong way round',
      change: (r) => (r.thresholds = { ...DEFAULT_RULE_SET.thresholds, frailAgeWithCriteria: 90 }),
      error: 'thresholds.frailAgeWithCriteria: kan ikke være høyere enn frailAge',
    },
  ];
  test.each(broken)('refuses $name with the path', ({ name, change, error }) => {
    const input = json();
    change(input);
    const result = validateRuleSet(name === 'not an object' ? [input] : input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join('\n')).toContain(error);
  });
});

describe('code systems', () => {
  test.each([
    ['http://hl7.org/fhir/sid/icpc-2', 'icpc2'],
    ['urn:oid:2.16.578.1.12.4.1.1.7170', 'icpc2'],
    ['urn:oid:2.16.578.1.12.4.1.1.7110', 'icd10'],
    ['http://hl7.org/fhir/sid/icd-10-no', 'icd10'],
    ['http://hl7.org/fhir/sid/icd-10', 'icd10'],
    ['http://www.whocc.no/atc', 'atc'],
    ['urn:oid:2.16.578.1.12.4.1.1.7180', 'atc'],
    ['http://snomed.info/sct', undefined],
    ['urn:oid:2.16.578.1.12.4.1.1.7171', undefined],
    [undefined, undefined],
  ])('%s -> %s', (system, kind) => {
    expect(codeSystemKind(system)).toBe(kind);
  });
  test.each([
    ['icd10', 'E11', 'E11'],
    ['icd10', 'E11.9', 'E11'],
    ['icd10', 'E119', 'E11'],
    ['icpc2', 'T90', 'T90'],
    ['icpc2', 'T90.1', 'T90'],
    ['atc', 'C09AA05', 'C09AA05'],
  ] as const)('%s %s matches on %s', (kind, code, key) => {
    expect(matchKey(kind, normalizeCode(code))).toBe(key);
  });
  test('normalizeCode trims and upper-cases, and leaves clean codes as they are', () => {
    expect(normalizeCode(' e11.9\t')).toBe('E11.9');
    expect(normalizeCode('E11.9')).toBe('E11.9');
  });
});

describe('iso dates', () => {
  test.each([
    ['2026-11-23', true],
    ['2024-02-29', true],
    ['2026-02-29', false],
    ['1900-02-29', false],
    ['2000-02-29', true],
    ['2026-04-31', false],
    ['2026-00-10', false],
    ['2026-1-01', false],
    ['2026-11-23T10:00', false],
    ['', false],
  ])('isIsoDate(%s) = %s', (value, valid) => {
    expect(isIsoDate(value)).toBe(valid);
  });
  test.each([
    ['2026-11-23', -365, '2025-11-23'],
    ['2026-11-23', -366, '2025-11-22'],
    ['2028-03-01', -365, '2027-03-02'],
    ['2024-12-31', 1, '2025-01-01'],
    ['2024-03-01', -1, '2024-02-29'],
  ])('addDays(%s, %i) = %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });
  test.each([
    ['1941-11-23', '2026-11-23', 85],
    ['1941-11-24', '2026-11-23', 84],
    ['1944-02-29', '2029-02-28', 84],
    ['1944-02-29', '2029-03-01', 85],
    ['1944-02-29', '2028-02-29', 84],
    ['2026-11-23', '2026-11-23', 0],
  ])('fullYears(%s, %s) = %i', (birth, asOf, years) => {
    expect(fullYears(birth, asOf)).toBe(years);
  });
});

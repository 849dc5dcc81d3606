// Table-driven tests of the default target-group rules (SPEC §3).
import { describe, expect, test } from 'vitest';
import {
  classifyPatient,
  classifyPatientWith,
  createClassifier,
  DEFAULT_RULE_SET,
  type Classification,
  type Coding,
  type PatientFacts,
  type RuleSet,
  type TargetGroup,
} from '../../../src/domain/targetGroups';

const ASOF = '2026-11-23'; // a Monday
const ICPC2 = 'http://hl7.org/fhir/sid/icpc-2';
const ICPC2_OID = 'urn:oid:2.16.578.1.12.4.1.1.7170';
const ICD10_NO = 'urn:oid:2.16.578.1.12.4.1.1.7110';
const ICD10_NO_URI = 'http://hl7.org/fhir/sid/icd-10-no';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
const ATC_OID = 'urn:oid:2.16.578.1.12.4.1.1.7180';

function facts(overrides: Partial<PatientFacts> = {}): PatientFacts {
  return {
    birthDate: '1970-06-15',
    conditions: [],
    medications: [],
    contacts: [ASOF],
    discharges: [],
    frailtyScores: [],
    carePlans: [],
    medicationReviews: [],
    assessments: [],
    ...overrides,
  };
}
const coded = (codings: Coding[], active = true) => ({ codings, active });
const icpc = (code: string, active = true) => coded([{ system: ICPC2, code }], active);
const icd = (code: string, active = true) => coded([{ system: ICD10_NO, code }], active);
function meds(n: number): PatientFacts['medications'] {
  return ['C09AA05', 'C10AA05', 'A10BA02', 'B01AC06', 'N02BE01', 'C07AB02'].slice(0, n).map((atc) => ({ atc, active: true }));
}
const rules = (c: Classification, group?: TargetGroup) => c.reasons.filter((r) => group === undefined || r.group === group).map((r) => r.rule);
const run = (overrides: Partial<PatientFacts>, asOf = ASOF) => classifyPatient(facts(overrides), asOf);

describe('chronic diseases: every code of every disease, in each system', () => {
  // Pair each disease with another chronic disease so that the key rule has two distinct diseases.
  const rows = DEFAULT_RULE_SET.chronicDiseases.flatMap((disease) => {
    const partner = disease.id === 'diabetes' ? icpc('R95') : icpc('T90');
    return [
      ...disease.icpc2.map((code) => ({ disease, system: ICPC2, code, shown: `ICPC-2 ${code}`, partner })),
      ...disease.icpc2.map((code) => ({ disease, system: ICPC2_OID, code, shown: `ICPC-2 ${code}`, partner })),
      ...disease.icd10.map((code) => ({ disease, system: ICD10_NO, code, shown: `ICD-10 ${code}`, partner })),
      ...disease.icd10.map((code) => ({ disease, system: ICD10_NO_URI, code: `${code}.9`, shown: `ICD-10 ${code}.9`, partner })),
      ...disease.icd10.map((code) => ({ disease, system: ICD10, code: `${code}1`, shown: `ICD-10 ${code}1`, partner })),
    ];
  });
  test.each(rows)('$disease.id: $system $code', ({ disease, system, code, shown, partner }) => {
    const c = run({ conditions: [coded([{ system, code }]), partner] });
    const multimorbidity = c.reasons.find((r) => r.rule === 'chronic.key-disease-with-multimorbidity');
    expect(c.groups).toEqual(['chronic']);
    expect(multimorbidity?.evidence).toContain(`${shown} (${disease.label})`);
  });

  const keyRows = DEFAULT_RULE_SET.chronicDiseases.map((d) => ({ id: d.id, key: d.key, code: d.icpc2[0] ?? '' }));
  test.each(keyRows)('$id alone with polypharmacy: chronic only if key ($key)', ({ code, key }) => {
    const c = run({ conditions: [icpc(code)], medications: meds(4) });
    expect(c.groups).toEqual(key ? ['chronic'] : []);
  });

  test('the default rule set has exactly the three key diseases of SPEC §3', () => {
    expect(DEFAULT_RULE_SET.chronicDiseases.filter((d) => d.key).map((d) => d.id)).toEqual(['diabetes', 'kols', 'heart-failure']);
    expect(DEFAULT_RULE_SET.chronicDiseases.map((d) => d.id)).toEqual([
      'diabetes', 'kols', 'heart-failure', 'asthma', 'ihd', 'atrial-fibrillation', 'hypertension', 'stroke', 'parkinsonism', 'epilepsy', 'rheumatoid-arthritis',
    ]);
  });
});

describe('chronic: a key disease and one more criterion', () => {
  const rows: { name: string; f: Partial<PatientFacts>; chronic: boolean; rule?: string }[] = [
    { name: 'key + another disease', f: { conditions: [icpc('T90'), icpc('K86')] }, chronic: true, rule: 'chronic.key-disease-with-multimorbidity' },
    { name: 'two key diseases', f: { conditions: [icpc('T90'), icd('J44')] }, chronic: true },
    { name: 'key alone', f: { conditions: [icpc('T90')] }, chronic: false },
    { name: 'key coded twice, ICPC + ICD, counts once', f: { conditions: [icpc('T90'), icd('E11.9')] }, chronic: false },
    { name: 'key coded twice on one condition', f: { conditions: [coded([{ system: ICPC2, code: 'T90' }, { system: ICD10_NO, code: 'E11' }])] }, chronic: false },
    { name: 'T89 and T90 are one disease', f: { conditions: [icpc('T89'), icpc('T90')] }, chronic: false },
    { name: 'two non-key diseases + polypharmacy + discharge', f: { conditions: [icpc('K86'), icpc('R96')], medications: meds(6), discharges: ['2026-10-02'] }, chronic: false },
    { name: 'key + 4 distinct ATC', f: { conditions: [icpc('K77')], medications: meds(4) }, chronic: true, rule: 'chronic.key-disease-with-polypharmacy' },
    { name: 'key + 3 distinct ATC', f: { conditions: [icpc('K77')], medications: meds(3) }, chronic: false },
    {
      name: 'key + 4 medications but 3 distinct ATC (case and spaces normalised)',
      f: { conditions: [icpc('K77')], medications: [...meds(3), { atc: ' c09aa05 ', active: true }] },
      chronic: false,
    },
    { name: 'key + 4 ATC, one inactive', f: { conditions: [icpc('K77')], medications: [...meds(3), { atc: 'B01AC06', active: false }] }, chronic: false },
    { name: 'key + discharge today', f: { conditions: [icpc('R95')], discharges: [ASOF] }, chronic: true, rule: 'chronic.key-disease-with-discharge' },
    { name: 'key + discharge exactly 365 days back', f: { conditions: [icpc('R95')], discharges: ['2025-11-23'] }, chronic: true },
    { name: 'key + discharge 366 days back', f: { conditions: [icpc('R95')], discharges: ['2025-11-22'] }, chronic: false },
    { name: 'key + discharge in the future', f: { conditions: [icpc('R95')], discharges: ['2026-11-24'] }, chronic: false },
    { name: 'inactive key + another disease', f: { conditions: [icpc('T90', false), icpc('K86')] }, chronic: false },
    { name: 'key + inactive other disease', f: { conditions: [icpc('T90'), icpc('K86', false)] }, chronic: false },
  ];
  test.each(rows)('$name', ({ f, chronic, rule }) => {
    const c = run(f);
    expect(c.groups.includes('chronic')).toBe(chronic);
    if (rule !== undefined) expect(rules(c, 'chronic')).toContain(rule);
  });

  test('evidence names code, system and date in Norwegian-friendly form', () => {
    const c = run({ conditions: [icpc('T90'), icd('I10')], medications: meds(4), discharges: ['2026-10-02', '2026-03-01'] });
    expect(c.reasons).toEqual([
      { group: 'chronic', rule: 'chronic.key-disease-with-multimorbidity', evidence: ['ICPC-2 T90 (diabetes)', 'ICD-10 I10 (hypertensjon)'] },
      {
        group: 'chronic',
        rule: 'chronic.key-disease-with-polypharmacy',
        evidence: ['ICPC-2 T90 (diabetes)', '4 aktive legemidler med ulik ATC-kode', 'ATC C09AA05', 'ATC C10AA05', 'ATC A10BA02', 'ATC B01AC06'],
      },
      { group: 'chronic', rule: 'chronic.key-disease-with-discharge', evidence: ['ICPC-2 T90 (diabetes)', 'Utskrevet 2026-10-02', 'Utskrevet 2026-03-01'] },
    ]);
  });

  test('evidence goes disease by disease in rule-set order, each coding once per disease in the order of the facts', () => {
    // Hypertension first in the facts, diabetes first in the rule set (SPEC §3 table); T90 twice, once with
    // spaces and in lower case; the same discharge twice.
    const c = run({ conditions: [icd('I10'), icpc('T90'), icd('E11.9'), icpc(' t90 ')], discharges: ['2026-10-02', '2026-10-02'] });
    expect(c.reasons).toEqual([
      {
        group: 'chronic',
        rule: 'chronic.key-disease-with-multimorbidity',
        evidence: ['ICPC-2 T90 (diabetes)', 'ICD-10 E11.9 (diabetes)', 'ICD-10 I10 (hypertensjon)'],
      },
      { group: 'chronic', rule: 'chronic.key-disease-with-discharge', evidence: ['ICPC-2 T90 (diabetes)', 'ICD-10 E11.9 (diabetes)', 'Utskrevet 2026-10-02'] },
    ]);
  });
});

describe('code matching', () => {
  const rows: { name: string; coding: Coding; counts: boolean }[] = [
    { name: 'ICPC-2 by URI', coding: { system: ICPC2, code: 'P72' }, counts: true },
    { name: 'ICPC-2 by OID', coding: { system: ICPC2_OID, code: 'P72' }, counts: true },
    { name: 'ICD-10 by Volven OID', coding: { system: ICD10_NO, code: 'F20' }, counts: true },
    { name: 'ICD-10-NO by URI', coding: { system: ICD10_NO_URI, code: 'F20' }, counts: true },
    { name: 'ICD-10 by WHO URI', coding: { system: ICD10, code: 'F20' }, counts: true },
    { name: 'ICD-10 with dot', coding: { system: ICD10_NO, code: 'F20.0' }, counts: true },
    { name: 'ICD-10 without dot', coding: { system: ICD10_NO, code: 'F200' }, counts: true },
    { name: 'lower case and spaces', coding: { system: ICD10_NO, code: ' f20.0 ' }, counts: true },
    { name: 'ICPC-2 lower case', coding: { system: ICPC2, code: 'p72' }, counts: true },
    { name: 'system with trailing slash and capitals', coding: { system: ' HTTP://hl7.org/fhir/sid/icpc-2/ ', code: 'P72' }, counts: true },
    { name: 'unknown system with a matching code', coding: { system: 'http://snomed.info/sct', code: 'P72' }, counts: false },
    { name: 'ATC system is not a diagnosis', coding: { system: ATC_OID, code: 'F20' }, counts: false },
    { name: 'ICPC-2 code in the ICD-10 system', coding: { system: ICD10_NO, code: 'P72' }, counts: false },
    { name: 'ICD-10 code in the ICPC-2 system', coding: { system: ICPC2, code: 'F20' }, counts: false },
    { name: 'too short a code', coding: { system: ICD10_NO, code: 'F2' }, counts: false },
    { name: 'empty code', coding: { system: ICD10_NO, code: '' }, counts: false },
  ];
  test.each(rows)('$name', ({ coding, counts }) => {
    expect(run({ conditions: [coded([coding])] }).groups).toEqual(counts ? ['mental-substance'] : []);
  });
});

describe('mental-substance', () => {
  const list = DEFAULT_RULE_SET.mentalSubstance;
  test.each([...list.icpc2.map((code) => ({ system: ICPC2, code })), ...list.icd10.map((code) => ({ system: ICD10_NO, code }))])(
    '$system $code qualifies',
    ({ system, code }) => {
      const c = run({ conditions: [coded([{ system, code }])] });
      expect(c.groups).toEqual(['mental-substance']);
      expect(c.reasons[0]?.rule).toBe('mental-substance.diagnosis');
    },
  );
  test('ICD-10 lists F10-F16, F18, F19, F20-F29, F30, F31 and nothing else', () => {
    expect(list.icd10).toEqual([
      'F10', 'F11', 'F12', 'F13', 'F14', 'F15', 'F16', 'F18', 'F19', 'F20', 'F21', 'F22', 'F23', 'F24', 'F25', 'F26', 'F27', 'F28', 'F29', 'F30', 'F31',
    ]);
  });
  const excluded: { name: string; coding: Coding }[] = [
    { name: 'F17 tobacco', coding: { system: ICD10_NO, code: 'F17.2' } },
    { name: 'F32 depression', coding: { system: ICD10_NO, code: 'F32' } },
    { name: 'F33 recurrent depression', coding: { system: ICD10_NO, code: 'F33.1' } },
    { name: 'F41 anxiety', coding: { system: ICD10_NO, code: 'F41' } },
    { name: 'P76 depression (ICPC-2)', coding: { system: ICPC2, code: 'P76' } },
    { name: 'P74 anxiety (ICPC-2)', coding: { system: ICPC2, code: 'P74' } },
    { name: 'P17 tobacco (ICPC-2)', coding: { system: ICPC2, code: 'P17' } },
  ];
  test.each(excluded)('$name does not qualify alone', ({ coding }) => {
    expect(run({ conditions: [coded([coding])] }).groups).toEqual([]);
  });
  test('an inactive diagnosis does not count', () => {
    expect(run({ conditions: [icd('F20', false)] }).groups).toEqual([]);
  });
});

describe('disability', () => {
  const list = DEFAULT_RULE_SET.disability;
  test.each([...list.icpc2.map((code) => ({ system: ICPC2_OID, code })), ...list.icd10.map((code) => ({ system: ICD10_NO, code }))])(
    '$system $code qualifies',
    ({ system, code }) => {
      const c = run({ conditions: [coded([{ system, code }])] });
      expect(c.groups).toEqual(['disability']);
      expect(c.reasons[0]).toMatchObject({ rule: 'disability.diagnosis' });
    },
  );
  test('every "-28" functional-limitation chapter code is in the list', () => {
    for (const chapter of 'ABDFHKLNPRSTUWXYZ') expect(list.icpc2).toContain(`${chapter}28`);
    expect(list.icd10).toEqual(['F70', 'F71', 'F72', 'F73', 'F74', 'F75', 'F76', 'F77', 'F78', 'F79', 'F84', 'G80', 'Q90', 'Q91', 'Q92', 'Q93']);
  });
  test.each(['F69', 'F80', 'Q94', 'G81'])('%s is not in the list', (code) => {
    expect(run({ conditions: [icd(code)] }).groups).toEqual([]);
  });
});

describe('frail-elderly', () => {
  const born = (age: number) => `${2026 - age}-06-15`;
  const rows: { name: string; f: Partial<PatientFacts>; asOf?: string; frail: boolean; rule?: string }[] = [
    { name: 'age 85', f: { birthDate: born(85) }, frail: true, rule: 'frail-elderly.age' },
    { name: 'age 84, nothing else', f: { birthDate: born(84) }, frail: false },
    { name: '85th birthday on asOf', f: { birthDate: '1941-11-23' }, frail: true },
    { name: 'the day before the 85th birthday', f: { birthDate: '1941-11-24' }, frail: false },
    { name: 'born 29 Feb: 85 on 1 Mar in a common year', f: { birthDate: '1944-02-29' }, asOf: '2029-03-01', frail: true },
    { name: 'born 29 Feb: still 84 on 28 Feb in a common year', f: { birthDate: '1944-02-29' }, asOf: '2029-02-28', frail: false },
    { name: 'born 28 Feb 1943: 85 on 28 Feb 2028', f: { birthDate: '1943-02-28' }, asOf: '2028-02-28', frail: true },
    { name: 'born 29 Feb 1944: 84 on 29 Feb 2028', f: { birthDate: '1944-02-29' }, asOf: '2028-02-29', frail: false },
    { name: 'born 29 Feb 1943 is not a date', f: { birthDate: '1943-02-29' }, frail: false },
    { name: '75 + CFS 5', f: { birthDate: born(75), frailtyScores: [{ value: 5, date: '2026-01-01' }] }, frail: true, rule: 'frail-elderly.age-with-frailty-score' },
    { name: '75 + CFS 4', f: { birthDate: born(75), frailtyScores: [{ value: 4, date: '2026-01-01' }] }, frail: false },
    { name: '74 + CFS 9', f: { birthDate: born(74), frailtyScores: [{ value: 9, date: '2026-01-01' }] }, frail: false },
    {
      name: 'latest CFS wins (old 7, new 3)',
      f: { birthDate: born(80), frailtyScores: [{ value: 7, date: '2025-01-01' }, { value: 3, date: '2026-01-01' }] },
      frail: false,
    },
    {
      name: 'latest CFS wins regardless of array order (new 6 first)',
      f: { birthDate: born(80), frailtyScores: [{ value: 6, date: '2026-01-01' }, { value: 3, date: '2025-01-01' }] },
      frail: true,
    },
    {
      name: 'CFS on the same date: the later entry wins',
      f: { birthDate: born(80), frailtyScores: [{ value: 3, date: '2026-01-01' }, { value: 6, date: '2026-01-01' }] },
      frail: true,
    },
    {
      name: 'CFS after asOf is ignored',
      f: { birthDate: born(80), frailtyScores: [{ value: 6, date: '2026-01-01' }, { value: 2, date: '2026-11-24' }] },
      frail: true,
    },
    {
      name: 'an out-of-range CFS is not the latest',
      f: { birthDate: born(80), frailtyScores: [{ value: 6, date: '2026-01-01' }, { value: 12, date: '2026-02-01' }] },
      frail: true,
    },
    { name: '75 + dementia ICPC-2 P70', f: { birthDate: born(75), conditions: [icpc('P70')] }, frail: true, rule: 'frail-elderly.age-with-dementia' },
    { name: '74 + dementia', f: { birthDate: born(74), conditions: [icpc('P70')] }, frail: false },
    { name: '75 + inactive dementia', f: { birthDate: born(75), conditions: [icpc('P70', false)] }, frail: false },
    { name: '75 + discharge 365 days back', f: { birthDate: born(75), discharges: ['2025-11-23'] }, frail: true, rule: 'frail-elderly.age-with-discharge' },
    { name: '75 + discharge 366 days back', f: { birthDate: born(75), discharges: ['2025-11-22'] }, frail: false },
    {
      name: '75 + polypharmacy + 2 chronic diseases',
      f: { birthDate: born(75), conditions: [icpc('K86'), icpc('R96')], medications: meds(4) },
      frail: true,
      rule: 'frail-elderly.age-with-polypharmacy-and-multimorbidity',
    },
    { name: '75 + polypharmacy + 1 chronic disease', f: { birthDate: born(75), conditions: [icpc('K86')], medications: meds(5) }, frail: false },
    { name: '75 + 2 chronic diseases, 3 medications', f: { birthDate: born(75), conditions: [icpc('K86'), icpc('R96')], medications: meds(3) }, frail: false },
  ];
  test.each(rows)('$name', ({ f, asOf, frail, rule }) => {
    const c = run(f, asOf);
    expect(c.groups.includes('frail-elderly')).toBe(frail);
    if (rule !== undefined) expect(rules(c, 'frail-elderly')).toContain(rule);
  });

  test.each(DEFAULT_RULE_SET.dementia.icd10)('dementia ICD-10 %s at 75', (code) => {
    expect(run({ birthDate: born(75), conditions: [icd(`${code}.1`)] }).groups).toEqual(['frail-elderly']);
  });

  test('at 85 every rule that fires is listed, with age evidence', () => {
    const c = run({ birthDate: '1940-01-10', frailtyScores: [{ value: 6, date: '2026-05-05' }], discharges: ['2026-10-02'] });
    expect(c.reasons).toEqual([
      { group: 'frail-elderly', rule: 'frail-elderly.age', evidence: ['Alder 86 år (født 1940-01-10)'] },
      {
        group: 'frail-elderly',
        rule: 'frail-elderly.age-with-frailty-score',
        evidence: ['Alder 86 år (født 1940-01-10)', 'Klinisk skrøpelighetsskala (CFS) 6, 2026-05-05'],
      },
      { group: 'frail-elderly', rule: 'frail-elderly.age-with-discharge', evidence: ['Alder 86 år (født 1940-01-10)', 'Utskrevet 2026-10-02'] },
    ]);
  });
});

describe('birth date data quality', () => {
  const rows: { name: string; birthDate: string | undefined; warning: RegExp }[] = [
    { name: 'missing', birthDate: undefined, warning: /Fødselsdato mangler/ },
    { name: 'empty', birthDate: '', warning: /Fødselsdato mangler/ },
    { name: '30 February', birthDate: '1930-02-30', warning: /Ugyldig fødselsdato "1930-02-30"/ },
    { name: 'year only', birthDate: '1930', warning: /Ugyldig fødselsdato/ },
    { name: 'no dashes', birthDate: '19300101', warning: /Ugyldig fødselsdato/ },
    { name: 'date-time', birthDate: '1930-01-01T00:00:00Z', warning: /Ugyldig fødselsdato/ },
    { name: 'text', birthDate: 'ukjent', warning: /Ugyldig fødselsdato/ },
    { name: 'after asOf', birthDate: '2026-11-24', warning: /etter 2026-11-23/ },
  ];
  test.each(rows)('$name: age rules skipped with a warning, other rules still run', ({ birthDate, warning }) => {
    const c = run({ birthDate, conditions: [icd('F20'), icpc('P70')], discharges: ['2026-10-01'] });
    expect(c.groups).toEqual(['mental-substance']);
    expect(c.warnings).toHaveLength(1);
    expect(c.warnings[0]).toMatch(warning);
  });
  test('a valid birth date gives no warning', () => {
    expect(run({ birthDate: '1930-01-01' }).warnings).toEqual([]);
  });
  test('invalid dates elsewhere are warned about and not used', () => {
    const c = run({
      contacts: ['2026-13-01'],
      discharges: ['i går'],
      medicationReviews: ['2026-02-29'],
      frailtyScores: [{ value: 6, date: '' }],
      assessments: [{ group: 'chronic', include: true, reason: 'x', date: '2026/01/01' }],
    });
    expect(c.warnings).toHaveLength(5);
    expect(c.groups).toEqual([]);
  });
});

describe('team assessment wins over the rules', () => {
  const candidate = { conditions: [icd('F20')] };
  type A = PatientFacts['assessments'][number];
  const a = (include: boolean, date: string, group: TargetGroup = 'mental-substance', author?: string): A => ({
    group, include, date, reason: include ? 'Trenger koordinert oppfølging' : 'Følges av DPS', author,
  });
  const rows: { name: string; f: Partial<PatientFacts>; groups: TargetGroup[]; confirmed: TargetGroup[] }[] = [
    { name: 'candidate, no assessment', f: candidate, groups: ['mental-substance'], confirmed: [] },
    { name: 'candidate confirmed', f: { ...candidate, assessments: [a(true, '2026-01-01')] }, groups: ['mental-substance'], confirmed: ['mental-substance'] },
    { name: 'candidate rejected', f: { ...candidate, assessments: [a(false, '2026-01-01')] }, groups: [], confirmed: [] },
    { name: 'included without any rule', f: { assessments: [a(true, '2026-01-01', 'disability')] }, groups: ['disability'], confirmed: ['disability'] },
    { name: 'latest by date: rejected then confirmed', f: { ...candidate, assessments: [a(false, '2025-01-01'), a(true, '2026-01-01')] }, groups: ['mental-substance'], confirmed: ['mental-substance'] },
    { name: 'latest by date, not array order', f: { ...candidate, assessments: [a(false, '2026-01-01'), a(true, '2025-01-01')] }, groups: [], confirmed: [] },
    { name: 'same date: the later entry wins (exclude last)', f: { ...candidate, assessments: [a(true, '2026-01-01'), a(false, '2026-01-01')] }, groups: [], confirmed: [] },
    { name: 'same date: the later entry wins (include last)', f: { ...candidate, assessments: [a(false, '2026-01-01'), a(true, '2026-01-01')] }, groups: ['mental-substance'], confirmed: ['mental-substance'] },
    { name: 'an assessment after asOf is ignored', f: { ...candidate, assessments: [a(false, '2026-11-24')] }, groups: ['mental-substance'], confirmed: [] },
    { name: 'an assessment on asOf counts', f: { ...candidate, assessments: [a(false, ASOF)] }, groups: [], confirmed: [] },
    { name: 'per group: rejecting one leaves another', f: { conditions: [icd('F20'), icd('F70')], assessments: [a(false, '2026-01-01')] }, groups: ['disability'], confirmed: [] },
    {
      name: 'groups and confirmed keep TargetGroup order',
      f: { assessments: [a(true, '2026-01-01', 'disability'), a(true, '2026-01-01', 'chronic'), a(true, '2026-01-01', 'frail-elderly')] },
      groups: ['chronic', 'frail-elderly', 'disability'],
      confirmed: ['chronic', 'frail-elderly', 'disability'],
    },
  ];
  test.each(rows)('$name', ({ f, groups, confirmed }) => {
    const c = run(f);
    expect(c.groups).toEqual(groups);
    expect(c.confirmed).toEqual(confirmed);
  });
  test('the assessment is a reason with date, author and reason; rule reasons stay visible', () => {
    const c = run({ ...candidate, assessments: [a(false, '2026-01-01', 'mental-substance', 'Kari Lege')] });
    expect(c.reasons).toEqual([
      { group: 'mental-substance', rule: 'mental-substance.diagnosis', evidence: ['ICD-10 F20'] },
      { group: 'mental-substance', rule: 'team-assessment.exclude', evidence: ['Avkreftet 2026-01-01 av Kari Lege: Følges av DPS'] },
    ]);
  });
});

describe('home-dwelling: institution residents', () => {
  test('an institution resident is not a candidate; the reason says why', () => {
    const c = run({ livesInInstitution: true, birthDate: '1930-01-01', conditions: [icd('F20')] });
    expect(c.groups).toEqual([]);
    expect(rules(c)).toEqual(['mental-substance.diagnosis', 'home-dwelling.lives-in-institution', 'frail-elderly.age', 'home-dwelling.lives-in-institution']);
    expect(c.weakDemander).toBe(false);
  });
  test('livesInInstitution false or absent changes nothing', () => {
    expect(run({ livesInInstitution: false, conditions: [icd('F20')] }).groups).toEqual(['mental-substance']);
  });
  test('a confirmed resident stays in the group (the team decides) with a warning to reassess', () => {
    const c = run({
      livesInInstitution: true,
      conditions: [icd('F20')],
      assessments: [{ group: 'mental-substance', include: true, reason: 'Kort opphold', date: '2026-01-01' }],
    });
    expect(c.groups).toEqual(['mental-substance']);
    expect(c.confirmed).toEqual(['mental-substance']);
    expect(c.warnings).toEqual(['Bor i institusjon, men er bekreftet i målgruppen «mental-substance» 2026-01-01; vurder på nytt.']);
  });
  test('a rejected resident stays out, no warning', () => {
    const c = run({
      livesInInstitution: true,
      conditions: [icd('F20')],
      assessments: [{ group: 'mental-substance', include: false, reason: 'Sykehjem', date: '2026-01-01' }],
    });
    expect(c.groups).toEqual([]);
    expect(c.warnings).toEqual([]);
  });
});

describe('weak demander: in a group and no contact in the last 365 days', () => {
  const rows: { name: string; f: Partial<PatientFacts>; weak: boolean }[] = [
    { name: 'candidate, no contacts', f: { conditions: [icd('F20')], contacts: [] }, weak: true },
    { name: 'candidate, contact today', f: { conditions: [icd('F20')], contacts: [ASOF] }, weak: false },
    { name: 'candidate, contact exactly 365 days back', f: { conditions: [icd('F20')], contacts: ['2025-11-23'] }, weak: false },
    { name: 'candidate, contact 366 days back', f: { conditions: [icd('F20')], contacts: ['2025-11-22'] }, weak: true },
    { name: 'candidate, only a future contact', f: { conditions: [icd('F20')], contacts: ['2026-12-01'] }, weak: true },
    { name: 'not in a group, no contacts', f: { contacts: [] }, weak: false },
    { name: 'rejected candidate, no contacts', f: { conditions: [icd('F20')], contacts: [], assessments: [{ group: 'mental-substance', include: false, reason: '', date: '2026-01-01' }] }, weak: false },
    { name: 'confirmed without rules, no contacts', f: { contacts: [], assessments: [{ group: 'disability', include: true, reason: '', date: '2026-01-01' }] }, weak: true },
  ];
  test.each(rows)('$name', ({ f, weak }) => {
    expect(run(f).weakDemander).toBe(weak);
  });
});

describe('needsMedicationReview and needsCarePlan', () => {
  const review: { name: string; f: Partial<PatientFacts>; needs: boolean }[] = [
    { name: 'polypharmacy, no review', f: { medications: meds(4) }, needs: true },
    { name: '3 medications, no review', f: { medications: meds(3) }, needs: false },
    { name: 'polypharmacy, review 365 days back', f: { medications: meds(4), medicationReviews: ['2025-11-23'] }, needs: false },
    { name: 'polypharmacy, review 366 days back', f: { medications: meds(4), medicationReviews: ['2025-11-22'] }, needs: true },
    { name: 'polypharmacy, review in the future', f: { medications: meds(4), medicationReviews: ['2026-12-01'] }, needs: true },
    { name: 'not in any group still counts', f: { birthDate: '1990-01-01', medications: meds(6) }, needs: true },
  ];
  test.each(review)('medication review: $name', ({ f, needs }) => {
    expect(run(f).needsMedicationReview).toBe(needs);
  });
  const plan: { name: string; f: Partial<PatientFacts>; needs: boolean }[] = [
    { name: 'diabetes, no care plan', f: { conditions: [icpc('T90')] }, needs: true },
    { name: 'KOLS (ICD-10 J44.9), no care plan', f: { conditions: [icd('J44.9')] }, needs: true },
    { name: 'diabetes, active plan with goals', f: { conditions: [icpc('T90')], carePlans: [{ active: true, hasGoals: true }] }, needs: false },
    { name: 'diabetes, active plan without goals', f: { conditions: [icpc('T90')], carePlans: [{ active: true, hasGoals: false }] }, needs: true },
    { name: 'diabetes, inactive plan with goals', f: { conditions: [icpc('T90')], carePlans: [{ active: false, hasGoals: true }] }, needs: true },
    { name: 'heart failure only', f: { conditions: [icpc('K77')] }, needs: false },
    { name: 'inactive diabetes', f: { conditions: [icpc('T90', false)] }, needs: false },
  ];
  test.each(plan)('care plan: $name', ({ f, needs }) => {
    expect(run(f).needsCarePlan).toBe(needs);
  });
});

describe('windows across a leap day', () => {
  // asOf 2028-03-01: 365 days back is 2027-03-02 because 2028-02-29 exists.
  test.each([
    { discharge: '2027-03-02', counts: true },
    { discharge: '2027-03-01', counts: false },
  ])('discharge $discharge', ({ discharge, counts }) => {
    const c = run({ conditions: [icpc('T90')], discharges: [discharge] }, '2028-03-01');
    expect(c.groups.includes('chronic')).toBe(counts);
  });
});

describe('configurable rule set', () => {
  const custom: RuleSet = {
    ...structuredClone(DEFAULT_RULE_SET),
    id: 'practice-x',
    thresholds: { ...DEFAULT_RULE_SET.thresholds, polypharmacyMinAtc: 3, lookbackDays: 30 },
  };
  test('thresholds come from the rule set', () => {
    const f = facts({ conditions: [icpc('T90')], medications: meds(3), discharges: ['2026-10-02'] });
    expect(classifyPatient(f, ASOF).groups).toEqual(['chronic']); // via discharge within 365 days
    const c = classifyPatientWith(custom, f, ASOF);
    expect(rules(c)).toEqual(['chronic.key-disease-with-polypharmacy']); // discharge is 52 days back
  });
  test('codes come from the rule set', () => {
    const withAnxiety: RuleSet = { ...custom, mentalSubstance: { icpc2: ['p74'], icd10: ['F41'] } };
    expect(classifyPatientWith(withAnxiety, facts({ conditions: [icpc('P74')] }), ASOF).groups).toEqual(['mental-substance']);
    expect(classifyPatientWith(withAnxiety, facts({ conditions: [icd('F20')] }), ASOF).groups).toEqual([]);
  });
  test('createClassifier gives the same result as classifyPatientWith', () => {
    const f = facts({ conditions: [icpc('T90'), icd('F10.2')], medications: meds(4), contacts: [] });
    expect(createClassifier(custom)(f, ASOF)).toEqual(classifyPatientWith(custom, f, ASOF)); // oracle: two entry points, one rule set
  });
  test('the default rule set is frozen', () => {
    expect(Object.isFrozen(DEFAULT_RULE_SET.chronicDiseases[0]?.icpc2)).toBe(true);
  });
});

describe('contract', () => {
  test('an invalid asOf is a programming error', () => {
    expect(() => classifyPatient(facts(), '23.11.2026')).toThrow(RangeError);
  });
  test('an empty patient is in no group, with no warnings', () => {
    expect(run({})).toEqual({ groups: [], confirmed: [], weakDemander: false, needsMedicationReview: false, needsCarePlan: false, reasons: [], warnings: [] });
  });
  test('all four groups at once, in TargetGroup order', () => {
    const c = run({ birthDate: '1935-01-01', conditions: [icd('F84'), icd('F20'), icpc('T90'), icpc('K86')], contacts: [] });
    expect(c.groups).toEqual(['chronic', 'mental-substance', 'frail-elderly', 'disability']);
    expect(c.weakDemander).toBe(true);
  });
});

// The evaluation export (issue 18 item 4): every part, no identifiers, no visible count under 5, and no
// suppressed cell recomputable from the published sums: an "attacker" below repeats "total minus the known
// parts" over every sum until nothing changes, and must recover none. Expected tables worked out by hand.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  computeFinancing,
  defaultFinancingSettings,
  defaultRates,
  evaluationCsvRows,
  evaluationExport,
  financingExportRows,
  marginSums,
  readmittedWithin30Days,
  suppressWithSums,
  SUPPRESSED,
  type Cell,
  type EvaluationInputs,
  type ExportPart,
  type KnownSum,
} from '../../../src/domain/financing';
import dictionary from '../../../src/domain/financing/evaluation-dictionary.json';
import type { ChargeRecord } from '../../../src/domain/manager';
import { evaluationMeasureReportBundle } from '../../../src/fhir/builders/evaluationMeasureReport';

const S = SUPPRESSED;
const person = (sex: 'female' | 'male', birthDate: string, n: number, groups: EvaluationInputs['listed'][number]['groups'] = []) => Array.from({ length: n }, () => ({ sex, birthDate, groups }));
// A small practice on 2026-06-30: 3 women and 6 men aged 40, 7 women and 8 men aged 70. Target groups:
// 6 chronic (the 70-year-old men but 2), 2 frail elderly, none in the others.
const LISTED = [
  ...person('female', '1986-01-01', 3),
  ...person('male', '1986-01-01', 6),
  ...person('female', '1956-01-01', 5),
  ...person('female', '1956-01-01', 2, ['frail-elderly']),
  ...person('male', '1956-01-01', 2),
  ...person('male', '1956-01-01', 6, ['chronic']),
];

const charge = (id: string, code: string, honorar: number, over: Partial<ChargeRecord> = {}): ChargeRecord => ({
  id,
  code,
  at: '2026-06-10T10:00:00+02:00',
  patientId: `pat-${id}`,
  performerId: 'nurse-1',
  performerRole: 'nurse',
  quantity: 1,
  honorar,
  egenandelCharged: 0,
  refusjon: honorar,
  cancelled: false,
  contactId: `enc-${id}`,
  ...over,
});
// S1a 12 times, S2a 7 times, S3 twice (small), S5 once (small); 3 waived as "already today", 6 as frikort.
const CHARGES: ChargeRecord[] = [
  ...Array.from({ length: 12 }, (_, i) => charge(`a${i}`, 'S1a', 69, i < 3 ? { waiverReason: 'SAME_DAY' } : i < 9 ? { waiverReason: 'F' } : {})),
  ...Array.from({ length: 7 }, (_, i) => charge(`b${i}`, 'S2a', 152)),
  charge('c0', 'S3', 152),
  charge('c1', 'S3', 152),
  charge('d0', 'S5', 152),
  charge('x', 'S1a', 69, { cancelled: true }),
];

const task = (id: string, patientId: string, dischargeDate: string, deadline: string, contacted: string | undefined, closure?: 'readmitted') => ({
  id,
  patientId,
  dischargeKey: `${patientId}|HUS|${dischargeDate}`,
  dischargeDate,
  deadline,
  status: 'new' as const,
  attempts: contacted ? [{ at: `${contacted}T10:00:00+02:00`, successful: true, channel: 'phone' as const, by: 'nurse-1' }] : [],
  ...(closure ? { closure: { reason: closure, at: `${deadline}T09:00:00+02:00`, by: 'nurse-1' } } : {}),
  createdAt: `${dischargeDate}T12:00:00+02:00`,
});

const PERIOD = { from: '2026-06-01', to: '2026-06-30' };
const INPUTS: EvaluationInputs = {
  period: PERIOD,
  asOf: '2026-06-30',
  listed: LISTED,
  outreach: { notOffered: 9, accepted: 6, declined: 2, noAnswer: 1 },
  // GPs 9 in person + 6 by phone; nurses 12 in person + 3 by phone (small).
  contacts: [
    { profession: 'gp', channel: 'in-person', count: 9 },
    { profession: 'gp', channel: 'phone', count: 6 },
    { profession: 'nurse', channel: 'in-person', count: 12 },
    { profession: 'nurse', channel: 'phone', count: 3 },
  ],
  tasks: [
    // Six discharges with deadlines in June: four met, one late, one readmitted (closed); p1 comes back
    // 20 days after its first discharge (a readmission within 30 days).
    task('t1', 'p1', '2026-06-01', '2026-06-04', '2026-06-02'),
    task('t2', 'p1', '2026-06-21', '2026-06-24', '2026-06-22'),
    task('t3', 'p2', '2026-06-08', '2026-06-11', '2026-06-09'),
    task('t4', 'p3', '2026-06-08', '2026-06-11', '2026-06-10'),
    task('t5', 'p4', '2026-06-08', '2026-06-11', '2026-06-15'),
    task('t6', 'p5', '2026-06-15', '2026-06-18', undefined, 'readmitted'),
  ],
  charges: CHARGES,
  codes: ['S1a', 'S1b', 'S2a', 'S2b', 'S3', 'S4', 'S5', 'S6'],
  indicators: [
    { id: 'care-plan', label: 'Behandlingsplan', numerator: 3, denominator: 20, baseline: 0.15, numeratorIds: ['pat-1'], denominatorIds: [] },
    { id: 'medication-review', label: 'Legemiddelgjennomgang', numerator: 12, denominator: 14, baseline: 0.6, numeratorIds: [], denominatorIds: [] },
    { id: 'own-list-coverage', label: 'Dekningsgrad', numerator: 40, denominator: 50, numeratorIds: [], denominatorIds: [] },
    { id: 'specialisation-gp', label: 'Spesialisering lege', numerator: 1, denominator: 1.5, numeratorIds: [], denominatorIds: [] },
  ],
  financing: [],
};
const exported = evaluationExport(INPUTS);
const part = (id: string) => exported.parts.find((p) => p.id === id)!;
const row = (p: ExportPart, label: string) => p.cells[p.rowLabels.indexOf(label)];

/** What a reader can work out: repeat "a sum with one unknown gives it" until nothing changes. */
function attack(cells: readonly (readonly Cell[])[], sums: readonly KnownSum[]): Map<string, number> {
  const known = new Map<string, number>();
  cells.forEach((r, i) => r.forEach((v, j) => v !== S && known.set(`${i},${j}`, v)));
  const recovered = new Map<string, number>();
  for (let progress = true; progress; ) {
    progress = false;
    for (const s of sums) {
      const unknown = [s.total, ...s.parts].filter(([i, j]) => !known.has(`${i},${j}`));
      if (unknown.length !== 1) continue;
      const [[ui, uj]] = unknown as [[number, number]];
      const partsSum = s.parts.reduce((acc, [i, j]) => acc + (known.get(`${i},${j}`) ?? 0), 0);
      const value = ui === s.total[0] && uj === s.total[1] ? partsSum : known.get(`${s.total[0]},${s.total[1]}`)! - partsSum;
      known.set(`${ui},${uj}`, value);
      recovered.set(`${ui},${uj}`, value);
      progress = true;
    }
  }
  return recovered;
}

describe('the evaluation export of a small practice', () => {
  test('list size by age band and sex: the 3 and the 2 cells that would give it away are hidden', () => {
    // Columns Kvinne, Mann, Ukjent kjønn, Sum. 30–49 is 3 + 6; hiding the 3 alone leaves 9 − 6; the 6
    // goes, then the 7 and 8 below them in their columns.
    const p = part('list-age-sex');
    expect(row(p, '30–49')).toEqual([S, S, 0, 9]);
    expect(row(p, '67–79')).toEqual([S, S, 0, 15]);
    expect(row(p, 'Sum')).toEqual([10, 14, 0, 24]);
    expect(row(p, '0–5')).toEqual([0, 0, 0, 0]);
  });

  test('target groups: a count of 1-4, or a list minus the count of 1-4, is hidden with its share; 7-10 % beside', () => {
    const p = part('target-groups');
    expect(row(p, 'Kronisk sykdom')).toEqual([6, 24, 0.25, 0.07, 0.1]);
    expect(row(p, 'Skrøpelige eldre')).toEqual([S, 24, S, 0.07, 0.1]);
    expect(row(p, 'Psykisk lidelse/rusavhengighet')).toEqual([0, 24, 0, 0.07, 0.1]);
    expect(row(p, 'Minst én målgruppe')).toEqual([8, 24, 0.333, 0.07, 0.1]);
  });

  test('outreach: the 2 and the 1 are hidden; their sum with the rest stays', () => {
    expect(part('outreach').cells).toEqual([[9, 6, S, S, 18]]);
  });

  test('discharges: 4 met, 1 late, 1 closed as readmitted; the three small cells and a complement are hidden', () => {
    // [met 4, late 1, missed 0, pending 0, excluded 1 | 6]: 4, 1 and 1 are small; no sum has one hidden.
    expect(part('discharges').cells).toEqual([[S, S, 0, 0, S, 6]]);
  });

  test('readmissions within 30 days: p1 came back after 20 days, p5 was closed as readmitted', () => {
    expect(readmittedWithin30Days(INPUTS.tasks, PERIOD)).toEqual({ discharges: 6, readmitted: 2 });
    // [2 readmitted, 4 not | 6]: both small.
    expect(part('readmissions').cells).toEqual([[S, S, 6]]);
  });

  test('tariffs: small counts hidden with a complement, their amounts too, and the amount totals', () => {
    const p = part('tariffs');
    expect(row(p, 'S1a')).toEqual([12, 828, 0, 828]);
    expect(row(p, 'S2a')).toEqual([7, 1064, 0, 1064]);
    expect(row(p, 'S3')).toEqual([S, S, S, S]);
    expect(row(p, 'S5')).toEqual([S, S, S, S]);
    expect(row(p, 'S1b')).toEqual([0, 0, 0, 0]);
    expect(row(p, 'Sum')).toEqual([22, S, S, S]);
  });

  test('egenandel not charged, by reason: 3 "already today" hidden with the smallest other', () => {
    const p = part('copay-waived');
    expect(p.colLabels).toEqual(['Egenandel allerede tatt i dag (teamet)', 'Barn under 16 år (7461 B)', 'Frikort (7461 F)', 'Sum']);
    expect(p.cells).toEqual([[S, 0, S, 9]]);
  });

  test('contacts by profession and channel: the 3 hidden, then the 12 in its row, the 9 and the 6 in their columns', () => {
    const p = part('contacts');
    expect(p.colLabels).toEqual(['Oppmøte', 'Video', 'Telefon', 'Skriftlig', 'Hjemmebesøk', 'Gruppe', 'Sum']);
    expect(p.rowLabels).toEqual(['Lege', 'Sykepleier', 'Helsesekretær', 'Sum']);
    expect(p.cells).toEqual([
      [S, 0, S, 0, 0, 0, 15],
      [S, 0, S, 0, 0, 0, 15],
      [0, 0, 0, 0, 0, 0, 0],
      [21, 0, 9, 0, 0, 0, 30],
    ]);
  });

  test('Table 2 indicators: 3 of 20 hidden; 12 of 14 hidden (2 without); staff positions shown', () => {
    const p = part('indicators');
    expect(p.cells).toEqual([
      [S, 20, S, 0.15],
      [S, 14, S, 0.6],
      [40, 50, 0.8, 0],
      [1, 1.5, 0.667, 0],
    ]);
  });

  test('no part shows a count of persons or contacts from 1 to 4', () => {
    for (const p of exported.parts.filter((x) => x.id !== 'indicators'))
      p.cells.forEach((r) => r.forEach((v, j) => p.units[j] === 'antall' && expect(typeof v === 'number' && v > 0 && v < 5, `${p.id}: ${v}`).toBe(false)));
  });

  test('no suppressed cell can be recomputed from the sums, in any part', () => {
    let suppressedCells = 0;
    for (const p of exported.parts) {
      suppressedCells += p.cells.flat().filter((v) => v === S).length;
      expect(attack(p.cells, p.sums), p.id).toEqual(new Map());
    }
    expect(suppressedCells).toBeGreaterThan(15);
  });

  test('the attacker works: with plain small-cell suppression it recovers the hidden 3', () => {
    // The list table's 30–49 row with only the 3 hidden: 9 − 6 gives it back.
    const p = part('list-age-sex');
    const naive = [[S, 6, 0, 9], [7, 8, 0, 15], [10, 14, 0, 24]] as Cell[][];
    expect(attack(naive, marginSums(3, 4))).toEqual(new Map([['0,0', 3]]));
    expect(p.sums).toHaveLength(9 + 4);
  });

  test('the outreach and contacts parts are marked unavailable when their slices give no counts', () => {
    const { outreach: _omit, contacts: _omit2, ...rest } = INPUTS;
    const e = evaluationExport(rest);
    expect(e.parts.find((x) => x.id === 'outreach')).toMatchObject({ available: false, cells: [] });
    expect(e.parts.find((x) => x.id === 'contacts')).toMatchObject({ available: false, cells: [] });
    expect(evaluationCsvRows(e).filter((r) => r[1] === 'outreach')).toEqual([['2026-06-01–2026-06-30', 'outreach', '', '', '', 'ikke tilgjengelig']]);
  });

  test('the CSV and the FHIR bundle hold no identifier; a suppressed cell is masked in FHIR', () => {
    const csv = JSON.stringify(evaluationCsvRows(exported));
    expect(csv).not.toMatch(/pat-|enc-|nurse-1|1986|1956|p1\b/);
    const bundle = evaluationMeasureReportBundle(exported);
    // oracle: consistency of two outputs: the FHIR bundle has one MeasureReport per part of the same export
    expect(bundle.entry!.map((e) => e.resource!.measure)).toEqual(exported.parts.map((p) => `https://pht.example.org/fhir/Measure/evaluation-${p.id}`));
    const list = bundle.entry![0]!.resource!;
    const women = list.group!.find((g) => g.code?.text === 'Kvinne')!.stratifier![0]!.stratum!;
    expect(women.find((s) => s.value?.text === '30–49')).toEqual({ value: { text: '30–49' }, extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'masked' }] });
    expect(women.find((s) => s.value?.text === 'Sum')!.measureScore).toEqual({ value: 10, unit: 'antall' });
    expect(list.subject).toBeUndefined();
    expect(JSON.stringify(bundle)).not.toMatch(/pat-|enc-|nurse-1|1986|1956/);
  });

  test('the data dictionary describes every part', () => {
    // oracle: the dictionary (a data file) must cover exactly the parts the export produces
    expect(dictionary.parts.map((p) => p.id)).toEqual(exported.parts.map((p) => p.id));
  });
});

describe('suppressWithSums on any table', () => {
  test('property: no visible small cell and nothing recoverable from the margins', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.nat(12), { minLength: 20, maxLength: 20 }), (r, c, values) => {
        const body = Array.from({ length: r }, (_, i) => values.slice(i * c, i * c + c));
        const rows = body.map((x) => [...x, x.reduce((s, v) => s + v, 0)]);
        const totals = rows[0]!.map((_, j) => rows.reduce((s, x) => s + x[j]!, 0));
        const full = [...rows, totals];
        const sums = marginSums(full.length, c + 1);
        const cells = suppressWithSums(full, sums, () => true);
        expect(cells.flat().some((v) => typeof v === 'number' && v > 0 && v < 5)).toBe(false);
        expect(attack(cells, sums)).toEqual(new Map());
      }),
    );
  });
});

describe('financing figures in the export', () => {
  const f = computeFinancing(defaultRates, defaultFinancingSettings(defaultRates), {
    asOf: '2026-06-30',
    charges: [],
    staff: [],
    norms: [],
    listed: LISTED.map((p, i) => ({ id: `pat-${i}`, sex: p.sex, birthDate: p.birthDate })),
    indicators: [
      { id: 'care-plan', label: '', numerator: 3, denominator: 20, numeratorIds: ['pat-1'], denominatorIds: [] },
      { id: 'medication-review', label: '', numerator: 12, denominator: 20, numeratorIds: [], denominatorIds: [] },
    ],
  });
  const rows = financingExportRows(f);
  const value = (measure: RegExp) => rows.find((r) => measure.test(r.measure))!.value;

  test('an amount built on a small count is suppressed, and so are the totals that would give it away', () => {
    expect(value(/behandlingsplan/)).toBe(S);
    expect(value(/Legemiddelgjennomgang/)).toEqual(expect.any(Number));
    expect(value(/tilskudd basert på kvalitet/)).toBe(S);
    expect(value(/Modell B: sum/)).toBe(S);
    expect(JSON.stringify(rows)).not.toContain('pat-');
  });
});

// Evaluation export, financing part (issue 18 item 4): no identifiers, no visible cell under 5, and no
// suppressed cell recomputable from its row or column total. Expected tables worked out by hand.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  computeFinancing,
  defaultFinancingSettings,
  defaultRates,
  derivable,
  financingExportCsvRows,
  financingExportRows,
  listSizeTable,
  suppressCrossTable,
  SUPPRESSED,
  type CrossTable,
} from '../../../src/domain/financing';
import { financingMeasureReportBundle } from '../../../src/fhir/builders/financingMeasureReport';

const S = SUPPRESSED;
const person = (sex: 'female' | 'male', birthDate: string, n: number) => Array.from({ length: n }, () => ({ sex, birthDate }));
// A small practice: 3 women and 6 men aged 40, 7 women and 8 men aged 70 on 2026-06-30.
const SMALL = [...person('female', '1986-01-01', 3), ...person('male', '1986-01-01', 6), ...person('female', '1956-01-01', 7), ...person('male', '1956-01-01', 8)];

describe('list size by age band and sex, small practice', () => {
  const table = suppressCrossTable(listSizeTable(SMALL, '2026-06-30'));
  const row = (label: string) => table.cells[table.rowLabels.indexOf(label)];

  test('the 3 is suppressed, and so are the cells that would give it away', () => {
    // Columns: Kvinne, Mann, Ukjent kjønn, Sum. Hiding only the 3 leaves 9 − 6 = 3 in its row; the
    // 6, then the 7 and 8 in the same columns are hidden too; margins stay.
    expect(row('30–49')).toEqual([S, S, 0, 9]);
    expect(row('67–79')).toEqual([S, S, 0, 15]);
    expect(row('Sum')).toEqual([10, 14, 0, 24]);
    expect(row('0–5')).toEqual([0, 0, 0, 0]);
  });

  test('no visible cell under 5, nothing derivable, no identifiers in the CSV', () => {
    expect(table.cells.flat().some((v) => typeof v === 'number' && v > 0 && v < 5)).toBe(false);
    expect(derivable(table)).toBe(false);
    const csv = JSON.stringify(financingExportCsvRows('2026-01-01–2026-06-30', table, []));
    expect(csv).not.toMatch(/pat-|1986|1956/);
  });

  test('a suppressed cell alone in its row would be derivable (the check itself works)', () => {
    expect(derivable({ rowLabels: ['a', 'Sum'], colLabels: ['x', 'y', 'Sum'], cells: [[S, 6, 9], [3, 6, 9]] })).toBe(true);
  });

  test('property: any table comes out with no visible small cell and no derivable cell', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.nat(12), { minLength: 20, maxLength: 20 }), (r, c, values) => {
        const t: CrossTable = { rowLabels: Array.from({ length: r }, (_, i) => `r${i}`), colLabels: Array.from({ length: c }, (_, j) => `c${j}`), cells: Array.from({ length: r }, (_, i) => values.slice(i * c, i * c + c)) };
        const s = suppressCrossTable(t);
        expect(s.cells.flat().some((v) => typeof v === 'number' && v > 0 && v < 5)).toBe(false);
        expect(derivable(s)).toBe(false);
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
    listed: SMALL.map((p, i) => ({ id: `pat-${i}`, ...p })),
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

describe('the same export as a FHIR MeasureReport bundle', () => {
  test('suppressed cells carry no value, only data-absent-reason "masked"; no subject, no identifiers', () => {
    const table = suppressCrossTable(listSizeTable(SMALL, '2026-06-30'));
    const bundle = financingMeasureReportBundle({ from: '2026-01-01', to: '2026-06-30' }, table, [{ measure: 'Modell B: sum (per år)', value: S, unit: 'kr' }]);
    const [list, money] = bundle.entry!.map((e) => e.resource!);
    const women = list!.group!.find((g) => g.code?.text === 'Kjønn: Kvinne')!.stratifier![0]!.stratum!;
    expect(women.find((s) => s.value?.text === '30–49')).toEqual({ value: { text: '30–49' }, extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'masked' }] });
    expect(women.find((s) => s.value?.text === 'Sum')!.measureScore).toEqual({ value: 10, unit: 'antall' });
    expect(money!.group![0]!.measureScore).toBeUndefined();
    expect(list!.subject).toBeUndefined();
    expect(JSON.stringify(bundle)).not.toMatch(/pat-|1986|1956/);
  });
});

// Evaluation export, financing part (issue 18 item 4; seed ch. 7; SPEC §7): list size by age band and
// sex, and the financing figures, aggregate only, no identifiers. Counts under 5 are suppressed, and
// complementary suppression makes sure no suppressed cell can be recomputed from its row or column total:
// every row and column of the table with its margins holds either no suppressed entry or at least two.
// [decision] The "two per line" rule is the usual statistical-office heuristic, not a full audit by linear
// programming; for a 2-column table (kvinne/mann) it is exact.
import { ageOn } from '../copay';
import { MIN_CELL } from '../manager/evaluationExport';
import type { Financing } from './financing';

/** SSB's mark for a figure that cannot be published; a complementary cell may itself be 5 or more. */
export const SUPPRESSED = ':';
export type Cell = number | typeof SUPPRESSED;

export interface CrossTable {
  rowLabels: string[];
  colLabels: string[];
  /** rows x cols counts, without margins. */
  cells: number[][];
}

/** The table with margins: last column = row totals, last row = column totals and the grand total. */
export interface SuppressedTable {
  rowLabels: string[];
  colLabels: string[];
  cells: Cell[][];
}

function withMargins(t: CrossTable): number[][] {
  const rows = t.cells.map((r) => [...r, r.reduce((s, x) => s + x, 0)]);
  const totals = t.colLabels.map((_, j) => t.cells.reduce((s, r) => s + (r[j] ?? 0), 0));
  rows.push([...totals, totals.reduce((s, x) => s + x, 0)]);
  return rows;
}

/** Every line (row or column incl. margins) as the positions of its entries. */
function lines(nRows: number, nCols: number): [number, number][][] {
  const out: [number, number][][] = [];
  for (let i = 0; i < nRows; i++) out.push(Array.from({ length: nCols }, (_, j) => [i, j] as [number, number]));
  for (let j = 0; j < nCols; j++) out.push(Array.from({ length: nRows }, (_, i) => [i, j] as [number, number]));
  return out;
}

export function suppressCrossTable(t: CrossTable, min = MIN_CELL): SuppressedTable {
  const full = withMargins(t);
  const nRows = full.length;
  const nCols = full[0]!.length;
  const hidden = full.map((r) => r.map((v) => v > 0 && v < min));
  const all = lines(nRows, nCols);
  // Complementary suppression: a line with exactly one hidden entry gives it away; hide the line's
  // smallest other entry, until no line has exactly one.
  for (let changed = true; changed; ) {
    changed = false;
    for (const line of all) {
      const count = line.filter(([i, j]) => hidden[i]![j]).length;
      if (count !== 1) continue;
      const candidates = line.filter(([i, j]) => !hidden[i]![j]);
      // Prefer the smallest positive body cell, then a positive margin; a zero last (zeros are often known).
      const rank = ([i, j]: [number, number]) => (full[i]![j] === 0 ? 2 : i === nRows - 1 || j === nCols - 1 ? 1 : 0);
      candidates.sort((a, b) => rank(a) - rank(b) || full[a[0]]![a[1]]! - full[b[0]]![b[1]]!);
      const pick = candidates[0];
      if (!pick) continue;
      hidden[pick[0]]![pick[1]] = true;
      changed = true;
    }
  }
  return {
    rowLabels: [...t.rowLabels, 'Sum'],
    colLabels: [...t.colLabels, 'Sum'],
    cells: full.map((r, i) => r.map((v, j) => (hidden[i]![j] ? SUPPRESSED : v))),
  };
}

/** True when some suppressed entry is the only one in its row or column (so it could be recomputed). */
export function derivable(t: SuppressedTable): boolean {
  return lines(t.cells.length, t.cells[0]?.length ?? 0).some((line) => line.filter(([i, j]) => t.cells[i]![j] === SUPPRESSED).length === 1);
}

export const AGE_BANDS: readonly [string, number, number][] = [
  ['0–5', 0, 5],
  ['6–15', 6, 15],
  ['16–29', 16, 29],
  ['30–49', 30, 49],
  ['50–66', 50, 66],
  ['67–79', 67, 79],
  ['80+', 80, 200],
];

/** List size by age band and sex; persons without a recorded sex or birth date in their own row/column. */
export function listSizeTable(listed: readonly { sex?: 'female' | 'male'; birthDate?: string }[], asOf: string): CrossTable {
  const rowLabels = [...AGE_BANDS.map(([l]) => l), 'Ukjent alder'];
  const colLabels = ['Kvinne', 'Mann', 'Ukjent kjønn'];
  const cells = rowLabels.map(() => colLabels.map(() => 0));
  for (const p of listed) {
    const age = p.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(p.birthDate) ? ageOn(p.birthDate, asOf) : undefined;
    const band = age === undefined ? -1 : AGE_BANDS.findIndex(([, lo, hi]) => age >= lo && age <= hi);
    const row = band < 0 ? rowLabels.length - 1 : band;
    const col = p.sex === 'female' ? 0 : p.sex === 'male' ? 1 : 2;
    cells[row]![col]! += 1;
  }
  return { rowLabels, colLabels, cells };
}

export interface ExportRow {
  measure: string;
  value: Cell | number;
  unit: 'antall' | 'kr';
}

/**
 * The financing figures as export rows. A model B share criterion whose numerator or denominator is a
 * small cell is suppressed (its amount would reveal the share), and then the quality total and the
 * model B total are suppressed too, so the hidden amount cannot be recomputed from them.
 */
export function financingExportRows(f: Financing, min = MIN_CELL): ExportRow[] {
  const small = (n: number) => n > 0 && n < min;
  const kr = (v: number) => Math.round(v);
  const rows: ExportRow[] = [];
  let anyHidden = false;
  for (const c of f.modelB.criteria) {
    const d = c.shareFromData;
    const hide = !!d && (small(d.numerator) || small(d.denominator));
    anyHidden ||= hide;
    rows.push({ measure: `Modell B: ${c.label} (per år)`, value: hide ? SUPPRESSED : kr(c.amount), unit: 'kr' });
  }
  rows.push({ measure: 'Modell B: listeinnbyggertilskudd (per år)', value: kr(f.modelB.listGrant.amount), unit: 'kr' });
  rows.push({ measure: 'Modell B: tilskudd basert på kvalitet (per år)', value: anyHidden ? SUPPRESSED : kr(f.modelB.qualityGrant.amount), unit: 'kr' });
  rows.push({ measure: 'Modell B: egenbetaling (helårsanslag)', value: kr(f.modelB.patientPayments.amount), unit: 'kr' });
  rows.push({ measure: 'Modell B: sum (per år)', value: anyHidden ? SUPPRESSED : kr(f.modelB.total.amount), unit: 'kr' });
  for (const x of [f.modelA.flatGrantYear, f.modelA.tariffIncomeSoFar, f.modelA.expectedTariffIncomeSoFar, f.pilot.practice, f.pilot.municipality])
    rows.push({ measure: `Modell A/forsøk: ${x.label}`, value: kr(x.amount), unit: 'kr' });
  return rows;
}

export const FINANCING_EXPORT_HEADER = ['periode', 'tabell', 'rad', 'kolonne', 'verdi', 'enhet'] as const;

/** CSV rows (src/platform/csv.ts writes them): the suppressed list table, then the financing figures. */
export function financingExportCsvRows(period: string, list: SuppressedTable, figures: readonly ExportRow[]): (string | number)[][] {
  const out: (string | number)[][] = [];
  list.cells.forEach((r, i) => r.forEach((v, j) => out.push([period, 'Listestørrelse etter alder og kjønn', list.rowLabels[i]!, list.colLabels[j]!, v, 'antall'])));
  for (const f of figures) out.push([period, 'Finansiering', f.measure, '', f.value, f.unit]);
  return out;
}

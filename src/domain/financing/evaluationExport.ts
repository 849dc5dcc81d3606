// Evaluation export, the financing part and the shared pieces (issue 18 item 4; seed ch. 7; SPEC §7): the
// financing figures as rows, with an amount built on a small count suppressed together with the totals it
// is part of. The complete export, with every part and complementary suppression, is ./evaluation.ts.
import { MIN_CELL } from '../manager/evaluationExport';
import type { Financing } from './financing';

/** SSB's mark for a figure that cannot be published; a complementary cell may itself be 5 or more. */
export const SUPPRESSED = ':';
export type Cell = number | typeof SUPPRESSED;

export const AGE_BANDS: readonly [string, number, number][] = [
  ['0–5', 0, 5],
  ['6–15', 6, 15],
  ['16–29', 16, 29],
  ['30–49', 30, 49],
  ['50–66', 50, 66],
  ['67–79', 67, 79],
  ['80+', 80, 200],
];

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

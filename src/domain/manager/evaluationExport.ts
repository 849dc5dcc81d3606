// Aggregate export for the pilot's evaluation (SPEC §7; seed ch. 7): no patient identifiers, and counts
// under 5 suppressed so no small group can be recognised. Shares computed from a suppressed count are
// suppressed too.
export const MIN_CELL = 5;

export interface AggregateRow {
  period: string;
  measure: string;
  numerator?: number;
  denominator?: number;
}

export interface SuppressedRow {
  period: string;
  measure: string;
  numerator: number | '<5';
  denominator: number | '<5';
  share: number | '';
}

function suppress(n: number | undefined, min: number): number | '<5' {
  if (n === undefined) return 0;
  return n > 0 && n < min ? '<5' : n;
}

export function suppressSmallCells(rows: readonly AggregateRow[], min = MIN_CELL): SuppressedRow[] {
  return rows.map((r) => {
    const numerator = suppress(r.numerator, min);
    const denominator = suppress(r.denominator, min);
    const canShare = typeof numerator === 'number' && typeof denominator === 'number' && denominator > 0;
    return { period: r.period, measure: r.measure, numerator, denominator, share: canShare ? Math.round((numerator / denominator) * 1000) / 1000 : '' };
  });
}

export const EVALUATION_EXPORT_HEADER = ['periode', 'mål', 'teller', 'nevner', 'andel'] as const;

/** The rows of the evaluation export, small cells suppressed; src/platform/csv.ts writes them. */
export function evaluationExportRows(rows: readonly AggregateRow[], min = MIN_CELL): (string | number)[][] {
  return suppressSmallCells(rows, min).map((r) => [r.period, r.measure, r.numerator, r.denominator, r.share]);
}

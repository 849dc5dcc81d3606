// Every financing figure carries how it was computed (issue 18 item 5): the formula in words, the inputs
// and the source table and chapter. The view renders these; nothing here formats kroner.

export type Unit = 'kr' | 'share' | 'count' | 'index' | 'days' | 'positions';

export interface ExplainInput {
  label: string;
  value: number;
  unit: Unit;
}

export interface Explanation {
  /** The formula in words (Norwegian). */
  formula: string;
  inputs: ExplainInput[];
  /** Source table and chapter, e.g. "Tabell 3, kap. 6.2". */
  source: string;
  /** An estimate (anslag), not a settled amount. */
  estimate?: boolean;
  /** Why an input is a stand-in (missing data, illustrative weight...). */
  note?: string;
}

export interface Figure {
  id: string;
  label: string;
  /** Kroner, unrounded; the view rounds. */
  amount: number;
  explain: Explanation;
}

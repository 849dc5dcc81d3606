// Financing rates are data, versioned by validity dates like the tariff catalogue (issue 18; seed ch. 6,
// Tables 1-3). parseRates is the single gatekeeper: a broken file fails loudly with a Norwegian message
// naming the field.
import pilot2018 from './rates/pilot-2018.json';

export type CriterionId =
  | 'age-sex'
  | 'health'
  | 'living-conditions'
  | 'travel-distance'
  | 'coverage'
  | 'specialisation-gp'
  | 'specialisation-nurse'
  | 'care-plan'
  | 'medication-review'
  | 'digital-booking';

export interface Criterion {
  id: CriterionId;
  label: string;
  /** list = listeinnbyggertilskudd (86,05 %), result = dekningsgrad (5 %), quality (8,95 %): Table 2. */
  group: 'list' | 'result' | 'quality';
  /** Share of the driftstilskudd, Table 2. */
  weight: number;
  /** Table 3's kroner per listed person and the text's min/max (for display beside ours). */
  average: number;
  min?: number;
  max?: number;
  /** The share at which the criterion pays its average (ch. 6.2). */
  baselineShare?: number;
  /** The baseline is not in the source (derived or our choice): the UI says so. */
  baselineIllustrative?: boolean;
}

export interface AgeSexWeight {
  sex: 'female' | 'male';
  fromAge: number;
  toAge: number;
  /** Relative to the average (1 = 1 316 kr at the source's averages). */
  index: number;
}

export interface FinancingRates {
  id: string;
  version: string;
  validFrom: string;
  validTo: string | null;
  source: string;
  illustrative: string;
  modelB: {
    grantPerListedPerson: number;
    patientPaymentsAverage: number;
    table3: { listTotal: number; qualityTotal: number; patientPayments: number; total: number };
    criteria: Criterion[];
    ageSexIndex: AgeSexWeight[];
    /** Index for a listed person whose age or sex is not recorded. */
    ageSexIndexForUnknown: number;
  };
  modelA: { nurseFlatGrantShare: number; agreedNurseCostPerPosition: number; agreedNurseCostYear: number; expectedTariffIncomePerPosition: number };
  pilotGrants: { practicePerGpPosition: number; municipalityPerGpPosition: number; municipalityMinimum: number };
  incomeGuarantee: { band: number };
}

export class RatesError extends Error {
  constructor(field: string, problem: string) {
    super(`Ugyldig satsfil for finansiering: felt «${field}»: ${problem}`);
    this.name = 'RatesError';
  }
}

function nonNegative(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new RatesError(field, 'må være et tall ≥ 0');
  return value;
}

function share(value: unknown, field: string): number {
  const n = nonNegative(value, field);
  if (n > 1) throw new RatesError(field, 'må være en andel mellom 0 og 1');
  return n;
}

const CRITERIA: readonly CriterionId[] = ['age-sex', 'health', 'living-conditions', 'travel-distance', 'coverage', 'specialisation-gp', 'specialisation-nurse', 'care-plan', 'medication-review', 'digital-booking'];

/** Checks the shape and the arithmetic the figures rely on (weights sum to 100 %, every criterion once). */
export function parseRates(raw: unknown): FinancingRates {
  const r = raw as FinancingRates;
  if (typeof r !== 'object' || r === null) throw new RatesError('(fil)', 'er ikke et JSON-objekt');
  for (const f of ['id', 'version', 'validFrom', 'source', 'illustrative'] as const) if (typeof r[f] !== 'string' || r[f] === '') throw new RatesError(f, 'mangler');
  const b = r.modelB;
  if (typeof b !== 'object' || b === null) throw new RatesError('modelB', 'mangler');
  nonNegative(b.grantPerListedPerson, 'modelB.grantPerListedPerson');
  nonNegative(b.patientPaymentsAverage, 'modelB.patientPaymentsAverage');
  nonNegative(b.ageSexIndexForUnknown, 'modelB.ageSexIndexForUnknown');
  if (!Array.isArray(b.criteria)) throw new RatesError('modelB.criteria', 'mangler');
  const seen = new Set<string>();
  b.criteria.forEach((c, i) => {
    const at = `modelB.criteria[${i}]`;
    if (!CRITERIA.includes(c.id)) throw new RatesError(`${at}.id`, `ukjent kriterium «${String(c.id)}»`);
    if (seen.has(c.id)) throw new RatesError(`${at}.id`, `«${c.id}» står to ganger`);
    seen.add(c.id);
    share(c.weight, `${at}.weight`);
    nonNegative(c.average, `${at}.average`);
    if (c.baselineShare !== undefined && share(c.baselineShare, `${at}.baselineShare`) === 0) throw new RatesError(`${at}.baselineShare`, 'kan ikke være 0');
    if ((c.group === 'quality' || c.group === 'result') && c.baselineShare === undefined) throw new RatesError(`${at}.baselineShare`, 'mangler');
  });
  for (const id of CRITERIA) if (!seen.has(id)) throw new RatesError('modelB.criteria', `mangler kriteriet «${id}»`);
  const sum = b.criteria.reduce((s, c) => s + c.weight, 0);
  if (Math.abs(sum - 1) > 1e-9) throw new RatesError('modelB.criteria[].weight', `vektene summerer til ${sum}, ikke 1`);
  if (!Array.isArray(b.ageSexIndex) || b.ageSexIndex.length === 0) throw new RatesError('modelB.ageSexIndex', 'mangler');
  b.ageSexIndex.forEach((w, i) => {
    if (w.sex !== 'female' && w.sex !== 'male') throw new RatesError(`modelB.ageSexIndex[${i}].sex`, 'må være female eller male');
    nonNegative(w.fromAge, `modelB.ageSexIndex[${i}].fromAge`);
    if (nonNegative(w.toAge, `modelB.ageSexIndex[${i}].toAge`) < w.fromAge) throw new RatesError(`modelB.ageSexIndex[${i}].toAge`, 'er mindre enn fromAge');
    nonNegative(w.index, `modelB.ageSexIndex[${i}].index`);
  });
  share(r.modelA?.nurseFlatGrantShare, 'modelA.nurseFlatGrantShare');
  nonNegative(r.modelA.agreedNurseCostPerPosition, 'modelA.agreedNurseCostPerPosition');
  nonNegative(r.modelA.expectedTariffIncomePerPosition, 'modelA.expectedTariffIncomePerPosition');
  nonNegative(r.pilotGrants?.practicePerGpPosition, 'pilotGrants.practicePerGpPosition');
  nonNegative(r.pilotGrants.municipalityPerGpPosition, 'pilotGrants.municipalityPerGpPosition');
  nonNegative(r.pilotGrants.municipalityMinimum, 'pilotGrants.municipalityMinimum');
  share(r.incomeGuarantee?.band, 'incomeGuarantee.band');
  return r;
}

export const defaultRates: FinancingRates = parseRates(pilot2018);

export function criterion(rates: FinancingRates, id: CriterionId): Criterion {
  const c = rates.modelB.criteria.find((x) => x.id === id);
  if (!c) throw new RatesError('modelB.criteria', `mangler kriteriet «${id}»`);
  return c;
}

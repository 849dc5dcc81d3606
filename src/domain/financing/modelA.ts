// Model A, honorarmodellen: the nurse's funding (seed ch. 6.1.1, 6.1.4, Table 1). Half of the agreed
// nurse cost comes as a flat grant, half from tariffs incl. egenandel; Table 1 expects 415 564 kr per
// full position per year. "So far this year" = pro-rated by position and the share of the year's working
// days elapsed (yearFraction.ts).
import type { FinancingRates } from './rates';
import type { Figure } from './types';

export interface CodeCount {
  code: string;
  text: string;
  count: number;
  /** Table 1's expected count per full position per year; undefined without a norm. */
  expectedPerYear?: number;
}

export interface ModelAInputs {
  nursePositions: number;
  agreedNurseCostPerPosition: number;
  /** Honorar (incl. egenandel) of the nurses' charges this year so far, kr. */
  tariffIncomeSoFar: number;
  yearFraction: number;
  codes: readonly CodeCount[];
}

export interface CodeFrequency extends CodeCount {
  expected: number;
  /** Outside ±10 % of the expected count; 'none' when no count was expected. */
  status: 'above' | 'below' | 'as-expected' | 'none';
}

export interface ModelA {
  flatGrantYear: Figure;
  flatGrantSoFar: Figure;
  tariffIncomeSoFar: Figure;
  expectedTariffIncomeSoFar: Figure;
  /** Tariff income so far minus expected, kr (negative = behind). */
  tariffGap: Figure;
  codes: CodeFrequency[];
}

const T1 = 'Tabell 1, kap. 6.1.1 og 6.1.4';
/** [decision] "Above/below expected" means more than 10 % off; the source gives no band. */
export const FREQUENCY_TOLERANCE = 0.1;

export function modelA(rates: FinancingRates, input: ModelAInputs): ModelA {
  const { nursePositions: pos, agreedNurseCostPerPosition: cost, tariffIncomeSoFar: income, yearFraction: f } = input;
  if (!Number.isFinite(pos) || pos < 0) throw new RangeError(`Sykepleierstillinger må være ≥ 0, fikk ${pos}`);
  if (!Number.isFinite(cost) || cost < 0) throw new RangeError(`Avtalt sykepleierkostnad må være ≥ 0, fikk ${cost}`);
  if (!(f > 0 && f <= 1)) throw new RangeError(`yearFraction må være over 0 og høyst 1, fikk ${f}`);
  const share = rates.modelA.nurseFlatGrantShare;
  const expectedYear = rates.modelA.expectedTariffIncomePerPosition;
  const grantYear = share * cost * pos;
  const expectedSoFar = expectedYear * pos * f;
  const inputsGrant = [
    { label: 'Andel tilskudd', value: share, unit: 'share' as const },
    { label: 'Avtalt kostnad per hel stilling', value: cost, unit: 'kr' as const },
    { label: 'Sykepleierstillinger', value: pos, unit: 'positions' as const },
  ];
  const codes: CodeFrequency[] = input.codes.map((c) => {
    const expected = (c.expectedPerYear ?? 0) * pos * f;
    const status = expected === 0 ? 'none' : c.count > expected * (1 + FREQUENCY_TOLERANCE) ? 'above' : c.count < expected * (1 - FREQUENCY_TOLERANCE) ? 'below' : 'as-expected';
    return { ...c, expected, status };
  });
  return {
    flatGrantYear: { id: 'a-grant-year', label: 'Flatt driftstilskudd til sykepleier, per år', amount: grantYear, explain: { formula: '50 % av avtalt sykepleierkostnad per hel stilling × antall stillinger', inputs: inputsGrant, source: 'Kap. 6.1.1 og 6.1.4' } },
    flatGrantSoFar: {
      id: 'a-grant-so-far',
      label: 'Flatt driftstilskudd hittil i år',
      amount: grantYear * f,
      explain: { formula: 'Tilskudd per år × andel av årets arbeidsdager som er gått', inputs: [...inputsGrant, { label: 'Andel av årets arbeidsdager gått', value: f, unit: 'share' }], source: 'Kap. 6.1.1 og 6.1.4' },
    },
    tariffIncomeSoFar: {
      id: 'a-tariff',
      label: 'Takstinntekt inkl. egenandel hittil i år',
      amount: income,
      explain: { formula: 'Summen av honorar (refusjon + egenandel) for sykepleiernes registrerte takster fra 1. januar, uten annullerte', inputs: [{ label: 'Takstinntekt', value: income, unit: 'kr' }], source: T1 },
    },
    expectedTariffIncomeSoFar: {
      id: 'a-expected',
      label: 'Forventet takstinntekt hittil i år (Tabell 1)',
      amount: expectedSoFar,
      explain: {
        formula: 'Forventet takstinntekt per hel stilling per år × antall stillinger × andel av årets arbeidsdager som er gått',
        inputs: [
          { label: 'Forventet per hel stilling per år', value: expectedYear, unit: 'kr' },
          { label: 'Sykepleierstillinger', value: pos, unit: 'positions' },
          { label: 'Andel av årets arbeidsdager gått', value: f, unit: 'share' },
        ],
        source: T1,
        estimate: true,
        note: 'Kilden sier at frekvensene i Tabell 1 er svært usikre.',
      },
    },
    tariffGap: {
      id: 'a-gap',
      label: 'Avvik fra forventet takstinntekt',
      amount: income - expectedSoFar,
      explain: { formula: 'Takstinntekt hittil i år − forventet takstinntekt hittil i år', inputs: [{ label: 'Takstinntekt', value: income, unit: 'kr' }, { label: 'Forventet', value: expectedSoFar, unit: 'kr' }], source: T1, estimate: true },
    },
    codes,
  };
}

// Model A, honorarmodellen: the nurse's funding (seed ch. 6.1.1, 6.1.4, Table 1). Half of the agreed
// nurse cost comes as a flat grant, half from tariffs incl. egenandel; Table 1 expects 415 564 kr per
// full position per year. "So far this year": the flat grant by the share of the calendar year's working
// days elapsed; Table 1's expectations by the share of its 230-day nurse-year elapsed, as in the code usage
// tab (yearFraction.ts says why).
import type { FinancingRates } from './rates';
import type { NurseYearFraction } from './yearFraction';
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
  /** Share of the calendar year's working days elapsed (the flat grant so far). */
  yearFraction: number;
  /** Share of Table 1's 230-day nurse-year elapsed (expected income and counts). */
  nurseYear: NurseYearFraction;
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
  const nf = input.nurseYear.fraction;
  if (!(nf >= 0 && nf <= 1)) throw new RangeError(`nurseYear.fraction må være mellom 0 og 1, fikk ${nf}`);
  const expectedSoFar = expectedYear * pos * nf;
  const nurseYearInputs = [
    { label: 'Arbeidsdager gått i år', value: input.nurseYear.elapsed, unit: 'days' as const },
    { label: 'Arbeidsdager i et sykepleierårsverk (Tabell 1)', value: input.nurseYear.total, unit: 'days' as const },
    { label: 'Andel av årsverket gått (høyst 100 %)', value: nf, unit: 'share' as const },
  ];
  const nurseYearNote = `Tabell 1s frekvenser gir ${input.nurseYear.total} arbeidsdager (46 uker) per årsverk; forventningen regnes som i fanen Kodebruk: arbeidsdager gått ÷ ${input.nurseYear.total}, høyst ett årsverk. Ferie trekkes ikke fra.`;
  const inputsGrant = [
    { label: 'Andel tilskudd', value: share, unit: 'share' as const },
    { label: 'Avtalt kostnad per hel stilling', value: cost, unit: 'kr' as const },
    { label: 'Sykepleierstillinger', value: pos, unit: 'positions' as const },
  ];
  const codes: CodeFrequency[] = input.codes.map((c) => {
    const expected = (c.expectedPerYear ?? 0) * pos * nf;
    const status = expected === 0 ? 'none' : c.count > expected * (1 + FREQUENCY_TOLERANCE) ? 'above' : c.count < expected * (1 - FREQUENCY_TOLERANCE) ? 'below' : 'as-expected';
    return { ...c, expected, status };
  });
  return {
    flatGrantYear: { id: 'a-grant-year', label: 'Flatt driftstilskudd til sykepleier, per år', amount: grantYear, explain: { formula: '50 % av avtalt sykepleierkostnad per hel stilling × antall stillinger', inputs: inputsGrant, source: 'Kap. 6.1.1 og 6.1.4' } },
    flatGrantSoFar: {
      id: 'a-grant-so-far',
      label: 'Flatt driftstilskudd hittil i år',
      amount: grantYear * f,
      explain: {
        formula: 'Tilskudd per år × andel av kalenderårets arbeidsdager som er gått',
        inputs: [...inputsGrant, { label: 'Andel av årets arbeidsdager gått', value: f, unit: 'share' }],
        source: 'Kap. 6.1.1 og 6.1.4',
        note: 'Tilskuddet gjelder kalenderåret, så andelen er arbeidsdager gått ÷ alle arbeidsdager i året etter praksisens kalender (ikke Tabell 1s 230 dager).',
      },
    },
    tariffIncomeSoFar: {
      id: 'a-tariff',
      label: 'Takstinntekt inkl. egenandel hittil i år',
      amount: income,
      explain: { formula: 'Summen av honorar (refusjon + egenandel) for sykepleiernes registrerte takster fra 1. januar til og med datoen, uten annullerte', inputs: [{ label: 'Takstinntekt', value: income, unit: 'kr' }], source: T1 },
    },
    expectedTariffIncomeSoFar: {
      id: 'a-expected',
      label: 'Forventet takstinntekt hittil i år (Tabell 1)',
      amount: expectedSoFar,
      explain: {
        formula: 'Forventet takstinntekt per hel stilling per år × antall stillinger × arbeidsdager gått ÷ arbeidsdager i et sykepleierårsverk (høyst ett årsverk)',
        inputs: [{ label: 'Forventet per hel stilling per år', value: expectedYear, unit: 'kr' }, { label: 'Sykepleierstillinger', value: pos, unit: 'positions' }, ...nurseYearInputs],
        source: `${T1}; SPEC §5`,
        estimate: true,
        note: `${nurseYearNote} Kilden sier at frekvensene i Tabell 1 er svært usikre.`,
      },
    },
    tariffGap: {
      id: 'a-gap',
      label: 'Avvik fra forventet takstinntekt',
      amount: income - expectedSoFar,
      explain: {
        formula: 'Takstinntekt hittil i år − forventet takstinntekt hittil i år (negativt = bak forventet)',
        inputs: [{ label: 'Takstinntekt', value: income, unit: 'kr' }, { label: 'Forventet', value: expectedSoFar, unit: 'kr' }],
        source: T1,
        estimate: true,
        note: nurseYearNote,
      },
    },
    codes,
  };
}

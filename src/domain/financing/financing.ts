// All financing figures of a practice in one pure call (issue 18 items 1-3): model B (what it pays, or
// would pay for a model-A practice), model A's nurse funding, the pilot grants and the income guarantee.
// Inputs are the practice settings (FinancingSettings) and the domain records the manager view already
// loads; nothing here reads a clock or the network.
import { ageOn } from '../copay';
import type { Indicator, IndicatorId } from '../manager/indicators';
import { serviceDay } from '../manager/period';
import type { ChargeRecord, StaffMember, TariffNorm } from '../manager/types';
import { modelA, type ModelA } from './modelA';
import { modelB, type ListedPerson, type ModelB, type ShareCriterionId } from './modelB';
import { incomeGuarantee, pilotGrants, type IncomeGuarantee, type PilotGrants } from './pilotGrants';
import type { CalendarOptions } from '../calendar';
import { DEFAULT_FINANCING_INPUTS, type FinancingInputs } from '../settings';
import type { FinancingRates } from './rates';
import type { Figure } from './types';
import { nurseYearFraction, yearFraction, type NurseYearFraction, type YearFraction } from './yearFraction';

/**
 * The practice settings financing needs (src/domain/settings.ts, saved by the daglig leder): the model and
 * the inputs; null positions = counted from the staff list, null specialised positions = from the staff's
 * `specialised` marks.
 */
export type FinancingSettings = FinancingInputs & { model: 'A' | 'B' };

export function defaultFinancingSettings(rates: FinancingRates): FinancingSettings {
  return { model: 'A', ...DEFAULT_FINANCING_INPUTS, agreedNurseCostPerPosition: rates.modelA.agreedNurseCostPerPosition };
}

export interface FinancingRecords {
  /** Oslo date: "so far this year" runs from 1 January of its year to it. */
  asOf: string;
  charges: readonly ChargeRecord[];
  staff: readonly StaffMember[];
  norms: readonly TariffNorm[];
  listed: readonly { id: string; sex?: 'female' | 'male'; birthDate?: string }[];
  /** Table 2 indicators as of asOf (src/domain/manager/indicators.ts). */
  indicators: readonly Indicator[];
  /** The practice's working-day calendar (closed dates, Saturday), from the practice settings. */
  cal?: CalendarOptions;
}

export interface Financing {
  asOf: string;
  /** Share of the calendar year's working days elapsed: flat grant so far, helårsanslag. */
  year: YearFraction;
  /** Share of Table 1's nurse-year (230 working days) elapsed: expected tariff income and counts. */
  nurseYear: NurseYearFraction;
  nursePositions: number;
  gpPositions: number;
  modelA: ModelA;
  modelB: ModelB;
  pilot: PilotGrants;
  incomeThisYear: Figure;
  guarantee?: IncomeGuarantee;
}

const INDICATOR_FOR: Record<ShareCriterionId, IndicatorId> = {
  coverage: 'own-list-coverage',
  'specialisation-gp': 'specialisation-gp',
  'specialisation-nurse': 'specialisation-nurse',
  'care-plan': 'care-plan',
  'medication-review': 'medication-review',
  'digital-booking': 'digital-booking',
};

function positions(staff: readonly StaffMember[], role: StaffMember['role']): number {
  return staff.filter((s) => s.role === role).reduce((s, m) => s + m.positionPercent / 100, 0);
}

export function computeFinancing(rates: FinancingRates, settings: FinancingSettings, data: FinancingRecords): Financing {
  const year = yearFraction(data.asOf, data.cal);
  const nurseYear = nurseYearFraction(year);
  const from = `${data.asOf.slice(0, 4)}-01-01`;
  const thisYear = data.charges.filter((c) => !c.cancelled && serviceDay(c.at) >= from && serviceDay(c.at) <= data.asOf);
  const nurseCharges = thisYear.filter((c) => c.performerRole === 'nurse');
  const nursePositions = settings.nursePositions ?? positions(data.staff, 'nurse');
  const gpPositions = settings.gpPositions ?? positions(data.staff, 'gp');

  const counts = new Map<string, number>();
  for (const c of nurseCharges) counts.set(c.code, (counts.get(c.code) ?? 0) + c.quantity);
  const codes = data.norms
    .filter((n) => n.profession === 'nurse')
    .map((n) => ({ code: n.code, text: n.text, count: counts.get(n.code) ?? 0, ...(n.expectedPerYear !== undefined ? { expectedPerYear: n.expectedPerYear } : {}) }));
  const a = modelA(rates, {
    nursePositions,
    agreedNurseCostPerPosition: settings.agreedNurseCostPerPosition,
    tariffIncomeSoFar: nurseCharges.reduce((s, c) => s + c.honorar, 0),
    yearFraction: year.fraction,
    nurseYear,
    codes,
  });

  const listed: ListedPerson[] = data.listed.map((p) => ({
    ...(p.sex ? { sex: p.sex } : {}),
    ...(p.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(p.birthDate) ? { age: ageOn(p.birthDate, data.asOf) } : {}),
  }));
  const shares: ModelBShares = {};
  for (const [id, indicatorId] of Object.entries(INDICATOR_FOR) as [ShareCriterionId, IndicatorId][]) {
    const i = data.indicators.find((x) => x.id === indicatorId);
    if (i && i.denominator > 0) shares[id] = { numerator: i.numerator, denominator: i.denominator, patientIds: i.numeratorIds };
  }
  // Specialisation set in the practice settings wins over the staff list's marks (Table 2, position-weighted).
  const specialised = [
    ['specialisation-gp', settings.gpSpecialisedPositions, gpPositions],
    ['specialisation-nurse', settings.nurseSpecialisedPositions, nursePositions],
  ] as const;
  for (const [id, numerator, denominator] of specialised) {
    if (numerator === null) continue;
    if (denominator > 0) shares[id] = { numerator: Math.min(numerator, denominator), denominator, patientIds: [] };
    else delete shares[id];
  }
  const b = modelB(rates, {
    listed,
    livingConditionsIndex: settings.livingConditionsIndex,
    travelDistanceIndex: settings.travelDistanceIndex,
    shares,
    patientPaymentsSoFar: thisYear.reduce((s, c) => s + c.egenandelCharged, 0),
    yearFraction: year.fraction,
  });

  // The guarantee's income: what the chosen model pays this year (helårsanslag) plus income the app
  // cannot see. Model A: all registered tariffs incl. egenandel, annualised, plus the nurse's flat grant.
  const tariffsYear = thisYear.reduce((s, c) => s + c.honorar, 0) / year.fraction;
  const modelIncome = settings.model === 'A' ? tariffsYear + a.flatGrantYear.amount : b.total.amount;
  const incomeThisYear: Figure = {
    id: 'g-income',
    label: 'Inntekt i år (helårsanslag)',
    amount: modelIncome + settings.otherIncomePerYear,
    explain: {
      formula:
        settings.model === 'A'
          ? 'Alle registrerte takster inkl. egenandel hittil i år ÷ andel av året gått + flatt sykepleiertilskudd per år + andre inntekter'
          : 'Modell B per år (tilskudd + egenbetaling) + andre inntekter',
      inputs: [
        ...(settings.model === 'A'
          ? [{ label: 'Takster hittil i år', value: thisYear.reduce((s, c) => s + c.honorar, 0), unit: 'kr' as const }, { label: 'Andel av årets arbeidsdager gått', value: year.fraction, unit: 'share' as const }, { label: 'Flatt tilskudd per år', value: a.flatGrantYear.amount, unit: 'kr' as const }]
          : [{ label: 'Modell B per år', value: b.total.amount, unit: 'kr' as const }]),
        { label: 'Andre inntekter per år', value: settings.otherIncomePerYear, unit: 'kr' },
      ],
      source: 'Kap. 6, «Inntektssikkerhet for fastleger som deltar i piloten»',
      estimate: true,
      note: `Appen ser bare takster og tilskudd den selv beregner; legg annen inntekt inn under «Andre inntekter per år». Helårsanslaget deler på andelen av kalenderårets arbeidsdager som er gått (${year.elapsed} av ${year.total} etter praksisens kalender).`,
    },
  };
  const guarantee = incomeGuarantee(rates, settings.prePilotIncome ?? undefined, incomeThisYear);
  return { asOf: data.asOf, year, nurseYear, nursePositions, gpPositions, modelA: a, modelB: b, pilot: pilotGrants(rates, gpPositions), incomeThisYear, ...(guarantee ? { guarantee } : {}) };
}

type ModelBShares = Partial<Record<ShareCriterionId, { numerator: number; denominator: number; patientIds: readonly string[] }>>;

// Pilot grants and the income guarantee (skjermingsordning), seed ch. 6 ("Nye kostnader som følge av
// piloten", "Inntektssikkerhet"): 128 000 kr per full GP position to the practice, 25 000 kr per full GP
// position (at least 100 000 kr) to the municipality; loss or gain beyond 10 % of the pre-pilot income is
// compensated or deducted. The app sees only part of a practice's income, so the guarantee is an estimate.
import type { FinancingRates } from './rates';
import type { Figure } from './types';

export interface PilotGrants {
  practice: Figure;
  municipality: Figure;
}

export function pilotGrants(rates: FinancingRates, gpPositions: number): PilotGrants {
  if (!Number.isFinite(gpPositions) || gpPositions < 0) throw new RangeError(`Fastlegestillinger må være ≥ 0, fikk ${gpPositions}`);
  const g = rates.pilotGrants;
  const pos = { label: 'Fastlegestillinger', value: gpPositions, unit: 'positions' as const };
  return {
    practice: {
      id: 'p-practice',
      label: 'Tilskudd til praksisen, per år',
      amount: g.practicePerGpPosition * gpPositions,
      explain: { formula: 'Sats per hel fastlegestilling × antall stillinger', inputs: [{ label: 'Sats per hel stilling', value: g.practicePerGpPosition, unit: 'kr' }, pos], source: 'Kap. 6, «Nye kostnader som følge av piloten»' },
    },
    municipality: {
      id: 'p-municipality',
      label: 'Tilskudd til kommunen, per år',
      amount: Math.max(g.municipalityMinimum, g.municipalityPerGpPosition * gpPositions),
      explain: {
        formula: 'Sats per hel fastlegestilling × antall stillinger, men minst minstebeløpet',
        inputs: [{ label: 'Sats per hel stilling', value: g.municipalityPerGpPosition, unit: 'kr' }, pos, { label: 'Minstebeløp', value: g.municipalityMinimum, unit: 'kr' }],
        source: 'Kap. 6, «Nye kostnader som følge av piloten»',
      },
    },
  };
}

export interface IncomeGuarantee {
  /** Income this year (helårsanslag) against the pre-pilot income. */
  income: Figure;
  deviation: number;
  lower: number;
  upper: number;
  /** Paid to the practice when income falls more than the band below pre-pilot income. */
  compensation: Figure;
  /** Taken back when income rises more than the band above it. */
  deduction: Figure;
}

/** undefined when the pre-pilot income is not set (the view asks for it). */
export function incomeGuarantee(rates: FinancingRates, prePilotIncome: number | undefined, incomeThisYear: Figure): IncomeGuarantee | undefined {
  if (prePilotIncome === undefined || !(prePilotIncome > 0)) return undefined;
  const band = rates.incomeGuarantee.band;
  const lower = prePilotIncome * (1 - band);
  const upper = prePilotIncome * (1 + band);
  const x = incomeThisYear.amount;
  const inputs = [
    { label: 'Inntekt før forsøket', value: prePilotIncome, unit: 'kr' as const },
    { label: 'Inntekt i år (anslag)', value: x, unit: 'kr' as const },
    { label: 'Bånd', value: band, unit: 'share' as const },
  ];
  const source = 'Kap. 6, «Inntektssikkerhet for fastleger som deltar i piloten»';
  return {
    income: incomeThisYear,
    deviation: (x - prePilotIncome) / prePilotIncome,
    lower,
    upper,
    compensation: { id: 'g-compensation', label: 'Kompensasjon (anslag)', amount: Math.max(0, lower - x), explain: { formula: 'Inntekt før forsøket × (1 − 10 %) − inntekt i år, når inntekten er under båndet; ellers 0', inputs, source, estimate: true } },
    deduction: { id: 'g-deduction', label: 'Trekk (anslag)', amount: Math.max(0, x - upper), explain: { formula: 'Inntekt i år − inntekt før forsøket × (1 + 10 %), når inntekten er over båndet; ellers 0', inputs, source, estimate: true } },
  };
}

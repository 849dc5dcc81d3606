// Prices tariff lines with the catalogue in force, and tells what may be claimed from Helfo under the
// practice's financing model (SPEC §1, §5, §6).
import { refusjonAfterCopay, type CopayDecision } from '../copay';
import { tariffInForce, type Catalogue, type Profession } from './catalogue';
import type { TariffLine } from './suggest';

export interface Amounts {
  honorar: number;
  egenandel: number;
  refusjon: number;
}

export interface PricedLine extends Amounts {
  code: string;
  text: string;
  profession: Profession;
  quantity: number;
  /** The catalogue's amounts for one unit. */
  unit: Amounts;
  egenandelIsDemo: boolean;
  /** The line's full price (honorar x quantity); equals egenandel + refusjon. */
  total: number;
}

export interface PricedLines {
  catalogueId: string;
  catalogueVersion: string;
  lines: PricedLine[];
  /** Sums over the lines. */
  total: Amounts;
}

/** A code that the catalogue does not have on the service date. */
export class TariffNotInForceError extends Error {
  readonly code: string;
  readonly serviceDate: string;
  constructor(code: string, serviceDate: string, catalogueId: string) {
    super(`Takst ${code} finnes ikke eller gjelder ikke ${serviceDate} i takstkatalogen ${catalogueId}`);
    this.name = 'TariffNotInForceError';
    this.code = code;
    this.serviceDate = serviceDate;
  }
}

const ore = (kr: number): number => Math.round(kr * 100);
const kr = (ore: number): number => ore / 100;

/** Prices lines (in øre internally, so sums are exact) with the tariffs valid on the service date. */
export function priceLines(lines: readonly TariffLine[], catalogue: Catalogue, serviceDate: string): PricedLines {
  const priced = lines.map((line): PricedLine => {
    if (!Number.isInteger(line.quantity) || line.quantity < 1) {
      throw new RangeError(`Ugyldig antall for ${line.code}: ${line.quantity}`);
    }
    const tariff = tariffInForce(catalogue, line.code, serviceDate);
    if (!tariff) throw new TariffNotInForceError(line.code, serviceDate, catalogue.id);
    const honorar = kr(ore(tariff.honorar) * line.quantity);
    return {
      code: tariff.code,
      text: tariff.text,
      profession: tariff.profession,
      quantity: line.quantity,
      unit: { honorar: tariff.honorar, egenandel: tariff.egenandel, refusjon: tariff.refusjon },
      egenandelIsDemo: tariff.egenandelIsDemo,
      honorar,
      egenandel: kr(ore(tariff.egenandel) * line.quantity),
      refusjon: kr(ore(tariff.refusjon) * line.quantity),
      total: honorar,
    };
  });
  const sum = (pick: (l: PricedLine) => number): number => kr(priced.reduce((s, l) => s + ore(pick(l)), 0));
  return {
    catalogueId: catalogue.id,
    catalogueVersion: catalogue.version,
    lines: priced,
    total: { honorar: sum((l) => l.honorar), egenandel: sum((l) => l.egenandel), refusjon: sum((l) => l.refusjon) },
  };
}

/** The practice's financing model (SPEC §1): A honorarmodell, B driftstilskuddsmodell. */
export type FinancingModel = 'A' | 'B';

/**
 * What may be claimed from Helfo for a priced line (SPEC §1, source ch. 6.1.3-6.1.4, 6.2).
 * A: the tariff's refusjon (nurse S-tariffs by the practice through the EPJ's claim; GP tariffs by the GP
 * as today); with a co-payment decision, refusjon follows SPEC §6 (exempt -> honorar, SAME_DAY ->
 * honorar - egenandel, cancelled -> 0). B: no refund tariffs, so 0; the patient still pays egenandel.
 */
export function claimableFromHelfo(
  model: FinancingModel,
  line: Pick<PricedLine, 'honorar' | 'egenandel' | 'refusjon'>,
  decision?: CopayDecision,
): number {
  if (model === 'B') return 0;
  return decision ? refusjonAfterCopay(line, decision) : line.refusjon;
}

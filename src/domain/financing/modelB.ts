// Model B, driftstilskuddsmodellen (seed ch. 6.2, Tables 2 and 3): the yearly grant per listed person,
// criterion by criterion. Every criterion pays grantPerListedPerson x its Table 2 weight x a factor that
// is 1 at the source's average: the list's mean age/sex index, the municipality's index, or the achieved
// share / the baseline share (so "achieved share x max", max = average / baseline share). With all
// inputs at the averages this gives Table 3 (1 470, 144, 319, 1 933 kr).
import { criterion, type AgeSexWeight, type CriterionId, type FinancingRates } from './rates';
import type { Figure } from './types';

export type ShareCriterionId = Extract<CriterionId, 'coverage' | 'specialisation-gp' | 'specialisation-nurse' | 'care-plan' | 'medication-review' | 'digital-booking'>;

export interface AchievedShare {
  numerator: number;
  denominator: number;
  /** Patients behind the share (for the drill-down); empty for staff-based shares. */
  patientIds?: readonly string[];
}

export interface ListedPerson {
  sex?: 'female' | 'male';
  age?: number;
}

export interface ModelBInputs {
  listed: readonly ListedPerson[];
  /** Municipality indices, 1 = the source's average (Table 3: 40 and 32 kr). */
  livingConditionsIndex: number;
  travelDistanceIndex: number;
  shares: Partial<Record<ShareCriterionId, AchievedShare>>;
  /** Egenandel registered so far this year, kr, and the share of the year's working days elapsed. */
  patientPaymentsSoFar: number;
  yearFraction: number;
}

export interface CriterionFigure extends Figure {
  criterion: CriterionId;
  group: 'list' | 'result' | 'quality';
  perPerson: number;
  /** The source's figures for display beside ours (Table 3 and ch. 6.2's text). */
  sourceAverage: number;
  sourceMin?: number;
  sourceMax?: number;
  /** For share criteria: the share used and the patients behind it. */
  share?: number;
  shareFromData?: AchievedShare;
}

export interface ModelB {
  listSize: number;
  criteria: CriterionFigure[];
  /** Table 3's "Listeinnbyggertilskudd" (alder/kjønn, helsetilstand, levekår, reiseavstand, dekningsgrad). */
  listGrant: Figure & { perPerson: number };
  /** Table 3's "Tilskudd basert på resultat og kvalitet" (the five quality items). */
  qualityGrant: Figure & { perPerson: number };
  patientPayments: Figure & { perPerson: number };
  total: Figure & { perPerson: number };
  /** Table 2's weights by group: listeinnbyggertilskudd, resultat, kvalitet. */
  weights: { list: number; result: number; quality: number };
}

const T2 = 'Tabell 2 og 3, kap. 6.2';

export function ageSexIndex(weights: readonly AgeSexWeight[], person: ListedPerson, unknown: number): number {
  if (person.sex === undefined || person.age === undefined) return unknown;
  const w = weights.find((x) => x.sex === person.sex && person.age! >= x.fromAge && person.age! <= x.toAge);
  return w?.index ?? unknown;
}

function checkInputs(input: ModelBInputs): void {
  for (const [field, v] of [['livingConditionsIndex', input.livingConditionsIndex], ['travelDistanceIndex', input.travelDistanceIndex], ['patientPaymentsSoFar', input.patientPaymentsSoFar]] as const)
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`${field} må være et tall ≥ 0, fikk ${v}`);
  if (!(input.yearFraction > 0 && input.yearFraction <= 1)) throw new RangeError(`yearFraction må være over 0 og høyst 1, fikk ${input.yearFraction}`);
}

export function modelB(rates: FinancingRates, input: ModelBInputs): ModelB {
  checkInputs(input);
  const D = rates.modelB.grantPerListedPerson;
  const n = input.listed.length;
  const perPersonOf = (id: CriterionId, factor: number) => D * criterion(rates, id).weight * factor;
  const figures: CriterionFigure[] = [];
  const push = (id: CriterionId, factor: number, formula: string, extra: Partial<CriterionFigure> & { inputs?: Figure['explain']['inputs']; note?: string } = {}) => {
    const c = criterion(rates, id);
    const perPerson = perPersonOf(id, factor);
    const { inputs = [], note, ...rest } = extra;
    figures.push({
      id: `b-${id}`,
      criterion: id,
      group: c.group,
      label: c.label,
      perPerson,
      amount: perPerson * n,
      sourceAverage: c.average,
      ...(c.min !== undefined ? { sourceMin: c.min } : {}),
      ...(c.max !== undefined ? { sourceMax: c.max } : {}),
      ...rest,
      explain: {
        formula,
        inputs: [{ label: 'Driftstilskudd per listeinnbygger', value: D, unit: 'kr' }, { label: 'Vekt (Tabell 2)', value: c.weight, unit: 'share' }, ...inputs, { label: 'Listeinnbyggere', value: n, unit: 'count' }],
        source: T2,
        ...(note ? { note } : {}),
      },
    });
  };

  const meanIndex = n === 0 ? 0 : input.listed.reduce((s, p) => s + ageSexIndex(rates.modelB.ageSexIndex, p, rates.modelB.ageSexIndexForUnknown), 0) / n;
  const unknown = input.listed.filter((p) => p.sex === undefined || p.age === undefined).length;
  push('age-sex', meanIndex, 'Driftstilskudd per listeinnbygger × vekt × listens gjennomsnittlige alders- og kjønnsvekt, × antall listeinnbyggere', {
    inputs: [{ label: 'Gjennomsnittlig alders- og kjønnsvekt', value: meanIndex, unit: 'index' }],
    note: `Vektene per alders- og kjønnsgruppe er illustrative (kilden gir bare snitt og spenn).${unknown > 0 ? ` ${unknown} uten registrert alder eller kjønn regnes med vekt ${rates.modelB.ageSexIndexForUnknown}.` : ''}`,
  });
  push('health', 0, 'Vekt 0 %: kriteriet vurderes i 2018', {});
  push('living-conditions', input.livingConditionsIndex, 'Driftstilskudd per listeinnbygger × vekt × kommunens levekårsindeks, × antall listeinnbyggere', {
    inputs: [{ label: 'Levekårsindeks (1 = snitt)', value: input.livingConditionsIndex, unit: 'index' }],
  });
  push('travel-distance', input.travelDistanceIndex, 'Driftstilskudd per listeinnbygger × vekt × kommunens reiseavstandsindeks, × antall listeinnbyggere', {
    inputs: [{ label: 'Reiseavstandsindeks (1 = snitt)', value: input.travelDistanceIndex, unit: 'index' }],
  });
  for (const id of ['coverage', 'specialisation-gp', 'specialisation-nurse', 'care-plan', 'medication-review', 'digital-booking'] as const) {
    const c = criterion(rates, id);
    const baseline = c.baselineShare!;
    const data = input.shares[id];
    const measured = data && data.denominator > 0 ? Math.min(1, data.numerator / data.denominator) : undefined;
    const used = measured ?? baseline;
    const max = (D * c.weight) / baseline;
    const notes = [
      measured === undefined ? 'Mangler data: kildens grunnlinje er brukt.' : '',
      c.baselineIllustrative ? 'Grunnlinjen står ikke i kilden (utledet eller illustrativ).' : '',
    ].filter(Boolean);
    push(id, used / baseline, 'Oppnådd andel × maksbeløp per listeinnbygger (maks = gjennomsnitt ÷ grunnlinjeandel), × antall listeinnbyggere', {
      share: used,
      ...(data ? { shareFromData: data } : {}),
      inputs: [
        { label: 'Oppnådd andel', value: used, unit: 'share' },
        ...(data ? [{ label: 'Teller', value: data.numerator, unit: 'count' as const }, { label: 'Nevner', value: data.denominator, unit: 'count' as const }] : []),
        { label: 'Grunnlinjeandel', value: baseline, unit: 'share' },
        { label: 'Maks per listeinnbygger', value: max, unit: 'kr' },
      ],
      ...(notes.length ? { note: notes.join(' ') } : {}),
    });
  }

  const sumOf = (pred: (f: CriterionFigure) => boolean) => figures.filter(pred).reduce((s, f) => s + f.perPerson, 0);
  const weightOf = (g: CriterionFigure['group']) => rates.modelB.criteria.filter((c) => c.group === g).reduce((s, c) => s + c.weight, 0);
  const listPer = sumOf((f) => f.group !== 'quality');
  const qualityPer = sumOf((f) => f.group === 'quality');
  const paymentsYear = input.patientPaymentsSoFar / input.yearFraction;
  const paymentsPer = n === 0 ? 0 : paymentsYear / n;
  const t3 = rates.modelB.table3;
  const sumFigure = (id: string, label: string, perPerson: number, formula: string, avg: number) => ({
    id,
    label,
    perPerson,
    amount: perPerson * n,
    explain: { formula, inputs: [{ label: 'Per listeinnbygger', value: perPerson, unit: 'kr' as const }, { label: 'Listeinnbyggere', value: n, unit: 'count' as const }, { label: 'Kildens gjennomsnitt per listeinnbygger', value: avg, unit: 'kr' as const }], source: 'Tabell 3, kap. 6.2' },
  });
  return {
    listSize: n,
    criteria: figures,
    listGrant: sumFigure('b-list', 'Listeinnbyggertilskudd (inkl. dekningsgrad)', listPer, 'Summen av alder og kjønn, helsetilstand, levekår, reiseavstand og dekningsgrad', t3.listTotal),
    qualityGrant: sumFigure('b-quality', 'Tilskudd basert på resultat og kvalitet', qualityPer, 'Summen av spesialisering lege og sykepleier, behandlingsplan, legemiddelgjennomgang og digital timebestilling', t3.qualityTotal),
    patientPayments: {
      id: 'b-payments',
      label: 'Egenbetaling fra pasient',
      perPerson: paymentsPer,
      amount: paymentsYear,
      explain: {
        formula: 'Registrerte egenandeler hittil i år ÷ andel av årets arbeidsdager som er gått (helårsanslag), ÷ antall listeinnbyggere',
        inputs: [
          { label: 'Egenandeler registrert hittil i år', value: input.patientPaymentsSoFar, unit: 'kr' },
          { label: 'Andel av årets arbeidsdager gått', value: input.yearFraction, unit: 'share' },
          { label: 'Listeinnbyggere', value: n, unit: 'count' },
          { label: 'Kildens gjennomsnitt per listeinnbygger', value: rates.modelB.patientPaymentsAverage, unit: 'kr' },
        ],
        source: 'Tabell 3, kap. 6.2 (egenbetaling) og kap. 6.1.2',
        estimate: true,
        note: 'Andelen av året er arbeidsdager gått ÷ alle arbeidsdager i kalenderåret etter praksisens kalender (helligdager og stengte dager trekkes fra), fordi praksisen tar egenandeler alle dager den har åpent; ikke Tabell 1s 230 dager per sykepleierårsverk.',
      },
    },
    total: sumFigure('b-total', 'Sum inntjening modell B', listPer + qualityPer + paymentsPer, 'Listeinnbyggertilskudd + tilskudd basert på resultat og kvalitet + egenbetaling', t3.total),
    weights: { list: weightOf('list'), result: weightOf('result'), quality: weightOf('quality') },
  };
}

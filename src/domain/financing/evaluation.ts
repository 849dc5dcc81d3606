// The complete evaluation export (issue 18 item 4; seed ch. 7; SPEC §7): per period and practice, aggregate
// figures only, no identifiers. Every part is a table of counts (or kroner, or shares) with the sums a reader
// knows hold between its cells ("this column adds up to that total"). Counts under 5 are suppressed, and
// complementary suppression hides further cells until no known sum has exactly one hidden entry, so no
// suppressed cell can be recomputed from the totals, however many times the reader repeats the subtraction.
// [decision] This is the usual "at least two hidden per sum" rule, not an audit by linear programming.
// Pure: the caller passes the records (or the aggregates of a slice that keeps its own data, see
// ./evaluationSources.ts) and `asOf`.
import { ageOn } from '../copay';
import { deadlineCompliance, type FollowUpTask } from '../followUp';
import type { Indicator } from '../manager/indicators';
import { MIN_CELL } from '../manager/evaluationExport';
import { inPeriod, serviceDay } from '../manager/period';
import type { ChargeRecord, Period } from '../manager/types';
import { TARGET_GROUPS, type TargetGroup } from '../targetGroups/types';
import { AGE_BANDS, SUPPRESSED, type Cell, type ExportRow } from './evaluationExport';
import { CHANNEL_IDS, PROFESSION_IDS, type Channel, type ContactCount, type OutreachCounts, type Profession } from './evaluationSources';

export type ExportUnit = 'antall' | 'kr' | 'andel' | 'årsverk';

/** A sum the reader knows holds: the cell at `total` is the sum of the cells at `parts` ([row, col]). */
export interface KnownSum {
  total: [number, number];
  parts: [number, number][];
}

export interface ExportPart {
  /** Stable id, the key of the data dictionary (evaluation-dictionary.json). */
  id: string;
  title: string;
  rowLabels: string[];
  colLabels: string[];
  /** Unit of each column. */
  units: ExportUnit[];
  cells: Cell[][];
  /** The sums between cells (margins): published so evaluators can check them; the suppression honours them. */
  sums: KnownSum[];
  /** false: the data is not available in this installation yet (cells empty; the note says why). */
  available: boolean;
  note?: string;
}

export interface EvaluationExport {
  period: Period;
  asOf: string;
  parts: ExportPart[];
}

// ---------------------------------------------------------------------------------------------------------
// Suppression

/**
 * Hides every protected count in 1..min-1, then, while some known sum has exactly one hidden entry, hides
 * that sum's smallest other entry (a body cell before a total, a zero last: zeros are often known anyway).
 */
export function suppressWithSums(values: readonly (readonly number[])[], sums: readonly KnownSum[], isCount: (i: number, j: number) => boolean, min = MIN_CELL): Cell[][] {
  const hidden = values.map((r, i) => r.map((v, j) => isCount(i, j) && v > 0 && v < min));
  const totals = new Set(sums.map((s) => `${s.total[0]},${s.total[1]}`));
  const at = ([i, j]: [number, number]) => values[i]![j]!;
  for (let changed = true; changed; ) {
    changed = false;
    for (const s of sums) {
      const entries = [s.total, ...s.parts];
      if (entries.filter(([i, j]) => hidden[i]![j]).length !== 1) continue;
      const rank = (p: [number, number]) => (at(p) === 0 ? 2 : totals.has(`${p[0]},${p[1]}`) ? 1 : 0);
      const candidates = entries.filter(([i, j]) => !hidden[i]![j]).sort((a, b) => rank(a) - rank(b) || at(a) - at(b));
      const pick = candidates[0];
      if (!pick) continue;
      hidden[pick[0]]![pick[1]] = true;
      changed = true;
    }
  }
  return values.map((r, i) => r.map((v, j) => (hidden[i]![j] ? SUPPRESSED : v)));
}

/** The sums of a table whose last row and last column are the margins (totals). */
export function marginSums(nRows: number, nCols: number): KnownSum[] {
  const sums: KnownSum[] = [];
  for (let i = 0; i < nRows; i++) sums.push({ total: [i, nCols - 1], parts: Array.from({ length: nCols - 1 }, (_, j) => [i, j] as [number, number]) });
  for (let j = 0; j < nCols; j++) sums.push({ total: [nRows - 1, j], parts: Array.from({ length: nRows - 1 }, (_, i) => [i, j] as [number, number]) });
  return sums;
}

/** A cross table of counts with margins added ("Sum" row and column), suppressed. */
function crossPart(id: string, title: string, rowLabels: string[], colLabels: string[], counts: number[][], note?: string): ExportPart {
  const rows = counts.map((r) => [...r, r.reduce((s, x) => s + x, 0)]);
  const colTotals = colLabels.map((_, j) => counts.reduce((s, r) => s + (r[j] ?? 0), 0));
  rows.push([...colTotals, colTotals.reduce((s, x) => s + x, 0)]);
  const sums = marginSums(rows.length, colLabels.length + 1);
  return {
    id,
    title,
    rowLabels: [...rowLabels, 'Sum'],
    colLabels: [...colLabels, 'Sum'],
    units: [...colLabels, 'Sum'].map(() => 'antall'),
    cells: suppressWithSums(rows, sums, () => true),
    sums,
    available: true,
    ...(note ? { note } : {}),
  };
}

function unavailable(id: string, title: string, note: string): ExportPart {
  return { id, title, rowLabels: [], colLabels: [], units: [], cells: [], sums: [], available: false, note };
}

// ---------------------------------------------------------------------------------------------------------
// Inputs

export interface EvaluationListed {
  sex?: 'female' | 'male';
  birthDate?: string;
  /** Target groups after the team's assessments (src/domain/targetGroups classify). */
  groups: readonly TargetGroup[];
}

export interface EvaluationInputs {
  period: Period;
  asOf: string;
  listed: readonly EvaluationListed[];
  /** From the target-groups slice (GET /api/target-groups/manager/outreach); undefined: not available. */
  outreach?: OutreachCounts;
  tasks: readonly Pick<FollowUpTask, 'patientId' | 'deadline' | 'dischargeDate' | 'attempts' | 'closure' | 'owner'>[];
  /** Documented contacts in the period (GET /api/contact-copay/manager/contacts); undefined: not available. */
  contacts?: readonly ContactCount[];
  charges: readonly ChargeRecord[];
  /** Tariff codes to show even when unused (the catalogue's S-codes), in order. */
  codes: readonly string[];
  indicators: readonly Indicator[];
  /** financingExportRows(...) of the same period. */
  financing: readonly ExportRow[];
}

// ---------------------------------------------------------------------------------------------------------
// Parts

const SEX_LABELS = ['Kvinne', 'Mann', 'Ukjent kjønn'];

function listPart(listed: readonly EvaluationListed[], asOf: string): ExportPart {
  const rowLabels = [...AGE_BANDS.map(([l]) => l), 'Ukjent alder'];
  const counts = rowLabels.map(() => SEX_LABELS.map(() => 0));
  for (const p of listed) {
    const age = p.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(p.birthDate) ? ageOn(p.birthDate, asOf) : undefined;
    const band = age === undefined ? -1 : AGE_BANDS.findIndex(([, lo, hi]) => age >= lo && age <= hi);
    counts[band < 0 ? rowLabels.length - 1 : band]![p.sex === 'female' ? 0 : p.sex === 'male' ? 1 : 2]! += 1;
  }
  return crossPart('list-age-sex', 'Listestørrelse etter aldersgruppe og kjønn', rowLabels, SEX_LABELS, counts);
}

const GROUP_LABELS: Record<TargetGroup, string> = {
  chronic: 'Kronisk sykdom',
  'mental-substance': 'Psykisk lidelse/rusavhengighet',
  'frail-elderly': 'Skrøpelige eldre',
  disability: 'Utviklingshemning/funksjonsnedsettelse',
};

/**
 * A count out of a published denominator: hidden when the count or the rest (denominator − count) is 1-4,
 * since "all but 2" identifies as well as "2"; the share goes with it.
 */
function shareRow(numerator: number, denominator: number, min: number): [Cell, Cell] {
  const small = (n: number) => n > 0 && n < min;
  if (small(numerator) || small(denominator - numerator)) return [SUPPRESSED, SUPPRESSED];
  return [numerator, denominator > 0 ? Math.round((numerator / denominator) * 1000) / 1000 : 0];
}

function targetGroupPart(listed: readonly EvaluationListed[], min: number): ExportPart {
  const n = listed.length;
  const rows: [string, number][] = [...TARGET_GROUPS.map((g) => [GROUP_LABELS[g], listed.filter((p) => p.groups.includes(g)).length] as [string, number]), ['Minst én målgruppe', listed.filter((p) => p.groups.length > 0).length]];
  // The list size is published (list table), so it stays visible here.
  const cells: Cell[][] = rows.map(([, count]) => {
    const [c, share] = shareRow(count, n, min);
    return [c, n, share, 0.07, 0.1];
  });
  return {
    id: 'target-groups',
    title: 'Målgrupper: andel av listen mot anslaget 7–10 %',
    rowLabels: rows.map(([l]) => l),
    colLabels: ['Pasienter i gruppen', 'Listeinnbyggere', 'Andel', 'Anslag fra', 'Anslag til'],
    units: ['antall', 'antall', 'andel', 'andel', 'andel'],
    cells,
    sums: [],
    available: true,
    note: 'En pasient kan være i flere grupper; radene summerer ikke til «Minst én målgruppe». Anslaget 7–10 % er for alle målgruppene samlet (kap. 4.2).',
  };
}

function rowPart(id: string, title: string, colLabels: string[], counts: number[], note?: string): ExportPart {
  const values = [[...counts, counts.reduce((s, x) => s + x, 0)]];
  const sums: KnownSum[] = [{ total: [0, counts.length], parts: counts.map((_, j) => [0, j] as [number, number]) }];
  return { id, title, rowLabels: ['Antall'], colLabels: [...colLabels, 'Sum'], units: [...colLabels, 'Sum'].map(() => 'antall'), cells: suppressWithSums(values, sums, () => true), sums, available: true, ...(note ? { note } : {}) };
}

function outreachPart(o: OutreachCounts | undefined): ExportPart {
  const title = 'Oppsøkende arbeid (svake etterspørrere)';
  if (!o) return unavailable('outreach', title, 'Ikke tilgjengelig: vurderingene kunne ikke hentes fra appens database.');
  return rowPart(
    'outreach',
    title,
    ['Vurdert, ikke tilbudt', 'Tilbudt, takket ja', 'Tilbudt, takket nei', 'Ikke nådd'],
    [o.notOffered, o.accepted, o.declined, o.noAnswer],
    'Pasienter vurdert i perioden, etter siste vurdering. Sum = vurdert. Tilbudt = takket ja + takket nei. Ikke nådd: teamet fikk ikke kontakt med pasienten.',
  );
}

/** Discharges with a deadline in the period (SPEC §4), by outcome as of asOf (src/domain/followUp.ts). */
function dischargePart(inputs: EvaluationInputs): ExportPart {
  const c = deadlineCompliance(inputs.tasks, inputs.period, inputs.asOf).total;
  return rowPart(
    'discharges',
    'Utskrivninger: oppfølging innen 3 arbeidsdager',
    ['Kontakt innen fristen', 'Kontakt etter fristen', 'Ikke kontaktet', 'Fristen ikke passert', 'Lukket av godtatt grunn'],
    [c.met, c.late, c.missed, c.pending, c.excluded],
    'Sum = utskrivninger med frist i perioden. Andel innen fristen = innen ÷ (innen + etter + ikke kontaktet).',
  );
}

const DAY_MS = 86_400_000;

/**
 * Readmissions within 30 days of a discharge with a deadline in the period: the same patient has a later
 * discharge within 30 days (so was admitted again within them), or the follow-up was closed as readmitted.
 * A lower bound: a readmission still in hospital, or discharged after day 30, is not seen.
 */
export function readmittedWithin30Days(tasks: EvaluationInputs['tasks'], period: Period): { discharges: number; readmitted: number } {
  const inP = tasks.filter((t) => inPeriod(t.deadline.slice(0, 10), period));
  let readmitted = 0;
  for (const t of inP) {
    const d = t.dischargeDate ? Date.parse(t.dischargeDate.slice(0, 10)) : NaN;
    const later = Number.isFinite(d)
      ? tasks.some((o) => o !== t && o.patientId === t.patientId && o.dischargeDate !== undefined && Date.parse(o.dischargeDate.slice(0, 10)) > d && Date.parse(o.dischargeDate.slice(0, 10)) - d <= 30 * DAY_MS)
      : false;
    if (later || t.closure?.reason === 'readmitted') readmitted++;
  }
  return { discharges: inP.length, readmitted };
}

function readmissionPart(inputs: EvaluationInputs): ExportPart {
  const r = readmittedWithin30Days(inputs.tasks, inputs.period);
  return rowPart('readmissions', 'Reinnleggelser innen 30 dager', ['Reinnlagt innen 30 dager', 'Ikke sett reinnlagt'], [r.readmitted, r.discharges - r.readmitted], 'Sum = utskrivninger med frist i perioden. Nedre grense: appen ser bare nye utskrivninger og oppfølginger lukket som «reinnlagt».');
}

const PROFESSION_LABELS: Record<Profession, string> = { gp: 'Lege', nurse: 'Sykepleier', secretary: 'Helsesekretær' };
const CHANNEL_LABELS: Record<Channel, string> = { 'in-person': 'Oppmøte', video: 'Video', phone: 'Telefon', written: 'Skriftlig', 'home-visit': 'Hjemmebesøk', group: 'Gruppe' };

function contactsPart(contacts: readonly ContactCount[] | undefined): ExportPart {
  const title = 'Kontakter etter yrke og kanal';
  if (!contacts) return unavailable('contacts', title, 'Ikke tilgjengelig: kontaktene kunne ikke hentes fra appens database.');
  const counts = PROFESSION_IDS.map((p) => CHANNEL_IDS.map((ch) => contacts.filter((c) => c.profession === p && c.channel === ch).reduce((s, c) => s + c.count, 0)));
  return crossPart(
    'contacts',
    title,
    PROFESSION_IDS.map((p) => PROFESSION_LABELS[p]),
    CHANNEL_IDS.map((ch) => CHANNEL_LABELS[ch]),
    counts,
    'Kontakter registrert i appen med dato i perioden, etter hvem som registrerte dem. Hjemmebesøk og gruppe regnes som egne kanaler; uten oppgitt kanal regnes oppmøte.',
  );
}

/** Tariff codes: counts (suppressed with their total) and amounts; an amount of a hidden count is hidden. */
function tariffPart(inputs: EvaluationInputs, min: number): ExportPart {
  const live = inputs.charges.filter((c) => !c.cancelled && inPeriod(serviceDay(c.at), inputs.period));
  const codes = [...new Set([...inputs.codes, ...live.map((c) => c.code).sort()])];
  const rows = codes.map((code) => {
    const cs = live.filter((c) => c.code === code);
    return [cs.reduce((s, c) => s + c.quantity, 0), cs.reduce((s, c) => s + c.honorar, 0), cs.reduce((s, c) => s + c.egenandelCharged, 0), cs.reduce((s, c) => s + c.refusjon, 0)];
  });
  const total = [0, 1, 2, 3].map((j) => rows.reduce((s, r) => s + r[j]!, 0));
  const values = [...rows, total];
  const sums: KnownSum[] = [0, 1, 2, 3].map((j) => ({ total: [rows.length, j] as [number, number], parts: rows.map((_, i) => [i, j] as [number, number]) }));
  const counts = suppressWithSums(values, [sums[0]!], (_i, j) => j === 0, min);
  // Amount = count x price, and prices are public: an amount of a hidden count is hidden, and so are the
  // amount totals when any count is hidden (with the count total they would give the hidden counts back).
  const anyHidden = counts.some((r) => r[0] === SUPPRESSED);
  const cells: Cell[][] = values.map((r, i) => r.map((v, j) => (j === 0 ? counts[i]![0]! : counts[i]![0] === SUPPRESSED || (i === rows.length && anyHidden) ? SUPPRESSED : Math.round(v))));
  return {
    id: 'tariffs',
    title: 'Takster: antall og beløp',
    rowLabels: [...codes, 'Sum'],
    colLabels: ['Antall', 'Honorar', 'Egenandel', 'Refusjon'],
    units: ['antall', 'kr', 'kr', 'kr'],
    cells,
    sums,
    available: true,
  };
}

const WAIVER_LABELS: Record<string, string> = {
  SAME_DAY: 'Egenandel allerede tatt i dag (teamet)',
  B: 'Barn under 16 år (7461 B)',
  F: 'Frikort (7461 F)',
  A: 'Allmennfarlig smittsom sykdom (A)',
};

function waiverPart(inputs: EvaluationInputs): ExportPart {
  const live = inputs.charges.filter((c) => !c.cancelled && c.waiverReason && c.waiverReason !== 'CANCELLED' && inPeriod(serviceDay(c.at), inputs.period));
  const reasons = [...new Set(['SAME_DAY', 'B', 'F', ...live.map((c) => c.waiverReason!).sort()])];
  return rowPart(
    'copay-waived',
    'Egenandel ikke tatt, etter grunn',
    reasons.map((r) => WAIVER_LABELS[r] ?? `Fritak ${r}`),
    reasons.map((r) => live.filter((c) => c.waiverReason === r).length),
    'Antall takstlinjer uten egenandel, etter grunn (Volven 7461, og «allerede tatt i dag» etter én-egenandel-regelen, kap. 6.1.2).',
  );
}

const STAFF_INDICATORS = new Set(['specialisation-gp', 'specialisation-nurse']);

function indicatorPart(indicators: readonly Indicator[], min: number): ExportPart {
  const cells: Cell[][] = indicators.map((i) => {
    // Staff positions (årsverk) are not patients: no suppression. A small denominator hides the row.
    if (STAFF_INDICATORS.has(i.id)) return [Math.round(i.numerator * 100) / 100, Math.round(i.denominator * 100) / 100, i.denominator > 0 ? Math.round((i.numerator / i.denominator) * 1000) / 1000 : 0, i.baseline ?? 0];
    if (i.denominator > 0 && i.denominator < min) return [SUPPRESSED, SUPPRESSED, SUPPRESSED, i.baseline ?? 0];
    const [num, share] = shareRow(i.numerator, i.denominator, min);
    return [num, i.denominator, share, i.baseline ?? 0];
  });
  return {
    id: 'indicators',
    title: 'Kvalitetsindikatorer (Tabell 2)',
    rowLabels: indicators.map((i) => i.label),
    colLabels: ['Teller', 'Nevner', 'Andel', 'Grunnlinje'],
    units: ['antall', 'antall', 'andel', 'andel'],
    cells,
    sums: [],
    available: true,
    note: 'Spesialisering regnes i årsverk (stillingsvektet), ikke pasienter.',
  };
}

function financingPart(rows: readonly ExportRow[]): ExportPart {
  return {
    id: 'financing',
    title: 'Finansiering (kap. 6)',
    rowLabels: rows.map((r) => r.measure),
    colLabels: ['Beløp'],
    units: ['kr'],
    cells: rows.map((r) => [r.value]),
    sums: [],
    available: true,
    note: 'Kroner per år (helårsanslag der det står). Et beløp bygget på et lite antall er skjult, og summene det inngår i også.',
  };
}

export function evaluationExport(inputs: EvaluationInputs, min = MIN_CELL): EvaluationExport {
  return {
    period: inputs.period,
    asOf: inputs.asOf,
    parts: [
      listPart(inputs.listed, inputs.asOf),
      targetGroupPart(inputs.listed, min),
      outreachPart(inputs.outreach),
      dischargePart(inputs),
      readmissionPart(inputs),
      contactsPart(inputs.contacts),
      tariffPart(inputs, min),
      waiverPart(inputs),
      indicatorPart(inputs.indicators, min),
      financingPart(inputs.financing),
    ],
  };
}

export const EVALUATION_EXPORT_HEADER = ['periode', 'del', 'rad', 'kolonne', 'verdi', 'enhet'] as const;

/** CSV rows (src/platform/csv.ts writes them, formula-safe): one line per cell; a part without data says so. */
export function evaluationCsvRows(e: EvaluationExport): (string | number)[][] {
  const period = `${e.period.from}–${e.period.to}`;
  const out: (string | number)[][] = [];
  for (const p of e.parts) {
    if (!p.available) {
      out.push([period, p.id, '', '', '', 'ikke tilgjengelig']);
      continue;
    }
    p.cells.forEach((r, i) => r.forEach((v, j) => out.push([period, p.id, p.rowLabels[i]!, p.colLabels[j]!, v, p.units[j]!])));
  }
  return out;
}

// Today's team charges for one patient (SPEC §6), read-only, as a view model the UI shows without
// touching FHIR: every charge of the Oslo day the app can see (its own and the GP charges the EPJ
// exposes), who gave the service, what the patient is charged or why not, and who bears the day's
// egenandel. Also the patient's co-payment facts (birth date, frikort: a Coverage whose type is a
// Volven 7461 code), which registerContact and cancelCharge need.
import type { Coverage } from '@medplum/fhirtypes';
import { osloDate } from '../domain/calendar';
import {
  allocateCopayments,
  copayReasonLabel,
  patientExemptionOn,
  REASON_CANCELLED,
  type CopayExemption,
  type CopayOptions,
  type CopayPatient,
  type DayCharge,
} from '../domain/copay';
import { catalogueInForce, defaultCatalogues, tariffInForce, type Catalogue } from '../domain/tariffs';
import { copayDayValue, paidElsewhereAnswer } from './builders/account';
import { referencedId } from './builders/common';
import { readTeamCharge, storedDecision, toDayCharge, type ChargeDecisionView, type TeamCharge } from './charges';
import { COPAY_SYSTEMS } from './chargesSystems';
import { shiftDay, tariffEgenandelLookup } from './chargesLedger';
import type { FhirClient, RequestOptions } from './client';
import { isFhirError } from './errors';
import { SYSTEMS } from './systems';

export interface ChargeRow {
  id: string;
  code?: string;
  /** The tariff's text from the catalogue in force that day. */
  text?: string;
  /** Who gave the service, in words (Fastlege, Sykepleier). */
  performer: string;
  /** Service time (ISO). */
  at?: string;
  /** Written by the app (only those can be cancelled by it). */
  ours: boolean;
  /** Practitioner id of the one who registered it (only they, or the daglig leder, may cancel). */
  registeredBy?: string;
  cancelled: boolean;
  settled: boolean;
  charged: number;
  waived: number;
  reason?: string;
  reasonLabel?: string;
}

export interface TodaysCharges {
  day: string;
  /** By service time. */
  rows: ChargeRow[];
  /** The row that carries the day's egenandel. */
  bearerId?: string;
  /** The recorded answer to "Har pasienten allerede betalt egenandel i dag?". */
  paidElsewhere?: boolean;
  /** The patient's own exemption that day (under 16, frikort). */
  exemption?: { code: string; label: string };
  /** The EPJ's GP charges are visible; else the app sees only its own. */
  gpChargesVisible: boolean;
  /** The day as the co-payment rule sees it, for previews (domain data, not FHIR). */
  dayCharges: DayCharge[];
  /** Charges that could not be read, in words. */
  issues: string[];
}

export interface TodaysChargesOptions extends RequestOptions {
  catalogues?: readonly Catalogue[];
  copay?: CopayOptions;
}

const CATEGORY_LABEL: Readonly<Record<string, string>> = { LE: 'Fastlege', SP: 'Sykepleier', HE: 'Helsesekretær' };
const PROFESSION_LABEL = { gp: 'Fastlege', nurse: 'Sykepleier' } as const;

interface RowFacts {
  id: string;
  code?: string;
  at?: string;
  ours: boolean;
  registeredBy?: string;
  settled: boolean;
  charged: number;
  waived: number;
  reason?: string;
  performerCategory?: string;
}

/** One row; the tariff text and, failing a performer category, the profession come from the catalogue. */
export function chargeRow(facts: RowFacts, catalogues: readonly Catalogue[] = defaultCatalogues, copay?: CopayOptions): ChargeRow {
  const day = facts.at ? osloDate(facts.at) : undefined;
  const catalogue = day ? catalogueInForce(catalogues, day) : undefined;
  const tariff = catalogue && facts.code && day ? tariffInForce(catalogue, facts.code, day) : undefined;
  const performer = (facts.performerCategory && CATEGORY_LABEL[facts.performerCategory]) ?? (tariff ? PROFESSION_LABEL[tariff.profession] : 'Ukjent');
  return {
    id: facts.id,
    ...(facts.code ? { code: facts.code } : {}),
    ...(tariff ? { text: tariff.text } : {}),
    performer,
    ...(facts.at ? { at: facts.at } : {}),
    ours: facts.ours,
    ...(facts.registeredBy ? { registeredBy: facts.registeredBy } : {}),
    cancelled: facts.reason === REASON_CANCELLED,
    settled: facts.settled,
    charged: facts.charged,
    waived: facts.waived,
    ...(facts.reason ? { reason: facts.reason, reasonLabel: copayReasonLabel(facts.reason, copay) } : {}),
  };
}

const byTime = (a: ChargeRow, b: ChargeRow): number => (a.at ?? '').localeCompare(b.at ?? '') || a.id.localeCompare(b.id);

/** Rows from the day a save or cancel returned (registerContact / cancelCharge `day`). */
export function rowsFromDecisions(views: readonly ChargeDecisionView[], catalogues?: readonly Catalogue[], copay?: CopayOptions): ChargeRow[] {
  return views.map((v) => chargeRow(v, catalogues, copay)).sort(byTime);
}

function rowFromCharge(charge: TeamCharge, catalogues: readonly Catalogue[], copay?: CopayOptions): ChargeRow {
  const d = storedDecision(charge);
  return chargeRow({ ...charge, ...d, settled: charge.settled }, catalogues, copay);
}

/** A Coverage as a day exemption (frikort F and other Volven 7461 codes), when it is one for this patient. */
export function exemptionFromCoverage(coverage: Coverage, patientId: string): CopayExemption | undefined {
  if (coverage.status !== undefined && coverage.status !== 'active') return undefined;
  if (referencedId(coverage.beneficiary, 'Patient') !== patientId) return undefined;
  const code = coverage.type?.coding?.find((c) => c.system === SYSTEMS.copayExemption)?.code;
  const from = coverage.period?.start;
  if (!code || !from || !/^\d{4}-\d{2}-\d{2}/.test(from)) return undefined;
  const to = coverage.period?.end;
  return { code, from: osloDate(from), ...(to && /^\d{4}-\d{2}-\d{2}/.test(to) ? { to: osloDate(to) } : {}) };
}

export interface CopayPatientRead {
  patient: CopayPatient;
  /** false when Coverage could not be read: a frikort would then be missed. */
  exemptionsKnown: boolean;
}

export async function loadCopayPatient(client: FhirClient, patientId: string, birthDate: string | undefined, opts: RequestOptions = {}): Promise<CopayPatientRead> {
  const base = birthDate ? { birthDate } : {};
  try {
    const coverages = await client.searchAll('Coverage', { beneficiary: `Patient/${patientId}` }, opts);
    const exemptions = coverages.map((c) => exemptionFromCoverage(c, patientId)).filter((e): e is CopayExemption => e !== undefined);
    return { patient: { ...base, exemptions }, exemptionsKnown: true };
  } catch (error) {
    if (isFhirError(error) && error.kind === 'forbidden') return { patient: base, exemptionsKnown: false };
    throw error;
  }
}

const REFUSED = new Set(['forbidden', 'not-found', 'invalid']);

export async function loadTodaysCharges(
  client: FhirClient,
  query: { patientId: string; day: string; patient: CopayPatient },
  opts: TodaysChargesOptions = {},
): Promise<TodaysCharges> {
  const { patientId, day } = query;
  const catalogues = opts.catalogues ?? defaultCatalogues;
  const request = opts.signal ? { signal: opts.signal } : {};
  // The day's ledger and the patient's charges around the day are independent reads: one round-trip
  // (the patient panel's launch budget). Only when the EPJ refuses the patient-wide charge search do
  // we fall back to the charges on the day's Account (a second, rare round-trip).
  const window = [`ge${shiftDay(day, -1)}`, `le${shiftDay(day, 1)}`];
  const [accounts, patientWide] = await Promise.all([
    client.searchAll('Account', { identifier: `${COPAY_SYSTEMS.copayDay}|${copayDayValue(patientId, day)}` }, request),
    client.searchAll('ChargeItem', { patient: `Patient/${patientId}`, occurrence: window, _count: 200 }, request).then(
      (items) => ({ visible: true as const, items }),
      (error: unknown) => {
        if (!isFhirError(error) || !REFUSED.has(error.kind)) throw error;
        return { visible: false as const, items: undefined };
      },
    ),
  ]);
  const account = accounts[0];
  const visible = patientWide.visible;
  const items = patientWide.items ?? (account?.id ? await client.searchAll('ChargeItem', { account: `Account/${account.id}`, _count: 200 }, request) : []);
  const lookup = tariffEgenandelLookup(catalogues);
  const charges: TeamCharge[] = [];
  const issues: string[] = [];
  for (const item of items) {
    const read = readTeamCharge(item, { tariffEgenandel: lookup });
    issues.push(...read.issues.filter((i) => i.severity === 'error').map((i) => i.message));
    const c = read.charge;
    if (!c || osloDate(c.at) !== day || (c.patientId !== undefined && c.patientId !== patientId)) continue;
    if (!charges.some((o) => o.id === c.id)) charges.push(c);
  }
  const rows = charges.map((c) => rowFromCharge(c, catalogues, opts.copay)).sort(byTime);
  const exemption = patientExemptionOn(query.patient, day, opts.copay);
  const paidElsewhere = account ? paidElsewhereAnswer(account) : undefined;
  return {
    day,
    rows,
    bearerId: rows.find((r) => !r.cancelled && r.charged > 0)?.id,
    ...(paidElsewhere === undefined ? {} : { paidElsewhere }),
    ...(exemption ? { exemption: { code: exemption, label: copayReasonLabel(exemption, opts.copay) } } : {}),
    gpChargesVisible: visible,
    dayCharges: charges.map(toDayCharge),
    issues,
  };
}

/** The patient's own exemption that day (under 16, frikort), for charges loaded before Coverage was known. */
export function withPatientExemption(today: TodaysCharges, patient: CopayPatient, copay?: CopayOptions): TodaysCharges {
  const { exemption: _old, ...rest } = today;
  const code = patientExemptionOn(patient, today.day, copay);
  return code ? { ...rest, exemption: { code, label: copayReasonLabel(code, copay) } } : rest;
}

export type CopayPreview =
  | { kind: 'unknown' }
  | { kind: 'charged'; amount: number }
  | { kind: 'none' }
  | { kind: 'waived'; amount: number; reasonLabel: string };

/**
 * What the patient would pay for a new contact at `at` with these lines' egenandeler, given today's
 * charges (SPEC §6). `unknown` when the EPJ hides GP charges and nobody has answered the question yet.
 */
type PreviewDay = Pick<TodaysCharges, 'dayCharges' | 'paidElsewhere' | 'gpChargesVisible' | 'day'>;

function newLineDecisions(today: PreviewDay, lines: readonly { code: string; egenandel: number }[], at: string, patient: CopayPatient, copay?: CopayOptions) {
  const added: DayCharge[] = lines.filter((l) => l.egenandel > 0).map((l) => ({ id: `~new:${l.code}`, at, egenandel: l.egenandel }));
  const extra: DayCharge[] = today.paidElsewhere ? [{ id: '~paid', at: `${today.day}T00:00:00`, egenandel: 1, settled: true }] : [];
  return allocateCopayments([...today.dayCharges, ...extra, ...added], patient, copay).filter((d) => d.id.startsWith('~new:'));
}

/**
 * The egenandel each new line will be charged (the decision that will be saved, issue 17 item 3), by
 * code; undefined while it cannot be known (GP charges hidden and the question not answered).
 */
export function decidedEgenandel(
  today: PreviewDay,
  lines: readonly { code: string; egenandel: number }[],
  at: string,
  patient: CopayPatient,
  copay?: CopayOptions,
): Map<string, number> | undefined {
  if (lines.every((l) => l.egenandel === 0)) return new Map(lines.map((l) => [l.code, 0]));
  if (!today.gpChargesVisible && today.paidElsewhere === undefined) return undefined;
  const charged = new Map(newLineDecisions(today, lines, at, patient, copay).map((d) => [d.id.slice('~new:'.length), d.charged]));
  return new Map(lines.map((l) => [l.code, charged.get(l.code) ?? 0]));
}

export function previewCopay(
  today: PreviewDay,
  lines: readonly { code: string; egenandel: number }[],
  at: string,
  patient: CopayPatient,
  copay?: CopayOptions,
): CopayPreview {
  const total = lines.reduce((s, l) => s + l.egenandel, 0);
  if (total === 0) return { kind: 'none' };
  if (!today.gpChargesVisible && today.paidElsewhere === undefined) return { kind: 'unknown' };
  const mine = newLineDecisions(today, lines, at, patient, copay);
  const charged = mine.reduce((s, d) => s + d.charged, 0);
  const reason = mine.find((d) => d.reason)?.reason;
  if (charged > 0) return { kind: 'charged', amount: charged };
  return { kind: 'waived', amount: total, reasonLabel: reason ? copayReasonLabel(reason, copay) : '' };
}

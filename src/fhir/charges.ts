// ChargeItem -> team charge -> DayCharge (SPEC §6), tolerant: a malformed charge gives an issue and is
// left out or read as well as it can be, never a throw (STYLE habit 2: FHIR is mapped at the edge).
//
// Read rules:
// - ours = carries SYSTEMS.chargeId; its id is that value. Others (the EPJ's own GP charges) get
//   `ChargeItem/<id>` and are never rewritten by the app.
// - egenandel: the complex extension (`charged`, `tariff`), or a plain valueMoney (the EPJ seed's shape,
//   read as what was charged); the tariff egenandel falls back to charged, then to the catalogue.
// - cancelled: status aborted or entered-in-error. settled: status billed; a foreign charge that charged
//   an egenandel is settled too: the EPJ took that payment and the app cannot undo it, so it stays the
//   bearer (SPEC §6 "if one has already been settled ... it stays the bearer").
import type { ChargeItem, Extension } from '@medplum/fhirtypes';
import {
  copayReasonLabel,
  REASON_CANCELLED,
  REASON_FRIKORT,
  REASON_SAME_DAY,
  REASON_UNDER_AGE,
  refusjonAfterCopay,
  type CopayDecision,
  type CopayOptions,
  type DayCharge,
} from '../domain/copay';
import { referencedId } from './builders/common';
import { EXTENSIONS, SYSTEMS } from './systems';

export interface TeamCharge {
  /** Our chargeId (`<contactId>:<code>`) or `ChargeItem/<id>` for a charge the app did not write. */
  id: string;
  ours: boolean;
  resourceId?: string;
  versionId?: string;
  contactId?: string;
  code?: string;
  /** Volven 9060 category of the first performer (SP, LE, ...). */
  performerCategory?: string;
  performerId?: string;
  /** Practitioner who registered the charge (enterer; failing that, the performer). */
  registeredBy?: string;
  patientId?: string;
  /** Service time. */
  at: string;
  status: ChargeItem['status'];
  cancelled: boolean;
  settled: boolean;
  /** The tariff's egenandel for this charge, kr. */
  tariffEgenandel: number;
  /** What the patient is charged now, kr. */
  charged: number;
  waiverReason?: string;
  honorar?: number;
}

export interface ChargeIssue {
  resourceId?: string;
  chargeId?: string;
  severity: 'error' | 'warning';
  /** Norwegian, for the practice manager / developer. */
  message: string;
}

export interface ReadChargeOptions {
  /** The catalogue's egenandel for a code on a date, when the charge does not say. */
  tariffEgenandel?: (code: string, serviceDate: string) => number | undefined;
}

/** Untrusted EPJ data: a repeating element that is not a list reads as empty (never a crash). */
function many<T>(value: readonly T[] | undefined): readonly T[] {
  return Array.isArray(value) ? value : [];
}

function money(ext: Extension | undefined): number | undefined {
  const value = ext?.valueMoney?.value;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function egenandelParts(item: ChargeItem): { charged?: number; tariff?: number; present: boolean } {
  const ext = many(item.extension).find((e) => e?.url === EXTENSIONS.egenandel);
  if (!ext) return { present: false };
  if (ext.valueMoney) return { charged: money(ext), present: true };
  const part = (name: string) => money(many(ext.extension).find((e) => e?.url === name));
  return { charged: part('charged'), tariff: part('tariff'), present: true };
}

function waiverReasonOf(item: ChargeItem): string | undefined {
  const ext = many(item.extension).find((e) => e?.url === EXTENSIONS.egenandelWaiverReason);
  // valueCodeableConcept per the profile; valueCoding/valueCode as some writers (the EPJ seed) use.
  const coding = many(ext?.valueCodeableConcept?.coding)[0] ?? ext?.valueCoding;
  return coding?.code ?? ext?.valueCode;
}

/** One ChargeItem as a team charge, or undefined (with an error issue) when it cannot be placed on a day. */
export function readTeamCharge(item: ChargeItem, opts: ReadChargeOptions = {}): { charge?: TeamCharge; issues: ChargeIssue[] } {
  try {
    return readTeamChargeUnsafe(item, opts);
  } catch (error) {
    // Data from the EPJ is untrusted: a field of the wrong type becomes an issue on this charge, never
    // an exception that stops the day's list or the manager's figures.
    const text = error instanceof Error ? error.message : String(error);
    const resourceId = typeof item.id === 'string' ? item.id : undefined;
    return {
      issues: [{ resourceId, chargeId: resourceId ? `ChargeItem/${resourceId}` : undefined, severity: 'error', message: `Gebyret har felt med feil type og kan ikke leses (${text.slice(0, 120)}).` }],
    };
  }
}

function readTeamChargeUnsafe(item: ChargeItem, opts: ReadChargeOptions): { charge?: TeamCharge; issues: ChargeIssue[] } {
  const issues: ChargeIssue[] = [];
  const chargeId = many(item.identifier).find((i) => i?.system === SYSTEMS.chargeId)?.value;
  const id = chargeId ?? (item.id ? `ChargeItem/${item.id}` : undefined);
  const at = item.occurrenceDateTime ?? item.occurrencePeriod?.start;
  const where = { resourceId: item.id, chargeId: id };
  if (!id) return { issues: [{ ...where, severity: 'error', message: 'Gebyret mangler både id og gebyr-id.' }] };
  if (!at || !/^\d{4}-\d{2}-\d{2}T/.test(at)) {
    return { issues: [{ ...where, severity: 'error', message: 'Gebyret mangler tidspunkt for tjenesten og kan ikke plasseres på en dag.' }] };
  }
  const codings = many(item.code?.coding);
  const code = codings.find((c) => c?.system === SYSTEMS.tariff)?.code ?? codings[0]?.code;
  const parts = egenandelParts(item);
  let tariff = parts.tariff ?? parts.charged;
  if (tariff === undefined && code) tariff = opts.tariffEgenandel?.(code, at);
  if (tariff === undefined) {
    issues.push({ ...where, severity: 'warning', message: 'Egenandel mangler på gebyret; regnet som 0.' });
    tariff = 0;
  }
  if (tariff < 0) {
    issues.push({ ...where, severity: 'error', message: `Negativ egenandel (${tariff}) på gebyret; regnet som 0.` });
    tariff = 0;
  }
  const charged = Math.max(0, parts.charged ?? 0);
  const cancelled = item.status === 'aborted' || item.status === 'entered-in-error';
  const ours = chargeId !== undefined;
  const performer = many(item.performer)[0];
  const category = many(performer?.function?.coding).find((c) => c?.system === SYSTEMS.healthPersonnelCategory)?.code;
  const honorar = item.priceOverride?.value;
  return {
    charge: {
      id,
      ours,
      resourceId: item.id,
      versionId: item.meta?.versionId,
      contactId: chargeId?.slice(0, chargeId.lastIndexOf(':')) || undefined,
      code,
      performerCategory: category,
      performerId: referencedId(performer?.actor, 'Practitioner'),
      registeredBy: referencedId(item.enterer, 'Practitioner') ?? referencedId(performer?.actor, 'Practitioner'),
      patientId: referencedId(item.subject, 'Patient'),
      at,
      status: item.status,
      cancelled,
      settled: !cancelled && (item.status === 'billed' || (!ours && charged > 0)),
      tariffEgenandel: tariff,
      charged,
      waiverReason: waiverReasonOf(item),
      honorar: typeof honorar === 'number' ? honorar : undefined,
    },
    issues,
  };
}

/** Waiver reasons that come from the patient (recomputed every time) or from the day's rule. */
const DERIVED_REASONS = new Set([REASON_SAME_DAY, REASON_CANCELLED, REASON_UNDER_AGE, REASON_FRIKORT]);

export function toDayCharge(charge: TeamCharge): DayCharge {
  // A stored charge-level exemption (e.g. A) is a fact of the service; B/F/SAME_DAY are decided anew.
  const exemptReason = charge.waiverReason && !DERIVED_REASONS.has(charge.waiverReason) ? charge.waiverReason : undefined;
  return {
    id: charge.id,
    at: charge.at,
    egenandel: charge.tariffEgenandel,
    ...(charge.cancelled ? { cancelled: true } : {}),
    ...(charge.settled ? { settled: true } : {}),
    ...(exemptReason ? { exemptReason } : {}),
  };
}

/** The decision a charge carries as stored. */
export function storedDecision(charge: TeamCharge): CopayDecision {
  if (charge.cancelled) return { id: charge.id, charged: 0, waived: 0, reason: REASON_CANCELLED };
  const waived = charge.waiverReason ? Math.max(0, charge.tariffEgenandel - charge.charged) : 0;
  return { id: charge.id, charged: charge.charged, waived, ...(charge.waiverReason ? { reason: charge.waiverReason } : {}) };
}

/** Whether writing `next` would change what the charge says (amount charged or reason). */
export function decisionDiffers(stored: CopayDecision, next: CopayDecision): boolean {
  return stored.charged !== next.charged || (stored.reason ?? '') !== (next.reason ?? '');
}

export interface DecisionChange {
  charge: TeamCharge;
  before: CopayDecision;
  after: CopayDecision;
}

/** The charges whose stored decision differs from the new one (matched by id). */
export function changedDecisions(charges: readonly TeamCharge[], decisions: readonly CopayDecision[]): DecisionChange[] {
  const byId = new Map(decisions.map((d) => [d.id, d]));
  const changes: DecisionChange[] = [];
  for (const charge of charges) {
    const after = byId.get(charge.id);
    if (!after) continue;
    const before = storedDecision(charge);
    if (decisionDiffers(before, after)) changes.push({ charge, before, after });
  }
  return changes;
}

/** A decision for the UI: amounts, the reason and its Norwegian label, and refusjon when honorar is known. */
export interface ChargeDecisionView extends CopayDecision {
  code?: string;
  at?: string;
  ours: boolean;
  settled: boolean;
  registeredBy?: string;
  reasonLabel?: string;
  refusjon?: number;
}

export function decisionView(decision: CopayDecision, charge: TeamCharge | undefined, opts?: CopayOptions): ChargeDecisionView {
  const reasonLabel = decision.reason ? copayReasonLabel(decision.reason, opts) : undefined;
  const honorar = charge?.honorar;
  return {
    ...decision,
    code: charge?.code,
    at: charge?.at,
    ours: charge?.ours ?? true,
    settled: charge?.settled ?? false,
    ...(charge?.registeredBy ? { registeredBy: charge.registeredBy } : {}),
    ...(reasonLabel ? { reasonLabel } : {}),
    ...(honorar === undefined || !charge ? {} : { refusjon: refusjonAfterCopay({ honorar, egenandel: charge.tariffEgenandel }, decision) }),
  };
}

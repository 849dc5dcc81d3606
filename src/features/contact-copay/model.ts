// The day's charges as the contact form and today's-charges panel show them (SPEC §6), from the server's
// DayView; and the preview of what a new contact will cost, with the same pure rule the server decides
// with (allocateCopayments), so the form shows the amount that will be saved.
import { allocateCopayments, copayReasonLabel, patientExemptionOn, type CopayPatient, type DayCharge } from '../../domain/copay';
import type { ChargeView, CopayFacts, DayView, JournalState } from './api';

export interface ChargeRow {
  id: string;
  contactId: string;
  code: string;
  text: string;
  /** Who gave the service, in words (Fastlege, Sykepleier). */
  performer: string;
  at: string;
  /** Registered through the app (every row here is; kept for the cancel rule). */
  ours: boolean;
  /** Practitioner id (without `Practitioner/`) of the one who registered it. */
  registeredBy: string;
  cancelled: boolean;
  settled: boolean;
  charged: number;
  waived: number;
  reason?: string;
  reasonLabel?: string;
  refundOwed?: number;
  journal?: JournalState;
}

export interface TodaysCharges {
  day: string;
  rows: ChargeRow[];
  bearerId?: string;
  paidElsewhere?: boolean;
  /** The patient's own exemption that day (under 16, frikort). */
  exemption?: { code: string; label: string };
  /** The app sees the GP charges registered in it, never those the EPJ keeps alone (SPEC §6). */
  gpChargesVisible: boolean;
  /** The day as the co-payment rule sees it, for previews. */
  dayCharges: DayCharge[];
}

const PERFORMER = { gp: 'Fastlege', nurse: 'Sykepleier' } as const;

export function chargeRow(v: ChargeView, journal?: JournalState): ChargeRow {
  return {
    id: v.id,
    contactId: v.contactId,
    code: v.code,
    text: v.text,
    performer: PERFORMER[v.profession],
    at: v.at,
    ours: true,
    registeredBy: v.registeredBy.replace(/^Practitioner\//, ''),
    cancelled: v.cancelled,
    settled: v.settled,
    charged: v.charged,
    waived: v.waived,
    ...(v.reason ? { reason: v.reason, reasonLabel: copayReasonLabel(v.reason) } : {}),
    ...(v.refundOwed ? { refundOwed: v.refundOwed } : {}),
    ...(journal ? { journal } : {}),
  };
}

export function todaysCharges(day: DayView, patient: CopayPatient): TodaysCharges {
  const exemption = patientExemptionOn(patient, day.day);
  return {
    day: day.day,
    rows: day.rows.map((r) => chargeRow(r, day.journal[r.contactId])),
    ...(day.bearerId ? { bearerId: day.bearerId } : {}),
    ...(day.paidElsewhere === undefined ? {} : { paidElsewhere: day.paidElsewhere }),
    ...(exemption ? { exemption: { code: exemption, label: copayReasonLabel(exemption) } } : {}),
    gpChargesVisible: false,
    dayCharges: day.rows.map((r) => ({
      id: r.id,
      at: r.at,
      egenandel: r.tariffEgenandel,
      ...(r.cancelled ? { cancelled: true } : {}),
      ...(r.settled && r.charged > 0 ? { settled: true } : {}),
      ...(r.reason && !['SAME_DAY', 'CANCELLED', 'B', 'F'].includes(r.reason) ? { exemptReason: r.reason } : {}),
    })),
  };
}

export type CopayPreview =
  | { kind: 'unknown' }
  | { kind: 'charged'; amount: number }
  | { kind: 'none' }
  | { kind: 'waived'; amount: number; reasonLabel: string };

type PreviewDay = Pick<TodaysCharges, 'dayCharges' | 'paidElsewhere' | 'gpChargesVisible' | 'day'>;

function newLineDecisions(today: PreviewDay, lines: readonly { code: string; egenandel: number }[], at: string, patient: CopayPatient) {
  const added: DayCharge[] = lines.filter((l) => l.egenandel > 0).map((l) => ({ id: `~new:${l.code}`, at, egenandel: l.egenandel }));
  const extra: DayCharge[] = today.paidElsewhere ? [{ id: '~paid', at: `${today.day}T00:00:00`, egenandel: 1, settled: true }] : [];
  return allocateCopayments([...today.dayCharges, ...extra, ...added], patient).filter((d) => d.id.startsWith('~new:'));
}

/** Whether the day needs the answer to «Er pasienten allerede belastet egenandel i dag?» first. */
function unknown(today: PreviewDay): boolean {
  return !today.gpChargesVisible && today.paidElsewhere === undefined;
}

/** The egenandel each new line will be charged, by code; undefined while it cannot be known. */
export function decidedEgenandel(today: PreviewDay, lines: readonly { code: string; egenandel: number }[], at: string, patient: CopayPatient): Map<string, number> | undefined {
  if (lines.every((l) => l.egenandel === 0)) return new Map(lines.map((l) => [l.code, 0]));
  if (unknown(today)) return undefined;
  const charged = new Map(newLineDecisions(today, lines, at, patient).map((d) => [d.id.slice('~new:'.length), d.charged]));
  return new Map(lines.map((l) => [l.code, charged.get(l.code) ?? 0]));
}

/** What the patient will pay for a new contact at `at` (SPEC §6). */
export function previewCopay(today: PreviewDay, lines: readonly { code: string; egenandel: number }[], at: string, patient: CopayPatient): CopayPreview {
  const total = lines.reduce((s, l) => s + l.egenandel, 0);
  if (total === 0) return { kind: 'none' };
  if (unknown(today)) return { kind: 'unknown' };
  const mine = newLineDecisions(today, lines, at, patient);
  const charged = mine.reduce((s, d) => s + d.charged, 0);
  const reason = mine.find((d) => d.reason)?.reason;
  if (charged > 0) return { kind: 'charged', amount: charged };
  return { kind: 'waived', amount: total, reasonLabel: reason ? copayReasonLabel(reason) : '' };
}

/** The co-payment facts as the rules take them. */
export interface CopayPatientRead {
  patient: CopayPatient;
  /** false when the EPJ does not give the exemptions: a frikort would then be missed, so the user decides. */
  exemptionsKnown: boolean;
  unknownReason?: CopayFacts['unknownReason'];
}

/** The facts as the co-payment rules take them; `manualFrikort` = the user says the patient has frikort on `day`. */
export function copayPatientOf(facts: CopayFacts, day: string, manualFrikort: boolean): CopayPatientRead {
  const manual = !facts.exemptionsKnown && manualFrikort && /^\d{4}-\d{2}-\d{2}$/.test(day) ? [{ code: 'F', from: day, to: day }] : [];
  return {
    patient: { ...(facts.birthDate ? { birthDate: facts.birthDate } : {}), exemptions: [...facts.exemptions, ...manual] },
    exemptionsKnown: facts.exemptionsKnown,
    ...(facts.unknownReason ? { unknownReason: facts.unknownReason } : {}),
  };
}


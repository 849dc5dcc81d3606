// Claims control for financing model A (SPEC §7; seed ch. 5.1, 6.1.4). The EPJ sends the claim
// (behandlerkravmelding) to Helfo; the app only shows what is unclaimed and records what was marked.
import { inPeriod, serviceDay } from './period';
import type { ChargeRecord, Period } from './types';

/** Helfo's rule: co-payments must be reported within 14 days (SPEC §6). */
export const CLAIM_DEADLINE_DAYS = 14;

export interface ClaimsOverview {
  period: Period;
  unclaimed: ChargeRecord[];
  totals: { honorar: number; egenandel: number; refusjon: number; count: number };
  exemptionsByReason: { reason: string; count: number; refusjon: number }[];
  /** Unclaimed charges with an egenandel whose service day is more than 14 days before today. */
  overdueEgenandel: ChargeRecord[];
  /** Charges cancelled after they were claimed: the claim must be corrected (or refunded). */
  cancelledAfterClaim: ChargeRecord[];
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Nurse charges only: GP charges are claimed by the GP's own settlement. */
export function claimsOverview(charges: readonly ChargeRecord[], period: Period, today: string): ClaimsOverview {
  const nurse = charges.filter((c) => c.performerRole === 'nurse' && inPeriod(serviceDay(c.at), period));
  const unclaimed = nurse.filter((c) => !c.cancelled && !c.claimedAt);
  const totals = { honorar: 0, egenandel: 0, refusjon: 0, count: unclaimed.length };
  const byReason = new Map<string, { reason: string; count: number; refusjon: number }>();
  for (const c of unclaimed) {
    totals.honorar += c.honorar;
    totals.egenandel += c.egenandelCharged;
    totals.refusjon += c.refusjon;
    if (c.waiverReason) {
      const r = byReason.get(c.waiverReason) ?? { reason: c.waiverReason, count: 0, refusjon: 0 };
      r.count += 1;
      r.refusjon += c.refusjon;
      byReason.set(c.waiverReason, r);
    }
  }
  return {
    period,
    unclaimed,
    totals,
    exemptionsByReason: [...byReason.values()].sort((a, b) => a.reason.localeCompare(b.reason)),
    overdueEgenandel: unclaimed.filter((c) => c.egenandelCharged > 0 && daysBetween(serviceDay(c.at), today) > CLAIM_DEADLINE_DAYS),
    cancelledAfterClaim: nurse.filter((c) => c.cancelled && !!c.claimedAt),
  };
}

/**
 * Which charges "mark as claimed" must write: the unclaimed, uncancelled nurse charges of the period.
 * Marking again finds none, so nothing is ever claimed twice.
 */
export function chargesToMarkClaimed(charges: readonly ChargeRecord[], period: Period): string[] {
  return claimsOverview(charges, period, period.to).unclaimed.map((c) => c.id);
}

/** Reconciliation export for Helfo's settlement: one row per charge line, amounts in kr as numbers. */
export const CLAIMS_EXPORT_HEADER = ['id', 'dato', 'takst', 'antall', 'honorar', 'egenandel', 'refusjon', 'fritak', 'utfort_av', 'kravmarkert'] as const;

/** The rows of the reconciliation export; src/platform/csv.ts writes them (formula-safe). */
export function claimsExportRows(rows: readonly ChargeRecord[]): (string | number)[][] {
  return rows.map((c) => [c.id, serviceDay(c.at), c.code, c.quantity, c.honorar, c.egenandelCharged, c.refusjon, c.waiverReason ?? '', c.performerId, c.claimedAt ?? '']);
}

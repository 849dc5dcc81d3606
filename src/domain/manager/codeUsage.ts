// Code usage per tariff code and nurse against Table 1's expected frequency (SPEC §5, §7; seed ch. 6.1.4).
import type { CalendarOptions } from '../calendar';
import { elapsedPart, inPeriod, serviceDayMemo, WORKING_DAYS_PER_NURSE_YEAR, workingDaysInPeriod } from './period';
import type { ChargeRecord, Period, StaffMember, TariffNorm } from './types';

export interface CodeUsageRow {
  code: string;
  text: string;
  performerId: string;
  count: number;
  honorar: number;
  egenandel: number;
  refusjon: number;
  /** Expected count for this nurse in the period, pro-rated by position and working days; undefined without a norm. */
  expected?: number;
  chargeIds: string[];
}

export interface CodeUsage {
  period: Period;
  /** Working days the expected counts are pro-rated to: those elapsed by `asOf` when it falls in the period. */
  workingDays: number;
  /** The whole period's working days. */
  periodWorkingDays: number;
  rows: CodeUsageRow[];
  /** Per code, all nurses together. */
  totals: CodeUsageRow[];
}

/**
 * Expected count of a code for one nurse in a period: expected per full-time year x position share x
 * the period's working days / 230 (SPEC §5: "pro-rated by position size and the period's working days / 230").
 */
export function expectedCount(expectedPerYear: number, positionPercent: number, workingDays: number): number {
  return (expectedPerYear * (positionPercent / 100) * workingDays) / WORKING_DAYS_PER_NURSE_YEAR;
}

export function codeUsage(
  charges: readonly ChargeRecord[],
  staff: readonly StaffMember[],
  norms: readonly TariffNorm[],
  period: Period,
  opts: { asOf?: string; cal?: CalendarOptions } = {},
): CodeUsage {
  const { cal } = opts;
  const periodWorkingDays = workingDaysInPeriod(period, cal);
  // Pro-rated to the working days elapsed (issue 17 item 8): on 2 December, one charge is not "1 of 88".
  const elapsed = opts.asOf === undefined ? period : elapsedPart(period, opts.asOf);
  const workingDays = elapsed ? workingDaysInPeriod(elapsed, cal) : 0;
  const serviceDay = serviceDayMemo();
  const normByCode = new Map(norms.map((n) => [n.code, n]));
  const nurses = staff.filter((s) => s.role === 'nurse');
  const rows = new Map<string, CodeUsageRow>();
  const rowFor = (code: string, performerId: string): CodeUsageRow => {
    const key = `${code}\u0000${performerId}`;
    let row = rows.get(key);
    if (!row) {
      const norm = normByCode.get(code);
      const member = staff.find((s) => s.id === performerId);
      row = {
        code,
        text: norm?.text ?? code,
        performerId,
        count: 0,
        honorar: 0,
        egenandel: 0,
        refusjon: 0,
        expected:
          norm?.expectedPerYear !== undefined && member?.role === 'nurse' ? expectedCount(norm.expectedPerYear, member.positionPercent, workingDays) : undefined,
        chargeIds: [],
      };
      rows.set(key, row);
    }
    return row;
  };
  // Every nurse gets a row for every code with a norm, so "used 0 times of 12 expected" is visible.
  for (const nurse of nurses) for (const norm of norms) if (norm.profession === 'nurse' && norm.expectedPerYear !== undefined) rowFor(norm.code, nurse.id);

  for (const c of charges) {
    if (c.cancelled || !inPeriod(serviceDay(c), period)) continue;
    const row = rowFor(c.code, c.performerId);
    row.count += c.quantity;
    row.honorar += c.honorar;
    row.egenandel += c.egenandelCharged;
    row.refusjon += c.refusjon;
    row.chargeIds.push(c.id);
  }

  const sorted = [...rows.values()].sort((a, b) => a.code.localeCompare(b.code) || a.performerId.localeCompare(b.performerId));
  const totals = new Map<string, CodeUsageRow>();
  for (const r of sorted) {
    const t = totals.get(r.code) ?? { ...r, performerId: '*', count: 0, honorar: 0, egenandel: 0, refusjon: 0, expected: undefined, chargeIds: [] };
    t.count += r.count;
    t.honorar += r.honorar;
    t.egenandel += r.egenandel;
    t.refusjon += r.refusjon;
    if (r.expected !== undefined) t.expected = (t.expected ?? 0) + r.expected;
    t.chargeIds.push(...r.chargeIds);
    totals.set(r.code, t);
  }
  return { period, workingDays, periodWorkingDays, rows: sorted, totals: [...totals.values()] };
}

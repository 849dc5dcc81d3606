// The 14-day claims warning (issue 15 item 4; SPEC §6 "reported to Helfo within 14 days", §7 claims control,
// model A): each working morning, per practice, the unclaimed nurse charges with an egenandel whose service day
// is more than 14 days back (src/domain/manager/claims.ts, the same rule as the manager view) raise a warning
// the daglig leder sees (GET /api/jobs/status); none left closes it. Model B practices get no claims warning.
// The charges come from the contact-copay slice's store, passed in as `charges` (slices and the platform do
// not import each other's stores; server/jobs/index.ts wires it).
import type { Kysely } from 'kysely';
import { CLAIM_DEADLINE_DAYS, claimsOverview } from '../../src/domain/manager/claims';
import { serviceDay } from '../../src/domain/manager/period';
import type { ChargeRecord, Period } from '../../src/domain/manager/types';
import type { Database } from '../db/schema';
import { getSettings } from '../features/settings/store';
import { osloDay } from './schedule';
import type { JobContext, JobDefinition } from './types';
import { closeWarning, raiseWarning } from './warnings';

export const CLAIMS_WARNING_JOB = 'claims.deadline-warning';
export const CLAIMS_OVERDUE = 'claims-overdue';
/** How far back unclaimed charges are looked for. */
const LOOKBACK_DAYS = 400;

/** The practice's charges (nurse and GP; claimsOverview picks) with service day in the period. */
export type ChargeSource = (db: Kysely<Database>, practiceId: string, period: Period) => Promise<ChargeRecord[]>;

const minusDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

export async function checkClaimsDeadline(ctx: JobContext, charges: ChargeSource): Promise<{ overdue: number }> {
  if (!ctx.practice) throw new Error(`${CLAIMS_WARNING_JOB} kjører per praksis`);
  const { practiceId } = ctx.practice;
  const at = new Date(ctx.now());
  const today = osloDay(at);
  const { settings } = await getSettings(ctx.db, practiceId);
  if (settings.financingModel !== 'A') {
    await closeWarning(ctx.db, practiceId, CLAIMS_OVERDUE, at);
    return { overdue: 0 };
  }
  const period = { from: minusDays(today, LOOKBACK_DAYS), to: today };
  const overview = claimsOverview(await charges(ctx.db, practiceId, period), period, today);
  const overdue = overview.overdueEgenandel;
  if (overdue.length === 0) {
    await closeWarning(ctx.db, practiceId, CLAIMS_OVERDUE, at);
    return { overdue: 0 };
  }
  const oldest = overdue.map((c) => serviceDay(c.at)).sort()[0] ?? '';
  const egenandel = overdue.reduce((sum, c) => sum + c.egenandelCharged, 0);
  const n = overdue.length;
  await raiseWarning(ctx.db, {
    practiceId,
    kind: CLAIMS_OVERDUE,
    message: `${n} ${n === 1 ? 'egenandel' : 'egenandeler'} er eldre enn ${CLAIM_DEADLINE_DAYS} dager og ikke markert som krevd. Send kravet til Helfo og marker dem i kravkontrollen.`,
    details: { count: n, egenandel, oldestServiceDay: oldest, chargeIds: overdue.map((c) => c.id).slice(0, 100) },
    at,
  });
  return { overdue: n };
}

export function claimsWarningJob(charges: ChargeSource): JobDefinition {
  return {
    name: CLAIMS_WARNING_JOB,
    perPractice: true,
    schedule: { dailyAt: '06:30', workingDaysOnly: true },
    async run(ctx) {
      await checkClaimsDeadline(ctx, charges);
    },
  };
}

// The journal write-back job 'epj.write-back' (issue 15 item 3): sends the due rows of the write_back queue
// (server/epj/writeBack.ts) to the EPJ with the server's own Backend Services token. Nothing is lost: a row is
// claimed under a short lease (a worker that dies leaves it to be retried), a failure is retried with
// exponential back-off and after WRITE_BACK_MAX_ATTEMPTS becomes 'failed' (still shown, can be retried).
// Nothing is written twice: before creating, the EPJ is searched by the resource's identifier (a write whose
// answer was lost is found there), and the create is conditional (If-None-Exist) where the EPJ's
// CapabilityStatement says it supports that, so two workers at once still make one resource.
import type { Bundle, CapabilityStatement, Resource } from '@medplum/fhirtypes';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, WriteBackTable } from '../db/schema';
import { WRITE_BACK_CHANNEL } from '../epj/writeBack';
import type { EpjEntry } from '../smart/registry';
import type { JobContext, JobDefinition } from './types';

export const WRITE_BACK_JOB = 'epj.write-back';
export { WRITE_BACK_CHANNEL };
/** Attempts before a row is 'failed': with the back-off below, about two hours of trying. */
export const WRITE_BACK_MAX_ATTEMPTS = 8;
/** How long a claimed row is held by its worker before another may try it. */
export const WRITE_BACK_LEASE_MS = 2 * 60_000;
const BATCH = 20;

/** After attempt n failed: 1, 2, 4, ... minutes, at most an hour. */
export const writeBackDelayMs = (attempts: number) => Math.min(60 * 60_000, 60_000 * 2 ** Math.max(0, attempts - 1));

export interface WriteBackSummary {
  written: number;
  retrying: number;
  failed: number;
}

class EpjRefused extends Error {}

interface TypeSupport {
  create: boolean;
  conditionalCreate: boolean;
  /** search-type: the EPJ lets the app look the identifier up (the narrow profile creates DocumentReference but does not expose it). */
  search: boolean;
}

async function capabilities(ctx: JobContext, epj: EpjEntry): Promise<Map<string, TypeSupport> | undefined> {
  const res = await ctx.backend.get(epj, new URL(`${epj.iss}/metadata`));
  if (!res.ok) return undefined;
  const cs = (await res.json()) as CapabilityStatement;
  const out = new Map<string, TypeSupport>();
  for (const rest of cs.rest ?? []) {
    if (rest.mode && rest.mode !== 'server') continue;
    for (const r of rest.resource ?? []) {
      if (!r.type) continue;
      const codes = new Set((r.interaction ?? []).map((i) => i.code));
      out.set(r.type, { create: codes.has('create'), conditionalCreate: r.conditionalCreate === true, search: codes.has('search-type') });
    }
  }
  return out;
}

function locationId(res: Response, type: string): string | undefined {
  const location = res.headers.get('location') ?? res.headers.get('content-location') ?? '';
  return new RegExp(`${type}/([^/]+)`).exec(location)?.[1];
}

async function responseText(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const outcome = JSON.parse(text) as { issue?: { diagnostics?: string; details?: { text?: string } }[] };
    const said = outcome.issue?.map((i) => i.diagnostics ?? i.details?.text).filter(Boolean).join('; ');
    if (said) return said.slice(0, 300);
  } catch {
    // not JSON
  }
  return text.slice(0, 300);
}

/** Writes one resource to the EPJ idempotently; returns the EPJ's id of it. */
async function writeOne(ctx: JobContext, epj: EpjEntry, row: Selectable<WriteBackTable>, support: TypeSupport | undefined): Promise<string> {
  const type = row.resource_type;
  const identifier = row.key;
  // An EPJ that takes the type but does not let the app search it (the narrow profile's DocumentReference)
  // gets the create alone: the note is written, but a create whose answer was lost may be written again.
  if (support?.search !== false) {
    const search = new URL(`${epj.iss}/${type}`);
    search.searchParams.set('identifier', identifier);
    const found = await ctx.backend.get(epj, search);
    if (!found.ok) throw new EpjRefused(`søk etter ${type} svarte ${found.status}: ${await responseText(found)}`);
    const bundle = (await found.json()) as Bundle;
    const existing = (bundle.entry ?? []).map((e) => e.resource).find((r): r is Resource => r?.resourceType === type);
    if (existing?.id) return existing.id;
  }
  const created = await ctx.backend.post(epj, new URL(`${epj.iss}/${type}`), row.resource, support?.conditionalCreate ? { 'if-none-exist': `identifier=${encodeURIComponent(identifier)}` } : {});
  if (!created.ok) throw new EpjRefused(`${type} ble avvist (${created.status}): ${await responseText(created)}`);
  const body = (await created.json().catch(() => undefined)) as Resource | undefined;
  const id = body?.id ?? locationId(created, type);
  if (!id) throw new EpjRefused(`${type} ble lagret, men journalsystemet oppga ingen id`);
  return id;
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * One pass for the practice at its EPJ: claims up to BATCH due rows and writes them. Callable directly
 * (tests, a rescue script); the job runs passes until nothing is due.
 */
export async function sendWriteBacks(ctx: JobContext): Promise<WriteBackSummary & { claimed: number }> {
  if (!ctx.practice) throw new Error(`${WRITE_BACK_JOB} kjører per praksis`);
  const { practiceId, epj } = ctx.practice;
  const db = ctx.db;
  const at = new Date(ctx.now());
  const claimed = await sql<Selectable<WriteBackTable>>`
    update write_back set attempts = attempts + 1, next_attempt_at = ${new Date(at.getTime() + WRITE_BACK_LEASE_MS)}
    where (practice_id, key) in (
      select practice_id, key from write_back
      where practice_id = ${practiceId} and iss = ${epj.iss} and state = 'pending' and next_attempt_at <= ${at}
      order by next_attempt_at, created_at
      limit ${BATCH}
      for update skip locked)
    returning *`.execute(db);
  const summary = { written: 0, retrying: 0, failed: 0, claimed: claimed.rows.length };
  if (claimed.rows.length === 0) return summary;
  let support: Map<string, TypeSupport> | undefined;
  let supportError: string | undefined;
  try {
    support = await capabilities(ctx, epj);
  } catch (error) {
    supportError = describe(error);
  }
  for (const row of claimed.rows) {
    const done = new Date(ctx.now());
    const typeSupport = support?.get(row.resource_type);
    try {
      if (supportError) throw new Error(`journalsystemet svarer ikke: ${supportError}`);
      if (support && !typeSupport?.create) {
        if (row.resource_type === 'DocumentReference') throw new EpjRefused('journalsystemet tar ikke imot journalnotater (DocumentReference)');
        // Flags and ChargeItems go only where the EPJ accepts them (issue 15 item 3): nothing to write here.
        await db
          .updateTable('write_back')
          .set({ state: 'written', written_at: done, last_error: `Ikke sendt: journalsystemet tar ikke imot ${row.resource_type}` })
          .where('practice_id', '=', row.practice_id)
          .where('key', '=', row.key)
          .execute();
        summary.written++;
        continue;
      }
      const id = await writeOne(ctx, epj, row, typeSupport);
      await db
        .updateTable('write_back')
        .set({ state: 'written', written_at: done, epj_id: id, last_error: null })
        .where('practice_id', '=', row.practice_id)
        .where('key', '=', row.key)
        .execute();
      summary.written++;
    } catch (error) {
      const message = describe(error);
      const givingUp = row.attempts >= WRITE_BACK_MAX_ATTEMPTS;
      await db
        .updateTable('write_back')
        .set({ state: givingUp ? 'failed' : 'pending', last_error: message, next_attempt_at: new Date(done.getTime() + writeBackDelayMs(row.attempts)) })
        .where('practice_id', '=', row.practice_id)
        .where('key', '=', row.key)
        .where('state', '=', 'pending')
        .execute();
      if (givingUp) summary.failed++;
      else summary.retrying++;
      ctx.log(`[write-back] ${row.key} (${row.resource_type}) forsøk ${row.attempts}: ${message}`);
    }
  }
  return summary;
}

/** Failed rows of a practice (or one row) back to pending, due now: the "prøv igjen" of the daglig leder. */
export async function retryFailedWriteBacks(db: Kysely<Database>, practiceId: string, at: Date, key?: string): Promise<number> {
  let q = db.updateTable('write_back').set({ state: 'pending', attempts: 0, next_attempt_at: at }).where('practice_id', '=', practiceId).where('state', '=', 'failed');
  if (key) q = q.where('key', '=', key);
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

/** Rows not yet written, per state, for the status view. */
export async function writeBackBacklog(db: Kysely<Database>, practiceId: string): Promise<{ pending: number; failed: number; oldestPending: string | null }> {
  const rows = await db
    .selectFrom('write_back')
    .select(['state', (eb) => eb.fn.countAll<string>().as('n'), (eb) => eb.fn.min('created_at').as('oldest')])
    .where('practice_id', '=', practiceId)
    .where('state', 'in', ['pending', 'failed'])
    .groupBy('state')
    .execute();
  const pending = rows.find((r) => r.state === 'pending');
  const failed = rows.find((r) => r.state === 'failed');
  return { pending: Number(pending?.n ?? 0), failed: Number(failed?.n ?? 0), oldestPending: pending?.oldest ? new Date(pending.oldest).toISOString() : null };
}

export const writeBackJob: JobDefinition = {
  name: WRITE_BACK_JOB,
  perPractice: true,
  schedule: { everyMinutes: 1 },
  // The rows carry their own attempts and back-off; a failed pass is simply the next minute's.
  maxAttempts: 1,
  async run(ctx) {
    for (let pass = 0; pass < 1000; pass++) {
      const s = await sendWriteBacks(ctx);
      if (s.claimed === 0) return;
      if (s.written + s.failed === 0 && s.retrying === s.claimed) return; // the EPJ is down: wait for the back-off
    }
  },
};

// The journal write-back queue (issue 15 item 3). A slice that records something the journal should have
// (a contact, an assessment, an outreach offer, a closed follow-up; Flags and ChargeItems where the EPJ
// accepts them) calls enqueueWriteBack in the SAME transaction as its own rows (outbox pattern): when the
// EPJ is down nothing is lost, and the write-back job (server/jobs) sends it later. Idempotent twice over:
// the key (the resource's identifier) is unique per practice here, and the job writes to the EPJ so that
// a resource with that identifier is never created twice. The UI shows `journalState` as
// "ikke skrevet til journalen ennå" until it is 'written'.
import type { Resource } from '@medplum/fhirtypes';
import { sql, type Kysely } from 'kysely';
import type { Database, JournalState } from '../db/schema';

export type { JournalState };

/**
 * NOTIFY channel (payload: the practice id) raised when a write-back is queued. PostgreSQL delivers it at
 * commit, so the write-back job (server/jobs/writeBack.ts) is nudged right after the slice's transaction, in
 * every server process that listens.
 */
export const WRITE_BACK_CHANNEL = 'pht_write_back';

export interface WriteBackRequest {
  practiceId: string;
  /** The EPJ (registry iss) the resource is written to. */
  iss: string;
  /** The resource to create; it must carry an identifier, and `key` is that identifier as `system|value`. */
  resource: Resource & { identifier?: { system?: string; value?: string }[] | { system?: string; value?: string } };
  patientId: string | null;
  /** What in the app this records, e.g. `contact/<id>`; slices look their journal state up by it. */
  source: string;
  at: Date;
}

/** `system|value` of the resource's (first) identifier. */
export function writeBackKey(resource: WriteBackRequest['resource']): string {
  const id = Array.isArray(resource.identifier) ? resource.identifier[0] : resource.identifier;
  if (!id?.system || !id.value) throw new Error(`write-back: ${resource.resourceType} uten identifier`);
  return `${id.system}|${id.value}`;
}

/** The write_back row of a request. */
export function writeBackRow(request: WriteBackRequest) {
  return {
    practice_id: request.practiceId,
    key: writeBackKey(request.resource),
    iss: request.iss,
    resource_type: request.resource.resourceType,
    resource: JSON.stringify(request.resource),
    patient_id: request.patientId,
    source: request.source,
    next_attempt_at: request.at,
    created_at: request.at,
  };
}

/** Queues one write-back; queuing the same identifier again is a no-op. Call inside the slice's transaction. */
export async function enqueueWriteBack(db: Kysely<Database>, request: WriteBackRequest): Promise<void> {
  await enqueueWriteBacks(db, [request]);
}

/**
 * Queues several write-backs (one practice) in ONE statement, with the NOTIFY in the same statement: one round
 * trip whatever their number. Queuing an identifier again is a no-op. Call inside the slice's transaction.
 */
export async function enqueueWriteBacks(db: Kysely<Database>, requests: readonly WriteBackRequest[]): Promise<void> {
  const first = requests[0];
  if (!first) return;
  if (requests.some((r) => r.practiceId !== first.practiceId)) throw new Error('write-back: én praksis per kall');
  await db
    .with('queued', (qb) =>
      qb
        .insertInto('write_back')
        .values(requests.map(writeBackRow))
        .onConflict((oc) => oc.columns(['practice_id', 'key']).doNothing()),
    )
    .selectNoFrom(sql`pg_notify(${WRITE_BACK_CHANNEL}, ${first.practiceId})`.as('notified'))
    .execute();
}

/**
 * The journal state per source (e.g. `contact/<id>`): 'written' when every write-back of that source is
 * written, 'failed' when one gave up, else 'pending'. Sources without any write-back are absent.
 */
export async function journalStates(db: Kysely<Database>, practiceId: string, sources: readonly string[]): Promise<Map<string, JournalState>> {
  const out = new Map<string, JournalState>();
  if (sources.length === 0) return out;
  const rows = await db
    .selectFrom('write_back')
    .select(['source', 'state'])
    .where('practice_id', '=', practiceId)
    .where('source', 'in', [...new Set(sources)])
    .execute();
  for (const row of rows) {
    const before = out.get(row.source);
    const rank = (s: JournalState | undefined) => (s === 'failed' ? 3 : s === 'pending' ? 2 : s === 'written' ? 1 : 0);
    if (rank(row.state) > rank(before)) out.set(row.source, row.state);
  }
  return out;
}

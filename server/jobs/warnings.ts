// Warnings a job raises for the daglig leder (table job_warning): one per kind and practice, open while the
// condition holds (the job refreshes it each run), closed when it no longer does. GET /api/jobs/status lists
// the open ones.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface JobWarning {
  kind: string;
  message: string;
  details: unknown;
  openedAt: string;
  updatedAt: string;
}

export async function raiseWarning(db: Kysely<Database>, w: { practiceId: string; kind: string; message: string; details: unknown; at: Date }): Promise<void> {
  await db
    .insertInto('job_warning')
    .values({ practice_id: w.practiceId, kind: w.kind, message: w.message, details: JSON.stringify(w.details), opened_at: w.at, updated_at: w.at, closed_at: null })
    .onConflict((oc) =>
      oc.columns(['practice_id', 'kind']).doUpdateSet({
        message: (eb) => eb.ref('excluded.message'),
        details: (eb) => eb.ref('excluded.details'),
        updated_at: (eb) => eb.ref('excluded.updated_at'),
        // A warning that was closed and holds again is a new one.
        opened_at: sql<Date>`case when job_warning.closed_at is null then job_warning.opened_at else excluded.opened_at end`,
        closed_at: null,
      }),
    )
    .execute();
}

export async function closeWarning(db: Kysely<Database>, practiceId: string, kind: string, at: Date): Promise<void> {
  await db.updateTable('job_warning').set({ closed_at: at, updated_at: at }).where('practice_id', '=', practiceId).where('kind', '=', kind).where('closed_at', 'is', null).execute();
}

export async function openWarnings(db: Kysely<Database>, practiceId: string): Promise<JobWarning[]> {
  const rows = await db.selectFrom('job_warning').selectAll().where('practice_id', '=', practiceId).where('closed_at', 'is', null).orderBy('opened_at').execute();
  return rows.map((r) => ({ kind: r.kind, message: r.message, details: r.details, openedAt: new Date(r.opened_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString() }));
}

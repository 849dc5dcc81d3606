// The audit log (issue 15): who saw which list, who exported what, who changed what. Append-only: the
// database refuses UPDATE, DELETE and TRUNCATE on audit_log (trigger in migration 0002), so this module
// only appends.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';

export type AuditAction = 'read-list' | 'read' | 'export' | 'change-settings' | 'assess' | 'outreach' | 'scan' | 'register-contact' | 'cancel-charge' | 'mark-claimed' | 'undo-claims' | 'undo-triage';

export interface AuditEvent {
  practiceId: string;
  /** `Practitioner/<id>`, or 'system' for jobs. */
  actor: string;
  role: string;
  patientId?: string;
  action: AuditAction;
  /** What was seen, exported or changed (a FHIR search without its values, the setting names). */
  what: string;
  rows?: number;
  requestId?: string;
  at: Date;
}

/** The audit_log row of an event (for a statement that appends it beside other writes). */
export function auditRow(event: AuditEvent) {
  return {
    practice_id: event.practiceId,
    at: event.at,
    actor: event.actor,
    role: event.role,
    patient_id: event.patientId ?? null,
    action: event.action,
    what: event.what,
    rows: event.rows ?? null,
    request_id: event.requestId ?? null,
  };
}

/** The events waiting for the database connection, per database (issue 19 point 2: the API under load). */
const waiting = new WeakMap<Kysely<Database>, { rows: ReturnType<typeof auditRow>[]; written: Promise<void> }>();

/**
 * Appends an event; resolves once it is stored. Inside a transaction it is one statement of that
 * transaction. Otherwise events that arrive while the first of them waits for the database connection (a
 * panel's parts, 50 users at once; PGlite runs one statement at a time) are appended by that one statement
 * (a group append): each caller still waits until its own row is stored, and sees the statement's error.
 */
export function appendAudit(db: Kysely<Database>, event: AuditEvent): Promise<void> {
  if (db.isTransaction) return db.insertInto('audit_log').values(auditRow(event)).execute().then(() => undefined);
  const open = waiting.get(db);
  if (open) {
    open.rows.push(auditRow(event));
    return open.written;
  }
  const batch = { rows: [auditRow(event)], written: Promise.resolve() };
  waiting.set(db, batch);
  batch.written = db.connection().execute(async (conn) => {
    // The connection is ours: later events start the next statement.
    if (waiting.get(db) === batch) waiting.delete(db);
    await conn.insertInto('audit_log').values(batch.rows).execute();
  });
  return batch.written;
}

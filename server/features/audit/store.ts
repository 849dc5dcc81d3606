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

export async function appendAudit(db: Kysely<Database>, event: AuditEvent): Promise<void> {
  await db.insertInto('audit_log').values(auditRow(event)).execute();
}

// Kysely types of this slice's tables (composed in server/db/schema.ts; created by migrations 0030 and 0060).
// numeric columns come back as strings from both drivers: the store converts them with Number().
import type { ColumnType, Generated } from 'kysely';

type Numeric = ColumnType<string, number | string, number | string>;
type NullableNumeric = ColumnType<string | null, number | string | null | undefined, number | string | null>;

export interface CopayDayTable {
  practice_id: string;
  patient_id: string;
  oslo_day: string;
  paid_elsewhere: boolean | null;
  answered_by: string | null;
  patient_facts: ColumnType<unknown, string | undefined, string>;
  /** How many transactions have locked the day (0070): each lock adds one. */
  version: ColumnType<string | number, number | undefined, number>;
}

export interface ContactTable {
  practice_id: string;
  id: string;
  patient_id: string;
  oslo_day: string;
  started_at: Date;
  kind: string;
  channel: string | null;
  minutes: number | null;
  travelled: boolean;
  note: string | null;
  override_reason: string | null;
  exempt_reason: string | null;
  registered_by: string;
  registered_role: string;
  registered_at: Date;
  iss: string;
}

export interface ChargeTable {
  practice_id: string;
  id: string;
  contact_id: string;
  patient_id: string;
  oslo_day: string;
  at: Date;
  code: string;
  text: string;
  profession: 'nurse' | 'gp';
  performer: string;
  quantity: number;
  honorar: Numeric;
  tariff_egenandel: Numeric;
  egenandel: Numeric;
  refusjon: Numeric;
  egenandel_is_demo: boolean;
  catalogue_id: string;
  exempt_reason: string | null;
  waiver_reason: string | null;
  registered_at: Date;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
  refund_owed: NullableNumeric;
  claim_batch_id: string | null;
}

export interface ClaimBatchTable {
  practice_id: string;
  id: string;
  seq: Generated<string>;
  marked_at: Date;
  marked_by: string;
  period_from: string | null;
  period_to: string | null;
  charges: number;
  honorar: Numeric;
  egenandel: Numeric;
  refusjon: Numeric;
  undone_at: Date | null;
  undone_by: string | null;
}

export interface GroupSessionTable {
  practice_id: string;
  id: string;
  oslo_day: string;
  started_at: Date;
  minutes: number | null;
  topic: string;
  note: string | null;
  leader: string;
  leader_role: 'nurse' | 'gp';
  registered_at: Date;
  iss: string;
}

export interface GroupSessionParticipantTable {
  practice_id: string;
  session_id: string;
  patient_id: string;
  position: number;
  contact_id: string;
}

export interface ContactCopayTables {
  group_session: GroupSessionTable;
  group_session_participant: GroupSessionParticipantTable;
  copay_day: CopayDayTable;
  contact: ContactTable;
  charge: ChargeTable;
  claim_batch: ClaimBatchTable;
}

// Kysely's view of the tables created by ./migrations. Keep the two in step: the store tests on both backends
// write and read back every column. Each job slice declares its own tables in server/features/<job>/tables.ts
// (ARCHITECTURE "one slice per job"); this file composes them.
import type { ColumnType } from 'kysely';
import type { CareTables } from '../features/care/tables';
import type { ContactCopayTables } from '../features/contact-copay/tables';
import type { FollowUpTables } from '../features/follow-up/tables';
import type { TargetGroupTables } from '../features/target-groups/tables';
import type { JobTables } from '../jobs/tables';

export interface EpikriseCode {
  system: string;
  code: string;
}

export interface PracticeSettingsTable {
  practice_id: string;
  financing_model: 'A' | 'B';
  closed_dates: ColumnType<string[], string, string>;
  saturday_is_working_day: boolean;
  digital_booking_share: number | null;
  tariff_catalogue: string | null;
  rule_set_version: string;
  epikrise_codes: ColumnType<EpikriseCode[], string, string>;
  discharge_lookback_days: number;
  // Financing inputs (issue 18, migration 0040).
  nurse_positions: number | null;
  gp_positions: number | null;
  gp_specialised_positions: number | null;
  nurse_specialised_positions: number | null;
  agreed_nurse_cost_per_position: number;
  living_conditions_index: number;
  travel_distance_index: number;
  pre_pilot_income: number | null;
  other_income_per_year: number;
  version: number;
  updated_at: ColumnType<Date, never, Date>;
  updated_by: string | null;
}

export interface AppSessionTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  expires_at: ColumnType<Date, Date, Date>;
}

export interface AuditLogTable {
  practice_id: string;
  id: ColumnType<string, never, never>;
  at: ColumnType<Date, Date | undefined, never>;
  actor: string;
  role: string;
  patient_id: string | null;
  action: string;
  what: string;
  rows: number | null;
  request_id: string | null;
}

export type JournalState = 'pending' | 'written' | 'failed';

export interface WriteBackTable {
  practice_id: string;
  key: string;
  iss: string;
  resource_type: string;
  resource: ColumnType<unknown, string, string>;
  patient_id: string | null;
  source: string;
  state: ColumnType<JournalState, JournalState | undefined, JournalState>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  next_attempt_at: ColumnType<Date, Date | undefined, Date>;
  created_at: ColumnType<Date, Date | undefined, never>;
  written_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  epj_id: string | null;
}

export interface CoreTables {
  practice_settings: PracticeSettingsTable;
  app_session: AppSessionTable;
  audit_log: AuditLogTable;
  write_back: WriteBackTable;
}

export interface Database extends CoreTables, JobTables, CareTables, ContactCopayTables, FollowUpTables, TargetGroupTables {}

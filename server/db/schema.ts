// Kysely's view of the tables created by ./migrations. Keep the two in step: the store tests on both backends
// write and read back every column.
import type { ColumnType } from 'kysely';

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

export interface Database {
  practice_settings: PracticeSettingsTable;
  app_session: AppSessionTable;
  audit_log: AuditLogTable;
}

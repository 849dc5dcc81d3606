// Kysely types of this slice's tables (composed in server/db/schema.ts; created by migration 0010).
// Date columns (Oslo calendar dates) are `date` in SQL and read as text 'YYYY-MM-DD' (see store.ts: the
// drivers would otherwise turn them into local-midnight Date objects).
import type { ColumnType } from 'kysely';
import type { ContactChannel, FollowUpCloseReason, FollowUpStatus } from '../../../src/domain/followUp';
import type { GpTaskKind, GpTaskStatus } from '../../../src/domain/followUpViews';

type DateText = ColumnType<string, string, string>;
type NullableDateText = ColumnType<string | null, string | null | undefined, string | null>;
type Instant = ColumnType<Date, Date, Date>;
type NullableInstant = ColumnType<Date | null, Date | null | undefined, Date | null>;

export interface FollowUpTaskTable {
  practice_id: string;
  id: string;
  iss: string;
  patient_id: string;
  episode_key: string;
  institution_id: string | null;
  institution_name: string | null;
  discharge_date: NullableDateText;
  discharge_date_confirmed: ColumnType<boolean, boolean | undefined, boolean>;
  message_date: NullableDateText;
  summary_ref: string | null;
  deadline: DateText;
  status: ColumnType<FollowUpStatus, FollowUpStatus | undefined, FollowUpStatus>;
  outcome: 'met' | 'late' | null;
  owner: string | null;
  close_reason: FollowUpCloseReason | null;
  closed_at: NullableInstant;
  closed_by: string | null;
  close_note: string | null;
  created_at: Instant;
  created_by: string;
  version: ColumnType<number, number | undefined, number>;
  updated_at: Instant;
  updated_by: string;
}

export interface FollowUpSignalTable {
  practice_id: string;
  signal: string;
  task_id: string;
}

export interface FollowUpAttemptTable {
  practice_id: string;
  id: string;
  task_id: string;
  at: Instant;
  channel: ContactChannel;
  by: string;
  successful: boolean;
  note: string | null;
  recorded_at: Instant;
}

export type { GpTaskKind, GpTaskStatus };

export interface GpTaskTable {
  practice_id: string;
  id: string;
  patient_id: string;
  assignee: string;
  kind: GpTaskKind;
  reason: string;
  due: NullableDateText;
  follow_up_id: string | null;
  status: ColumnType<GpTaskStatus, GpTaskStatus | undefined, GpTaskStatus>;
  answer: string | null;
  completed_at: NullableInstant;
  completed_by: string | null;
  created_at: Instant;
  created_by: string;
  version: ColumnType<number, number | undefined, number>;
}

export interface FollowUpTables {
  follow_up_task: FollowUpTaskTable;
  follow_up_signal: FollowUpSignalTable;
  follow_up_attempt: FollowUpAttemptTable;
  gp_task: GpTaskTable;
}

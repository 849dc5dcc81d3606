// Kysely types of the job queue's tables (composed in server/db/schema.ts; created by
// server/db/migrations/0004_jobs.sql).
import type { ColumnType, Generated } from 'kysely';

export type JobRunState = 'queued' | 'running' | 'done' | 'failed';

export interface JobRunTable {
  id: ColumnType<string, never, never>;
  job: string;
  practice_id: ColumnType<string, string | undefined, never>;
  iss: ColumnType<string, string | undefined, never>;
  slot: ColumnType<string | null, string | null | undefined, never>;
  payload: ColumnType<unknown, string | null | undefined, string | null>;
  state: ColumnType<JobRunState, JobRunState | undefined, JobRunState>;
  run_at: ColumnType<Date, Date, Date>;
  attempts: Generated<number>;
  max_attempts: ColumnType<number, number | undefined, never>;
  lease_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  worker: string | null;
  started_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  finished_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  error: string | null;
  created_at: ColumnType<Date, Date, never>;
}

export interface JobWarningTable {
  practice_id: string;
  kind: string;
  message: string;
  details: ColumnType<unknown, string | undefined, string>;
  opened_at: ColumnType<Date, Date, Date>;
  updated_at: ColumnType<Date, Date, Date>;
  closed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface JobTables {
  job_run: JobRunTable;
  job_warning: JobWarningTable;
}

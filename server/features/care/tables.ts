// Kysely types of the care slice's tables (composed in server/db/schema.ts; created by migrations 0050 and 0051).
// Date columns are `date` in SQL and read as text 'YYYY-MM-DD' (the store casts them).
import type { ColumnType } from 'kysely';
import type { CarePlanStatus, RecallState } from '../../../src/domain/care';

type DateText = ColumnType<string, string, string>;
type NullableDateText = ColumnType<string | null, string | null | undefined, string | null>;
type Instant = ColumnType<Date, Date, Date>;

export interface CarePlanTable {
  practice_id: string;
  id: string;
  iss: string;
  patient_id: string;
  condition: 'diabetes' | 'kols';
  goals: ColumnType<string[], string, string>;
  status: ColumnType<CarePlanStatus, CarePlanStatus | undefined, CarePlanStatus>;
  created_at: Instant;
  created_by: string;
  ended_on: NullableDateText;
  ended_by: string | null;
  end_note: string | null;
  version: ColumnType<number, number | undefined, number>;
}

export interface CarePlanReviewTable {
  practice_id: string;
  id: string;
  plan_id: string;
  reviewed_on: DateText;
  note: string;
  by: string;
  recorded_at: Instant;
}

export interface CareTaskTable {
  practice_id: string;
  id: string;
  iss: string;
  patient_id: string;
  kind: 'medication-review';
  assignee: string;
  reason: string;
  status: ColumnType<CareTaskStatus, CareTaskStatus | undefined, CareTaskStatus>;
  due: NullableDateText;
  created_at: Instant;
  created_by: string;
  done_on: NullableDateText;
  done_by: string | null;
  done_note: string | null;
}

export type CareTaskStatus = 'open' | 'done' | 'not-needed';

/** «Ikke behov for legemiddelgjennomgang nå» (migration 0051). */
export interface CareMedicationAssessmentTable {
  practice_id: string;
  id: string;
  iss: string;
  patient_id: string;
  assessed_on: DateText;
  note: string | null;
  by: string;
  recorded_at: Instant;
}

export interface CareRecallSettingTable {
  practice_id: string;
  groups: ColumnType<string[], string, string>;
  updated_at: Instant;
  updated_by: string;
}

export interface CareRecallEventTable {
  practice_id: string;
  id: string;
  patient_id: string;
  state: RecallState;
  on_date: DateText;
  by: string;
  recorded_at: Instant;
}

export interface CareIpTable {
  practice_id: string;
  patient_id: string;
  id: string;
  iss: string;
  needed_on: DateText;
  recorded_by: string;
  reported_on: NullableDateText;
  reported_how: string | null;
  reported_by: string | null;
  coordinator_name: string | null;
  coordinator_on: NullableDateText;
  version: ColumnType<number, number | undefined, number>;
  updated_at: Instant;
}

export interface CareTables {
  care_plan: CarePlanTable;
  care_plan_review: CarePlanReviewTable;
  care_task: CareTaskTable;
  care_medication_assessment: CareMedicationAssessmentTable;
  care_recall_setting: CareRecallSettingTable;
  care_recall_event: CareRecallEventTable;
  care_ip: CareIpTable;
}

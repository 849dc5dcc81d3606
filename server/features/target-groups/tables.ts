// Kysely types of this slice's tables (composed in server/db/schema.ts; created by migration 0020).
import type { ColumnType } from 'kysely';
import type { TargetGroup } from '../../../src/domain/targetGroups';

export type ScanState = 'running' | 'done' | 'failed';
export type ScanPhase = 'patients' | 'facts' | 'classify' | 'store' | 'done';
export type ResultStatus = 'candidate' | 'confirmed' | 'rejected' | 'not-candidate';
export type OutreachNeed = 'follow-up-needed' | 'no-follow-up-needed' | 'not-reached';
export type OutreachOfferKind = 'consultation' | 'home-visit';

type Json<T> = ColumnType<T, string, string>;

export interface TgScanRunTable {
  practice_id: string;
  id: string;
  started_at: Date;
  finished_at: Date | null;
  state: ColumnType<ScanState, ScanState | undefined, ScanState>;
  started_by: string;
  rule_set_version: string;
  as_of: string;
  phase: ColumnType<ScanPhase, ScanPhase | undefined, ScanPhase>;
  progress_done: ColumnType<number, number | undefined, number>;
  progress_total: ColumnType<number, number | undefined, number>;
  patients: number | null;
  candidates: number | null;
  error: string | null;
}

export interface TgPatientTable {
  practice_id: string;
  patient_id: string;
  gp_id: string | null;
  display: Json<unknown>;
  facts: Json<unknown>;
  weak_demander: boolean;
  rule_set_version: string;
  as_of: string;
  computed_at: Date;
  scan_id: string | null;
}

export interface TgResultTable {
  practice_id: string;
  patient_id: string;
  target_group: TargetGroup;
  status: ResultStatus;
  evidence: Json<unknown>;
  rule_set_version: string;
  computed_at: Date;
}

export interface TgAssessmentTable {
  practice_id: string;
  id: string;
  patient_id: string;
  target_group: TargetGroup;
  include: boolean;
  reason: string;
  by_user: string;
  by_name: string;
  at: Date;
}

export interface TgOutreachTable {
  practice_id: string;
  id: string;
  patient_id: string;
  need: OutreachNeed;
  offer_kind: OutreachOfferKind | null;
  offer_date: string | null;
  offer_accepted: boolean | null;
  note: ColumnType<string, string | undefined, string>;
  by_user: string;
  by_name: string;
  at: Date;
}

export interface TargetGroupTables {
  tg_scan_run: TgScanRunTable;
  tg_patient: TgPatientTable;
  tg_result: TgResultTable;
  tg_assessment: TgAssessmentTable;
  tg_outreach: TgOutreachTable;
}

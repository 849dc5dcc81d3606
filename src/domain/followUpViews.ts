// What the follow-up API answers and takes (issue 15 item 2, SPEC §4, issue 17 item 13): the shapes the app
// server sends and the browser shows, shared by both sides. Types only.
import type { ContactChannel, FollowUpCloseReason, FollowUpStatus } from './followUp';

export type JournalState = 'pending' | 'written' | 'failed';
export type GpTaskKind = 'medication-review' | 'assessment' | 'other';
export type GpTaskStatus = 'open' | 'done' | 'not-needed';

export interface Attempt {
  id: string;
  /** ISO instant. */
  at: string;
  channel: ContactChannel;
  by: string;
  successful: boolean;
  note: string | null;
}

export interface Closure {
  reason: FollowUpCloseReason;
  at: string;
  by: string;
  note: string | null;
}

export interface GpTask {
  id: string;
  patientId: string;
  assignee: string;
  kind: GpTaskKind;
  reason: string;
  due: string | null;
  followUpId: string | null;
  status: GpTaskStatus;
  answer: string | null;
  completedAt: string | null;
  completedBy: string | null;
  createdAt: string;
  createdBy: string;
  version: number;
}

/** A follow-up task as the API returns it. */
export interface FollowUp {
  id: string;
  patientId: string;
  episodeKey: string;
  institution: { id: string | null; name: string | null };
  dischargeDate: string | null;
  dischargeDateConfirmed: boolean;
  messageDate: string | null;
  summaryRef: string | null;
  /** Oslo date. */
  deadline: string;
  status: FollowUpStatus;
  outcome: 'met' | 'late' | null;
  owner: string | null;
  closure: Closure | null;
  attempts: Attempt[];
  gpTasks: GpTask[];
  createdAt: string;
  createdBy: string;
  version: number;
  /** The journal notes of this task: null when none was queued. */
  journal: JournalState | null;
}

export interface NewGpTask {
  id: string;
  patientId: string;
  assignee: string;
  kind: GpTaskKind;
  reason: string;
  due?: string;
  followUpId?: string;
}

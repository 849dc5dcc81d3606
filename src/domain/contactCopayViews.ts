// What the contact-copay API answers and takes (issue 15; SPEC §5-§7): the shapes the app server sends and
// the browser shows, shared by both sides. Types only.
import type { CopayPatient } from './copay';
import type { AnyContactKind, TariffLine } from './tariffs';

export type JournalState = 'pending' | 'written' | 'failed';

export type ContactChannel = 'in-person' | 'phone' | 'video' | 'written';

export interface ContactInput {
  /** The browser's uuid: a resend with the same id is the same contact. */
  id: string;
  patientId: string;
  /** When the service was given (ISO date-time with offset). */
  start: string;
  kind: AnyContactKind;
  channel?: ContactChannel;
  minutes?: number;
  travelled?: boolean;
  /** The codes billed (after the user's edits). */
  lines: TariffLine[];
  /** What the suggestion proposed; a difference is recorded as the override reason. */
  suggested?: TariffLine[];
  overrideReason?: string;
  /** An exemption of the contact's own (Volven 7461, e.g. A). */
  exemptReason?: string;
  note?: string;
  /** Birth date and day exemptions (frikort) of the patient. */
  patient: CopayPatient;
  /** The answer to «Er pasienten allerede belastet egenandel i dag?» when the EPJ does not show GP charges. */
  paidElsewhereToday?: boolean;
}

export interface ChargeView {
  id: string;
  contactId: string;
  code: string;
  text: string;
  profession: 'nurse' | 'gp';
  /** Practitioner/<id> who gave the service and registered it. */
  registeredBy: string;
  /** Service time (ISO). */
  at: string;
  quantity: number;
  honorar: number;
  tariffEgenandel: number;
  /** What the patient pays now, kr. */
  charged: number;
  /** The egenandel not charged, kr (exemption, already paid today); 0 when cancelled. */
  waived: number;
  /** Volven 7461 code, SAME_DAY or CANCELLED. */
  reason?: string;
  refusjon: number;
  egenandelIsDemo: boolean;
  cancelled: boolean;
  cancelledBy?: string;
  cancelledAt?: string;
  cancelReason?: string;
  /** Marked as claimed (billed): a settled charge stays the bearer. */
  settled: boolean;
  /** kr to pay back to the patient (a settled bearer was cancelled). */
  refundOwed?: number;
}

export interface DayView {
  patientId: string;
  day: string;
  /** By service time, then id. */
  rows: ChargeView[];
  bearerId?: string;
  /** The recorded answer to «Er pasienten allerede belastet egenandel i dag?». */
  paidElsewhere?: boolean;
  /** Journal state of each contact's note that day: pending until the EPJ has it. */
  journal: Record<string, JournalState>;
}

export interface ClaimBatchView {
  id: string;
  markedAt: string;
  markedBy: string;
  periodFrom?: string;
  periodTo?: string;
  charges: number;
  honorar: number;
  egenandel: number;
  refusjon: number;
  undoneAt?: string;
  undoneBy?: string;
  /** The last batch not undone: the one that may be undone. */
  undoable: boolean;
}

/** A charge cancelled (POST /charges/:id/cancel). */
export interface CancelAnswer {
  cancelled: boolean;
  day: DayView;
  refundOwed?: number;
}

/** Charges marked as claimed in one batch (POST /manager/claims). */
export interface MarkClaimedAnswer {
  batch: ClaimBatchView;
  marked: number;
  alreadyClaimed: string[];
  alreadySaved: boolean;
}

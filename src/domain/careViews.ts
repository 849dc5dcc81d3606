// What the care API answers (issue 17 items 16-19): the records the app server stores and the shapes it sends
// and the browser shows, shared by both sides. Types only.
import type { CarePlanStatus, IpReportChannel, IpStage } from './care';

export type JournalState = 'pending' | 'written' | 'failed';

export interface CarePlanReview {
  id: string;
  reviewedOn: string;
  note: string;
  by: string;
}

export interface CarePlan {
  id: string;
  patientId: string;
  condition: 'diabetes' | 'kols';
  goals: string[];
  status: CarePlanStatus;
  createdAt: string;
  createdBy: string;
  endedOn: string | null;
  endedBy: string | null;
  endNote: string | null;
  version: number;
  reviews: CarePlanReview[];
}

export interface CareTask {
  id: string;
  patientId: string;
  kind: 'medication-review';
  assignee: string;
  reason: string;
  /** 'done' or 'not-needed' once the GP has answered (doneOn/doneBy/doneNote then say when, who and what). */
  status: 'open' | 'done' | 'not-needed';
  /** The date the review should be done by, or null. */
  due: string | null;
  createdAt: string;
  createdBy: string;
  doneOn: string | null;
  doneBy: string | null;
  doneNote: string | null;
}

/** «Ikke behov for legemiddelgjennomgang nå»: the need was assessed and no review is needed. */
export interface MedicationAssessment {
  id: string;
  patientId: string;
  assessedOn: string;
  note: string | null;
  by: string;
}

/** A medication-need assessment as the API answers (with its journal state, without the patient). */
export interface MedicationAssessmentView extends Omit<MedicationAssessment, 'patientId'> {
  journal: JournalState | null;
}

export interface IndividualPlan {
  id: string;
  patientId: string;
  neededOn: string;
  recordedBy: string;
  reportedOn: string | null;
  reportedHow: IpReportChannel | null;
  reportedBy: string | null;
  coordinatorName: string | null;
  coordinatorOn: string | null;
  version: number;
}

/** A care plan as the API answers: with the journal state of its note, its end note and each review's note. */
export interface CarePlanView extends Omit<CarePlan, 'reviews'> {
  journal: JournalState | null;
  endJournal: JournalState | null;
  reviews: (CarePlanReview & { journal: JournalState | null })[];
}

/** A medication review task as the API answers (the patient's care: with its journal state). */
export interface CareTaskView extends CareTask {
  journal?: JournalState | null;
}

export interface IndividualPlanView extends IndividualPlan {
  stage: IpStage;
}

/** GET /api/care/patients/:patientId. */
export interface PatientCare {
  patientId: string;
  carePlanDiseases: ('diabetes' | 'kols')[] | null;
  needsCarePlan: boolean | null;
  plans: CarePlanView[];
  tasks: CareTaskView[];
  medicationReviewOpen: boolean;
  /** «Ikke behov for legemiddelgjennomgang nå», oldest first. */
  medicationAssessments: MedicationAssessmentView[];
  ip: IndividualPlanView | null;
}

export interface RecallRow {
  patientId: string;
  name: string;
  birthDate: string | null;
  phone: string | null;
  groups?: string[];
  lastCheck: string | null;
  lastCheckedBy: string | null;
  due: string | null;
  urgency: 'overdue' | 'due' | 'not-due';
  state: 'called' | 'booked' | null;
  stateLabel: string | null;
  stateDate: string | null;
}

import type { FhirClient } from '../fhir/client';
import type { Session } from '../fhir/session';
import type { CurrentUser } from '../fhir/roles';
import type { PatientSummary } from '../fhir/sessionContext';
import type { ViewId } from './navigation';

/** Why a patient was opened from a list, so the patient panel can show the right task first. */
export interface PatientContext {
  from?: ViewId;
  followUpTaskId?: string;
  outreach?: boolean;
}

/** What every feature view receives from the shell. Features do not import each other. */
export interface FeatureProps {
  client: FhirClient;
  session: Session;
  user: CurrentUser;
  /** The launch patient, or the patient opened from a list; already checked by the patient guard. */
  patient: PatientSummary | undefined;
  /**
   * Opens a patient in the patient panel. Only in practice launches (no launch patient): in a patient
   * launch the app never shows another patient than the EHR's (SPEC §8).
   */
  openPatient?: (patientId: string, context?: PatientContext) => void;
  patientContext?: PatientContext;
}

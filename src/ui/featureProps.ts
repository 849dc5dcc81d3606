import type { FhirClient } from '../fhir/client';
import type { Session } from '../fhir/session';
import type { CurrentUser } from '../fhir/roles';
import type { PatientSummary } from '../fhir/sessionContext';

/** What every feature view receives from the shell. Features do not import each other. */
export interface FeatureProps {
  client: FhirClient;
  session: Session;
  user: CurrentUser;
  /** The launch patient, already checked by the patient guard. */
  patient: PatientSummary | undefined;
}

import type { OperationOutcome } from '@medplum/fhirtypes';
import { isFhirError } from '../fhir/errors';

/** Every store says where it is (STYLE "state"): nothing is inferred from `data === undefined`. */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** The OperationOutcome behind an error, when it came from the FHIR layer. */
export function outcomeOf(error: unknown): OperationOutcome | undefined {
  return isFhirError(error) ? error.outcome : undefined;
}

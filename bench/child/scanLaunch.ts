// A practice launch (EHR launch without a patient in context) from node against a sandbox in another
// process, for the scan benchmark: the shared SMART launch of the tests (test/support/smartLaunch.ts).
import type { Session } from '../../src/fhir/session';
import { launchFromSandbox } from '../../test/support/smartLaunch';

export function launchPractice(origin: string, fhirBaseUrl: string, user: string): Promise<Session> {
  return launchFromSandbox({ origin, fhirBaseUrl, user });
}

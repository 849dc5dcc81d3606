// The browser's FHIR API (issue 14 item 5): `/fhir/...` on the app server, forwarded to the launch's EPJ
// with the session's token and a fresh DPoP proof. The browser keeps speaking FHIR (fhir-kit-client),
// but never holds the token. On the way back: the EPJ's base URL in links and Location becomes ours (so
// paging stays same-origin), every resource of a patient-scoped launch is checked against the launch
// patient, and each request is written to the audit log (who, patient, interaction, status; no query
// string: it can hold a fødselsnummer).
import type { Resource } from '@medplum/fhirtypes';
import { referencedPatientIds } from '../../src/fhir/patientGuard';
import type { LaunchSession } from '../smart/sessions';

/** Request headers the EPJ needs (FHIR RESTful API conditional and versioned interactions). */
export const FORWARDED_REQUEST_HEADERS = ['accept', 'content-type', 'if-match', 'if-none-exist', 'if-none-match', 'if-modified-since', 'prefer'];
/** Response headers the browser needs. */
export const FORWARDED_RESPONSE_HEADERS = ['content-type', 'etag', 'last-modified', 'location', 'content-location'];

/** A launch is patient-scoped when its grant reads clinical data only through `patient/` scopes. */
export function isPatientScoped(launch: Pick<LaunchSession, 'patient' | 'grantedScopes'>): boolean {
  return !!launch.patient && !launch.grantedScopes.some((s) => s.startsWith('user/') || s.startsWith('system/'));
}

function resourcesIn(value: unknown): Resource[] {
  if (typeof value !== 'object' || value === null || !('resourceType' in value)) return [];
  const resource = value as Resource;
  if (resource.resourceType !== 'Bundle') return [resource];
  return (resource.entry ?? []).flatMap((e) => (e.resource ? resourcesIn(e.resource) : []));
}

/** Ids of other patients this response carries (empty = fine to return). */
export function foreignPatients(body: unknown, patientId: string): string[] {
  const foreign = new Set<string>();
  for (const r of resourcesIn(body)) for (const id of referencedPatientIds(r)) if (id !== patientId) foreign.add(id);
  return [...foreign];
}

export function rebase(text: string, from: string, to: string): string {
  return text.split(from).join(to);
}

export function outcome(code: string, diagnostics: string): string {
  return JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] });
}

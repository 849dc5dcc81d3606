// The launch context the app works in. In the browser it comes from the app server (GET /api/session)
// and holds no token at all, only the per-tab launch handle; in node (the sweep, tests) it may carry
// an access token of its own.
import { scopeAllows, type Interaction } from './launch/grantedScopes';

export type LaunchKind = 'ehr' | 'standalone';

export interface Session {
  launchKind: LaunchKind;
  /** FHIR base URL (the launch's `iss`), without a trailing slash. */
  fhirBaseUrl: string;
  /** Only where the holder itself talks to the EPJ (backend services, tests); never in the browser. */
  accessToken?: string;
  /** The app server's per-tab launch handle (browser); sent as X-PHT-Handle. */
  handle?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** Scopes the server granted (token response `scope`), which may be fewer than requested. */
  grantedScopes: readonly string[];
  /** Scopes we asked for, so the UI can tell what is missing. */
  requestedScopes: readonly string[];
  /** Bare id of the launch patient. */
  patientId?: string;
  encounterId?: string;
  /** SMART `need_patient_banner`; true when the server did not say (the safe default). */
  needPatientBanner: boolean;
  /** `Practitioner/<id>` (relative), from the token response or the id_token. */
  fhirUser?: string;
}

/** Margin for a holder of its own token: a request sent just before expiry would arrive after it. The
 * browser's `expiresAt` comes from the app server with its margin already applied (and refreshes
 * pushing it out), so there is none on top (issue 12 item 13: a 30 s token must not end at once). */
export const EXPIRY_MARGIN_MS = 30_000;

export function isSessionExpired(session: Pick<Session, 'expiresAt' | 'accessToken'>, now: number = Date.now()): boolean {
  return now >= session.expiresAt - (session.accessToken ? EXPIRY_MARGIN_MS : 0);
}

/** Whether the grant allows `interaction` on `resourceType`; the UI hides what it cannot do. */
export function can(session: Pick<Session, 'grantedScopes'>, resourceType: string, interaction: Interaction): boolean {
  return scopeAllows(session.grantedScopes, resourceType, interaction);
}

/**
 * Splits a FHIR reference or absolute URL into type and id: `Practitioner/1`,
 * `http://host/fhir/Practitioner/1`, `http://host/fhir/Practitioner/1/_history/2`.
 */
const RESOURCE_TYPE = /^[A-Z][A-Za-z]+$/;

export function parseReference(reference: string | undefined): { resourceType: string; id: string } | undefined {
  if (!reference) return undefined;
  // The common 'Type/id' without splitting (the discharge reader parses references per patient).
  const slash = reference.indexOf('/');
  if (slash > 0 && slash < reference.length - 1 && reference.indexOf('/', slash + 1) < 0 && reference.indexOf('?') < 0 && reference.indexOf('#') < 0) {
    const resourceType = reference.slice(0, slash);
    return RESOURCE_TYPE.test(resourceType) ? { resourceType, id: reference.slice(slash + 1) } : undefined;
  }
  const path = reference.split(/[?#]/)[0] ?? '';
  const parts = path.split('/').filter((p) => p.length > 0);
  const historyAt = parts.lastIndexOf('_history');
  const relevant = historyAt >= 2 ? parts.slice(0, historyAt) : parts;
  const id = relevant.at(-1);
  const resourceType = relevant.at(-2);
  if (!id || !resourceType || !RESOURCE_TYPE.test(resourceType)) return undefined;
  return { resourceType, id };
}

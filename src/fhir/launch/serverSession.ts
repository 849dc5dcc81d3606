// The browser's side of the app server's launch (issue 14): the server ran the SMART launch and keeps
// the EPJ's tokens; the browser only gets a per-tab launch handle (in the URL fragment of the redirect
// after login) and the launch context from GET /api/session. The handle is kept in sessionStorage (per
// tab, so two tabs hold two launches) and sent as a header on every call; it is not an EPJ credential.
import { LaunchError } from './errors';
import { splitScopes } from './grantedScopes';
import type { Session } from '../session';
import type { CurrentUser, TeamRole } from '../roles';

export const HANDLE_STORAGE_KEY = 'pht.handle';
export const HANDLE_HEADER = 'X-PHT-Handle';
const FRAGMENT_KEY = 'pht-handle';

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface LaunchPort {
  /** Per tab: sessionStorage in the browser. */
  storage: KeyValueStorage;
  fetch: typeof fetch;
  /** Replace the current history entry (removes the handle from the address bar). */
  replaceUrl(path: string): void;
  now(): number;
}

export function browserLaunchPort(): LaunchPort {
  return {
    storage: window.sessionStorage,
    fetch: (input, init) => window.fetch(input, init),
    replaceUrl: (path) => window.history.replaceState(null, '', path),
    now: () => Date.now(),
  };
}

/** A new handle from the fragment replaces this tab's old one (a relaunch); the fragment is removed at once. */
export function takeHandle(port: LaunchPort, url: URL): string | undefined {
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ''));
  const fresh = fragment.get(FRAGMENT_KEY);
  if (fresh) {
    port.storage.setItem(HANDLE_STORAGE_KEY, fresh);
    port.replaceUrl(`${url.pathname}${url.search}`);
    return fresh;
  }
  return port.storage.getItem(HANDLE_STORAGE_KEY) ?? undefined;
}

/** Why the server says the session is over (header x-pht-session-ended). */
export function endedError(reason: string | null): LaunchError {
  if (reason === 'logout') return new LaunchError('logged-out');
  if (reason === 'missing') return new LaunchError('not-launched');
  const why: Record<string, string> = {
    idle: 'for lenge uten bruk',
    absolute: 'økten har vart så lenge den kan',
    expired: 'tilgangen fra journalsystemet er utløpt og kunne ikke fornyes',
  };
  return new LaunchError('session-expired', { detail: why[reason ?? ''] ?? reason ?? undefined });
}

function str(json: Record<string, unknown>, key: string): string | undefined {
  const v = json[key];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function strs(json: Record<string, unknown>, key: string): string[] {
  const v = json[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** What the server read with the session (issue 19 point 1), so the browser need not read it again. */
export interface SessionPrefetch {
  user?: CurrentUser;
  /** The launch Patient as the EPJ answered it; the caller still checks it is the launch patient. */
  patient?: unknown;
  /** The launch patient's panel parts (GET /api/panel's answer), read by the server with the session. */
  panel?: unknown;
}

const TEAM_ROLES: readonly TeamRole[] = ['gp', 'nurse', 'secretary'];

/** Pure: the user the server looked up, when the answer has one in the expected shape. */
export function prefetchedUser(json: Record<string, unknown>): CurrentUser | undefined {
  const u = json.user;
  if (typeof u !== 'object' || u === null) return undefined;
  const user = u as Record<string, unknown>;
  const role = typeof user.role === 'object' && user.role !== null ? (user.role as Record<string, unknown>) : {};
  const practitionerId = str(user, 'practitionerId');
  const name = str(user, 'name');
  const team = TEAM_ROLES.find((r) => r === role.role);
  if (!practitionerId || !name || !team) return undefined;
  return { practitionerId, name, role: { role: team, practiceManager: role.practiceManager === true } };
}

/** The launch context from the app server; never a token (there is none in the browser). */
export async function loadServerSession(port: LaunchPort, handle: string): Promise<{ session: Session; prefetched: SessionPrefetch }> {
  let response: Response;
  try {
    response = await port.fetch('/api/session', { headers: { [HANDLE_HEADER]: handle, accept: 'application/json' }, credentials: 'same-origin' });
  } catch (cause) {
    throw new LaunchError('server-unreachable', { cause });
  }
  if (response.status === 401) {
    port.storage.removeItem(HANDLE_STORAGE_KEY);
    throw endedError(response.headers.get('x-pht-session-ended'));
  }
  if (!response.ok) throw new LaunchError('server-unreachable', { detail: `HTTP ${response.status}` });
  const json = (await response.json()) as Record<string, unknown>;
  const fhirBaseUrl = str(json, 'fhirBaseUrl');
  const expiresAt = json.expiresAt;
  if (!fhirBaseUrl || typeof expiresAt !== 'number') throw new LaunchError('server-unreachable', { detail: 'ugyldig svar fra /api/session' });
  // Prefer the duration: the server's absolute time may be skewed against this PC's clock.
  const endsInMs = typeof json.endsInMs === 'number' && Number.isFinite(json.endsInMs) ? json.endsInMs : undefined;
  const patientId = str(json, 'patient');
  const encounterId = str(json, 'encounter');
  const fhirUser = str(json, 'fhirUser');
  const user = prefetchedUser(json);
  const patient = typeof json.patientResource === 'object' && json.patientResource !== null ? json.patientResource : undefined;
  const panel = typeof json.panel === 'object' && json.panel !== null ? json.panel : undefined;
  const session: Session = {
    launchKind: json.launchKind === 'standalone' ? 'standalone' : 'ehr',
    fhirBaseUrl,
    handle,
    expiresAt: endsInMs !== undefined ? port.now() + endsInMs : expiresAt,
    grantedScopes: strs(json, 'grantedScopes'),
    requestedScopes: splitScopes(strs(json, 'requestedScopes').join(' ')),
    ...(patientId ? { patientId } : {}),
    ...(encounterId ? { encounterId } : {}),
    needPatientBanner: json.needPatientBanner !== false,
    ...(fhirUser ? { fhirUser } : {}),
  };
  return { session, prefetched: { ...(user ? { user } : {}), ...(patient ? { patient } : {}), ...(panel ? { panel } : {}) } };
}

export type LogoutResult = { page: string } | { failed: string };

/**
 * Logout (POST /api/logout): the server ends every launch of this browser and answers with its ended
 * page, which the caller opens. A session that had already ended goes to that end's page instead.
 */
export async function logout(port: LaunchPort, handle: string): Promise<LogoutResult> {
  let response: Response;
  try {
    response = await port.fetch('/api/logout', { method: 'POST', headers: { [HANDLE_HEADER]: handle, accept: 'application/json' }, credentials: 'same-origin' });
  } catch {
    return { failed: 'Får ikke kontakt med appserveren, så du er ikke logget ut. Sjekk nettverket og prøv igjen.' };
  }
  if (response.status === 401) {
    port.storage.removeItem(HANDLE_STORAGE_KEY);
    const reason = response.headers.get('x-pht-session-ended') ?? 'missing';
    return { page: `/avsluttet?grunn=${encodeURIComponent(reason)}` };
  }
  const json: unknown = await response.json().catch(() => undefined);
  const page = typeof json === 'object' && json !== null && 'page' in json && typeof json.page === 'string' ? json.page : undefined;
  if (!response.ok || !page?.startsWith('/')) return { failed: `Utloggingen mislyktes (HTTP ${response.status}). Prøv igjen, eller lukk nettleseren.` };
  port.storage.removeItem(HANDLE_STORAGE_KEY);
  return { page };
}

// The authorization endpoint (RFC 6749 §4.1.1, SMART App Launch 2.x §"Obtain authorization code"):
// EHR launch issues a code at once for the launch's user and patient; standalone launch asks first.
import { isFhirId, type LaunchContext } from './context';
import { OAuthError, UnredirectableError } from './errors';
import { isS256Challenge } from './pkce';
import { CODE_LIFETIME_MS, PENDING_LIFETIME_MS, type AuthRuntime, type PendingAuthorization } from './runtime';
import { grantScopes, restrictToPatient, splitScopes } from './scopes';
import { randomId } from './store';

export type AuthorizeOutcome =
  | { kind: 'redirect'; location: string }
  | { kind: 'picker'; requestId: string; pending: PendingAuthorization };

const SINGLE_VALUED = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'aud', 'launch', 'code_challenge', 'code_challenge_method', 'nonce'];

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** RFC 6749 §4.1.2.1: the error goes back to the app, with its `state`. */
export function errorRedirect(redirectUri: string, error: OAuthError, state: string | null | undefined): string {
  const url = new URL(redirectUri);
  url.searchParams.set('error', error.code);
  url.searchParams.set('error_description', error.message);
  if (state) url.searchParams.set('state', state);
  return url.href;
}

/** Client and redirect_uri first: until both check out, nothing may be redirected (RFC 6749 §4.1.2.1). */
function checkClient(rt: AuthRuntime, params: URLSearchParams): string {
  const clientId = params.get('client_id');
  if (clientId !== rt.app.clientId) {
    throw new UnredirectableError('Appen er ikke registrert i journalsystemet.', `Unknown client_id ${JSON.stringify(clientId)}`);
  }
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri || params.getAll('redirect_uri').length > 1 || !rt.app.acceptsRedirectUri(redirectUri)) {
    throw new UnredirectableError('Appen oppga en tilbakeadresse (redirect_uri) som ikke er registrert.', `Unregistered redirect_uri ${JSON.stringify(redirectUri)}`);
  }
  return redirectUri;
}

function checkRequest(rt: AuthRuntime, params: URLSearchParams, redirectUri: string): PendingAuthorization {
  const repeated = SINGLE_VALUED.find((name) => params.getAll(name).length > 1);
  if (repeated) throw new OAuthError('invalid_request', `Parameter ${repeated} repeated`);
  if (params.get('response_type') !== 'code') throw new OAuthError('unsupported_response_type', 'Only response_type=code is supported');
  const codeChallenge = params.get('code_challenge');
  if (params.get('code_challenge_method') !== 'S256' || !codeChallenge || !isS256Challenge(codeChallenge)) {
    throw new OAuthError('invalid_request', 'PKCE is required: code_challenge with code_challenge_method=S256');
  }
  const state = params.get('state');
  if (!state) throw new OAuthError('invalid_request', 'state is required');
  const aud = params.get('aud');
  if (!aud || withoutTrailingSlash(aud) !== rt.fhirBaseUrl) {
    throw new OAuthError('invalid_request', `aud must be the FHIR base URL ${rt.fhirBaseUrl}`);
  }
  const scopes = splitScopes(params.get('scope'));
  if (scopes.length === 0) throw new OAuthError('invalid_scope', 'scope is required');
  const nonce = params.get('nonce');
  return { clientId: rt.app.clientId, redirectUri, state, codeChallenge, scopes, ...(nonce ? { nonce } : {}) };
}

export function authorize(rt: AuthRuntime, params: URLSearchParams): AuthorizeOutcome {
  const redirectUri = checkClient(rt, params);
  let request: PendingAuthorization;
  try {
    request = checkRequest(rt, params, redirectUri);
    const launch = params.get('launch');
    if (launch !== null) {
      if (!request.scopes.includes('launch')) throw new OAuthError('invalid_scope', 'An EHR launch requires the launch scope');
      const context = rt.launches.get(launch);
      if (!context) throw new OAuthError('invalid_request', 'Unknown or expired launch');
      return { kind: 'redirect', location: issueCode(rt, request, context) };
    }
  } catch (error) {
    if (error instanceof OAuthError) {
      return { kind: 'redirect', location: errorRedirect(redirectUri, error, params.get('state')) };
    }
    throw error;
  }
  const requestId = randomId();
  rt.pending.set(requestId, request, PENDING_LIFETIME_MS);
  return { kind: 'picker', requestId, pending: request };
}

/** Scopes for this launch: registered ∩ requested, patient context only with a patient. */
export function scopesForLaunch(rt: AuthRuntime, requested: string[], context: LaunchContext): string[] {
  let granted = grantScopes(requested, rt.registeredScopes);
  if (!context.patient) granted = granted.filter((scope) => scope !== 'launch/patient');
  if (context.patient && context.patientScopes) granted = restrictToPatient(granted);
  return granted;
}

/** Stores a single-use code for this request and context; returns the redirect back to the app. */
export function issueCode(rt: AuthRuntime, request: PendingAuthorization, context: LaunchContext): string {
  const scopes = scopesForLaunch(rt, request.scopes, context);
  if (scopes.length === 0) throw new OAuthError('invalid_scope', 'None of the requested scopes is registered for this app');
  if (context.patient !== undefined && !isFhirId(context.patient)) throw new OAuthError('invalid_request', 'Invalid patient id');
  const code = randomId();
  rt.codes.set(code, {
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    scopes,
    context,
    ...(request.nonce ? { nonce: request.nonce } : {}),
  }, CODE_LIFETIME_MS);
  const url = new URL(request.redirectUri);
  url.searchParams.set('code', code);
  url.searchParams.set('state', request.state);
  return url.href;
}

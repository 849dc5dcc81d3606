// The authorization endpoint (RFC 6749 §4.1.1, SMART App Launch 2.x §"Obtain authorization code"),
// GET or POST (SMART 2.2 "authorize-post"), directly or by a pushed request (RFC 9126, required by the
// HelseID-like profile). EHR launch issues a code at once for the launch's user and patient; standalone
// launch asks first.
import type { ConfidentialClient } from './clients';
import { isFhirId, type LaunchContext } from './context';
import { OAuthError, UnredirectableError } from './errors';
import { isS256Challenge } from './pkce';
import { CODE_LIFETIME_MS, PENDING_LIFETIME_MS, REQUEST_URI_PREFIX, type AuthRuntime, type PendingAuthorization } from './runtime';
import { scopesForRole } from './roles';
import { grantScopes, parseResourceScope, restrictToPatient, splitScopes } from './scopes';
import { randomId } from './store';

export type AuthorizeOutcome =
  | { kind: 'redirect'; location: string }
  | { kind: 'picker'; requestId: string; pending: PendingAuthorization };

const SINGLE_VALUED = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'aud', 'launch', 'code_challenge', 'code_challenge_method', 'nonce', 'request_uri', 'dpop_jkt'];

/** A client as the authorization and token endpoints see it. */
export interface AuthClient {
  clientId: string;
  name: string;
  /** Present for a confidential client (private_key_jwt); absent for the public browser app. */
  confidential?: ConfidentialClient;
  /** What it is registered for (before the user's role narrows it). */
  scopes: string[];
  acceptsRedirectUri(uri: string): boolean;
}

/** The registered client with this id, if this profile accepts it (HelseID: confidential clients only). */
export function findClient(rt: AuthRuntime, clientId: string | null): AuthClient | undefined {
  if (clientId === null) return undefined;
  const confidential = rt.clients.confidential.get(clientId);
  if (confidential) {
    return {
      clientId,
      name: confidential.clientName,
      confidential,
      scopes: confidential.scope ? splitScopes(confidential.scope) : [...rt.registeredScopes, 'offline_access'],
      acceptsRedirectUri: (uri) => confidential.acceptsRedirectUri(uri),
    };
  }
  const app = rt.clients.app;
  if (rt.profile.publicClients && clientId === app.clientId) {
    return { clientId, name: rt.clientName, scopes: rt.registeredScopes, acceptsRedirectUri: (uri) => app.acceptsRedirectUri(uri) };
  }
  return undefined;
}

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
function checkClient(rt: AuthRuntime, params: URLSearchParams): { client: AuthClient; redirectUri: string } {
  const clientId = params.get('client_id');
  const client = findClient(rt, clientId);
  if (!client) {
    throw new UnredirectableError('Appen er ikke registrert i journalsystemet.', `Unknown client_id ${JSON.stringify(clientId)}`);
  }
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri || params.getAll('redirect_uri').length > 1 || !client.acceptsRedirectUri(redirectUri)) {
    throw new UnredirectableError('Appen oppga en tilbakeadresse (redirect_uri) som ikke er registrert.', `Unregistered redirect_uri ${JSON.stringify(redirectUri)}`);
  }
  return { client, redirectUri };
}

/** The request's own checks; errors from here may be redirected to the (checked) redirect_uri. */
function checkRequest(rt: AuthRuntime, params: URLSearchParams, client: AuthClient, redirectUri: string): PendingAuthorization {
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
  const launch = params.get('launch');
  if (launch !== null && !scopes.includes('launch')) throw new OAuthError('invalid_scope', 'An EHR launch requires the launch scope');
  const nonce = params.get('nonce');
  const dpopJkt = params.get('dpop_jkt');
  return {
    clientId: client.clientId,
    redirectUri,
    state,
    codeChallenge,
    scopes,
    ...(nonce ? { nonce } : {}),
    ...(launch !== null ? { launch } : {}),
    ...(dpopJkt ? { dpopJkt } : {}),
  };
}

/**
 * Validates a request sent to the PAR endpoint (RFC 9126 §2.1) by an already authenticated client.
 * Errors are JSON here (no redirect), so unredirectable ones become invalid_request.
 */
export function checkPushedRequest(rt: AuthRuntime, params: URLSearchParams, client: AuthClient): PendingAuthorization {
  if (params.has('request_uri')) throw new OAuthError('invalid_request', 'request_uri is not allowed in a pushed request');
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri || !client.acceptsRedirectUri(redirectUri)) throw new OAuthError('invalid_request', 'redirect_uri is not registered for this client');
  return checkRequest(rt, params, client, redirectUri);
}

/** RFC 9126 §4: with a request_uri only the pushed parameters count; it is single-use. */
function pushedRequest(rt: AuthRuntime, params: URLSearchParams): PendingAuthorization | undefined {
  const requestUri = params.get('request_uri');
  if (requestUri === null) {
    if (rt.profile.requirePar) {
      throw new UnredirectableError(
        'Appen må sende innloggingsforespørselen til journalsystemet først (PAR).',
        'This issuer requires pushed authorization requests (request_uri)',
      );
    }
    return undefined;
  }
  const pushed = requestUri.startsWith(REQUEST_URI_PREFIX) ? rt.pushed.take(requestUri.slice(REQUEST_URI_PREFIX.length)) : undefined;
  if (!pushed || pushed.clientId !== params.get('client_id')) {
    throw new UnredirectableError('Innloggingsforespørselen er utløpt eller allerede brukt. Start appen på nytt.', 'Unknown, expired or used request_uri');
  }
  return pushed;
}

export function authorize(rt: AuthRuntime, params: URLSearchParams): AuthorizeOutcome {
  let request = pushedRequest(rt, params);
  const checked = request ? undefined : checkClient(rt, params);
  const redirectUri = request?.redirectUri ?? checked?.redirectUri ?? '';
  const state = request ? request.state : params.get('state');
  try {
    if (!request && checked) request = checkRequest(rt, params, checked.client, checked.redirectUri);
    if (!request) throw new OAuthError('invalid_request', 'No authorization request');
    if (request.launch !== undefined) {
      const context = rt.launches.get(request.launch);
      if (!context) throw new OAuthError('invalid_request', 'Unknown or expired launch');
      return { kind: 'redirect', location: issueCode(rt, request, context) };
    }
  } catch (error) {
    if (error instanceof OAuthError) {
      return { kind: 'redirect', location: errorRedirect(redirectUri, error, state) };
    }
    throw error;
  }
  const requestId = randomId();
  rt.pending.set(requestId, request, PENDING_LIFETIME_MS);
  return { kind: 'picker', requestId, pending: request };
}

/**
 * Scopes for this launch: requested ∩ what the client is registered for ∩ what the user's role may
 * have (an EPJ decides per user, issue 12 item 5); patient context only with a patient.
 */
export function scopesForLaunch(rt: AuthRuntime, request: PendingAuthorization, context: LaunchContext): string[] {
  const client = findClient(rt, request.clientId);
  let granted = grantScopes(request.scopes, client?.scopes ?? []);
  granted = scopesForRole(granted, context.user);
  // Without a patient in context there is no compartment for `patient/` scopes to mean.
  if (!context.patient) granted = granted.filter((scope) => scope !== 'launch/patient' && parseResourceScope(scope)?.context !== 'patient');
  if (context.patient && context.patientScopes) granted = restrictToPatient(granted);
  return granted;
}

/** Stores a single-use code for this request and context; returns the redirect back to the app. */
export function issueCode(rt: AuthRuntime, request: PendingAuthorization, context: LaunchContext): string {
  const scopes = scopesForLaunch(rt, request, context);
  if (scopes.length === 0) throw new OAuthError('invalid_scope', 'None of the requested scopes is registered for this app and user');
  if (context.patient !== undefined && !isFhirId(context.patient)) throw new OAuthError('invalid_request', 'Invalid patient id');
  const code = randomId();
  rt.codes.set(code, {
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    scopes,
    context,
    ...(request.nonce ? { nonce: request.nonce } : {}),
    ...(request.dpopJkt ? { dpopJkt: request.dpopJkt } : {}),
  }, CODE_LIFETIME_MS);
  const url = new URL(request.redirectUri);
  url.searchParams.set('code', code);
  url.searchParams.set('state', request.state);
  return url.href;
}

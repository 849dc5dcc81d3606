// SMART App Launch 2.x, EHR launch and standalone launch, public client with PKCE S256.
// Written against LaunchPort so it runs unchanged in the browser and in unit tests (msw).
import * as oauth from 'oauth4webapi';
import { discoverSmartConfiguration, normaliseIss, toAuthorizationServer } from './discovery';
import { LaunchError } from './errors';
import { loadHandshake, removeHandshake, saveHandshake, sweepStaleHandshakes, type Handshake } from './handshake';
import { scopesFor, type LaunchConfig } from './config';
import { splitScopes } from './grantedScopes';
import type { LaunchPort } from './port';
import { parseReference, type LaunchKind, type Session } from '../session';

/** When the token response has no `expires_in` (RFC 6749 only recommends it), assume an hour; the
 * server's 401 then tells us when it really ended. */
const DEFAULT_EXPIRES_IN_SECONDS = 3600;

export type LaunchStep =
  | { kind: 'start'; iss: string | undefined; launch: string | undefined }
  | { kind: 'callback' }
  | { kind: 'none' };

/** What the current address asks for: `/launch?iss=..` starts, `/?code=..&state=..` completes. */
export function launchStepFor(url: URL): LaunchStep {
  const params = url.searchParams;
  if (url.pathname.replace(/\/+$/, '') === '/launch') {
    return { kind: 'start', iss: params.get('iss') ?? undefined, launch: params.get('launch') ?? undefined };
  }
  if (params.has('state') || params.has('code') || params.has('error')) return { kind: 'callback' };
  return { kind: 'none' };
}

export interface StartLaunchInput {
  iss: string | undefined;
  /** The EHR's launch id; absent for a standalone launch. */
  launch: string | undefined;
}

/** Discovers the server, stores the handshake under a fresh `state` and redirects to authorize. */
export async function startLaunch(port: LaunchPort, config: LaunchConfig, input: StartLaunchInput): Promise<void> {
  if (!input.iss) throw new LaunchError('missing-iss');
  const iss = normaliseIss(input.iss);
  if (!isHttpUrl(iss)) throw new LaunchError('invalid-iss');
  const smart = await discoverSmartConfiguration(port.fetch, iss);
  const launchKind: LaunchKind = input.launch ? 'ehr' : 'standalone';
  const requestedScopes = scopesFor(config, launchKind);

  // A new state and verifier per launch; the state is never derived from the launch id (STYLE "Avoid").
  const state = oauth.generateRandomState();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const codeChallenge = await oauth.calculatePKCECodeChallenge(codeVerifier);

  const now = port.now();
  sweepStaleHandshakes(port.storage, now);
  const handshake: Handshake = {
    launchKind,
    iss,
    clientId: config.clientId,
    redirectUri: config.redirectUri,
    codeVerifier,
    requestedScopes,
    issuer: smart.issuer,
    authorizationEndpoint: smart.authorizationEndpoint,
    tokenEndpoint: smart.tokenEndpoint,
    idTokenSigningAlgs: smart.idTokenSigningAlgs ? [...smart.idTokenSigningAlgs] : undefined,
    issParameterSupported: smart.issParameterSupported,
    createdAt: now,
  };
  saveHandshake(port.storage, state, handshake);

  const authorize = new URL(smart.authorizationEndpoint);
  authorize.searchParams.set('response_type', 'code');
  authorize.searchParams.set('client_id', config.clientId);
  authorize.searchParams.set('redirect_uri', config.redirectUri);
  authorize.searchParams.set('scope', requestedScopes.join(' '));
  authorize.searchParams.set('state', state);
  authorize.searchParams.set('aud', iss);
  authorize.searchParams.set('code_challenge', codeChallenge);
  authorize.searchParams.set('code_challenge_method', 'S256');
  if (input.launch) authorize.searchParams.set('launch', input.launch);
  port.redirect(authorize.href);
}

/**
 * Handles the authorization response at the redirect URI: validates `state` against this tab's
 * handshakes, exchanges the code (with the PKCE verifier) and returns the in-memory session. The
 * address bar is always reset to `/`, so neither code nor state stays in history or a bookmark.
 */
export async function completeLaunch(port: LaunchPort, callbackUrl: URL): Promise<Session> {
  const state = callbackUrl.searchParams.get('state');
  try {
    const handshake = state ? loadHandshake(port.storage, state, port.now()) : undefined;
    if (!state || !handshake) throw new LaunchError('unknown-state');
    try {
      return await exchangeCode(port, callbackUrl, state, handshake);
    } finally {
      removeHandshake(port.storage, state);
    }
  } finally {
    port.replaceUrl('/');
  }
}

async function exchangeCode(port: LaunchPort, callbackUrl: URL, state: string, handshake: Handshake): Promise<Session> {
  const as = toAuthorizationServer({
    issuer: handshake.issuer,
    authorizationEndpoint: handshake.authorizationEndpoint,
    tokenEndpoint: handshake.tokenEndpoint,
    codeChallengeMethods: ['S256'],
    idTokenSigningAlgs: handshake.idTokenSigningAlgs,
    issParameterSupported: handshake.issParameterSupported,
  });
  const client: oauth.Client = { client_id: handshake.clientId };
  const options = {
    [oauth.customFetch]: port.fetch,
    // oauth4webapi insists on https; the local sandbox EPJ is plain http on loopback only.
    [oauth.allowInsecureRequests]: isLoopback(handshake.tokenEndpoint),
  };

  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client, callbackUrl.searchParams, state);
  } catch (cause) {
    if (cause instanceof oauth.AuthorizationResponseError) {
      throw new LaunchError('authorization-denied', { detail: cause.error, cause: safeCause(cause) });
    }
    throw new LaunchError('token-error', { detail: 'ugyldig svar fra pålogging', cause: safeCause(cause) });
  }

  let token: oauth.TokenEndpointResponse;
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      handshake.redirectUri,
      handshake.codeVerifier,
      options,
    );
    token = await oauth.processAuthorizationCodeResponse(as, client, response);
  } catch (cause) {
    const detail = cause instanceof oauth.ResponseBodyError ? cause.error : undefined;
    throw new LaunchError('token-error', { detail, cause: safeCause(cause) });
  }
  return sessionFromToken(token, handshake, port.now());
}

// The session is built from the token response's SMART context parameters (SMART 2.x "Launch context").
function sessionFromToken(token: oauth.TokenEndpointResponse, handshake: Handshake, now: number): Session {
  const expiresIn = typeof token.expires_in === 'number' ? token.expires_in : DEFAULT_EXPIRES_IN_SECONDS;
  const granted = typeof token.scope === 'string' ? splitScopes(token.scope) : handshake.requestedScopes;
  const claims = oauth.getValidatedIdTokenClaims(token);
  const fhirUserRaw = stringParam(token.fhirUser) ?? stringParam(claims?.['fhirUser']);
  const fhirUser = parseReference(fhirUserRaw);
  return {
    launchKind: handshake.launchKind,
    fhirBaseUrl: handshake.iss,
    accessToken: token.access_token,
    expiresAt: now + expiresIn * 1000,
    grantedScopes: granted,
    requestedScopes: handshake.requestedScopes,
    patientId: stringParam(token.patient),
    encounterId: stringParam(token.encounter),
    needPatientBanner: token.need_patient_banner !== false,
    fhirUser: fhirUser ? `${fhirUser.resourceType}/${fhirUser.id}` : undefined,
  };
}

function stringParam(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function isLoopback(url: string): boolean {
  const { hostname } = new URL(url);
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

// oauth4webapi errors may hold the token Response or body as `cause`; keep only the message so nothing
// token-bearing travels on into stores, logs or error reports.
function safeCause(cause: unknown): Error | undefined {
  return cause instanceof Error ? new Error(cause.message) : undefined;
}

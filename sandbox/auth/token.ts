// The token endpoint (RFC 6749 §3.2): authorization_code with PKCE, by the public app (no client
// authentication) or a confidential client (private_key_jwt); refresh_token (confidential clients,
// rotated); client_credentials with a signed JWT assertion for the backend client (SMART Backend
// Services, RFC 7523 §3). DPoP (RFC 9449 §5) binds the access token to the proof's key when a proof is
// sent, and is required where the profile says so.
import { assertionIssuer, JWT_BEARER_ASSERTION, verifyClientAssertion } from './clients';
import { findClient, type AuthClient } from './authorize';
import { DpopError } from './dpop';
import { OAuthError } from './errors';
import { verifyS256 } from './pkce';
import { BACKEND_TOKEN_LIFETIME_SECONDS, MAX_REFRESH_LIFETIME_SECONDS, SPENT_CODE_MEMORY_MS, type AuthRuntime, type CodeGrant, type RefreshGrant } from './runtime';
import { grantScopes, splitScopes } from './scopes';
import { randomId } from './store';
import type { AuthRequest } from './types';

export { JWT_BEARER_ASSERTION } from './clients';

export type TokenResponse = Record<string, string | number | boolean>;
export interface TokenReply {
  body: TokenResponse;
  headers: Record<string, string>;
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (!value) throw new OAuthError('invalid_request', `${name} is required`);
  if (form.getAll(name).length > 1) throw new OAuthError('invalid_request', `${name} repeated`);
  return value;
}

export async function exchangeToken(rt: AuthRuntime, form: URLSearchParams, request: AuthRequest): Promise<TokenReply> {
  const grantType = required(form, 'grant_type');
  if (grantType === 'authorization_code') return authorizationCodeGrant(rt, form, request);
  if (grantType === 'refresh_token') return refreshTokenGrant(rt, form, request);
  if (grantType === 'client_credentials') return clientCredentialsGrant(rt, form, request);
  throw new OAuthError('unsupported_grant_type', `grant_type ${grantType} is not supported`);
}

/**
 * Who is asking: a confidential client proves it with a `private_key_jwt` assertion (its registered
 * JWKS); the public app only names itself. The backend client is not accepted here.
 */
export async function authenticateClient(rt: AuthRuntime, form: URLSearchParams): Promise<AuthClient> {
  const assertion = form.get('client_assertion');
  const assertionType = form.get('client_assertion_type');
  const clientIdParam = form.get('client_id');
  if (assertion === null && assertionType === null) {
    const client = findClient(rt, clientIdParam);
    if (!client) throw new OAuthError('invalid_client', 'Unknown client or client not allowed at this issuer');
    if (client.confidential) throw new OAuthError('invalid_client', 'This client must authenticate with private_key_jwt');
    return client;
  }
  if (assertionType !== JWT_BEARER_ASSERTION) throw new OAuthError('invalid_client', `client_assertion_type must be ${JWT_BEARER_ASSERTION}`);
  if (!assertion) throw new OAuthError('invalid_client', 'client_assertion is required');
  const claimed = assertionIssuer(assertion);
  const client = typeof claimed === 'string' ? findClient(rt, claimed) : undefined;
  if (!client?.confidential || (clientIdParam !== null && clientIdParam !== client.clientId)) throw new OAuthError('invalid_client', 'Unknown client');
  await verifyClientAssertion(assertion, {
    clientId: client.clientId,
    keys: client.confidential.keys,
    audiences: [rt.tokenUrl, rt.issuer, rt.parUrl],
    now: rt.now(),
    seen: rt.assertionIds,
  });
  return client;
}

/**
 * The DPoP proof of a token or PAR request (RFC 9449 §5, §10.1): the key thumbprint, or undefined when
 * none was sent and the profile does not require one. A missing or stale nonce is `use_dpop_nonce`
 * with a fresh `DPoP-Nonce`, which clients (oauth4webapi's DPoP handle) retry with.
 */
export async function tokenEndpointProof(rt: AuthRuntime, request: AuthRequest, url: string): Promise<string | undefined> {
  const proof = request.headers.dpop;
  if (proof === undefined) {
    if (rt.profile.requireDpop) throw new OAuthError('invalid_dpop_proof', 'This issuer requires a DPoP proof (DPoP header)', nonceHeader(rt));
    return undefined;
  }
  try {
    return (await rt.dpop.verify({ proof, method: 'POST', url, now: rt.now() })).jkt;
  } catch (error) {
    if (!(error instanceof DpopError)) throw error;
    throw new OAuthError(error.useNonce ? 'use_dpop_nonce' : 'invalid_dpop_proof', error.message, nonceHeader(rt));
  }
}

export function nonceHeader(rt: AuthRuntime): Record<string, string> {
  return { 'DPoP-Nonce': rt.dpop.currentNonce(rt.now()) };
}

async function authorizationCodeGrant(rt: AuthRuntime, form: URLSearchParams, request: AuthRequest): Promise<TokenReply> {
  const client = await authenticateClient(rt, form);
  const code = required(form, 'code');
  const redirectUri = required(form, 'redirect_uri');
  const verifier = required(form, 'code_verifier');
  // Before the code is spent: a client told to retry with our nonce retries with the same code.
  const jkt = await tokenEndpointProof(rt, request, rt.tokenUrl);
  const grant = rt.codes.get(code);
  if (!grant) throw new OAuthError('invalid_grant', 'Authorization code unknown, expired or already used');
  if (grant.grantId) {
    // RFC 6749 §4.1.2: a code used twice revokes what it was first exchanged for.
    rt.tokens.revokeGrant(grant.grantId, revocationSeconds(rt));
    throw new OAuthError('invalid_grant', 'Authorization code already used; the tokens issued for it are revoked');
  }
  // Spent on first presentation, whatever the outcome; remembered to recognise a replay.
  const grantId = randomId();
  rt.codes.set(code, { ...grant, grantId }, SPENT_CODE_MEMORY_MS);
  if (grant.clientId !== client.clientId) throw new OAuthError('invalid_grant', 'Code was issued to another client');
  if (grant.redirectUri !== redirectUri) throw new OAuthError('invalid_grant', 'redirect_uri differs from the authorization request');
  if (!verifyS256(verifier, grant.codeChallenge)) throw new OAuthError('invalid_grant', 'code_verifier does not match code_challenge');
  if (grant.dpopJkt && grant.dpopJkt !== jkt) throw new OAuthError('invalid_dpop_proof', 'The code is bound to another DPoP key (dpop_jkt)');
  return issueUserTokens(rt, client, grant, grantId, jkt, true);
}

async function issueUserTokens(
  rt: AuthRuntime,
  client: AuthClient,
  grant: Pick<CodeGrant, 'scopes' | 'context' | 'nonce'>,
  grantId: string,
  jkt: string | undefined,
  withRefresh: boolean,
): Promise<TokenReply> {
  const { context, scopes } = grant;
  const fhirUser = `Practitioner/${context.user.id}`;
  const lifetime = context.tokenLifetimeSeconds ?? rt.accessTokenLifetimeSeconds;
  const access = await rt.tokens.accessToken({
    kind: 'user',
    clientId: client.clientId,
    subject: context.user.id,
    scopes,
    fhirUser,
    grantId,
    ...(jkt ? { jkt } : {}),
    ...(context.patient ? { patient: context.patient } : {}),
    ...(context.encounter ? { encounter: context.encounter } : {}),
  }, lifetime);
  const body: TokenResponse = {
    access_token: access.token,
    token_type: jkt ? 'DPoP' : 'Bearer',
    expires_in: lifetime,
    scope: scopes.join(' '),
    need_patient_banner: context.needPatientBanner,
  };
  if (context.patient) body.patient = context.patient;
  if (context.encounter) body.encounter = context.encounter;
  if (scopes.includes('openid')) {
    body.id_token = await rt.tokens.idToken({
      clientId: client.clientId,
      userId: context.user.id,
      name: context.user.name,
      // SMART 2.2 §"Scopes for requesting identity data": the user's identity only with `openid fhirUser`.
      ...(scopes.includes('fhirUser') ? { fhirUser } : {}),
      ...(grant.nonce ? { nonce: grant.nonce } : {}),
    }, lifetime);
  }
  if (withRefresh && client.confidential && (rt.profile.alwaysRefresh || scopes.includes('offline_access'))) {
    const lifetimeSeconds = context.refreshTokenLifetimeSeconds ?? rt.refreshTokenLifetimeSeconds;
    body.refresh_token = storeRefreshToken(rt, { clientId: client.clientId, grantId, scopes, context, expiresAt: Math.floor(rt.now() / 1000) + lifetimeSeconds, spent: false });
  }
  return { body, headers: jkt || rt.profile.requireDpop ? nonceHeader(rt) : {} };
}

/** A revoked grant is remembered as long as any token from it could still be valid. */
function revocationSeconds(rt: AuthRuntime): number {
  return Math.max(rt.refreshTokenLifetimeSeconds, MAX_REFRESH_LIFETIME_SECONDS) + rt.accessTokenLifetimeSeconds;
}

function storeRefreshToken(rt: AuthRuntime, grant: RefreshGrant): string {
  const token = randomId();
  rt.tokens.issued.add(token);
  rt.refreshTokens.set(token, grant, Math.max(0, grant.expiresAt * 1000 - rt.now()));
  return token;
}

/**
 * RFC 6749 §6 with rotation (OAuth 2.0 Security BCP, RFC 9700 §4.14.2): each refresh token works once;
 * presenting a spent one revokes the grant. Confidential clients' refresh tokens are bound to the client
 * (its assertion), not to a DPoP key (RFC 9449 §5); the new access token is bound to this request's proof.
 */
async function refreshTokenGrant(rt: AuthRuntime, form: URLSearchParams, request: AuthRequest): Promise<TokenReply> {
  const client = await authenticateClient(rt, form);
  if (!client.confidential) throw new OAuthError('unauthorized_client', 'Only confidential clients get refresh tokens');
  const token = required(form, 'refresh_token');
  const jkt = await tokenEndpointProof(rt, request, rt.tokenUrl);
  const grant = rt.refreshTokens.get(token);
  if (!grant || grant.clientId !== client.clientId) throw new OAuthError('invalid_grant', 'Refresh token unknown or expired');
  if (grant.spent || rt.tokens.isRevoked(grant.grantId)) {
    rt.tokens.revokeGrant(grant.grantId, revocationSeconds(rt));
    throw new OAuthError('invalid_grant', 'Refresh token already used; the grant is revoked');
  }
  const requested = splitScopes(form.get('scope'));
  // RFC 6749 §6: a refresh may narrow the scope, never widen it.
  const scopes = requested.length > 0 ? grantScopes(requested, grant.scopes) : grant.scopes;
  if (scopes.length === 0) throw new OAuthError('invalid_scope', 'None of the requested scopes was granted originally');
  grant.spent = true;
  const reply = await issueUserTokens(rt, client, { scopes, context: grant.context }, grant.grantId, jkt, false);
  reply.body.refresh_token = storeRefreshToken(rt, { ...grant, scopes, spent: false });
  return reply;
}

async function clientCredentialsGrant(rt: AuthRuntime, form: URLSearchParams, request: AuthRequest): Promise<TokenReply> {
  if (form.get('client_assertion_type') !== JWT_BEARER_ASSERTION) {
    throw new OAuthError('invalid_client', `client_assertion_type must be ${JWT_BEARER_ASSERTION}`);
  }
  const assertion = form.get('client_assertion');
  if (!assertion) throw new OAuthError('invalid_client', 'client_assertion is required');
  const claimed = assertionIssuer(assertion);
  const backend = claimed === rt.clients.backend.clientId ? rt.clients.backend : typeof claimed === 'string' ? rt.clients.otherBackends.get(claimed) : undefined;
  const clientIdParam = form.get('client_id');
  if (!backend || (clientIdParam !== null && clientIdParam !== backend.clientId)) {
    throw new OAuthError('invalid_client', 'Unknown client');
  }
  await verifyClientAssertion(assertion, {
    clientId: backend.clientId,
    keys: backend.keys,
    audiences: [rt.tokenUrl, rt.issuer],
    now: rt.now(),
    seen: rt.assertionIds,
  });
  // DPoP-bound when a proof comes with the request (required by the HelseID-like issuer; RFC 9449 §5).
  const jkt = await tokenEndpointProof(rt, request, rt.tokenUrl);
  const scopes = grantScopes(splitScopes(form.get('scope')), backend.scopes);
  if (scopes.length === 0) throw new OAuthError('invalid_scope', `No requested scope is registered; registered: ${backend.scopes.join(' ')}`);
  const access = await rt.tokens.accessToken({ kind: 'backend', clientId: backend.clientId, subject: backend.clientId, scopes, ...(jkt ? { jkt } : {}) }, BACKEND_TOKEN_LIFETIME_SECONDS);
  const body = { access_token: access.token, token_type: jkt ? 'DPoP' : 'Bearer', expires_in: BACKEND_TOKEN_LIFETIME_SECONDS, scope: scopes.join(' ') };
  return { body, headers: jkt || rt.profile.requireDpop ? nonceHeader(rt) : {} };
}

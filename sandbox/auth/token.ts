// The token endpoint (RFC 6749 §3.2): authorization_code with PKCE for the app (a public client), and
// client_credentials with a signed JWT assertion for the backend client (SMART Backend Services,
// RFC 7523 §3).
import { decodeJwt, errors, jwtVerify } from 'jose';
import { OAuthError } from './errors';
import { verifyS256 } from './pkce';
import { BACKEND_TOKEN_LIFETIME_SECONDS, type AuthRuntime } from './runtime';
import { grantScopes, splitScopes } from './scopes';

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** SMART Backend Services: the assertion's exp is at most five minutes in the future. */
const MAX_ASSERTION_LIFETIME_SECONDS = 300;
/** Tolerated clock difference between the sweep's machine and ours. */
const CLOCK_TOLERANCE_SECONDS = 10;

export type TokenResponse = Record<string, string | number | boolean>;

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (!value) throw new OAuthError('invalid_request', `${name} is required`);
  if (form.getAll(name).length > 1) throw new OAuthError('invalid_request', `${name} repeated`);
  return value;
}

export async function exchangeToken(rt: AuthRuntime, form: URLSearchParams): Promise<TokenResponse> {
  const grantType = required(form, 'grant_type');
  if (grantType === 'authorization_code') return authorizationCodeGrant(rt, form);
  if (grantType === 'client_credentials') return clientCredentialsGrant(rt, form);
  throw new OAuthError('unsupported_grant_type', `grant_type ${grantType} is not supported`);
}

async function authorizationCodeGrant(rt: AuthRuntime, form: URLSearchParams): Promise<TokenResponse> {
  const clientId = required(form, 'client_id');
  if (clientId !== rt.app.clientId) throw new OAuthError('invalid_client', 'Unknown client or client not allowed this grant');
  const code = required(form, 'code');
  const redirectUri = required(form, 'redirect_uri');
  const verifier = required(form, 'code_verifier');
  // Taken before any check: a code that has been presented once is spent, whatever the outcome.
  const grant = rt.codes.take(code);
  if (!grant) throw new OAuthError('invalid_grant', 'Authorization code unknown, expired or already used');
  if (grant.clientId !== clientId) throw new OAuthError('invalid_grant', 'Code was issued to another client');
  if (grant.redirectUri !== redirectUri) throw new OAuthError('invalid_grant', 'redirect_uri differs from the authorization request');
  if (!verifyS256(verifier, grant.codeChallenge)) throw new OAuthError('invalid_grant', 'code_verifier does not match code_challenge');

  const { context } = grant;
  const fhirUser = `Practitioner/${context.user.id}`;
  const lifetime = context.tokenLifetimeSeconds ?? rt.accessTokenLifetimeSeconds;
  const access = await rt.tokens.accessToken({
    kind: 'user',
    clientId,
    subject: context.user.id,
    scopes: grant.scopes,
    fhirUser,
    ...(context.patient ? { patient: context.patient } : {}),
    ...(context.encounter ? { encounter: context.encounter } : {}),
  }, lifetime);
  const response: TokenResponse = {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: lifetime,
    scope: grant.scopes.join(' '),
    need_patient_banner: context.needPatientBanner,
    fhirUser,
  };
  if (context.patient) response.patient = context.patient;
  if (context.encounter) response.encounter = context.encounter;
  if (grant.scopes.includes('openid')) {
    response.id_token = await rt.tokens.idToken({
      clientId,
      userId: context.user.id,
      name: context.user.name,
      ...(grant.scopes.includes('fhirUser') ? { fhirUser } : {}),
      ...(grant.nonce ? { nonce: grant.nonce } : {}),
    }, lifetime);
  }
  return response;
}

async function clientCredentialsGrant(rt: AuthRuntime, form: URLSearchParams): Promise<TokenResponse> {
  if (form.get('client_assertion_type') !== JWT_BEARER_ASSERTION) {
    throw new OAuthError('invalid_client', `client_assertion_type must be ${JWT_BEARER_ASSERTION}`);
  }
  const assertion = form.get('client_assertion');
  if (!assertion) throw new OAuthError('invalid_client', 'client_assertion is required');
  const clientId = await verifyClientAssertion(rt, assertion, form.get('client_id'));
  const scopes = grantScopes(splitScopes(form.get('scope')), rt.backend.scopes);
  if (scopes.length === 0) throw new OAuthError('invalid_scope', `No requested scope is registered; registered: ${rt.backend.scopes.join(' ')}`);
  const access = await rt.tokens.accessToken({ kind: 'backend', clientId, subject: clientId, scopes }, BACKEND_TOKEN_LIFETIME_SECONDS);
  return { access_token: access.token, token_type: 'Bearer', expires_in: BACKEND_TOKEN_LIFETIME_SECONDS, scope: scopes.join(' ') };
}

/**
 * RFC 7523 §3 as profiled by SMART Backend Services: iss = sub = client_id, aud = the token URL, exp at
 * most 5 minutes ahead, jti never seen before. We also accept aud = our issuer, which RFC 7523 allows
 * and oauth4webapi's PrivateKeyJwt sends by default.
 */
async function verifyClientAssertion(rt: AuthRuntime, assertion: string, clientIdParam: string | null): Promise<string> {
  let claimedClient: unknown;
  try {
    claimedClient = decodeJwt(assertion).iss;
  } catch {
    throw new OAuthError('invalid_client', 'client_assertion is not a JWT');
  }
  const { clientId, publicKey } = rt.backend;
  if (claimedClient !== clientId || (clientIdParam !== null && clientIdParam !== clientId)) {
    throw new OAuthError('invalid_client', 'Unknown client');
  }
  let exp: number | undefined;
  let jti: string | undefined;
  try {
    const { payload } = await jwtVerify(assertion, publicKey, {
      issuer: clientId,
      subject: clientId,
      audience: [rt.tokenUrl, rt.issuer],
      algorithms: ['ES256'],
      requiredClaims: ['exp', 'jti'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: new Date(rt.now()),
    });
    ({ exp, jti } = payload);
  } catch (error) {
    const reason = error instanceof errors.JOSEError ? error.code : 'invalid';
    throw new OAuthError('invalid_client', `client_assertion rejected (${reason})`);
  }
  const nowSeconds = Math.floor(rt.now() / 1000);
  if (exp === undefined || !jti) throw new OAuthError('invalid_client', 'client_assertion needs exp and jti');
  if (exp > nowSeconds + MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) {
    throw new OAuthError('invalid_client', 'client_assertion exp is more than 5 minutes ahead');
  }
  const replayKey = `${clientId} ${jti}`;
  if (rt.assertionIds.has(replayKey)) throw new OAuthError('invalid_client', 'client_assertion jti already used');
  // Remembered until the assertion could no longer be accepted anyway.
  rt.assertionIds.set(replayKey, true, (exp - nowSeconds + CLOCK_TOLERANCE_SECONDS + 1) * 1000);
  return clientId;
}

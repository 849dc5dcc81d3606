// Confidential clients (SMART "client-confidential-asymmetric", HelseID's only client type): registered
// by public key (a JWKS), authenticated at the token and PAR endpoints with `private_key_jwt`
// (RFC 7523 §2.2, OpenID Connect Core §9). The app server (BFF) is one: `primaerhelseteam-server`.
import { createLocalJWKSet, decodeJwt, errors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { OAuthError } from './errors';
import type { ExpiringStore } from './store';

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/**
 * Accepted `alg`s for client assertions: HelseID's RS256/PS256/ES256 and SMART 2.2's RS384/ES384
 * ("client-confidential-asymmetric" SHALL support both).
 */
export const CLIENT_ASSERTION_ALGS = ['RS256', 'RS384', 'PS256', 'ES256', 'ES384'];
/** SMART Backend Services: the assertion's exp is at most five minutes in the future. */
const MAX_ASSERTION_LIFETIME_SECONDS = 300;
/** Tolerated clock difference between the client's machine and ours. */
export const CLOCK_TOLERANCE_SECONDS = 10;

/** How a confidential client is registered (the sandbox's `confidentialClients` option, `--client-jwks`). */
export interface ConfidentialClientOptions {
  clientId: string;
  /** Public keys only; assertions are checked against the key with the assertion's `kid`. */
  jwks: JSONWebKeySet;
  redirectUris: string[];
  /** Where the EPJ's launch page sends the user (`?iss=&launch=`). */
  launchUri: string;
  /** Registered scopes; default: the app's manifest scopes plus `offline_access`. */
  scope?: string;
  clientName?: string;
}

export class ConfidentialClient {
  readonly clientId: string;
  readonly clientName: string;
  readonly launchUri: URL;
  readonly scope: string | undefined;
  readonly keys: JWTVerifyGetKey;
  private readonly redirectUris: Set<string>;

  constructor(options: ConfidentialClientOptions) {
    if (!Array.isArray(options.jwks?.keys) || options.jwks.keys.length === 0) {
      throw new Error(`Confidential client ${options.clientId}: the JWKS has no keys`);
    }
    if (options.jwks.keys.some((key) => 'd' in key || 'p' in key || 'k' in key)) {
      throw new Error(`Confidential client ${options.clientId}: the JWKS must hold public keys only`);
    }
    this.clientId = options.clientId;
    this.clientName = options.clientName ?? options.clientId;
    this.launchUri = new URL(options.launchUri);
    this.scope = options.scope;
    this.keys = createLocalJWKSet(options.jwks);
    this.redirectUris = new Set(options.redirectUris.map((uri) => new URL(uri).href));
  }

  /** Exact match (RFC 9700 §4.1.3). */
  acceptsRedirectUri(redirectUri: string): boolean {
    return this.redirectUris.has(redirectUri);
  }

  acceptsOrigin(origin: string): boolean {
    return [...this.redirectUris].some((uri) => new URL(uri).origin === origin) || this.launchUri.origin === origin;
  }
}

export interface AssertionCheck {
  /** The client the assertion must be from. */
  clientId: string;
  keys: JWTVerifyGetKey;
  /** RFC 7523 §3: the token endpoint URL; the issuer and the PAR endpoint (RFC 9126 §2) are accepted too. */
  audiences: string[];
  now: number;
  /** Seen `jti`s, remembered while the assertion could still be accepted. */
  seen: ExpiringStore<true>;
}

/** The client an assertion claims to be (`iss`), before it is verified: picks the registration. */
export function assertionIssuer(assertion: string): unknown {
  try {
    return decodeJwt(assertion).iss;
  } catch {
    throw new OAuthError('invalid_client', 'client_assertion is not a JWT');
  }
}

/**
 * RFC 7523 §3 as profiled by SMART Backend Services and SMART "client-confidential-asymmetric":
 * iss = sub = client_id, aud = the token URL (or the issuer), exp at most 5 minutes ahead, `iat` not in
 * the future, `jti` never seen before, signed by a registered key (an unknown `kid` is refused).
 */
export async function verifyClientAssertion(assertion: string, check: AssertionCheck): Promise<void> {
  let exp: number | undefined;
  let jti: string | undefined;
  let iat: number | undefined;
  try {
    const options = {
      issuer: check.clientId,
      subject: check.clientId,
      audience: check.audiences,
      algorithms: CLIENT_ASSERTION_ALGS,
      requiredClaims: ['exp', 'jti'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: new Date(check.now),
    };
    ({ payload: { exp, jti, iat } } = await jwtVerify(assertion, check.keys, options));
  } catch (error) {
    const reason = error instanceof errors.JWKSNoMatchingKey ? 'no registered key matches its kid and alg' : error instanceof errors.JOSEError ? error.code : 'invalid';
    throw new OAuthError('invalid_client', `client_assertion rejected (${reason})`);
  }
  const nowSeconds = Math.floor(check.now / 1000);
  if (exp === undefined || !jti) throw new OAuthError('invalid_client', 'client_assertion needs exp and jti');
  // RFC 7519 leaves iat optional; when given it must not be in the future (SMART 2.2 conformance).
  if (iat !== undefined && iat > nowSeconds + CLOCK_TOLERANCE_SECONDS) throw new OAuthError('invalid_client', 'client_assertion iat is in the future');
  if (exp > nowSeconds + MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) {
    throw new OAuthError('invalid_client', 'client_assertion exp is more than 5 minutes ahead');
  }
  const replayKey = `${check.clientId} ${jti}`;
  if (check.seen.has(replayKey)) throw new OAuthError('invalid_client', 'client_assertion jti already used');
  check.seen.set(replayKey, true, (exp - nowSeconds + CLOCK_TOLERANCE_SECONDS + 1) * 1000);
}

// Access tokens and id_tokens: JWTs signed with the EPJ's keys (jose). Access tokens follow RFC 9068
// (`typ: at+jwt`, iss, aud = the FHIR base URL, sub, client_id, scope), carry the SMART launch context
// and, when DPoP-bound, `cnf.jkt` (RFC 9449 §6), so the FHIR server can enforce them without calling back
// (sandbox/auth/types.ts). id_tokens are RS256 (SMART 2.2 "sso-openid-connect").
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { DPOP_ALGS, DpopError, type DpopVerifier } from './dpop';
import type { KeyPair } from './keys';
import type { Profile } from './runtime';
import { randomId, type ExpiringStore } from './store';
import { AuthenticationError, type AccessContext, type AuthRequest } from './types';

const ACCESS_TOKEN_TYP = 'at+jwt';
/**
 * Longer than any access token we issue: set so that jose checks that `iat` is not in the future (SMART
 * 2.2 conformance). No clock tolerance: we sign and verify with the same clock.
 */
const MAX_ACCESS_TOKEN_AGE_SECONDS = 7 * 24 * 3600;

export interface AccessGrant {
  kind: AccessContext['kind'];
  clientId: string;
  /** Practitioner id for user grants, the client id for backend grants. */
  subject: string;
  scopes: string[];
  fhirUser?: string;
  patient?: string;
  encounter?: string;
  /** DPoP key thumbprint the token is bound to (RFC 9449 §6.1). */
  jkt?: string;
  /** The grant (code exchange) this token comes from: revoking it revokes the token. */
  grantId?: string;
}

export interface IssuedToken {
  token: string;
  /** Seconds since epoch. */
  expiresAt: number;
}

export interface TokenKeys {
  access: KeyPair;
  idToken: KeyPair;
}

/**
 * Every secret the sandbox handed a client (access tokens, id_tokens, refresh tokens), newest last: what a
 * real EPJ's audit would know it issued. The token-leak browser tests search the page for each of them.
 * Bounded, so a long `npm start` does not grow without end.
 */
export class IssuedSecrets {
  private readonly secrets: string[] = [];
  constructor(private readonly max = 10_000) {}

  add(secret: string): void {
    this.secrets.push(secret);
    if (this.secrets.length > this.max) this.secrets.splice(0, this.secrets.length - this.max);
  }

  all(): readonly string[] {
    return this.secrets;
  }
}

export class TokenService {
  constructor(
    private readonly keys: TokenKeys,
    private readonly profile: Profile,
    private readonly now: () => number,
    private readonly dpop: DpopVerifier,
    /** Grant ids revoked (a replayed code or refresh token), shared by both issuers. */
    private readonly revokedGrants: ExpiringStore<true>,
    readonly issued: IssuedSecrets = new IssuedSecrets(),
  ) {}

  private nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  isRevoked(grantId: string): boolean {
    return this.revokedGrants.has(grantId);
  }

  revokeGrant(grantId: string, forSeconds: number): void {
    this.revokedGrants.set(grantId, true, forSeconds * 1000);
  }

  async accessToken(grant: AccessGrant, lifetimeSeconds: number): Promise<IssuedToken> {
    const issuedAt = this.nowSeconds();
    const expiresAt = issuedAt + lifetimeSeconds;
    const claims: JWTPayload = {
      client_id: grant.clientId,
      scope: grant.scopes.join(' '),
      kind: grant.kind,
      ...(grant.fhirUser ? { fhirUser: grant.fhirUser } : {}),
      ...(grant.patient ? { patient: grant.patient } : {}),
      ...(grant.encounter ? { encounter: grant.encounter } : {}),
      ...(grant.jkt ? { cnf: { jkt: grant.jkt } } : {}),
      ...(grant.grantId ? { gid: grant.grantId } : {}),
    };
    const key = this.keys.access;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ACCESS_TOKEN_TYP })
      .setIssuer(this.profile.issuer)
      .setAudience(this.profile.fhirBaseUrl)
      .setSubject(grant.subject)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomId())
      .sign(key.privateKey);
    this.issued.add(token);
    return { token, expiresAt };
  }

  /** OpenID Connect Core §2 id_token; SMART adds the `fhirUser` claim when that scope is granted. */
  async idToken(input: { clientId: string; userId: string; fhirUser?: string; name?: string; nonce?: string }, lifetimeSeconds: number): Promise<string> {
    const issuedAt = this.nowSeconds();
    const claims: JWTPayload = {
      ...(input.fhirUser ? { fhirUser: input.fhirUser } : {}),
      ...(input.name ? { name: input.name } : {}),
      ...(input.nonce ? { nonce: input.nonce } : {}),
      auth_time: issuedAt,
    };
    const key = this.keys.idToken;
    const idToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setIssuer(this.profile.issuer)
      .setAudience(input.clientId)
      .setSubject(input.userId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + lifetimeSeconds)
      .sign(key.privateKey);
    this.issued.add(idToken);
    return idToken;
  }

  /** RFC 9449 §7.1: the challenge for a DPoP failure, with a fresh nonce when that is what is missing. */
  private dpopFailure(message: string, useNonce: boolean): AuthenticationError {
    const code = useNonce ? 'use_dpop_nonce' : 'invalid_dpop_proof';
    const headers: Record<string, string> = {
      'WWW-Authenticate': `DPoP error="${code}", error_description="${message.replace(/"/g, "'")}", algs="${DPOP_ALGS.join(' ')}"`,
    };
    if (useNonce) headers['DPoP-Nonce'] = this.dpop.currentNonce(this.now());
    return new AuthenticationError(message, headers);
  }

  private invalidToken(message: string): AuthenticationError {
    if (!this.profile.requireDpop) return new AuthenticationError(message);
    return new AuthenticationError(message, {
      'WWW-Authenticate': `DPoP error="invalid_token", error_description="${message.replace(/"/g, "'")}", algs="${DPOP_ALGS.join(' ')}"`,
    });
  }

  /**
   * RFC 6750 / RFC 9449 §7: `Bearer <jwt>` for unbound tokens, `DPoP <jwt>` plus a `DPoP` proof header
   * for bound ones. A bound token sent as Bearer is refused (§7.2), and so is any unbound token where
   * the profile requires DPoP.
   */
  async authenticate(authorizationHeader: string | undefined, request: AuthRequest | undefined): Promise<AccessContext> {
    const match = /^(Bearer|DPoP) +([A-Za-z0-9\-_.]+)\s*$/i.exec(authorizationHeader ?? '');
    if (!match?.[1] || !match[2]) {
      if (this.profile.requireDpop && !authorizationHeader) {
        throw new AuthenticationError('A DPoP-bound access token is required', { 'WWW-Authenticate': `DPoP algs="${DPOP_ALGS.join(' ')}"` });
      }
      throw this.invalidToken(`Missing or malformed ${this.profile.requireDpop ? 'DPoP' : 'Bearer'} token`);
    }
    const scheme = match[1].toLowerCase();
    const token = match[2];
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys.access.publicKey, {
        issuer: this.profile.issuer,
        audience: this.profile.fhirBaseUrl,
        algorithms: [this.keys.access.alg],
        // Rejects id_tokens and other JWTs we sign that are not access tokens (RFC 9068 §4).
        typ: ACCESS_TOKEN_TYP,
        requiredClaims: ['exp', 'iat', 'sub', 'scope', 'client_id'],
        maxTokenAge: MAX_ACCESS_TOKEN_AGE_SECONDS,
        currentDate: new Date(this.now()),
      }));
    } catch (error) {
      throw this.invalidToken(describeJoseError(error));
    }
    if (typeof payload.gid === 'string' && this.revokedGrants.has(payload.gid)) throw this.invalidToken('Access token revoked');
    const jkt = boundKey(payload);
    if (jkt === undefined) {
      if (scheme === 'dpop') throw this.invalidToken('Access token is not DPoP-bound; send it as Bearer');
      if (this.profile.requireDpop) throw this.invalidToken('This FHIR base requires DPoP-bound access tokens');
    } else {
      if (scheme !== 'dpop') throw this.invalidToken('DPoP-bound access token sent as Bearer (RFC 9449 §7.2)');
      if (!request) throw this.dpopFailure('DPoP proof cannot be checked here', false);
      try {
        const proof = await this.dpop.verify({ proof: request.headers.dpop, method: request.method, url: request.url, accessToken: token, now: this.now() });
        if (proof.jkt !== jkt) throw new DpopError('DPoP proof key is not the key the token is bound to');
      } catch (error) {
        if (error instanceof DpopError) throw this.dpopFailure(error.message, error.useNonce);
        throw error;
      }
    }
    return toAccessContext(payload);
  }
}

function boundKey(payload: JWTPayload): string | undefined {
  const cnf = payload.cnf;
  if (cnf === undefined) return undefined;
  if (typeof cnf !== 'object' || cnf === null || !('jkt' in cnf) || typeof cnf.jkt !== 'string') {
    throw new AuthenticationError('Access token cnf malformed');
  }
  return cnf.jkt;
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'Access token expired';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'Access token signature invalid';
  if (error instanceof errors.JWTClaimValidationFailed) return `Access token claim "${error.claim}" invalid`;
  if (error instanceof errors.JOSEError) return `Access token invalid (${error.code})`;
  return 'Access token invalid';
}

function toAccessContext(payload: JWTPayload): AccessContext {
  const { kind, client_id: clientId, scope, fhirUser, patient, exp } = payload;
  if ((kind !== 'user' && kind !== 'backend') || typeof clientId !== 'string' || typeof scope !== 'string' || exp === undefined) {
    throw new AuthenticationError('Access token claims malformed');
  }
  if ((fhirUser !== undefined && typeof fhirUser !== 'string') || (patient !== undefined && typeof patient !== 'string')) {
    throw new AuthenticationError('Access token context malformed');
  }
  return {
    kind,
    clientId,
    scopes: scope.split(' ').filter((s) => s.length > 0),
    ...(fhirUser ? { fhirUser } : {}),
    ...(patient ? { patient } : {}),
    expiresAt: exp,
  };
}

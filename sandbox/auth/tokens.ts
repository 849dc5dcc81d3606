// Access tokens and id_tokens: JWTs signed with the EPJ's key (jose). Access tokens follow RFC 9068
// (`typ: at+jwt`, iss, aud = the FHIR base URL, sub, client_id, scope) and carry the SMART launch
// context, so the FHIR server can enforce them without calling back (sandbox/auth/types.ts).
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { AuthenticationError, type AccessContext, type Authenticate } from './types';
import type { KeyPair } from './keys';
import { randomId } from './store';

const ACCESS_TOKEN_TYP = 'at+jwt';

export interface AccessGrant {
  kind: AccessContext['kind'];
  clientId: string;
  /** Practitioner id for user grants, the client id for backend grants. */
  subject: string;
  scopes: string[];
  fhirUser?: string;
  patient?: string;
  encounter?: string;
}

export interface IssuedToken {
  token: string;
  /** Seconds since epoch. */
  expiresAt: number;
}

export class TokenService {
  constructor(
    private readonly key: KeyPair,
    private readonly issuer: string,
    private readonly fhirBaseUrl: string,
    private readonly now: () => number,
  ) {}

  private nowSeconds(): number {
    return Math.floor(this.now() / 1000);
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
    };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: this.key.alg, kid: this.key.kid, typ: ACCESS_TOKEN_TYP })
      .setIssuer(this.issuer)
      .setAudience(this.fhirBaseUrl)
      .setSubject(grant.subject)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomId())
      .sign(this.key.privateKey);
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
    return new SignJWT(claims)
      .setProtectedHeader({ alg: this.key.alg, kid: this.key.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(input.clientId)
      .setSubject(input.userId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + lifetimeSeconds)
      .sign(this.key.privateKey);
  }

  readonly authenticate: Authenticate = async (authorizationHeader) => {
    const match = /^Bearer +([A-Za-z0-9\-_.]+)\s*$/i.exec(authorizationHeader ?? '');
    if (!match?.[1]) throw new AuthenticationError('Missing or malformed Bearer token');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(match[1], this.key.publicKey, {
        issuer: this.issuer,
        audience: this.fhirBaseUrl,
        algorithms: [this.key.alg],
        // Rejects id_tokens and other JWTs we sign that are not access tokens (RFC 9068 §4).
        typ: ACCESS_TOKEN_TYP,
        requiredClaims: ['exp', 'iat', 'sub', 'scope', 'client_id'],
        currentDate: new Date(this.now()),
      }));
    } catch (error) {
      throw new AuthenticationError(describeJoseError(error));
    }
    return toAccessContext(payload);
  };
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

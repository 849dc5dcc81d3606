// The state one SMART authorization server instance shares between its endpoints. One instance per
// profile (issuer); the launch ids, clients, keys and replay memories are shared between the two.
import type { JWTVerifyGetKey } from 'jose';
import type { ConfidentialClient } from './clients';
import type { LaunchContext, LaunchDirectory } from './context';
import type { DpopVerifier } from './dpop';
import type { AppRegistration } from './manifest';
import type { ExpiringStore } from './store';
import type { TokenService } from './tokens';

/**
 * `smart`: SMART App Launch 2.2 as is: public clients with PKCE, confidential ones with private_key_jwt,
 * PAR and DPoP optional. `helseid`: like Norsk helsenett's HelseID: confidential clients only,
 * private_key_jwt, PAR required (RFC 9126), DPoP-bound tokens (RFC 9449), refresh tokens.
 */
export type ProfileName = 'smart' | 'helseid';

export interface Profile {
  name: ProfileName;
  /** The OAuth issuer, e.g. `http://localhost:8103` or `http://localhost:8103/helseid`. */
  issuer: string;
  /** The FHIR base this issuer's tokens are for (their `aud`) and the `iss` given to the app. */
  fhirBaseUrl: string;
  /** Path prefix of this issuer's endpoints: '' or '/helseid'. */
  prefix: string;
  publicClients: boolean;
  requirePar: boolean;
  requireDpop: boolean;
  /** Confidential clients get a refresh token without asking for `offline_access`. */
  alwaysRefresh: boolean;
}

/** A validated authorization request waiting for the standalone picker. */
export interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  scopes: string[];
  nonce?: string;
  /** EHR launch id, when the app was launched by the EPJ. */
  launch?: string;
  /** RFC 9449 §10: the code is bound to this DPoP key when the PAR request carried a proof or `dpop_jkt`. */
  dpopJkt?: string;
}

/** What an authorization code stands for (RFC 6749 §4.1.3 checks client, redirect_uri; RFC 7636 the verifier). */
export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scopes: string[];
  context: LaunchContext;
  nonce?: string;
  dpopJkt?: string;
  /** Set when the code was exchanged: a second presentation revokes this grant (RFC 6749 §4.1.2). */
  grantId?: string;
}

/** A refresh token (RFC 6749 §6): rotated on every use; presenting a spent one revokes the whole grant. */
export interface RefreshGrant {
  clientId: string;
  grantId: string;
  scopes: string[];
  context: LaunchContext;
  /** Absolute end of the grant (seconds since epoch); rotation does not extend it. */
  expiresAt: number;
  spent: boolean;
}

export interface BackendClientRegistration {
  clientId: string;
  /** Its registered public key as a key set: an assertion naming another `kid` is refused. */
  keys: JWTVerifyGetKey;
  scopes: string[];
}

/** Every client the EPJ knows. */
export interface ClientDirectory {
  /** The browser app (manifest.json), a public client. */
  app: AppRegistration;
  confidential: Map<string, ConfidentialClient>;
  backend: BackendClientRegistration;
  /** More SMART Backend Services clients by client_id: the app server registers its JWKS for headless jobs too. */
  otherBackends: ReadonlyMap<string, BackendClientRegistration>;
}

export interface AuthRuntime {
  profile: Profile;
  issuer: string;
  fhirBaseUrl: string;
  tokenUrl: string;
  parUrl: string;
  clientName: string;
  clients: ClientDirectory;
  /** The public app's registered scopes (manifest.json). */
  registeredScopes: string[];
  directory: LaunchDirectory;
  tokens: TokenService;
  dpop: DpopVerifier;
  accessTokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
  now: () => number;
  launches: ExpiringStore<LaunchContext>;
  pending: ExpiringStore<PendingAuthorization>;
  /** Pushed authorization requests by `request_uri` (RFC 9126). */
  pushed: ExpiringStore<PendingAuthorization>;
  codes: ExpiringStore<CodeGrant>;
  refreshTokens: ExpiringStore<RefreshGrant>;
  /** Client-assertion ids seen until they expire (SMART Backend Services: jti not reused). */
  assertionIds: ExpiringStore<true>;
}

/** RFC 6749 §4.1.2: 60 s is ample for a redirect and a token request, and short if a code leaks. */
export const CODE_LIFETIME_MS = 60_000;
/** Codes are remembered this long after use, to recognise a replay and revoke what they gave. */
export const SPENT_CODE_MEMORY_MS = 10 * 60_000;
/** A launch id survives app reloads during sign-in, not a day of clinic. */
export const LAUNCH_LIFETIME_MS = 60 * 60_000;
export const PENDING_LIFETIME_MS = 10 * 60_000;
/** RFC 9126 §2.2: "short lived"; 60 s like HelseID. */
export const PUSHED_REQUEST_LIFETIME_SECONDS = 60;
export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:';
/** SMART Backend Services: access tokens SHOULD NOT live longer than five minutes. */
export const BACKEND_TOKEN_LIFETIME_SECONDS = 300;
/** The launch page's "kort token-levetid". */
export const SHORT_TOKEN_LIFETIME_SECONDS = 30;
/** A working day; tests shorten it (`refreshTokenLifetimeSeconds`, `/launch?refresh_lifetime=`). */
export const DEFAULT_REFRESH_TOKEN_LIFETIME_SECONDS = 8 * 3600;
/** The longest refresh-token life a launch may ask for (`refresh_lifetime`). */
export const MAX_REFRESH_LIFETIME_SECONDS = 86_400;

// The state one SMART authorization server instance shares between its endpoints.
import type { LaunchContext, LaunchDirectory } from './context';
import type { AppRegistration } from './manifest';
import type { ExpiringStore } from './store';
import type { TokenService } from './tokens';

/** A validated authorization request waiting for the standalone picker. */
export interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  scopes: string[];
  nonce?: string;
}

/** What an authorization code stands for (RFC 6749 §4.1.3 checks client, redirect_uri; RFC 7636 the verifier). */
export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scopes: string[];
  context: LaunchContext;
  nonce?: string;
}

export interface BackendClientRegistration {
  clientId: string;
  publicKey: CryptoKey;
  scopes: string[];
}

export interface AuthRuntime {
  issuer: string;
  fhirBaseUrl: string;
  tokenUrl: string;
  clientName: string;
  app: AppRegistration;
  registeredScopes: string[];
  backend: BackendClientRegistration;
  directory: LaunchDirectory;
  tokens: TokenService;
  accessTokenLifetimeSeconds: number;
  now: () => number;
  launches: ExpiringStore<LaunchContext>;
  pending: ExpiringStore<PendingAuthorization>;
  codes: ExpiringStore<CodeGrant>;
  /** Client-assertion ids seen until they expire (SMART Backend Services: jti not reused). */
  assertionIds: ExpiringStore<true>;
}

/** RFC 6749 §4.1.2: 60 s is ample for a redirect and a token request, and short if a code leaks. */
export const CODE_LIFETIME_MS = 60_000;
/** A launch id survives app reloads during sign-in, not a day of clinic. */
export const LAUNCH_LIFETIME_MS = 60 * 60_000;
export const PENDING_LIFETIME_MS = 10 * 60_000;
/** SMART Backend Services: access tokens SHOULD NOT live longer than five minutes. */
export const BACKEND_TOKEN_LIFETIME_SECONDS = 300;
/** The launch page's "kort token-levetid". */
export const SHORT_TOKEN_LIFETIME_SECONDS = 30;

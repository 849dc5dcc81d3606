// The app server as a SMART App Launch 2.2 confidential client (issue 14 item 3), on oauth4webapi:
// discovery, PKCE S256, state and nonce, PAR (RFC 9126) when offered or required, private_key_jwt
// (RFC 7523), DPoP-bound tokens (RFC 9449, a fresh proof per request, server nonces), id_token
// validation (oauth4webapi checks iss, aud, exp, nonce; jose checks the signature against jwks_uri),
// refresh tokens. Nothing returned from here is ever sent to the browser except the launch context.
import * as oauth from 'oauth4webapi';
import { createRemoteJWKSet, exportJWK, importJWK, jwtVerify, type JWK, type JWTVerifyGetKey } from 'jose';
import type { EpjEntry } from './registry';
import type { KeyStore } from './keys';
import type { EpjToken } from './sessions';

export type LaunchFailureCode = 'discovery-failed' | 's256-unsupported' | 'par-unsupported' | 'authorization-denied' | 'token-error' | 'id-token-invalid';

/** A launch step that failed; `detail` is technical and safe to show (an OAuth error code), never a secret. */
export class LaunchFailure extends Error {
  override readonly name = 'LaunchFailure';
  constructor(
    readonly code: LaunchFailureCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

export interface EpjConnection {
  entry: EpjEntry;
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  clientAuth: oauth.ClientAuth;
  usePar: boolean;
  http: { [oauth.allowInsecureRequests]?: boolean };
}

const DISCOVERY_TTL_MS = 5 * 60_000;

function isLoopbackHttp(url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
}

export class EpjClients {
  private readonly discovered = new Map<string, { at: number; conn: Promise<EpjConnection> }>();
  private readonly jwks = new Map<string, JWTVerifyGetKey>();

  constructor(
    private readonly keys: KeyStore,
    private readonly now: () => number = Date.now,
  ) {}

  connect(entry: EpjEntry): Promise<EpjConnection> {
    const cached = this.discovered.get(entry.iss);
    if (cached && this.now() - cached.at < DISCOVERY_TTL_MS) return cached.conn;
    const conn = this.discover(entry);
    this.discovered.set(entry.iss, { at: this.now(), conn });
    conn.catch(() => this.discovered.delete(entry.iss));
    return conn;
  }

  private async discover(entry: EpjEntry): Promise<EpjConnection> {
    const url = `${entry.iss}/.well-known/smart-configuration`;
    let json: Record<string, unknown>;
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      json = (await res.json()) as Record<string, unknown>;
    } catch (error) {
      throw new LaunchFailure('discovery-failed', `${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const str = (k: string) => (typeof json[k] === 'string' ? (json[k] as string) : undefined);
    const authorization = str('authorization_endpoint');
    const token = str('token_endpoint');
    if (!authorization || !token) throw new LaunchFailure('discovery-failed', 'authorization_endpoint/token_endpoint mangler');
    const methods = stringList(json.code_challenge_methods_supported) ?? [];
    if (!methods.includes('S256')) throw new LaunchFailure('s256-unsupported', `code_challenge_methods_supported: ${methods.join(', ') || '(ingen)'}`);
    const parEndpoint = str('pushed_authorization_request_endpoint');
    const serverRequiresPar = json.require_pushed_authorization_requests === true;
    if ((entry.par === 'required' || serverRequiresPar) && !parEndpoint) {
      throw new LaunchFailure('par-unsupported', 'PAR er påkrevd, men pushed_authorization_request_endpoint mangler');
    }
    const as: oauth.AuthorizationServer = {
      issuer: str('issuer') ?? entry.iss,
      authorization_endpoint: authorization,
      token_endpoint: token,
      ...(str('jwks_uri') ? { jwks_uri: str('jwks_uri') } : {}),
      ...(parEndpoint ? { pushed_authorization_request_endpoint: parEndpoint } : {}),
      require_pushed_authorization_requests: serverRequiresPar,
      code_challenge_methods_supported: methods,
      ...(stringList(json.id_token_signing_alg_values_supported) ? { id_token_signing_alg_values_supported: stringList(json.id_token_signing_alg_values_supported) } : {}),
      ...(stringList(json.dpop_signing_alg_values_supported) ? { dpop_signing_alg_values_supported: stringList(json.dpop_signing_alg_values_supported) } : {}),
      authorization_response_iss_parameter_supported: json.authorization_response_iss_parameter_supported === true,
    };
    const client: oauth.Client = { client_id: entry.clientId };
    return {
      entry,
      as,
      client,
      clientAuth: this.clientAuth(entry, token),
      usePar: entry.par !== 'off' && !!parEndpoint,
      http: isLoopbackHttp(token) ? { [oauth.allowInsecureRequests]: true } : {},
    };
  }

  private clientAuth(entry: EpjEntry, tokenEndpoint: string): oauth.ClientAuth {
    if (entry.tokenEndpointAuth === 'none') return oauth.None();
    if (entry.tokenEndpointAuth === 'client_secret_basic') {
      const secret = process.env[entry.clientSecretEnv ?? ''];
      if (!secret) throw new LaunchFailure('token-error', `miljøvariabelen ${entry.clientSecretEnv} er ikke satt`);
      return oauth.ClientSecretBasic(secret);
    }
    const key = this.keys.get(entry.alg);
    // SMART App Launch 2.2 "Confidential asymmetric": the assertion's aud is the token endpoint.
    return oauth.PrivateKeyJwt({ key: key.privateKey, kid: key.kid }, {
      [oauth.modifyAssertion]: (_header, payload) => {
        payload.aud = tokenEndpoint;
      },
    });
  }

  /** Where to send the browser: the authorization endpoint, after pushing the request when PAR is used. */
  async authorizationUrl(conn: EpjConnection, params: URLSearchParams, dpop: oauth.DPoPHandle | undefined): Promise<URL> {
    const endpoint = new URL(conn.as.authorization_endpoint ?? '');
    if (!conn.usePar) {
      for (const [k, v] of params) endpoint.searchParams.set(k, v);
      return endpoint;
    }
    syncClock(conn.client, this.now());
    const push = () => oauth.pushedAuthorizationRequest(conn.as, conn.client, conn.clientAuth, params, { ...conn.http, ...(dpop ? { DPoP: dpop } : {}) });
    const result = await withNonceRetry(async () => oauth.processPushedAuthorizationResponse(conn.as, conn.client, await push())).catch((error: unknown) => {
      throw new LaunchFailure('token-error', `PAR: ${describe(error)}`);
    });
    endpoint.searchParams.set('client_id', conn.client.client_id);
    endpoint.searchParams.set('request_uri', result.request_uri);
    return endpoint;
  }

  async exchangeCode(
    conn: EpjConnection,
    callback: URL,
    pending: { state: string; nonce: string; verifier: string; redirectUri: string; openid: boolean },
    dpop: oauth.DPoPHandle | undefined,
  ): Promise<{ response: oauth.TokenEndpointResponse; token: EpjToken; fhirUser: string | undefined }> {
    syncClock(conn.client, this.now());
    let params: URLSearchParams;
    try {
      params = oauth.validateAuthResponse(conn.as, conn.client, callback.searchParams, pending.state);
    } catch (error) {
      throw new LaunchFailure('authorization-denied', describe(error));
    }
    const response = await withNonceRetry(async () =>
      oauth.processAuthorizationCodeResponse(
        conn.as,
        conn.client,
        await oauth.authorizationCodeGrantRequest(conn.as, conn.client, conn.clientAuth, params, pending.redirectUri, pending.verifier, {
          ...conn.http,
          ...(dpop ? { DPoP: dpop } : {}),
        }),
        { expectedNonce: pending.openid ? pending.nonce : oauth.expectNoNonce, requireIdToken: pending.openid },
      ),
    ).catch((error: unknown) => {
      throw error instanceof LaunchFailure ? error : new LaunchFailure('token-error', describe(error));
    });
    const fhirUser = await this.fhirUserFromIdToken(conn, response);
    return { response, token: toEpjToken(response, this.now()), fhirUser };
  }

  /**
   * `fhirUser` only from an id_token whose signature checks against the server's jwks_uri (issue 12
   * item 12); oauth4webapi has already checked iss, aud, exp and nonce.
   */
  private async fhirUserFromIdToken(conn: EpjConnection, response: oauth.TokenEndpointResponse): Promise<string | undefined> {
    if (!response.id_token) return undefined;
    if (!conn.as.jwks_uri) throw new LaunchFailure('id-token-invalid', 'jwks_uri mangler i smart-configuration');
    let jwks = this.jwks.get(conn.as.jwks_uri);
    if (!jwks) {
      jwks = createRemoteJWKSet(new URL(conn.as.jwks_uri));
      this.jwks.set(conn.as.jwks_uri, jwks);
    }
    try {
      const { payload } = await jwtVerify(response.id_token, jwks, {
        issuer: conn.as.issuer,
        audience: conn.client.client_id,
        currentDate: new Date(this.now()),
      });
      return typeof payload.fhirUser === 'string' ? payload.fhirUser : undefined;
    } catch (error) {
      throw new LaunchFailure('id-token-invalid', describe(error));
    }
  }

  async refresh(conn: EpjConnection, token: EpjToken, dpop: oauth.DPoPHandle | undefined): Promise<{ token: EpjToken; scope?: string }> {
    if (!token.refreshToken) throw new LaunchFailure('token-error', 'ingen refresh token');
    const refreshToken = token.refreshToken;
    syncClock(conn.client, this.now());
    const response = await withNonceRetry(async () =>
      oauth.processRefreshTokenResponse(
        conn.as,
        conn.client,
        await oauth.refreshTokenGrantRequest(conn.as, conn.client, conn.clientAuth, refreshToken, { ...conn.http, ...(dpop ? { DPoP: dpop } : {}) }),
      ),
    ).catch((error: unknown) => {
      throw new LaunchFailure('token-error', describe(error));
    });
    const next = toEpjToken(response, this.now());
    // RFC 6749 §6: the server may keep the old refresh token.
    return { token: next.refreshToken ? next : { ...next, refreshToken }, ...(response.scope ? { scope: response.scope } : {}) };
  }

  /** A FHIR request with the launch's token (and a fresh DPoP proof; one retry with the server's nonce). */
  async resource(conn: EpjConnection, token: EpjToken, method: string, url: URL, headers: Headers, body: ArrayBuffer | undefined, dpop: oauth.DPoPHandle | undefined): Promise<Response> {
    syncClock(conn.client, this.now());
    const send = () =>
      oauth.protectedResourceRequest(token.accessToken, method, url, headers, body ?? null, {
        ...conn.http,
        ...(token.dpop && dpop ? { DPoP: dpop } : {}),
        signal: AbortSignal.timeout(60_000),
      });
    try {
      return await send();
    } catch (error) {
      if (token.dpop && oauth.isDPoPNonceError(error)) return send();
      if (error instanceof oauth.WWWAuthenticateChallengeError) return error.response;
      throw error;
    }
  }
}

/** Assertions and DPoP proofs are dated by our clock (tests move it), not the machine's. */
function syncClock(client: oauth.Client, now: number): void {
  client[oauth.clockSkew] = Math.round((now - Date.now()) / 1000);
}

async function withNonceRetry<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (oauth.isDPoPNonceError(error)) return attempt();
    throw error;
  }
}

function toEpjToken(response: oauth.TokenEndpointResponse, now: number): EpjToken {
  return {
    accessToken: response.access_token,
    dpop: response.token_type === 'dpop',
    // RFC 6749 only recommends expires_in; without it assume five minutes and let a 401 tell the truth.
    expiresAt: now + (response.expires_in ?? 300) * 1000,
    ...(response.refresh_token ? { refreshToken: response.refresh_token } : {}),
  };
}

/** The error's OAuth code and description, or its message: never a token (oauth4webapi keeps bodies in `cause`). */
export function describe(error: unknown): string {
  if (error instanceof oauth.ResponseBodyError) return `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
  if (error instanceof oauth.AuthorizationResponseError) return `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
  return error instanceof Error ? error.message : String(error);
}

export interface DpopKeyJwk {
  privateJwk: JWK;
  publicJwk: JWK;
}

/** A new DPoP key pair (ES256), exported so the session store can keep it across restarts. */
export async function newDpopKey(): Promise<DpopKeyJwk> {
  const pair = await oauth.generateKeyPair('ES256', { extractable: true });
  return { privateJwk: await exportJWK(pair.privateKey), publicJwk: await exportJWK(pair.publicKey) };
}

export async function dpopHandle(client: oauth.Client, key: DpopKeyJwk, now: () => number): Promise<oauth.DPoPHandle> {
  const privateKey = (await importJWK(key.privateJwk, 'ES256')) as CryptoKey;
  const publicKey = (await importJWK(key.publicJwk, 'ES256', { extractable: true })) as CryptoKey;
  // Each proof is dated by our clock (the handle would otherwise keep the skew of its creation).
  return oauth.DPoP(client, { privateKey, publicKey }, {
    [oauth.modifyAssertion]: (_header, payload) => {
      payload.iat = Math.floor(now() / 1000);
    },
  });
}

// The sandbox's SMART authorization server: the simulated EPJ that launches the app (issue
// "Foundation", point 4). Mounted by sandbox/app.ts on the same node:http server as the FHIR server.
// Two issuers over one data store (the shared contract with the app server): the SMART profile at
// `/fhir` and the HelseID-like profile (PAR + private_key_jwt + DPoP + refresh) at `/helseid/fhir`.
//
// Written on jose rather than oidc-provider (evaluated, see sandbox/auth/README.md): oidc-provider
// builds the token response from a fixed field list (no `patient`, `need_patient_banner`, `fhirUser`),
// knows the resource as RFC 8707 `resource` rather than SMART's `aud`, and needs its own interaction
// and cookie session model for the launch context, all of which we would have had to patch around.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { createLocalJWKSet, type JWK } from 'jose';
import { authorize } from './authorize';
import { ConfidentialClient, type ConfidentialClientOptions } from './clients';
import type { LaunchContext, LaunchDirectory } from './context';
import { AUTH_PATHS, openidConfiguration, smartConfiguration } from './discovery';
import { DpopVerifier } from './dpop';
import { OAuthError, UnredirectableError } from './errors';
import { corsHeaders, PUBLIC_CORS, readForm, redirect, sendHtml, sendJson, sendOAuthError, sendText } from './http';
import { STYLESHEET, STYLESHEET_PATH } from './html';
import { ID_TOKEN_ALG, KEY_ALG, loadOrCreateKeyPair } from './keys';
import { renderLaunchPage, startLaunch, type EpjSwitch, type Launcher } from './launch-page';
import { AppRegistration, type AppManifest } from './manifest';
import { pushAuthorizationRequest } from './par';
import { errorReply, type PageReply } from './reply';
import { DEFAULT_REFRESH_TOKEN_LIFETIME_SECONDS, type AuthRuntime, type ClientDirectory, type Profile, type ProfileName } from './runtime';
import { BACKEND_REGISTERED_SCOPES, splitScopes } from './scopes';
import { decidePicker, renderPicker, searchPicker } from './standalone';
import { ExpiringStore } from './store';
import { exchangeToken } from './token';
import { IssuedSecrets, TokenService } from './tokens';
import type { Authenticate, AuthRequest } from './types';

export type { LaunchUser, LaunchPatient, LaunchDirectory } from './context';
export type { AppManifest } from './manifest';
export type { ConfidentialClientOptions } from './clients';
export type { ProfileName } from './runtime';
export { BACKEND_REGISTERED_SCOPES } from './scopes';

export const BACKEND_CLIENT_ID = 'primaerhelseteam-sweep';
/** Path prefix of the HelseID-like issuer; its FHIR base is `${origin}/helseid/fhir`. */
export const HELSEID_PREFIX = '/helseid';

export interface SmartAuthOptions {
  /** Origin of the sandbox, e.g. 'http://localhost:8103'. */
  issuer: string;
  /** E.g. 'http://localhost:8103/fhir': the `iss` given to the app and the `aud` of access tokens. */
  fhirBaseUrl: string;
  /** Keys persist here (under `auth/`); absent = ephemeral keys. */
  dataDir?: string;
  /** Parsed manifest.json: registers the app. */
  manifest: AppManifest;
  /** Test/dev: also accept the app served at these origins (same paths). */
  extraRedirectOrigins?: string[];
  /** Confidential clients (private_key_jwt), e.g. the app server `primaerhelseteam-server`. */
  confidentialClients?: ConfidentialClientOptions[];
  directory: LaunchDirectory;
  /** Default 3600. */
  accessTokenLifetimeSeconds?: number;
  /** Default 8 h; tests shorten it. */
  refreshTokenLifetimeSeconds?: number;
  /** Clock in ms since epoch; tests move it to expire codes and tokens. Default Date.now. */
  now?: () => number;
  /** The EPJ profile the FHIR server plays (full | narrow): shown and switched on the launch page. */
  epj?: EpjSwitch;
}

export interface SmartAuth {
  /** Answers the auth routes; resolves false (untouched response) for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /**
   * Verifies our access tokens -> AccessContext, or rejects with AuthenticationError. With `request`, its
   * URL picks the issuer (under `${origin}/helseid/fhir`: the HelseID-like one, DPoP required).
   */
  authenticate: Authenticate;
  /** For `npm run sweep` in sandbox mode: sign a client assertion with `privateJwk` and post it to `tokenUrl`. */
  backendClient: { clientId: string; privateJwk: JWK; kid: string; tokenUrl: string };
  /** The public signing keys (as served at /auth/jwks). */
  jwks: { keys: JWK[] };
  /** Every access token, id_token and refresh token issued so far, by both issuers (newest last). */
  issuedSecrets(): readonly string[];
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export async function createSmartAuth(opts: SmartAuthOptions): Promise<SmartAuth> {
  const now = opts.now ?? Date.now;
  const origin = trimSlash(opts.issuer);
  const keyDir = opts.dataDir ? join(opts.dataDir, 'auth') : undefined;
  const signingKey = await loadOrCreateKeyPair(keyDir && join(keyDir, 'signing-key.jwk.json'), KEY_ALG);
  const idTokenKey = await loadOrCreateKeyPair(keyDir && join(keyDir, 'id-token-key.jwk.json'), ID_TOKEN_ALG);
  const backendKey = await loadOrCreateKeyPair(keyDir && join(keyDir, 'backend-client-key.jwk.json'), KEY_ALG);
  const app = new AppRegistration(opts.manifest, opts.extraRedirectOrigins);
  const clients: ClientDirectory = {
    app,
    confidential: new Map((opts.confidentialClients ?? []).map((c) => [c.clientId, new ConfidentialClient(c)])),
    backend: { clientId: BACKEND_CLIENT_ID, keys: createLocalJWKSet({ keys: [backendKey.publicJwk] }), scopes: splitScopes(BACKEND_REGISTERED_SCOPES) },
    // A confidential client (the app server) is also a backend client with the same JWKS: its headless jobs
    // (server/smart/backendServices.ts) read system/* (issue 14 item 3).
    otherBackends: new Map((opts.confidentialClients ?? []).map((c) => [c.clientId, { clientId: c.clientId, keys: createLocalJWKSet(c.jwks), scopes: splitScopes(BACKEND_REGISTERED_SCOPES) }])),
  };
  const profiles: Record<ProfileName, Profile> = {
    smart: { name: 'smart', issuer: origin, fhirBaseUrl: trimSlash(opts.fhirBaseUrl), prefix: '', publicClients: true, requirePar: false, requireDpop: false, alwaysRefresh: false },
    helseid: {
      name: 'helseid',
      issuer: `${origin}${HELSEID_PREFIX}`,
      fhirBaseUrl: `${origin}${HELSEID_PREFIX}/fhir`,
      prefix: HELSEID_PREFIX,
      publicClients: false,
      requirePar: true,
      requireDpop: true,
      alwaysRefresh: true,
    },
  };
  // Shared between the issuers: launch ids (the launch page picks the issuer), replay memories, nonces.
  const launches = new ExpiringStore<LaunchContext>(now);
  const assertionIds = new ExpiringStore<true>(now);
  const revokedGrants = new ExpiringStore<true>(now);
  const dpop = new DpopVerifier(new ExpiringStore(now), new ExpiringStore(now));
  const issued = new IssuedSecrets();
  const runtime = (profile: Profile): AuthRuntime => ({
    profile,
    issuer: profile.issuer,
    fhirBaseUrl: profile.fhirBaseUrl,
    tokenUrl: `${profile.issuer}${AUTH_PATHS.token}`,
    parUrl: `${profile.issuer}${AUTH_PATHS.par}`,
    clientName: opts.manifest.client_name ?? opts.manifest.client_id,
    clients,
    registeredScopes: splitScopes(opts.manifest.scope),
    directory: opts.directory,
    tokens: new TokenService({ access: signingKey, idToken: idTokenKey }, profile, now, dpop, revokedGrants, issued),
    dpop,
    accessTokenLifetimeSeconds: opts.accessTokenLifetimeSeconds ?? 3600,
    refreshTokenLifetimeSeconds: opts.refreshTokenLifetimeSeconds ?? DEFAULT_REFRESH_TOKEN_LIFETIME_SECONDS,
    now,
    launches,
    pending: new ExpiringStore(now),
    pushed: new ExpiringStore(now),
    codes: new ExpiringStore(now),
    refreshTokens: new ExpiringStore(now),
    assertionIds,
  });
  const runtimes: Record<ProfileName, AuthRuntime> = { smart: runtime(profiles.smart), helseid: runtime(profiles.helseid) };
  const smart = runtimes.smart;
  const jwks = { keys: [signingKey.publicJwk, idTokenKey.publicJwk] };
  const appOrigins = [...new Set([
    ...opts.manifest.redirect_uris.concat(opts.manifest.launch_uri, opts.extraRedirectOrigins ?? []).map((u) => new URL(u).origin),
    ...(opts.confidentialClients ?? []).flatMap((c) => [...c.redirectUris, c.launchUri].map((u) => new URL(u).origin)),
  ])];
  const launcher: Launcher = { runtime: smart, fhirBaseUrls: { smart: profiles.smart.fhirBaseUrl, helseid: profiles.helseid.fhirBaseUrl }, confidential: [...clients.confidential.values()][0], ...(opts.epj ? { epj: opts.epj } : {}) };

  const sendPage = (res: ServerResponse, reply: PageReply) => {
    if (reply.kind === 'redirect') redirect(res, reply.location);
    else sendHtml(res, reply.status, reply.body, appOrigins);
  };
  const authRequest = (req: IncomingMessage, url: URL): AuthRequest => ({ method: req.method ?? 'GET', url: url.href, headers: req.headers });
  /** RFC 6749 §5: JSON errors; CORS only for the public app's origins (the browser app calls the token endpoint). */
  const jsonEndpoint = (rt: AuthRuntime, answer: (form: URLSearchParams, req: IncomingMessage, url: URL) => Promise<{ body: unknown; headers: Record<string, string> }>, status = 200) =>
    async (req: IncomingMessage, res: ServerResponse, url: URL) => {
      const cors = corsHeaders(req.headers.origin, (o) => rt.profile.publicClients && app.acceptsOrigin(o));
      try {
        const reply = await answer(await readForm(req), req, url);
        sendJson(res, status, reply.body, { ...cors, ...reply.headers });
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        sendOAuthError(res, error, cors);
      }
    };

  type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
  const routes: Record<string, Partial<Record<string, Route>>> = {};
  for (const rt of Object.values(runtimes)) {
    const prefix = rt.profile.prefix;
    const fhirPath = new URL(rt.fhirBaseUrl).pathname.replace(/\/+$/, '');
    const discovery: Route = async (_req, res) => sendJson(res, 200, smartConfiguration(rt), { ...PUBLIC_CORS, 'Cache-Control': 'no-cache' });
    const authorizeRoute = (params: URLSearchParams, res: ServerResponse) => {
      const outcome = authorize(rt, params);
      if (outcome.kind === 'redirect') return redirect(res, outcome.location);
      return renderPicker(rt, outcome.requestId, outcome.pending).then((reply) => sendPage(res, reply));
    };
    Object.assign(routes, {
      [`${prefix}/.well-known/smart-configuration`]: { GET: discovery },
      [`${fhirPath}/.well-known/smart-configuration`]: { GET: discovery },
      [`${prefix}/.well-known/openid-configuration`]: {
        GET: async (_req: IncomingMessage, res: ServerResponse) => sendJson(res, 200, openidConfiguration(rt), { ...PUBLIC_CORS, 'Cache-Control': 'no-cache' }),
      },
      [`${prefix}${AUTH_PATHS.jwks}`]: { GET: async (_req: IncomingMessage, res: ServerResponse) => sendJson(res, 200, jwks, { ...PUBLIC_CORS, 'Cache-Control': 'no-cache' }) },
      [`${prefix}${AUTH_PATHS.authorize}`]: {
        GET: async (_req: IncomingMessage, res: ServerResponse, url: URL) => authorizeRoute(url.searchParams, res),
        // SMART 2.2 "authorize-post": the same parameters as a form post.
        POST: async (req: IncomingMessage, res: ServerResponse) => authorizeRoute(await readForm(req), res),
      },
      [`${prefix}${AUTH_PATHS.select}`]: {
        GET: async (_req: IncomingMessage, res: ServerResponse, url: URL) => sendPage(res, await searchPicker(rt, url.searchParams)),
        POST: async (req: IncomingMessage, res: ServerResponse) => sendPage(res, await decidePicker(rt, await readForm(req))),
      },
      [`${prefix}${AUTH_PATHS.par}`]: { POST: jsonEndpoint(rt, (form, req, url) => pushAuthorizationRequest(rt, form, authRequest(req, url)), 201) },
      [`${prefix}${AUTH_PATHS.token}`]: {
        POST: jsonEndpoint(rt, (form, req, url) => exchangeToken(rt, form, authRequest(req, url))),
        OPTIONS: async (req: IncomingMessage, res: ServerResponse) => {
          res.writeHead(204, {
            ...corsHeaders(req.headers.origin, (o) => rt.profile.publicClients && app.acceptsOrigin(o)),
            'Access-Control-Allow-Methods': 'POST',
            'Access-Control-Allow-Headers': 'Content-Type, Accept, Authorization, DPoP',
            'Access-Control-Max-Age': '600',
          });
          res.end();
        },
      },
    });
  }
  Object.assign(routes, {
    [STYLESHEET_PATH]: { GET: async (_req: IncomingMessage, res: ServerResponse) => sendText(res, 200, 'text/css; charset=utf-8', STYLESHEET, { 'Cache-Control': 'max-age=300' }) },
    '/': { GET: async (_req: IncomingMessage, res: ServerResponse, url: URL) => sendPage(res, await renderLaunchPage(launcher, url.searchParams)) },
    '/launch': { GET: async (_req: IncomingMessage, res: ServerResponse, url: URL) => sendPage(res, await startLaunch(launcher, url.searchParams)) },
  });
  const jsonPaths = new Set(Object.values(runtimes).flatMap((rt) => [`${rt.profile.prefix}${AUTH_PATHS.token}`, `${rt.profile.prefix}${AUTH_PATHS.par}`]));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    // Concatenated, not resolved: a request-target like //other.host/ must not become another origin.
    const url = new URL(`${origin}${req.url ?? '/'}`);
    const methods = routes[url.pathname];
    if (!methods) return false;
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    const route = methods[method];
    if (!route) {
      res.writeHead(405, { Allow: Object.keys(methods).join(', ') });
      res.end();
      return true;
    }
    try {
      await route(req, res, url);
    } catch (error) {
      answerError(res, url, error);
    }
    return true;
  }

  function answerError(res: ServerResponse, url: URL, error: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof UnredirectableError) {
      sendPage(res, errorReply('Kan ikke starte appen', error.userMessage));
    } else if (error instanceof OAuthError && !jsonPaths.has(url.pathname)) {
      // A malformed form post to the picker or the authorization endpoint, for instance.
      sendPage(res, errorReply('Ugyldig forespørsel', 'Forespørselen kunne ikke behandles. Start appen på nytt.'));
    } else {
      // Unexpected (e.g. the directory failed): report it where the developer looks, answer 500.
      console.error('sandbox/auth:', error);
      if (jsonPaths.has(url.pathname)) sendOAuthError(res, new OAuthError('server_error', 'Internal error'));
      else sendPage(res, errorReply('Feil i journalsystemet', 'Noe gikk galt i sandkassen. Se serverloggen.', 500));
    }
  }

  const helseidBase = `${profiles.helseid.fhirBaseUrl}/`;
  const authenticate: Authenticate = (header, request) => {
    const rt = request && (request.url === profiles.helseid.fhirBaseUrl || request.url.startsWith(helseidBase)) ? runtimes.helseid : smart;
    return rt.tokens.authenticate(header, request);
  };

  return {
    handle,
    authenticate,
    backendClient: { clientId: BACKEND_CLIENT_ID, privateJwk: backendKey.privateJwk, kid: backendKey.kid, tokenUrl: smart.tokenUrl },
    jwks,
    issuedSecrets: () => issued.all(),
  };
}

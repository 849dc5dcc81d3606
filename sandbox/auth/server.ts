// The sandbox's SMART authorization server: the simulated EPJ that launches the app (issue
// "Foundation", point 4). Mounted by sandbox/main.ts on the same node:http server as the FHIR server.
//
// Written on jose rather than oidc-provider (evaluated, see sandbox/auth/README.md): oidc-provider
// builds the token response from a fixed field list (no `patient`, `need_patient_banner`, `fhirUser`),
// knows the resource as RFC 8707 `resource` rather than SMART's `aud`, and needs its own interaction
// and cookie session model for the launch context, all of which we would have had to patch around.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { authorize } from './authorize';
import type { LaunchDirectory } from './context';
import { AUTH_PATHS, openidConfiguration, smartConfiguration } from './discovery';
import { OAuthError, UnredirectableError } from './errors';
import { corsHeaders, PUBLIC_CORS, readForm, redirect, sendHtml, sendJson, sendOAuthError, sendText } from './http';
import { STYLESHEET, STYLESHEET_PATH } from './html';
import { loadOrCreateKeyPair } from './keys';
import { renderLaunchPage, startLaunch } from './launch-page';
import { AppRegistration, type AppManifest } from './manifest';
import { errorReply, type PageReply } from './reply';
import type { AuthRuntime } from './runtime';
import { BACKEND_REGISTERED_SCOPES, splitScopes } from './scopes';
import { decidePicker, renderPicker, searchPicker } from './standalone';
import { ExpiringStore } from './store';
import { exchangeToken } from './token';
import { TokenService } from './tokens';
import type { Authenticate } from './types';

export type { LaunchUser, LaunchPatient, LaunchDirectory } from './context';
export type { AppManifest } from './manifest';
export { BACKEND_REGISTERED_SCOPES } from './scopes';

export const BACKEND_CLIENT_ID = 'primaerhelseteam-sweep';

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
  directory: LaunchDirectory;
  /** Default 3600. */
  accessTokenLifetimeSeconds?: number;
  /** Clock in ms since epoch; tests move it to expire codes and tokens. Default Date.now. */
  now?: () => number;
}

export interface SmartAuth {
  /** Answers the auth routes; resolves false (untouched response) for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Verifies our signed access tokens -> AccessContext, or rejects with AuthenticationError. */
  authenticate: Authenticate;
  /** For `npm run sweep` in sandbox mode: sign a client assertion with `privateJwk` and post it to `tokenUrl`. */
  backendClient: { clientId: string; privateJwk: JWK; kid: string; tokenUrl: string };
  /** The public signing keys (as served at /auth/jwks). */
  jwks: { keys: JWK[] };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export async function createSmartAuth(opts: SmartAuthOptions): Promise<SmartAuth> {
  const now = opts.now ?? Date.now;
  const issuer = trimSlash(opts.issuer);
  const fhirBaseUrl = trimSlash(opts.fhirBaseUrl);
  const keyDir = opts.dataDir ? join(opts.dataDir, 'auth') : undefined;
  const signingKey = await loadOrCreateKeyPair(keyDir && join(keyDir, 'signing-key.jwk.json'));
  const backendKey = await loadOrCreateKeyPair(keyDir && join(keyDir, 'backend-client-key.jwk.json'));
  const tokenUrl = `${issuer}${AUTH_PATHS.token}`;
  const app = new AppRegistration(opts.manifest, opts.extraRedirectOrigins);
  const tokens = new TokenService(signingKey, issuer, fhirBaseUrl, now);

  const rt: AuthRuntime = {
    issuer,
    fhirBaseUrl,
    tokenUrl,
    clientName: opts.manifest.client_name ?? opts.manifest.client_id,
    app,
    registeredScopes: splitScopes(opts.manifest.scope),
    backend: { clientId: BACKEND_CLIENT_ID, publicKey: backendKey.publicKey, scopes: splitScopes(BACKEND_REGISTERED_SCOPES) },
    directory: opts.directory,
    tokens,
    accessTokenLifetimeSeconds: opts.accessTokenLifetimeSeconds ?? 3600,
    now,
    launches: new ExpiringStore(now),
    pending: new ExpiringStore(now),
    codes: new ExpiringStore(now),
    assertionIds: new ExpiringStore(now),
  };
  const jwks = { keys: [signingKey.publicJwk] };
  const fhirPath = new URL(fhirBaseUrl).pathname.replace(/\/+$/, '');
  const appOrigins = [...new Set(opts.manifest.redirect_uris.concat(opts.manifest.launch_uri, opts.extraRedirectOrigins ?? []).map((u) => new URL(u).origin))];

  const sendPage = (res: ServerResponse, reply: PageReply) => {
    if (reply.kind === 'redirect') redirect(res, reply.location);
    else sendHtml(res, reply.status, reply.body, appOrigins);
  };

  type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
  const discovery: Route = async (_req, res) => sendJson(res, 200, smartConfiguration(rt), { ...PUBLIC_CORS, 'Cache-Control': 'no-cache' });
  const routes: Record<string, Partial<Record<string, Route>>> = {
    '/.well-known/smart-configuration': { GET: discovery },
    [`${fhirPath}/.well-known/smart-configuration`]: { GET: discovery },
    '/.well-known/openid-configuration': {
      GET: async (_req, res) => sendJson(res, 200, openidConfiguration(rt), { ...PUBLIC_CORS, 'Cache-Control': 'no-cache' }),
    },
    [AUTH_PATHS.jwks]: { GET: async (_req, res) => sendJson(res, 200, jwks, { ...PUBLIC_CORS, 'Cache-Control': 'no-cache' }) },
    [AUTH_PATHS.authorize]: {
      GET: async (_req, res, url) => {
        const outcome = authorize(rt, url.searchParams);
        if (outcome.kind === 'redirect') redirect(res, outcome.location);
        else sendPage(res, await renderPicker(rt, outcome.requestId, outcome.pending));
      },
    },
    [AUTH_PATHS.select]: {
      GET: async (_req, res, url) => sendPage(res, await searchPicker(rt, url.searchParams)),
      POST: async (req, res) => sendPage(res, await decidePicker(rt, await readForm(req))),
    },
    [AUTH_PATHS.token]: {
      POST: async (req, res) => {
        const cors = corsHeaders(req.headers.origin, (o) => app.acceptsOrigin(o));
        try {
          sendJson(res, 200, await exchangeToken(rt, await readForm(req)), cors);
        } catch (error) {
          if (!(error instanceof OAuthError)) throw error;
          sendOAuthError(res, error, cors);
        }
      },
      OPTIONS: async (req, res) => {
        res.writeHead(204, {
          ...corsHeaders(req.headers.origin, (o) => app.acceptsOrigin(o)),
          'Access-Control-Allow-Methods': 'POST',
          'Access-Control-Allow-Headers': 'Content-Type, Accept, Authorization, DPoP',
          'Access-Control-Max-Age': '600',
        });
        res.end();
      },
    },
    [STYLESHEET_PATH]: { GET: async (_req, res) => sendText(res, 200, 'text/css; charset=utf-8', STYLESHEET, { 'Cache-Control': 'max-age=300' }) },
    '/': { GET: async (_req, res, url) => sendPage(res, await renderLaunchPage(rt, url.searchParams)) },
    '/launch': { GET: async (_req, res, url) => sendPage(res, await startLaunch(rt, url.searchParams)) },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    // Concatenated, not resolved: a request-target like //other.host/ must not become another origin.
    const url = new URL(`${issuer}${req.url ?? '/'}`);
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
    } else if (error instanceof OAuthError && url.pathname !== AUTH_PATHS.token) {
      // A malformed form post to the picker, for instance.
      sendPage(res, errorReply('Ugyldig forespørsel', 'Forespørselen kunne ikke behandles. Start appen på nytt.'));
    } else {
      // Unexpected (e.g. the directory failed): report it where the developer looks, answer 500.
      console.error('sandbox/auth:', error);
      if (url.pathname === AUTH_PATHS.token) sendOAuthError(res, new OAuthError('server_error', 'Internal error'));
      else sendPage(res, errorReply('Feil i journalsystemet', 'Noe gikk galt i sandkassen. Se serverloggen.', 500));
    }
  }

  return {
    handle,
    authenticate: tokens.authenticate,
    backendClient: { clientId: BACKEND_CLIENT_ID, privateJwk: backendKey.privateJwk, kid: backendKey.kid, tokenUrl },
    jwks,
  };
}

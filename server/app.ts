// The app server's routes (issue 14): the SMART launch as a confidential client, sessions, the FHIR
// proxy, the session API and the built app, all on one origin. Composition (config, keys, registry,
// listening) is in server/main.ts.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import * as oauth from 'oauth4webapi';
import manifest from '../manifest.json';
import { EpjClients, LaunchFailure, describe, dpopHandle, newDpopKey, type DpopKeyJwk, type EpjConnection } from './smart/epjClient';
import type { EpjEntry, EpjRegistry } from './smart/registry';
import type { KeyStore } from './smart/keys';
import { Sessions, randomToken, type EndReason, type LaunchSession } from './smart/sessions';
import type { SessionStore } from './smart/store';
import { securityHeaders } from './http/security';
import { PAGE_CSS, endedPage, failurePage, missingIssPage, renderPage, unknownEpjPage, type Page } from './http/pages';
import { osloDate } from '../src/domain/calendar';
import { BackendServices } from './smart/backendServices';
import { targetGroupStatus } from './epj/targetGroups';
import { CapabilityCache, capabilitiesRoute, creatable, readPlanFor } from './epj/capabilities';
import { FORWARDED_REQUEST_HEADERS, FORWARDED_RESPONSE_HEADERS, foreignPatients, isPatientScoped, outcome, rebase } from './epj/proxy';
import type { Bundle, Practitioner } from '@medplum/fhirtypes';
import { humanNameText } from '../src/fhir/sessionContext';
import type { Kysely } from 'kysely';
import type { Database } from './db/schema';
import { actorFromRoles, type Actor } from './epj/actor';
import { appendAudit } from './features/audit/store';
import { auditRoutes } from './features/audit/routes';
import { careRoutes } from './features/care/routes';
import { followUpRoutes } from './features/follow-up/routes';
import type { DischargeRead } from './features/follow-up/epj';
import { ShortCache } from './epj/shortCache';
import { careSource } from './jobs/index';
import { jobRoutes, type JobRoutesDeps } from './jobs/routes';
import { settingsRoutes } from './features/settings/routes';
import type { ResolveActor } from './epj/actor';
import { targetGroupRoutes, type PanelRead } from './features/target-groups/routes';
import { contactCopayRoutes } from './features/contact-copay/routes';
import { composePanel, forwardedHeaders, panelRoutes, partsFor, type PanelDeps } from './features/patient-panel/routes';

/** The session cookie: HttpOnly, Secure, SameSite=None + Partitioned (CHIPS) so it also works when the
 * EPJ frames the app in a page of another site. `__Host-` pins it to this origin and path. */
export const SESSION_COOKIE = '__Host-pht-sid';

/**
 * One session cookie per launch, named after its handle (a hash, not the handle): two tabs launched at the
 * same moment in a fresh browser each get their own cookie, so neither can overwrite the other's.
 */
export function sessionCookie(handle: string): string {
  return `${SESSION_COOKIE}-${createHash('sha256').update(handle).digest('hex').slice(0, 16)}`;
}
/** The per-tab launch handle travels in this header (never a cookie: that is the CSRF defence). */
export const HANDLE_HEADER = 'x-pht-handle';
/** Why a session ended, for the browser to pick the right page. */
export const ENDED_HEADER = 'x-pht-session-ended';
/** One short-lived cookie per login in progress (several tabs may log in at once). */
const loginCookie = (state: string) => `__Host-pht-login-${state.slice(0, 16)}`;
const PENDING_LOGIN_MS = 10 * 60_000;
/**
 * How long an EPJ read the server makes with its own token is shared by the requests that need the same
 * thing (issue 19 point 2): the discharges of a practice, a patient's facts for the panel. A few seconds:
 * what a user changes in the EPJ shows at the next read after that.
 */
const EPJ_READ_TTL_MS = 5_000;
/**
 * How many TTLs past its TTL a practice's discharge read may still be answered while it is read again in the
 * background (stale-while-revalidate): an incoming message reaches the inbox at most TTL × (1 + this) after
 * the EPJ has it (30 s), and no user waits for the practice's dozens of EPJ searches when the TTL runs out.
 */
const DISCHARGE_STALE_FACTOR = 5;
// SMART App Launch 2.2: `launch*` scopes only make sense in an EHR launch.
const EHR_ONLY_SCOPES = new Set(['launch', 'launch/patient', 'launch/encounter']);
/** Patients per target-group status request (a page of the list overview or one inbox). */
export const MAX_STATUS_PATIENTS = 500;
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
/** An EPJ answer kept a few seconds for the panel's parts (the body, read once; a fresh Response for each). */
interface EpjReadCopy {
  status: number;
  contentType: string | null;
  body: ArrayBuffer;
}
/** Where an in-process panel part carries its panel (a symbol: no request from outside can name it). */
const PANEL_ENV = Symbol('pht-panel');
function panelOf(c: Context): object | undefined {
  const env: unknown = c.env;
  const panel = typeof env === 'object' && env !== null ? (env as Record<symbol, unknown>)[PANEL_ENV] : undefined;
  return typeof panel === 'object' && panel !== null ? panel : undefined;
}

export interface PendingLogin {
  /** Value of this login's own cookie: the callback must come from the browser that started it. */
  binding: string;
  iss: string;
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  openid: boolean;
  launchKind: 'ehr' | 'standalone';
  requestedScopes: string[];
  dpopKey?: DpopKeyJwk;
}

export interface AppServerConfig {
  /** Where browsers reach this server, e.g. http://localhost:5173 (redirect URI = origin + /auth/callback). */
  publicOrigin: string;
  /** The built app (vite build). */
  distDir: string;
  registry: EpjRegistry;
  keys: KeyStore;
  sessions: Sessions;
  pending: SessionStore<PendingLogin>;
  now?: () => number;
  /** The clock of the features' business dates (default `now`; tests set it, server/main.ts ServerSettings.businessNow). */
  businessNow?: () => number;
  /** One line per event; never a token, code, verifier or query string. */
  log?: (line: string) => void;
  /** The app's database (issue 15): settings, audit log. */
  db: Kysely<Database>;
  /** The scheduled jobs (server/jobs): /api/jobs for the daglig leder. */
  jobs?: JobRoutesDeps['jobs'];
  /** How long the shared EPJ reads are kept (default EPJ_READ_TTL_MS; tests that must not depend on speed set it long). */
  epjReadTtlMs?: number;
  /** The server's one cache of the EPJs' CapabilityStatements, shared with the scheduled jobs (default: the app's own). */
  capabilities?: CapabilityCache;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

/** A FHIR search (`/fhir/<Type>?...` or `_search`) answered with a searchset Bundle: what was listed, how many rows. */
function searchedList(url: URL, body: string): { what: string; rows: number } | undefined {
  const path = url.pathname.slice('/fhir'.length).split('/').filter(Boolean);
  if (path.length !== 1 || !/^[A-Z][A-Za-z]+$/.test(path[0] ?? '')) return undefined;
  let bundle: Bundle;
  try {
    bundle = JSON.parse(body) as Bundle;
  } catch {
    return undefined;
  }
  if (bundle.resourceType !== 'Bundle' || bundle.type !== 'searchset') return undefined;
  const params = [...new Set([...url.searchParams.keys()])].sort();
  const rows = (bundle.entry ?? []).filter((e) => e.search?.mode !== 'include').length;
  return { what: `${path[0]}${params.length ? `?${params.join('&')}` : ''}`, rows };
}

export function createApp(config: AppServerConfig): Hono {
  const now = config.now ?? Date.now;
  const today = config.businessNow ?? now;
  const readTtl = config.epjReadTtlMs ?? EPJ_READ_TTL_MS;
  const log = config.log ?? (() => undefined);
  const clients = new EpjClients(config.keys, now);
  const backend = new BackendServices(clients, now);
  const { sessions, registry } = config;
  const headers = securityHeaders(registry.frameAncestors());
  const distRoot = resolve(config.distDir);
  const redirectUri = `${config.publicOrigin}/auth/callback`;
  // One cache of the EPJs' CapabilityStatements: /api/capabilities and the server's readers agree (issue 16).
  // Every launch reads the statement afresh (an EPJ upgraded or reconfigured is seen at its next launch).
  const capabilityCache = config.capabilities ?? new CapabilityCache();
  // DPoP handles carry the server's last nonce; one per launch, kept for the life of the process.
  const dpopHandles = new Map<string, oauth.DPoPHandle>();
  const refreshing = new Map<string, Promise<LaunchSession | undefined>>();

  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
    c.res.headers.set('cache-control', c.res.headers.get('cache-control') ?? 'no-store');
  });

  const page = (c: Context, p: Page) => c.html(renderPage(p), p.status as 200);
  const cookieOptions = { path: '/', httpOnly: true, secure: true, sameSite: 'None', partitioned: true } as const;

  async function dpopFor(conn: EpjConnection, key: string, jwk: DpopKeyJwk | undefined): Promise<oauth.DPoPHandle | undefined> {
    if (!jwk) return undefined;
    let handle = dpopHandles.get(key);
    if (!handle) {
      handle = await dpopHandle(conn.client, jwk, now);
      dpopHandles.set(key, handle);
    }
    return handle;
  }

  app.get('/server-pages.css', (c) => c.body(PAGE_CSS, 200, { 'content-type': 'text/css; charset=utf-8' }));
  app.get('/.well-known/jwks.json', (c) => c.json(config.keys.jwks()));

  // SMART EHR launch (or standalone, without `launch`): allow-list first, then discovery (issue 14 item 2).
  app.get('/launch', async (c) => {
    const iss = c.req.query('iss');
    const launch = c.req.query('launch');
    if (!iss) return page(c, missingIssPage());
    const entry = registry.lookup(iss);
    if (!entry) {
      log(`[launch] refused unregistered iss ${iss}`);
      return page(c, unknownEpjPage(iss));
    }
    try {
      const conn = await clients.connect(entry);
      const binding = randomToken();
      const launchKind = launch ? 'ehr' : 'standalone';
      const requested = (entry.scope ?? manifest.scope).split(/\s+/).filter((s) => s && (launchKind === 'ehr' || !EHR_ONLY_SCOPES.has(s)));
      // A confidential client may hold a refresh token (SMART 2.2 "offline_access"), so a working session
      // does not end at the first token expiry; the EPJ decides whether to grant it.
      if (entry.tokenEndpointAuth !== 'none' && !requested.includes('offline_access')) requested.push('offline_access');
      const state = oauth.generateRandomState();
      const nonce = oauth.generateRandomNonce();
      const verifier = oauth.generateRandomCodeVerifier();
      const dpopKey = entry.dpop ? await newDpopKey() : undefined;
      const openid = requested.includes('openid');
      const params = new URLSearchParams({
        response_type: 'code',
        client_id: entry.clientId,
        redirect_uri: redirectUri,
        scope: requested.join(' '),
        state,
        aud: entry.iss,
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      if (launch) params.set('launch', launch);
      if (openid) params.set('nonce', nonce);
      const pending: PendingLogin = { binding, iss: entry.iss, state, nonce, verifier, redirectUri, openid, launchKind, requestedScopes: requested, ...(dpopKey ? { dpopKey } : {}) };
      await config.pending.put(`pending:${state}`, pending, PENDING_LOGIN_MS);
      setCookie(c, loginCookie(state), binding, { ...cookieOptions, maxAge: PENDING_LOGIN_MS / 1000 });
      const target = await clients.authorizationUrl(conn, params, await dpopFor(conn, `pending:${state}`, dpopKey));
      log(`[launch] ${entry.name}: ${conn.usePar ? 'PAR' : 'redirect'}${entry.dpop ? ' + DPoP' : ''}`);
      return c.redirect(target.href, 302);
    } catch (error) {
      log(`[launch] failed: ${describe(error)}`);
      if (error instanceof LaunchFailure) return page(c, failurePage(error.code, error.detail));
      throw error;
    }
  });

  app.get('/auth/callback', async (c) => {
    const url = new URL(c.req.url);
    const state = url.searchParams.get('state') ?? '';
    const pending = state ? await config.pending.get(`pending:${state}`) : undefined;
    const binding = state ? getCookie(c, loginCookie(state)) : undefined;
    // `state` binds the response to the browser that started the login (RFC 6749 §10.12): from another
    // browser it is refused without touching the code; from the right one it is used once, whatever the outcome.
    if (!pending || !binding || pending.binding !== binding) {
      log('[callback] refused: unknown state or another browser');
      return page(c, failurePage('unknown-state'));
    }
    await config.pending.delete(`pending:${state}`);
    deleteCookie(c, loginCookie(state), cookieOptions);
    const entry = registry.lookup(pending.iss);
    if (!entry) return page(c, unknownEpjPage(pending.iss));
    try {
      const conn = await clients.connect(entry);
      const dpop = await dpopFor(conn, `pending:${state}`, pending.dpopKey);
      dpopHandles.delete(`pending:${state}`);
      const { response, token, fhirUser } = await clients.exchangeCode(conn, url, pending, dpop);
      if (entry.dpop && !token.dpop) throw new LaunchFailure('token-error', 'journalsystemet ga ikke et DPoP-bundet token');
      const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
      const patient = str(response.patient);
      const encounter = str(response.encounter);
      const sid = await sessions.newBrowser();
      const handle = await sessions.addLaunch({
        sid,
        iss: entry.iss,
        launchKind: pending.launchKind,
        ...(patient ? { patient } : {}),
        ...(encounter ? { encounter } : {}),
        ...(fhirUser ? { fhirUser } : {}),
        needPatientBanner: response.need_patient_banner !== false,
        // The grant is what the token response says (the EPJ decides per role), never what we asked for.
        grantedScopes: (response.scope ?? pending.requestedScopes.join(' ')).split(/\s+/).filter(Boolean),
        requestedScopes: pending.requestedScopes,
        token,
        ...(pending.dpopKey ? { dpopKey: pending.dpopKey } : {}),
      });
      setCookie(c, sessionCookie(handle), sid, cookieOptions);
      if (dpop) dpopHandles.set(handle, dpop);
      capabilityCache.forget(entry.iss);
      log(`[callback] session for ${fhirUser ?? 'ukjent bruker'}${patient ? ` (pasient ${patient})` : ''} at ${entry.name}${token.refreshToken ? ', refresh' : ''}`);
      prefetchSession(handle, sid);
      // The handle goes in the fragment: never sent to any server, not in logs or Referer. `pht-patient=1`
      // tells the page the launch has a patient, so it fetches the patient panel's code while /api/session answers.
      return c.redirect(`/#pht-handle=${handle}${patient ? '&pht-patient=1' : ''}`, 303);
    } catch (error) {
      log(`[callback] failed: ${describe(error)}`);
      if (error instanceof LaunchFailure) return page(c, failurePage(error.code, error.detail));
      throw error;
    }
  });

  type Resolved = { handle: string; launch: LaunchSession } | { response: Response };

  function ended(c: Context, reason: EndReason): Response {
    const text = endedPage(reason);
    return c.body(outcome(reason === 'logout' ? 'login' : 'expired', text.title), 401, {
      'content-type': 'application/fhir+json; charset=utf-8',
      [ENDED_HEADER]: reason,
    });
  }

  // One session resolve per request (issue 19 point 4): a route that asks for the actor, the EPJ and the
  // launch gets the same answer, keyed by the request object.
  // The parts of one patient panel (dispatched in-process below, with the same cookie and handle) share one
  // resolve too: the panel object comes in the request's env, which only this process can set (a request
  // from outside has the Node server's env). Only a launch found is shared; a refusal (a Response, read
  // once) is resolved again by each part, which answers it as before.
  const resolvedOfPanel = new WeakMap<object, Promise<Resolved>>();
  const resolvedOf = new WeakMap<Request, Promise<Resolved>>();
  function resolveLaunch(c: Context): Promise<Resolved> {
    let known = resolvedOf.get(c.req.raw);
    if (!known) {
      const panel = panelOf(c);
      const shared = panel ? resolvedOfPanel.get(panel) : undefined;
      if (shared) known = shared.then((r) => ('response' in r ? resolveLaunchOnce(c) : r));
      else {
        known = resolveLaunchOnce(c);
        if (panel) resolvedOfPanel.set(panel, known);
      }
      resolvedOf.set(c.req.raw, known);
    }
    return known;
  }

  /** The launch for this request: cookie + handle header; for state-changing methods also a same-origin `Origin`. */
  async function resolveLaunchOnce(c: Context): Promise<Resolved> {
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD' && c.req.header('origin') !== config.publicOrigin) {
      return { response: c.body(outcome('forbidden', 'Forespørselen kom ikke fra appen (Origin).'), 403, { 'content-type': 'application/fhir+json; charset=utf-8' }) };
    }
    const handle = c.req.header(HANDLE_HEADER);
    const result = await sessions.resolve(handle ? getCookie(c, sessionCookie(handle)) : undefined, handle);
    if ('ended' in result || !handle) return { response: ended(c, 'ended' in result ? result.ended : 'missing') };
    const fresh = await ensureFresh(handle, result.launch);
    if (!fresh) return { response: ended(c, 'expired') };
    return { handle, launch: fresh };
  }

  /** After the EPJ refused `refused`'s token: a token another request has refreshed meanwhile, or a new one. */
  async function renewAfterRefusal(handle: string, refused: LaunchSession): Promise<LaunchSession | undefined> {
    const current = await sessions.resolve(refused.sid, handle);
    if (!('launch' in current)) return undefined;
    if (current.launch.token.accessToken !== refused.token.accessToken) return current.launch;
    return ensureFresh(handle, current.launch, true);
  }

  /** Refreshes the EPJ token before it expires, or at once with `force` (one refresh per launch at a time). */
  async function ensureFresh(handle: string, launch: LaunchSession, force = false): Promise<LaunchSession | undefined> {
    if (!force && now() < launch.token.expiresAt - sessions.limits.tokenMarginMs) return launch;
    if (!launch.token.refreshToken) return undefined;
    let running = refreshing.get(handle);
    if (!running) {
      running = (async () => {
        const entry = registry.lookup(launch.iss);
        if (!entry) return undefined;
        try {
          const conn = await clients.connect(entry);
          const { token, scope } = await clients.refresh(conn, launch.token, await dpopFor(conn, handle, launch.dpopKey));
          const next: LaunchSession = { ...launch, token, ...(scope ? { grantedScopes: scope.split(/\s+/).filter(Boolean) } : {}) };
          await sessions.update(handle, next);
          log('[session] token refreshed');
          return next;
        } catch (error) {
          log(`[session] refresh failed: ${describe(error)}`);
          await sessions.end(handle, 'expired');
          return undefined;
        }
      })().finally(() => refreshing.delete(handle));
      refreshing.set(handle, running);
    }
    return running;
  }

  // Who is asking, for the app's own API and the audit log: practice and team role from the user's
  // PractitionerRoles in the EPJ, read once per launch (server/epj/actor.ts).
  const actors = new Map<string, Actor>();
  async function actorFor(handle: string, launch: LaunchSession): Promise<{ actor: Actor } | { status: 403 | 502; message: string }> {
    const known = actors.get(handle);
    if (known) return { actor: known };
    const entry = registry.lookup(launch.iss);
    if (!entry) return { status: 403, message: 'Journalsystemet er ikke registrert for appen.' };
    let bundle: Bundle | undefined;
    if (launch.fhirUser?.startsWith('Practitioner/')) {
      const conn = await clients.connect(entry);
      const url = new URL(`${launch.iss}/PractitionerRole`);
      url.searchParams.set('practitioner', launch.fhirUser);
      let res: Response;
      try {
        res = await clients.resource(conn, launch.token, 'GET', url, new Headers({ accept: 'application/fhir+json' }), undefined, await dpopFor(conn, handle, launch.dpopKey));
      } catch (error) {
        log(`[actor] PractitionerRole failed: ${describe(error)}`);
        return { status: 502, message: 'Får ikke kontakt med journalsystemet.' };
      }
      if (res.ok) bundle = (await res.json()) as Bundle;
      else if (res.status !== 403) return { status: 502, message: 'Journalsystemet svarte ikke på hvem du er.' };
    }
    const result = actorFromRoles(launch.fhirUser, bundle, entry.organisations);
    if (!result.ok) return { status: result.status, message: result.message };
    actors.set(handle, result.actor);
    return { actor: result.actor };
  }
  const resolveActor: ResolveActor = async (c) => {
    const r = await resolveLaunch(c);
    if ('response' in r) return r;
    const a = await actorFor(r.handle, r.launch);
    return 'actor' in a ? a : { response: c.json({ error: a.message }, a.status) };
  };
  app.route('/api/settings', settingsRoutes({ db: config.db, actor: resolveActor, now }));
  app.route('/api/audit', auditRoutes({ db: config.db, actor: resolveActor, now }));
  const planOf = (entry: EpjEntry) => () => readPlanFor(entry.iss, (url) => backend.get(entry, url), entry.capabilities, capabilityCache);
  // The parts of a patient panel read the EPJ (the server's token) through a short cache, as the panel's target
  // groups already do (patientReads; issue 19 point 2): the care part's diagnoses and the co-payment facts
  // (Patient, Coverage) of a patient whose panel opened a few seconds ago are not read again, and parts asking
  // the same search at once share one read. Plain GETs of panel parts only: a part's own route, asked directly
  // (the browser's refetch after a change), reads afresh. A refusal or error is not kept.
  const panelReads = new ShortCache<EpjReadCopy>(readTtl);
  async function panelGet(entry: EpjEntry, url: URL): Promise<Response> {
    const key = `${entry.iss}\n${url.href}\n`;
    const { value } = await panelReads.get(key, async () => {
      const res = await backend.get(entry, url);
      return { status: res.status, contentType: res.headers.get('content-type'), body: await res.arrayBuffer() };
    });
    if (value.status >= 300) panelReads.forget(key);
    return new Response(value.status === 204 || value.status === 304 ? null : value.body.slice(0), { status: value.status, headers: value.contentType ? { 'content-type': value.contentType } : {} });
  }
  const launchEpj = async (c: Context) => {
    const r = await resolveLaunch(c);
    const entry = 'launch' in r ? registry.lookup(r.launch.iss) : undefined;
    const panel = panelOf(c) !== undefined;
    return entry
      ? { iss: entry.iss, get: (url: URL, headers?: Record<string, string>) => (panel && headers === undefined ? panelGet(entry, url) : backend.get(entry, url, headers)), plan: planOf(entry) }
      : undefined;
  };
  // Each practice's discharge read (every discharge of the look-back window, its patients and their target-group
  // status: dozens of EPJ searches) is shared for a few seconds by the inbox, triage and worklist of all users,
  // and read again in the background when it is older (at most TTL × (1 + DISCHARGE_STALE_FACTOR) is answered).
  const dischargeReads = new ShortCache<DischargeRead>(readTtl, undefined, undefined, readTtl * DISCHARGE_STALE_FACTOR);
  app.route('/api/follow-up', followUpRoutes({ db: config.db, actor: resolveActor, epj: launchEpj, now: today, log, discharges: dischargeReads }));
  // A care change (plan, medication review) moves the target-group markers: the target-groups slice
  // re-classifies the stored result (registered below); the slices do not import each other.
  const careChanged: ((practiceId: string, patientId: string) => Promise<void>)[] = [];
  const onCareChanged = async (practiceId: string, patientId: string) => {
    for (const handler of careChanged) await handler(practiceId, patientId).catch((error: unknown) => log(`[care] markørene for ${patientId} ble ikke oppdatert: ${describe(error)}`));
  };
  app.route('/api/care', careRoutes({ db: config.db, actor: resolveActor, epj: launchEpj, now: today, onChanged: onCareChanged }));
  if (config.jobs) app.route('/api/jobs', jobRoutes({ db: config.db, actor: resolveActor, now: today, jobs: config.jobs }));
  // What the launch's EPJ accepts beyond journal notes (its CapabilityStatement + the registry override).
  const creates = async (iss: string, type: string) => creatable(await capabilityCache.get(iss, registry.lookup(iss)?.capabilities), type);
  app.route('/api/target-groups', targetGroupRoutes({ db: config.db, actor: resolveActor, now: today, log, care: careSource, patientReads: new ShortCache<PanelRead>(readTtl), onCareChanged: (h) => void careChanged.push(h), epj: async (c) => {
    const r = await resolveLaunch(c);
    const entry = 'launch' in r ? registry.lookup(r.launch.iss) : undefined;
    if (!entry || !('launch' in r)) return undefined;
    // A panel's target groups read through the panel's cache too: the diagnoses its care part also asks for are read once.
    const panel = panelOf(c) !== undefined;
    return { iss: entry.iss, get: (url: URL, headers?: Record<string, string>) => (panel && headers === undefined ? panelGet(entry, url) : backend.get(entry, url, headers)), plan: planOf(entry), patientScoped: isPatientScoped(r.launch), flags: await creates(entry.iss, 'Flag'), ...(r.launch.patient ? { patient: r.launch.patient } : {}) };
  } }));
  // ChargeItems are queued only where the EPJ can create them (the journal note always).
  // The app does not read the EPJ's own GP charges this round, so the first egenandel of a patient-day asks
  // whether the patient already paid (SPEC §6).
  const launchOf = async (c: Context) => {
    const r = await resolveLaunch(c);
    return 'response' in r ? undefined : { iss: r.launch.iss, chargeItems: await creates(r.launch.iss, 'ChargeItem'), gpChargesVisible: false };
  };
  app.route('/api/contact-copay', contactCopayRoutes({ db: config.db, actor: resolveActor, launchOf, epj: launchEpj, now: today }));

  /** One read from the EPJ with the launch's token (the proxy's audit line), or undefined when it failed. */
  async function launchRead(handle: string, launch: LaunchSession, path: string): Promise<Record<string, unknown> | undefined> {
    const entry = registry.lookup(launch.iss);
    if (!entry) return undefined;
    try {
      const conn = await clients.connect(entry);
      const res = await clients.resource(conn, launch.token, 'GET', new URL(`${launch.iss}/${path}`), new Headers({ accept: 'application/fhir+json' }), undefined, await dpopFor(conn, handle, launch.dpopKey));
      log(`[audit] ${launch.fhirUser ?? '-'} patient=${launch.patient ?? '-'} GET /fhir/${path} -> ${res.status} (session)`);
      return res.ok ? ((await res.json()) as Record<string, unknown>) : undefined;
    } catch (error) {
      log(`[session] ${path} failed: ${describe(error)}`);
      return undefined;
    }
  }

  // What the browser needs first comes with the session (issue 19 point 1): the user (name, team role and
  // practice from the actor lookup) and the launch Patient, read here in parallel, so the browser starts
  // the panel's reads at once. Anything missing (a refused read, an unknown role) is left out, and the
  // browser reads it itself and shows the same error as before.
  // The patient panel in one response (issue 19 point 1): its parts asked of this app in-process, in parallel,
  // with the browser's cookie and handle (each part keeps its own checks and audit).
  const panelDeps: PanelDeps = { dispatch: async (path, headers, panel) => app.fetch(new Request(new URL(path, config.publicOrigin), { headers }), { [PANEL_ENV]: panel }) };
  // The session's answer, started when the callback created the session (issue 19 point 1): its EPJ reads
  // (user, role, patient, the launch patient's panel) run while the browser loads the app's document and
  // code, so /api/session usually finds them done. Kept per handle for a short while, given once, and only to
  // a request that passed the same session check as any other (cookie + handle).
  const PREFETCH_HEADER = 'x-pht-session-prefetch';
  const prefetched = new Map<string, { answer: Promise<{ status: number; body: string } | undefined>; timer: ReturnType<typeof setTimeout> }>();
  function prefetchSession(handle: string, sid: string): void {
    const answer = Promise.resolve(
      app.request(`${config.publicOrigin}/api/session`, {
        headers: { cookie: `${sessionCookie(handle)}=${sid}`, [HANDLE_HEADER]: handle, [PREFETCH_HEADER]: '1', accept: 'application/json' },
      }),
    )
      .then(async (res) => ({ status: res.status, body: await res.text() }))
      .catch(() => undefined);
    const timer = setTimeout(() => prefetched.delete(handle), 30_000);
    timer.unref?.();
    prefetched.set(handle, { answer, timer });
  }
  function takePrefetched(handle: string) {
    const entry = prefetched.get(handle);
    if (!entry) return undefined;
    prefetched.delete(handle);
    clearTimeout(entry.timer);
    return entry.answer;
  }

  app.get('/api/session', async (c) => {
    const r = await resolveLaunch(c);
    if ('response' in r) return r.response;
    const early = c.req.header(PREFETCH_HEADER) === '1' ? undefined : takePrefetched(r.handle);
    const ready = early ? await early : undefined;
    if (ready?.status === 200) {
      log(`[session] answered from the callback's prefetch`);
      // The time left is counted now, not when the answer was prepared.
      return c.json({ ...(JSON.parse(ready.body) as Record<string, unknown>), endsInMs: Math.max(0, sessions.endsAt(r.launch) - now()) });
    }
    const { launch } = r;
    const entry = registry.lookup(launch.iss);
    const practitioner = launch.fhirUser?.startsWith('Practitioner/') ? launch.fhirUser : undefined;
    const actorLookup = practitioner ? actorFor(r.handle, launch) : undefined;
    // A patient launch's panel comes with the session: the browser's only round trip after the session
    // exists. Its parts follow the user's team role (known from the actor lookup), for the business day.
    const launchPatient = launch.patient;
    const panel =
      launchPatient && actorLookup
        ? actorLookup.then(async (a) => {
            if (!('actor' in a) || a.actor.role === 'viewer') return undefined;
            const day = osloDate(new Date(today()).toISOString());
            return composePanel(panelDeps, forwardedHeaders((n) => c.req.header(n)), launchPatient, partsFor(a.actor.role), day);
          })
        : undefined;
    const [actor, practitionerJson, patientJson, panelAnswer] = await Promise.all([
      actorLookup,
      practitioner ? launchRead(r.handle, launch, practitioner) : undefined,
      launch.patient ? launchRead(r.handle, launch, `Patient/${encodeURIComponent(launch.patient)}`) : undefined,
      panel?.catch(() => undefined),
    ]);
    const user =
      practitioner && actor && 'actor' in actor && actor.actor.role !== 'viewer' && practitionerJson?.resourceType === 'Practitioner'
        ? {
            practitionerId: practitioner.slice('Practitioner/'.length),
            name: humanNameText((practitionerJson as unknown as Practitioner).name) ?? 'Ukjent bruker',
            role: { role: actor.actor.role, practiceManager: actor.actor.practiceManager },
            practiceId: actor.actor.practiceId,
          }
        : null;
    return c.json({
      user,
      patientResource: patientJson?.resourceType === 'Patient' ? patientJson : null,
      // Left out when a part found the session over: the browser's own requests then meet the same end.
      panel: panelAnswer && !Object.values(panelAnswer.parts).some((p) => p.status === 401) ? panelAnswer : null,
      launchKind: launch.launchKind,
      epj: entry?.name ?? launch.iss,
      fhirBaseUrl: `${config.publicOrigin}/fhir`,
      fhirUser: launch.fhirUser ?? null,
      patient: launch.patient ?? null,
      encounter: launch.encounter ?? null,
      needPatientBanner: launch.needPatientBanner,
      grantedScopes: launch.grantedScopes,
      requestedScopes: launch.requestedScopes,
      expiresAt: sessions.endsAt(launch),
      // The same end as a duration: the browser counts it on its own clock, so a skewed PC clock
      // (common on practice PCs) neither ends the session early nor keeps a dead one on screen.
      endsInMs: Math.max(0, sessions.endsAt(launch) - now()),
      idleTimeoutMs: sessions.limits.idleMs,
    });
  });

  app.get('/api/capabilities', capabilitiesRoute(resolveLaunch, (iss) => registry.lookup(iss), capabilityCache));

  app.route('/api/panel', panelRoutes(panelDeps));

  app.post('/api/logout', async (c) => {
    const r = await resolveLaunch(c);
    if ('response' in r) return r.response;
    // Logout ends every launch this browser holds (one cookie per launch), not only this tab's.
    await sessions.endBrowser(r.launch.sid);
    for (const [name, sid] of Object.entries(getCookie(c))) {
      if (!name.startsWith(`${SESSION_COOKIE}-`)) continue;
      if (sid !== r.launch.sid) await sessions.endBrowser(sid);
      deleteCookie(c, name, cookieOptions);
    }
    dpopHandles.delete(r.handle);
    log('[session] logout');
    return c.json({ ended: 'logout', page: '/avsluttet?grunn=logout' });
  });

  app.get('/avsluttet', (c) => {
    const reason = c.req.query('grunn');
    const known: EndReason[] = ['idle', 'absolute', 'expired', 'logout', 'missing'];
    return page(c, endedPage(known.includes(reason as EndReason) ? (reason as EndReason) : 'missing'));
  });

  // Target-group status for any practitioner's session, the secretary's too, without her reading any
  // clinical fact (issue 12 item 5): the server reads them with its own token and answers only the groups.
  app.post('/api/target-groups/status', async (c) => {
    const r = await resolveLaunch(c);
    if ('response' in r) return r.response;
    const { launch } = r;
    const fhirJson = { 'content-type': 'application/fhir+json; charset=utf-8' };
    const entry = registry.lookup(launch.iss);
    if (!entry) return ended(c, 'missing');
    if (!launch.fhirUser?.startsWith('Practitioner/') || isPatientScoped(launch)) {
      log(`[audit] ${launch.fhirUser ?? '-'} POST /api/target-groups/status -> 403`);
      return c.body(outcome('forbidden', 'Målgruppestatus er bare for helsepersonell ved legekontoret.'), 403, fhirJson);
    }
    const body: unknown = await c.req.json().catch(() => undefined);
    const patients = typeof body === 'object' && body !== null ? (body as { patients?: unknown }).patients : undefined;
    let problem: string | undefined;
    if (!Array.isArray(patients) || patients.length === 0) problem = 'Feltet «patients» må være en liste med minst én pasient-id.';
    else if (patients.length > MAX_STATUS_PATIENTS) problem = `Feltet «patients» kan ha høyst ${MAX_STATUS_PATIENTS} pasient-id-er (fikk ${patients.length}).`;
    else if (!patients.every((p) => typeof p === 'string' && FHIR_ID.test(p))) problem = 'Feltet «patients» inneholder en ugyldig pasient-id.';
    if (problem) return c.body(outcome('invalid', problem), 400, fhirJson);
    const ids = patients as string[];
    try {
      const statuses = await targetGroupStatus((url) => backend.get(entry, url), launch.iss, ids, osloDate(new Date(today()).toISOString()), await planOf(entry)());
      log(`[audit] ${launch.fhirUser} patient=- POST /api/target-groups/status (${ids.length} pasienter) -> 200`);
      return c.json({ statuses });
    } catch (error) {
      log(`[audit] ${launch.fhirUser} POST /api/target-groups/status -> 502 (${describe(error)})`);
      return c.body(outcome('transient', 'Får ikke hentet målgruppestatus fra journalsystemet.'), 502, fhirJson);
    }
  });

  app.all('/fhir/*', async (c) => {
    const r = await resolveLaunch(c);
    if ('response' in r) return r.response;
    const { launch, handle } = r;
    const entry = registry.lookup(launch.iss);
    if (!entry) return ended(c, 'missing');
    const conn = await clients.connect(entry);
    const incoming = new URL(c.req.url);
    const target = new URL(`${launch.iss}${incoming.pathname.slice('/fhir'.length)}${incoming.search}`);
    const forward = new Headers();
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const v = c.req.header(name);
      if (v) forward.set(name, v);
    }
    const method = c.req.method;
    const body = method === 'GET' || method === 'HEAD' ? undefined : await c.req.arrayBuffer();
    let upstream: Response;
    try {
      upstream = await clients.resource(conn, launch.token, method, target, forward, body, await dpopFor(conn, handle, launch.dpopKey));
      // The EPJ refused a token we hold as valid (its clock ahead of ours, or it ended the token early):
      // one refresh and one retry before the session ends. A revoked grant fails the refresh and ends it.
      if (upstream.status === 401 && launch.token.refreshToken) {
        const renewed = await renewAfterRefusal(handle, launch);
        if (renewed) upstream = await clients.resource(conn, renewed.token, method, target, forward, body, await dpopFor(conn, handle, renewed.dpopKey));
      }
    } catch (error) {
      log(`[fhir] ${method} ${incoming.pathname} failed: ${describe(error)}`);
      return c.body(outcome('transient', 'Får ikke kontakt med journalsystemet.'), 502, { 'content-type': 'application/fhir+json; charset=utf-8' });
    }
    const audit = `[audit] ${launch.fhirUser ?? '-'} patient=${launch.patient ?? '-'} ${method} ${incoming.pathname} -> ${upstream.status}`;
    if (upstream.status === 401) {
      log(audit);
      await sessions.end(handle, 'expired');
      return ended(c, 'expired');
    }
    const out = new Headers();
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const v = upstream.headers.get(name);
      if (v) out.set(name, rebase(v, launch.iss, `${config.publicOrigin}/fhir`));
    }
    let text = await upstream.text();
    if (isPatientScoped(launch) && launch.patient && /json/.test(upstream.headers.get('content-type') ?? '') && text) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const foreign = foreignPatients(parsed, launch.patient);
      if (foreign.length > 0) {
        log(`${audit} refused: other patient`);
        return c.body(outcome('forbidden', 'Svaret inneholdt data om en annen pasient og ble stoppet.'), 403, { 'content-type': 'application/fhir+json; charset=utf-8' });
      }
    }
    log(audit);
    if (method === 'GET' && upstream.ok) {
      // Who saw which list (issue 15): every search that returned a Bundle, with its parameter names only.
      const listOf = searchedList(incoming, text);
      if (listOf) {
        const a = await actorFor(handle, launch);
        if (!('actor' in a)) return c.body(outcome('forbidden', a.message), a.status, { 'content-type': 'application/fhir+json; charset=utf-8' });
        await appendAudit(config.db, {
          practiceId: a.actor.practiceId,
          actor: a.actor.user,
          role: a.actor.practiceManager ? 'daglig-leder' : a.actor.role,
          ...(launch.patient ? { patientId: launch.patient } : {}),
          action: 'read-list',
          what: listOf.what,
          rows: listOf.rows,
          at: new Date(now()),
        });
      }
    }
    text = rebase(text, launch.iss, `${config.publicOrigin}/fhir`);
    const status = upstream.status as 200;
    return method === 'HEAD' ? c.body(null, status, Object.fromEntries(out)) : c.body(text, status, Object.fromEntries(out));
  });

  app.on(['GET', 'HEAD'], '*', async (c) => {
    const path = decodeURIComponent(new URL(c.req.url).pathname);
    if (path.startsWith('/api/') || path.startsWith('/auth/')) return c.notFound();
    let file = resolve(join(distRoot, path));
    if (file !== distRoot && !file.startsWith(`${distRoot}${sep}`)) return c.body(null, 403);
    const isFile = await stat(file).then((s) => s.isFile(), () => false);
    if (!isFile) file = join(distRoot, 'index.html'); // SPA: every other path is the app
    const data = await readFile(file).catch(() => undefined);
    if (!data) return c.text('Appen er ikke bygget (npm run build).', 500);
    const cache = file.startsWith(`${join(distRoot, 'assets')}${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
    return c.body(data, 200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': cache });
  });

  app.onError((error, c) => {
    log(`[server] error on ${c.req.method} ${new URL(c.req.url).pathname}: ${error instanceof Error ? error.message : String(error)}`);
    return c.text('Intern feil i appserveren.', 500);
  });
  return app;
}

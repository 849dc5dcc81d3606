// Sessions of the app server against a real sandbox EPJ, on one shared test clock (both servers read it,
// so token lifetimes, refresh and timeouts are crossed by moving the clock, never by waiting): CSRF
// (handle header + Origin), a stolen cookie or handle alone, refresh keeping a long session alive, an
// expired refresh, idle timeout, logout, a second server process on the same store, DPoP replay.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Bundle } from '@medplum/fhirtypes';
import { startAppServer, type AppServerEnv } from '../support/appServer';
import { launchThroughServer, NodeBrowser } from '../support/nodeBrowser';
import { openAppServer } from '../../server/main';
import { stopTestPostgres } from '../support/database';
import { dpopHandle } from '../../server/smart/epjClient';
import { ensureBuilt } from '../browser/harness';
import { osloToday } from '../../sandbox/clock';

let clock = Date.now();
const now = () => clock;
const MINUTE = 60_000;
let env: AppServerEnv;
let dataDir: string;

beforeAll(async () => {
  ensureBuilt();
  dataDir = mkdtempSync(join(tmpdir(), 'pht-server-session-'));
  // PostgreSQL: the test of a second server process shares the database (PGlite is one process).
  env = await startAppServer({ dataDir, asOf: osloToday(), patients: 60, now, sandbox: { now }, database: 'PostgreSQL' });
}, 120_000);

afterAll(async () => {
  await env?.close();
  await stopTestPostgres();
  rmSync(dataDir, { recursive: true, force: true });
});

async function launch(params: Record<string, string>) {
  const browser = new NodeBrowser(env.app.origin);
  const { handle } = await launchThroughServer(browser, env.sandbox.origin, env.app.origin, params);
  const get = (path: string, headers: Record<string, string> = { 'x-pht-handle': handle }) => browser.fetch(`${env.app.origin}${path}`, { headers });
  return { browser, handle, get };
}

const flag = (patient: string) => ({
  resourceType: 'Flag',
  status: 'active',
  code: { text: 'test' },
  subject: { reference: `Patient/${patient}` },
});

async function flagCount(patient: string): Promise<number> {
  return (await env.sandbox.fhir.store.search('Flag', { subject: `Patient/${patient}` })).length;
}

describe('CSRF and stolen credentials', () => {
  test('a write needs the cookie, the tab handle in a header and a same-origin Origin', async () => {
    const { browser, handle } = await launch({ user: 'gp-1', patient: 'pat-00010', profile: 'helseid' });
    const before = await flagCount('pat-00010');
    const post = (headers: Record<string, string>, jar = browser) =>
      jar.fetch(`${env.app.origin}/fhir/Flag`, { method: 'POST', headers: { 'content-type': 'application/fhir+json', ...headers }, body: JSON.stringify(flag('pat-00010')) });

    // A stolen cookie without the handle (e.g. a cross-site form post, which cannot set headers).
    const noHandle = await post({ origin: env.app.origin });
    expect([noHandle.status, noHandle.headers.get('x-pht-session-ended')]).toEqual([401, 'missing']);
    // The handle without the cookie (another browser).
    const otherBrowser = new NodeBrowser(env.app.origin);
    expect((await post({ origin: env.app.origin, 'x-pht-handle': handle }, otherBrowser)).status).toBe(401);
    // Both, but from another site, or with no Origin at all.
    expect((await post({ origin: 'https://evil.example', 'x-pht-handle': handle })).status).toBe(403);
    expect((await post({ 'x-pht-handle': handle })).status).toBe(403);
    expect(await flagCount('pat-00010')).toBe(before);
    // The app itself.
    const ok = await post({ origin: env.app.origin, 'x-pht-handle': handle });
    expect(ok.status, await ok.clone().text()).toBe(201);
    expect(await flagCount('pat-00010')).toBe(before + 1);
  });

  test('reads need cookie and handle too', async () => {
    const { get } = await launch({ user: 'nurse-1', patient: 'pat-00011', profile: 'smart' });
    expect((await get('/fhir/Patient/pat-00011', {})).status).toBe(401);
    expect((await get('/api/session', { 'x-pht-handle': 'not-a-handle' })).status).toBe(401);
  });
});

describe('session lifetime', () => {
  test('refresh keeps a long working session alive past many 30-second tokens (HelseID-like: DPoP-bound)', async () => {
    const { get } = await launch({ user: 'gp-1', patient: 'pat-00012', profile: 'helseid', short_token: '1' });
    const tokensOf = async () => (await env.app.launches()).filter((l) => l.patient === 'pat-00012').flatMap((l) => [l.token.accessToken, l.token.refreshToken]);
    const first = await tokensOf();
    const refreshedBefore = env.app.log.filter((l) => l === '[session] token refreshed').length;
    // Four hours of work, a request every 20 minutes: every token has long expired by the next request.
    for (let i = 0; i < 12; i++) {
      clock += 20 * MINUTE;
      const res = await get('/fhir/Patient/pat-00012');
      expect(res.status, `after ${(i + 1) * 20} min`).toBe(200);
    }
    expect(env.app.log.filter((l) => l === '[session] token refreshed').length - refreshedBefore).toBe(12);
    const later = await tokensOf();
    for (const token of first) expect(later).not.toContain(token); // rotated
  });

  test('an expired refresh token ends the session: 401 "expired", and the end page says so', async () => {
    const { get } = await launch({ user: 'nurse-1', patient: 'pat-00013', profile: 'helseid', short_token: '1', refresh_lifetime: '60' });
    expect((await get('/fhir/Patient/pat-00013')).status).toBe(200);
    clock += 2 * MINUTE;
    const res = await get('/fhir/Patient/pat-00013');
    expect([res.status, res.headers.get('x-pht-session-ended')]).toEqual([401, 'expired']);
    expect((await get('/api/session')).status).toBe(401);
    const page = await (await fetch(`${env.app.origin}/avsluttet?grunn=expired`)).text();
    expect(page).toContain('<h1>Økten er utløpt</h1>');
    expect(page).toContain('Tilgangen fra journalsystemet er utløpt og kunne ikke fornyes.');
    expect(page).toContain('start appen på nytt fra journalen');
  });

  test('a token the EPJ refuses before the app server expects it to (its clock ahead): one refresh and a retry, not an ended session', async () => {
    const { get } = await launch({ user: 'nurse-1', patient: 'pat-00019', profile: 'helseid', short_token: '1' });
    expect((await get('/fhir/Patient/pat-00019')).status).toBe(200);
    // The app server believes its token lives another hour; the EPJ's 30 s are over in a minute.
    const rows = await env.app.db.selectFrom('app_session').select(['key', 'value']).execute();
    const row = rows.find((r) => typeof r.value === 'object' && r.value !== null && (r.value as { patient?: string }).patient === 'pat-00019');
    if (!row) throw new Error('no session row');
    const held = row.value as { token: { expiresAt: number } };
    await env.app.db.updateTable('app_session').set({ value: JSON.stringify({ ...held, token: { ...held.token, expiresAt: clock + 60 * MINUTE } }) }).where('key', '=', row.key).execute();
    clock += MINUTE;
    const refreshed = env.app.log.filter((l) => l === '[session] token refreshed').length;
    const res = await get('/fhir/Patient/pat-00019');
    expect(res.status, await res.clone().text()).toBe(200);
    expect(env.app.log.filter((l) => l === '[session] token refreshed').length - refreshed).toBe(1);
    expect(env.app.log.filter((l) => / GET \/fhir\/Patient\/pat-00019 -> 401$/.test(l))).toEqual([]);
  });

  test('idle for longer than the idle timeout ends the session', async () => {
    const { get } = await launch({ user: 'nurse-1', patient: 'pat-00014', profile: 'smart' });
    clock += 29 * MINUTE;
    expect((await get('/api/session')).status).toBe(200);
    clock += 31 * MINUTE;
    const res = await get('/api/session');
    expect([res.status, res.headers.get('x-pht-session-ended')]).toEqual([401, 'idle']);
  });

  test('the absolute timeout ends even an active session', async () => {
    // A refresh token living a day, so only the app server's own 10-hour limit can end it.
    const { get } = await launch({ user: 'nurse-1', profile: 'helseid', refresh_lifetime: '86400' });
    for (let i = 0; i < 20; i++) {
      clock += 29 * MINUTE;
      expect((await get('/api/session')).status).toBe(200);
    }
    clock += 2 * 29 * MINUTE; // 10 h 38 min after the launch, never idle for 30 min... except this jump
    const res = await get('/api/session');
    expect(res.headers.get('x-pht-session-ended')).toBe('absolute');
  });

  test('logout ends every launch of the browser and clears the cookie', async () => {
    const { browser, handle, get } = await launch({ user: 'nurse-1', patient: 'pat-00015', profile: 'smart' });
    const second = await launchThroughServer(browser, env.sandbox.origin, env.app.origin, { user: 'nurse-1', patient: 'pat-00016', profile: 'smart' });
    const noOrigin = await browser.fetch(`${env.app.origin}/api/logout`, { method: 'POST', headers: { 'x-pht-handle': handle } });
    expect(noOrigin.status).toBe(403);
    const res = await browser.fetch(`${env.app.origin}/api/logout`, { method: 'POST', headers: { 'x-pht-handle': handle, origin: env.app.origin } });
    expect(await res.json()).toEqual({ ended: 'logout', page: '/avsluttet?grunn=logout' });
    expect([...browser.cookies.keys()].filter((name) => name.startsWith('__Host-pht-sid'))).toEqual([]);
    expect((await get('/api/session')).status).toBe(401);
    expect((await get('/api/session', { 'x-pht-handle': second.handle })).status).toBe(401);
    const page = await (await fetch(`${env.app.origin}/avsluttet?grunn=logout`)).text();
    expect(page).toContain('<h1>Du er logget ut</h1>');
  });
});

test('a second app server process on the same store serves the same session (restart, two processes)', async () => {
  const { browser, handle } = await launch({ user: 'gp-1', patient: 'pat-00017', profile: 'helseid' });
  const opened = await openAppServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: join(dataDir, 'app-server'),
    registryPath: 'server/epj-registry.json',
    sandboxOrigin: env.sandbox.origin,
    distDir: 'dist',
    limits: { idleMs: 30 * MINUTE, absoluteMs: 10 * 60 * MINUTE, tokenMarginMs: 5_000 },
    database: env.databaseConfig,
  });
  const second = await opened.start({ now });
  try {
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${second.origin}/fhir/Patient/pat-00017`, { headers: { cookie, 'x-pht-handle': handle } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe('pat-00017');
  } finally {
    await second.close();
  }
});

test('a DPoP proof the app server used is refused when replayed to the EPJ (HelseID-like profile)', async () => {
  const { handle, get } = await launch({ user: 'nurse-1', patient: 'pat-00018', profile: 'helseid' });
  expect((await get('/fhir/Patient/pat-00018')).status).toBe(200);
  const launchSession = (await env.app.launches()).find((l) => l.patient === 'pat-00018');
  expect(launchSession?.token.dpop).toBe(true);
  if (!launchSession?.dpopKey) throw new Error('no DPoP key');
  void handle;
  // A proof made with the session's key, accepted once...
  const client: oauth.Client = { client_id: 'primaerhelseteam-server' };
  const dpop = await dpopHandle(client, launchSession.dpopKey, now);
  const url = new URL(`${env.sandbox.helseidFhirBaseUrl}/Patient/pat-00018`);
  let sent: Headers | undefined;
  const options = {
    DPoP: dpop,
    [oauth.allowInsecureRequests]: true,
    [oauth.customFetch]: (input: string, init: Parameters<NonNullable<oauth.ProtectedResourceRequestOptions[typeof oauth.customFetch]>>[1]) => {
      sent = new Headers(init.headers);
      return fetch(input, { headers: init.headers, method: init.method, redirect: init.redirect, ...(init.signal ? { signal: init.signal } : {}) });
    },
  };
  let first: Response;
  try {
    first = await oauth.protectedResourceRequest(launchSession.token.accessToken, 'GET', url, undefined, null, options);
  } catch (error) {
    if (!oauth.isDPoPNonceError(error)) throw error;
    first = await oauth.protectedResourceRequest(launchSession.token.accessToken, 'GET', url, undefined, null, options);
  }
  expect(first.status).toBe(200);
  // ...and the very same request again: refused (jti replay, RFC 9449 §11.1).
  const replay = await fetch(url, { headers: sent });
  expect(replay.status).toBe(401);
  expect(replay.headers.get('www-authenticate')).toMatch(/DPoP/);
});

test('the proxy answers a search with the same FHIR JSON (ids and paging) as the EPJ', async () => {
  const { get } = await launch({ user: 'gp-1', profile: 'smart' });
  const res = await get('/fhir/Patient?_count=2');
  const bundle = (await res.json()) as Bundle;
  expect(bundle.resourceType).toBe('Bundle');
  expect(bundle.entry?.length).toBe(2);
  const next = bundle.link?.find((l) => l.relation === 'next')?.url ?? '';
  expect(next.startsWith(`${env.app.origin}/fhir/`)).toBe(true);
  const page2 = await get(next.slice(env.app.origin.length));
  expect(page2.status).toBe(200);
});

// The app server over HTTP against a real sandbox EPJ (both on port 0): headers and CSP, the EPJ
// registry's refusal before any request, S256, the launch through the server with the session cookie
// and the per-tab handle, and that no EPJ token reaches what the browser receives (issue 14).
import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startAppServer, sandboxRegistry, type AppServerEnv } from '../support/appServer';
import { launchThroughServer, NodeBrowser } from '../support/nodeBrowser';
import { parseRegistry } from '../../server/smart/registry';
import { openAppServer } from '../../server/main';
import { ensureBuilt } from '../browser/harness';
import { osloToday } from '../../sandbox/clock';

interface Recorder {
  origin: string;
  requests: string[];
  close(): Promise<void>;
}

/** In front of the sandbox; records every request; its smart-configuration offers only `plain` PKCE. */
async function startProxy(upstreamOrigin: () => string, downgrade: boolean): Promise<Recorder> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const upstream = new URL(upstreamOrigin());
    const out = httpRequest({ hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } }, (up) => {
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        let body = Buffer.concat(chunks).toString('utf8');
        if (downgrade && (req.url ?? '').includes('/.well-known/smart-configuration')) {
          body = JSON.stringify({ ...(JSON.parse(body) as object), code_challenge_methods_supported: ['plain'] });
        }
        const headers = { ...up.headers };
        delete headers['content-length'];
        res.writeHead(up.statusCode ?? 502, headers);
        res.end(body);
      });
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    }),
  };
}

let env: AppServerEnv;
let downgrading: Recorder;
let dataDir: string;

beforeAll(async () => {
  ensureBuilt();
  dataDir = mkdtempSync(join(tmpdir(), 'pht-server-launch-'));
  downgrading = await startProxy(() => env.sandbox.origin, true);
  env = await startAppServer({
    dataDir,
    asOf: osloToday(),
    patients: 60,
    // The sandbox as registered, plus one EPJ whose discovery does not offer S256.
    registry: (sandbox) => {
      const entries = sandboxRegistry(sandbox).entries;
      const smart = entries.find((e) => e.iss === sandbox.fhirBaseUrl);
      return parseRegistry({ epjs: [...entries, { ...smart, name: 'Uten S256', iss: `${downgrading.origin}/fhir` }] }, {});
    },
  });
}, 120_000);

afterAll(async () => {
  await downgrading?.close();
  await env?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

function cspDirectives(csp: string | null): Map<string, string[]> {
  return new Map((csp ?? '').split(';').map((d) => d.trim().split(/\s+/)).filter((p) => p[0]).map(([name, ...sources]) => [name ?? '', sources]));
}

describe('headers on every response of the app server', () => {
  test.each(['/', '/index.html', '/launch', '/launch?iss=https://ukjent.example/fhir', '/api/session', '/avsluttet?grunn=idle', '/.well-known/jwks.json'])('%s', async (path) => {
    const res = await fetch(`${env.app.origin}${path}`, { redirect: 'manual' });
    for (const [name, value] of Object.entries(HEADERS)) expect(res.headers.get(name), name).toBe(value);
    const csp = cspDirectives(res.headers.get('content-security-policy'));
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    // The registered EPJ (the sandbox) may frame the app; nobody else.
    expect(csp.get('frame-ancestors')).toEqual(["'self'", env.sandbox.origin]);
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe-inline');
  });

  test('the built app is served (SPA fallback) and assets are immutable', async () => {
    const html = await (await fetch(`${env.app.origin}/any/path`)).text();
    expect(html).toContain('<div id="root"></div>');
    const asset = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    expect(asset).toBeTruthy();
    const res = await fetch(`${env.app.origin}${asset}`);
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(res.headers.get('content-type')).toContain('javascript');
  });

  test('the public JWKS has public keys only', async () => {
    const jwks = (await (await fetch(`${env.app.origin}/.well-known/jwks.json`)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.map((k) => k.alg).sort()).toEqual(['ES256', 'PS256', 'RS256']);
    for (const key of jwks.keys) for (const priv of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key[priv]).toBeUndefined();
  });
});

/** A raw GET, so the path is sent as written (fetch would normalise `..`). */
function rawGet(origin: string, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

test.each(['/../app-secret/secret.txt', '/..%2fapp-secret%2fsecret.txt', '/%2e%2e/app-secret/secret.txt'])('the app server serves nothing outside its dist folder: %s', async (path) => {
  const root = mkdtempSync(join(tmpdir(), 'pht-static-'));
  mkdirSync(join(root, 'app'));
  writeFileSync(join(root, 'app', 'index.html'), '<!doctype html><title>app</title>');
  // A sibling folder whose name starts like the served one: must not be reachable.
  mkdirSync(join(root, 'app-secret'));
  writeFileSync(join(root, 'app-secret', 'secret.txt'), 'hemmelig');
  const opened = await openAppServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: join(root, 'data'),
    registryPath: 'server/epj-registry.json',
    sandboxOrigin: 'off',
    distDir: join(root, 'app'),
    limits: { idleMs: 60_000, absoluteMs: 3_600_000, tokenMarginMs: 5_000 },
  });
  const server = await opened.start();
  try {
    expect((await rawGet(server.origin, path)).body).not.toContain('hemmelig');
  } finally {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
});

describe('the EPJ registry is an allow-list', () => {
  test('an unregistered iss: 400 "Ukjent journalsystem" naming it, before any request to it', async () => {
    const stranger = await startProxy(() => env.sandbox.origin, false);
    try {
      const iss = `${stranger.origin}/fhir`;
      const res = await fetch(`${env.app.origin}/launch?iss=${encodeURIComponent(iss)}&launch=x`, { redirect: 'manual' });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('<h1>Ukjent journalsystem</h1>');
      expect(html).toContain(iss);
      expect(html).toContain('start appen på nytt fra journalen');
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(stranger.requests).toEqual([]);
    } finally {
      await stranger.close();
    }
  });

  test('an iss is matched exactly: a registered base with a different path or a trailing path segment is unknown', async () => {
    for (const iss of [`${env.sandbox.fhirBaseUrl}/x`, env.sandbox.origin, env.sandbox.fhirBaseUrl.replace('127.0.0.1', 'localhost')]) {
      const res = await fetch(`${env.app.origin}/launch?iss=${encodeURIComponent(iss)}&launch=x`, { redirect: 'manual' });
      expect(res.status, iss).toBe(400);
    }
  });

  test('a registered EPJ without PKCE S256 is refused before the user is sent to log in', async () => {
    downgrading.requests.length = 0;
    const res = await fetch(`${env.app.origin}/launch?iss=${encodeURIComponent(`${downgrading.origin}/fhir`)}&launch=x`, { redirect: 'manual' });
    const html = await res.text();
    expect(res.status).toBe(400);
    expect(html).toContain('Journalsystemet støtter ikke sikker pålogging');
    expect(html).toContain('code_challenge_methods_supported: plain');
    expect(res.headers.get('location')).toBeNull();
    expect(downgrading.requests).toEqual(['GET /fhir/.well-known/smart-configuration']);
  });
});

describe.each([
  ['helseid', 'Sandkasse-EPJ, HelseID-lik profil', 'PAR + DPoP'],
  // The SMART profile offers PAR (optional there) and the registry says "auto": it is used; no DPoP.
  ['smart', 'Sandkasse-EPJ, SMART standard', 'PAR'],
])('a launch through the app server in the %s profile', (profile, epjName, how) => {
  test('the browser gets a session cookie and a handle in the fragment; the context from /api/session; no token anywhere', async () => {
    const browser = new NodeBrowser(env.app.origin);
    const logFrom = env.app.log.length;
    const { handle, finalUrl } = await launchThroughServer(browser, env.sandbox.origin, env.app.origin, { user: 'nurse-1', patient: 'pat-00003', profile });
    expect(env.app.log.slice(logFrom).find((l) => l.startsWith('[launch]'))).toBe(`[launch] ${epjName}: ${how}`);
    // A patient launch: the fragment also says so (the page preloads the patient panel's code).
    expect(finalUrl).toBe(`${env.app.origin}/#pht-handle=${handle}&pht-patient=1`);
    // One session cookie per launch, named by a hash of its handle (README: `__Host-pht-sid-<16 hex of SHA-256(handle)>`).
    expect([...browser.cookies.keys()]).toEqual([`__Host-pht-sid-${createHash('sha256').update(handle).digest('hex').slice(0, 16)}`]);
    const session = await browser.fetch(`${env.app.origin}/api/session`, { headers: { 'x-pht-handle': handle } });
    const context = JSON.parse(await browser.text(session)) as Record<string, unknown>;
    expect(context).toMatchObject({ epj: epjName, launchKind: 'ehr', patient: 'pat-00003', fhirUser: 'Practitioner/nurse-1', needPatientBanner: true, fhirBaseUrl: `${env.app.origin}/fhir` });
    expect(context.grantedScopes).toContain('user/Task.crus');
    // The answer was prepared when the callback created the session (its EPJ reads ran while the page loaded);
    // it is given once: the next /api/session is computed afresh and says the same.
    expect(env.app.log.slice(logFrom).filter((l) => l === "[session] answered from the callback's prefetch")).toHaveLength(1);
    const again = JSON.parse(await browser.text(await browser.fetch(`${env.app.origin}/api/session`, { headers: { 'x-pht-handle': handle } }))) as Record<string, unknown>;
    expect(env.app.log.slice(logFrom).filter((l) => l === "[session] answered from the callback's prefetch")).toHaveLength(1);
    const { endsInMs: _a, ...first } = context;
    const { endsInMs: _b, ...second } = again;
    expect(second).toEqual(first);
    // A refresh token was granted (offline_access), so the session's end is the absolute timeout, not the token's.
    expect(env.app.log.slice(logFrom).some((l) => l.endsWith(', refresh'))).toBe(true);
    const patient = await browser.fetch(`${env.app.origin}/fhir/Patient/pat-00003`, { headers: { 'x-pht-handle': handle } });
    expect(patient.status).toBe(200);
    expect(JSON.parse(await browser.text(patient))).toMatchObject({ resourceType: 'Patient', id: 'pat-00003' });
    // A search's paging links point at the app server, never at the EPJ.
    const search = await browser.fetch(`${env.app.origin}/fhir/Condition?_count=1`, { headers: { 'x-pht-handle': handle } });
    const bundle = await browser.text(search);
    expect(bundle).not.toContain(env.sandbox.fhirBaseUrl);
    expect(bundle).toContain(`${env.app.origin}/fhir`);

    const tokens = await env.app.issuedTokens();
    expect(tokens.length).toBeGreaterThan(0);
    const seen = [...browser.urls, ...browser.bodies, ...browser.cookies.values(), ...env.app.log];
    for (const token of tokens) for (const hay of seen) expect(hay.includes(token)).toBe(false);
    // Nor the code or state of the login in the server's log.
    for (const line of env.app.log) expect(line).not.toMatch(/code=|state=|Bearer|DPoP /);
  });

});

describe('two tabs', () => {
  test('two launches in one browser (two tabs): each handle keeps its own patient', async () => {
    const browser = new NodeBrowser(env.app.origin);
    const a = await launchThroughServer(browser, env.sandbox.origin, env.app.origin, { user: 'nurse-1', patient: 'pat-00004' });
    const b = await launchThroughServer(browser, env.sandbox.origin, env.app.origin, { user: 'gp-1', patient: 'pat-00005' });
    expect(a.handle).not.toBe(b.handle);
    const ctx = async (handle: string) => (await (await browser.fetch(`${env.app.origin}/api/session`, { headers: { 'x-pht-handle': handle } })).json()) as Record<string, unknown>;
    expect(await ctx(a.handle)).toMatchObject({ patient: 'pat-00004', fhirUser: 'Practitioner/nurse-1' });
    expect(await ctx(b.handle)).toMatchObject({ patient: 'pat-00005', fhirUser: 'Practitioner/gp-1' });
  });
});

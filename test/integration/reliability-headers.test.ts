// Security headers over real HTTP (issue "Reliability and security", point 4): the static server that
// stands in for the app's hosting (sandbox/static.ts, the headers a deployment copies) and the sandbox
// EPJ (FHIR server, launch page). frame-ancestors can only come as a header, never from the <meta> CSP.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { serveStatic, type StaticServer } from '../../sandbox/static';
import { startSandbox, type Sandbox } from '../../sandbox/app';
import { parseCsp } from '../../scripts/check-build';

let sandbox: Sandbox;
let app: StaticServer;
let root: string;
const EHR_ORIGIN = 'https://epj.example.no';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pht-static-'));
  mkdirSync(join(root, 'app', 'assets'), { recursive: true });
  writeFileSync(join(root, 'app', 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'app', 'assets', 'index-abc.js'), 'console.log(1)');
  // A sibling folder whose name starts like the served one: must not be reachable.
  mkdirSync(join(root, 'app-secret'));
  writeFileSync(join(root, 'app-secret', 'secret.txt'), 'hemmelig');
  app = await serveStatic(join(root, 'app'), { frameAncestors: [EHR_ORIGIN] });
  sandbox = await startSandbox({ port: 0, patients: 50, asOf: '2026-03-10', appOrigins: [app.origin] });
});

afterAll(async () => {
  await app?.close();
  await sandbox?.close();
  rmSync(root, { recursive: true, force: true });
});

/** A raw GET, so the path is sent as written (fetch would normalise `..`). */
function rawGet(origin: string, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ hostname: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

function expectSecurityHeaders(res: Response, where: string, frameAncestors: (sources: string[]) => void): void {
  const csp = res.headers.get('content-security-policy');
  expect(csp, `${where}: content-security-policy`).toBeTruthy();
  const sources = parseCsp(csp ?? '').get('frame-ancestors');
  expect(sources, `${where}: frame-ancestors`).toBeDefined();
  frameAncestors(sources ?? []);
  expect(res.headers.get('x-content-type-options'), `${where}: nosniff`).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), `${where}: referrer-policy`).toBe('no-referrer');
}

describe('static server for the built app', () => {
  test.each(['/', '/launch?iss=x&launch=y', '/?code=c&state=s', '/assets/index-abc.js'])('%s: frame-ancestors (the EPJ only), nosniff, no-referrer', async (path) => {
    const res = await fetch(`${app.origin}${path}`);
    expect(res.status).toBe(200);
    expectSecurityHeaders(res, path, (sources) => {
      expect(sources).toEqual(["'self'", EHR_ORIGIN]);
      expect(sources).not.toContain('*');
    });
  });

  test('the entry page is never cached (a new deploy takes effect), hashed assets are', async () => {
    expect((await fetch(`${app.origin}/`)).headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${app.origin}/assets/index-abc.js`)).headers.get('cache-control')).toContain('immutable');
  });

  test.each(['/../app-secret/secret.txt', '/..%2fapp-secret%2fsecret.txt', '/%2e%2e/app-secret/secret.txt'])('no path traversal to a sibling folder: %s', async (path) => {
    const res = await rawGet(app.origin, path);
    expect(res.body).not.toContain('hemmelig');
  });
});

describe('sandbox EPJ', () => {
  test('FHIR responses (also errors): frame-ancestors none, nosniff, no-referrer', async () => {
    for (const path of ['/fhir/metadata', '/fhir/Patient']) {
      const res = await fetch(`${sandbox.origin}${path}`);
      expectSecurityHeaders(res, path, (sources) => expect(sources).toEqual(["'none'"]));
    }
    expect((await fetch(`${sandbox.origin}/fhir/Patient`)).status).toBe(401);
  });

  test('launch page: frame-ancestors none, no scripts, nosniff, no-referrer', async () => {
    const res = await fetch(`${sandbox.origin}/`);
    expectSecurityHeaders(res, '/', (sources) => expect(sources).toEqual(["'none'"]));
    expect(parseCsp(res.headers.get('content-security-policy') ?? '').get('default-src')).toEqual(["'none'"]);
  });

  test('discovery advertises S256 only and is not sniffable', async () => {
    const res = await fetch(`${sandbox.fhirBaseUrl}/.well-known/smart-configuration`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const json: unknown = await res.json();
    expect(json).toMatchObject({ code_challenge_methods_supported: ['S256'] });
  });
});

// Security headers over real HTTP (issue "Reliability and security", point 4): the sandbox EPJ (FHIR
// server, launch page). The app's own headers come from the app server (test/integration/server-launch.test.ts).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/app';
import { parseCsp } from '../../scripts/check-build';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, patients: 50, asOf: '2026-03-10' });
});

afterAll(async () => {
  await sandbox?.close();
});

function expectSecurityHeaders(res: Response, where: string, frameAncestors: (sources: string[]) => void): void {
  const csp = res.headers.get('content-security-policy');
  expect(csp, `${where}: content-security-policy`).toBeTruthy();
  const sources = parseCsp(csp ?? '').get('frame-ancestors');
  expect(sources, `${where}: frame-ancestors`).toBeDefined();
  frameAncestors(sources ?? []);
  expect(res.headers.get('x-content-type-options'), `${where}: nosniff`).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), `${where}: referrer-policy`).toBe('no-referrer');
}

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

// The sandbox EPJ's SMART authorization server, over real HTTP on port 0, driven by oauth4webapi as
// the app will drive it (SMART App Launch 2.x, EHR and standalone launch; SMART Backend Services).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oauth from 'oauth4webapi';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createSmartAuth, type LaunchPatient, type LaunchUser, type SmartAuth } from '../../sandbox/auth/server';
import { AuthenticationError } from '../../sandbox/auth/types';
import manifest from '../../manifest.json';

// manifest.json registers the app server's callback (issue 14).
const APP_REDIRECT = 'http://localhost:5173/auth/callback';
const DEV_APP_ORIGIN = 'http://127.0.0.1:5174';

const USERS: LaunchUser[] = [
  { id: 'prac-gp-1', name: 'Liv Fastlege', role: 'gp', practiceManager: false, hpr: '9144889' },
  { id: 'prac-gp-2', name: 'Per Leder', role: 'gp', practiceManager: true },
  { id: 'prac-nurse-1', name: 'Siri Sykepleier', role: 'nurse', practiceManager: false },
  { id: 'prac-sec-1', name: 'Hans Sekretær', role: 'secretary', practiceManager: false },
];
const PATIENTS: LaunchPatient[] = [
  { id: 'pat-1', name: 'Kari Nordmann', birthDate: '1941-03-02', fnr: '02034112345' },
  { id: 'pat-xss', name: '<script>alert("x")</script> Hacker', birthDate: '1980-01-01' },
];
const directory = {
  users: async () => USERS,
  patients: async (query: string, limit: number) =>
    PATIENTS.filter((p) => p.name.toLowerCase().includes(query.toLowerCase())).slice(0, limit),
  patient: async (id: string) => PATIENTS.find((p) => p.id === id),
};

let server: Server;
let origin: string;
let fhirBase: string;
let dataDir: string;
let auth: SmartAuth;
/** Added to Date.now() by the server's clock: lets tests expire codes and tokens without sleeping. */
let clockOffsetMs = 0;

const client: oauth.Client = { client_id: manifest.client_id, token_endpoint_auth_method: 'none' };
const insecure = { [oauth.allowInsecureRequests]: true };
let as: oauth.AuthorizationServer;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sandbox-auth-'));
  let handler: SmartAuth['handle'] = async () => false;
  server = createServer((req, res) => {
    void handler(req, res).then((answered) => {
      if (!answered) {
        res.writeHead(404);
        res.end('not auth');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fhirBase = `${origin}/fhir`;
  auth = await createSmartAuth({
    issuer: origin,
    fhirBaseUrl: fhirBase,
    dataDir,
    manifest,
    extraRedirectOrigins: [DEV_APP_ORIGIN],
    directory,
    now: () => Date.now() + clockOffsetMs,
  });
  handler = auth.handle;
  const config = await (await fetch(`${fhirBase}/.well-known/smart-configuration`)).json();
  as = {
    issuer: config.issuer,
    authorization_endpoint: config.authorization_endpoint,
    token_endpoint: config.token_endpoint,
    jwks_uri: config.jwks_uri,
    id_token_signing_alg_values_supported: config.id_token_signing_alg_values_supported,
  };
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  clockOffsetMs = 0;
});

async function get(path: string): Promise<Response> {
  return fetch(new URL(path, origin), { redirect: 'manual' });
}

function location(res: Response): URL {
  const value = res.headers.get('location');
  if (!value) throw new Error(`expected a redirect, got ${res.status}`);
  return new URL(value);
}

/** Launch page's direct form: returns the `launch` id handed to the app. */
async function ehrLaunch(query: string): Promise<string> {
  const res = await get(`/launch?${query}`);
  expect(res.status).toBe(302);
  const target = location(res);
  expect(target.searchParams.get('iss')).toBe(fhirBase);
  const launch = target.searchParams.get('launch');
  if (!launch) throw new Error('no launch id');
  return launch;
}

interface AuthorizeInput {
  scope: string;
  launch?: string;
  redirectUri?: string;
  pkce?: 'S256' | 'plain' | 'none';
  aud?: string;
}

async function startAuthorization(input: AuthorizeInput) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint ?? '');
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', client.client_id);
  url.searchParams.set('redirect_uri', input.redirectUri ?? APP_REDIRECT);
  url.searchParams.set('scope', input.scope);
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  url.searchParams.set('aud', input.aud ?? fhirBase);
  if (input.launch) url.searchParams.set('launch', input.launch);
  const pkce = input.pkce ?? 'S256';
  if (pkce === 'S256') {
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
    url.searchParams.set('code_challenge_method', 'S256');
  } else if (pkce === 'plain') {
    url.searchParams.set('code_challenge', verifier);
    url.searchParams.set('code_challenge_method', 'plain');
  }
  const res = await fetch(url, { redirect: 'manual' });
  return { res, verifier, state, nonce };
}

async function exchange(callback: URL, verifier: string, redirectUri = APP_REDIRECT): Promise<Response> {
  const params = oauth.validateAuthResponse(as, client, callback, oauth.skipStateCheck);
  return oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, insecure);
}

/** A full EHR launch; returns the processed token response. */
async function launchAndExchange(query: string, scope: string) {
  const launch = await ehrLaunch(query);
  const { res, verifier, state, nonce } = await startAuthorization({ scope, launch });
  expect(res.status).toBe(302);
  const params = oauth.validateAuthResponse(as, client, location(res), state);
  const tokenRes = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, APP_REDIRECT, verifier, insecure);
  return oauth.processAuthorizationCodeResponse(as, client, tokenRes, { expectedNonce: nonce, requireIdToken: scope.includes('openid') });
}

async function postToken(body: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${origin}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body),
  });
}

const APP_SCOPE = 'launch launch/patient openid fhirUser user/Patient.rs user/Condition.rs user/Task.cruds';

describe('discovery', () => {
  test.each(['/.well-known/smart-configuration', '/fhir/.well-known/smart-configuration'])('%s describes a SMART 2.x server', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const config = await res.json();
    expect(config).toMatchObject({
      issuer: origin,
      authorization_endpoint: `${origin}/auth/authorize`,
      token_endpoint: `${origin}/auth/token`,
      jwks_uri: `${origin}/auth/jwks`,
      code_challenge_methods_supported: ['S256'],
    });
    expect(config.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'client_credentials']));
    expect(config.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['none', 'private_key_jwt']));
    expect(config.capabilities).toEqual(expect.arrayContaining([
      'launch-ehr', 'launch-standalone', 'client-public', 'context-ehr-patient', 'context-standalone-patient',
      'permission-v2', 'sso-openid-connect',
    ]));
    expect(config.scopes_supported).toEqual(expect.arrayContaining(['launch', 'launch/patient', 'openid', 'fhirUser', 'user/Task.crus', 'system/*.rs']));
  });

  test('OpenID metadata passes oauth4webapi discovery validation', async () => {
    const res = await oauth.discoveryRequest(new URL(origin), { algorithm: 'oidc', ...insecure });
    const metadata = await oauth.processDiscoveryResponse(new URL(origin), res);
    expect(metadata.token_endpoint).toBe(`${origin}/auth/token`);
  });

  test('JWKS publishes the public signing keys only: ES256 for access tokens, RS256 for id_tokens', async () => {
    const jwks = await (await get('/auth/jwks')).json();
    expect(jwks.keys).toHaveLength(2);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.keys[1]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    for (const key of jwks.keys) expect(key.d).toBeUndefined();
  });

  test('other paths are left to the FHIR server', async () => {
    const res = await get('/fhir/Patient');
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('not auth');
  });
});

describe('EHR launch', () => {
  test('full launch with PKCE: context, granted scopes, id_token, verifiable access token', async () => {
    const result = await launchAndExchange('user=prac-gp-1&patient=pat-1', `${APP_SCOPE} user/Binary.rs offline_access`);
    // user/Task.cruds narrowed to the registered crus; unregistered scopes dropped.
    expect(result.scope).toBe('launch launch/patient openid fhirUser user/Patient.rs user/Condition.rs user/Task.crus');
    expect(result).toMatchObject({ token_type: 'bearer', patient: 'pat-1', need_patient_banner: true, expires_in: 3600 });
    // The user's identity comes in the id_token only (SMART 2.2 sso-openid-connect), signed RS256.
    expect(result.fhirUser).toBeUndefined();
    expect(oauth.getValidatedIdTokenClaims(result)).toMatchObject({ sub: 'prac-gp-1', aud: client.client_id, fhirUser: 'Practitioner/prac-gp-1' });
    expect(decodeProtectedHeader(result.id_token ?? '').alg).toBe('RS256');

    const { payload, protectedHeader } = await jwtVerify(result.access_token, createRemoteJWKSet(new URL(`${origin}/auth/jwks`)), { issuer: origin, audience: fhirBase });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(payload).toMatchObject({ sub: 'prac-gp-1', client_id: client.client_id, patient: 'pat-1' });

    const context = await auth.authenticate(`Bearer ${result.access_token}`);
    expect(context).toEqual({
      kind: 'user',
      clientId: client.client_id,
      scopes: result.scope?.split(' '),
      fhirUser: 'Practitioner/prac-gp-1',
      patient: 'pat-1',
      expiresAt: payload.exp,
    });
  });

  test('practice launch without patient: no patient context and no launch/patient', async () => {
    const result = await launchAndExchange('user=prac-sec-1&banner=0', APP_SCOPE);
    expect(result.patient).toBeUndefined();
    expect(result.need_patient_banner).toBe(false);
    expect(result.scope?.split(' ')).not.toContain('launch/patient');
    expect((await auth.authenticate(`Bearer ${result.access_token}`)).patient).toBeUndefined();
  });

  test('patient/-scopes option, encounter and short token lifetime', async () => {
    const result = await launchAndExchange('user=prac-nurse-1&patient=pat-1&encounter=enc-7&patient_scopes=1&short_token=1', APP_SCOPE);
    expect(result.scope).toBe('launch launch/patient openid fhirUser patient/Patient.rs patient/Condition.rs patient/Task.crus');
    expect(result).toMatchObject({ encounter: 'enc-7', expires_in: 30 });
    clockOffsetMs = 31_000;
    await expect(auth.authenticate(`Bearer ${result.access_token}`)).rejects.toThrow(/expired/);
  });

  test('the app may be served from an extra origin', async () => {
    const res = await get(`/launch?user=prac-gp-1&app=${encodeURIComponent(DEV_APP_ORIGIN)}`);
    expect(location(res).origin).toBe(DEV_APP_ORIGIN);
    expect(location(res).pathname).toBe('/launch');
    const launch = location(res).searchParams.get('launch') ?? '';
    const { res: authorizeRes } = await startAuthorization({ scope: APP_SCOPE, launch, redirectUri: `${DEV_APP_ORIGIN}/auth/callback` });
    expect(location(authorizeRes).origin).toBe(DEV_APP_ORIGIN);
    expect(location(authorizeRes).searchParams.get('code')).toBeTruthy();
  });

  test.each([
    ['an unknown user', 'user=nobody'],
    ['an app origin that is not registered', 'user=prac-gp-1&app=https%3A%2F%2Fevil.example'],
    ['a malformed patient id', 'user=prac-gp-1&patient=a%2Fb'],
  ])('refuses %s', async (_case, query) => {
    const res = await get(`/launch?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  test('an unknown launch id is an error redirect', async () => {
    const { res, state } = await startAuthorization({ scope: APP_SCOPE, launch: 'made-up' });
    const callback = location(res);
    expect(callback.searchParams.get('error')).toBe('invalid_request');
    expect(callback.searchParams.get('state')).toBe(state);
  });
});

describe('standalone launch', () => {
  test('the picker chooses user and patient, then the code exchange gives that context', async () => {
    const { res, verifier, state, nonce } = await startAuthorization({ scope: 'launch/patient openid fhirUser user/Patient.rs' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await res.text();
    expect(page).toContain('<html lang="nb">');
    expect(page).toContain('Siri Sykepleier – Sykepleier');
    const requestId = /name="request" value="([^"]+)"/.exec(page)?.[1] ?? '';
    expect(requestId).not.toBe('');

    const missingPatient = await fetch(`${origin}/auth/authorize/select`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request: requestId, user: 'prac-nurse-1', decision: 'allow' }),
    });
    expect(missingPatient.status).toBe(400);
    expect(await missingPatient.text()).toContain('Velg en pasient');

    const decided = await fetch(`${origin}/auth/authorize/select`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request: requestId, user: 'prac-nurse-1', patient: 'pat-1', decision: 'allow' }),
    });
    expect(decided.status).toBe(302);
    const params = oauth.validateAuthResponse(as, client, location(decided), state);
    const tokenRes = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, APP_REDIRECT, verifier, insecure);
    const result = await oauth.processAuthorizationCodeResponse(as, client, tokenRes, { expectedNonce: nonce, requireIdToken: true });
    expect(result).toMatchObject({ patient: 'pat-1', need_patient_banner: true });
    expect(oauth.getValidatedIdTokenClaims(result)?.fhirUser).toBe('Practitioner/prac-nurse-1');
    expect(result.scope).toBe('launch/patient openid fhirUser user/Patient.rs');
  });

  test('standalone without launch/patient issues a user-only grant; cancel is access_denied', async () => {
    const { res, verifier, state, nonce } = await startAuthorization({ scope: 'openid fhirUser user/Patient.rs' });
    const page = await res.text();
    expect(page).not.toContain('name="patient"');
    const requestId = /name="request" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const form = (extra: Record<string, string>) => fetch(`${origin}/auth/authorize/select`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request: requestId, ...extra }),
    });
    const decided = await form({ user: 'prac-gp-2', decision: 'allow' });
    const params = oauth.validateAuthResponse(as, client, location(decided), state);
    const tokenRes = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, APP_REDIRECT, verifier, insecure);
    const result = await oauth.processAuthorizationCodeResponse(as, client, tokenRes, { expectedNonce: nonce, requireIdToken: true });
    expect(result).toMatchObject({ scope: 'openid fhirUser user/Patient.rs', need_patient_banner: true });
    expect(oauth.getValidatedIdTokenClaims(result)?.fhirUser).toBe('Practitioner/prac-gp-2');
    expect(result.patient).toBeUndefined();
    // The request is spent once decided.
    expect((await form({ user: 'prac-gp-2', decision: 'allow' })).status).toBe(400);

    const second = await startAuthorization({ scope: 'openid user/Patient.rs' });
    const secondId = /name="request" value="([^"]+)"/.exec(await second.res.text())?.[1] ?? '';
    const cancelled = await fetch(`${origin}/auth/authorize/select`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request: secondId, decision: 'deny' }),
    });
    expect(location(cancelled).searchParams.get('error')).toBe('access_denied');
    expect(location(cancelled).searchParams.get('state')).toBe(second.state);
  });
});

describe('authorization request checks', () => {
  test.each(['none', 'plain'] as const)('PKCE %s is refused with invalid_request and the state', async (pkce) => {
    const launch = await ehrLaunch('user=prac-gp-1&patient=pat-1');
    const { res, state } = await startAuthorization({ scope: APP_SCOPE, launch, pkce });
    expect(res.status).toBe(302);
    const callback = location(res);
    expect(callback.origin + callback.pathname).toBe(APP_REDIRECT);
    expect(callback.searchParams.get('error')).toBe('invalid_request');
    expect(callback.searchParams.get('state')).toBe(state);
    expect(callback.searchParams.get('code')).toBeNull();
  });

  test('aud other than the FHIR base URL is refused', async () => {
    const launch = await ehrLaunch('user=prac-gp-1');
    const { res } = await startAuthorization({ scope: APP_SCOPE, launch, aud: 'https://other.example/fhir' });
    expect(location(res).searchParams.get('error')).toBe('invalid_request');
  });

  test('an unregistered redirect_uri gets a Norwegian error page, never a redirect', async () => {
    const launch = await ehrLaunch('user=prac-gp-1');
    const { res } = await startAuthorization({ scope: APP_SCOPE, launch, redirectUri: 'https://evil.example/' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('tilbakeadresse');
  });
});

describe('token endpoint: authorization_code', () => {
  async function codeFor(query = 'user=prac-gp-1&patient=pat-1') {
    const launch = await ehrLaunch(query);
    const { res, verifier } = await startAuthorization({ scope: APP_SCOPE, launch });
    return { callback: location(res), verifier };
  }

  test('a wrong code_verifier is invalid_grant, and spends the code', async () => {
    const { callback, verifier } = await codeFor();
    const wrong = await exchange(callback, oauth.generateRandomCodeVerifier());
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await exchange(callback, verifier)).status).toBe(400);
  });

  test('a code works once', async () => {
    const { callback, verifier } = await codeFor();
    const first = await exchange(callback, verifier);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const again = await exchange(callback, verifier);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  test('the redirect_uri must be the one the code was issued for', async () => {
    const { callback, verifier } = await codeFor();
    const res = await exchange(callback, verifier, `${DEV_APP_ORIGIN}/`);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  test('a code expires after 60 s', async () => {
    const { callback, verifier } = await codeFor();
    clockOffsetMs = 61_000;
    const res = await exchange(callback, verifier);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  test('another client_id is invalid_client (401)', async () => {
    const { callback, verifier } = await codeFor();
    const res = await postToken({
      grant_type: 'authorization_code', code: callback.searchParams.get('code') ?? '', redirect_uri: APP_REDIRECT,
      code_verifier: verifier, client_id: 'someone-else',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  test('unsupported grant types and bodies are OAuth errors', async () => {
    expect(await (await postToken({ grant_type: 'password' })).json()).toMatchObject({ error: 'unsupported_grant_type' });
    const json = await fetch(`${origin}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: 'invalid_request' });
  });

  test('CORS admits the app origin only', async () => {
    const fromApp = await postToken({ grant_type: 'password' }, { origin: 'http://localhost:5173' });
    expect(fromApp.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const fromElsewhere = await postToken({ grant_type: 'password' }, { origin: 'https://evil.example' });
    expect(fromElsewhere.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${origin}/auth/token`, { method: 'OPTIONS', headers: { origin: DEV_APP_ORIGIN } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(DEV_APP_ORIGIN);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST');
  });
});

describe('authenticate', () => {
  async function storedSigningKey(): Promise<{ key: CryptoKey; kid: string }> {
    const jwk: JWK = JSON.parse(await readFile(join(dataDir, 'auth', 'signing-key.jwk.json'), 'utf8'));
    const key = await importJWK(jwk, 'ES256');
    if (key instanceof Uint8Array || !jwk.kid) throw new Error('expected an EC key with kid');
    return { key, kid: jwk.kid };
  }

  async function sign(key: CryptoKey, kid: string, claims: { aud?: string; exp?: number; typ?: string } = {}) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ client_id: client.client_id, scope: 'user/Patient.rs', kind: 'user', fhirUser: 'Practitioner/prac-gp-1' })
      .setProtectedHeader({ alg: 'ES256', kid, typ: claims.typ ?? 'at+jwt' })
      .setIssuer(origin)
      .setAudience(claims.aud ?? fhirBase)
      .setSubject('prac-gp-1')
      .setIssuedAt(now)
      .setExpirationTime(claims.exp ?? now + 60)
      .sign(key);
  }

  test('accepts a token signed with the persisted key (control for the cases below)', async () => {
    const { key, kid } = await storedSigningKey();
    expect(await auth.authenticate(`Bearer ${await sign(key, kid)}`)).toMatchObject({ kind: 'user', scopes: ['user/Patient.rs'] });
  });

  test('rejects another audience, an expired token and a non-access-token typ', async () => {
    const { key, kid } = await storedSigningKey();
    await expect(auth.authenticate(`Bearer ${await sign(key, kid, { aud: 'http://other.example/fhir' })}`)).rejects.toThrow(AuthenticationError);
    await expect(auth.authenticate(`Bearer ${await sign(key, kid, { exp: Math.floor(Date.now() / 1000) - 5 })}`)).rejects.toThrow(/expired/);
    await expect(auth.authenticate(`Bearer ${await sign(key, kid, { typ: 'JWT' })}`)).rejects.toThrow(AuthenticationError);
  });

  test('rejects a forged signature and a tampered payload', async () => {
    const { kid } = await storedSigningKey();
    const { privateKey } = await generateKeyPair('ES256');
    await expect(auth.authenticate(`Bearer ${await sign(privateKey, kid)}`)).rejects.toThrow(/signature/);

    const issued = await launchAndExchange('user=prac-gp-1&patient=pat-1', APP_SCOPE);
    const [header, , signature] = issued.access_token.split('.');
    const widened = Buffer.from(JSON.stringify({ ...decodeJwt(issued.access_token), patient: 'pat-xss' })).toString('base64url');
    await expect(auth.authenticate(`Bearer ${header}.${widened}.${signature}`)).rejects.toThrow(AuthenticationError);
  });

  test('rejects an issued token once expired, and the id_token as an access token', async () => {
    const issued = await launchAndExchange('user=prac-gp-1&patient=pat-1', APP_SCOPE);
    await expect(auth.authenticate(`Bearer ${issued.id_token}`)).rejects.toThrow(AuthenticationError);
    clockOffsetMs = 3601_000;
    await expect(auth.authenticate(`Bearer ${issued.access_token}`)).rejects.toThrow(/expired/);
  });

  test.each([undefined, '', 'Basic abc', 'Bearer', 'Bearer not-a-jwt'])('rejects header %j', async (header) => {
    await expect(auth.authenticate(header)).rejects.toThrow(AuthenticationError);
  });

  test('keys persist in dataDir across restarts', async () => {
    const issued = await launchAndExchange('user=prac-gp-1', APP_SCOPE);
    const restarted = await createSmartAuth({ issuer: origin, fhirBaseUrl: fhirBase, dataDir, manifest, directory });
    expect(restarted.backendClient.kid).toBe(auth.backendClient.kid);
    expect((await restarted.authenticate(`Bearer ${issued.access_token}`)).fhirUser).toBe('Practitioner/prac-gp-1');
    const ephemeral = await createSmartAuth({ issuer: origin, fhirBaseUrl: fhirBase, manifest, directory });
    await expect(ephemeral.authenticate(`Bearer ${issued.access_token}`)).rejects.toThrow(AuthenticationError);
  });
});

describe('backend services (client_credentials)', () => {
  async function assertion(overrides: { key?: CryptoKey; aud?: string; expIn?: number; jti?: string } = {}) {
    const { privateJwk, kid, clientId, tokenUrl } = auth.backendClient;
    const key = overrides.key ?? (await importJWK(privateJwk, 'ES256'));
    if (key instanceof Uint8Array) throw new Error('expected an EC key');
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(overrides.aud ?? tokenUrl)
      .setIssuedAt(now)
      .setExpirationTime(now + (overrides.expIn ?? 240))
      .setJti(overrides.jti ?? crypto.randomUUID())
      .sign(key);
  }

  function requestToken(clientAssertion: string, scope = 'system/*.rs system/Task.cruds system/Condition.c') {
    return postToken({
      grant_type: 'client_credentials',
      scope,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: clientAssertion,
    });
  }

  test('a signed assertion gets the registered system scopes; its jti cannot be replayed', async () => {
    const signed = await assertion();
    const res = await requestToken(signed);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 300, scope: 'system/*.rs system/Task.cruds' });
    expect(await auth.authenticate(`Bearer ${body.access_token}`)).toMatchObject({
      kind: 'backend', clientId: 'primaerhelseteam-sweep', scopes: ['system/*.rs', 'system/Task.cruds'],
    });
    const replay = await requestToken(signed);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: 'invalid_client' });
  });

  test('oauth4webapi PrivateKeyJwt works as the sweep client', async () => {
    const key = await importJWK(auth.backendClient.privateJwk, 'ES256');
    if (key instanceof Uint8Array) throw new Error('expected an EC key');
    const sweep: oauth.Client = { client_id: auth.backendClient.clientId };
    const res = await oauth.clientCredentialsGrantRequest(as, sweep, oauth.PrivateKeyJwt({ key, kid: auth.backendClient.kid }), { scope: 'system/Task.rs' }, insecure);
    expect((await oauth.processClientCredentialsResponse(as, sweep, res)).scope).toBe('system/Task.rs');
  });

  test.each([
    ['another key', async () => assertion({ key: (await generateKeyPair('ES256')).privateKey })],
    ['another audience', async () => assertion({ aud: 'https://elsewhere.example/token' })],
    ['exp more than 5 minutes ahead', async () => assertion({ expIn: 600 })],
    ['an expired assertion', async () => assertion({ expIn: -60 })],
    ['not a JWT', async () => 'garbage'],
  ])('%s is invalid_client', async (_case, make) => {
    const res = await requestToken(await make());
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  test('an assertion for an unknown client is refused', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(privateKey);
    const key = await importJWK(jwk, 'ES256');
    if (key instanceof Uint8Array) throw new Error('expected an EC key');
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'ES256' }).setIssuer('intruder').setSubject('intruder')
      .setAudience(auth.backendClient.tokenUrl).setIssuedAt(now).setExpirationTime(now + 60).setJti('x').sign(key);
    expect((await requestToken(forged)).status).toBe(401);
  });

  test('no registered scope requested is invalid_scope', async () => {
    const res = await requestToken(await assertion(), 'system/Patient.c user/Patient.rs');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_scope' });
  });
});

describe('launch page', () => {
  test('lists the users and patients and escapes directory data', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await res.text();
    expect(page).toContain('Per Leder – Fastlege, daglig leder');
    expect(page).toContain('Hans Sekretær – Helsesekretær');
    expect(page).toContain('Kari Nordmann (født 02.03.1941)');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Hacker');
    expect(page).not.toContain('<script');
    expect(page).toContain('formaction="/"');
  });

  test('search keeps the choices and escapes the query', async () => {
    const res = await get(`/?q=${encodeURIComponent('"><script>x</script>')}&user=prac-nurse-1&banner=0&banner=1&short_token=1`);
    const page = await res.text();
    expect(page).not.toContain('<script');
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
    expect(page).toMatch(/value="prac-nurse-1" required checked/);
    expect(page).toMatch(/name="short_token" value="1" checked/);
    expect(page).toContain('Ingen pasienter funnet');
  });

  test('the stylesheet is served; unsupported methods are 405', async () => {
    expect((await get('/auth/static/sandbox.css')).headers.get('content-type')).toContain('text/css');
    expect((await fetch(`${origin}/auth/token`)).status).toBe(405);
  });
});

describe('SMART App Launch 2.2 conformance (issue 12 item 12)', () => {
  test('the authorization endpoint accepts POST (authorize-post) and advertises it', async () => {
    const launch = await ehrLaunch('user=prac-gp-1&patient=pat-1');
    const verifier = oauth.generateRandomCodeVerifier();
    const res = await fetch(`${origin}/auth/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        response_type: 'code', client_id: client.client_id, redirect_uri: APP_REDIRECT, scope: APP_SCOPE, state: 'post-state', aud: fhirBase, launch,
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      }),
    });
    expect(res.status).toBe(302);
    const callback = location(res);
    expect(callback.searchParams.get('state')).toBe('post-state');
    expect((await exchange(callback, verifier)).status).toBe(200);
    expect((await (await get('/.well-known/smart-configuration')).json()).capabilities).toContain('authorize-post');
  });

  test('fhirUser only with openid fhirUser: not in the token response, not in an id_token asked without it', async () => {
    const result = await launchAndExchange('user=prac-gp-1&patient=pat-1', 'launch openid user/Patient.rs');
    expect(result.scope).toBe('launch openid user/Patient.rs');
    expect(result.fhirUser).toBeUndefined();
    const claims = oauth.getValidatedIdTokenClaims(result);
    expect(claims?.sub).toBe('prac-gp-1');
    expect(claims?.fhirUser).toBeUndefined();
  });

  test('a standalone launch asking for patient/ scopes gets them for the chosen patient', async () => {
    const { res, verifier, state, nonce } = await startAuthorization({ scope: 'launch/patient openid fhirUser patient/*.rs patient/Task.cruds' });
    const requestId = /name="request" value="([^"]+)"/.exec(await res.text())?.[1] ?? '';
    const decided = await fetch(`${origin}/auth/authorize/select`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request: requestId, user: 'prac-gp-1', patient: 'pat-1', decision: 'allow' }),
    });
    const params = oauth.validateAuthResponse(as, client, location(decided), state);
    const result = await oauth.processAuthorizationCodeResponse(as, client,
      await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, APP_REDIRECT, verifier, insecure), { expectedNonce: nonce });
    const granted = result.scope?.split(' ') ?? [];
    expect(result.patient).toBe('pat-1');
    expect(granted).toEqual(expect.arrayContaining(['launch/patient', 'patient/Patient.rs', 'patient/Condition.rs', 'patient/Task.crus']));
    expect(granted.filter((g) => g.startsWith('user/'))).toEqual([]);
  });

  test('patient/ scopes are not granted to a launch without a patient', async () => {
    const result = await launchAndExchange('user=prac-gp-1', 'launch openid patient/Patient.rs user/Patient.rs');
    expect(result.scope).toBe('launch openid user/Patient.rs');
  });

  test('a replayed code is refused and the tokens issued for it are revoked', async () => {
    const launch = await ehrLaunch('user=prac-gp-1&patient=pat-1');
    const { res, verifier } = await startAuthorization({ scope: APP_SCOPE, launch });
    const callback = location(res);
    const first = await (await exchange(callback, verifier)).json();
    expect((await auth.authenticate(`Bearer ${first.access_token}`)).fhirUser).toBe('Practitioner/prac-gp-1');
    const replay = await exchange(callback, verifier);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    await expect(auth.authenticate(`Bearer ${first.access_token}`)).rejects.toThrow(/revoked/);
  });

  test('a launch for a patient the EPJ does not have is refused, and so is such a choice in the picker', async () => {
    const res = await get('/launch?user=prac-gp-1&patient=pat-unknown');
    expect(res.status).toBe(404);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('Ukjent pasient');

    const { res: picker } = await startAuthorization({ scope: 'launch/patient openid user/Patient.rs' });
    const requestId = /name="request" value="([^"]+)"/.exec(await picker.text())?.[1] ?? '';
    const decided = await fetch(`${origin}/auth/authorize/select`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request: requestId, user: 'prac-gp-1', patient: 'pat-unknown', decision: 'allow' }),
    });
    expect(decided.status).toBe(400);
    expect(await decided.text()).toContain('Velg en pasient');
  });

  test('an access token with iat in the future is refused', async () => {
    const jwk: JWK = JSON.parse(await readFile(join(dataDir, 'auth', 'signing-key.jwk.json'), 'utf8'));
    const key = await importJWK(jwk, 'ES256');
    if (key instanceof Uint8Array) throw new Error('expected an EC key');
    const now = Math.floor(Date.now() / 1000);
    const future = await new SignJWT({ client_id: client.client_id, scope: 'user/Patient.rs', kind: 'user' })
      .setProtectedHeader({ alg: 'ES256', kid: jwk.kid ?? '', typ: 'at+jwt' })
      .setIssuer(origin).setAudience(fhirBase).setSubject('prac-gp-1')
      .setIssuedAt(now + 600).setExpirationTime(now + 900)
      .sign(key);
    await expect(auth.authenticate(`Bearer ${future}`)).rejects.toThrow(/iat/);
  });

  test('a backend client assertion naming an unknown kid is refused', async () => {
    const key = await importJWK(auth.backendClient.privateJwk, 'ES256');
    if (key instanceof Uint8Array) throw new Error('expected an EC key');
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'not-registered' })
      .setIssuer(auth.backendClient.clientId).setSubject(auth.backendClient.clientId).setAudience(auth.backendClient.tokenUrl)
      .setIssuedAt(now).setExpirationTime(now + 60).setJti(crypto.randomUUID())
      .sign(key);
    const res = await postToken({ grant_type: 'client_credentials', scope: 'system/Task.rs', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client', error_description: expect.stringMatching(/kid/) });
  });
});

describe('short lifetimes for tests (issue 12 item 13)', () => {
  // A second EPJ with the app server registered as a confidential client (SMART profile: no PAR or DPoP,
  // which would tie the test to the real clock), sharing this file's movable clock.
  const SERVER_ID = 'primaerhelseteam-server';
  const SERVER_REDIRECT = 'http://127.0.0.1:5190/auth/callback';
  const serverClient: oauth.Client = { client_id: SERVER_ID, token_endpoint_auth_method: 'private_key_jwt' };
  let epj: { server: Server; origin: string; auth: SmartAuth; as: oauth.AuthorizationServer };
  let serverKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    serverKey = pair.privateKey;
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'server-1', alg: 'ES256' };
    let handler: SmartAuth['handle'] = async () => false;
    const server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const epjOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const epjAuth = await createSmartAuth({
      issuer: epjOrigin,
      fhirBaseUrl: `${epjOrigin}/fhir`,
      manifest,
      confidentialClients: [{ clientId: SERVER_ID, jwks: { keys: [publicJwk] }, redirectUris: [SERVER_REDIRECT], launchUri: 'http://127.0.0.1:5190/launch' }],
      directory,
      now: () => Date.now() + clockOffsetMs,
    });
    handler = epjAuth.handle;
    const issuer = new URL(epjOrigin);
    const discovered = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
    epj = { server, origin: epjOrigin, auth: epjAuth, as: discovered };
  });

  afterAll(async () => {
    await new Promise((resolve) => epj.server.close(resolve));
  });

  const serverAuth = () => oauth.PrivateKeyJwt({ key: serverKey, kid: 'server-1' });
  /** The app server's clock agrees with the EPJ's (oauth4webapi dates its assertions by clockSkew). */
  const refresh = async (token: string) =>
    oauth.refreshTokenGrantRequest(epj.as, { ...serverClient, [oauth.clockSkew]: clockOffsetMs / 1000 }, serverAuth(), token, insecure);

  /** The app server's SMART-profile login with offline_access: a refresh token, no DPoP. */
  async function serverLogin(query: string) {
    const launchRes = await fetch(`${epj.origin}/launch?${query}&profile=smart`, { redirect: 'manual' });
    const target = location(launchRes);
    expect(`${target.origin}${target.pathname}`).toBe('http://127.0.0.1:5190/launch');
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(epj.as.authorization_endpoint ?? '');
    url.search = new URLSearchParams({
      response_type: 'code', client_id: SERVER_ID, redirect_uri: SERVER_REDIRECT, scope: `${APP_SCOPE} offline_access`, state: 's',
      aud: target.searchParams.get('iss') ?? '', launch: target.searchParams.get('launch') ?? '',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    }).toString();
    const params = oauth.validateAuthResponse(epj.as, serverClient, location(await fetch(url, { redirect: 'manual' })), 's');
    return oauth.processAuthorizationCodeResponse(epj.as, serverClient,
      await oauth.authorizationCodeGrantRequest(epj.as, serverClient, serverAuth(), params, SERVER_REDIRECT, verifier, insecure), { requireIdToken: true });
  }

  test('"kort token-levetid" gives a 30 s access token to the confidential client too', async () => {
    const result = await serverLogin('user=prac-gp-1&patient=pat-1&short_token=1');
    expect(result.expires_in).toBe(30);
    expect(result.refresh_token).toEqual(expect.any(String));
    clockOffsetMs = 31_000;
    await expect(epj.auth.authenticate(`Bearer ${result.access_token}`)).rejects.toThrow(/expired/);
  });

  test('refresh_lifetime sets the refresh token\'s life: refreshing works before, not after', async () => {
    const result = await serverLogin('user=prac-gp-1&patient=pat-1&refresh_lifetime=120');
    clockOffsetMs = 60_000;
    const renewed = await oauth.processRefreshTokenResponse(epj.as, serverClient, await refresh(result.refresh_token ?? ''));
    expect(renewed.refresh_token).toEqual(expect.any(String));
    clockOffsetMs = 121_000;
    const late = await refresh(renewed.refresh_token ?? '');
    expect(late.status).toBe(400);
    expect(await late.json()).toMatchObject({ error: 'invalid_grant' });
  });

  test('refresh_lifetime must be a whole number of seconds', async () => {
    for (const bad of ['0', '-5', '1.5', 'abc', '86401']) {
      const res = await fetch(`${epj.origin}/launch?user=prac-gp-1&refresh_lifetime=${bad}`, { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('refresh_lifetime');
    }
  });

  test('the public app is never given a refresh token', async () => {
    const result = await launchAndExchange('user=prac-gp-1', `${APP_SCOPE} offline_access`);
    expect(result.refresh_token).toBeUndefined();
  });
});

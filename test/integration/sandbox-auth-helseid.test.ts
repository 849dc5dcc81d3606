// The sandbox's HelseID-like profile (issue 14 item 6) and confidential clients in the SMART profile,
// over real HTTP on port 0 with the real FHIR server. The client is oauth4webapi, an independent
// maintained implementation of PAR (RFC 9126), private_key_jwt (RFC 7523) and DPoP (RFC 9449), driven
// the way the app server (BFF) drives it. Negative DPoP cases use hand-made proofs signed with jose.
import { createHash, randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { calculateJwkThumbprint, decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/app';

const APP = 'http://127.0.0.1:5190';
const CLIENT_ID = 'primaerhelseteam-server';
const REDIRECT = `${APP}/auth/callback`;
const SCOPE = 'launch openid fhirUser launch/patient user/Patient.rs user/Condition.rs user/Task.crus';
const insecure = { [oauth.allowInsecureRequests]: true } as const;

interface ClientKey {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

let sandbox: Sandbox;
let helseidBase: string;
let as: oauth.AuthorizationServer;
let smartAs: oauth.AuthorizationServer;
const client: oauth.Client = { client_id: CLIENT_ID, token_endpoint_auth_method: 'private_key_jwt' };
/** One registered key per accepted assertion algorithm. */
const keys: Record<string, ClientKey> = {};

async function clientKey(alg: string): Promise<ClientKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `bff-${alg.toLowerCase()}`;
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

function clientAuth(alg = 'RS256'): oauth.ClientAuth {
  const key = keys[alg];
  if (!key) throw new Error(`no key for ${alg}`);
  return oauth.PrivateKeyJwt({ key: key.privateKey, kid: key.kid });
}

async function dpopKeys(): Promise<CryptoKeyPair> {
  return oauth.generateKeyPair('ES256', { extractable: true });
}

beforeAll(async () => {
  for (const alg of ['RS256', 'PS256', 'ES256', 'RS384', 'ES384']) keys[alg] = await clientKey(alg);
  sandbox = await startSandbox({
    port: 0,
    patients: 50,
    asOf: '2026-03-10',
    confidentialClients: [{ clientId: CLIENT_ID, jwks: { keys: Object.values(keys).map((k) => k.publicJwk) }, redirectUris: [REDIRECT], launchUri: `${APP}/launch` }],
  });
  helseidBase = sandbox.helseidFhirBaseUrl;
  const issuer = new URL(`${sandbox.origin}/helseid`);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
  const smartIssuer = new URL(sandbox.origin);
  smartAs = await oauth.processDiscoveryResponse(smartIssuer, await oauth.discoveryRequest(smartIssuer, { algorithm: 'oidc', ...insecure }));
});

afterAll(async () => {
  await sandbox?.close();
});

/** RFC 9449 §8: a request refused for want of our nonce is retried once with it (the DPoP handle caches it). */
async function withNonceRetry<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (!oauth.isDPoPNonceError(error)) throw error;
    return attempt();
  }
}

function location(res: Response): URL {
  const value = res.headers.get('location');
  if (!value) throw new Error(`expected a redirect, got ${res.status}`);
  return new URL(value, sandbox.origin);
}

/** The EPJ's launch page (direct form): returns the launch id and the iss it handed the app. */
async function launch(query: string): Promise<{ launch: string; iss: string }> {
  const res = await fetch(`${sandbox.origin}/launch?${query}`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const target = location(res);
  expect(`${target.origin}${target.pathname}`).toBe(`${APP}/launch`);
  return { launch: target.searchParams.get('launch') ?? '', iss: target.searchParams.get('iss') ?? '' };
}

interface Login {
  token: oauth.TokenEndpointResponse;
  dpop: oauth.DPoPHandle;
  dpopKeyPair: CryptoKeyPair;
}

/** The BFF's HelseID-like login: launch, PAR (private_key_jwt + DPoP), authorize, token (DPoP). */
async function helseidLogin(query = 'user=gp-1&patient=pat-00003&profile=helseid', scope = SCOPE, alg = 'RS256'): Promise<Login> {
  const { launch: launchId, iss } = await launch(query);
  expect(iss).toBe(helseidBase);
  const dpopKeyPair = await dpopKeys();
  const dpop = oauth.DPoP(client, dpopKeyPair);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const par = await withNonceRetry(async () =>
    oauth.processPushedAuthorizationResponse(as, client, await oauth.pushedAuthorizationRequest(as, client, clientAuth(alg), {
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope,
      state,
      nonce,
      aud: iss,
      launch: launchId,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }, { DPoP: dpop, ...insecure })));
  const authorizeUrl = new URL(as.authorization_endpoint ?? '');
  authorizeUrl.searchParams.set('client_id', CLIENT_ID);
  authorizeUrl.searchParams.set('request_uri', par.request_uri);
  const callback = location(await fetch(authorizeUrl, { redirect: 'manual' }));
  const params = oauth.validateAuthResponse(as, client, callback, state);
  const token = await withNonceRetry(async () =>
    oauth.processAuthorizationCodeResponse(as, client,
      await oauth.authorizationCodeGrantRequest(as, client, clientAuth(alg), params, REDIRECT, verifier, { DPoP: dpop, ...insecure }),
      { expectedNonce: nonce, requireIdToken: true }));
  return { token, dpop, dpopKeyPair };
}

async function fhirGet(login: Pick<Login, 'token' | 'dpop'>, path: string, base = helseidBase): Promise<Response> {
  return withNonceRetry(() => oauth.protectedResourceRequest(login.token.access_token, 'GET', new URL(`${base}/${path}`), new Headers({ accept: 'application/fhir+json' }), null, { DPoP: login.dpop, ...insecure }));
}

/** A proof made by hand (for the cases oauth4webapi would never send). */
async function proof(keyPair: CryptoKeyPair, claims: Record<string, unknown>): Promise<string> {
  const jwk = await exportJWK(keyPair.publicKey);
  return new SignJWT({ jti: randomUUID(), iat: Math.floor(Date.now() / 1000), ...claims })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
    .sign(keyPair.privateKey);
}

function ath(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The server's current DPoP nonce, as any client learns it: from a 401 use_dpop_nonce. */
async function serverNonce(login: Login): Promise<string> {
  const url = `${helseidBase}/Patient/pat-00003`;
  const res = await fetch(url, { headers: { authorization: `DPoP ${login.token.access_token}`, dpop: await proof(login.dpopKeyPair, { htm: 'GET', htu: url, ath: ath(login.token.access_token) }) } });
  expect(res.status).toBe(401);
  return res.headers.get('dpop-nonce') ?? '';
}

async function rawFhir(login: Login, init: { method?: string; url?: string; scheme?: string; dpop?: string | undefined }): Promise<Response> {
  const headers: Record<string, string> = { authorization: `${init.scheme ?? 'DPoP'} ${login.token.access_token}`, accept: 'application/fhir+json' };
  if (init.dpop !== undefined) headers.dpop = init.dpop;
  return fetch(init.url ?? `${helseidBase}/Patient/pat-00003`, { method: init.method ?? 'GET', headers });
}

describe('discovery', () => {
  test('the HelseID-like issuer requires PAR, private_key_jwt and DPoP; the SMART one offers them', async () => {
    const helseid = await (await fetch(`${helseidBase}/.well-known/smart-configuration`)).json();
    expect(helseid).toMatchObject({
      issuer: `${sandbox.origin}/helseid`,
      pushed_authorization_request_endpoint: `${sandbox.origin}/helseid/auth/par`,
      require_pushed_authorization_requests: true,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    expect(helseid.dpop_signing_alg_values_supported).toEqual(expect.arrayContaining(['ES256', 'RS256', 'PS256']));
    expect(helseid.token_endpoint_auth_signing_alg_values_supported).toEqual(expect.arrayContaining(['RS256', 'PS256', 'ES256', 'RS384', 'ES384']));
    expect(helseid.capabilities).toEqual(expect.arrayContaining(['authorize-post', 'sso-openid-connect', 'client-confidential-asymmetric', 'launch-ehr', 'context-ehr-patient']));
    expect(helseid.capabilities).not.toContain('client-public');
    const smart = await (await fetch(`${sandbox.fhirBaseUrl}/.well-known/smart-configuration`)).json();
    expect(smart).toMatchObject({ issuer: sandbox.origin, require_pushed_authorization_requests: false });
    expect(smart.token_endpoint_auth_methods_supported).toEqual(['none', 'private_key_jwt']);
    expect(smart.capabilities).toEqual(expect.arrayContaining(['authorize-post', 'client-public', 'client-confidential-asymmetric']));
  });

  test('the CapabilityStatement under the helseid base points to the HelseID-like endpoints', async () => {
    const metadata = await (await fetch(`${helseidBase}/metadata`)).json();
    expect(metadata.implementation.url).toBe(helseidBase);
    const uris = metadata.rest[0].security.extension[0].extension;
    expect(uris).toEqual([
      { url: 'authorize', valueUri: `${sandbox.origin}/helseid/auth/authorize` },
      { url: 'token', valueUri: `${sandbox.origin}/helseid/auth/token` },
    ]);
  });
});

describe('HelseID-like login (PAR + private_key_jwt + DPoP)', () => {
  test('the launch page defaults to the HelseID-like issuer once the app server is registered', async () => {
    expect((await launch('user=gp-1&patient=pat-00003')).iss).toBe(helseidBase);
    expect((await launch('user=gp-1&patient=pat-00003&profile=smart')).iss).toBe(sandbox.fhirBaseUrl);
    const page = await (await fetch(`${sandbox.origin}/`)).text();
    expect(page).toContain('HelseID-lik (PAR + DPoP)');
    expect(page).toMatch(/value="helseid" checked/);
  });

  test('a launch for a stored patient with malformed name parts still works; an unknown patient is refused', async () => {
    await sandbox.fhir.store.bulkLoad([{ resourceType: 'Patient', id: 'pat-malformed', name: [{ given: 'Ola', family: 42 }] } as unknown as Patient]);
    expect((await launch('user=gp-1&patient=pat-malformed')).iss).toBe(helseidBase);
    const unknown = await fetch(`${sandbox.origin}/launch?user=gp-1&patient=pat-nobody`, { redirect: 'manual' });
    expect(unknown.status).toBe(404);
  });

  test('gives a DPoP-bound token with refresh token and an RS256 id_token with fhirUser; FHIR reads work under the helseid base', async () => {
    const login = await helseidLogin();
    const { token } = login;
    expect(token.token_type).toBe('dpop');
    expect(token.refresh_token).toEqual(expect.any(String));
    expect(token.patient).toBe('pat-00003');
    expect(oauth.getValidatedIdTokenClaims(token)).toMatchObject({ iss: `${sandbox.origin}/helseid`, sub: 'gp-1', aud: CLIENT_ID, fhirUser: 'Practitioner/gp-1' });
    const jkt = await calculateJwkThumbprint(await exportJWK(login.dpopKeyPair.publicKey));
    expect(decodeJwt(token.access_token)).toMatchObject({ cnf: { jkt }, aud: helseidBase, iss: `${sandbox.origin}/helseid` });

    const patient = await fhirGet(login, 'Patient/pat-00003');
    expect(patient.status).toBe(200);
    expect((await patient.json()).id).toBe('pat-00003');
    const bundle = await (await fhirGet(login, 'Condition?_count=1')).json();
    for (const link of bundle.link) expect(link.url.startsWith(`${helseidBase}/`)).toBe(true);
    expect(bundle.entry[0].fullUrl.startsWith(`${helseidBase}/Condition/`)).toBe(true);
  });

  test('"kort token-levetid" (30 s) works in the HelseID-like profile too', async () => {
    const { token } = await helseidLogin('user=nurse-1&patient=pat-00003&profile=helseid&short_token=1');
    expect(token.expires_in).toBe(30);
    expect(token.refresh_token).toEqual(expect.any(String));
  });

  test.each(['PS256', 'ES256', 'RS384', 'ES384'])('a client assertion signed %s is accepted', async (alg) => {
    const { token } = await helseidLogin(undefined, undefined, alg);
    expect(token.token_type).toBe('dpop');
  });

  test('refresh: needs private_key_jwt and DPoP, rotates, and a reused refresh token revokes the grant', async () => {
    const login = await helseidLogin();
    const first = login.token.refresh_token ?? '';
    const refreshed = await withNonceRetry(async () =>
      oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, clientAuth(), first, { DPoP: login.dpop, ...insecure })));
    expect(refreshed.token_type).toBe('dpop');
    expect(refreshed.refresh_token).not.toBe(first);
    expect(refreshed.scope).toBe(login.token.scope);
    const next = { token: refreshed, dpop: login.dpop };
    expect((await fhirGet(next, 'Patient/pat-00003')).status).toBe(200);

    const withoutProof = await oauth.refreshTokenGrantRequest(as, client, clientAuth(), refreshed.refresh_token ?? '', insecure);
    expect(withoutProof.status).toBe(400);
    expect((await withoutProof.json()).error).toBe('invalid_dpop_proof');

    const replay = await withNonceRetry(async () =>
      oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, clientAuth(), first, { DPoP: login.dpop, ...insecure }))).catch((e: unknown) => e);
    expect(replay).toBeInstanceOf(oauth.ResponseBodyError);
    expect((replay as oauth.ResponseBodyError).error).toBe('invalid_grant');
    expect((await fhirGet(next, 'Patient/pat-00003').catch((e: unknown) => e))).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
  });
});

describe('standalone launch in the HelseID-like profile', () => {
  test('PAR without launch opens the EPJ picker, which posts to the HelseID-like issuer and gives a code', async () => {
    const dpop = oauth.DPoP(client, await dpopKeys());
    const verifier = oauth.generateRandomCodeVerifier();
    const par = await withNonceRetry(async () => oauth.processPushedAuthorizationResponse(as, client, await oauth.pushedAuthorizationRequest(as, client, clientAuth(), {
      response_type: 'code', redirect_uri: REDIRECT, scope: 'openid fhirUser launch/patient patient/*.rs', state: 'standalone', aud: helseidBase,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    }, { DPoP: dpop, ...insecure })));
    const picker = await fetch(`${as.authorization_endpoint}?client_id=${CLIENT_ID}&request_uri=${encodeURIComponent(par.request_uri)}`);
    const page = await picker.text();
    expect(page).toContain('action="/helseid/auth/authorize/select"');
    const requestId = /name="request" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const decided = await fetch(`${sandbox.origin}/helseid/auth/authorize/select`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request: requestId, user: 'gp-1', patient: 'pat-00003', decision: 'allow' }),
    });
    const params = oauth.validateAuthResponse(as, client, location(decided), 'standalone');
    const token = await withNonceRetry(async () => oauth.processAuthorizationCodeResponse(as, client,
      await oauth.authorizationCodeGrantRequest(as, client, clientAuth(), params, REDIRECT, verifier, { DPoP: dpop, ...insecure }), { requireIdToken: true }));
    expect(token.patient).toBe('pat-00003');
    expect(token.scope?.split(' ')).toEqual(expect.arrayContaining(['patient/Patient.rs', 'patient/Condition.rs']));
    expect((await fhirGet({ token, dpop }, 'Condition?patient=pat-00003&_count=1')).status).toBe(200);
  });
});

describe('the FHIR server checks the DPoP proof on every request', () => {
  let login: Login;
  let nonce: string;
  const url = () => `${helseidBase}/Patient/pat-00003`;
  beforeAll(async () => {
    login = await helseidLogin();
    nonce = await serverNonce(login);
  });

  test('a correct hand-made proof is accepted (control for the cases below)', async () => {
    const res = await rawFhir(login, { dpop: await proof(login.dpopKeyPair, { htm: 'GET', htu: url(), ath: ath(login.token.access_token), nonce }) });
    expect(res.status).toBe(200);
  });

  test('a proof without the server nonce gets 401 use_dpop_nonce with a DPoP-Nonce header', async () => {
    const res = await rawFhir(login, { dpop: await proof(login.dpopKeyPair, { htm: 'GET', htu: url(), ath: ath(login.token.access_token) }) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^DPoP error="use_dpop_nonce"/);
    expect(res.headers.get('dpop-nonce')).toEqual(expect.any(String));
    expect((await res.json()).resourceType).toBe('OperationOutcome');
  });

  test('a replayed proof (same jti) is refused', async () => {
    const once = await proof(login.dpopKeyPair, { htm: 'GET', htu: url(), ath: ath(login.token.access_token), nonce });
    expect((await rawFhir(login, { dpop: once })).status).toBe(200);
    const again = await rawFhir(login, { dpop: once });
    expect(again.status).toBe(401);
    expect(again.headers.get('www-authenticate')).toMatch(/invalid_dpop_proof.*replayed/);
  });

  test.each([
    ['wrong htm', { htm: 'POST' }, /htm/],
    ['htu under the SMART base', { htuBase: 'smart' }, /htu/],
    ['htu of another resource', { htuPath: 'Patient/pat-00004' }, /htu/],
    ['missing ath', { ath: undefined }, /ath missing/],
    ['ath of another token', { ath: ath('another-token') }, /ath does not match/],
    ['iat in the future', { iat: Math.floor(Date.now() / 1000) + 120 }, /future/],
    ['iat too old', { iat: Math.floor(Date.now() / 1000) - 600 }, /too old/],
  ])('%s is refused', async (_name, change, message) => {
    const claims: Record<string, unknown> = { htm: 'GET', htu: url(), ath: ath(login.token.access_token), nonce };
    for (const [key, value] of Object.entries(change)) {
      if (key === 'htuPath') claims.htu = `${helseidBase}/${String(value)}`;
      else if (key === 'htuBase') claims.htu = `${sandbox.fhirBaseUrl}/Patient/pat-00003`;
      else claims[key] = value;
    }
    const res = await rawFhir(login, { dpop: await proof(login.dpopKeyPair, claims) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(message);
  });

  test('a proof signed with another key than the token is bound to is refused', async () => {
    const res = await rawFhir(login, { dpop: await proof(await dpopKeys(), { htm: 'GET', htu: url(), ath: ath(login.token.access_token), nonce }) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/not the key the token is bound to/);
  });

  test('the DPoP token used as a Bearer token, or without a proof, is refused', async () => {
    const asBearer = await rawFhir(login, { scheme: 'Bearer', dpop: await proof(login.dpopKeyPair, { htm: 'GET', htu: url(), ath: ath(login.token.access_token), nonce }) });
    expect(asBearer.status).toBe(401);
    expect(asBearer.headers.get('www-authenticate')).toMatch(/sent as Bearer/);
    const noProof = await rawFhir(login, {});
    expect(noProof.status).toBe(401);
    expect(noProof.headers.get('www-authenticate')).toMatch(/DPoP proof required/);
  });

  test('the HelseID-like token is refused under the SMART base (its aud and iss are the helseid ones)', async () => {
    const smartUrl = `${sandbox.fhirBaseUrl}/Patient/pat-00003`;
    const res = await rawFhir(login, { url: smartUrl, dpop: await proof(login.dpopKeyPair, { htm: 'GET', htu: smartUrl, ath: ath(login.token.access_token), nonce }) });
    expect(res.status).toBe(401);
  });
});

describe('the authorization server refuses', () => {
  test('an authorization request without PAR at the HelseID-like issuer (error page, no redirect)', async () => {
    const url = new URL(as.authorization_endpoint ?? '');
    url.search = new URLSearchParams({ client_id: CLIENT_ID, response_type: 'code', redirect_uri: REDIRECT, scope: SCOPE, state: 's', aud: helseidBase, code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' }).toString();
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('PAR');
  });

  test('a request_uri used twice', async () => {
    const dpop = oauth.DPoP(client, await dpopKeys());
    const { launch: launchId } = await launch('user=gp-1&profile=helseid');
    const par = await withNonceRetry(async () => oauth.processPushedAuthorizationResponse(as, client, await oauth.pushedAuthorizationRequest(as, client, clientAuth(), {
      response_type: 'code', redirect_uri: REDIRECT, scope: SCOPE, state: 's', aud: helseidBase, launch: launchId,
      code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()), code_challenge_method: 'S256',
    }, { DPoP: dpop, ...insecure })));
    const url = `${as.authorization_endpoint}?client_id=${CLIENT_ID}&request_uri=${encodeURIComponent(par.request_uri)}`;
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(302);
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(400);
  });

  test('a PAR or token request whose proof lacks our nonce: 400 use_dpop_nonce with a DPoP-Nonce header', async () => {
    const fresh = oauth.DPoP(client, await dpopKeys());
    const par = await oauth.pushedAuthorizationRequest(as, client, clientAuth(), {
      response_type: 'code', redirect_uri: REDIRECT, scope: SCOPE, state: 's', aud: helseidBase,
      code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()), code_challenge_method: 'S256',
    }, { DPoP: fresh, ...insecure });
    expect(par.status).toBe(400);
    expect(par.headers.get('dpop-nonce')).toEqual(expect.any(String));
    expect((await par.json()).error).toBe('use_dpop_nonce');
    const token = await oauth.refreshTokenGrantRequest(as, client, clientAuth(), 'whatever', { DPoP: oauth.DPoP(client, await dpopKeys()), ...insecure });
    expect(token.status).toBe(400);
    expect(token.headers.get('dpop-nonce')).toEqual(expect.any(String));
    expect((await token.json()).error).toBe('use_dpop_nonce');
  });

  test('PAR from the public app (no client authentication) at the HelseID-like issuer', async () => {
    const res = await fetch(as.pushed_authorization_request_endpoint ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'primaerhelseteam', response_type: 'code', redirect_uri: 'http://localhost:5173/', scope: SCOPE }),
    });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toBe('invalid_client');
  });

  test('a client assertion with an unknown kid', async () => {
    const stranger = await clientKey('RS256');
    const auth = oauth.PrivateKeyJwt({ key: stranger.privateKey, kid: 'unknown-kid' });
    const res = await oauth.pushedAuthorizationRequest(as, client, auth, { response_type: 'code', redirect_uri: REDIRECT, scope: SCOPE }, insecure);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client', error_description: expect.stringMatching(/kid/) });
  });

  test('a client assertion with iat in the future', async () => {
    const auth = oauth.PrivateKeyJwt({ key: keys.RS256?.privateKey as CryptoKey, kid: keys.RS256?.kid ?? '' }, {
      [oauth.modifyAssertion]: (_header, payload) => {
        payload.iat = Math.floor(Date.now() / 1000) + 120;
      },
    });
    const res = await oauth.pushedAuthorizationRequest(as, client, auth, { response_type: 'code', redirect_uri: REDIRECT, scope: SCOPE }, insecure);
    expect(res.status).toBe(401);
    expect((await res.json()).error_description).toMatch(/iat/);
  });
});

describe('confidential client in the SMART profile (no PAR or DPoP required)', () => {
  test('private_key_jwt login gives a Bearer token; offline_access gives a refresh token', async () => {
    const { launch: launchId, iss } = await launch('user=gp-1&patient=pat-00003&profile=smart');
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(smartAs.authorization_endpoint ?? '');
    url.search = new URLSearchParams({
      response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT, scope: `${SCOPE} offline_access`, state: 'st', aud: iss, launch: launchId,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    }).toString();
    const params = oauth.validateAuthResponse(smartAs, client, location(await fetch(url, { redirect: 'manual' })), 'st');
    const token = await oauth.processAuthorizationCodeResponse(smartAs, client,
      await oauth.authorizationCodeGrantRequest(smartAs, client, clientAuth('ES256'), params, REDIRECT, verifier, insecure), { requireIdToken: true });
    expect(token.token_type).toBe('bearer');
    expect(token.refresh_token).toEqual(expect.any(String));
    expect(token.scope?.split(' ')).toContain('offline_access');
    const res = await fetch(`${sandbox.fhirBaseUrl}/Patient/pat-00003`, { headers: { authorization: `Bearer ${token.access_token}` } });
    expect(res.status).toBe(200);
    const elsewhere = await fetch(`${helseidBase}/Patient/pat-00003`, { headers: { authorization: `Bearer ${token.access_token}` } });
    expect(elsewhere.status).toBe(401);
  });

  test('without an assertion the confidential client is refused at the token endpoint', async () => {
    const res = await fetch(smartAs.token_endpoint ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: CLIENT_ID, code: 'x', redirect_uri: REDIRECT, code_verifier: 'v'.repeat(43) }),
    });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toBe('invalid_client');
  });
});

/** A SMART-profile EHR launch by the confidential client, without PAR or DPoP. */
async function smartLogin(query: string, scope: string): Promise<oauth.TokenEndpointResponse> {
  const { launch: launchId, iss } = await launch(`${query}&profile=smart`);
  const verifier = oauth.generateRandomCodeVerifier();
  const url = new URL(smartAs.authorization_endpoint ?? '');
  url.search = new URLSearchParams({
    response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT, scope, state: 'st', aud: iss, launch: launchId,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  }).toString();
  const params = oauth.validateAuthResponse(smartAs, client, location(await fetch(url, { redirect: 'manual' })), 'st');
  return oauth.processAuthorizationCodeResponse(smartAs, client,
    await oauth.authorizationCodeGrantRequest(smartAs, client, clientAuth(), params, REDIRECT, verifier, insecure), { requireIdToken: scope.includes('openid') });
}

describe('scopes by role (issue 12 item 5): the EPJ grants what the user may do, the FHIR server enforces it', () => {
  const ALL = 'launch openid fhirUser user/Patient.rs user/Condition.rs user/ChargeItem.crus user/Account.crus user/Task.crus';
  const charge = { resourceType: 'ChargeItem', status: 'billable', subject: { reference: 'Patient/pat-00003' }, code: { text: 'S1a' } };
  const post = (token: string, body: unknown) => fetch(`${sandbox.fhirBaseUrl}/ChargeItem`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' }, body: JSON.stringify(body),
  });

  test('a secretary is granted no charges and no diagnoses: reading and creating ChargeItems, reading Conditions is 403', async () => {
    const token = await smartLogin('user=secretary-1', ALL);
    expect(token.scope).toBe('launch openid fhirUser user/Patient.rs user/Task.crus');
    const conditions = await fetch(`${sandbox.fhirBaseUrl}/Condition?_count=1`, { headers: { authorization: `Bearer ${token.access_token}` } });
    expect(conditions.status).toBe(403);
    const read = await fetch(`${sandbox.fhirBaseUrl}/ChargeItem?_count=1`, { headers: { authorization: `Bearer ${token.access_token}` } });
    expect(read.status).toBe(403);
    expect((await post(token.access_token, charge)).status).toBe(403);
  });

  test('a nurse is granted charges (the tariff check is the app server\'s)', async () => {
    const token = await smartLogin('user=nurse-1', ALL);
    expect(token.scope).toBe(ALL);
    const read = await fetch(`${sandbox.fhirBaseUrl}/ChargeItem?_count=1`, { headers: { authorization: `Bearer ${token.access_token}` } });
    expect(read.status).toBe(200);
  });
});

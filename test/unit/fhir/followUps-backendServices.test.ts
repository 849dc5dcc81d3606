// SMART Backend Services client of the headless sweep: discovery, the signed client assertion, errors.
import { describe, expect, test } from 'vitest';
import { decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { backendServicesSession, discoverSmartConfiguration, importPrivateKey, requestBackendToken, SWEEP_SCOPES, type PrivateJwk } from '../../../src/fhir/backendServices';
import { parseSweepArgs, sandboxKeyCandidates } from '../../../scripts/sweep';

const BASE = 'http://127.0.0.1:9999/fhir';
const TOKEN_URL = 'http://127.0.0.1:9999/auth/token';

async function keys() {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  const privateJwk: PrivateJwk = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, d: jwk.d, kid: 'k1', alg: 'ES256' };
  return { publicKey, privateJwk };
}

function fakeServer(onToken: (form: URLSearchParams) => Promise<Response> | Response, config: Record<string, unknown> = {}): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url === `${BASE}/.well-known/smart-configuration`) {
      return Response.json({ issuer: 'http://127.0.0.1:9999', token_endpoint: TOKEN_URL, token_endpoint_auth_methods_supported: ['private_key_jwt'], ...config });
    }
    if (url === TOKEN_URL) {
      const body = input instanceof Request ? await input.text() : String(init?.body ?? '');
      return onToken(new URLSearchParams(body));
    }
    return new Response('not found', { status: 404 });
  };
}

describe('requestBackendToken', () => {
  test('client_credentials with a private_key_jwt assertion: iss = sub = client, aud = token endpoint, system scopes', async () => {
    const { publicKey, privateJwk } = await keys();
    let seen: URLSearchParams | undefined;
    const fetchImpl = fakeServer(async (form) => {
      seen = form;
      return Response.json({ access_token: 'tok', token_type: 'Bearer', expires_in: 300, scope: 'system/Task.crus system/Patient.rs' });
    });
    const token = await requestBackendToken({ fhirBaseUrl: BASE, clientId: 'sweep', privateJwk, fetch: fetchImpl, now: () => 1_000 });
    expect(token).toEqual({ accessToken: 'tok', expiresAt: 301_000, grantedScopes: ['system/Task.crus', 'system/Patient.rs'], tokenEndpoint: TOKEN_URL });
    expect(seen?.get('grant_type')).toBe('client_credentials');
    expect(seen?.get('scope')).toBe(SWEEP_SCOPES);
    expect(seen?.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const assertion = seen?.get('client_assertion') ?? '';
    expect(decodeProtectedHeader(assertion)).toMatchObject({ alg: 'ES256', kid: 'k1' });
    const { payload } = await jwtVerify(assertion, publicKey, { issuer: 'sweep', subject: 'sweep', audience: TOKEN_URL });
    expect(typeof payload.jti).toBe('string');
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeLessThanOrEqual(300);
  });

  test('the session for createFhirClient has no user and no patient', async () => {
    const { privateJwk } = await keys();
    const fetchImpl = fakeServer(() => Response.json({ access_token: 'tok', token_type: 'bearer', expires_in: 60 }));
    const session = await backendServicesSession({ fhirBaseUrl: `${BASE}/`, clientId: 'sweep', privateJwk, fetch: fetchImpl });
    expect(session).toMatchObject({ fhirBaseUrl: BASE, accessToken: 'tok', needPatientBanner: false });
    expect(session.patientId).toBeUndefined();
    expect(session.fhirUser).toBeUndefined();
  });

  test('an OAuth error becomes a Norwegian message with the server error', async () => {
    const { privateJwk } = await keys();
    const fetchImpl = fakeServer(() => Response.json({ error: 'invalid_client', error_description: 'Unknown client' }, { status: 401 }));
    await expect(requestBackendToken({ fhirBaseUrl: BASE, clientId: 'x', privateJwk, fetch: fetchImpl })).rejects.toMatchObject({
      step: 'token',
      message: expect.stringMatching(/Fikk ikke tilgangstoken for klienten x.*invalid_client: Unknown client/),
    });
  });
});

describe('discovery and keys', () => {
  test('missing configuration, no token endpoint, no private_key_jwt, plain http to another host', async () => {
    await expect(discoverSmartConfiguration(BASE, async () => new Response('', { status: 404 }))).rejects.toMatchObject({ step: 'discovery', message: /Fant ikke SMART-konfigurasjonen.*HTTP 404/ });
    await expect(discoverSmartConfiguration(BASE, async () => Response.json({}))).rejects.toThrow(/mangler token_endpoint/);
    await expect(discoverSmartConfiguration(BASE, fakeServer(() => new Response(), { token_endpoint_auth_methods_supported: ['client_secret_basic'] }))).rejects.toThrow(/private_key_jwt/);
    await expect(discoverSmartConfiguration('http://epj.example.no/fhir')).rejects.toThrow(/Usikker adresse/);
  });

  test('a public key or an unknown key type is refused', async () => {
    const { privateJwk } = await keys();
    await expect(importPrivateKey({ ...privateJwk, d: undefined })).rejects.toThrow(/ikke en privat nøkkel/);
    await expect(importPrivateKey({ kty: 'OKP', crv: 'Ed25519', d: 'x' })).rejects.toThrow(/støttes ikke/);
  });
});

describe('sweep command line', () => {
  test('sandbox mode without --key looks under the data dir; a remote server needs --key', () => {
    expect(sandboxKeyCandidates('/data')).toEqual(['/data/auth/backend-client-key.jwk.json']);
    expect(() => parseSweepArgs(['--fhir', 'https://epj.example.no/fhir'], {})).toThrow(/Mangler --key/);
    expect(() => parseSweepArgs(['--today', '23.11.2026', '--key', '/nonexistent'], {})).toThrow(/Ugyldig dato for --today/);
    expect(() => parseSweepArgs(['--today', '2026-11-23', '--key', '/nonexistent'], {})).toThrow(/Kan ikke lese nøkkelfilen/);
    expect(() => parseSweepArgs(['--bogus'], {})).toThrow(/Ugyldig kommandolinje/);
    expect(() => parseSweepArgs([], { PHT_DATA_DIR: '/nonexistent-dir' })).toThrow(/Fant ikke sandkassens nøkkel/);
  });
});

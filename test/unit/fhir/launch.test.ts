import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import manifest from '../../../manifest.json';
import {
  appLaunchConfig,
  completeLaunch,
  LaunchError,
  launchStepFor,
  redirectUriFor,
  startLaunch,
} from '../../../src/fhir/launch';
import {
  APP_ORIGIN,
  discoveryHandler,
  FHIR_BASE,
  recordingPort,
  s256,
  smartConfiguration,
  tokenBody,
  tokenHandler,
  type RecordingPort,
  type TokenRequestLog,
} from '../../support/fakeEhr';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const config = appLaunchConfig(APP_ORIGIN);

/** Runs startLaunch and plays the authorization server: returns the state and issues `code`. */
async function authorize(port: RecordingPort, challenges: Map<string, string>, code: string, kind: 'ehr' | 'standalone' = 'ehr') {
  const launch = kind === 'ehr' ? 'launch-1' : undefined;
  await startLaunch(port, config, { iss: FHIR_BASE, launch });
  const url = new URL(port.redirects.at(-1) ?? '');
  challenges.set(code, url.searchParams.get('code_challenge') ?? '');
  return { state: url.searchParams.get('state') ?? '', authorizeUrl: url };
}

function callback(params: Record<string, string>): URL {
  return new URL(`${APP_ORIGIN}/?${new URLSearchParams(params).toString()}`);
}

async function launchError(promise: Promise<unknown>): Promise<LaunchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof LaunchError)) throw new Error(`expected LaunchError, got ${String(error)}`);
  return error;
}

function storedKeys(port: RecordingPort): string[] {
  return Array.from({ length: port.storage.length }, (_, i) => port.storage.key(i) ?? '');
}

describe('registration', () => {
  test('redirect URI for origin http://localhost:5173 is the registered one', () => {
    expect(redirectUriFor('http://localhost:5173')).toBe(manifest.redirect_uris[0]);
    expect(config.redirectUri).toBe(manifest.redirect_uris[0]);
  });

  test('an EHR launch requests exactly the registered scopes', async () => {
    server.use(discoveryHandler());
    const port = recordingPort();
    const { authorizeUrl } = await authorize(port, new Map(), 'c');
    expect(authorizeUrl.searchParams.get('scope')).toBe(manifest.scope);
    expect(authorizeUrl.searchParams.get('client_id')).toBe(manifest.client_id);
    expect(authorizeUrl.searchParams.get('redirect_uri')).toBe(manifest.redirect_uris[0]);
  });

  test('a standalone launch drops the EHR-only launch scopes', async () => {
    server.use(discoveryHandler());
    const port = recordingPort();
    const { authorizeUrl } = await authorize(port, new Map(), 'c', 'standalone');
    const scopes = authorizeUrl.searchParams.get('scope')?.split(' ') ?? [];
    expect(scopes).not.toContain('launch');
    expect(scopes).not.toContain('launch/patient');
    expect(scopes).toContain('user/Task.crus');
    expect(authorizeUrl.searchParams.has('launch')).toBe(false);
  });
});

describe('launch URL routing', () => {
  test.each([
    ['http://localhost:5173/launch?iss=http://x/fhir&launch=1', { kind: 'start', iss: 'http://x/fhir', launch: '1' }],
    ['http://localhost:5173/launch?iss=http://x/fhir', { kind: 'start', iss: 'http://x/fhir', launch: undefined }],
    ['http://localhost:5173/launch', { kind: 'start', iss: undefined, launch: undefined }],
    ['http://localhost:5173/?code=a&state=b', { kind: 'callback' }],
    ['http://localhost:5173/?error=access_denied&state=b', { kind: 'callback' }],
    ['http://localhost:5173/', { kind: 'none' }],
  ])('%s', (url, expected) => {
    expect(launchStepFor(new URL(url))).toEqual(expected);
  });
});

describe('startLaunch', () => {
  test('refuses a server that does not support S256, before storing anything or redirecting', async () => {
    server.use(discoveryHandler(smartConfiguration({ code_challenge_methods_supported: ['plain'] })));
    const port = recordingPort();
    const error = await launchError(startLaunch(port, config, { iss: FHIR_BASE, launch: 'l' }));
    expect(error.code).toBe('s256-unsupported');
    expect(error.userMessage).toContain('PKCE med S256');
    expect(port.redirects).toEqual([]);
    expect(port.storage.length).toBe(0);
  });

  test('refuses a server that does not list code challenge methods at all', async () => {
    const { code_challenge_methods_supported: _omit, ...withoutMethods } = smartConfiguration();
    server.use(discoveryHandler(withoutMethods));
    const error = await launchError(startLaunch(recordingPort(), config, { iss: FHIR_BASE, launch: 'l' }));
    expect(error.code).toBe('s256-unsupported');
  });

  test('without iss there is nothing to launch against', async () => {
    const error = await launchError(startLaunch(recordingPort(), config, { iss: undefined, launch: 'l' }));
    expect(error.code).toBe('missing-iss');
  });

  test('a discovery failure is a launch error, not a crash', async () => {
    server.use(discoveryHandler(), http.get('http://localhost:8199/fhir/.well-known/smart-configuration', () => HttpResponse.error()));
    const error = await launchError(startLaunch(recordingPort(), config, { iss: 'http://localhost:8199/fhir', launch: 'l' }));
    expect(error.code).toBe('discovery-failed');
  });

  test('PKCE: the challenge is S256 of the stored verifier; state is fresh per launch; handshake keyed by state', async () => {
    server.use(discoveryHandler());
    const port = recordingPort();
    const first = await authorize(port, new Map(), 'a');
    const second = await authorize(port, new Map(), 'b');
    expect(first.state).not.toBe(second.state);
    expect(first.state).not.toBe('launch-1');
    for (const { state, authorizeUrl } of [first, second]) {
      const stored: unknown = JSON.parse(port.storage.getItem(`pht.launch.${state}`) ?? 'null');
      expect(stored).toMatchObject({ iss: FHIR_BASE, launchKind: 'ehr' });
      const verifier = typeof stored === 'object' && stored !== null ? Reflect.get(stored, 'codeVerifier') : undefined;
      expect(typeof verifier).toBe('string');
      expect(authorizeUrl.searchParams.get('code_challenge')).toBe(s256(String(verifier)));
      expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorizeUrl.searchParams.get('aud')).toBe(FHIR_BASE);
      expect(authorizeUrl.searchParams.get('launch')).toBe('launch-1');
    }
    expect(storedKeys(port).sort()).toEqual([`pht.launch.${first.state}`, `pht.launch.${second.state}`].sort());
  });
});

describe('completeLaunch', () => {
  test('happy EHR launch: session from the token response, tokens only in memory, URL cleaned', async () => {
    const challenges = new Map<string, string>();
    const log: TokenRequestLog = { form: [] };
    server.use(discoveryHandler(), tokenHandler(challenges, () => tokenBody({ encounter: 'enc-1' }), log));
    const port = recordingPort();
    const { state } = await authorize(port, challenges, 'code-1');

    const session = await completeLaunch(port, callback({ code: 'code-1', state }));

    expect(session).toMatchObject({
      launchKind: 'ehr',
      fhirBaseUrl: FHIR_BASE,
      accessToken: 'secret-access-token',
      patientId: 'pat-1',
      encounterId: 'enc-1',
      needPatientBanner: true,
      fhirUser: 'Practitioner/nurse-1',
      expiresAt: port.now() + 3600 * 1000,
    });
    expect(session.grantedScopes).toContain('user/Task.crus');
    expect(log.form[0]?.get('redirect_uri')).toBe(manifest.redirect_uris[0]);
    expect(log.form[0]?.get('client_id')).toBe(manifest.client_id);
    // Nothing of the handshake or the token is left in storage; the address bar is reset.
    expect(port.storage.length).toBe(0);
    expect(port.replaced).toEqual(['/']);
  });

  test('fhirUser from the id_token when the token response does not carry it', async () => {
    const challenges = new Map<string, string>();
    const now = Math.floor(Date.now() / 1000);
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const idToken = `${b64({ alg: 'RS256' })}.${b64({ iss: FHIR_BASE, aud: manifest.client_id, sub: 'u1', iat: now, exp: now + 300, fhirUser: `${FHIR_BASE}/Practitioner/gp-1` })}.sig`;
    server.use(discoveryHandler(), tokenHandler(challenges, () => tokenBody({ fhirUser: undefined, id_token: idToken })));
    const port = recordingPort();
    const { state } = await authorize(port, challenges, 'code-1');
    const session = await completeLaunch(port, callback({ code: 'code-1', state }));
    expect(session.fhirUser).toBe('Practitioner/gp-1');
  });

  test('need_patient_banner=false is honoured; missing scope falls back to the requested scopes', async () => {
    const challenges = new Map<string, string>();
    server.use(discoveryHandler(), tokenHandler(challenges, () => tokenBody({ need_patient_banner: false, scope: undefined })));
    const port = recordingPort();
    const { state } = await authorize(port, challenges, 'code-1');
    const session = await completeLaunch(port, callback({ code: 'code-1', state }));
    expect(session.needPatientBanner).toBe(false);
    expect(session.grantedScopes.join(' ')).toBe(manifest.scope);
  });

  test.each([
    ['a forged state', { code: 'code-1', state: 'forged' }],
    ['no state at all', { code: 'code-1' }],
  ])('refuses %s without calling the token endpoint', async (_name, params) => {
    const challenges = new Map<string, string>();
    const log: TokenRequestLog = { form: [] };
    server.use(discoveryHandler(), tokenHandler(challenges, () => tokenBody(), log));
    const port = recordingPort();
    await authorize(port, challenges, 'code-1');
    const error = await launchError(completeLaunch(port, callback(params)));
    expect(error.code).toBe('unknown-state');
    expect(log.form).toEqual([]);
    expect(port.replaced).toEqual(['/']);
  });

  test('a state is single-use: the second callback with it is refused', async () => {
    const challenges = new Map<string, string>();
    server.use(discoveryHandler(), tokenHandler(challenges, () => tokenBody()));
    const port = recordingPort();
    const { state } = await authorize(port, challenges, 'code-1');
    await completeLaunch(port, callback({ code: 'code-1', state }));
    const error = await launchError(completeLaunch(port, callback({ code: 'code-1', state })));
    expect(error.code).toBe('unknown-state');
  });

  test('a state from another tab (another sessionStorage) is unknown here', async () => {
    const challenges = new Map<string, string>();
    server.use(discoveryHandler(), tokenHandler(challenges, () => tokenBody()));
    const tabA = recordingPort();
    const tabB = recordingPort();
    const { state } = await authorize(tabA, challenges, 'code-1');
    const error = await launchError(completeLaunch(tabB, callback({ code: 'code-1', state })));
    expect(error.code).toBe('unknown-state');
    expect(tabA.storage.length).toBe(1);
  });

  test('two launches in one storage never mix: each callback uses its own verifier', async () => {
    const challenges = new Map<string, string>();
    server.use(discoveryHandler(), tokenHandler(challenges, (code) => tokenBody({ patient: code === 'code-a' ? 'pat-a' : 'pat-b' })));
    const port = recordingPort();
    const a = await authorize(port, challenges, 'code-a');
    const b = await authorize(port, challenges, 'code-b');
    const sessionB = await completeLaunch(port, callback({ code: 'code-b', state: b.state }));
    expect(sessionB.patientId).toBe('pat-b');
    expect(storedKeys(port)).toEqual([`pht.launch.${a.state}`]);
    const sessionA = await completeLaunch(port, callback({ code: 'code-a', state: a.state }));
    expect(sessionA.patientId).toBe('pat-a');
  });

  test('an abandoned handshake (older than 10 minutes) is refused', async () => {
    const challenges = new Map<string, string>();
    server.use(discoveryHandler(), tokenHandler(challenges, () => tokenBody()));
    const start = recordingPort(1_000_000);
    const { state } = await authorize(start, challenges, 'code-1');
    const later = { ...recordingPort(1_000_000 + 11 * 60_000), storage: start.storage };
    const error = await launchError(completeLaunch(later, callback({ code: 'code-1', state })));
    expect(error.code).toBe('unknown-state');
  });

  test('a token endpoint error is a launch error and the handshake is removed', async () => {
    const challenges = new Map<string, string>();
    server.use(discoveryHandler(), tokenHandler(challenges, () => tokenBody()));
    const port = recordingPort();
    const { state } = await authorize(port, challenges, 'code-1');
    challenges.set('code-1', 'not-the-challenge');
    const error = await launchError(completeLaunch(port, callback({ code: 'code-1', state })));
    expect(error.code).toBe('token-error');
    expect(error.detail).toBe('invalid_grant');
    expect(port.storage.length).toBe(0);
    expect(port.replaced).toEqual(['/']);
  });

  test('the user or server denying access is reported as such', async () => {
    server.use(discoveryHandler());
    const port = recordingPort();
    const { state } = await authorize(port, new Map(), 'code-1');
    const error = await launchError(completeLaunch(port, callback({ error: 'access_denied', state })));
    expect(error.code).toBe('authorization-denied');
    expect(error.detail).toBe('access_denied');
  });
});

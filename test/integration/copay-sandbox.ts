// Shared by copay.test.ts and fault-copay.test.ts: a real sandbox EPJ on port 0 and SMART EHR launches
// (oauth4webapi, PKCE S256) that give a Session for our FhirClient.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oauth from 'oauth4webapi';
import { startSandbox, type Sandbox } from '../../sandbox/app';
import type { Session } from '../../src/fhir/session';
import manifest from '../../manifest.json';

export const AS_OF = '2026-03-10';
const APP_REDIRECT = manifest.redirect_uris[0] ?? 'http://localhost:5173/';
const insecure = { [oauth.allowInsecureRequests]: true };

export interface TestEpj {
  sandbox: Sandbox;
  dataDir: string;
  close(): Promise<void>;
}

export async function startTestEpj(patients = 50): Promise<TestEpj> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pht-copay-'));
  const sandbox = await startSandbox({ port: 0, dataDir, patients, asOf: AS_OF });
  return {
    sandbox,
    dataDir,
    async close() {
      await sandbox.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A full EHR launch as `user` with `patient` in context, asking for the app's manifest scopes. The
 * returned Session points at `fhirBaseUrl` (the sandbox, or a proxy in front of it).
 */
export async function launchSession(sandbox: Sandbox, user: string, patient: string, fhirBaseUrl = sandbox.fhirBaseUrl): Promise<Session> {
  const launchRes = await fetch(`${sandbox.origin}/launch?user=${user}&patient=${patient}`, { redirect: 'manual' });
  const launch = new URL(launchRes.headers.get('location') ?? '').searchParams.get('launch');
  if (!launch) throw new Error(`no launch id (${launchRes.status})`);
  const config = await (await fetch(`${sandbox.fhirBaseUrl}/.well-known/smart-configuration`)).json();
  const as: oauth.AuthorizationServer = {
    issuer: config.issuer,
    authorization_endpoint: config.authorization_endpoint,
    token_endpoint: config.token_endpoint,
    jwks_uri: config.jwks_uri,
    id_token_signing_alg_values_supported: config.id_token_signing_alg_values_supported,
  };
  const client: oauth.Client = { client_id: manifest.client_id, token_endpoint_auth_method: 'none' };
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint ?? '');
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', client.client_id);
  url.searchParams.set('redirect_uri', APP_REDIRECT);
  url.searchParams.set('scope', manifest.scope);
  url.searchParams.set('state', state);
  url.searchParams.set('aud', sandbox.fhirBaseUrl);
  url.searchParams.set('launch', launch);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  const res = await fetch(url, { redirect: 'manual' });
  const params = oauth.validateAuthResponse(as, client, new URL(res.headers.get('location') ?? ''), state);
  const tokenRes = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, APP_REDIRECT, verifier, insecure);
  const token = await oauth.processAuthorizationCodeResponse(as, client, tokenRes, { requireIdToken: false });
  const fhirUser = typeof token.fhirUser === 'string' ? token.fhirUser : `Practitioner/${user}`;
  return {
    launchKind: 'ehr',
    fhirBaseUrl,
    accessToken: token.access_token,
    expiresAt: Date.now() + (token.expires_in ?? 300) * 1000,
    grantedScopes: (token.scope ?? '').split(' ').filter(Boolean),
    requestedScopes: manifest.scope.split(' '),
    patientId: typeof token.patient === 'string' ? token.patient : patient,
    needPatientBanner: true,
    fhirUser,
  };
}

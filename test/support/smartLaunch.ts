// A real SMART EHR launch from node against the sandbox EPJ: /launch, authorize (PKCE S256), token.
// Gives a Session for createFhirClient. Used by the integration tests and the benchmarks.
import * as oauth from 'oauth4webapi';
import type { Session } from '../../src/fhir/session';
import manifest from '../../manifest.json';

const APP_REDIRECT = manifest.redirect_uris[0] ?? 'http://localhost:5173/';
const insecure = { [oauth.allowInsecureRequests]: true };

interface SmartConfiguration {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  id_token_signing_alg_values_supported?: string[];
}

export interface SandboxLaunch {
  /** The sandbox's origin (its /launch page) and FHIR base (the token's audience). */
  origin: string;
  fhirBaseUrl: string;
  user: string;
  /** Launch patient; absent = a practice launch. */
  patient?: string;
  /** Where the Session sends its requests (e.g. a fault proxy in front of the sandbox); default fhirBaseUrl. */
  sessionBaseUrl?: string;
}

export async function launchFromSandbox({ origin, fhirBaseUrl, user, patient, sessionBaseUrl = fhirBaseUrl }: SandboxLaunch): Promise<Session> {
  const q = new URLSearchParams({ user });
  if (patient) q.set('patient', patient);
  const launchRes = await fetch(`${origin}/launch?${q.toString()}`, { redirect: 'manual' });
  const launch = new URL(launchRes.headers.get('location') ?? '', origin).searchParams.get('launch');
  if (!launch) throw new Error(`no launch id (${launchRes.status})`);
  const config = (await (await fetch(`${fhirBaseUrl}/.well-known/smart-configuration`)).json()) as SmartConfiguration;
  const as: oauth.AuthorizationServer = {
    issuer: config.issuer,
    authorization_endpoint: config.authorization_endpoint,
    token_endpoint: config.token_endpoint,
    jwks_uri: config.jwks_uri,
    ...(config.id_token_signing_alg_values_supported ? { id_token_signing_alg_values_supported: config.id_token_signing_alg_values_supported } : {}),
  };
  const client: oauth.Client = { client_id: manifest.client_id, token_endpoint_auth_method: 'none' };
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(config.authorization_endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', client.client_id);
  url.searchParams.set('redirect_uri', APP_REDIRECT);
  url.searchParams.set('scope', manifest.scope);
  url.searchParams.set('state', state);
  url.searchParams.set('aud', fhirBaseUrl);
  url.searchParams.set('launch', launch);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  const res = await fetch(url, { redirect: 'manual' });
  const params = oauth.validateAuthResponse(as, client, new URL(res.headers.get('location') ?? ''), state);
  const tokenRes = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, APP_REDIRECT, verifier, insecure);
  const token = await oauth.processAuthorizationCodeResponse(as, client, tokenRes, { requireIdToken: false });
  const tokenPatient = typeof token.patient === 'string' ? token.patient : undefined;
  if (!patient && tokenPatient !== undefined) throw new Error('practice launch came back with a patient in context');
  return {
    launchKind: 'ehr',
    fhirBaseUrl: sessionBaseUrl,
    accessToken: token.access_token,
    expiresAt: Date.now() + (token.expires_in ?? 300) * 1000,
    grantedScopes: (token.scope ?? '').split(' ').filter(Boolean),
    requestedScopes: manifest.scope.split(' '),
    ...(patient ? { patientId: tokenPatient ?? patient } : {}),
    needPatientBanner: token.need_patient_banner !== false,
    fhirUser: typeof token.fhirUser === 'string' ? token.fhirUser : `Practitioner/${user}`,
  };
}

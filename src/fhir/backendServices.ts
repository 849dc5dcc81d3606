// SMART Backend Services (SMART App Launch 2.x, "Backend Services"): a job without a user gets an
// access token with client_credentials, authenticating with a JWT assertion signed by its private key
// (private_key_jwt, RFC 7523), asking for system/ scopes. Used by the headless sweep (scripts/sweep.ts).
// Node only (the private key never reaches a browser).
//
// 1. Discovery: GET <FHIR base>/.well-known/smart-configuration -> token_endpoint.
// 2. Token: POST token_endpoint with grant_type=client_credentials, scope, client_assertion_type
//    jwt-bearer and client_assertion = JWT { iss = sub = client_id, aud = token_endpoint, exp <= 5 min, jti }.
import * as oauth from 'oauth4webapi';
import type { Session } from './session';

/** Scopes the sweep needs (read the discharge signals, the patients and their facts; create/update Tasks). */
export const SWEEP_SCOPES = [
  'system/Encounter.rs',
  'system/DocumentReference.rs',
  'system/Communication.rs',
  'system/Patient.rs',
  'system/RelatedPerson.rs',
  'system/Practitioner.rs',
  'system/Condition.rs',
  'system/MedicationStatement.rs',
  'system/MedicationRequest.rs',
  'system/Observation.rs',
  'system/CarePlan.rs',
  'system/Procedure.rs',
  'system/Flag.rs',
  'system/Task.crus',
].join(' ');

/** A private JWK (EC P-256/P-384 or RSA) as stored in a key file. */
export interface PrivateJwk {
  kty: string;
  kid?: string;
  alg?: string;
  crv?: string;
  x?: string;
  y?: string;
  d?: string;
  n?: string;
  e?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
}

export interface BackendServicesConfig {
  /** FHIR base URL without trailing slash. */
  fhirBaseUrl: string;
  clientId: string;
  privateJwk: PrivateJwk;
  /** Default SWEEP_SCOPES. */
  scope?: string;
  /** Injected in tests. */
  fetch?: typeof fetch;
  now?: () => number;
}

export type BackendServicesStep = 'discovery' | 'key' | 'token';

/** Why the job could not get a token, in Norwegian for the operator; `detail` is the technical cause. */
export class BackendServicesError extends Error {
  readonly step: BackendServicesStep;
  readonly userMessage: string;
  readonly userAction: string;

  constructor(step: BackendServicesStep, userMessage: string, userAction: string, detail?: string, cause?: unknown) {
    super(detail ? `${userMessage} (${detail})` : userMessage, cause === undefined ? undefined : { cause });
    this.name = 'BackendServicesError';
    this.step = step;
    this.userMessage = userMessage;
    this.userAction = userAction;
  }
}

export interface SmartConfiguration {
  issuer?: string;
  token_endpoint: string;
  token_endpoint_auth_methods_supported?: string[];
  token_endpoint_auth_signing_alg_values_supported?: string[];
  grant_types_supported?: string[];
}

function isLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
}

/** Plain http only to this machine (the sandbox); anything else must be https. */
function checkTransport(url: URL, step: BackendServicesStep): void {
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url))) return;
  throw new BackendServicesError(step, `Usikker adresse ${url.origin}: bruk https.`, 'Rett adressen i konfigurasjonen.');
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
}

export async function discoverSmartConfiguration(fhirBaseUrl: string, fetchImpl: typeof fetch = fetch): Promise<SmartConfiguration> {
  const base = fhirBaseUrl.replace(/\/+$/, '');
  const url = new URL(`${base}/.well-known/smart-configuration`);
  checkTransport(url, 'discovery');
  let body: unknown;
  try {
    const response = await fetchImpl(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (error) {
    throw new BackendServicesError(
      'discovery',
      `Fant ikke SMART-konfigurasjonen på ${url.href}.`,
      'Sjekk at FHIR-serveren kjører og at adressen (--fhir) er riktig.',
      error instanceof Error ? error.message : String(error),
      error,
    );
  }
  const record = typeof body === 'object' && body !== null ? body : {};
  const tokenEndpoint = 'token_endpoint' in record && typeof record.token_endpoint === 'string' ? record.token_endpoint : undefined;
  if (!tokenEndpoint) {
    throw new BackendServicesError('discovery', 'SMART-konfigurasjonen mangler token_endpoint.', 'Kontakt leverandøren av journalsystemet.');
  }
  checkTransport(new URL(tokenEndpoint), 'discovery');
  const methods = 'token_endpoint_auth_methods_supported' in record ? stringList(record.token_endpoint_auth_methods_supported) : undefined;
  if (methods && !methods.includes('private_key_jwt')) {
    throw new BackendServicesError('discovery', 'Serveren støtter ikke private_key_jwt (SMART Backend Services).', 'Kontakt leverandøren av journalsystemet.');
  }
  const issuer = 'issuer' in record && typeof record.issuer === 'string' ? record.issuer : undefined;
  const algs = 'token_endpoint_auth_signing_alg_values_supported' in record ? stringList(record.token_endpoint_auth_signing_alg_values_supported) : undefined;
  const grants = 'grant_types_supported' in record ? stringList(record.grant_types_supported) : undefined;
  return {
    ...(issuer ? { issuer } : {}),
    token_endpoint: tokenEndpoint,
    ...(methods ? { token_endpoint_auth_methods_supported: methods } : {}),
    ...(algs ? { token_endpoint_auth_signing_alg_values_supported: algs } : {}),
    ...(grants ? { grant_types_supported: grants } : {}),
  };
}

/** Imports the private JWK for signing (WebCrypto; EC P-256 -> ES256, P-384 -> ES384, RSA -> RS384). */
export async function importPrivateKey(jwk: PrivateJwk): Promise<oauth.PrivateKey> {
  const { kid, alg: _alg, ...material } = jwk;
  if (!material.d) throw new BackendServicesError('key', 'Nøkkelfilen inneholder ikke en privat nøkkel.', 'Bruk den private nøkkelen (JWK med «d»).');
  let algorithm: EcKeyImportParams | RsaHashedImportParams;
  if (jwk.kty === 'EC' && (jwk.crv === 'P-256' || jwk.crv === 'P-384')) algorithm = { name: 'ECDSA', namedCurve: jwk.crv };
  else if (jwk.kty === 'RSA') algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' };
  else throw new BackendServicesError('key', `Nøkkeltypen ${jwk.kty}${jwk.crv ? ` ${jwk.crv}` : ''} støttes ikke.`, 'Bruk en EC P-256-nøkkel (ES256) eller RSA (RS384).');
  try {
    const key = await crypto.subtle.importKey('jwk', { ...material, ext: true }, algorithm, false, ['sign']);
    return kid ? { key, kid } : { key };
  } catch (error) {
    throw new BackendServicesError('key', 'Nøkkelfilen kunne ikke leses som en privat JWK.', 'Kontroller nøkkelfilen.', error instanceof Error ? error.message : String(error), error);
  }
}

export interface BackendToken {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
  grantedScopes: string[];
  tokenEndpoint: string;
}

export async function requestBackendToken(config: BackendServicesConfig): Promise<BackendToken> {
  const fetchImpl = config.fetch ?? fetch;
  const now = config.now ?? Date.now;
  const smart = await discoverSmartConfiguration(config.fhirBaseUrl, fetchImpl);
  const privateKey = await importPrivateKey(config.privateJwk);
  const tokenUrl = new URL(smart.token_endpoint);
  const as: oauth.AuthorizationServer = { issuer: smart.issuer ?? tokenUrl.origin, token_endpoint: smart.token_endpoint };
  const client: oauth.Client = { client_id: config.clientId };
  // SMART Backend Services: the assertion's aud is the token endpoint (oauth4webapi's default is the issuer).
  const auth = oauth.PrivateKeyJwt(privateKey, {
    [oauth.modifyAssertion]: (_header, payload) => {
      payload.aud = smart.token_endpoint;
    },
  });
  const scope = config.scope ?? SWEEP_SCOPES;
  let result: oauth.TokenEndpointResponse;
  try {
    const response = await oauth.clientCredentialsGrantRequest(as, client, auth, { scope }, {
      [oauth.customFetch]: fetchImpl,
      [oauth.allowInsecureRequests]: tokenUrl.protocol === 'http:' && isLoopback(tokenUrl),
    });
    result = await oauth.processClientCredentialsResponse(as, client, response);
  } catch (error) {
    const detail =
      error instanceof oauth.ResponseBodyError
        ? `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`
        : error instanceof Error
          ? error.message
          : String(error);
    throw new BackendServicesError(
      'token',
      `Fikk ikke tilgangstoken for klienten ${config.clientId}.`,
      'Sjekk klient-id, nøkkel og at klienten er registrert med disse system-scopene hos journalsystemet.',
      detail,
      error,
    );
  }
  const granted = (result.scope ?? scope).split(/\s+/).filter((s) => s.length > 0);
  return {
    accessToken: result.access_token,
    expiresAt: now() + (result.expires_in ?? 300) * 1000,
    grantedScopes: granted,
    tokenEndpoint: smart.token_endpoint,
  };
}

/** A Session for createFhirClient, from a backend-services token (no user, no patient). */
export async function backendServicesSession(config: BackendServicesConfig): Promise<Session> {
  const token = await requestBackendToken(config);
  return {
    launchKind: 'standalone',
    fhirBaseUrl: config.fhirBaseUrl.replace(/\/+$/, ''),
    accessToken: token.accessToken,
    expiresAt: token.expiresAt,
    grantedScopes: token.grantedScopes,
    requestedScopes: (config.scope ?? SWEEP_SCOPES).split(' '),
    needPatientBanner: false,
  };
}

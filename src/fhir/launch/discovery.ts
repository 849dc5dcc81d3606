// SMART configuration discovery (SMART App Launch 2.x §"Conformance"): `<iss>/.well-known/smart-configuration`.
// oauth4webapi's discoveryRequest only knows the OIDC/RFC 8414 well-known paths, so we fetch the SMART
// document ourselves and hand oauth4webapi an AuthorizationServer built from it.
import type { AuthorizationServer } from 'oauth4webapi';
import { LaunchError } from './errors';

export interface SmartConfiguration {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  codeChallengeMethods: readonly string[];
  idTokenSigningAlgs?: readonly string[];
  /** RFC 9207: the server adds `iss` to the authorization response. */
  issParameterSupported: boolean;
}

export function normaliseIss(iss: string): string {
  return iss.replace(/\/+$/, '');
}

function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
}

function field(json: object, name: string): unknown {
  return name in json ? Reflect.get(json, name) : undefined;
}

export async function discoverSmartConfiguration(fetchFn: typeof fetch, iss: string): Promise<SmartConfiguration> {
  const url = `${normaliseIss(iss)}/.well-known/smart-configuration`;
  let json: unknown;
  try {
    const response = await fetchFn(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    json = await response.json();
  } catch (cause) {
    throw new LaunchError('discovery-failed', { detail: url, cause });
  }
  if (typeof json !== 'object' || json === null) throw new LaunchError('discovery-failed', { detail: 'not a JSON object' });
  const authorizationEndpoint = field(json, 'authorization_endpoint');
  const tokenEndpoint = field(json, 'token_endpoint');
  if (typeof authorizationEndpoint !== 'string' || typeof tokenEndpoint !== 'string') {
    throw new LaunchError('discovery-failed', { detail: 'authorization_endpoint/token_endpoint missing' });
  }
  // PKCE with S256 is required by SMART 2.x; a server that does not advertise it could be downgraded to
  // `plain` (or no PKCE) by an attacker, so we refuse to launch at all.
  const codeChallengeMethods = stringArray(field(json, 'code_challenge_methods_supported')) ?? [];
  if (!codeChallengeMethods.includes('S256')) {
    throw new LaunchError('s256-unsupported', { detail: `code_challenge_methods_supported: ${codeChallengeMethods.join(', ') || '(ingen)'}` });
  }
  const issuer = field(json, 'issuer');
  return {
    // `issuer` is only required by SMART when the server does OpenID Connect; the FHIR base stands in.
    issuer: typeof issuer === 'string' ? issuer : normaliseIss(iss),
    authorizationEndpoint,
    tokenEndpoint,
    codeChallengeMethods,
    idTokenSigningAlgs: stringArray(field(json, 'id_token_signing_alg_values_supported')),
    issParameterSupported: field(json, 'authorization_response_iss_parameter_supported') === true,
  };
}

export function toAuthorizationServer(config: SmartConfiguration): AuthorizationServer {
  return {
    issuer: config.issuer,
    authorization_endpoint: config.authorizationEndpoint,
    token_endpoint: config.tokenEndpoint,
    code_challenge_methods_supported: [...config.codeChallengeMethods],
    id_token_signing_alg_values_supported: config.idTokenSigningAlgs ? [...config.idTokenSigningAlgs] : undefined,
    authorization_response_iss_parameter_supported: config.issParameterSupported,
  };
}

// Discovery documents: SMART App Launch 2.2 "Conformance" (/.well-known/smart-configuration) and the
// OpenID Provider metadata (for clients such as oauth4webapi that validate id_tokens against it), one
// pair per issuer (profile).
import { CLIENT_ASSERTION_ALGS } from './clients';
import { DPOP_ALGS } from './dpop';
import { ID_TOKEN_ALG } from './keys';
import type { AuthRuntime } from './runtime';
import { LAUNCH_SCOPES } from './scopes';

/** Endpoint paths below the issuer's prefix ('' for the SMART profile, '/helseid' for the HelseID-like one). */
export const AUTH_PATHS = {
  authorize: '/auth/authorize',
  select: '/auth/authorize/select',
  par: '/auth/par',
  token: '/auth/token',
  jwks: '/auth/jwks',
} as const;

function scopesSupported(rt: AuthRuntime): string[] {
  return [...new Set([...LAUNCH_SCOPES, ...rt.registeredScopes, ...rt.clients.backend.scopes])];
}

function endpoints(rt: AuthRuntime): Record<string, unknown> {
  const helseid = rt.profile.name === 'helseid';
  return {
    issuer: rt.issuer,
    jwks_uri: `${rt.issuer}${AUTH_PATHS.jwks}`,
    authorization_endpoint: `${rt.issuer}${AUTH_PATHS.authorize}`,
    token_endpoint: rt.tokenUrl,
    pushed_authorization_request_endpoint: rt.parUrl,
    require_pushed_authorization_requests: rt.profile.requirePar,
    dpop_signing_alg_values_supported: DPOP_ALGS,
    grant_types_supported: helseid ? ['authorization_code', 'refresh_token'] : ['authorization_code', 'refresh_token', 'client_credentials'],
    token_endpoint_auth_methods_supported: rt.profile.publicClients ? ['none', 'private_key_jwt'] : ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: CLIENT_ASSERTION_ALGS,
    id_token_signing_alg_values_supported: [ID_TOKEN_ALG],
    scopes_supported: scopesSupported(rt),
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
  };
}

export function smartConfiguration(rt: AuthRuntime): Record<string, unknown> {
  return {
    ...endpoints(rt),
    capabilities: [
      'launch-ehr',
      'launch-standalone',
      'authorize-post',
      ...(rt.profile.publicClients ? ['client-public'] : []),
      'client-confidential-asymmetric',
      'context-ehr-patient',
      'context-ehr-encounter',
      'context-standalone-patient',
      'context-banner',
      'permission-offline',
      'permission-patient',
      'permission-user',
      'permission-v1',
      'permission-v2',
      'sso-openid-connect',
    ],
  };
}

export function openidConfiguration(rt: AuthRuntime): Record<string, unknown> {
  return {
    ...endpoints(rt),
    subject_types_supported: ['public'],
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'name', 'fhirUser'],
  };
}

// Discovery documents: SMART App Launch 2.x "Conformance" (/.well-known/smart-configuration) and the
// OpenID Provider metadata (for clients such as oauth4webapi that validate id_tokens against it).
import type { AuthRuntime } from './runtime';
import { LAUNCH_SCOPES } from './scopes';
import { KEY_ALG } from './keys';

export const AUTH_PATHS = {
  authorize: '/auth/authorize',
  select: '/auth/authorize/select',
  token: '/auth/token',
  jwks: '/auth/jwks',
} as const;

function scopesSupported(rt: AuthRuntime): string[] {
  return [...new Set([...LAUNCH_SCOPES, ...rt.registeredScopes, ...rt.backend.scopes])];
}

export function smartConfiguration(rt: AuthRuntime): Record<string, unknown> {
  return {
    issuer: rt.issuer,
    jwks_uri: `${rt.issuer}${AUTH_PATHS.jwks}`,
    authorization_endpoint: `${rt.issuer}${AUTH_PATHS.authorize}`,
    token_endpoint: rt.tokenUrl,
    grant_types_supported: ['authorization_code', 'client_credentials'],
    token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['ES256'],
    id_token_signing_alg_values_supported: [KEY_ALG],
    scopes_supported: scopesSupported(rt),
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities: [
      'launch-ehr',
      'launch-standalone',
      'client-public',
      'client-confidential-asymmetric',
      'context-ehr-patient',
      'context-ehr-encounter',
      'context-standalone-patient',
      'context-banner',
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
    issuer: rt.issuer,
    authorization_endpoint: `${rt.issuer}${AUTH_PATHS.authorize}`,
    token_endpoint: rt.tokenUrl,
    jwks_uri: `${rt.issuer}${AUTH_PATHS.jwks}`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [KEY_ALG],
    scopes_supported: scopesSupported(rt),
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'name', 'fhirUser'],
    grant_types_supported: ['authorization_code', 'client_credentials'],
    token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['ES256'],
    code_challenge_methods_supported: ['S256'],
  };
}


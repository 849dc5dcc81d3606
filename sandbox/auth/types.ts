// The contract between the sandbox's SMART authorization server (sandbox/auth) and its FHIR server
// (sandbox/fhir): the auth side issues and verifies tokens, the FHIR side enforces what they grant.
import type { IncomingHttpHeaders } from 'node:http';

/** What a verified access token grants. */
export interface AccessContext {
  kind: 'user' | 'backend';
  clientId: string;
  /** Granted SMART v2 scopes, e.g. `patient/Condition.rs`, `user/Task.cruds`, `system/Task.cruds`. */
  scopes: string[];
  /** `Practitioner/<id>` for user launches. */
  fhirUser?: string;
  /** Launch patient id (bare id) when the launch had a patient context. */
  patient?: string;
  /** Seconds since epoch. */
  expiresAt: number;
}

/**
 * Thrown by `authenticate` for a missing, malformed, expired or badly signed token (HTTP 401).
 * `headers` are the response headers the FHIR server must send with the 401: for DPoP (RFC 9449 §7.1,
 * §9) `WWW-Authenticate: DPoP error="use_dpop_nonce"` and a fresh `DPoP-Nonce`.
 */
export class AuthenticationError extends Error {
  readonly headers: Record<string, string> | undefined;

  constructor(message: string, headers?: Record<string, string>) {
    super(message);
    this.name = 'AuthenticationError';
    this.headers = headers;
  }
}

/**
 * The HTTP request being authenticated: what DPoP proofs are checked against (RFC 9449 §4.3: `htm` is
 * the method, `htu` the absolute URL without query and fragment).
 */
export interface AuthRequest {
  method: string;
  /** Absolute URL as the client addressed it, e.g. `http://localhost:8103/helseid/fhir/Patient?_count=1`. */
  url: string;
  headers: IncomingHttpHeaders;
}

/**
 * Verifies the `Authorization` header. Resolves the grant or rejects with AuthenticationError.
 * Without `request` only Bearer tokens can be verified (DPoP needs the method, URL and `DPoP` header).
 */
export type Authenticate = (authorizationHeader: string | undefined, request?: AuthRequest) => Promise<AccessContext>;

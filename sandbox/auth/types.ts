// The contract between the sandbox's SMART authorization server (sandbox/auth) and its FHIR server
// (sandbox/fhir): the auth side issues and verifies tokens, the FHIR side enforces what they grant.

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

/** Thrown by `authenticate` for a missing, malformed, expired or badly signed token (HTTP 401). */
export class AuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

/** Verifies the `Authorization` header. Resolves the grant or rejects with AuthenticationError. */
export type Authenticate = (authorizationHeader: string | undefined) => Promise<AccessContext>;

// Typed OAuth errors (RFC 6749 §4.1.2.1, §5.2), thrown by the flow and turned into a redirect, a JSON
// body or a Norwegian page once, at the HTTP edge (server.ts).

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'server_error'
  // RFC 9449 §5, §8
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce';

export class OAuthError extends Error {
  readonly code: OAuthErrorCode;
  /** RFC 6749 §5.2: 401 for a failed client authentication, 400 otherwise. */
  readonly status: number;
  /** Extra response headers, e.g. `DPoP-Nonce` with `use_dpop_nonce` (RFC 9449 §8). */
  readonly headers: Record<string, string>;

  /**
   * `description` goes into `error_description`, which RFC 6749 §5.2 restricts to printable ASCII, so it
   * is English and meant for the app's developer; users see the app's own wording.
   */
  constructor(code: OAuthErrorCode, description: string, headers: Record<string, string> = {}) {
    super(description);
    this.name = 'OAuthError';
    this.code = code;
    this.status = code === 'invalid_client' ? 401 : code === 'server_error' ? 500 : 400;
    this.headers = headers;
  }

  toJSON(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.code, error_description: this.message };
  }
}

/**
 * An authorization request we cannot redirect back from (unknown client or unregistered redirect_uri):
 * RFC 6749 §4.1.2.1 forbids redirecting, so the user gets an error page instead.
 */
export class UnredirectableError extends Error {
  /** Norwegian, shown on the page. */
  readonly userMessage: string;

  constructor(userMessage: string, detail: string) {
    super(detail);
    this.name = 'UnredirectableError';
    this.userMessage = userMessage;
  }
}

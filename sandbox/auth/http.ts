// node:http plumbing for the auth routes: bodies, replies, security headers, CORS.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OAuthError } from './errors';

/** Form bodies here are a handful of parameters; anything larger is not a legitimate request. */
const MAX_FORM_BYTES = 64 * 1024;

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new OAuthError('invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_FORM_BYTES) throw new OAuthError('invalid_request', 'Request body too large');
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Token responses must not be cached (RFC 6749 §5.1). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(payload);
}

export function sendOAuthError(res: ServerResponse, error: OAuthError, headers: Record<string, string> = {}): void {
  sendJson(res, error.status, error.toJSON(), { ...headers, ...error.headers });
}

/**
 * No scripts anywhere (`default-src 'none'`), only our stylesheet. `form-action` lists the app's
 * origins because browsers apply it to the redirect that follows the launch and picker forms.
 */
export function sendHtml(res: ServerResponse, status: number, body: string, formTargets: string[]): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': `default-src 'none'; style-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self' ${formTargets.join(' ')}`.trim(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  res.end(body);
}

export function sendText(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': contentType, 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(body);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
  res.end();
}

/**
 * The browser app calls the token endpoint cross-origin. Echo only the app's own origins: a stolen
 * code is useless without its PKCE verifier anyway, but there is no reason to let other pages try.
 */
export function corsHeaders(origin: string | undefined, accepts: (origin: string) => boolean): Record<string, string> {
  if (!origin || !accepts(origin)) return { Vary: 'Origin' };
  return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
}

/** Discovery documents and the JWKS are public. */
export const PUBLIC_CORS = { 'Access-Control-Allow-Origin': '*' };

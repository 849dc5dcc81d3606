// The browser's one client for the app server's JSON API (/api/...): same-origin, the session cookie and the
// tab's launch handle (X-PHT-Handle), JSON in and out. A refused request becomes an ApiError carrying the
// server's Norwegian message ({ error }) for the user to read, and the status for the code to branch on.
import { HANDLE_HEADER } from '../fhir/launch/serverSession';
import { ENDED_HEADER, reportSessionEnded } from './sessionEnd';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    /** The rest of the server's answer (e.g. `current` on a 409). */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface ApiContext {
  /** The tab's launch handle from the session. */
  handle?: string;
}

export async function apiFetch<T>(ctx: ApiContext, path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (ctx.handle) headers[HANDLE_HEADER] = ctx.handle;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      credentials: 'same-origin',
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });
  } catch (cause) {
    if (init.signal?.aborted) throw cause;
    throw new ApiError(0, 'Får ikke kontakt med appserveren. Sjekk nettverket og prøv igjen.');
  }
  if (response.status === 401) reportSessionEnded(response.headers.get(ENDED_HEADER));
  if (response.status === 204) return undefined as T;
  const json: unknown = await response.json().catch(() => undefined);
  const body = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  if (!response.ok) {
    const message = typeof body.error === 'string' ? body.error : response.status === 401 ? 'Økten er utløpt. Start appen på nytt fra journalen.' : `Appserveren svarte med feil (HTTP ${response.status}).`;
    throw new ApiError(response.status, message, body);
  }
  return json as T;
}

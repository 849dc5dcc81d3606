// Target-group status from the app server (POST /api/target-groups/status; issue 12 item 5): for the
// secretary, whose token may not read clinical facts. The server classifies with the same rules (SPEC §3)
// and answers only the groups, never the evidence.
import type { TargetGroup } from '../domain/targetGroups';
import type { FhirClient } from './client';
import { FhirError } from './errors';
import { HANDLE_HEADER } from './launch/serverSession';
import { ENDED_HEADER, reportSessionEnded } from '../platform/sessionEnd';

export interface RemoteStatus {
  groups: TargetGroup[];
  confirmed: TargetGroup[];
}

/** The server's limit per request. */
export const STATUS_BATCH = 500;

export type StatusSource = (patientIds: readonly string[], opts?: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void }) => Promise<Map<string, RemoteStatus>>;

/** Asks the app server that served this session, in batches of STATUS_BATCH patients. */
export function serverStatusSource(client: FhirClient, fetchImpl: typeof fetch = (...args) => fetch(...args)): StatusSource {
  const url = new URL('/api/target-groups/status', client.session.fhirBaseUrl).href;
  return async (patientIds, opts = {}) => {
    const ids = [...new Set(patientIds)];
    const out = new Map<string, RemoteStatus>();
    opts.onProgress?.(0, ids.length);
    for (let i = 0; i < ids.length; i += STATUS_BATCH) {
      const batch = ids.slice(i, i + STATUS_BATCH);
      const res = await fetchImpl(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...(client.session.handle ? { [HANDLE_HEADER]: client.session.handle } : {}) },
        body: JSON.stringify({ patients: batch }),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      if (!res.ok) {
        if (res.status === 401) reportSessionEnded(res.headers.get(ENDED_HEADER));
        const text = await res.text().catch(() => '');
        const diagnostics = /"diagnostics":"([^"]*)"/.exec(text)?.[1];
        throw new FhirError({
          kind: res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : res.status === 400 ? 'invalid' : 'server',
          status: res.status,
          userMessage: diagnostics ?? `Målgruppestatus kunne ikke hentes (HTTP ${res.status}).`,
        });
      }
      const body = (await res.json()) as { statuses: ({ patientId: string } & RemoteStatus)[] };
      for (const s of body.statuses) out.set(s.patientId, { groups: s.groups, confirmed: s.confirmed });
      opts.onProgress?.(Math.min(i + batch.length, ids.length), ids.length);
    }
    return out;
  };
}

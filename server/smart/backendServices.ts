// SMART Backend Services (issue 14 item 3): the app server's own token per registered EPJ for work no
// user's token may do, e.g. classifying the secretary's patients without giving her diagnoses (issue 12
// item 5). client_credentials with a private_key_jwt assertion signed by the app server's key store (the
// JWKS the EPJ registered for the launch), DPoP-bound where the registry entry says `dpop`. Tokens are
// cached until shortly before they expire; one request per EPJ at a time.
import * as oauth from 'oauth4webapi';
import { describe, dpopHandle, newDpopKey, type EpjClients, type EpjConnection } from './epjClient';
import type { EpjEntry } from './registry';

/**
 * What the server reads with its own token (SMART v2 system scopes: the jobs, and the patient displays and
 * co-payment facts it reads for the browser), and what the journal write-back creates
 * (server/jobs/writeBack.ts): journal notes, and Flags and ChargeItems where the EPJ accepts them. An EPJ grants
 * the subset it registered the app for; a write it did not grant fails and stays queued.
 */
export const BACKEND_SCOPES =
  'system/Patient.rs system/Condition.rs system/MedicationStatement.rs system/MedicationRequest.rs system/Encounter.rs system/Observation.rs system/CarePlan.rs system/Procedure.rs system/DocumentReference.crs system/Communication.rs system/RelatedPerson.rs system/Coverage.rs system/Flag.crs system/ChargeItem.crs';
const MARGIN_MS = 30_000;

export class BackendServicesError extends Error {
  override readonly name = 'BackendServicesError';
}

interface Held {
  accessToken: string;
  expiresAt: number;
  dpop?: oauth.DPoPHandle;
}

export class BackendServices {
  private readonly held = new Map<string, Promise<Held>>();

  constructor(
    private readonly clients: EpjClients,
    private readonly now: () => number = Date.now,
  ) {}

  private async token(conn: EpjConnection): Promise<Held> {
    const iss = conn.entry.iss;
    const cached = this.held.get(iss);
    if (cached) {
      const held = await cached.catch(() => undefined);
      if (held && this.now() < held.expiresAt - MARGIN_MS) return held;
    }
    const next = this.requestToken(conn);
    this.held.set(iss, next);
    next.catch(() => this.held.delete(iss));
    return next;
  }

  private async requestToken(conn: EpjConnection): Promise<Held> {
    const dpop = conn.entry.dpop ? await dpopHandle(conn.client, await newDpopKey(), this.now) : undefined;
    const params = new URLSearchParams({ scope: BACKEND_SCOPES });
    const attempt = async () =>
      oauth.processClientCredentialsResponse(
        conn.as,
        conn.client,
        await oauth.clientCredentialsGrantRequest(conn.as, conn.client, conn.clientAuth, params, { ...conn.http, ...(dpop ? { DPoP: dpop } : {}) }),
      );
    let response: oauth.TokenEndpointResponse;
    try {
      response = await attempt().catch((error: unknown) => {
        if (oauth.isDPoPNonceError(error)) return attempt();
        throw error;
      });
    } catch (error) {
      throw new BackendServicesError(`Backend Services hos ${conn.entry.name}: ${describe(error)}`);
    }
    if (conn.entry.dpop && response.token_type !== 'dpop') throw new BackendServicesError(`${conn.entry.name} ga ikke et DPoP-bundet token`);
    return { accessToken: response.access_token, expiresAt: this.now() + (response.expires_in ?? 300) * 1000, ...(dpop ? { dpop } : {}) };
  }

  /**
   * A GET on the EPJ's FHIR API with the server's own token (a fresh DPoP proof each time); `headers` e.g.
   * `Prefer: respond-async` for a Bulk Data kick-off, or the NDJSON `Accept` of an export file.
   */
  async get(entry: EpjEntry, url: URL, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(entry, 'GET', url, undefined, headers);
  }

  /** A POST of a FHIR resource (JSON) with the server's own token; `headers` e.g. If-None-Exist. */
  async post(entry: EpjEntry, url: URL, resource: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(entry, 'POST', url, new TextEncoder().encode(JSON.stringify(resource)).buffer as ArrayBuffer, { 'content-type': 'application/fhir+json', ...headers });
  }

  /** Any request on the EPJ's FHIR API with the server's own token. */
  async request(entry: EpjEntry, method: string, url: URL, body?: ArrayBuffer, headers: Record<string, string> = {}): Promise<Response> {
    const conn = await this.clients.connect(entry);
    const held = await this.token(conn);
    const h = new Headers({ accept: 'application/fhir+json', ...headers });
    return this.clients.resource(conn, { accessToken: held.accessToken, dpop: !!held.dpop, expiresAt: held.expiresAt }, method, url, h, body, held.dpop);
  }
}

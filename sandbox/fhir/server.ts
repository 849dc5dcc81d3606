// The sandbox FHIR R4 REST server, mounted by sandbox/app.ts under /fhir. Medplum's FhirRouter does
// reads, writes, conditional requests, patch and batch; this layer adds what FINDINGS says it lacks
// or gets wrong: auth and SMART scopes, one serial write queue, atomic transactions, indexed search
// with cursor paging, headers (ETag, Location, CORS, security), OperationOutcome for every error,
// and persistence.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { allOk, isOk, OperationOutcomeError, parseSearchRequest, type SearchRequest } from '@medplum/core';
import { FhirRouter, type FhirRequest, type FhirResponse, type HttpMethod } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, Group, Resource } from '@medplum/fhirtypes';
import { AuthenticationError, type AccessContext, type Authenticate } from '../auth/types';
import { currentAccess, grantKey } from './access';
import { buildCapabilityStatement } from './capability';
import { BulkExports } from './bulkExport';
import { enforceBundle, enforceProfile, FULL_PROFILE, type EpjProfile } from './epjProfile';
import { isKnownResourceType, loadDefinitions } from './definitions';
import { fail, outcome, statusOf } from './outcomes';
import { CursorStore } from './paging';
import { Persistence } from './persistence';
import { SerialQueue } from './queue';
import { DEFAULT_COUNT, MAX_COUNT, MAX_RESPONSE_RESOURCES, responseBudget, SandboxRepository } from './repository';
import { searchIds } from './search-engine';
import { assertPlainJson, assertStructure } from './validate';

export interface FhirServerOptions {
  /** Public base, e.g. 'http://localhost:8103/fhir' (used in Location, Bundle.link, fullUrl). */
  baseUrl: string;
  /** Persistence folder; absent = memory only. */
  dataDir?: string;
  /** Rejects with AuthenticationError -> 401. */
  authenticate: Authenticate;
  /** CORS: echo Origin when listed (or always, if undefined, for the local sandbox); credentials allowed. */
  allowedOrigins?: string[];
  /** Which EPJ the server plays (issue 16): full (default) or narrow; `setProfile` switches it at run time. */
  profile?: EpjProfile;
}

export interface FhirServer {
  /** `req.url` starts with /fhir. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  store: SandboxStore;
  /** The EPJ profile being played now, and a switch (the launch page's choice). */
  profile(): EpjProfile;
  setProfile(profile: EpjProfile): void;
  /** Waits for queued writes and flushes persistence (compacts the log into the snapshot). */
  close(): Promise<void>;
}

export interface SandboxStore {
  /** Fast seeding, bypasses HTTP and auth, keeps given ids (versionId '1' unless given). */
  bulkLoad(resources: Resource[]): Promise<void>;
  /** Empty store and data folder. */
  reset(): Promise<void>;
  count(resourceType?: string): number;
  /** System-level search (no scopes) for the launch page directory; `_count` limits, default all. */
  search<T extends Resource>(resourceType: T['resourceType'], query: Record<string, string>): Promise<T[]>;
}

interface Reply {
  status: number;
  body?: Resource;
  /** A non-FHIR-JSON body (the bulk export's NDJSON files). */
  raw?: { contentType: string; text: string } | { contentType: string; lines: Iterable<string> };
  headers?: Record<string, string>;
}

/** Request bodies; the largest the app sends are transactions of a few hundred small resources. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Entries per batch or transaction (issue 12 item 7); larger ones answer 413. */
export const MAX_BUNDLE_ENTRIES = 100;
const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const ALLOWED_HEADERS = 'Authorization, Content-Type, Accept, If-Match, If-None-Exist, If-None-Match, Prefer, DPoP';
const EXPOSED_HEADERS = 'ETag, Location, Last-Modified, Content-Location, WWW-Authenticate, DPoP-Nonce';
// What a deployment should copy: no MIME sniffing, no framing, no referrer leaking patient ids in
// URLs, nothing cached (responses hold health data). HSTS belongs to the TLS terminator, not here.
const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export async function createFhirServer(opts: FhirServerOptions): Promise<FhirServer> {
  loadDefinitions();
  const baseUrl = opts.baseUrl.replace(/\/$/, '');
  const basePath = new URL(baseUrl).pathname.replace(/\/$/, '');
  const persistence = opts.dataDir ? new Persistence(opts.dataDir) : undefined;
  const repo = new SandboxRepository((changes) => persistence?.append(changes));
  if (persistence) {
    await persistence.load((change) => repo.applyReplayed(change));
    // A log left behind means the last run did not close cleanly; fold it in now.
    if (persistence.hasPendingLog()) persistence.compact(repo.allResources());
  }
  let warming = repo.warmCommonIndexes();
  const router = new FhirRouter();
  const writes = new SerialQueue();
  const cursors = new CursorStore();
  let profile = opts.profile ?? FULL_PROFILE;
  const startedAt = new Date().toISOString();
  const capabilities = new Map<string, ReturnType<typeof buildCapabilityStatement>>();
  const capability = () => {
    const key = `${profile.name}:${profile.optional.join(',')}`;
    let statement = capabilities.get(key);
    if (!statement) {
      statement = buildCapabilityStatement(baseUrl, startedAt, profile);
      capabilities.set(key, statement);
    }
    return statement;
  };
  const fullUrl = (type: string, id: string): string => `${baseUrl}/${type}/${id}`;
  const bulk = new BulkExports({ allResources: () => repo.allResources(), readGroup: (id) => repo.table('Group').get(id) as Group | undefined }, baseUrl);

  async function callRouter(method: HttpMethod, path: string, body: unknown, headers: IncomingMessage['headers']): Promise<FhirResponse> {
    const request: FhirRequest = { method, url: path, pathname: '', body, params: {}, query: {}, headers, config: { transactions: true } };
    return router.handleRequest(request, repo);
  }

  function resourceReply([result, resource]: FhirResponse): Reply {
    const status = statusOf(result);
    if (status >= 400 || !resource) return { status, body: result };
    return { status, body: resource, headers: resourceHeaders(resource, status === 201) };
  }

  function resourceHeaders(resource: Resource, created: boolean): Record<string, string> {
    const headers: Record<string, string> = {};
    const version = resource.meta?.versionId;
    if (version) headers['ETag'] = `W/"${version}"`;
    if (resource.meta?.lastUpdated) headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
    if (created && resource.id) headers['Location'] = `${fullUrl(resource.resourceType, resource.id)}${version ? `/_history/${version}` : ''}`;
    return headers;
  }

  /** Adds fullUrl and ETag/Last-Modified/Location to batch, transaction and history entries. */
  function decorateEntries(bundle: Bundle): Bundle {
    for (const entry of bundle.entry ?? []) {
      const resource = entry.resource;
      if (!resource?.id) continue;
      entry.fullUrl = fullUrl(resource.resourceType, resource.id);
      if (entry.response) {
        const version = resource.meta?.versionId;
        if (version) entry.response.etag = `W/"${version}"`;
        if (resource.meta?.lastUpdated) entry.response.lastModified = resource.meta.lastUpdated;
        if (entry.response.location && version) entry.response.location = `${resource.resourceType}/${resource.id}/_history/${version}`;
      }
    }
    return bundle;
  }

  async function bundleRequest(body: unknown, headers: IncomingMessage['headers']): Promise<Reply> {
    assertStructure(body, 'Bundle');
    const bundle = body as Bundle;
    enforceBundle(profile, bundle);
    const size = bundle.entry?.length ?? 0;
    if (size > MAX_BUNDLE_ENTRIES) throw fail(413, 'too-costly', `A ${bundle.type ?? 'Bundle'} may hold at most ${MAX_BUNDLE_ENTRIES} entries, not ${size}; split it`, 'Bundle.entry');
    if (bundle.type === 'batch') {
      const reply = (bundle.entry ?? []).every((e) => e?.request?.method === 'GET') ? await readOnlyBatch(bundle, headers) : await writes.run(() => callRouter('POST', '', bundle, headers));
      const [result, response] = reply;
      return isOk(result) && response ? { status: 200, body: decorateEntries(response as Bundle) } : resourceReply([result]);
    }
    if (bundle.type !== 'transaction') throw fail(400, 'invalid', `Bundle.type must be batch or transaction, not ${bundle.type}`);
    // Run as a batch inside our own rollback scope: Medplum's transactions are not atomic in memory and
    // refuse >8 entries with a conditional or >50 PUTs (FINDINGS); as a batch neither limit applies,
    // and any failed entry undoes the whole Bundle here.
    return writes.run(() =>
      repo.atomically(async () => {
        const [result, response] = await callRouter('POST', '', { ...bundle, type: 'batch' }, headers);
        if (!isOk(result) || !response) throw new OperationOutcomeError(result);
        const responseBundle = response as Bundle;
        responseBundle.entry?.forEach((entry, i) => {
          const status = Number.parseInt(entry.response?.status ?? '500', 10);
          if (status >= 400) {
            const cause = entry.response?.outcome ?? outcome(status, 'processing', 'Entry failed');
            const text = cause.issue?.[0]?.details?.text ?? cause.issue?.[0]?.diagnostics ?? 'failed';
            throw new OperationOutcomeError({ ...cause, issue: [{ ...(cause.issue?.[0] ?? { severity: 'error', code: 'processing' }), details: { text: `Transaction rolled back: entry ${i} failed: ${text}` }, expression: [`Bundle.entry[${i}]`] }] });
          }
        });
        responseBundle.type = 'transaction-response';
        return { status: 200, body: decorateEntries(responseBundle) };
      }),
    );
  }

  /**
   * A batch of reads, one entry at a time, each under the shared read lock and in its own event-loop
   * turn, so writes and other requests (even /metadata) get in between (issue 12 item 7: 200 searches
   * in the write lane stalled everything for 8 s). Batch entries are independent (R4 http.html#brules),
   * so each seeing its own consistent state is what FHIR asks.
   */
  async function readOnlyBatch(bundle: Bundle, headers: IncomingMessage['headers']): Promise<FhirResponse> {
    const entries: BundleEntry[] = [];
    for (const entry of bundle.entry ?? []) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const [result, response] = await writes.read(() => callRouter('POST', '', { resourceType: 'Bundle', type: 'batch', entry: [entry] }, headers));
      if (!isOk(result) || !response) return [result];
      entries.push((response as Bundle).entry?.[0] ?? { response: { status: '500', outcome: outcome(500, 'exception', 'Entry produced no response') } });
    }
    return [allOk, { resourceType: 'Bundle', type: 'batch-response', entry: entries }];
  }

  async function searchReply(resourceType: string, params: URLSearchParams, access: AccessContext): Promise<Reply> {
    // A cursor holds the ids and total found under one grant; another grant must repeat the search (issue 12).
    const owner = grantKey(access);
    const token = params.get('_cursor');
    if (token) {
      const cursor = cursors.get(token, owner);
      if (!cursor || cursor.request.resourceType !== resourceType) throw fail(410, 'expired', 'The paging cursor has expired or is unknown; repeat the search');
      const count = clampCount(params.get('_count') ?? String(DEFAULT_COUNT));
      const offset = Math.max(0, Number.parseInt(params.get('_offset') ?? '0', 10) || 0);
      return page(cursor.request, cursor.ids, offset, count, token, cursorUrl(resourceType, token, offset, count));
    }
    // No prototype: parameters named `constructor` or `__proto__` are plain keys (issue 12 item 8).
    const query = Object.create(null) as Record<string, string[]>;
    for (const [key, value] of params) (query[key] ??= []).push(value);
    let request: SearchRequest;
    try {
      request = parseSearchRequest(resourceType, query);
    } catch (err) {
      if (err instanceof OperationOutcomeError) throw err;
      throw fail(400, 'invalid', `Invalid search: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (request.count !== undefined && Number.isNaN(request.count)) throw fail(400, 'invalid', '_count must be a number');
    const count = request.count === undefined ? DEFAULT_COUNT : clampCount(String(request.count));
    const offset = Math.max(0, request.offset ?? 0);
    const ids = repo.matchIds(request);
    const more = count > 0 && ids.length > offset + count;
    const cursor = more ? cursors.create(request, ids, owner) : undefined;
    const self = `${baseUrl}/${resourceType}${params.size > 0 ? `?${params.toString()}` : ''}`;
    return page(request, ids, offset, count, cursor, self);
  }

  function cursorUrl(resourceType: string, token: string, offset: number, count: number): string {
    return `${baseUrl}/${resourceType}?_cursor=${token}&_offset=${offset}&_count=${count}`;
  }

  async function page(request: SearchRequest, ids: string[], offset: number, count: number, token: string | undefined, self: string): Promise<Reply> {
    const resources = count > 0 ? repo.materialize(request.resourceType, ids.slice(offset, offset + count)) : [];
    const entries: BundleEntry[] = resources.map((resource) => ({
      fullUrl: fullUrl(resource.resourceType, resource.id),
      resource: request.fields ? subset(resource, request.fields) : resource,
      search: { mode: 'match' },
    }));
    entries.push(...(await repo.includes(request, resources, fullUrl)));
    const link: Bundle['link'] = [{ relation: 'self', url: self }];
    if (token) {
      link.push({ relation: 'first', url: cursorUrl(request.resourceType, token, 0, count) });
      if (offset > 0) link.push({ relation: 'previous', url: cursorUrl(request.resourceType, token, Math.max(0, offset - count), count) });
      if (offset + count < ids.length) link.push({ relation: 'next', url: cursorUrl(request.resourceType, token, offset + count, count) });
    }
    const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', total: ids.length, link };
    if (entries.length > 0) bundle.entry = entries;
    return { status: 200, body: bundle };
  }

  async function dispatch(method: string, segments: string[], params: URLSearchParams, req: IncomingMessage, access: AccessContext): Promise<Reply> {
    const headers = req.headers;
    enforceProfile(profile, method, segments, params, headers);
    const query = params.size > 0 ? `?${params.toString()}` : '';
    const bulkReply = await bulk.handle(method, segments, params, headers, access, `${baseUrl}/${segments.join('/')}${query}`);
    if (bulkReply) return bulkReply as Reply;
    if (segments.length === 0) {
      if (method === 'POST') return bundleRequest(await readJsonBody(req), headers);
      if (method === 'GET') throw fail(400, 'not-supported', 'System-level search is not supported; search a resource type');
      throw methodNotAllowed(method, 'the base URL');
    }
    const [resourceType = '', id, history, vid] = segments;
    if (!isKnownResourceType(resourceType)) throw fail(404, 'not-supported', `Unknown resource type: ${resourceType}`);
    if (segments.length === 1) {
      switch (method) {
        case 'GET':
          return writes.read(() => searchReply(resourceType, params, access));
        case 'POST': {
          const body = await readJsonBody(req);
          assertStructure(body, resourceType);
          // FHIR R4 http.html#create: the server ignores a client id. Medplum would instead refuse a
          // conditional create whose body id differs from the match.
          delete body.id;
          return resourceReply(await writes.run(() => callRouter('POST', resourceType, body, headers)));
        }
        case 'PUT': {
          const body = await readJsonBody(req);
          assertStructure(body, resourceType);
          return resourceReply(await writes.run(() => callRouter('PUT', `${resourceType}${query}`, body, headers)));
        }
        case 'DELETE':
          return resourceReply(await writes.run(() => callRouter('DELETE', `${resourceType}${query}`, undefined, headers)));
        default:
          throw methodNotAllowed(method, resourceType);
      }
    }
    if (segments.length === 2 && id === '_search') {
      if (method !== 'POST') throw methodNotAllowed(method, `${resourceType}/_search`);
      const form = new URLSearchParams(await readTextBody(req));
      for (const [key, value] of params) form.append(key, value);
      enforceProfile(profile, 'GET', [resourceType], form, {});
      return writes.read(() => searchReply(resourceType, form, access));
    }
    const path = `${resourceType}/${id}`;
    if (segments.length === 2) {
      switch (method) {
        case 'GET':
          return resourceReply(await writes.read(() => callRouter('GET', path, undefined, headers)));
        case 'PUT': {
          const body = await readJsonBody(req);
          assertStructure(body, resourceType);
          return resourceReply(await writes.run(() => callRouter('PUT', path, body, headers)));
        }
        case 'PATCH': {
          const body = await readJsonBody(req);
          return resourceReply(await writes.run(() => callRouter('PATCH', path, body, headers)));
        }
        case 'DELETE': {
          const [result] = await writes.run(() => callRouter('DELETE', path, undefined, headers));
          return { status: statusOf(result), body: result };
        }
        default:
          throw methodNotAllowed(method, path);
      }
    }
    if (history !== '_history' || segments.length > 4) throw fail(404, 'not-found', `No such endpoint: ${segments.join('/')}`);
    if (method !== 'GET') throw methodNotAllowed(method, segments.join('/'));
    if (vid === undefined) {
      const [result, bundle] = await writes.read(() => callRouter('GET', `${path}/_history`, undefined, headers));
      return isOk(result) && bundle ? { status: 200, body: decorateEntries(bundle as Bundle) } : resourceReply([result]);
    }
    return resourceReply(await writes.read(() => callRouter('GET', `${path}/_history/${vid}`, undefined, headers)));
  }

  async function authenticate(req: IncomingMessage): Promise<AccessContext | Reply> {
    const header = req.headers.authorization;
    try {
      // Method, absolute URL and headers: what a DPoP proof is checked against (RFC 9449 §4.3).
      return await opts.authenticate(header, { method: (req.method ?? 'GET').toUpperCase(), url: new URL(req.url ?? '/', baseUrl).href, headers: req.headers });
    } catch (err) {
      if (err instanceof AuthenticationError || (err instanceof Error && err.name === 'AuthenticationError')) {
        // RFC 6750 §3: no error code when the request carried no credentials at all.
        const challenge = header
          ? `Bearer realm="${baseUrl}", error="invalid_token", error_description="${err.message.replace(/"/g, "'")}"`
          : `Bearer realm="${baseUrl}"`;
        // The authorization server may set its own challenge (DPoP: WWW-Authenticate: DPoP, DPoP-Nonce).
        const authHeaders = err instanceof AuthenticationError ? err.headers : undefined;
        return { status: 401, body: outcome(401, 'login', header ? `Invalid access token: ${err.message}` : 'An access token is required'), headers: { 'WWW-Authenticate': challenge, ...authHeaders } };
      }
      throw err;
    }
  }

  async function route(req: IncomingMessage): Promise<Reply> {
    const method = (req.method ?? 'GET').toUpperCase();
    const target = req.url ?? '/';
    let url: URL;
    try {
      // Prefixing keeps a target like `//x` a path (as a relative URL it would name a host).
      url = target.startsWith('/') ? new URL(`http://sandbox.invalid${target}`) : new URL(target);
    } catch {
      throw fail(400, 'structure', 'Malformed request target');
    }
    if (!url.pathname.startsWith(basePath)) throw fail(404, 'not-found', `Not a FHIR path: ${url.pathname}`);
    let segments: string[];
    try {
      segments = url.pathname.slice(basePath.length).split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      throw fail(400, 'invalid', 'Malformed percent-encoding in the URL path');
    }
    if (method === 'OPTIONS') return { status: 204 };
    if (segments.length === 1 && segments[0] === 'metadata') {
      if (method !== 'GET') throw methodNotAllowed(method, 'metadata');
      return { status: 200, body: capability() };
    }
    const access = await authenticate(req);
    if ('status' in access) return access;
    const budget = { left: MAX_RESPONSE_RESOURCES, exceeded: false };
    const reply = await responseBudget.run(budget, () => currentAccess.run(access, () => dispatch(method, segments, url.searchParams, req, access)));
    // A batch answers each entry, so an entry over the allowance would only fail itself; the whole
    // response is refused instead, so the client sees one clear 413 (issue 12 item 7).
    if (budget.exceeded) throw fail(413, 'too-costly', `The response would hold more than ${MAX_RESPONSE_RESOURCES} resources; use smaller pages or fewer searches`);
    return reply;
  }

  function corsHeaders(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (!origin || (opts.allowedOrigins && !opts.allowedOrigins.includes(origin))) return { Vary: 'Origin' };
    return {
      Vary: 'Origin',
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': ALLOWED_HEADERS,
      'Access-Control-Expose-Headers': EXPOSED_HEADERS,
      'Access-Control-Max-Age': '600',
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let reply: Reply;
    try {
      reply = await route(req);
    } catch (err) {
      reply = errorReply(err);
    }
    const prefer = String(req.headers.prefer ?? '');
    let body = reply.body;
    if (reply.status < 300 && body && body.resourceType !== 'OperationOutcome' && /return=minimal/.test(prefer)) body = undefined;
    const headers: Record<string, string> = { ...SECURITY_HEADERS, ...corsHeaders(req), ...reply.headers };
    if (body) headers['Content-Type'] = FHIR_JSON;
    if (req.method === 'OPTIONS') headers['Allow'] = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
    // Drain an unread request body, or the client may see a reset instead of our answer; and end the
    // connection after it (a refused 9 MB upload still arriving), so the client does not reuse a socket
    // Node is about to close (the fuzz test saw the next request reset). A request whose whole message has
    // arrived (every GET) keeps its connection: closing it made every server read open a new TCP connection
    // (issue 19 point 2, the API under load).
    if (!req.readableEnded) {
      if (!req.complete) headers['Connection'] = 'close';
      req.resume();
    }
    if (reply.raw) {
      res.writeHead(reply.status, { ...headers, 'Content-Type': reply.raw.contentType });
      if ('text' in reply.raw) res.end(reply.raw.text);
      else await streamLines(res, reply.raw.lines);
      return;
    }
    res.writeHead(reply.status, headers);
    res.end(body ? JSON.stringify(body) : undefined);
  }

  const store: SandboxStore = {
    bulkLoad: (resources) =>
      writes.run(async () => {
        for (const r of resources) if (typeof r?.resourceType !== 'string') throw new Error('bulkLoad: every item needs a resourceType');
        const changes = repo.load(resources, new Date().toISOString());
        persistence?.appendBulk(changes);
        warming = repo.warmCommonIndexes();
      }),
    reset: () =>
      writes.run(async () => {
        repo.clearAll();
        cursors.clear();
        persistence?.clear();
      }),
    count: (resourceType) => repo.count(resourceType),
    search: async <T extends Resource>(resourceType: T['resourceType'], query: Record<string, string>) =>
      // exit(): trusted in-process use, even when called while an HTTP request's grant is active.
      currentAccess.exit(() => {
        const request = parseSearchRequest(resourceType, query);
        const ids = searchIds(repo, request);
        const limit = request.count === undefined || Number.isNaN(request.count) ? ids.length : request.count;
        return repo.materialize(resourceType, ids.slice(0, limit)) as unknown as T[];
      }),
  };

  return {
    handle,
    store,
    profile: () => profile,
    setProfile: (next) => {
      profile = next;
    },
    close: () =>
      writes.run(async () => {
        await warming;
        cursors.clear();
        bulk.close();
        if (persistence?.hasPendingLog()) persistence.compact(repo.allResources());
      }),
  };
}

function clampCount(raw: string): number {
  const n = Number.parseInt(raw, 10);
  if (Number.isNaN(n) || n < 0) throw fail(400, 'invalid', `_count must be a non-negative number, not ${raw}`);
  return Math.min(n, MAX_COUNT);
}

/** `_elements`: keep the named top-level elements and mark the copy SUBSETTED (R4 §3.1.1.5.9). */
function subset(resource: Resource, fields: string[]): Resource {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'resourceType' || key === 'id' || key === 'meta' || fields.includes(key)) kept[key] = value;
  }
  const meta = { ...resource.meta, tag: [...(resource.meta?.tag ?? []), { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' }] };
  return { ...(kept as unknown as Resource), meta };
}

function methodNotAllowed(method: string, target: string): OperationOutcomeError {
  return fail(405, 'not-supported', `${method} is not allowed on ${target}`);
}

function errorReply(err: unknown): Reply {
  if (err instanceof OperationOutcomeError) return { status: statusOf(err.outcome), body: err.outcome };
  // Unexpected: log for the developer, answer without internals.
  console.error('[fhir] unexpected error', err);
  return { status: 500, body: outcome(500, 'exception', 'Internal error in the sandbox FHIR server') };
}

async function readTextBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw fail(413, 'too-costly', `Request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type && !/^application\/(fhir\+json|json|json-patch\+json)$/.test(type)) {
    throw fail(415, 'not-supported', `Unsupported Content-Type ${type}; use application/fhir+json`);
  }
  const text = await readTextBody(req);
  if (text.trim() === '') throw fail(400, 'required', 'The request needs a JSON body');
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch (err) {
    throw fail(400, 'structure', `Malformed JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  assertPlainJson(body);
  return body;
}


/**
 * Writes NDJSON lines as the client reads them (the bulk export's files): about 256 KB per write, waiting for
 * 'drain' when the socket is full, stopping when the client has gone.
 */
async function streamLines(res: ServerResponse, lines: Iterable<string>): Promise<void> {
  let batch: string[] = [];
  let size = 0;
  const write = async (chunk: string): Promise<void> => {
    if (!res.write(chunk) && !res.destroyed) await new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  };
  for (const line of lines) {
    if (res.destroyed) return;
    batch.push(line);
    size += line.length + 1;
    if (size >= 256 * 1024) {
      await write(`${batch.join('\n')}\n`);
      batch = [];
      size = 0;
    }
  }
  if (batch.length > 0 && !res.destroyed) await write(`${batch.join('\n')}\n`);
  res.end();
}

// The one FHIR client of the app: fhir-kit-client underneath, typed resources and FhirError on top.
//
// Retry rules (SPEC §6 concurrency; RFC 9110 §9.2.2 idempotent methods):
// - read, searchPage, nextPage and every page of searchAll are retried on network errors, 5xx, 408 and
//   429 with bounded exponential backoff and jitter (RetryPolicy).
// - conditionalCreate (If-None-Exist) and update (If-Match) are retried too: repeating them cannot
//   write twice. A repeated If-Match update whose first attempt did succeed gets 412 and surfaces as a
//   `conflict` the caller reloads from: a false alarm, never a lost or duplicated write.
// - create, transaction and batch are NOT retried unless the caller passes `idempotent: true` (e.g. a
//   transaction made only of conditional creates); a lost response to a plain POST would otherwise
//   create the resource twice.
// No request is sent once the token has expired: it fails at once with FhirError `expired`.
// Tokens are never logged (fhir-kit-client's debug logger prints native Headers as `{}`).
import { Client, type SearchParams as KitSearchParams } from 'fhir-kit-client';
import type { Bundle, ExtractResource, Resource, ResourceType } from '@medplum/fhirtypes';
import { FhirError, expiredSessionError } from './errors';
import { isBundle, isResource, isResourceOfType, sessionEndedReason, toFhirError, unexpectedResponse } from './clientGuards';
import { reportSessionEnded } from '../platform/sessionEnd';
import { DEFAULT_RETRY_POLICY, sleep, withRetry, type RetryPolicy } from './clientRetry';
import { isSessionExpired, parseReference, type Session } from './session';
import { HANDLE_HEADER } from './launch/serverSession';

export type SearchParams = KitSearchParams;

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface WriteOptions extends RequestOptions {
  /** Allow retries of this write: only when repeating it cannot create or change anything twice. */
  idempotent?: boolean;
}

export interface UpdateOptions extends RequestOptions {
  /** Version to check with If-Match; defaults to `resource.meta.versionId`. */
  versionId?: string;
}

export interface SearchProgress {
  pages: number;
  /** Matches fetched so far (not counting `_include`d resources). */
  fetched: number;
  /** Bundle.total when the server reports it. */
  total?: number;
}

export interface SearchAllOptions extends RequestOptions {
  onProgress?: (progress: SearchProgress) => void;
  /** Guard against servers that page forever. */
  maxPages?: number;
}

export interface SearchPage<T extends Resource> {
  bundle: Bundle;
  /** Entries of the searched type (search.mode `match`). */
  resources: T[];
  /** Other resources in the page (`_include`, OperationOutcome). */
  included: Resource[];
  total?: number;
  nextUrl?: string;
}

export interface ConditionalCreateResult<T extends Resource> {
  resource: T;
  /** false when the server found an existing match (200) instead of creating (201). */
  created: boolean;
}

export interface FhirClient {
  readonly session: Session;
  read<K extends ResourceType>(resourceType: K, id: string, options?: RequestOptions): Promise<ExtractResource<K>>;
  searchPage<K extends ResourceType>(
    resourceType: K,
    params?: SearchParams,
    options?: RequestOptions,
  ): Promise<SearchPage<ExtractResource<K>>>;
  nextPage<K extends ResourceType>(
    resourceType: K,
    page: SearchPage<ExtractResource<K>>,
    options?: RequestOptions,
  ): Promise<SearchPage<ExtractResource<K>> | undefined>;
  searchAll<K extends ResourceType>(
    resourceType: K,
    params?: SearchParams,
    options?: SearchAllOptions,
  ): Promise<ExtractResource<K>[]>;
  create<T extends Resource>(resource: T, options?: WriteOptions): Promise<T>;
  conditionalCreate<T extends Resource>(
    resource: T,
    ifNoneExist: SearchParams,
    options?: RequestOptions,
  ): Promise<ConditionalCreateResult<T>>;
  update<T extends Resource>(resource: T, options?: UpdateOptions): Promise<T>;
  transaction(bundle: Bundle, options?: WriteOptions): Promise<Bundle>;
  batch(bundle: Bundle, options?: WriteOptions): Promise<Bundle>;
}

export interface FhirClientOptions {
  retry?: Partial<RetryPolicy>;
  now?: () => number;
  /** Injected in tests to skip real waiting. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Resources already read for this launch (the Patient /api/session brought), answered like recent reads. */
  known?: readonly Resource[];
}

const DEFAULT_MAX_PAGES = 500;

export function createFhirClient(session: Session, options: FhirClientOptions = {}): FhirClient {
  // In the browser the base is the app server's FHIR proxy: no token, the tab's launch handle instead
  // (the session cookie goes along by itself, same origin).
  const kit = new Client({
    baseUrl: session.fhirBaseUrl,
    ...(session.accessToken ? { bearerToken: session.accessToken } : {}),
    ...(session.handle ? { customHeaders: { [HANDLE_HEADER]: session.handle } } : {}),
  });
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const now = options.now ?? Date.now;
  const deps = { sleep: options.sleep ?? sleep, random: options.random ?? Math.random };
  const baseOrigin = new URL(session.fhirBaseUrl).origin;

  // Chromium refuses keepalive request bodies over 64 KB, and fhir-kit-client sets keepalive on every
  // request unless told per request (FINDINGS "Browser and client").
  function kitOptions(signal?: AbortSignal, headers?: Record<string, string>) {
    return { keepalive: false, signal, headers };
  }

  // The same resource read again within a few seconds is answered from the first read (the launch reads
  // the Patient, and the patient panel needs it again for its facts: "nothing fetched twice"). Any write
  // through this client forgets them all, so a read after a write is always fresh.
  const recentReads = new Map<string, { at: number; value: Resource }>();
  const READ_REUSE_MS = 5_000;
  const forgetReads = () => recentReads.clear();
  for (const value of options.known ?? []) if (value.id) recentReads.set(`${value.resourceType}/${value.id}`, { at: now(), value });

  /** One attempt: refuse an expired token, translate any rejection into a FhirError. */
  async function call<T>(request: () => Promise<T>): Promise<T> {
    if (isSessionExpired(session, now())) throw expiredSessionError();
    try {
      return await request();
    } catch (error) {
      const fhirError = toFhirError(error);
      // Only the app server answers 401 (its proxy turns the EPJ's 401 into an ended session).
      if (fhirError.kind === 'unauthorized') reportSessionEnded(sessionEndedReason(error));
      throw fhirError;
    }
  }

  function retried<T>(request: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return withRetry(() => call(request), policy, deps, signal);
  }

  function once<T>(request: () => Promise<T>): Promise<T> {
    return call(request);
  }

  function toPage<K extends ResourceType>(resourceType: K, value: unknown): SearchPage<ExtractResource<K>> {
    if (!isBundle(value)) throw unexpectedResponse('Bundle');
    const resources: ExtractResource<K>[] = [];
    const included: Resource[] = [];
    for (const entry of value.entry ?? []) {
      const resource = entry.resource;
      if (!resource) continue;
      if (entry.search?.mode !== 'include' && isResourceOfType(resource, resourceType)) resources.push(resource);
      else included.push(resource);
    }
    const next = value.link?.find((l) => l.relation === 'next')?.url;
    return { bundle: value, resources, included, total: value.total, nextUrl: next };
  }

  // A next link is followed with our bearer token, so it must point at the same server.
  function checkedNextUrl(url: string): string {
    let parsed: URL;
    try {
      parsed = new URL(url, session.fhirBaseUrl);
    } catch {
      throw unexpectedResponse('en gyldig neste-side-lenke');
    }
    if (parsed.origin !== baseOrigin) throw unexpectedResponse('neste side på samme server');
    return parsed.href;
  }

  async function fetchNext<K extends ResourceType>(resourceType: K, url: string, signal?: AbortSignal) {
    const href = checkedNextUrl(url);
    const value = await retried(() => kit.request(href, { options: kitOptions(signal) }), signal);
    return toPage(resourceType, value);
  }

  function sameType<T extends Resource>(value: unknown, sample: T): value is T {
    return isResource(value) && value.resourceType === sample.resourceType;
  }

  async function searchPage<K extends ResourceType>(resourceType: K, params?: SearchParams, opts?: RequestOptions) {
    const value = await retried(
      () => kit.search({ resourceType, searchParams: params, options: kitOptions(opts?.signal) }),
      opts?.signal,
    );
    return toPage(resourceType, value);
  }

  return {
    session,

    async read(resourceType, id, opts) {
      const key = `${resourceType}/${id}`;
      const recent = recentReads.get(key);
      if (recent && now() - recent.at < READ_REUSE_MS && isResourceOfType(recent.value, resourceType)) return recent.value;
      const value = await retried(() => kit.read({ resourceType, id, options: kitOptions(opts?.signal) }), opts?.signal);
      if (!isResourceOfType(value, resourceType)) throw unexpectedResponse(resourceType);
      recentReads.set(key, { at: now(), value });
      return value;
    },

    searchPage,

    async nextPage(resourceType, page, opts) {
      return page.nextUrl ? fetchNext(resourceType, page.nextUrl, opts?.signal) : undefined;
    },

    async searchAll(resourceType, params, opts) {
      const maxPages = opts?.maxPages ?? DEFAULT_MAX_PAGES;
      const seen = new Set<string>();
      let page = await searchPage(resourceType, params, opts);
      const all = [...page.resources];
      let pages = 1;
      opts?.onProgress?.({ pages, fetched: all.length, total: page.total });
      while (page.nextUrl && !seen.has(page.nextUrl)) {
        if (pages >= maxPages) {
          throw new FhirError({ kind: 'invalid', userMessage: 'Søket ga for mange sider. Snevre inn søket.' });
        }
        seen.add(page.nextUrl);
        page = await fetchNext(resourceType, page.nextUrl, opts?.signal);
        all.push(...page.resources);
        pages++;
        opts?.onProgress?.({ pages, fetched: all.length, total: page.total });
      }
      return all;
    },

    async create(resource, opts) {
      forgetReads();
      const request = () =>
        kit.create({ resourceType: resource.resourceType, body: { ...resource }, options: kitOptions(opts?.signal) });
      const value = await (opts?.idempotent ? retried(request, opts.signal) : once(request));
      if (!sameType(value, resource)) throw unexpectedResponse(resource.resourceType);
      return value;
    },

    async conditionalCreate(resource, ifNoneExist, opts) {
      forgetReads();
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(ifNoneExist)) {
        for (const v of Array.isArray(value) ? value : [value]) query.append(key, String(v));
      }
      const headers = { 'if-none-exist': query.toString(), prefer: 'return=representation' };
      let status: number | undefined;
      let location: string | null = null;
      const value = await retried(async () => {
        const result = await kit.create({
          resourceType: resource.resourceType,
          body: { ...resource },
          options: kitOptions(opts?.signal, headers),
        });
        const response = Client.httpFor(result).response;
        status = response?.status;
        location = response?.headers.get('location') ?? null;
        return result;
      }, opts?.signal);
      if (sameType(value, resource)) return { resource: value, created: status !== 200 };
      // A server may answer an existing match with 200 and no body: read what Location points at.
      const ref = parseReference(location ?? undefined);
      if (!ref || ref.resourceType !== resource.resourceType) throw unexpectedResponse(resource.resourceType);
      const existing = await retried(
        () => kit.read({ resourceType: ref.resourceType, id: ref.id, options: kitOptions(opts?.signal) }),
        opts?.signal,
      );
      if (!sameType(existing, resource)) throw unexpectedResponse(resource.resourceType);
      return { resource: existing, created: status !== 200 };
    },

    async update(resource, opts) {
      forgetReads();
      const id = resource.id;
      const versionId = opts?.versionId ?? resource.meta?.versionId;
      // Every update is version-checked (SPEC §6): without a version there is nothing to check against.
      if (!id || !versionId) throw new TypeError('update() needs resource.id and a versionId for If-Match');
      const headers = { 'if-match': `W/"${versionId}"` };
      const value = await retried(
        () => kit.update({ resourceType: resource.resourceType, id, body: { ...resource }, options: kitOptions(opts?.signal, headers) }),
        opts?.signal,
      );
      if (!sameType(value, resource)) throw unexpectedResponse(resource.resourceType);
      return value;
    },

    async transaction(bundle, opts) {
      forgetReads();
      const request = () => kit.transaction({ body: { ...bundle }, options: kitOptions(opts?.signal) });
      const value = await (opts?.idempotent ? retried(request, opts.signal) : once(request));
      if (!isBundle(value)) throw unexpectedResponse('Bundle');
      return value;
    },

    async batch(bundle, opts) {
      forgetReads();
      const request = () => kit.batch({ body: { ...bundle }, options: kitOptions(opts?.signal) });
      const value = await (opts?.idempotent ? retried(request, opts.signal) : once(request));
      if (!isBundle(value)) throw unexpectedResponse('Bundle');
      return value;
    },
  };
}

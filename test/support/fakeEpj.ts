// The one fake EPJ for unit tests (issue 13, point 4): an in-memory FHIR R4 server played by msw at the fake
// EHR's base URL (test/support/fakeEhr.ts), so tests use the app's real createFhirClient (fhir-kit-client,
// retries, paging, error mapping) instead of hand-written FhirClient objects.
// What it does: read; search filtered by _id, identifier (system|value), status and reference parameters
// (patient, subject, beneficiary, practitioner, organization, general-practitioner, account, owner); create,
// conditional create (If-None-Exist on identifier), update with If-Match (412 on a stale version), and atomic
// transaction/batch Bundles of those. Other search parameters are not applied (it returns more than a real
// server would; they are logged in `requests`, where a test can check what was asked). Versions are integers.
// Faults are scripted per request: `failNext` answers with a status or drops the connection, before or after
// the write is applied; `beforeWrite` lets a test play "someone else wrote meanwhile".
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { Bundle, BundleEntry, ExtractResource, OperationOutcome, Resource, ResourceType } from '@medplum/fhirtypes';
import { FHIR_BASE, searchset } from './fakeEhr';

export type Fault = { status: number } | 'network' | 'network-after-write';

interface Scripted {
  match: (method: string, path: string) => boolean;
  fault: Fault;
}

const REFERENCE_FIELDS: Record<string, string[]> = {
  patient: ['subject', 'patient', 'beneficiary', 'for'],
  subject: ['subject'],
  beneficiary: ['beneficiary'],
  practitioner: ['practitioner'],
  organization: ['organization'],
  'general-practitioner': ['generalPractitioner'],
  account: ['account'],
  owner: ['owner'],
};
const IGNORED = new Set(['_count', '_sort', '_include', '_revinclude', '_elements', '_summary', '_total']);
const LAST_UPDATED = '2026-11-25T08:00:00.000Z';

function outcome(status: number, code: 'not-found' | 'conflict' | 'transient', text: string) {
  const body: OperationOutcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics: text }] };
  return HttpResponse.json(body, { status });
}

function refsOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((v) => (v && typeof v === 'object' && 'reference' in v && typeof v.reference === 'string' ? [v.reference] : []));
}

function identifiersOf(r: Resource): { system?: string; value?: string }[] {
  const ids = (r as { identifier?: unknown }).identifier;
  return (Array.isArray(ids) ? ids : ids ? [ids] : []) as { system?: string; value?: string }[];
}

function hasIdentifier(r: Resource, token: string): boolean {
  const bar = token.indexOf('|');
  const [system, value] = bar < 0 ? [undefined, token] : [token.slice(0, bar), token.slice(bar + 1)];
  return identifiersOf(r).some((i) => i.value === value && (system === undefined || i.system === system));
}

class FhirConflict extends Error {}

export class FakeEpj {
  /** Stored resources by `Type/id`. */
  readonly store = new Map<string, Resource>();
  /** Every request, in order: `GET Patient?name=x`, `PUT Task/t1`, `POST /` (a Bundle), `POST Task If-None-Exist: identifier=s|v`. */
  readonly requests: string[] = [];
  /** Called before every write with the key `Type/id` (updates) it targets: play a concurrent writer here. */
  beforeWrite: ((key: string, epj: FakeEpj) => void) | undefined;
  /** Returned by every search of their type whatever the filters: an EPJ serving broken data. */
  readonly strays: Resource[] = [];
  private readonly scripted: Scripted[] = [];
  private seq = 0;

  constructor(resources: Resource[] = []) {
    for (const r of resources) this.put(r);
  }

  /** Stores a resource as it is (version 1 unless it has one); returns the stored copy. */
  put<T extends Resource>(resource: T): T {
    const id = resource.id ?? this.newId(resource.resourceType);
    const stored = { ...structuredClone(resource), id, meta: { versionId: '1', lastUpdated: LAST_UPDATED, ...resource.meta } } as T;
    this.store.set(`${resource.resourceType}/${id}`, stored);
    return structuredClone(stored);
  }

  /** A server-assigned id not in use (`task-2` when `task-1` was stored by the test). */
  private newId(resourceType: string): string {
    let id: string;
    do id = `${resourceType.toLowerCase()}-${++this.seq}`;
    while (this.store.has(`${resourceType}/${id}`));
    return id;
  }

  all<K extends ResourceType>(resourceType: K): ExtractResource<K>[] {
    return [...this.store.values()].filter((r): r is ExtractResource<K> => r.resourceType === resourceType).map((r) => structuredClone(r));
  }

  /** The next request(s) matching `method` and a prefix of path and query (`Task`, `Task/t1`, `ChargeItem?patient=`, `` for a Bundle) fail. */
  failNext(method: string, pathPrefix: string, fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) this.scripted.push({ match: (m, p) => m === method && p.startsWith(pathPrefix), fault });
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const index = this.scripted.findIndex((f) => f.match(method, path));
    return index < 0 ? undefined : this.scripted.splice(index, 1)[0]?.fault;
  }

  private bump<T extends Resource>(resource: T, previous: Resource | undefined): T {
    const version = previous ? Number(previous.meta?.versionId ?? '0') + 1 : 1;
    return { ...structuredClone(resource), meta: { ...resource.meta, versionId: String(version), lastUpdated: LAST_UPDATED } };
  }

  search(resourceType: string, params: URLSearchParams): Resource[] {
    const strays = this.strays.filter((r) => r.resourceType === resourceType);
    return [...strays, ...[...this.store.values()].filter((r) => {
      if (r.resourceType !== resourceType) return false;
      for (const [key, value] of params) {
        if (IGNORED.has(key)) continue;
        const values = value.split(',');
        if (key === '_id' && !values.includes(r.id ?? '')) return false;
        if (key === 'identifier' && !values.some((v) => hasIdentifier(r, v))) return false;
        if (key === 'status' && !values.includes(String((r as { status?: string }).status))) return false;
        const fields = REFERENCE_FIELDS[key];
        if (fields) {
          const refs = fields.flatMap((f) => refsOf((r as unknown as Record<string, unknown>)[f]));
          if (!values.some((v) => refs.some((ref) => ref === v || ref.endsWith(`/${v}`)))) return false; // a bare id too
        }
      }
      return true;
    })];
  }

  /** Applies one write; throws FhirConflict on a stale If-Match. Returns the stored resource and its status. */
  private write(method: string, path: string, resource: Resource | undefined, headers: { ifMatch?: string | null; ifNoneExist?: string | null }): { status: number; resource: Resource } {
    if (!resource) throw new Error('no resource');
    if (method === 'POST') {
      const token = headers.ifNoneExist ? new URLSearchParams(headers.ifNoneExist).get('identifier') : null;
      const existing = token ? [...this.store.values()].find((r) => r.resourceType === resource.resourceType && hasIdentifier(r, token)) : undefined;
      if (existing) return { status: 200, resource: structuredClone(existing) };
      const id = this.newId(resource.resourceType);
      const created = this.bump({ ...resource, id }, undefined);
      this.store.set(`${resource.resourceType}/${id}`, created);
      return { status: 201, resource: structuredClone(created) };
    }
    this.beforeWrite?.(path, this);
    const current = this.store.get(path);
    if (headers.ifMatch && headers.ifMatch !== `W/"${current?.meta?.versionId}"`) throw new FhirConflict(path);
    const next = this.bump({ ...resource, id: path.split('/')[1] }, current);
    this.store.set(path, next);
    return { status: current ? 200 : 201, resource: structuredClone(next) };
  }

  private transaction(bundle: Bundle): Bundle {
    const atomic = bundle.type === 'transaction';
    const snapshot = new Map(this.store);
    const entry: BundleEntry[] = [];
    for (const e of bundle.entry ?? []) {
      const method = e.request?.method ?? 'POST';
      const path = (e.request?.url ?? '').split('?')[0] ?? '';
      try {
        const r = this.write(method, method === 'POST' ? '' : path, e.resource, { ifMatch: e.request?.ifMatch, ifNoneExist: e.request?.ifNoneExist });
        entry.push({ resource: r.resource, response: { status: r.status === 201 ? '201 Created' : '200 OK', etag: `W/"${r.resource.meta?.versionId}"` } });
      } catch (err) {
        if (atomic) {
          this.store.clear();
          for (const [k, v] of snapshot) this.store.set(k, v);
          throw err;
        }
        entry.push({ response: { status: '412 Precondition Failed' } });
      }
    }
    return { resourceType: 'Bundle', type: atomic ? 'transaction-response' : 'batch-response', entry };
  }

  /** msw handlers for FHIR_BASE; put them before emptyFhirHandlers() if a test uses both. */
  handlers(): HttpHandler[] {
    const respond = async (request: Request, method: string, path: string, run: () => Response | Promise<Response>): Promise<Response> => {
      const query = new URL(request.url).search;
      const ifNoneExist = request.headers.get('if-none-exist');
      this.requests.push(`${method} ${path || '/'}${query}${ifNoneExist ? ` If-None-Exist: ${decodeURIComponent(ifNoneExist)}` : ''}`);
      const fault = this.takeFault(method, `${path}${query}`);
      if (fault === 'network') return HttpResponse.error();
      if (fault && fault !== 'network-after-write') return outcome(fault.status, 'transient', `Scripted fault ${fault.status}`);
      try {
        const response = await run();
        return fault === 'network-after-write' ? HttpResponse.error() : response;
      } catch (err) {
        if (err instanceof FhirConflict) return outcome(412, 'conflict', `Version conflict on ${err.message}`);
        throw err;
      }
    };
    return [
      http.get(`${FHIR_BASE}/:type/:id`, ({ request, params }) =>
        respond(request, 'GET', `${String(params.type)}/${String(params.id)}`, () => {
          const found = this.store.get(`${String(params.type)}/${String(params.id)}`);
          return found ? HttpResponse.json(found, { headers: { etag: `W/"${found.meta?.versionId}"` } }) : outcome(404, 'not-found', 'Finnes ikke');
        }),
      ),
      http.get(`${FHIR_BASE}/:type`, ({ request, params }) =>
        respond(request, 'GET', String(params.type), () => HttpResponse.json(searchset(this.search(String(params.type), new URL(request.url).searchParams)))),
      ),
      http.post(`${FHIR_BASE}/:type`, ({ request, params }) =>
        respond(request, 'POST', String(params.type), async () => {
          const r = this.write('POST', '', (await request.json()) as Resource, { ifNoneExist: request.headers.get('if-none-exist') });
          return HttpResponse.json(r.resource, { status: r.status });
        }),
      ),
      http.put(`${FHIR_BASE}/:type/:id`, ({ request, params }) =>
        respond(request, 'PUT', `${String(params.type)}/${String(params.id)}`, async () => {
          const r = this.write('PUT', `${String(params.type)}/${String(params.id)}`, (await request.json()) as Resource, { ifMatch: request.headers.get('if-match') });
          return HttpResponse.json(r.resource, { status: r.status });
        }),
      ),
      http.post(FHIR_BASE, ({ request }) => respond(request, 'POST', '', async () => HttpResponse.json(this.transaction((await request.json()) as Bundle)))),
      http.post(`${FHIR_BASE}/`, ({ request }) => respond(request, 'POST', '', async () => HttpResponse.json(this.transaction((await request.json()) as Bundle)))),
    ];
  }
}

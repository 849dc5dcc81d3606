// The sandbox's FhirRepository, plugged into Medplum's FhirRouter in place of MemoryRepository. Own
// storage because the sandbox needs what MemoryRepository lacks: integer versions (`W/"3"`), rollback
// (its withTransaction only calls the callback, FINDINGS), a value index per search parameter, a
// change feed for persistence, and scope checks on every entry the batch processor routes back here.
import {
  applyPatch,
  deepClone,
  fhirpathPatchTypedValue,
  generateId,
  normalizeOperationOutcome,
  OperationOutcomeError,
  parseFhirPathPatchParameters,
  toTypedValue,
  type Operation,
  type SearchRequest,
  type WithId,
} from '@medplum/core';
import { AsyncLocalStorage } from 'node:async_hooks';
import { FhirRepository, getExtraEntries, type CreateResourceOptions, type UpdateResourceOptions } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, Parameters, Reference, Resource } from '@medplum/fhirtypes';
import { assertReadable, assertWritable, authorize, compartmentPatients, currentAccess } from './access';
import { fail } from './outcomes';
import type { Change } from './persistence';
import { searchIds, type IndexedStore } from './search-engine';
import { createParamIndex, type ParamIndex } from './search-index';
import { assertPatchPointers, validateForWrite } from './validate';

export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 1000;
/**
 * Resources one response may carry, summed over a batch's entries and includes (issue 12 item 7: a
 * batch of 1,000 searches grew memory to 1 GB). Past it the request answers 413 instead.
 */
export const MAX_RESPONSE_RESOURCES = 5000;

/** The request's remaining resource allowance; absent for trusted in-process calls. */
export const responseBudget = new AsyncLocalStorage<{ left: number; exceeded: boolean }>();
/** Medplum's getExtraEntries default (maxDepth). */
const MAX_INCLUDE_DEPTH = 5;

type Stored = WithId<Resource>;

/** SPEC §8 resources and the searches the app's views run on them. */
const COMMON_INDEXES: Record<string, string[]> = {
  Patient: ['general-practitioner', 'identifier', 'name'],
  Condition: ['patient', 'code'],
  Encounter: ['patient', 'date', 'class'],
  Task: ['status', 'owner', 'patient'],
  ChargeItem: ['patient'],
  Flag: ['patient'],
  Observation: ['patient'],
  Coverage: ['beneficiary'],
  CarePlan: ['patient'],
  Procedure: ['patient'],
  PractitionerRole: ['practitioner'],
};

interface Transaction {
  undo: (() => void)[];
  changes: Change[];
}

/** Medplum's include walk, with its plain-Error scope limit turned into a 400 (issue 12 item 8: was a 500). */
async function includeEntries(...args: globalThis.Parameters<typeof getExtraEntries>): Promise<void> {
  try {
    await getExtraEntries(...args);
  } catch (err) {
    if (err instanceof OperationOutcomeError) throw err;
    if (err instanceof Error && /query scope limit/.test(err.message)) {
      throw fail(400, 'too-costly', `_include/_revinclude would add more than ${MAX_COUNT} resources or go deeper than ${MAX_INCLUDE_DEPTH} levels; narrow the search`);
    }
    throw err;
  }
}

export class SandboxRepository extends FhirRepository implements IndexedStore {
  private readonly tables = new Map<string, Map<string, Stored>>();
  /** Previous versions per `Type/id`, oldest first; the current version lives in `tables`. */
  private readonly older = new Map<string, Stored[]>();
  /** Last version of deleted resources: read answers 410 Gone, vread still finds it. */
  private readonly deleted = new Map<string, Stored>();
  private readonly indexes = new Map<string, Map<string, ParamIndex | null>>();
  private tx: Transaction | undefined;

  constructor(private readonly onCommit: (changes: Change[]) => void) {
    super();
  }

  // --- IndexedStore -------------------------------------------------------------------------------

  table(resourceType: string): ReadonlyMap<string, Resource> {
    return this.tables.get(resourceType) ?? new Map();
  }

  index(resourceType: string, code: string): ParamIndex | undefined {
    let byCode = this.indexes.get(resourceType);
    if (!byCode) this.indexes.set(resourceType, (byCode = new Map()));
    let index = byCode.get(code);
    if (index === undefined) {
      index = createParamIndex(resourceType, code) ?? null;
      if (index) for (const resource of this.tables.get(resourceType)?.values() ?? []) index.put(resource);
      byCode.set(code, index);
    }
    return index ?? undefined;
  }

  // --- storage primitives: every change goes through put/erase, which keep indexes and undo -------

  private put(resource: Stored): void {
    const { resourceType, id } = resource;
    const key = `${resourceType}/${id}`;
    let table = this.tables.get(resourceType);
    if (!table) this.tables.set(resourceType, (table = new Map()));
    const previous = table.get(id);
    const wasDeleted = this.deleted.get(key);
    const olderCount = this.older.get(key)?.length ?? 0;
    if (previous) this.pushOlder(key, previous);
    else if (wasDeleted) this.pushOlder(key, wasDeleted);
    table.set(id, resource);
    this.deleted.delete(key);
    this.reindex(resourceType, id, resource);
    this.record({ op: 'put', resource }, () => {
      this.older.get(key)?.splice(olderCount);
      if (previous) table.set(id, previous);
      else table.delete(id);
      if (wasDeleted) this.deleted.set(key, wasDeleted);
      this.reindex(resourceType, id, previous);
    });
  }

  private erase(resourceType: string, id: string): void {
    const table = this.tables.get(resourceType);
    const previous = table?.get(id);
    if (!table || !previous) return;
    const key = `${resourceType}/${id}`;
    table.delete(id);
    this.deleted.set(key, previous);
    this.reindex(resourceType, id, undefined);
    this.record({ op: 'delete', resourceType, id }, () => {
      table.set(id, previous);
      this.deleted.delete(key);
      this.reindex(resourceType, id, previous);
    });
  }

  private pushOlder(key: string, version: Stored): void {
    const list = this.older.get(key);
    if (list) list.push(version);
    else this.older.set(key, [version]);
  }

  private reindex(resourceType: string, id: string, resource: Stored | undefined): void {
    for (const index of this.indexes.get(resourceType)?.values() ?? []) {
      if (!index) continue;
      if (resource) index.put(resource);
      else index.remove(id);
    }
  }

  private record(change: Change, undo: () => void): void {
    if (this.tx) {
      this.tx.undo.push(undo);
      this.tx.changes.push(change);
    } else {
      this.onCommit([change]);
    }
  }

  /**
   * All-or-nothing: on a throw every write made inside is undone (indexes included) and nothing
   * reaches persistence. Callers hold the server's write queue, so no other write interleaves.
   */
  async atomically<T>(fn: () => Promise<T>): Promise<T> {
    if (this.tx) return fn();
    const tx: Transaction = { undo: [], changes: [] };
    this.tx = tx;
    try {
      const result = await fn();
      this.tx = undefined;
      this.onCommit(tx.changes);
      return result;
    } catch (err) {
      this.tx = undefined;
      for (let i = tx.undo.length - 1; i >= 0; i--) tx.undo[i]?.();
      throw err;
    }
  }

  // --- trusted bulk operations (no scopes, no validation, no undo) ---------------------------------

  load(resources: readonly Resource[], now: string): Change[] {
    const changes: Change[] = [];
    for (const input of resources) {
      const resource = {
        ...input,
        id: input.id ?? generateId(),
        meta: { ...input.meta, versionId: input.meta?.versionId ?? '1', lastUpdated: input.meta?.lastUpdated ?? now },
      } as Stored;
      let table = this.tables.get(resource.resourceType);
      if (!table) this.tables.set(resource.resourceType, (table = new Map()));
      table.set(resource.id, resource);
      this.reindex(resource.resourceType, resource.id, resource);
      changes.push({ op: 'put', resource });
    }
    return changes;
  }

  /**
   * Builds the indexes behind the app's everyday searches ahead of the first user, one index per
   * event-loop turn so requests keep flowing (about 0.1-0.3 s per 25k resources each). An index is
   * always built whole in one turn, so a query never sees a half-built one; a query that arrives first
   * simply builds it itself.
   */
  warmCommonIndexes(): Promise<void> {
    const pending = Object.entries(COMMON_INDEXES).flatMap(([resourceType, codes]) =>
      this.tables.get(resourceType)?.size ? codes.map((code) => [resourceType, code] as const) : [],
    );
    return new Promise((resolve) => {
      const next = (): void => {
        const item = pending.shift();
        if (!item) return resolve();
        this.index(item[0], item[1]);
        setImmediate(next);
      };
      setImmediate(next);
    });
  }

  applyReplayed(change: Change): void {
    if (change.op === 'put') {
      const r = change.resource as Stored;
      let table = this.tables.get(r.resourceType);
      if (!table) this.tables.set(r.resourceType, (table = new Map()));
      table.set(r.id, r);
    } else {
      this.tables.get(change.resourceType)?.delete(change.id);
    }
  }

  clearAll(): void {
    this.tables.clear();
    this.older.clear();
    this.deleted.clear();
    this.indexes.clear();
  }

  count(resourceType?: string): number {
    if (resourceType) return this.tables.get(resourceType)?.size ?? 0;
    let total = 0;
    for (const table of this.tables.values()) total += table.size;
    return total;
  }

  *allResources(): Iterable<Resource> {
    for (const table of this.tables.values()) yield* table.values();
  }

  // --- FhirRepository --------------------------------------------------------------------------------

  setMode(): void {
    // One in-memory store; there are no reader replicas.
  }

  generateId(): string {
    return generateId();
  }

  async createResource<T extends Resource>(resource: T, options?: CreateResourceOptions): Promise<WithId<T>> {
    const patient = authorize(resource.resourceType, 'c');
    validateForWrite(resource);
    // FHIR create ignores a client id; the batch processor's own assigned ids (urn:uuid) are kept.
    const id = options?.assignedId && resource.id ? resource.id : generateId();
    if (this.tables.get(resource.resourceType)?.has(id)) throw fail(409, 'duplicate', `${resource.resourceType}/${id} exists`);
    const stored = this.stamp(resource, id, 1);
    assertWritable(patient, stored, this.patientsOf(stored));
    this.put(stored);
    return deepClone(stored) as WithId<T>;
  }

  async updateResource<T extends Resource>(resource: T, options?: UpdateResourceOptions): Promise<WithId<T>> {
    const { resourceType, id } = resource;
    if (!id) throw fail(400, 'required', 'Update needs Resource.id');
    const patient = authorize(resourceType, 'u');
    validateForWrite(resource);
    const existing = this.tables.get(resourceType)?.get(id);
    // Access before the version check, so a 412 cannot tell another patient's version number.
    if (existing) assertWritable(patient, existing, this.patientsOf(existing));
    else authorize(resourceType, 'c'); // update-as-create (FHIR R4 http.html#upsert) also creates
    if (options?.ifMatch !== undefined && existing?.meta?.versionId !== options.ifMatch) {
      throw fail(412, 'conflict', `Version conflict: ${resourceType}/${id} is at version ${existing?.meta?.versionId ?? '(none)'}, not ${options.ifMatch}`);
    }
    const stored = this.stamp(resource, id, this.nextVersion(resourceType, id));
    assertWritable(patient, stored, this.patientsOf(stored));
    this.put(stored);
    return deepClone(stored) as WithId<T>;
  }

  async patchResource<T extends Resource>(resourceType: T['resourceType'], id: string, patch: Operation[] | Parameters, options?: UpdateResourceOptions): Promise<WithId<T>> {
    const patient = authorize(resourceType, 'u');
    const existing = this.tables.get(resourceType)?.get(id);
    // Access is checked on the stored resource before the patch runs: a JSON Patch `test` on another
    // patient's resource would otherwise answer with its real value (issue 12 item 3). Missing and
    // foreign answer alike under a patient/ scope, so the answer does not tell whether it exists.
    if (patient !== undefined && (!existing || !this.writable(patient, existing))) {
      throw fail(404, 'not-found', `${resourceType}/${id} not found in Patient/${patient}'s compartment`);
    }
    if (!existing) throw this.missing(resourceType, id);
    const patched = deepClone(existing) as Stored;
    try {
      if (Array.isArray(patch)) {
        assertPatchPointers(patch);
        const errors = applyPatch(patched, patch).filter(Boolean);
        if (errors.length > 0) throw fail(422, 'processing', errors.map((e) => (e as Error).message).join('; '));
      } else {
        fhirpathPatchTypedValue(toTypedValue(patched), parseFhirPathPatchParameters(patch));
      }
    } catch (err) {
      throw err instanceof OperationOutcomeError ? err : new OperationOutcomeError(normalizeOperationOutcome(err));
    }
    if (patched.resourceType !== resourceType || patched.id !== id) throw fail(422, 'processing', 'A patch may not change resourceType or id');
    return this.updateResource(patched as unknown as T, options);
  }

  async deleteResource(resourceType: string, id: string, options?: { ifMatch?: string }): Promise<void> {
    const patient = authorize(resourceType, 'd');
    const existing = this.tables.get(resourceType)?.get(id);
    if (!existing) throw this.missing(resourceType, id);
    assertWritable(patient, existing, this.patientsOf(existing));
    if (options?.ifMatch !== undefined && existing.meta?.versionId !== options.ifMatch) {
      throw fail(412, 'conflict', `Version conflict: ${resourceType}/${id} is at version ${existing.meta?.versionId}`);
    }
    this.erase(resourceType, id);
  }

  async readResource<T extends Resource>(resourceType: string, id: string): Promise<WithId<T>> {
    const patient = authorize(resourceType, 'r');
    const resource = this.tables.get(resourceType)?.get(id);
    if (!resource) throw this.missing(resourceType, id);
    assertReadable(patient, resource, this.patientsOf(resource), 'reads');
    return deepClone(resource) as WithId<T>;
  }

  async readReference<T extends Resource>(reference: Reference<T>): Promise<WithId<T>> {
    const [resourceType, id] = reference.reference?.split('/').slice(-2) ?? [];
    if (!resourceType || !id) throw fail(400, 'invalid', `Invalid reference: ${reference.reference}`);
    return this.readResource<T>(resourceType, id);
  }

  async readReferences<T extends Resource>(references: readonly Reference<T>[]): Promise<(T | Error)[]> {
    return Promise.all(references.map((r) => this.readReference(r).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))));
  }

  async readHistory<T extends Resource>(resourceType: string, id: string): Promise<Bundle<WithId<T>>> {
    const patient = authorize(resourceType, 'r');
    const key = `${resourceType}/${id}`;
    const current = this.tables.get(resourceType)?.get(id) ?? this.deleted.get(key);
    if (!current) throw fail(404, 'not-found', `${key} not found`);
    assertReadable(patient, current, this.patientsOf(current), 'reads');
    // Every version is checked: an older one may have belonged to another patient (issue 12 item 4).
    const versions = [...(this.older.get(key) ?? []), current].reverse().filter((v) => patient === undefined || this.patientsOf(v).has(patient));
    return { resourceType: 'Bundle', type: 'history', total: versions.length, entry: versions.map((v) => ({ resource: deepClone(v) as WithId<T> })) };
  }

  async readVersion<T extends Resource>(resourceType: string, id: string, vid: string): Promise<WithId<T>> {
    const patient = authorize(resourceType, 'r');
    const key = `${resourceType}/${id}`;
    const candidates = [this.tables.get(resourceType)?.get(id), this.deleted.get(key), ...(this.older.get(key) ?? [])];
    const version = candidates.find((v) => v?.meta?.versionId === vid);
    if (!version) throw fail(404, 'not-found', `${key}/_history/${vid} not found`);
    assertReadable(patient, version, this.patientsOf(version), 'reads');
    return deepClone(version) as WithId<T>;
  }

  /** Ordered ids of every match, after scope and compartment checks (the HTTP layer pages over these). */
  matchIds(request: SearchRequest): string[] {
    const patient = authorize(request.resourceType, 's');
    return searchIds(this, request, patient === undefined ? undefined : (r) => this.patientsOf(r).has(patient));
  }

  /** Current versions of the given ids, skipping any deleted or moved out of the compartment since. */
  materialize(resourceType: string, ids: readonly string[]): Stored[] {
    const patient = authorize(resourceType, 's');
    const budget = responseBudget.getStore();
    if (budget) {
      budget.left -= ids.length;
      // Checked before anything is copied, so an oversized batch never holds its answer in memory.
      if (budget.left < 0) {
        budget.exceeded = true;
        throw fail(413, 'too-costly', `The response would hold more than ${MAX_RESPONSE_RESOURCES} resources; use smaller pages or fewer searches`);
      }
    }
    const table = this.tables.get(resourceType);
    const result: Stored[] = [];
    for (const id of ids) {
      const r = table?.get(id);
      if (r && (patient === undefined || this.patientsOf(r).has(patient))) result.push(deepClone(r));
    }
    return result;
  }

  /** `_include`/`_revinclude` entries; resources the grant does not cover are left out, not refused. */
  async includes(request: SearchRequest, resources: Stored[], fullUrl: (type: string, id: string) => string): Promise<BundleEntry[]> {
    if (!request.include && !request.revInclude) return [];
    const entries: BundleEntry[] = [];
    await includeEntries(this, request, resources, entries, {
      fullUrl,
      executeSearch: async (search) => {
        try {
          return this.materialize(search.resourceType, this.matchIds({ ...search, count: undefined }).slice(0, MAX_COUNT));
        } catch {
          return [];
        }
      },
    });
    return entries;
  }

  async search<T extends Resource>(request: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    const ids = this.matchIds(request);
    const offset = request.offset ?? 0;
    const count = this.isTrusted() ? (request.count ?? ids.length) : Math.min(request.count ?? DEFAULT_COUNT, MAX_COUNT);
    const resources = this.materialize(request.resourceType, ids.slice(offset, offset + count));
    const entry: BundleEntry<WithId<T>>[] = resources.map((resource) => ({ search: { mode: 'match' }, resource: resource as WithId<T> }));
    const extra = await this.includes(request, resources, (type, id) => `${type}/${id}`);
    return { resourceType: 'Bundle', type: 'searchset', total: ids.length, entry: [...entry, ...(extra as BundleEntry<WithId<T>>[])] };
  }

  async searchByReference<T extends Resource>(request: SearchRequest<T>, referenceField: string, references: string[]): Promise<Record<string, WithId<T>[]>> {
    const result: Record<string, WithId<T>[]> = {};
    for (const reference of references) {
      const bundle = await this.search<T>({ ...request, filters: [...(request.filters ?? []), { code: referenceField, operator: 'eq', value: reference }] });
      result[reference] = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
    }
    return result;
  }

  withTransaction<TResult>(callback: (txRepo: this) => Promise<TResult>): Promise<TResult> {
    return this.atomically(() => callback(this));
  }

  // --- helpers -----------------------------------------------------------------------------------------

  /**
   * Patients whose compartment holds the resource (CompartmentDefinition parameters, see access.ts).
   * The current stored version uses the search indexes; other versions and new writes are evaluated.
   */
  private patientsOf(resource: Resource): Set<string> {
    const current = resource.id !== undefined && this.tables.get(resource.resourceType)?.get(resource.id) === resource;
    return compartmentPatients(resource, (code) => {
      const index = this.index(resource.resourceType, code);
      if (!index) return [];
      return current && resource.id ? index.get(resource.id).keys : index.valuesOf(resource).keys;
    });
  }

  private writable(patient: string, resource: Resource): boolean {
    try {
      assertWritable(patient, resource, this.patientsOf(resource));
      return true;
    } catch {
      return false;
    }
  }

  /** In-process calls (seeding, the launch page directory) run without a grant and without a default page size. */
  private isTrusted(): boolean {
    return currentAccess.getStore() === undefined;
  }

  private stamp(resource: Resource, id: string, version: number): Stored {
    const copy = JSON.parse(JSON.stringify(resource)) as Stored;
    copy.id = id;
    copy.meta = { ...copy.meta, versionId: String(version), lastUpdated: new Date().toISOString() };
    return copy;
  }

  private nextVersion(resourceType: string, id: string): number {
    const key = `${resourceType}/${id}`;
    const latest = this.tables.get(resourceType)?.get(id) ?? this.deleted.get(key);
    const n = Number.parseInt(latest?.meta?.versionId ?? '0', 10);
    return Number.isFinite(n) ? n + 1 : (this.older.get(key)?.length ?? 0) + 2;
  }

  private missing(resourceType: string, id: string): OperationOutcomeError {
    return this.deleted.has(`${resourceType}/${id}`)
      ? fail(410, 'deleted', `${resourceType}/${id} has been deleted`)
      : fail(404, 'not-found', `${resourceType}/${id} not found`);
  }
}

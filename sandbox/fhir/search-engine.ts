// Runs a parsed SearchRequest against the store's value caches and returns the matching ids in order.
// Replaces Medplum's linear FHIRPath scan (FINDINGS) and fixes what it gets wrong: string search is
// starts-with, a bare id matches a reference, and parameters it cannot answer (number, quantity,
// composite, special, unknown) are refused with 400 instead of answering an empty result.
import { Operator, parseSearchRequest, splitSearchOnComma, type Filter, type SearchRequest } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { getSearchParam } from './definitions';
import { matchesDate, parseDateRange, type DatePrefix } from './dates';
import { fail } from './outcomes';
import { normalizeString, type ParamIndex } from './search-index';

export interface IndexedStore {
  table(resourceType: string): ReadonlyMap<string, Resource>;
  index(resourceType: string, code: string): ParamIndex | undefined;
}

type Predicate = (id: string) => boolean;
interface Plan {
  candidates: Set<string>[];
  predicates: Predicate[];
}

const DATE_PREFIXES = new Set<string>(['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap']);

export function searchIds(store: IndexedStore, request: SearchRequest, keep?: (resource: Resource) => boolean): string[] {
  const table = store.table(request.resourceType);
  const plan: Plan = { candidates: [], predicates: [] };
  for (const filter of request.filters ?? []) planFilter(store, request.resourceType, filter, plan);

  let ids: Iterable<string>;
  if (plan.candidates.length > 0) {
    const [smallest, ...others] = [...plan.candidates].sort((a, b) => a.size - b.size);
    ids = [...(smallest ?? [])].filter((id) => others.every((set) => set.has(id)));
  } else {
    ids = table.keys();
  }
  const result: string[] = [];
  for (const id of ids) {
    if (!plan.predicates.every((p) => p(id))) continue;
    const resource = table.get(id);
    if (!resource || (keep && !keep(resource))) continue;
    result.push(id);
  }
  return sortIds(store, request, result);
}

function planFilter(store: IndexedStore, resourceType: string, filter: Filter, plan: Plan): void {
  if (filter.code.startsWith('_has:')) {
    plan.candidates.push(reverseChain(store, resourceType, filter));
    return;
  }
  if (filter.code.includes('.')) {
    plan.candidates.push(forwardChain(store, resourceType, filter));
    return;
  }
  const index = requireIndex(store, resourceType, filter.code);
  const values = splitSearchOnComma(filter.value);
  if (filter.operator === Operator.MISSING || filter.operator === Operator.PRESENT) {
    const wantPresent = (filter.operator === Operator.PRESENT) === (filter.value === 'true');
    plan.predicates.push((id) => index.values.has(id) === wantPresent);
    return;
  }
  switch (index.kind) {
    case 'reference':
      if (filter.operator !== Operator.EQUALS) throw unsupported(filter);
      plan.candidates.push(union(index, values.map(referenceKey)));
      return;
    case 'token': {
      const keys = values.map((v) => v.toLowerCase());
      if (filter.operator === Operator.EQUALS) plan.candidates.push(union(index, keys));
      else if (filter.operator === Operator.NOT || filter.operator === Operator.NOT_EQUALS) {
        const excluded = union(index, keys);
        plan.predicates.push((id) => !excluded.has(id));
      } else throw unsupported(filter);
      return;
    }
    case 'string': {
      const wanted = values.map(normalizeString);
      const test = stringTest(filter);
      plan.predicates.push((id) => index.get(id).keys.some((key) => wanted.some((w) => test(key, w))));
      return;
    }
    case 'uri': {
      const test = uriTest(filter);
      plan.predicates.push((id) => index.get(id).keys.some((key) => values.some((w) => test(key, w))));
      return;
    }
    case 'date': {
      if (!DATE_PREFIXES.has(filter.operator)) throw unsupported(filter);
      const ranges = values.map((v) => {
        const range = parseDateRange(v);
        if (!range) throw fail(400, 'invalid', `Invalid date in ${filter.code}: ${v}`);
        return range;
      });
      const prefix = filter.operator as DatePrefix;
      plan.predicates.push((id) => index.get(id).dates.some((d) => ranges.some((r) => matchesDate(d, prefix, r))));
      return;
    }
  }
}

function requireIndex(store: IndexedStore, resourceType: string, code: string): ParamIndex {
  const index = store.index(resourceType, code);
  if (index) return index;
  const param = getSearchParam(resourceType, code);
  if (!param) throw fail(400, 'not-supported', `Unknown search parameter for ${resourceType}: ${code}`);
  throw fail(400, 'not-supported', `Search parameter ${resourceType}?${code} (type ${param.type}) is not supported by this server`);
}

function unsupported(filter: Filter): Error {
  return fail(400, 'not-supported', `Modifier or prefix "${filter.operator}" is not supported for ${filter.code}`);
}

/** `Patient/p1`, a full URL ending in it, or a bare id (FHIR allows it; SMART launchers send it). */
function referenceKey(value: string): string {
  const parts = value.split('/').filter(Boolean);
  if (parts.length < 2) return `#${value}`;
  return `${parts.at(-2)}/${parts.at(-1)}`;
}

function union(index: ParamIndex, keys: string[]): Set<string> {
  if (keys.length === 1) return index.inverted.get(keys[0] ?? '') ?? new Set();
  const result = new Set<string>();
  for (const key of keys) for (const id of index.inverted.get(key) ?? []) result.add(id);
  return result;
}

function stringTest(filter: Filter): (key: string, wanted: string) => boolean {
  switch (filter.operator) {
    case Operator.EQUALS:
      return (key, wanted) => key.startsWith(wanted);
    case Operator.CONTAINS:
      return (key, wanted) => key.includes(wanted);
    case Operator.EXACT:
      return (key, wanted) => key === wanted;
    default:
      throw unsupported(filter);
  }
}

function uriTest(filter: Filter): (key: string, wanted: string) => boolean {
  switch (filter.operator) {
    case Operator.EQUALS:
      return (key, wanted) => key === wanted;
    case Operator.BELOW:
      return (key, wanted) => key.startsWith(wanted);
    case Operator.ABOVE:
      return (key, wanted) => wanted.startsWith(key);
    default:
      throw unsupported(filter);
  }
}

/** `subject:Patient.identifier=x` / `patient.name=x`: search the target type, then match its references. */
function forwardChain(store: IndexedStore, resourceType: string, filter: Filter): Set<string> {
  const dot = filter.code.indexOf('.');
  const [code = '', explicitType] = filter.code.slice(0, dot).split(':');
  const rest = filter.code.slice(dot + 1);
  if (rest.includes('.')) throw fail(400, 'not-supported', `Only one level of chaining is supported: ${filter.code}`);
  const param = getSearchParam(resourceType, code);
  if (param?.type !== 'reference') throw fail(400, 'invalid', `${code} is not a reference parameter of ${resourceType}`);
  const targetType = explicitType ?? (param.target?.length === 1 ? param.target[0] : code === 'patient' ? 'Patient' : undefined);
  if (!targetType) throw fail(400, 'invalid', `Chain ${filter.code} needs a type: ${code}:<Type>.${rest}`);
  const targets = searchIds(store, parseSearchRequest(targetType, { [rest]: filter.value }));
  const index = requireIndex(store, resourceType, code);
  return union(index, targets.map((id) => `${targetType}/${id}`));
}

/** `_has:Observation:patient:code=x`: resources referenced through `patient` by matching Observations. */
function reverseChain(store: IndexedStore, resourceType: string, filter: Filter): Set<string> {
  const [, sourceType, refCode, ...paramParts] = filter.code.split(':');
  const paramCode = paramParts.join(':');
  if (!sourceType || !refCode || !paramCode || paramCode.startsWith('_has')) {
    throw fail(400, 'invalid', `Malformed or nested _has: ${filter.code}`);
  }
  const sources = searchIds(store, parseSearchRequest(sourceType, { [paramCode]: filter.value }));
  const refIndex = requireIndex(store, sourceType, refCode);
  const result = new Set<string>();
  const prefix = `${resourceType}/`;
  for (const id of sources) {
    for (const key of refIndex.get(id).keys) if (key.startsWith(prefix)) result.add(key.slice(prefix.length));
  }
  return result;
}

function sortIds(store: IndexedStore, request: SearchRequest, ids: string[]): string[] {
  const rules = request.sortRules ?? [];
  if (rules.length === 0) return ids;
  const indexes = rules.map((rule) => ({ index: requireIndex(store, request.resourceType, rule.code), sign: rule.descending ? -1 : 1, descending: rule.descending }));
  // Decorate once, sort, undecorate: a Map lookup per comparison made -_lastUpdated over 500k take 4 s.
  const rows = ids.map((id) => ({
    id,
    keys: indexes.map(({ index, descending }) => {
      const v = index.get(id);
      return index.kind === 'date' ? (descending ? maxHi(v.dates) : minLo(v.dates)) : v.keys[0];
    }),
  }));
  // Missing values sort last in either direction.
  rows.sort((a, b) => {
    for (let i = 0; i < indexes.length; i++) {
      const x = a.keys[i];
      const y = b.keys[i];
      if (x === y) continue;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      return (x < y ? -1 : 1) * (indexes[i]?.sign ?? 1);
    }
    return 0;
  });
  return rows.map((row) => row.id);
}

function minLo(dates: { lo: number }[]): number | undefined {
  return dates.length ? Math.min(...dates.map((d) => d.lo)) : undefined;
}

function maxHi(dates: { hi: number }[]): number | undefined {
  return dates.length ? Math.max(...dates.map((d) => d.hi)) : undefined;
}

// Per-type value caches for search parameters, built on first use and kept current on every write.
// Medplum's search evaluates FHIRPath on every resource for every query (FINDINGS: 4.8 s for
// `Condition?code=` over 25k); here each parameter's FHIRPath runs once per resource version, and
// queries compare plain strings, sets and millisecond ranges.
import {
  convertToSearchableDates,
  convertToSearchableReferences,
  convertToSearchableTokens,
  evalFhirPathTyped,
  toTypedValue,
} from '@medplum/core';
import type { Resource, SearchParameter } from '@medplum/fhirtypes';
import { expressionFor, getSearchParam } from './definitions';
import { periodRange, type DateRange } from './dates';
import { compileSimplePath, type SimpleValue } from './simple-path';

export type IndexedKind = 'reference' | 'token' | 'string' | 'uri' | 'date';

export interface ParamValues {
  /** Reference strings, token keys, normalised strings or URIs, depending on the kind. */
  keys: string[];
  dates: DateRange[];
}

const EMPTY_VALUES: ParamValues = { keys: [], dates: [] };

export function isIndexedKind(type: SearchParameter['type'] | undefined): type is IndexedKind {
  return type === 'reference' || type === 'token' || type === 'string' || type === 'uri' || type === 'date';
}

/** Case- and accent-insensitive form for string search (R4 §3.1.1.4.7). */
export function normalizeString(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export class ParamIndex {
  readonly values = new Map<string, ParamValues>();
  /** Only for reference and token: key -> ids. */
  readonly inverted = new Map<string, Set<string>>();

  constructor(
    readonly resourceType: string,
    readonly code: string,
    readonly kind: IndexedKind,
    private readonly extract: (resource: Resource) => ParamValues,
  ) {}

  put(resource: Resource & { id: string }): void {
    this.remove(resource.id);
    let values: ParamValues;
    try {
      values = this.extract(resource);
    } catch {
      // A stored resource with a wrong-typed element (an EPJ's odd data, loaded as is) is kept but not
      // found by this parameter, instead of breaking the whole store.
      return;
    }
    if (values.keys.length === 0 && values.dates.length === 0) return;
    this.values.set(resource.id, values);
    if (this.kind === 'reference' || this.kind === 'token') {
      for (const key of values.keys) {
        let ids = this.inverted.get(key);
        if (!ids) this.inverted.set(key, (ids = new Set()));
        ids.add(resource.id);
      }
    }
  }

  remove(id: string): void {
    const old = this.values.get(id);
    if (!old) return;
    this.values.delete(id);
    for (const key of old.keys) {
      const ids = this.inverted.get(key);
      ids?.delete(id);
      if (ids?.size === 0) this.inverted.delete(key);
    }
  }

  get(id: string): ParamValues {
    return this.values.get(id) ?? EMPTY_VALUES;
  }

  /** The values of a resource that is not (or not yet) in this index, e.g. an older version or a write. */
  valuesOf(resource: Resource): ParamValues {
    try {
      return this.extract(resource);
    } catch {
      return EMPTY_VALUES;
    }
  }
}

export function createParamIndex(resourceType: string, code: string): ParamIndex | undefined {
  if (code === '_id') {
    return new ParamIndex(resourceType, code, 'token', (r) => ({ keys: r.id ? [r.id.toLowerCase()] : [], dates: [] }));
  }
  if (code === '_lastUpdated') {
    return new ParamIndex(resourceType, code, 'date', (r) => {
      const range = periodRange(r.meta?.lastUpdated, r.meta?.lastUpdated);
      return { keys: [], dates: range ? [range] : [] };
    });
  }
  const param = getSearchParam(resourceType, code);
  if (!param || !isIndexedKind(param.type)) return undefined;
  const expression = expressionFor(resourceType, param);
  if (!expression) return undefined;
  const kind = param.type;
  const simple = compileSimplePath(resourceType, expression);
  if (simple) return new ParamIndex(resourceType, code, kind, (resource) => fromSimpleValues(kind, simple(resource)));
  return new ParamIndex(resourceType, code, kind, (resource) => {
    const typed = evalFhirPathTyped(expression, [toTypedValue(resource)]);
    switch (kind) {
      case 'reference':
        return { keys: referenceKeys(convertToSearchableReferences(typed)), dates: [] };
      case 'token':
        return { keys: tokenKeys(convertToSearchableTokens(typed)), dates: [] };
      case 'date': {
        const dates: DateRange[] = [];
        for (const p of convertToSearchableDates(typed)) {
          const range = periodRange(p.start, p.end);
          if (range) dates.push(range);
        }
        return { keys: [], dates };
      }
      case 'string':
        return { keys: typed.flatMap((t) => stringParts(t.value)).map(normalizeString), dates: [] };
      case 'uri':
        return { keys: typed.flatMap((t) => (typeof t.value === 'string' ? [t.value] : [])), dates: [] };
    }
  });
}

/** `Patient/p1` is stored as itself and as `#p1`, so a bare id (FHIR allows it) finds it too. */
function referenceKeys(references: (string | undefined)[]): string[] {
  const keys = new Set<string>();
  for (const ref of references) {
    if (!ref) continue;
    keys.add(ref);
    const parts = ref.split('/');
    if (parts.length >= 2) {
      keys.add(`${parts.at(-2)}/${parts.at(-1)}`);
      keys.add(`#${parts.at(-1)}`);
    }
  }
  return [...keys];
}

/** Token keys, lowercased: `code`, `system|code`, `|code` (no system) and `system|`. */
function tokenKeys(tokens: { system?: string; value?: string }[]): string[] {
  const keys = new Set<string>();
  for (const { system, value } of tokens) {
    const v = typeof value === 'string' ? value.toLowerCase() : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
    const s = typeof system === 'string' ? system.toLowerCase() : undefined;
    if (v !== undefined) keys.add(v);
    if (s !== undefined) keys.add(`${s}|`);
    if (v !== undefined) keys.add(s === undefined ? `|${v}` : `${s}|${v}`);
  }
  return [...keys];
}

/** The parts of a name or address a string search matches on, each on its own (starts-with per part). */
function stringParts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  const parts: string[] = [];
  for (const field of ['family', 'given', 'prefix', 'suffix', 'text', 'line', 'city', 'district', 'state', 'postalCode', 'country']) {
    const v: unknown = (value as Record<string, unknown>)[field];
    if (typeof v === 'string') parts.push(v);
    else if (Array.isArray(v)) parts.push(...v.filter((x): x is string => typeof x === 'string'));
  }
  return parts;
}

/** The same keys the FHIRPath route yields, from values read directly off the JSON. */
function fromSimpleValues(kind: IndexedKind, values: SimpleValue[]): ParamValues {
  switch (kind) {
    case 'reference': {
      const refs: string[] = [];
      for (const { value, referenceType } of values) {
        const ref = (value as { reference?: unknown }).reference;
        if (typeof ref !== 'string') continue;
        if (referenceType && ref.split('/').at(-2) !== referenceType) continue;
        refs.push(ref);
      }
      return { keys: referenceKeys(refs), dates: [] };
    }
    case 'token':
      return { keys: tokenKeys(values.flatMap(({ value }) => tokensOf(value))), dates: [] };
    case 'date': {
      const dates: DateRange[] = [];
      for (const { value } of values) {
        const range = typeof value === 'string' ? periodRange(value, value) : periodRange((value as { start?: string }).start, (value as { end?: string }).end);
        if (range) dates.push(range);
      }
      return { keys: [], dates };
    }
    case 'string':
      return { keys: values.flatMap(({ value }) => stringParts(value)).map(normalizeString), dates: [] };
    case 'uri':
      return { keys: values.flatMap(({ value }) => (typeof value === 'string' ? [value] : [])), dates: [] };
  }
}

/** code, boolean, Coding, CodeableConcept, Identifier and ContactPoint as system/value pairs. */
function tokensOf(value: unknown): { system?: string; value?: string }[] {
  if (typeof value === 'string') return [{ value }];
  if (typeof value === 'boolean') return [{ value: String(value) }];
  if (typeof value !== 'object' || value === null) return [];
  const v = value as { coding?: unknown[]; system?: string; code?: string; value?: string };
  if (Array.isArray(v.coding)) return v.coding.flatMap(tokensOf);
  if (v.code !== undefined) return [{ system: v.system, value: v.code }];
  if (v.value !== undefined) return [{ system: v.system, value: v.value }];
  return [];
}

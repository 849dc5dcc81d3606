// Write-time validation. Structural faults (not an object, unknown type, malformed id) are 400, as
// FHIR R4 http.html says for content that "failed basic FHIR validation rules"; violations of the
// base StructureDefinitions found by Medplum's validator (unknown elements, cardinality, value
// formats) are 422, "violated applicable FHIR profiles".
import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { isKnownResourceType } from './definitions';
import { fail, outcome } from './outcomes';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;
/** Deeper than any FHIR resource needs (contained + extensions stay under 30); keeps recursion in the validator bounded. */
export const MAX_JSON_DEPTH = 64;
/** Names no FHIR element has, which JavaScript objects treat specially (prototype pollution, `in` checks). */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype', ...Object.getOwnPropertyNames(Object.prototype)]);

/**
 * Every request body, before anything else reads it: no nesting beyond MAX_JSON_DEPTH and no property
 * named like an Object.prototype member (issue 12 item 8: such names were stored, not refused).
 * Iterative, so a hostile depth cannot overflow the stack here.
 */
export function assertPlainJson(body: unknown): void {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: body, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop() as { value: unknown; depth: number; path: string };
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) throw fail(400, 'structure', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`, path || undefined);
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, depth: depth + 1, path: `${path}[${i}]` }));
      continue;
    }
    for (const [key, v] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) throw fail(400, 'structure', `"${key}" is not a FHIR element name`, at);
      stack.push({ value: v, depth: depth + 1, path: at });
    }
  }
}

/** JSON Patch pointers (RFC 6901) may not step through prototype names either (`/__proto__/x`). */
export function assertPatchPointers(operations: readonly { path?: unknown; from?: unknown }[]): void {
  operations.forEach((op, i) => {
    for (const pointer of [op.path, op.from]) {
      if (pointer === undefined) continue;
      if (typeof pointer !== 'string') throw fail(400, 'structure', `JSON Patch operation ${i}: path and from must be strings`);
      const bad = pointer.split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).find((p) => FORBIDDEN_KEYS.has(p));
      if (bad !== undefined) throw fail(400, 'structure', `JSON Patch operation ${i}: "${bad}" is not a FHIR element name`);
    }
  });
}

export function assertStructure(body: unknown, expectedType?: string): asserts body is Resource {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw fail(400, 'structure', 'The body must be a JSON object (a FHIR resource)');
  }
  const resourceType = (body as { resourceType?: unknown }).resourceType;
  if (typeof resourceType !== 'string' || !isKnownResourceType(resourceType)) {
    throw fail(400, 'structure', `Unknown or missing resourceType: ${String(resourceType)}`, 'resourceType');
  }
  if (expectedType && resourceType !== expectedType) {
    throw fail(400, 'invalid', `resourceType ${resourceType} does not match the URL (${expectedType})`, 'resourceType');
  }
  const id = (body as { id?: unknown }).id;
  if (id !== undefined && (typeof id !== 'string' || !ID.test(id))) {
    throw fail(400, 'value', `Invalid id (FHIR ids are 1-64 of A-Z a-z 0-9 - .): ${String(id)}`, `${resourceType}.id`);
  }
}

export function validateForWrite(resource: Resource): void {
  assertStructure(resource);
  let issues;
  try {
    issues = validateResource(resource);
  } catch (err) {
    if (err instanceof OperationOutcomeError) {
      throw new OperationOutcomeError({ ...outcome(422, 'processing', 'Resource is not valid FHIR R4'), issue: err.outcome.issue });
    }
    throw err;
  }
  const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  if (errors.length > 0) {
    throw new OperationOutcomeError({ ...outcome(422, 'processing', 'Resource is not valid FHIR R4'), issue: errors });
  }
}

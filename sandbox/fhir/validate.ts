// Write-time validation. Structural faults (not an object, unknown type, malformed id) are 400, as
// FHIR R4 http.html says for content that "failed basic FHIR validation rules"; violations of the
// base StructureDefinitions found by Medplum's validator (unknown elements, cardinality, value
// formats) are 422, "violated applicable FHIR profiles".
import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { isKnownResourceType } from './definitions';
import { fail, outcome } from './outcomes';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

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

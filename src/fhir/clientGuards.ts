// Narrowing at the I/O boundary: fhir-kit-client returns untyped JSON and rejects with ad-hoc errors.
// Here they become typed resources (checked by resourceType, no casts) and FhirErrors.
import type { Bundle, ExtractResource, Resource, ResourceType } from '@medplum/fhirtypes';
import { ENDED_HEADER } from '../platform/sessionEnd';
import { abortedError, FhirError, fhirErrorFromNetwork, fhirErrorFromResponse } from './errors';

export function isResource(value: unknown): value is Resource {
  return typeof value === 'object' && value !== null && 'resourceType' in value && typeof value.resourceType === 'string';
}

export function isResourceOfType<K extends ResourceType>(value: unknown, resourceType: K): value is ExtractResource<K> {
  return isResource(value) && value.resourceType === resourceType;
}

export function isBundle(value: unknown): value is Bundle {
  return isResourceOfType(value, 'Bundle');
}

/** The server answered 2xx with something that is not what we asked for. */
export function unexpectedResponse(expected: string): FhirError {
  return new FhirError({
    kind: 'invalid',
    userMessage: `Journalsystemet svarte med noe appen ikke forstod (ventet ${expected}).`,
  });
}

function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'name' in error && error.name === 'AbortError';
}

function httpFailure(error: unknown): { status: number; data: unknown; retryAfter: string | null } | undefined {
  if (typeof error !== 'object' || error === null || !('response' in error)) return undefined;
  const response: unknown = error.response;
  if (typeof response !== 'object' || response === null || !('status' in response) || typeof response.status !== 'number') {
    return undefined;
  }
  const data: unknown = 'data' in response ? response.data : undefined;
  // fhir-kit-client puts the response headers on `config.headers` (not the request's: no token there).
  let retryAfter: string | null = null;
  if ('config' in error && typeof error.config === 'object' && error.config !== null && 'headers' in error.config) {
    const headers: unknown = error.config.headers;
    if (headers instanceof Headers) retryAfter = headers.get('retry-after');
  }
  return { status: response.status, data, retryAfter };
}

/** The app server's reason for ending the session (`x-pht-session-ended` on its 401), if it gave one. */
export function sessionEndedReason(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('config' in error) || typeof error.config !== 'object' || error.config === null) return null;
  const headers: unknown = 'headers' in error.config ? error.config.headers : undefined;
  return headers instanceof Headers ? headers.get(ENDED_HEADER) : null;
}

function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/**
 * Turns anything fhir-kit-client (or fetch) rejects with into a FhirError. The raw error is not kept
 * as `cause` for HTTP failures: it is not needed and must not carry request details further.
 */
export function toFhirError(error: unknown): FhirError {
  if (error instanceof FhirError) return error;
  if (isAbort(error)) return abortedError();
  const http = httpFailure(error);
  if (http) return fhirErrorFromResponse(http.status, http.data, parseRetryAfter(http.retryAfter));
  // fetch rejects with a TypeError ("Failed to fetch" / "fetch failed") when no response arrived.
  return fhirErrorFromNetwork(error instanceof Error ? new Error(error.message) : undefined);
}

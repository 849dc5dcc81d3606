// One way to build error OperationOutcomes with their HTTP status. The status travels in
// `OperationOutcome.id` (Medplum's convention, read by its `getStatus`), so it survives Medplum's
// router and batch processor, which normalise every thrown error to its outcome.
import { getStatus, OperationOutcomeError } from '@medplum/core';
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

const STATUS_IDS: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  410: 'gone',
  412: 'precondition-failed',
  413: 'content-too-large',
  415: 'unsupported-media-type',
  431: 'request-header-fields-too-large',
  503: 'service-unavailable',
  422: 'business-rule',
  500: 'server-error',
};
// Ids Medplum's getStatus does not know; 400 falls out of its default.
const EXTRA_STATUSES: Record<string, number> = { 'method-not-allowed': 405, 'server-error': 500, 'request-header-fields-too-large': 431, 'service-unavailable': 503 };

export function outcome(status: number, code: OperationOutcomeIssue['code'], text: string, expression?: string): OperationOutcome {
  const issue: OperationOutcomeIssue = { severity: status >= 500 ? 'fatal' : 'error', code, details: { text } };
  if (expression) issue.expression = [expression];
  const id = STATUS_IDS[status];
  return { resourceType: 'OperationOutcome', ...(id ? { id } : {}), issue: [issue] };
}

export function fail(status: number, code: OperationOutcomeIssue['code'], text: string, expression?: string): OperationOutcomeError {
  return new OperationOutcomeError(outcome(status, code, text, expression));
}

export function statusOf(result: OperationOutcome): number {
  return (result.id && EXTRA_STATUSES[result.id]) || getStatus(result);
}

/**
 * A complete HTTP/1.1 response with an OperationOutcome body, for answers written straight to a socket
 * (Node's `clientError`: malformed request lines, oversized headers), which otherwise go out bare.
 */
export function rawOutcomeResponse(status: number, reason: string, text: string): string {
  const body = JSON.stringify(outcome(status, status === 431 || status === 413 ? 'too-costly' : 'structure', text));
  return [`HTTP/1.1 ${status} ${reason}`, 'Content-Type: application/fhir+json; charset=utf-8', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', '', body].join('\r\n');
}

// Access logging (SPEC §8): list views and exports become AuditEvents on the EPJ, written in the
// background with retries; a failing audit server never breaks or delays the view.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import type { AuditEvent } from '@medplum/fhirtypes';
import { createFhirClient } from '../../../src/fhir/client';
import type { Session } from '../../../src/fhir/session';
import {
  AUDIT_SYSTEMS,
  buildExportAuditEvent,
  buildListViewAuditEvent,
  logExport,
  logListView,
  resetAuditDeduplication,
} from '../../../src/fhir/audit';

const FHIR_BASE = 'http://ehr.test/fhir';
const NOW = new Date('2026-03-10T08:15:00.000Z');
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
beforeEach(() => resetAuditDeduplication());

function session(overrides: Partial<Session> = {}): Session {
  return {
    launchKind: 'standalone',
    fhirBaseUrl: FHIR_BASE,
    accessToken: 'token',
    expiresAt: Date.now() + 3600_000,
    grantedScopes: ['user/Patient.rs', 'user/AuditEvent.c'],
    requestedScopes: [],
    needPatientBanner: true,
    fhirUser: 'Practitioner/gp-2',
    ...overrides,
  };
}

function client(overrides: Partial<Session> = {}) {
  return createFhirClient(session(overrides), { sleep: async () => undefined, retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 1 } });
}

const ctx = { fhirUser: 'Practitioner/gp-2', now: NOW, eventId: 'ev-1' };

function decode(b64: string | undefined): string {
  return new TextDecoder().decode(Uint8Array.from(atob(b64 ?? ''), (c) => c.charCodeAt(0)));
}

describe('buildListViewAuditEvent', () => {
  test('is a DICOM Query by the user, of the named list, with count, filter and time', () => {
    const event = buildListViewAuditEvent(
      { list: 'list-overview', count: 312, user: { practitionerId: 'gp-1', name: 'Kari Lege' }, query: { gp: 'gp-1', group: 'skrøpelig' } },
      ctx,
    );
    expect(event.type).toEqual({ system: AUDIT_SYSTEMS.dicom, code: '110112', display: 'Query' });
    expect(event.subtype?.[0]).toMatchObject({ system: AUDIT_SYSTEMS.restfulInteraction, code: 'search-type' });
    expect(event.action).toBe('E');
    expect(event.recorded).toBe('2026-03-10T08:15:00.000Z');
    expect(event.outcome).toBe('0');
    const user = event.agent.find((a) => a.requestor);
    expect(user?.who).toEqual({ reference: 'Practitioner/gp-1', display: 'Kari Lege' });
    expect(event.source.observer.display).toBe('Primærhelseteam');
    const [entity] = event.entity ?? [];
    expect(entity?.what?.identifier).toEqual({ system: AUDIT_SYSTEMS.activity, value: 'list-overview' });
    expect(entity?.what?.display).toBe('Listeoversikt');
    expect(entity?.name).toBeUndefined(); // sev-1: a query, so no name
    expect(entity?.detail).toContainEqual({ type: 'count', valueString: '312' });
    // base64 of the UTF-8 query, keys sorted so the same filter always logs the same way
    expect(decode(entity?.query)).toBe('gp=gp-1&group=skr%C3%B8pelig');
  });

  test('falls back to the session fhirUser when no user is given', () => {
    const event = buildListViewAuditEvent({ list: 'inbox', count: 0 }, ctx);
    expect(event.agent.find((a) => a.requestor)?.who?.reference).toBe('Practitioner/gp-2');
    expect(event.entity?.[0]?.query).toBeUndefined();
  });

  test('without any user it still names who it could not identify (agent.who is required)', () => {
    const event = buildListViewAuditEvent({ list: 'inbox', count: 1 }, { ...ctx, fhirUser: undefined });
    expect(event.agent.find((a) => a.requestor)?.who).toEqual({ display: 'Ukjent bruker' });
  });
});

describe('buildExportAuditEvent', () => {
  test('is a DICOM Export with format, row count and whether it is aggregate', () => {
    const event = buildExportAuditEvent({ export: 'evaluation', count: 24, format: 'csv', aggregate: true }, ctx);
    expect(event.type.code).toBe('110106');
    expect(event.action).toBe('R');
    const detail = event.entity?.[0]?.detail ?? [];
    expect(detail).toContainEqual({ type: 'format', valueString: 'csv' });
    expect(detail).toContainEqual({ type: 'aggregate', valueString: 'true' });
    expect(detail).toContainEqual({ type: 'count', valueString: '24' });
  });
});

describe('logListView', () => {
  test('writes the AuditEvent to the EPJ and reports its id', async () => {
    const posted: AuditEvent[] = [];
    server.use(
      http.post(`${FHIR_BASE}/AuditEvent`, async ({ request }) => {
        posted.push((await request.json()) as AuditEvent);
        return HttpResponse.json({ ...posted[0], id: 'ae-1' }, { status: 201 });
      }),
    );
    const result = await logListView(client(), { list: 'worklist', count: 7, user: { practitionerId: 'nurse-1' } });
    expect(result).toEqual({ status: 'logged', id: 'ae-1' });
    expect(posted).toHaveLength(1);
    expect(posted[0]?.entity?.[0]?.what?.identifier?.value).toBe('worklist');
  });

  test('retries a failing audit server and succeeds', async () => {
    let calls = 0;
    server.use(
      http.post(`${FHIR_BASE}/AuditEvent`, async ({ request }) => {
        calls++;
        if (calls < 3) return HttpResponse.json({ resourceType: 'OperationOutcome', issue: [] }, { status: 503 });
        return HttpResponse.json({ ...((await request.json()) as AuditEvent), id: 'ae-2' }, { status: 201 });
      }),
    );
    await expect(logListView(client(), { list: 'inbox', count: 3 })).resolves.toEqual({ status: 'logged', id: 'ae-2' });
    expect(calls).toBe(3);
  });

  test('never rejects, and returns at once, when the server keeps failing; tells onFailure in Norwegian', async () => {
    server.use(http.post(`${FHIR_BASE}/AuditEvent`, () => HttpResponse.error()));
    const failures: string[] = [];
    const pending = logListView(client(), { list: 'outreach', count: 1 }, { onFailure: (m) => failures.push(m) });
    expect(pending).toBeInstanceOf(Promise); // the caller is not blocked
    await expect(pending).resolves.toEqual({ status: 'failed', message: 'Får ikke kontakt med journalsystemet.' });
    expect(failures).toEqual(['Får ikke kontakt med journalsystemet.']);
  });

  test('a throwing onFailure does not escape', async () => {
    server.use(http.post(`${FHIR_BASE}/AuditEvent`, () => HttpResponse.error()));
    const pending = logListView(client(), { list: 'outreach', count: 2 }, {
      onFailure: () => {
        throw new Error('observer broke');
      },
    });
    await expect(pending).resolves.toMatchObject({ status: 'failed' });
  });

  test('without AuditEvent.c in the grant it sends nothing', async () => {
    let calls = 0;
    server.use(http.post(`${FHIR_BASE}/AuditEvent`, () => void calls++));
    await expect(logListView(client({ grantedScopes: ['user/Patient.rs'] }), { list: 'inbox', count: 1 })).resolves.toEqual({
      status: 'skipped',
      reason: 'not-permitted',
    });
    expect(calls).toBe(0);
  });

  test('the same view logged twice within seconds (re-render, StrictMode) is one event; exports are never folded', async () => {
    let calls = 0;
    server.use(
      http.post(`${FHIR_BASE}/AuditEvent`, async ({ request }) => {
        calls++;
        return HttpResponse.json({ ...((await request.json()) as AuditEvent), id: `ae-${calls}` }, { status: 201 });
      }),
    );
    const c = client();
    const t = new Date('2026-03-10T09:00:00Z');
    const at = (ms: number) => () => new Date(t.getTime() + ms);
    await logListView(c, { list: 'inbox', count: 4 }, { now: at(0) });
    await expect(logListView(c, { list: 'inbox', count: 4 }, { now: at(1000) })).resolves.toEqual({ status: 'skipped', reason: 'duplicate' });
    await logListView(c, { list: 'inbox', count: 4 }, { now: at(60_000) });
    await logExport(c, { export: 'worklist', count: 4, format: 'csv' }, { now: at(60_000) });
    await logExport(c, { export: 'worklist', count: 4, format: 'csv' }, { now: at(60_000) });
    expect(calls).toBe(4);
  });
});

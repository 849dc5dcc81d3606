import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { runLaunchFlow, cancelExpiryTimer } from '../../../src/state/launchFlow';
import { useSessionStore } from '../../../src/state/sessionStore';
import { isLaunchError, logout } from '../../../src/fhir/launch';
import { FhirError } from '../../../src/fhir/errors';
import { APP_ORIGIN, appSessionBody, appSessionHandler, FHIR_BASE, patient, practitioner, practitionerRole, recordingPort, searchset } from '../../support/fakeEhr';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
beforeEach(() => useSessionStore.getState().clear());
afterEach(() => {
  server.resetHandlers();
  cancelExpiryTimer();
});
afterAll(() => server.close());

/** FHIR reads through the app server's proxy; each records the headers it got. */
function fhirHandlers(patientId = 'pat-1', seen: Headers[] = []) {
  const record = (request: Request) => void seen.push(request.headers);
  return [
    http.get(`${FHIR_BASE}/Practitioner/nurse-1`, ({ request }) => (record(request), HttpResponse.json(practitioner('nurse-1')))),
    http.get(`${FHIR_BASE}/PractitionerRole`, ({ request }) => (record(request), HttpResponse.json(searchset([practitionerRole('nurse-1', 'SP')])))),
    http.get(`${FHIR_BASE}/Patient/pat-1`, ({ request }) => (record(request), HttpResponse.json(patient(patientId)))),
  ];
}

const sessionFor = (handle: string) => (handle === 'h1' ? appSessionBody() : undefined);

test('the handle from the fragment is kept per tab, removed from the address, and sent on every FHIR call; no token anywhere', async () => {
  const seen: Headers[] = [];
  server.use(appSessionHandler(sessionFor), ...fhirHandlers('pat-1', seen));
  const port = recordingPort();
  await runLaunchFlow({ port, url: new URL(`${APP_ORIGIN}/#pht-handle=h1`) });
  const state = useSessionStore.getState();
  expect(state.status).toBe('ready');
  expect(state.ready?.user).toEqual({ practitionerId: 'nurse-1', name: 'Siri Sykepleier', role: { role: 'nurse', practiceManager: false } });
  expect(state.ready?.patient).toMatchObject({ id: 'pat-1', name: 'Kari Nordmann', nationalId: '01019012345' });
  expect(state.ready?.session.accessToken).toBeUndefined();
  expect(port.replaced).toEqual(['/']);
  expect([...port.stored.entries()]).toEqual([['pht.handle', 'h1']]);
  expect(seen.length).toBe(3);
  for (const h of seen) {
    expect(h.get('x-pht-handle')).toBe('h1');
    expect(h.get('authorization')).toBeNull();
  }
});

test('a reload finds the handle in sessionStorage', async () => {
  server.use(appSessionHandler(sessionFor), ...fhirHandlers());
  const port = recordingPort();
  port.stored.set('pht.handle', 'h1');
  await runLaunchFlow({ port, url: new URL(`${APP_ORIGIN}/`) });
  expect(useSessionStore.getState().status).toBe('ready');
  expect(port.replaced).toEqual([]);
});

test('a relaunch in the same tab replaces the old handle', async () => {
  server.use(appSessionHandler((h) => (h === 'h2' ? appSessionBody() : undefined)), ...fhirHandlers());
  const port = recordingPort();
  port.stored.set('pht.handle', 'h1');
  await runLaunchFlow({ port, url: new URL(`${APP_ORIGIN}/#pht-handle=h2`) });
  expect(useSessionStore.getState().status).toBe('ready');
  expect(port.stored.get('pht.handle')).toBe('h2');
});

test('a launch patient the server answers with another patient for is refused', async () => {
  server.use(appSessionHandler(sessionFor), ...fhirHandlers('pat-2'));
  await runLaunchFlow({ port: recordingPort(), url: new URL(`${APP_ORIGIN}/#pht-handle=h1`) });
  const state = useSessionStore.getState();
  expect(state.status).toBe('error');
  expect(state.error instanceof FhirError && state.error.kind).toBe('wrong-patient');
  expect(state.ready).toBeUndefined();
});

test('opening the app without a launch explains how to start it', async () => {
  await runLaunchFlow({ port: recordingPort(), url: new URL(`${APP_ORIGIN}/`) });
  const { status, error } = useSessionStore.getState();
  expect(status).toBe('error');
  expect(isLaunchError(error) && error.code).toBe('not-launched');
});

test('a session the server ended for inactivity shows "Økten er utløpt" with the reason, and the handle is dropped', async () => {
  server.use(appSessionHandler(() => undefined, 'idle'));
  const port = recordingPort();
  await runLaunchFlow({ port, url: new URL(`${APP_ORIGIN}/#pht-handle=h1`) });
  const { error } = useSessionStore.getState();
  expect(isLaunchError(error) && [error.code, error.title, error.detail]).toEqual(['session-expired', 'Økten er utløpt', 'for lenge uten bruk']);
  expect(port.stored.size).toBe(0);
});

test('a blocked app server is not reported as the journal being down', async () => {
  server.use(http.get(`${APP_ORIGIN}/api/session`, () => HttpResponse.error()));
  await runLaunchFlow({ port: recordingPort(), url: new URL(`${APP_ORIGIN}/#pht-handle=h1`) });
  const { error } = useSessionStore.getState();
  expect(isLaunchError(error) && [error.code, error.title]).toEqual(['server-unreachable', 'Får ikke kontakt med appserveren']);
});

// Issue 12 item 13: the sandbox's "30 s token" gives a session that ends 25 s from now (the server's 5 s
// margin applied); the browser must not take another 30 s off and end it at once.
test('a session ending 25 s from now opens normally', async () => {
  server.use(appSessionHandler(() => appSessionBody({ expiresAt: Date.now() + 25_000 })), ...fhirHandlers());
  await runLaunchFlow({ port: recordingPort(), url: new URL(`${APP_ORIGIN}/#pht-handle=h1`) });
  expect(useSessionStore.getState().status).toBe('ready');
});

test('the session end is counted on this PC clock: a server clock a week ahead does not end it at once', async () => {
  const week = 7 * 24 * 3600_000;
  server.use(appSessionHandler(() => ({ ...appSessionBody({ expiresAt: Date.now() - week }), endsInMs: 3_600_000 })), ...fhirHandlers());
  await runLaunchFlow({ port: recordingPort(), url: new URL(`${APP_ORIGIN}/#pht-handle=h1`) });
  expect(useSessionStore.getState().status).toBe('ready');
  expect(useSessionStore.getState().ready?.session.expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
});

test('runs once per page load (StrictMode runs effects twice)', async () => {
  let calls = 0;
  server.use(appSessionHandler((h) => (calls++, sessionFor(h))), ...fhirHandlers());
  const port = recordingPort();
  const url = new URL(`${APP_ORIGIN}/#pht-handle=h1`);
  await Promise.all([runLaunchFlow({ port, url }), runLaunchFlow({ port, url })]);
  expect(calls).toBe(1);
});

test('a 401 from the app server on any later read ends the app with the reason it gives, and forgets the handle', async () => {
  server.use(appSessionHandler(sessionFor), ...fhirHandlers());
  const port = recordingPort();
  await runLaunchFlow({ port, url: new URL(`${APP_ORIGIN}/#pht-handle=h1`) });
  const ready = useSessionStore.getState().ready;
  if (!ready) throw new Error('not ready');
  server.use(http.get(`${FHIR_BASE}/Task`, () => HttpResponse.json({ resourceType: 'OperationOutcome', issue: [] }, { status: 401, headers: { 'x-pht-session-ended': 'expired' } })));
  await expect(ready.client.searchPage('Task')).rejects.toMatchObject({ kind: 'unauthorized' });
  const state = useSessionStore.getState();
  expect(state.status).toBe('error');
  expect(isLaunchError(state.error) && [state.error.code, state.error.detail]).toEqual(['session-expired', 'tilgangen fra journalsystemet er utløpt og kunne ikke fornyes']);
  expect(port.stored.has('pht.handle')).toBe(false);
});

test('logout: POST /api/logout with the handle, then the server\'s page; an already ended session goes to its own end page', async () => {
  const seen: { handle: string | null }[] = [];
  server.use(
    http.post(`${APP_ORIGIN}/api/logout`, ({ request }) => {
      const handle = request.headers.get('x-pht-handle');
      seen.push({ handle });
      return handle === 'h1'
        ? HttpResponse.json({ ended: 'logout', page: '/avsluttet?grunn=logout' })
        : HttpResponse.json({}, { status: 401, headers: { 'x-pht-session-ended': 'idle' } });
    }),
  );
  const port = recordingPort();
  port.storage.setItem('pht.handle', 'h1');
  expect(await logout(port, 'h1')).toEqual({ page: '/avsluttet?grunn=logout' });
  expect(port.stored.has('pht.handle')).toBe(false);
  expect(await logout(port, 'h2')).toEqual({ page: '/avsluttet?grunn=idle' });
  expect(seen).toEqual([{ handle: 'h1' }, { handle: 'h2' }]);
  server.use(http.post(`${APP_ORIGIN}/api/logout`, () => HttpResponse.error()));
  expect(await logout(port, 'h1')).toEqual({ failed: 'Får ikke kontakt med appserveren, så du er ikke logget ut. Sjekk nettverket og prøv igjen.' });
});

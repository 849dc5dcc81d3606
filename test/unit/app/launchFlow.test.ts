import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { runLaunchFlow, cancelExpiryTimer } from '../../../src/state/launchFlow';
import { useSessionStore } from '../../../src/state/sessionStore';
import { isLaunchError } from '../../../src/fhir/launch';
import { FhirError } from '../../../src/fhir/errors';
import {
  APP_ORIGIN,
  discoveryHandler,
  FHIR_BASE,
  patient,
  practitioner,
  practitionerRole,
  recordingPort,
  searchset,
  tokenBody,
  tokenHandler,
} from '../../support/fakeEhr';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
beforeEach(() => useSessionStore.getState().clear());
afterEach(() => {
  server.resetHandlers();
  cancelExpiryTimer();
});
afterAll(() => server.close());

function fhirHandlers(patientId = 'pat-1') {
  return [
    http.get(`${FHIR_BASE}/Practitioner/nurse-1`, () => HttpResponse.json(practitioner('nurse-1'))),
    http.get(`${FHIR_BASE}/PractitionerRole`, () => HttpResponse.json(searchset([practitionerRole('nurse-1', 'SP')]))),
    http.get(`${FHIR_BASE}/Patient/pat-1`, () => HttpResponse.json(patient(patientId))),
  ];
}

/** Plays /launch then the callback, as the browser would across the redirect. */
async function launchAsNurse() {
  const challenges = new Map<string, string>();
  server.use(discoveryHandler(), tokenHandler(challenges, () => tokenBody()));
  const port = recordingPort(Date.now());
  await runLaunchFlow({ port, url: new URL(`${APP_ORIGIN}/launch?iss=${encodeURIComponent(FHIR_BASE)}&launch=l1`) });
  const authorize = new URL(port.redirects[0] ?? '');
  challenges.set('code-1', authorize.searchParams.get('code_challenge') ?? '');
  useSessionStore.getState().clear(); // a new page load
  const state = authorize.searchParams.get('state') ?? '';
  await runLaunchFlow({ port, url: new URL(`${APP_ORIGIN}/?code=code-1&state=${state}`) });
  return port;
}

test('a nurse launch with a patient ends ready with role and checked patient', async () => {
  server.use(...fhirHandlers());
  const port = await launchAsNurse();
  const state = useSessionStore.getState();
  expect(state.status).toBe('ready');
  expect(state.ready?.user).toEqual({ practitionerId: 'nurse-1', name: 'Siri Sykepleier', role: { role: 'nurse', practiceManager: false } });
  expect(state.ready?.patient).toMatchObject({ id: 'pat-1', name: 'Kari Nordmann', nationalId: '01019012345' });
  expect(port.storage.length).toBe(0);
});

test('a launch patient the server answers with another patient for is refused', async () => {
  server.use(...fhirHandlers('pat-2'));
  await launchAsNurse();
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

test('runs once per page load (StrictMode runs effects twice)', async () => {
  server.use(discoveryHandler());
  const port = recordingPort();
  const url = new URL(`${APP_ORIGIN}/launch?iss=${encodeURIComponent(FHIR_BASE)}&launch=l1`);
  await Promise.all([runLaunchFlow({ port, url }), runLaunchFlow({ port, url })]);
  expect(port.redirects).toHaveLength(1);
});

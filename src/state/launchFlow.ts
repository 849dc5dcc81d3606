// Orchestrates a page load: the app server has run the SMART launch; here the tab picks up its launch
// handle (from the redirect's fragment, or sessionStorage after a reload), asks the server for the launch
// context, and reads the user and the launch patient through the server's FHIR proxy. Runs once per page
// load (React StrictMode runs effects twice).
import { LaunchError, endedError, loadServerSession, takeHandle, HANDLE_STORAGE_KEY, type LaunchPort } from '../fhir/launch';
import { onSessionEnded } from '../platform/sessionEnd';
import type { FhirClientOptions } from '../fhir/client';
import { detectCurrentUser } from '../fhir/roles';
import { assertBelongsToPatient } from '../fhir/patientGuard';
import { toPatientSummary } from '../fhir/sessionContext';
import type { Session } from '../fhir/session';
import { useSessionStore } from './sessionStore';
import { rememberSessionPanel } from '../platform/panelPrefetch';
import type { Patient } from '@medplum/fhirtypes';

export interface LaunchFlowDeps {
  port: LaunchPort;
  url: URL;
  clientOptions?: FhirClientOptions;
  /** Called as soon as the launch context is in hand, before the user and patient are read (e.g. to preload code). */
  onSession?: (session: Session) => void;
}

let expiryTimer: ReturnType<typeof setTimeout> | undefined;
let stopListening: (() => void) | undefined;

export async function runLaunchFlow({ port, url, clientOptions, onSession }: LaunchFlowDeps): Promise<void> {
  const store = useSessionStore.getState();
  if (store.status !== 'idle') return;
  // Any request the server refuses because the session is over (a failed refresh, idle, logout in another
  // tab) ends the app on the relaunch page, whichever view made it.
  stopListening?.();
  stopListening = onSessionEnded((reason) => {
    port.storage.removeItem(HANDLE_STORAGE_KEY);
    cancelExpiryTimer();
    useSessionStore.getState().setError(endedError(reason));
  });
  try {
    const handle = takeHandle(port, url);
    if (!handle) throw new LaunchError('not-launched');
    store.setPhase('loading-user');
    // /api/session first, then the FHIR client (fhir-kit-client), its own chunk fetched while the session
    // answers: the initial JavaScript stays small (issue 19 point 7), and a launch does not wait for it.
    const answer = loadServerSession(port, handle);
    const clientModule = import('../fhir/client');
    const { session, prefetched } = await answer;
    const { createFhirClient } = await clientModule;
    const known = prefetched.patient !== undefined ? [prefetched.patient as Patient] : [];
    const client = createFhirClient(session, { ...clientOptions, known });
    onSession?.(session);
    // The server sends the user and the launch Patient with the session (one round trip); what it left
    // out is read here, with the errors the user reads.
    const [user, patient] = await Promise.all([
      prefetched.user ?? detectCurrentUser(client, session.fhirUser),
      session.patientId
        ? (prefetched.patient !== undefined ? Promise.resolve(prefetched.patient as Patient) : client.read('Patient', session.patientId)).then((p) =>
            toPatientSummary(assertBelongsToPatient(p, session.patientId ?? '')),
          )
        : Promise.resolve(undefined),
    ]);
    if (patient && prefetched.panel !== undefined) rememberSessionPanel(patient.id, prefetched.panel, Date.now());
    useSessionStore.getState().setReady({ session, client, user, patient });
    scheduleExpiry(session.expiresAt - port.now());
  } catch (error) {
    useSessionStore.getState().setError(error instanceof Error ? error : new Error(String(error)));
  }
}

// The server refreshes the EPJ token when it has a refresh token, so `expiresAt` is then the absolute
// session end; without one it is the token's end (less the server's margin). Either way the session
// ends there with "Økten er utløpt" (the server would refuse the next request anyway).
function scheduleExpiry(inMs: number): void {
  clearTimeout(expiryTimer);
  // setTimeout fires at once for delays beyond 2^31-1 ms; the absolute timeout is hours away.
  expiryTimer = setTimeout(() => useSessionStore.getState().setError(new LaunchError('session-expired')), Math.min(Math.max(0, inMs), 2 ** 31 - 1));
}

export function cancelExpiryTimer(): void {
  clearTimeout(expiryTimer);
  expiryTimer = undefined;
}

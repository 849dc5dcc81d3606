// Orchestrates a page load: start a launch, complete one, or explain that the app must be launched
// from the EHR. Runs once per page load (React StrictMode runs effects twice; a second code exchange
// would find its handshake already used and fail).
import { appLaunchConfig, completeLaunch, LaunchError, launchStepFor, startLaunch, type LaunchPort } from '../fhir/launch';
import { createFhirClient, type FhirClientOptions } from '../fhir/client';
import { detectCurrentUser } from '../fhir/roles';
import { assertBelongsToPatient } from '../fhir/patientGuard';
import { toPatientSummary } from '../fhir/sessionContext';
import { expiredSessionError } from '../fhir/errors';
import { EXPIRY_MARGIN_MS, type Session } from '../fhir/session';
import { useSessionStore } from './sessionStore';

export interface LaunchFlowDeps {
  port: LaunchPort;
  url: URL;
  clientOptions?: FhirClientOptions;
  /** Called as soon as the token is in hand, before the user and patient are read (e.g. to preload code). */
  onSession?: (session: Session) => void;
}

let expiryTimer: ReturnType<typeof setTimeout> | undefined;

export async function runLaunchFlow({ port, url, clientOptions, onSession }: LaunchFlowDeps): Promise<void> {
  const store = useSessionStore.getState();
  if (store.status !== 'idle') return;
  const step = launchStepFor(url);
  const config = appLaunchConfig(url.origin);
  try {
    if (step.kind === 'start') {
      store.setPhase('redirecting');
      await startLaunch(port, config, { iss: step.iss, launch: step.launch });
      return; // the browser is leaving for the authorization endpoint
    }
    if (step.kind === 'none') throw new LaunchError('not-launched');

    store.setPhase('exchanging');
    const session = await completeLaunch(port, url);
    const client = createFhirClient(session, clientOptions);
    onSession?.(session);
    store.setPhase('loading-user');
    const [user, patient] = await Promise.all([
      detectCurrentUser(client, session.fhirUser),
      session.patientId
        ? client.read('Patient', session.patientId).then((p) => toPatientSummary(assertBelongsToPatient(p, session.patientId ?? '')))
        : Promise.resolve(undefined),
    ]);
    useSessionStore.getState().setReady({ session, client, user, patient });
    scheduleExpiry(session.expiresAt - EXPIRY_MARGIN_MS - port.now());
  } catch (error) {
    useSessionStore.getState().setError(error instanceof Error ? error : new Error(String(error)));
  }
}

// The token cannot be refreshed (no offline_access / refresh token for a public browser client), so
// at expiry the session ends with a page telling the user to relaunch from the EHR.
function scheduleExpiry(inMs: number): void {
  clearTimeout(expiryTimer);
  expiryTimer = setTimeout(() => useSessionStore.getState().setError(expiredSessionError()), Math.max(0, inMs));
}

export function cancelExpiryTimer(): void {
  clearTimeout(expiryTimer);
  expiryTimer = undefined;
}

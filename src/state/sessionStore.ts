// The launch and the session: status, phase, the launch context and client, the user and the launch
// patient. No token exists in the browser (the app server holds it); nothing here is persisted.
import { create } from 'zustand';
import type { OperationOutcome } from '@medplum/fhirtypes';
import type { FhirClient } from '../fhir/client';
import type { Session } from '../fhir/session';
import type { CurrentUser } from '../fhir/roles';
import type { PatientSummary } from '../fhir/sessionContext';
import { outcomeOf, type LoadStatus } from './status';

export type LaunchPhase = 'loading-user';

export interface ReadySession {
  session: Session;
  client: FhirClient;
  user: CurrentUser;
  patient: PatientSummary | undefined;
}

export interface SessionState {
  status: LoadStatus;
  phase: LaunchPhase | undefined;
  ready: ReadySession | undefined;
  error: Error | undefined;
  outcome: OperationOutcome | undefined;
  setPhase: (phase: LaunchPhase) => void;
  setReady: (ready: ReadySession) => void;
  setError: (error: Error) => void;
  /** Back to idle (tests; leaving the app). */
  clear: () => void;
}

const initial = { status: 'idle', phase: undefined, ready: undefined, error: undefined, outcome: undefined } as const;

export const useSessionStore = create<SessionState>()((set) => ({
  ...initial,
  setPhase: (phase) => set({ status: 'loading', phase }),
  setReady: (ready) => set({ status: 'ready', phase: undefined, ready, error: undefined, outcome: undefined }),
  // An error ends the session in this tab: the user relaunches from the EHR.
  setError: (error) => set({ status: 'error', phase: undefined, ready: undefined, error, outcome: outcomeOf(error) }),
  clear: () => set({ ...initial }),
}));

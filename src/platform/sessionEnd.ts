// The app server ends a session (idle, absolute timeout, EPJ token expired without a working refresh,
// logout) by answering 401 with the reason in `x-pht-session-ended`. Whichever client meets it first (the
// FHIR client or the JSON API client) reports it here, and the session bootstrap ends the whole app on
// the page that says to start it again from the journal, instead of one view showing an inline error.
export const ENDED_HEADER = 'x-pht-session-ended';

type Listener = (reason: string | null) => void;
const listeners = new Set<Listener>();

/** Subscribe; returns the unsubscribe function. */
export function onSessionEnded(listener: Listener): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** A 401 from the app server: the session is over (the reason header may be missing). */
export function reportSessionEnded(reason: string | null): void {
  for (const listener of listeners) listener(reason);
}

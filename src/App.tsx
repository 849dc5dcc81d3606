import { useEffect } from 'react';
import { useSessionStore, type LaunchPhase } from './state/sessionStore';
import { runLaunchFlow } from './state/launchFlow';
import { browserLaunchPort } from './fhir/launch';
import { AppShell } from './ui/AppShell';
import { AppHeader } from './ui/AppHeader';
import { ErrorPage } from './ui/ErrorPage';
import { Loading } from './ui/Loading';
import { preloadView } from './ui/views';

const PHASE_TEXT: Record<LaunchPhase, string> = {
  'loading-user': 'Henter bruker og pasient …',
};

export function App() {
  const status = useSessionStore((s) => s.status);
  const phase = useSessionStore((s) => s.phase);
  const ready = useSessionStore((s) => s.ready);
  const error = useSessionStore((s) => s.error);

  useEffect(() => {
    // Read before the launch flow takes the handle out of the fragment.
    const withPatient = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('pht-patient') === '1';
    // The launch flow asks /api/session first (synchronously, before its first await), so that request is
    // not queued behind the code below on the browser's six connections to the app server.
    void runLaunchFlow({
      port: browserLaunchPort(),
      url: new URL(window.location.href),
      // A launch with a patient opens on the patient panel: fetch its code alongside the first reads.
      onSession: (session) => session.patientId && preloadView('patient-panel'),
    });
    // The app server says in the fragment that the launch has a patient: the panel's code loads alongside
    // /api/session instead of after it (issue 19 point 1).
    if (withPatient) preloadView('patient-panel');
  }, []);

  if (status === 'ready' && ready) return <AppShell ready={ready} />;
  if (status === 'error') {
    return (
      <>
        <AppHeader user={undefined} />
        <ErrorPage error={error} />
      </>
    );
  }
  return (
    <>
      <AppHeader user={undefined} />
      <main id="main" className="pht-main" tabIndex={-1}>
        <Loading text={phase ? PHASE_TEXT[phase] : 'Starter …'} />
      </main>
    </>
  );
}

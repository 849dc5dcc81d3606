import { Suspense, useCallback, useEffect, useMemo, useState, useTransition } from 'react';
import { Alert, Button, Paragraph, SkipLink } from '@digdir/designsystemet-react';
import type { ReadySession } from '../state/sessionStore';
import { can } from '../fhir/session';
import { describeError } from '../fhir/errors';
import { createPatientOpener } from '../state/patientOpener';
import { AppHeader } from './AppHeader';
import { PatientBanner } from './PatientBanner';
import { MainNavigation } from './MainNavigation';
import { ErrorBoundary } from './ErrorBoundary';
import { Loading } from './Loading';
import { navigationFor, type ViewId } from './navigation';
import { FEATURE_VIEWS, prefetchViewData, preloadView } from './views';
import type { PatientContext } from './featureProps';
import { usePatientAddress } from './usePatientAddress';
import { dropSessionPanel } from '../platform/panelPrefetch';

export function AppShell({ ready }: { ready: ReadySession }) {
  const { session, user, patient: launchPatient, client } = ready;
  // In a practice launch a user may open a patient from a list; in a patient launch never (SPEC §8).
  // The last click wins (issue 12 item 6): src/state/patientOpener.ts drops every earlier open.
  const [opener] = useState(() => createPatientOpener<PatientContext>(client));
  const { opened, error: openError, close } = opener();
  const openPatient = useCallback((patientId: string, context?: PatientContext) => void opener.getState().open(patientId, context), [opener]);
  const patient = launchPatient ?? opened?.patient;
  const address = usePatientAddress(client, patient?.id);
  const hasPatient = patient !== undefined;
  const nav = useMemo(
    () => navigationFor(user.role, hasPatient, (type, interaction) => can(session, type, interaction)),
    [user.role, hasPatient, session],
  );
  const [selected, setSelected] = useState<ViewId | undefined>(undefined);
  // A view chosen in the menu is a transition: the current view stays until the new one's code has
  // loaded, and then shows at once (a Suspense fallback would hold it back ~300 ms, React's reveal throttle).
  const [switching, startSwitch] = useTransition();
  const current = nav.items.find((i) => i.id === selected) ?? nav.items[0];
  const View = current ? FEATURE_VIEWS[current.id] : undefined;

  // A practice launch (no patient) whose menu has the list overview: its code loads once the browser is idle,
  // so the view opens from the stored scan result without waiting for its code (issue 19 point 4). A patient
  // launch never loads it (the nurse's launch loads no other role's code).
  const listInMenu = nav.items.some((i) => i.id === 'list-overview');
  useEffect(() => {
    if (launchPatient || !listInMenu) return;
    if ('requestIdleCallback' in window) {
      const id = window.requestIdleCallback(() => preloadView('list-overview'), { timeout: 5_000 });
      return () => window.cancelIdleCallback(id);
    }
    const id = setTimeout(() => preloadView('list-overview'), 1_000);
    return () => clearTimeout(id);
  }, [launchPatient, listInMenu]);

  // A patient that opens shows the patient panel.
  useEffect(
    () =>
      opener.subscribe((state, before) => {
        if (state.opened && state.opened !== before.opened) setSelected('patient-panel');
      }),
    [opener],
  );
  // Another view chosen: the panel answer the session brought is for the launch view's first paint only.
  const select = (id: ViewId | undefined) => {
    if (id !== 'patient-panel') dropSessionPanel();
    setSelected(id);
  };
  const api = useMemo(() => ({ ...(session.handle ? { handle: session.handle } : {}) }), [session.handle]);
  const choose = (id: ViewId) => {
    if (id !== 'patient-panel') dropSessionPanel();
    preloadView(id);
    prefetchViewData(id, { api, role: user.role });
    startSwitch(() => setSelected(id));
  };
  const closePatient = () => {
    const back = opened?.context?.from;
    void close();
    select(back);
  };

  return (
    <>
      <SkipLink href="#main">Hopp til hovedinnhold</SkipLink>
      <AppHeader user={user} handle={session.handle} />
      {patient && (session.needPatientBanner || opened) && <PatientBanner patient={patient} address={address} />}
      {opened && (
        <div className="pht-opened-patient">
          <Button variant="secondary" data-size="sm" onClick={closePatient}>
            Lukk pasienten
          </Button>
        </div>
      )}
      <MainNavigation items={nav.items} current={current?.id} onSelect={choose} onIntent={preloadView} />
      <main id="main" className="pht-main" tabIndex={-1} aria-busy={switching || undefined}>
        {nav.hidden.length > 0 && (
          <Alert data-color="warning">
            <Paragraph>
              Journalsystemet ga ikke appen tilgang til alt den trenger, så {nav.hidden.map((i) => i.label).join(', ')} vises ikke.
              Be daglig leder om tilgang hvis du trenger det.
            </Paragraph>
          </Alert>
        )}
        {user.role.role === 'viewer' && (
          <Alert data-color="info" data-testid="limited-access">
            <Paragraph>
              Journalsystemet ga appen bare tilgang til denne pasientens data, ikke til hvem du er i teamet. Du ser derfor en
              begrenset visning uten registrering og vurdering. Start appen på nytt fra journalen med full tilgang for å gjøre mer.
            </Paragraph>
          </Alert>
        )}
        {openError && (
          <Alert data-color="danger" role="alert">
            <Paragraph>Kunne ikke åpne pasienten: {describeError(openError).message}</Paragraph>
          </Alert>
        )}
        {View && current ? (
          // The Suspense boundary outside the view's error boundary: it stays across view switches, so a
          // switch in a transition keeps the current view on screen while the next one's code loads.
          <Suspense fallback={<Loading text={`Laster ${current.label.toLowerCase()} …`} />}>
            <ErrorBoundary key={`${current.id}:${patient?.id ?? ''}`} area={current.label}>
              <View
                client={client}
                session={session}
                user={user}
                patient={patient}
                openPatient={launchPatient ? undefined : openPatient}
                patientContext={opened?.context}
              />
            </ErrorBoundary>
          </Suspense>
        ) : (
          nav.hidden.length === 0 && <NothingToShow />
        )}
      </main>
    </>
  );
}

function NothingToShow() {
  return (
    <Paragraph>
      Det er ingen visninger for rollen din uten en pasient. Start appen fra en pasientjournal for å se pasientpanelet.
    </Paragraph>
  );
}

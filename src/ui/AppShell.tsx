import { Suspense, useCallback, useMemo, useState } from 'react';
import { Alert, Button, Paragraph, SkipLink } from '@digdir/designsystemet-react';
import type { ReadySession } from '../state/sessionStore';
import { can } from '../fhir/session';
import { assertBelongsToPatient } from '../fhir/patientGuard';
import { toPatientSummary, type PatientSummary } from '../fhir/sessionContext';
import { describeError } from '../fhir/errors';
import { AppHeader } from './AppHeader';
import { PatientBanner } from './PatientBanner';
import { MainNavigation } from './MainNavigation';
import { ErrorBoundary } from './ErrorBoundary';
import { Loading } from './Loading';
import { navigationFor, type ViewId } from './navigation';
import { FEATURE_VIEWS } from './views';
import type { PatientContext } from './featureProps';

interface Opened {
  patient: PatientSummary;
  context: PatientContext | undefined;
}

export function AppShell({ ready }: { ready: ReadySession }) {
  const { session, user, patient: launchPatient, client } = ready;
  // In a practice launch a user may open a patient from a list; in a patient launch never (SPEC §8).
  const [opened, setOpened] = useState<Opened | undefined>(undefined);
  const [openError, setOpenError] = useState<string | undefined>(undefined);
  const patient = launchPatient ?? opened?.patient;
  const nav = useMemo(
    () => navigationFor(user.role, patient !== undefined, (type, interaction) => can(session, type, interaction)),
    [user.role, patient, session],
  );
  const [selected, setSelected] = useState<ViewId | undefined>(undefined);
  const current = nav.items.find((i) => i.id === selected) ?? nav.items[0];
  const View = current ? FEATURE_VIEWS[current.id] : undefined;

  const openPatient = useCallback(
    (patientId: string, context?: PatientContext) => {
      setOpenError(undefined);
      client
        .read('Patient', patientId)
        .then((p) => {
          setOpened({ patient: toPatientSummary(assertBelongsToPatient(p, patientId)), context });
          setSelected('patient-panel');
        })
        .catch((err: unknown) => setOpenError(describeError(err).message));
    },
    [client],
  );
  const closePatient = () => {
    const back = opened?.context?.from;
    setOpened(undefined);
    setSelected(back);
  };

  return (
    <>
      <SkipLink href="#main">Hopp til hovedinnhold</SkipLink>
      <AppHeader user={user} />
      {patient && (session.needPatientBanner || opened) && <PatientBanner patient={patient} />}
      {opened && (
        <div className="pht-opened-patient">
          <Button variant="secondary" data-size="sm" onClick={closePatient}>
            Lukk pasienten
          </Button>
        </div>
      )}
      <MainNavigation items={nav.items} current={current?.id} onSelect={setSelected} />
      <main id="main" className="pht-main" tabIndex={-1}>
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
            <Paragraph>Kunne ikke åpne pasienten: {openError}</Paragraph>
          </Alert>
        )}
        {View && current ? (
          <ErrorBoundary key={`${current.id}:${patient?.id ?? ''}`} area={current.label}>
            <Suspense fallback={<Loading text={`Laster ${current.label.toLowerCase()} …`} />}>
              <View
                client={client}
                session={session}
                user={user}
                patient={patient}
                openPatient={launchPatient ? undefined : openPatient}
                patientContext={opened?.context}
              />
            </Suspense>
          </ErrorBoundary>
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

import { Suspense, useMemo, useState } from 'react';
import { Alert, Paragraph, SkipLink } from '@digdir/designsystemet-react';
import type { ReadySession } from '../state/sessionStore';
import { can } from '../fhir/session';
import { AppHeader } from './AppHeader';
import { PatientBanner } from './PatientBanner';
import { MainNavigation } from './MainNavigation';
import { ErrorBoundary } from './ErrorBoundary';
import { Loading } from './Loading';
import { navigationFor, type ViewId } from './navigation';
import { FEATURE_VIEWS } from './views';

export function AppShell({ ready }: { ready: ReadySession }) {
  const { session, user, patient, client } = ready;
  const nav = useMemo(
    () => navigationFor(user.role, patient !== undefined, (type, interaction) => can(session, type, interaction)),
    [user.role, patient, session],
  );
  const [selected, setSelected] = useState<ViewId | undefined>(undefined);
  const current = nav.items.find((i) => i.id === selected) ?? nav.items[0];
  const View = current ? FEATURE_VIEWS[current.id] : undefined;

  return (
    <>
      <SkipLink href="#main">Hopp til hovedinnhold</SkipLink>
      <AppHeader user={user} />
      {patient && session.needPatientBanner && <PatientBanner patient={patient} />}
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
        {View && current ? (
          <ErrorBoundary key={current.id} area={current.label}>
            <Suspense fallback={<Loading text={`Laster ${current.label.toLowerCase()} …`} />}>
              <View client={client} session={session} user={user} patient={patient} />
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

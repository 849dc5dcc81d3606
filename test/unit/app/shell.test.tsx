import { expect, test } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { AppShell } from '../../../src/ui/AppShell';
import { ErrorPage } from '../../../src/ui/ErrorPage';
import { LaunchError } from '../../../src/fhir/launch';
import { expiredSessionError } from '../../../src/fhir/errors';
import type { ReadySession } from '../../../src/state/sessionStore';
import type { FhirClient } from '../../../src/fhir/client';
import { createFhirClient } from '../../../src/fhir/client';
import type { Session } from '../../../src/fhir/session';

function ready(overrides: Partial<Session> = {}, role: ReadySession['user']['role'] = { role: 'nurse', practiceManager: false }): ReadySession {
  const session: Session = {
    launchKind: 'ehr',
    fhirBaseUrl: 'http://localhost:8103/fhir',
    accessToken: 'secret-access-token',
    expiresAt: Date.now() + 3600_000,
    grantedScopes: ['user/Patient.rs', 'user/Task.crus', 'user/ChargeItem.crus'],
    requestedScopes: [],
    patientId: 'pat-1',
    needPatientBanner: true,
    ...overrides,
  };
  const client: FhirClient = createFhirClient(session);
  return {
    session,
    client,
    user: { practitionerId: 'n1', name: 'Siri Sykepleier', role },
    patient: { id: 'pat-1', name: 'Kari Nordmann', nationalId: '01019012345', nationalIdKind: 'fnr', birthDate: '1990-01-01' },
  };
}

test('nurse with a patient: banner with name and formatted fnr, role, navigation, landmarks', () => {
  const html = renderToStaticMarkup(<AppShell ready={ready()} />);
  expect(html).toMatch(/data-testid="patient-banner"[\s\S]*Kari Nordmann[\s\S]*010190 12345/);
  expect(html).toMatch(/data-testid="user-role"[^>]*>Sykepleier</);
  expect(html).toContain('<header');
  expect(html).toContain('<nav class="pht-nav" aria-label="Hovedmeny"');
  expect(html).toContain('<main id="main"');
  expect(html).toContain('>Arbeidsliste</button>');
  expect(html).toContain('>Pasient</button>');
  expect(html).not.toContain('secret-access-token');
});

test('need_patient_banner=false hides the banner', () => {
  const html = renderToStaticMarkup(<AppShell ready={ready({ needPatientBanner: false })} />);
  expect(html).not.toContain('data-testid="patient-banner"');
});

test('daglig leder is labelled as such', () => {
  const html = renderToStaticMarkup(<AppShell ready={ready({}, { role: 'gp', practiceManager: true })} />);
  expect(html).toContain('Fastlege · daglig leder');
  expect(html).toContain('>Leder</button>');
});

test.each([
  [new LaunchError('not-launched'), 'Appen er ikke startet fra journalen'],
  [new LaunchError('session-expired'), 'Økten er utløpt'],
  [new LaunchError('logged-out'), 'Du er logget ut'],
  [new LaunchError('server-unreachable'), 'Får ikke kontakt med appserveren'],
  [expiredSessionError(), 'Start appen på nytt fra journalen'],
])('error page for %s says what happened and how to relaunch', (error, text) => {
  const html = renderToStaticMarkup(<ErrorPage error={error} />);
  expect(html).toContain(text);
  expect(html).toContain('role="alert"');
  expect(html).toMatch(/journal/);
});

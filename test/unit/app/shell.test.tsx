// @vitest-environment happy-dom
// The app shell and the error page in a DOM, found by role and label as a user (or a screen reader) would.
import { render, screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import '../../support/dom';
import { readySession, useFakeEhrOnFixedDay } from '../../support/fixedDayEhr';
import { AppShell } from '../../../src/ui/AppShell';
import { ErrorPage } from '../../../src/ui/ErrorPage';
import { LaunchError } from '../../../src/fhir/launch';
import { expiredSessionError } from '../../../src/fhir/errors';

// The views read from the EHR: the shared fake (empty answers) on a fixed day.
useFakeEhrOnFixedDay();

const ready = readySession;

test('nurse with a patient: banner with name and formatted fnr, role, navigation, landmarks', () => {
  const { container } = render(<AppShell ready={ready()} />);
  const banner = screen.getByTestId('patient-banner');
  expect(banner).toHaveTextContent('Kari Nordmann');
  expect(banner).toHaveTextContent('010190 12345'); // fødselsnummer grouped 6 + 5 (GLOSSARY)
  expect(screen.getByTestId('user-role')).toHaveTextContent(/^Sykepleier$/);
  expect(screen.getByRole('banner')).toBeInTheDocument();
  expect(screen.getByRole('main')).toHaveAttribute('id', 'main');
  const nav = screen.getByRole('navigation', { name: 'Hovedmeny' });
  expect(within(nav).getByRole('button', { name: 'Arbeidsliste' })).toBeInTheDocument();
  expect(within(nav).getByRole('button', { name: 'Pasient' })).toBeInTheDocument();
  expect(within(nav).queryByRole('button', { name: 'Leder' })).not.toBeInTheDocument();
  expect(container.innerHTML).not.toContain('secret-access-token');
});

test('need_patient_banner=false hides the banner', () => {
  render(<AppShell ready={ready({ needPatientBanner: false })} />);
  expect(screen.queryByTestId('patient-banner')).not.toBeInTheDocument();
  expect(screen.getByRole('main')).toBeInTheDocument();
});

test('daglig leder is labelled as such and has the manager view', () => {
  render(<AppShell ready={ready({}, { role: 'gp', practiceManager: true })} />);
  expect(screen.getByTestId('user-role')).toHaveTextContent('Fastlege · daglig leder');
  expect(within(screen.getByRole('navigation', { name: 'Hovedmeny' })).getByRole('button', { name: 'Leder' })).toBeInTheDocument();
});

test.each([
  [new LaunchError('not-launched'), 'Appen er ikke startet fra journalen'],
  [new LaunchError('session-expired'), 'Økten er utløpt'],
  [new LaunchError('logged-out'), 'Du er logget ut'],
  [new LaunchError('server-unreachable'), 'Får ikke kontakt med appserveren'],
  [expiredSessionError(), 'Start appen på nytt fra journalen'],
])('error page for %s says what happened and how to relaunch', (error, text) => {
  render(<ErrorPage error={error} />);
  const alert = screen.getByRole('alert');
  expect(alert).toHaveTextContent(text);
  expect(alert).toHaveTextContent(/journal/);
});

// @vitest-environment happy-dom
// The list overview's code in a practice launch (issue 19 point 4): it loads once the browser is idle, so the
// view opens from the stored scan result without waiting for its code; a patient launch never loads it.
import { render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { afterEach, expect, test, vi } from 'vitest';
import '../../support/dom';
import { FIXED_NOW, useFakeEhrOnFixedDay } from '../../support/fixedDayEhr';
import { createFhirClient } from '../../../src/fhir/client';
import type { ReadySession } from '../../../src/state/sessionStore';
import type { Session } from '../../../src/fhir/session';

const preloaded = vi.hoisted(() => [] as string[]);
vi.mock('../../../src/ui/views', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/ui/views')>();
  return { ...actual, preloadView: (id: string) => void preloaded.push(id) };
});
const { AppShell } = await import('../../../src/ui/AppShell');

useFakeEhrOnFixedDay();
afterEach(() => void preloaded.splice(0));

function ready(role: ReadySession['user']['role'], withPatient: boolean): ReadySession {
  const session: Session = {
    launchKind: 'ehr',
    fhirBaseUrl: 'http://localhost:8103/fhir',
    accessToken: 'secret-access-token',
    expiresAt: FIXED_NOW.getTime() + 3600_000,
    grantedScopes: ['user/Patient.rs', 'user/Task.crus', 'user/ChargeItem.crus', 'user/Communication.rs', 'user/DocumentReference.rs'],
    requestedScopes: [],
    needPatientBanner: withPatient,
    ...(withPatient ? { patientId: 'pat-1' } : {}),
  };
  return {
    session,
    client: createFhirClient(session),
    user: { practitionerId: 'x1', name: 'Hege Helsesekretær', role },
    patient: withPatient ? { id: 'pat-1', name: 'Kari Nordmann', nationalId: '01019012345', nationalIdKind: 'fnr', birthDate: '1990-01-01' } : undefined,
  };
}

test('a health secretary launched from the practice: the list overview\'s code loads without a click', async () => {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <AppShell ready={ready({ role: 'secretary', practiceManager: false }, false)} />
    </QueryClientProvider>,
  );
  expect(screen.getByRole('button', { name: 'Listeoversikt' })).toBeInTheDocument();
  await waitFor(() => expect(preloaded).toContain('list-overview'), { timeout: 10_000 });
});

test('a nurse launched with a patient: the list overview\'s code is not loaded', async () => {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <AppShell ready={ready({ role: 'nurse', practiceManager: false }, true)} />
    </QueryClientProvider>,
  );
  // The panel's own code is asked for when it renders (the real loader); wait for the panel to settle.
  await waitFor(() => expect(screen.queryByText('Laster pasient …')).not.toBeInTheDocument(), { timeout: 10_000 });
  expect(preloaded).not.toContain('list-overview');
});

// For component tests of views that read from the EHR: the shared fake EHR (empty answers; an unhandled
// request fails the test) and a fixed day, Wednesday 25 November 2026 09:00 Oslo, instead of the real date
// (only Date is faked, timers run). Call it at the top of a file or a describe block.
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, vi } from 'vitest';
import { createFhirClient } from '../../src/fhir/client';
import type { Session } from '../../src/fhir/session';
import type { ReadySession } from '../../src/state/sessionStore';
import { emptyFhirHandlers } from './fakeEhr';

export const FIXED_NOW = new Date('2026-11-25T09:00:00+01:00');

export function useFakeEhrOnFixedDay(): void {
  const server = setupServer(...emptyFhirHandlers());
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(FIXED_NOW);
    server.listen({ onUnhandledFrame: 'error' });
  });
  afterAll(() => {
    server.close();
    vi.useRealTimers();
  });
}

/** A launched session for the app shell on the fixed day: Siri Sykepleier (nurse) with patient Kari Nordmann by default. */
export function readySession(overrides: Partial<Session> = {}, role: ReadySession['user']['role'] = { role: 'nurse', practiceManager: false }): ReadySession {
  const session: Session = {
    launchKind: 'ehr',
    fhirBaseUrl: 'http://localhost:8103/fhir',
    accessToken: 'secret-access-token',
    expiresAt: FIXED_NOW.getTime() + 3600_000,
    grantedScopes: ['user/Patient.rs', 'user/Task.crus', 'user/ChargeItem.crus'],
    requestedScopes: [],
    patientId: 'pat-1',
    needPatientBanner: true,
    ...overrides,
  };
  return {
    session,
    client: createFhirClient(session),
    user: { practitionerId: 'n1', name: 'Siri Sykepleier', role },
    patient: { id: 'pat-1', name: 'Kari Nordmann', nationalId: '01019012345', nationalIdKind: 'fnr', birthDate: '1990-01-01' },
  };
}

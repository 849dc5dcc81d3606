// The app server as the browser sees it, played by msw: GET /api/session and a few FHIR reads through
// its proxy.
// Deterministic ids; each test overrides only what it is about.
import { http, HttpResponse } from 'msw';
import type { Patient, Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import { SYSTEMS } from '../../../../src/fhir/systems';
import type { LaunchPort } from '../../../../src/fhir/launch';

export const APP_ORIGIN = 'http://localhost:5173';
/** The app server's FHIR proxy: where the browser's client sends everything. */
export const FHIR_BASE = `${APP_ORIGIN}/fhir`;

/** The app server's GET /api/session for handle `h1` (what the browser sees: no token). */
export function appSessionHandler(body: (handle: string) => Record<string, unknown> | undefined, ended = 'idle') {
  return http.get(`${APP_ORIGIN}/api/session`, ({ request }) => {
    const handle = request.headers.get('x-pht-handle') ?? '';
    const json = body(handle);
    if (!json) return HttpResponse.json({ resourceType: 'OperationOutcome', issue: [] }, { status: 401, headers: { 'x-pht-session-ended': ended } });
    return HttpResponse.json(json);
  });
}

export function appSessionBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    launchKind: 'ehr',
    fhirBaseUrl: FHIR_BASE,
    fhirUser: 'Practitioner/nurse-1',
    patient: 'pat-1',
    encounter: null,
    needPatientBanner: true,
    grantedScopes: ['launch', 'openid', 'fhirUser', 'user/Patient.rs', 'user/Task.crus', 'user/PractitionerRole.rs', 'user/Practitioner.rs'],
    requestedScopes: ['launch', 'openid', 'fhirUser', 'user/Patient.rs'],
    expiresAt: Date.now() + 3_600_000,
    ...overrides,
  };
}

export interface RecordingPort extends LaunchPort {
  replaced: string[];
  stored: Map<string, string>;
}

export function recordingPort(now = Date.now()): RecordingPort {
  const replaced: string[] = [];
  const stored = new Map<string, string>();
  return {
    storage: {
      getItem: (k) => stored.get(k) ?? null,
      setItem: (k, v) => void stored.set(k, v),
      removeItem: (k) => void stored.delete(k),
    },
    // The browser resolves /api/session against the page's origin.
    fetch: (input, init) => fetch(new URL(String(input), APP_ORIGIN), init),
    replaceUrl: (path) => void replaced.push(path),
    now: () => now,
    replaced,
    stored,
  };
}

export function patient(id = 'pat-1', fnr = '01019012345'): Patient {
  return {
    resourceType: 'Patient',
    id,
    identifier: [{ system: SYSTEMS.fnr, value: fnr }],
    name: [{ use: 'official', family: 'Nordmann', given: ['Kari'] }],
    birthDate: '1990-01-01',
  };
}

export function practitioner(id: string, given = 'Siri', family = 'Sykepleier'): Practitioner {
  return { resourceType: 'Practitioner', id, name: [{ given: [given], family }] };
}

export function practitionerRole(practitionerId: string, category: string, extraCodes: { system: string; code: string }[] = []): PractitionerRole {
  return {
    resourceType: 'PractitionerRole',
    id: `role-${practitionerId}-${category}`,
    active: true,
    practitioner: { reference: `Practitioner/${practitionerId}` },
    code: [{ coding: [{ system: SYSTEMS.healthPersonnelCategory, code: category }] }, ...extraCodes.map((c) => ({ coding: [c] }))],
  };
}

export function searchset<T>(resources: T[], next?: string) {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    link: next ? [{ relation: 'next', url: next }] : [],
    entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
  };
}

// A fake EHR for unit tests, played by msw: SMART discovery, token endpoint and a few FHIR reads.
// Deterministic ids; each test overrides only what it is about.
import { createHash } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import type { Patient, Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import { SYSTEMS } from '../../src/fhir/systems';
import { memoryStorage, type LaunchPort } from '../../src/fhir/launch';

export const EHR = 'http://localhost:8103';
export const FHIR_BASE = `${EHR}/fhir`;
export const APP_ORIGIN = 'http://localhost:5173';

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export function smartConfiguration(overrides: Record<string, unknown> = {}) {
  return {
    authorization_endpoint: `${EHR}/auth/authorize`,
    token_endpoint: `${EHR}/auth/token`,
    code_challenge_methods_supported: ['S256'],
    capabilities: ['launch-ehr', 'launch-standalone', 'client-public', 'context-ehr-patient'],
    ...overrides,
  };
}

export function discoveryHandler(config: Record<string, unknown> = smartConfiguration()) {
  return http.get(`${FHIR_BASE}/.well-known/smart-configuration`, () => HttpResponse.json(config));
}

export interface TokenRequestLog {
  form: URLSearchParams[];
}

/**
 * Token endpoint that checks PKCE like a real server: `challenges` maps each issued code to the
 * code_challenge the authorize request carried.
 */
export function tokenHandler(
  challenges: Map<string, string>,
  body: (code: string) => Record<string, unknown>,
  log: TokenRequestLog = { form: [] },
) {
  return http.post(`${EHR}/auth/token`, async ({ request }) => {
    const form = new URLSearchParams(await request.text());
    log.form.push(form);
    const code = form.get('code') ?? '';
    const verifier = form.get('code_verifier') ?? '';
    if (form.get('grant_type') !== 'authorization_code' || challenges.get(code) !== s256(verifier)) {
      return HttpResponse.json({ error: 'invalid_grant' }, { status: 400 });
    }
    challenges.delete(code);
    return HttpResponse.json(body(code), { headers: { 'cache-control': 'no-store' } });
  });
}

export function tokenBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    access_token: 'secret-access-token',
    token_type: 'Bearer',
    expires_in: 3600,
    scope: 'launch openid fhirUser user/Patient.rs user/Task.crus user/PractitionerRole.rs user/Practitioner.rs',
    patient: 'pat-1',
    need_patient_banner: true,
    fhirUser: `${FHIR_BASE}/Practitioner/nurse-1`,
    ...overrides,
  };
}

export interface RecordingPort extends LaunchPort {
  redirects: string[];
  replaced: string[];
}

export function recordingPort(now = Date.UTC(2026, 10, 23, 9, 0, 0)): RecordingPort {
  const redirects: string[] = [];
  const replaced: string[] = [];
  return {
    storage: memoryStorage(),
    fetch: (input, init) => fetch(input, init),
    redirect: (url) => void redirects.push(url),
    replaceUrl: (path) => void replaced.push(path),
    now: () => now,
    redirects,
    replaced,
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

/**
 * The fake EHR's FHIR API for whatever a test does not script: every search finds nothing and every read is
 * 404 with an OperationOutcome. Register after the handlers a test cares about (msw uses the first match).
 */
export function emptyFhirHandlers() {
  return [
    http.get(`${FHIR_BASE}/:type`, () => HttpResponse.json(searchset([]))),
    http.get(`${FHIR_BASE}/:type/:id`, ({ params }) =>
      HttpResponse.json(
        { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found', diagnostics: `${String(params.type)}/${String(params.id)} finnes ikke` }] },
        { status: 404 },
      ),
    ),
  ];
}

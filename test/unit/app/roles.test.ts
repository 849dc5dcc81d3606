import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import type { PractitionerRole } from '@medplum/fhirtypes';
import { detectCurrentUser, roleFromPractitionerRoles, roleLabel, UnknownRoleError, type UserRole } from '../../../src/fhir/roles';
import { createFhirClient } from '../../../src/fhir/client';
import { SYSTEMS } from '../../../src/fhir/systems';
import { FHIR_BASE, practitioner, practitionerRole, searchset } from '../../support/fakeEhr';

const manager = { system: SYSTEMS.teamRole, code: 'practice-manager' };

describe('roleFromPractitionerRoles', () => {
  const cases: [string, PractitionerRole[], UserRole | undefined][] = [
    ['LE is a GP', [practitionerRole('p', 'LE')], { role: 'gp', practiceManager: false }],
    ['SP is a nurse', [practitionerRole('p', 'SP')], { role: 'nurse', practiceManager: false }],
    ['HE is a secretary', [practitionerRole('p', 'HE')], { role: 'secretary', practiceManager: false }],
    ['LE + practice-manager is daglig leder', [practitionerRole('p', 'LE', [manager])], { role: 'gp', practiceManager: true }],
    [
      'the manager code may sit on another PractitionerRole',
      [practitionerRole('p', 'LE'), { ...practitionerRole('p', 'XX', [manager]), id: 'mgr' }],
      { role: 'gp', practiceManager: true },
    ],
    ['practice-manager on a nurse does not open the manager views', [practitionerRole('p', 'SP', [manager])], { role: 'nurse', practiceManager: false }],
    ['LE and SP together: the GP role wins', [practitionerRole('p', 'SP'), practitionerRole('p', 'LE')], { role: 'gp', practiceManager: false }],
    ['codes are trimmed and case-insensitive', [practitionerRole('p', ' sp ')], { role: 'nurse', practiceManager: false }],
    ['an inactive role does not count', [{ ...practitionerRole('p', 'LE'), active: false }], undefined],
    ['an unknown category is no role', [practitionerRole('p', 'FT')], undefined],
    ['LE in another code system is no role', [{ ...practitionerRole('p', 'LE'), code: [{ coding: [{ system: 'http://other', code: 'LE' }] }] }], undefined],
    ['no roles', [], undefined],
  ];
  test.each(cases)('%s', (_name, roles, expected) => {
    expect(roleFromPractitionerRoles(roles)).toEqual(expected);
  });
});

test.each([
  [{ role: 'gp', practiceManager: false }, 'Fastlege'],
  [{ role: 'gp', practiceManager: true }, 'Fastlege · daglig leder'],
  [{ role: 'nurse', practiceManager: false }, 'Sykepleier'],
  [{ role: 'secretary', practiceManager: false }, 'Helsesekretær'],
] satisfies [UserRole, string][])('roleLabel %j = %s', (role, label) => {
  expect(roleLabel(role)).toBe(label);
});

describe('detectCurrentUser', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  const client = () =>
    createFhirClient({
      launchKind: 'ehr',
      fhirBaseUrl: FHIR_BASE,
      accessToken: 't',
      expiresAt: Date.now() + 3600_000,
      grantedScopes: [],
      requestedScopes: [],
      needPatientBanner: true,
    });

  test('reads the Practitioner and their roles', async () => {
    server.use(
      http.get(`${FHIR_BASE}/Practitioner/gp-1`, () => HttpResponse.json(practitioner('gp-1', 'Geir', 'Lege'))),
      http.get(`${FHIR_BASE}/PractitionerRole`, ({ request }) => {
        expect(new URL(request.url).searchParams.get('practitioner')).toBe('Practitioner/gp-1');
        return HttpResponse.json(searchset([practitionerRole('gp-1', 'LE', [manager]), practitionerRole('someone-else', 'HE')]));
      }),
    );
    const user = await detectCurrentUser(client(), 'Practitioner/gp-1');
    expect(user).toEqual({ practitionerId: 'gp-1', name: 'Geir Lege', role: { role: 'gp', practiceManager: true } });
  });

  test('an unknown role is a clear error', async () => {
    server.use(
      http.get(`${FHIR_BASE}/Practitioner/x`, () => HttpResponse.json(practitioner('x'))),
      http.get(`${FHIR_BASE}/PractitionerRole`, () => HttpResponse.json(searchset([]))),
    );
    const error = await detectCurrentUser(client(), 'Practitioner/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownRoleError);
    expect(error instanceof UnknownRoleError && error.userMessage).toContain('fastlege, sykepleier eller helsesekretær');
  });

  test.each([undefined, 'Patient/pat-1', 'RelatedPerson/r1'])('fhirUser %s is not a team member', async (fhirUser) => {
    await expect(detectCurrentUser(client(), fhirUser)).rejects.toBeInstanceOf(UnknownRoleError);
  });
});

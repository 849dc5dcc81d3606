// The reads the browser used to make through the /fhir proxy, now made by the app server by capability
// (issue 16 leftovers): the co-payment facts (Patient + Coverage), the follow-up patient displays
// (Patient + RelatedPerson) and the manager's population (Patient + the indicators' fact types). On the
// narrow EPJ nothing it does not offer is asked for, and what it cannot give is said, not read as "none".
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Coverage, RelatedPerson } from '@medplum/fhirtypes';
import { readLoadBundle } from '../../sandbox/loader';
import { readPlan, parseCapabilityStatement, type ReadPlan } from '../../server/epj/capabilities';
import { readCopayFacts } from '../../server/epj/copayFacts';
import { readPatientDisplays } from '../../server/epj/patientDisplays';
import { readPopulation } from '../../server/epj/population';
import { openDatabase, type AppDatabase } from '../../server/db/database';
import { contactCopayRoutes } from '../../server/features/contact-copay/routes';
import { freshDatabase, type TestDatabase } from '../support/database';
import { ACTORS } from '../support/copayApi';
import { GRANTS, startFhir, type Started } from './sandbox-http';

const FAR_FUTURE = 4_102_444_800;
GRANTS.reads = { kind: 'backend', clientId: 'app-server', scopes: ['system/*.rs'], expiresAt: FAR_FUTURE };
const AS_OF = '2026-11-25';

function getter(seen: string[] = []) {
  return (url: URL) => {
    seen.push(`${url.pathname.slice(url.pathname.indexOf('/fhir') + 5)}${url.search}`);
    return fetch(url, { headers: { accept: 'application/fhir+json', authorization: 'Bearer reads' } });
  };
}

const frikort: Coverage = {
  resourceType: 'Coverage',
  id: 'cov-a03',
  status: 'active',
  beneficiary: { reference: 'Patient/pat-a03' },
  payor: [{ display: 'Helfo' }],
  type: { coding: [{ system: 'urn:oid:2.16.578.1.12.4.1.1.7461', code: 'F' }] },
  period: { start: '2026-06-01', end: '2026-12-31' },
};
const daughter: RelatedPerson = {
  resourceType: 'RelatedPerson',
  id: 'rp-a03',
  patient: { reference: 'Patient/pat-a03' },
  name: [{ given: ['Eva'], family: 'Datter' }],
  relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'DAU' }] }],
  telecom: [{ system: 'phone', value: '+47 900 00 003' }],
};

let s: Started;
async function planOf(): Promise<ReadPlan> {
  return readPlan(parseCapabilityStatement(await (await fetch(`${s.base}/metadata`)).json()));
}
beforeAll(async () => {
  s = await startFhir();
  await s.fhir.store.bulkLoad([...readLoadBundle('test/fixtures/epj-shaped.json'), frikort, daughter]);
}, 60_000);
afterAll(() => s?.stop());

describe.each(['full', 'narrow'] as const)('the %s EPJ', (profile) => {
  beforeAll(() => s.fhir.setProfile({ name: profile, optional: [] }));

  test('co-payment facts: the frikort from Coverage, or «unknown, not available» without Coverage', async () => {
    const seen: string[] = [];
    const facts = await readCopayFacts(getter(seen), s.base, 'pat-a03', await planOf());
    // pat-a03's birth date in the fixture; frikort F from 01.06.2026 to 31.12.2026 (the Coverage above).
    expect(facts?.birthDate).toBe('1966-03-03');
    if (profile === 'full') {
      expect(facts).toMatchObject({ exemptionsKnown: true, exemptions: [{ code: 'F', from: '2026-06-01', to: '2026-12-31' }] });
    } else {
      expect(facts).toEqual({ birthDate: '1966-03-03', exemptions: [], exemptionsKnown: false, unknownReason: 'not-available' });
      expect(seen.some((u) => u.startsWith('/Coverage'))).toBe(false);
    }
    expect(await readCopayFacts(getter(), s.base, 'no-such-patient', await planOf())).toBeUndefined();
  });

  test('patient displays: next of kin from RelatedPerson only where the EPJ gives it', async () => {
    const seen: string[] = [];
    const read = await readPatientDisplays(getter(seen), s.base, ['pat-a03', 'pat-a14'], await planOf());
    expect(read.patients.map((p) => p.id).sort()).toEqual(['pat-a03', 'pat-a14']);
    const a03 = read.patients.find((p) => p.id === 'pat-a03');
    expect(read.nextOfKinFromPatientOnly).toBe(profile === 'narrow');
    expect(a03?.nextOfKin).toEqual(profile === 'full' ? [{ name: 'Eva Datter', relationship: 'datter', phone: '+47 900 00 003' }] : []);
    expect(seen.some((u) => u.startsWith('/RelatedPerson'))).toBe(profile === 'full');
  });

  test('the manager population: the practice\'s patients, and only the fact types the EPJ offers', async () => {
    const seen: string[] = [];
    const pop = await readPopulation(getter(seen), s.base, 'Organization/org-practice', AS_OF, await planOf());
    // pat-a14 has no managingOrganization (EXPECTED: «fastlege ukjent»): not on the practice's list.
    expect(pop.members.map((m) => m.id)).not.toContain('pat-a14');
    expect(pop.members.map((m) => m.id)).toContain('pat-a09');
    const a09 = pop.members.find((m) => m.id === 'pat-a09');
    // pat-a09: 4 ATC in MedicationStatement (full); the narrow EPJ has no medication list.
    expect(a09?.facts.medications.length).toBe(profile === 'full' ? 4 : 0);
    const types = [...new Set(seen.map((u) => u.split('?')[0]))].sort();
    expect(types).toEqual(profile === 'full' ? ['/CarePlan', '/Condition', '/MedicationRequest', '/MedicationStatement', '/Patient', '/Procedure'] : ['/Condition', '/Patient']);
    expect([...pop.unavailable].sort()).toEqual(profile === 'full' ? [] : ['carePlans', 'frailtyScores', 'livesInInstitution', 'medicationReviews', 'medications']);
  });
});

describe('GET /api/contact-copay/patients/:id/copay-facts (the route the contact form calls)', () => {
  let fresh: TestDatabase;
  let db: AppDatabase;
  beforeAll(async () => {
    s.fhir.setProfile({ name: 'narrow', optional: [] });
    fresh = await freshDatabase('PGlite');
    db = await openDatabase(fresh.config);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await fresh?.cleanup();
  });
  const routes = () =>
    contactCopayRoutes({
      db: db.db,
      now: () => Date.parse('2026-11-25T08:00:00Z'),
      actor: async (c) => {
        const who = ACTORS[c.req.header('x-test-actor') ?? ''];
        return who ? { actor: who } : { response: c.json({ error: 'Økten er utløpt' }, 401) };
      },
      launchOf: async () => ({ iss: s.base, chargeItems: false, gpChargesVisible: false }),
      epj: async () => ({ iss: s.base, get: getter(), plan: planOf }),
    });
  const get = (who: string, patient: string) => routes().request(`/patients/${patient}/copay-facts`, { headers: { 'x-test-actor': who } });

  test('the nurse gets the facts, «not available» on the narrow EPJ', async () => {
    const res = await get('nurse', 'pat-a03');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ birthDate: '1966-03-03', exemptions: [], exemptionsKnown: false, unknownReason: 'not-available' });
  });
  test('the secretary may not; a bad id is a 400 naming the field; an unknown patient a 404', async () => {
    const refused = await get('secretary', 'pat-a03');
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toBe('Du har ikke tilgang til pasientens egenandelsfritak.');
    const bad = await get('nurse', 'pat%20a03');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'patientId' });
    expect((await get('gp', 'no-such-patient')).status).toBe(404);
  });
});

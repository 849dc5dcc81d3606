// The EPJ-shaped acceptance set (issue 16 item 5): test/fixtures/epj-shaped.json loaded into the sandbox
// with the loader (`npm run sandbox -- --load FILE` does the same), read back over FHIR, then the mappers
// and the rules, compared per patient with results written by hand from SPEC §3-§4, for the full EPJ and
// for the narrow one (which reads only Patient, Practitioner(Role), Organization, Encounter, Condition).
// EXPECTED (test/fixtures/epj-shaped.expected.ts) is shared with the browser test per role.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Bundle, Patient, Resource } from '@medplum/fhirtypes';
import { startSandbox, type Sandbox } from '../../sandbox/app';
import { BundleLoadError, parseLoadBundle, readLoadBundle } from '../../sandbox/loader';
import { toPatientFacts } from '../../src/fhir/mappers/patientFacts';
import { listingOf } from '../../src/fhir/mappers/listing';
import { detectDischarges } from '../../src/fhir/discharges';
import { createClassifier, DEFAULT_RULE_SET } from '../../src/domain/targetGroups';
import { EXPECTED } from '../fixtures/epj-shaped.expected';
import { capabilityReport, parseCapabilityStatement } from '../../server/epj/capabilities';

const FIXTURE = 'test/fixtures/epj-shaped.json';
const AS_OF = '2026-11-25';
const classify = createClassifier(DEFAULT_RULE_SET);

const NARROW_TYPES = new Set(['Patient', 'Practitioner', 'PractitionerRole', 'Organization', 'Encounter', 'Condition']);

let sandbox: Sandbox;
let resources: Resource[];
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, asOf: AS_OF, load: readLoadBundle(FIXTURE) });
  const types = ['Patient', 'Condition', 'MedicationStatement', 'Observation', 'Encounter', 'DocumentReference', 'Communication', 'PractitionerRole', 'Organization'] as const;
  resources = (await Promise.all(types.map((t) => sandbox.fhir.store.search(t, {})))).flat();
}, 60_000);
afterAll(async () => {
  await sandbox?.close();
});

function related(patientId: string, narrow: boolean): Resource[] {
  return resources.filter((r) => r.resourceType !== 'Patient' && (!narrow || NARROW_TYPES.has(r.resourceType)) && JSON.stringify((r as { subject?: unknown }).subject ?? null).includes(`Patient/${patientId}`));
}

describe('EPJ-shaped acceptance set', () => {
  test('the loader loaded every patient and nothing of the seed', () => {
    expect(sandbox.seeded?.patients).toBe(16);
    expect(resources.filter((r) => r.resourceType === 'Patient').map((p) => p.id).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  const narrowCaps = () => capabilityReport(parseCapabilityStatement(JSON.parse(JSON.stringify(sandboxStatement()))));
  function sandboxStatement() {
    return { resourceType: 'CapabilityStatement', rest: [{ mode: 'server', resource: [...NARROW_TYPES].map((type) => ({ type, interaction: [{ code: 'read' }, { code: 'search-type' }] })) }] };
  }

  test.each(Object.entries(EXPECTED))('%s: %j', (id, expected) => {
    const patient = resources.find((r) => r.resourceType === 'Patient' && r.id === id) as Patient;
    const roles = resources.filter((r) => r.resourceType === 'PractitionerRole');
    const listing = listingOf(patient, roles as never, 'org-practice');
    expect(listing.notes.includes('fastlege ukjent')).toBe(expected.gpUnknown === true);
    const ctx = { practiceOrgId: listing.practiceOrgId ?? '', asOf: AS_OF };

    const full = classify(toPatientFacts(patient, related(id, false), ctx).facts, AS_OF);
    expect(full.groups).toEqual(expected.groups);
    expect(full.weakDemander).toBe(expected.weakDemander === true);

    const narrow = classify(toPatientFacts(patient, related(id, true), ctx).facts, AS_OF, { unavailable: narrowCaps().unavailableFacts });
    expect(narrow.groups).toEqual(expected.narrowGroups);
    const rules = (narrow.unchecked ?? []).filter((u) => u.group !== undefined || u.criterion === 'home-dwelling.lives-in-institution');
    expect(rules.map((u) => u.criterion)).toEqual(expected.narrowUnchecked ?? []);
  });

  test('discharges: the text-only Communication and the undated epikrise are episodes, never dropped', () => {
    const messages = resources.filter((r) => r.resourceType === 'Communication' || r.resourceType === 'DocumentReference' || r.resourceType === 'Organization');
    const { episodes } = detectDischarges(messages, { practiceOrgIds: ['org-practice'], today: AS_OF });
    const of = (patient: string) => episodes.find((e) => e.patientId === patient);
    expect(of('pat-a11')).toMatchObject({ effectiveDate: '2026-11-20', deadline: '2026-11-25', institution: { name: 'Oslo universitetssykehus HF' } });
    expect(of('pat-a11')?.dischargeDate).toBeUndefined();
    expect(of('pat-a11')?.warnings).toContain('utskrivningsdato mangler: dato fra meldingen (20.11.2026) er brukt, og fristen må bekreftes');
    expect(of('pat-a12')).toMatchObject({ dischargeDate: '2026-11-18', deadline: '2026-11-23' });
    expect(of('pat-a13')).toBeDefined();
    expect(of('pat-a13')?.dischargeDate).toBeUndefined();
  });
});

describe('the loader refuses a malformed bundle with the entry index and field, and loads nothing', () => {
  const good = readLoadBundle(FIXTURE);
  const raw = (): Bundle => JSON.parse(JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: good.map((r) => ({ resource: r, request: { method: 'PUT', url: `${r.resourceType}/${r.id}` } })) }));
  test.each([
    ['a patient with an invalid birth date', (b: Bundle) => ((b.entry![20]!.resource as Patient).birthDate = '1938-13-45'), 'Bundle.entry[20].resource.birthDate'],
    ['an entry without request', (b: Bundle) => delete b.entry![5]!.request, 'Bundle.entry[5].request: mangler (method og url)'],
    ['PUT url that does not match the resource', (b: Bundle) => (b.entry![3]!.request!.url = 'Patient/x'), 'Bundle.entry[3].request.url'],
    ['the same resource twice', (b: Bundle) => b.entry!.push(b.entry![0]!), `Bundle.entry[${good.length}].request.url: Organization/org-practice finnes to ganger i bunten`],
    ['a batch, not a transaction', (b: Bundle) => (b.type = 'batch'), 'Bundle.type: må være «transaction», ikke "batch"'],
    ['a DELETE', (b: Bundle) => (b.entry![2]!.request!.method = 'DELETE'), 'Bundle.entry[2].request.method'],
  ] as [string, (b: Bundle) => void, string][])('%s', async (_name, breakIt, message) => {
    const bundle = raw();
    breakIt(bundle);
    let error: unknown;
    try {
      parseLoadBundle(bundle);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BundleLoadError);
    expect((error as Error).message).toContain(message);
  });

  test('nothing reaches the store: a sandbox started after a refused bundle has no patients from it', async () => {
    const bundle = raw();
    (bundle.entry![20]!.resource as Patient).birthDate = 'nope';
    expect(() => parseLoadBundle(bundle)).toThrow(BundleLoadError);
    // The loader runs before the sandbox starts (sandbox/main.ts), so a refusal leaves the store untouched.
    const empty = await startSandbox({ port: 0, asOf: AS_OF, load: [] });
    try {
      expect(empty.fhir.store.count('Patient')).toBe(0);
    } finally {
      await empty.close();
    }
  });
});

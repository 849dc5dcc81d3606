// Population scan against the shared fake EPJ (test/support/fakeEpj.ts): grouping by patient, data issues that never stop
// a scan, and the idempotent flag diff (re-scan writes nothing new; a flag that no longer applies is closed).
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Resource } from '@medplum/fhirtypes';
import { FHIR_BASE } from '../../support/fakeEhr';
import { FakeEpj } from '../../support/fakeEpj';
import { createFhirClient } from '../../../src/fhir/client';
import { buildTargetGroupAssessment } from '../../../src/fhir/builders/assessment';
import { reference } from '../../../src/fhir/builders/common';
import { scanPopulation } from '../../../src/fhir/population';
import type { Session } from '../../../src/fhir/session';
import { SYSTEMS } from '../../../src/fhir/systems';

const AS_OF = '2026-03-10';
const ICPC = SYSTEMS.icpc2;

function patient(id: string, birthDate: string) {
  return {
    resourceType: 'Patient' as const,
    id,
    name: [{ given: ['Test'], family: id }],
    birthDate,
    generalPractitioner: [{ reference: 'Practitioner/gp-1' }],
    managingOrganization: { reference: 'Organization/org-1' },
  };
}

function condition(id: string, patientId: string, code?: string): Resource {
  return {
    resourceType: 'Condition',
    id,
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    code: code ? { coding: [{ system: ICPC, code }] } : { text: 'uten kode' },
    subject: { reference: `Patient/${patientId}` },
  };
}

function seed(): Resource[] {
  return [
    { resourceType: 'PractitionerRole', id: 'r1', practitioner: { reference: 'Practitioner/gp-1', display: 'Kari Nordmann' }, organization: { reference: 'Organization/org-1' }, code: [{ coding: [{ system: SYSTEMS.healthPersonnelCategory, code: 'LE' }] }] },
    patient('p1', '1935-01-01'), // 91: frail-elderly, no contact -> weak demander
    patient('p2', '1960-05-05'), // diabetes + KOLS: chronic
    patient('p3', '1990-01-01'), // a condition without code: data issue, no group
    condition('c1', 'p2', 'T90'),
    condition('c2', 'p2', 'R95'),
    condition('c3', 'p3'),
    { resourceType: 'Encounter', id: 'e1', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'Patient/p2' }, serviceProvider: { reference: 'Organization/org-1' }, period: { start: '2026-02-01T10:00:00+01:00' } },
  ];
}

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const session: Session = {
  launchKind: 'standalone',
  fhirBaseUrl: FHIR_BASE,
  accessToken: 't',
  expiresAt: Number.MAX_SAFE_INTEGER,
  grantedScopes: [],
  requestedScopes: [],
  needPatientBanner: false,
};

/** The shared fake EPJ (test/support/fakeEpj.ts) with these resources, and the app's real client to it. */
function fakeClient(resources: Resource[]) {
  const epj = new FakeEpj(resources);
  // A resource the server returns with a broken subject, whatever was asked: skipped, the scan goes on.
  epj.strays.push({ resourceType: 'Observation', id: 'o-bad', status: 'final', code: { text: 'x' }, subject: { reference: '???' } });
  server.use(...epj.handlers());
  const client = createFhirClient(session, { sleep: async () => undefined });
  return { client, epj, transactions: () => epj.requests.filter((r) => r === 'POST /') };
}

/** The query of the first search of a type, as the EPJ received it. */
function firstSearch(epj: FakeEpj, type: string): Record<string, string> {
  const request = epj.requests.find((r) => r.startsWith(`GET ${type}?`));
  return Object.fromEntries(new URLSearchParams(request?.slice(request.indexOf('?') + 1)));
}

const flagsOf = (epj: FakeEpj) => epj.all('Flag');

describe('scanPopulation', () => {
  test('groups facts by patient, reports issues and skipped resources, writes one flag per group', async () => {
    const { client, epj } = fakeClient(seed());
    const phases = new Set<string>();
    const result = await scanPopulation(client, { kind: 'gp', gpId: 'gp-1' }, { userId: 'gp-1', asOf: AS_OF, onProgress: (p) => phases.add(p.phase) });
    expect([...phases]).toEqual(['patients', 'facts', 'classify', 'flags', 'done']);
    const byId = new Map(result.rows.map((r) => [r.patientId, r]));
    expect(byId.get('p1')).toMatchObject({ groups: [{ group: 'frail-elderly', confirmed: false }], weakDemander: true, age: 91, gpName: 'Kari Nordmann' });
    expect(byId.get('p2')).toMatchObject({ groups: [{ group: 'chronic', confirmed: false }], weakDemander: false, needsCarePlan: true });
    expect(byId.get('p2')?.reasons[0]?.evidence.join(' ')).toContain('T90');
    expect(byId.get('p3')?.groups).toEqual([]);
    expect(result.issues.find((i) => i.patientId === 'p3')?.issues[0]).toMatchObject({ resourceType: 'Condition', id: 'c3' });
    expect(result.skipped).toEqual([{ resourceType: 'Observation', id: 'o-bad', message: 'Mangler lesbar pasientreferanse; ikke brukt.' }]);
    expect(result.flags).toMatchObject({ created: 2, updated: 0, closed: 0, unchanged: 0, failed: 0 });
    expect(flagsOf(epj).map((f) => f.identifier?.[0]?.value).sort()).toEqual(['p1|frail-elderly', 'p2|chronic']);
  });

  test('a discharge that came only as a message or a discharge summary counts (SPEC §4), read narrowed to discharges', async () => {
    const store: Resource[] = [
      ...seed(),
      patient('p4', '1946-01-01'), // 80, discharged: frail-elderly
      patient('p5', '1946-01-01'), // 80, discharged: frail-elderly
      patient('p6', '1946-01-01'), // 80, another kind of document: no group
      { resourceType: 'Communication', id: 'm1', status: 'completed', category: [{ coding: [{ code: 'epikrise' }] }], subject: { reference: 'Patient/p4' }, sent: '2026-02-20T10:00:00+01:00' },
      {
        resourceType: 'DocumentReference',
        id: 'd1',
        status: 'current',
        type: { coding: [{ system: SYSTEMS.loinc, code: '18842-5' }] },
        subject: { reference: 'Patient/p5' },
        date: '2026-01-05',
        context: { period: { end: '2026-01-04' } },
        content: [{ attachment: { title: 'Epikrise' } }],
      },
      { resourceType: 'DocumentReference', id: 'd2', status: 'current', type: { coding: [{ system: SYSTEMS.loinc, code: '11506-3' }] }, subject: { reference: 'Patient/p6' }, date: '2026-01-05', content: [{ attachment: { title: 'Notat' } }] },
    ];
    const { client, epj } = fakeClient(store);
    const result = await scanPopulation(client, { kind: 'gp', gpId: 'gp-1' }, { userId: 'gp-1', asOf: AS_OF, writeFlags: false });
    const byId = new Map(result.rows.map((r) => [r.patientId, r]));
    expect(byId.get('p4')?.groups).toEqual([{ group: 'frail-elderly', confirmed: false }]);
    expect(byId.get('p4')?.reasons[0]?.evidence.join(' ')).toContain('Utskrevet 20.02.2026');
    expect(byId.get('p5')?.reasons[0]?.evidence.join(' ')).toContain('Utskrevet 04.01.2026');
    expect(byId.get('p6')?.groups).toEqual([]);
    // The message has no discharge date of its own: its date is used, and said so.
    expect(result.issues.find((i) => i.patientId === 'p4')?.issues).toMatchObject([{ resourceType: 'Communication', id: 'm1', field: 'sent' }]);
    expect(firstSearch(epj, 'DocumentReference')).toMatchObject({ type: `${SYSTEMS.loinc}|18842-5`, date: 'ge2025-02-03', patient: expect.stringContaining('Patient/p4') });
    expect(firstSearch(epj, 'Communication')).toMatchObject({ category: expect.stringContaining('epikrise'), sent: 'ge2025-02-03' });
  });

  test('a re-scan of an unchanged list writes nothing', async () => {
    const { client, epj, transactions } = fakeClient(seed());
    await scanPopulation(client, { kind: 'practice' }, { userId: 'gp-1', asOf: AS_OF });
    const again = await scanPopulation(client, { kind: 'practice' }, { userId: 'gp-1', asOf: AS_OF });
    expect(again.flags).toMatchObject({ created: 0, updated: 0, closed: 0, unchanged: 2 });
    expect(transactions()).toHaveLength(1);
    expect(flagsOf(epj)).toHaveLength(2);
  });

  test('the team decides: a rejected group is closed (inactive, period.end), a confirmed one updated', async () => {
    const { client, epj } = fakeClient(seed());
    await scanPopulation(client, { kind: 'gp', gpId: 'gp-1' }, { userId: 'gp-1', asOf: AS_OF });
    const gp = reference('Practitioner', 'gp-1');
    epj.put({ ...buildTargetGroupAssessment({ patientId: 'p1', group: 'frail-elderly', include: false, note: 'Klarer seg godt', recorder: gp, performed: '2026-03-10T09:00:00Z' }), id: 'a1' });
    epj.put({ ...buildTargetGroupAssessment({ patientId: 'p2', group: 'chronic', include: true, note: 'Trenger tett oppfølging', recorder: gp, performed: '2026-03-10T09:00:00Z' }), id: 'a2' });
    const result = await scanPopulation(client, { kind: 'gp', gpId: 'gp-1' }, { userId: 'gp-1', asOf: AS_OF });
    expect(result.flags).toMatchObject({ created: 0, updated: 1, closed: 1, unchanged: 0 });
    const flags = flagsOf(epj);
    expect(flags).toHaveLength(2);
    const p1 = flags.find((f) => f.identifier?.[0]?.value === 'p1|frail-elderly');
    expect(p1).toMatchObject({ status: 'inactive', period: { start: AS_OF, end: AS_OF } });
    expect(result.rows.find((r) => r.patientId === 'p2')?.groups).toEqual([{ group: 'chronic', confirmed: true }]);
    const third = await scanPopulation(client, { kind: 'gp', gpId: 'gp-1' }, { userId: 'gp-1', asOf: AS_OF });
    expect(third.flags).toMatchObject({ created: 0, updated: 0, closed: 0, unchanged: 1 });
  });

  test('cancel: an aborted signal stops the scan', async () => {
    const { client } = fakeClient(seed());
    const controller = new AbortController();
    controller.abort();
    await expect(scanPopulation(client, { kind: 'gp', gpId: 'gp-1' }, { userId: 'gp-1', asOf: AS_OF, signal: controller.signal })).rejects.toThrow();
  });
});

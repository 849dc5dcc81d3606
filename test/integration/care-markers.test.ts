// The care slice's records move the target-group markers (issue 17 items 16-17) on real PGlite and PostgreSQL,
// wired as server/app.ts wires them: /api/care tells the composition root of a change, and the target-groups
// slice re-classifies the stored result with the care records (server/jobs/index.ts careSource).
// The patient, Dina Diabetes, 66, has diabetes (ICD-10 E11) and 4 distinct active drugs (polypharmacy, SPEC §3),
// no care plan and no medication review in the EPJ, so by SPEC §3 she starts with both «trenger
// behandlingsplan» and «trenger legemiddelgjennomgang». Expected values by hand from SPEC §3 and issue 17.
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type AppDatabase } from '../../server/db/database';
import type { Actor, ResolveActor } from '../../server/epj/actor';
import { careRoutes } from '../../server/features/care/routes';
import { executeScan, startPracticeScan } from '../../server/features/target-groups/jobs';
import { targetGroupRoutes, type LaunchEpj } from '../../server/features/target-groups/routes';
import { careSource } from '../../server/jobs/index';
import { BACKENDS, freshDatabase, stopTestPostgres, type TestDatabase } from '../support/database';

afterAll(stopTestPostgres);

const ISS = 'https://epj.test/fhir';
const PRACTICE = 'Organization/org-practice';
// Monday 23 November 2026, 09:00 Oslo.
const NOW = Date.parse('2026-11-23T08:00:00Z');
const NURSE: Actor = { practiceId: PRACTICE, user: 'Practitioner/nurse-1', role: 'nurse', practiceManager: false };
const GP: Actor = { practiceId: PRACTICE, user: 'Practitioner/gp-1', role: 'gp', practiceManager: false };
const ICD10 = 'urn:oid:2.16.578.1.12.4.1.1.7110';
const ATC = 'http://www.whocc.no/atc';

const patient = (id: string, family: string): Resource => ({
  resourceType: 'Patient',
  id,
  birthDate: '1960-05-05',
  name: [{ given: ['Dina'], family }],
  generalPractitioner: [{ reference: 'Practitioner/gp-1' }],
  managingOrganization: { reference: PRACTICE },
});
const drug = (id: string, patientId: string, atc: string): Resource => ({
  resourceType: 'MedicationStatement',
  id,
  status: 'active',
  subject: { reference: `Patient/${patientId}` },
  medicationCodeableConcept: { coding: [{ system: ATC, code: atc }] },
});
const EPJ: Resource[] = [
  patient('pat-dina', 'Diabetes'),
  patient('pat-per', 'Poly'),
  {
    resourceType: 'Condition',
    id: 'c1',
    subject: { reference: 'Patient/pat-dina' },
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    code: { coding: [{ system: ICD10, code: 'E11' }] },
  },
  ...['A10BA02', 'C09AA05', 'C10AA01', 'B01AC06'].map((atc, i) => drug(`m${i}`, 'pat-dina', atc)),
  ...['N02BE01', 'C07AB02', 'C03CA01', 'A02BC01'].map((atc, i) => drug(`p${i}`, 'pat-per', atc)),
];

const get = async (url: URL): Promise<Response> => {
  const type = url.pathname.split('/').pop();
  const ids = url.searchParams.get('_id')?.split(',');
  const patients = url.searchParams.get('patient')?.split(',');
  const found = EPJ.filter(
    (r) => r.resourceType === type && (!ids || ids.includes(r.id ?? '')) && (!patients || patients.includes((r as { subject?: { reference?: string } }).subject?.reference ?? '')),
  );
  const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', entry: found.map((resource) => ({ resource, search: { mode: 'match' } })) };
  return new Response(JSON.stringify(bundle), { status: 200, headers: { 'content-type': 'application/fhir+json' } });
};

function server(app: AppDatabase) {
  const actors: Record<string, Actor> = { nurse: NURSE, gp: GP };
  const actor: ResolveActor = async (c) => {
    const a = actors[c.req.header('x-test-actor') ?? ''];
    return a ? { actor: a } : { response: c.json({ error: 'Økten er utløpt' }, 401) };
  };
  // As server/app.ts: the care slice's hook calls what the target-groups slice registered.
  const handlers: ((practiceId: string, patientId: string) => Promise<void>)[] = [];
  const hono = new Hono();
  hono.route('/api/care', careRoutes({ db: app.db, actor, epj: async () => ({ iss: ISS, get }), now: () => NOW, onChanged: async (p, id) => { for (const h of handlers) await h(p, id); } }));
  const epj = async (): Promise<LaunchEpj> => ({ iss: ISS, get, patientScoped: false });
  hono.route('/api/target-groups', targetGroupRoutes({ db: app.db, actor, epj, now: () => NOW, care: careSource, onCareChanged: (h) => void handlers.push(h) }));
  return async (who: string, method: string, path: string, body?: unknown) => {
    const res = await hono.request(path, {
      method,
      headers: { 'x-test-actor': who, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads answers by hand-written paths
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe.each(BACKENDS)('care records move the target-group markers on %s', (backend) => {
  let fresh: TestDatabase;
  let app: AppDatabase;
  let call: ReturnType<typeof server>;
  beforeAll(async () => {
    fresh = await freshDatabase(backend);
    app = await openDatabase(fresh.config);
    call = server(app);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await fresh?.cleanup();
  });

  const markers = async () => {
    const list = await call('gp', 'GET', '/api/target-groups/list');
    expect(list.status).toBe(200);
    return Object.fromEntries(
      (list.json.rows as { patientId: string; needsCarePlan: boolean; needsMedicationReview: boolean }[]).map((r) => [r.patientId, { carePlan: r.needsCarePlan, medicationReview: r.needsMedicationReview }]),
    );
  };
  const scan = async (n: number) => {
    const deps = { db: app.db, get, iss: ISS, practiceId: PRACTICE, now: () => NOW, care: careSource };
    const started = await startPracticeScan(deps, 'job:target-groups.nightly-scan', uuid(n));
    if (!started.ok) throw new Error('scan refused');
    await executeScan(deps, started.run.id);
  };

  it('a care plan with goals takes «trenger behandlingsplan» away in the list and the panel; ending it brings it back', async () => {
    await scan(900);
    expect(await markers()).toEqual({ 'pat-dina': { carePlan: true, medicationReview: true }, 'pat-per': { carePlan: false, medicationReview: true } });

    expect((await call('nurse', 'POST', '/api/care/patients/pat-dina/plans', { id: uuid(1), condition: 'diabetes', goals: ['HbA1c under 53'] })).status).toBe(201);
    expect((await markers())['pat-dina']).toEqual({ carePlan: false, medicationReview: true });
    expect((await call('gp', 'GET', '/api/target-groups/patients/pat-dina')).json).toMatchObject({ needsCarePlan: false, needsMedicationReview: true });
    // The nightly scan adds the care records too: the marker does not come back overnight.
    await scan(901);
    expect((await markers())['pat-dina']).toEqual({ carePlan: false, medicationReview: true });

    expect((await call('gp', 'POST', `/api/care/plans/${uuid(1)}/end`, { date: '2026-11-23', version: 1 })).status).toBe(200);
    expect((await markers())['pat-dina']).toEqual({ carePlan: true, medicationReview: true });
  });

  it('the medication review marker stays while the need is a task, and goes when the GP records it done', async () => {
    const need = await call('nurse', 'POST', '/api/care/patients/pat-dina/medication-review', { id: uuid(10), reason: '4 faste legemidler', due: '2026-12-04' });
    expect(need.json).toMatchObject({ status: 'open', assignee: 'Practitioner/gp-1', due: '2026-12-04' });
    expect((await markers())['pat-dina']).toEqual({ carePlan: true, medicationReview: true });
    expect((await call('gp', 'GET', '/api/target-groups/patients/pat-dina')).json.needsMedicationReview).toBe(true);

    expect((await call('gp', 'POST', `/api/care/tasks/${uuid(10)}/done`, { date: '2026-11-23', note: 'Seponert ASA' })).json.status).toBe('done');
    expect((await markers())['pat-dina']).toEqual({ carePlan: true, medicationReview: false });
    expect((await call('gp', 'GET', '/api/target-groups/patients/pat-dina')).json.needsMedicationReview).toBe(false);
    await scan(902);
    expect((await markers())['pat-dina']).toEqual({ carePlan: true, medicationReview: false });
  });

  it('«ikke behov nå» is an assessment of the need: the marker goes at once', async () => {
    expect((await markers())['pat-per']).toEqual({ carePlan: false, medicationReview: true });
    const assessed = await call('nurse', 'POST', '/api/care/patients/pat-per/medication-review', { id: uuid(20), needed: false, reason: 'Gjennomgått på sykehuset i oktober' });
    expect(assessed.status).toBe(201);
    expect((await markers())['pat-per']).toEqual({ carePlan: false, medicationReview: false });
  });
});

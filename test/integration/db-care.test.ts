// The care slice's store and API (issue 17 items 16-19) on real PGlite and PostgreSQL: a care plan for a
// diabetic patient queues a journal note in the same transaction and takes away «trenger behandlingsplan»;
// the medication review need is a GP task until done; the recall list holds the patients of the practice's
// groups that are due or overdue, with who last checked them; the IP is followed until a coordinator is
// known. The EPJ is a fake `get` over a few resources. Expected values by hand from SPEC §3 and the issue.
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../server/db/database';
import type { Actor, ResolveActor } from '../../server/epj/actor';
import { careRoutes } from '../../server/features/care/routes';
import { openCareTasksFor } from '../../server/features/care/store';
import { BACKENDS, stopTestPostgres, useFreshDatabase } from '../support/database';

afterAll(stopTestPostgres);

const ISS = 'https://epj.test/fhir';
const PRACTICE = 'Organization/org-practice';
// Monday 23 November 2026, 09:00 Oslo.
const NOW = Date.parse('2026-11-23T08:00:00Z');
const NURSE: Actor = { practiceId: PRACTICE, user: 'Practitioner/nurse-1', role: 'nurse', practiceManager: false };
const GP: Actor = { practiceId: PRACTICE, user: 'Practitioner/gp-1', role: 'gp', practiceManager: false };
const MANAGER: Actor = { practiceId: PRACTICE, user: 'Practitioner/gp-9', role: 'gp', practiceManager: true };
const SECRETARY: Actor = { practiceId: PRACTICE, user: 'Practitioner/sec-1', role: 'secretary', practiceManager: false };
const ICPC = 'http://hl7.org/fhir/sid/icpc-2';

const patient = (id: string, family: string): Resource => ({
  resourceType: 'Patient',
  id,
  name: [{ family, given: ['Test'], text: `Test ${family}` }],
  birthDate: '1950-01-01',
  ...(id === 'pat-astma' ? {} : { generalPractitioner: [{ reference: 'Practitioner/gp-2' }] }),
});
const condition = (id: string, patientId: string, code: string, status = 'active'): Resource => ({
  resourceType: 'Condition',
  id,
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: status }] },
  code: { coding: [{ system: ICPC, code }] },
  subject: { reference: `Patient/${patientId}` },
});

const RESOURCES: Resource[] = [
  patient('pat-dia', 'Diabetes'),
  patient('pat-hf', 'Hjerte'),
  patient('pat-kols', 'Kols'),
  patient('pat-astma', 'Astma'),
  patient('pat-healed', 'Frisk'),
  condition('c1', 'pat-dia', 'T90'),
  condition('c2', 'pat-hf', 'K77'),
  condition('c3', 'pat-kols', 'R95'),
  condition('c4', 'pat-astma', 'R96'),
  condition('c5', 'pat-healed', 'T90', 'resolved'),
  { resourceType: 'Practitioner', id: 'nurse-1', name: [{ family: 'Sykepleier', given: ['Siri'] }] },
];

async function fakeGet(url: URL): Promise<Response> {
  const type = url.pathname.split('/').at(-1) ?? '';
  let found = RESOURCES.filter((r) => r.resourceType === type);
  const ids = url.searchParams.get('_id');
  if (ids) found = found.filter((r) => ids.split(',').includes(r.id ?? ''));
  const subject = url.searchParams.get('patient');
  if (subject) found = found.filter((r) => r.resourceType === 'Condition' && r.subject?.reference === subject);
  const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', entry: found.map((resource) => ({ resource, search: { mode: 'match' } })) };
  return new Response(JSON.stringify(bundle), { status: 200, headers: { 'content-type': 'application/fhir+json' } });
}

function server(app: AppDatabase) {
  const actors: Record<string, Actor> = { nurse: NURSE, gp: GP, manager: MANAGER, secretary: SECRETARY };
  const actor: ResolveActor = async (c) => {
    const a = actors[c.req.header('x-test-actor') ?? ''];
    return a ? { actor: a } : { response: c.json({ error: 'Økten er utløpt' }, 401) };
  };
  const hono = new Hono();
  hono.route('/api/care', careRoutes({ db: app.db, actor, epj: async () => ({ iss: ISS, get: fakeGet }), now: () => NOW }));
  return async (who: string, method: string, path: string, body?: unknown) => {
    const res = await hono.request(`/api/care${path}`, {
      method,
      headers: { 'x-test-actor': who, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads answers by hand-written paths
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe.each(BACKENDS)('care store and API on %s', (backend) => {
  const fresh = useFreshDatabase(backend);
  let app: AppDatabase;
  let call: ReturnType<typeof server>;
  beforeAll(async () => {
    app = fresh.app;
    call = server(app);
  });

  const notes = async (source: string) =>
    (await app.db.selectFrom('write_back').select(['source', 'state', 'patient_id']).where('source', '=', source).execute());

  it('care plan: created with goals, journal note queued, «trenger behandlingsplan» goes away, reviewed, ended', async () => {
    const before = await call('nurse', 'GET', '/patients/pat-dia');
    expect(before.json).toMatchObject({ carePlanDiseases: ['diabetes'], needsCarePlan: true, plans: [], ip: null, medicationReviewOpen: false });

    const plan = { id: uuid(1), condition: 'diabetes', goals: ['HbA1c under 53 mmol/mol', 'Gå 30 minutter hver dag'] };
    const created = await call('nurse', 'POST', '/patients/pat-dia/plans', plan);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: uuid(1), status: 'active', goals: plan.goals, createdBy: 'Practitioner/nurse-1', version: 1, journal: 'pending' });
    expect(await notes(`care-plan/${uuid(1)}`)).toEqual([{ source: `care-plan/${uuid(1)}`, state: 'pending', patient_id: 'pat-dia' }]);
    // A retry gives the same plan, no second note.
    const retry = await call('nurse', 'POST', '/patients/pat-dia/plans', plan);
    expect(retry.status).toBe(200);
    expect(await app.db.selectFrom('care_plan').select('id').execute()).toHaveLength(1);
    // A second active plan for the same condition is refused by the database's index.
    const second = await call('gp', 'POST', '/patients/pat-dia/plans', { ...plan, id: uuid(2) });
    expect(second.status).toBe(409);
    expect(second.json.error).toBe('Pasienten har allerede en aktiv behandlingsplan for diabetes. Evaluer eller avslutt den først.');
    expect((await call('nurse', 'GET', '/patients/pat-dia')).json.needsCarePlan).toBe(false);

    const reviewed = await call('gp', 'POST', `/plans/${uuid(1)}/reviews`, { id: uuid(3), date: '2026-11-23', note: 'HbA1c 58, justert mål.' });
    expect(reviewed.status).toBe(201);
    expect(reviewed.json.reviews).toEqual([{ id: uuid(3), reviewedOn: '2026-11-23', note: 'HbA1c 58, justert mål.', by: 'Practitioner/gp-1', journal: 'pending' }]);
    expect(await notes(`care-plan-review/${uuid(3)}`)).toHaveLength(1);

    expect((await call('gp', 'POST', `/plans/${uuid(1)}/end`, { date: '2026-11-23', version: 9 })).status).toBe(409);
    const ended = await call('gp', 'POST', `/plans/${uuid(1)}/end`, { date: '2026-11-23', note: 'Flyttet', version: 1 });
    expect(ended.json).toMatchObject({ status: 'ended', endedOn: '2026-11-23', endedBy: 'Practitioner/gp-1', endJournal: 'pending' });
    expect((await call('nurse', 'GET', '/patients/pat-dia')).json.needsCarePlan).toBe(true);
    expect((await call('gp', 'POST', `/plans/${uuid(1)}/reviews`, { id: uuid(4), date: '2026-11-23', note: 'x' })).status).toBe(409);
  });

  it('care plan: refused for a condition the EPJ does not list, by role, and with bad input (nothing stored)', async () => {
    const wrong = await call('nurse', 'POST', '/patients/pat-astma/plans', { id: uuid(10), condition: 'kols', goals: ['Røykeslutt'] });
    expect(wrong).toEqual({ status: 409, json: { error: 'Pasienten har ikke KOLS som aktiv diagnose i journalen. Behandlingsplan her gjelder diabetes og KOLS.', field: 'condition' } });
    expect((await call('nurse', 'POST', '/patients/pat-healed/plans', { id: uuid(10), condition: 'diabetes', goals: ['x'] })).status).toBe(409);
    const secretary = await call('secretary', 'GET', '/patients/pat-dia');
    expect(secretary).toEqual({ status: 403, json: { error: 'Bare leger og sykepleiere kan se og endre behandlingsplaner, legemiddelgjennomganger og individuell plan.' } });
    expect(await call('nurse', 'POST', '/patients/pat-kols/plans', { id: uuid(10), condition: 'kols', goals: [] })).toEqual({
      status: 400,
      json: { error: 'Behandlingsmål: må ha minst ett mål', field: 'goals' },
    });
    expect((await call('nurse', 'POST', '/patients/pat-kols/plans', { id: 'x', condition: 'kols', goals: ['a'] })).json).toEqual({ error: 'Id: må være en uuid', field: 'id' });
    expect(await app.db.selectFrom('care_plan').select('id').where('patient_id', '=', 'pat-kols').execute()).toEqual([]);
  });

  it('medication review: the need is a GP task until the review is recorded as done', async () => {
    const need = { id: uuid(20), assignee: 'Practitioner/gp-1', reason: '11 faste legemidler etter utskrivning' };
    const made = await call('nurse', 'POST', '/patients/pat-hf/medication-review', need);
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ id: uuid(20), patientId: 'pat-hf', status: 'open', assignee: 'Practitioner/gp-1', createdBy: 'Practitioner/nurse-1' });
    // Recording the need again (another id) gives the one open task.
    const again = await call('nurse', 'POST', '/patients/pat-hf/medication-review', { ...need, id: uuid(21) });
    expect(again.json.id).toBe(uuid(20));
    expect((await openCareTasksFor(app.db, PRACTICE, 'Practitioner/gp-1')).map((t) => [t.id, t.patientId, t.reason])).toEqual([[uuid(20), 'pat-hf', '11 faste legemidler etter utskrivning']]);
    expect(await openCareTasksFor(app.db, PRACTICE, 'Practitioner/gp-2')).toEqual([]);
    expect((await call('gp', 'GET', '/tasks/mine')).json).toHaveLength(1);
    expect((await call('nurse', 'GET', '/tasks/mine')).status).toBe(403);
    expect((await call('gp', 'GET', '/patients/pat-hf')).json.medicationReviewOpen).toBe(true);

    const done = await call('gp', 'POST', `/tasks/${uuid(20)}/done`, { date: '2026-11-23', note: 'Seponert to' });
    expect(done.json).toMatchObject({ status: 'done', doneOn: '2026-11-23', doneBy: 'Practitioner/gp-1', doneNote: 'Seponert to' });
    expect(await notes(`care-task/${uuid(20)}`)).toHaveLength(1);
    expect(await openCareTasksFor(app.db, PRACTICE, 'Practitioner/gp-1')).toEqual([]);
    expect((await call('gp', 'GET', '/patients/pat-hf')).json.medicationReviewOpen).toBe(false);
    expect((await call('gp', 'POST', `/tasks/${uuid(20)}/done`, { date: '2026-11-20' })).status).toBe(409);
    expect((await call('gp', 'POST', `/tasks/${uuid(20)}/done`, { date: '2026-11-30' })).json).toEqual({ error: 'Dato: kan ikke være i fremtiden', field: 'date' });
    // Without an assignee the task goes to the patient's GP in the EPJ; a patient without one is refused.
    const toGp = await call('nurse', 'POST', '/patients/pat-dia/medication-review', { id: uuid(22), reason: 'Polyfarmasi' });
    expect(toGp.json).toMatchObject({ assignee: 'Practitioner/gp-2', status: 'open' });
    expect((await openCareTasksFor(app.db, PRACTICE, 'Practitioner/gp-2')).map((t) => t.id)).toEqual([uuid(22)]);
    expect((await call('nurse', 'POST', '/patients/pat-astma/medication-review', { id: uuid(23), reason: 'Polyfarmasi' })).json).toEqual({
      error: 'Pasienten har ingen fastlege i journalen. Velg hvilken lege som skal gjøre legemiddelgjennomgangen.',
      field: 'assignee',
    });
  });

  it('medication review: the need and «ikke behov nå» get journal notes; the GP answers «ikke nødvendig» with a note the nurse sees', async () => {
    const need = await call('nurse', 'POST', '/patients/pat-kols/medication-review', { id: uuid(50), assignee: 'Practitioner/gp-1', reason: 'Mange inhalatorer', due: '2026-12-01' });
    expect(need.json).toMatchObject({ status: 'open', due: '2026-12-01', doneNote: null });
    expect(await notes(`care-need/${uuid(50)}`)).toEqual([{ source: `care-need/${uuid(50)}`, state: 'pending', patient_id: 'pat-kols' }]);
    expect((await call('nurse', 'POST', '/patients/pat-kols/medication-review', { id: uuid(51), reason: 'x', due: '2026-11-20' })).json).toEqual({ error: 'Frist: kan ikke være tilbake i tid', field: 'due' });
    expect((await call('nurse', 'POST', '/patients/pat-kols/medication-review', { id: uuid(51) })).json).toEqual({ error: 'Begrunnelse: mangler', field: 'reason' });
    expect((await call('gp', 'POST', `/tasks/${uuid(50)}/done`, { date: '2026-11-23', status: 'kanskje' })).json).toEqual({ error: 'Svar: må være utført eller ikke nødvendig', field: 'status' });

    // The GP's list: open by default, answered ones too with ?status=all.
    expect((await call('gp', 'GET', '/tasks/mine')).json.map((t: { id: string }) => t.id)).toEqual([uuid(50)]);
    const answer = await call('gp', 'POST', `/tasks/${uuid(50)}/done`, { date: '2026-11-23', status: 'not-needed', note: 'Inhalatorene er riktige' });
    expect(answer.json).toMatchObject({ status: 'not-needed', doneOn: '2026-11-23', doneBy: 'Practitioner/gp-1', doneNote: 'Inhalatorene er riktige' });
    expect(await notes(`care-task/${uuid(50)}`)).toHaveLength(1);
    expect((await call('gp', 'POST', `/tasks/${uuid(50)}/done`, { date: '2026-11-23' })).json.error).toBe('Legemiddelgjennomgangen er allerede besvart som ikke nødvendig.');
    expect((await call('gp', 'GET', '/tasks/mine')).json).toEqual([]);
    expect((await call('gp', 'GET', '/tasks/mine?status=all')).json.map((t: { id: string; status: string }) => [t.id, t.status])).toEqual([
      [uuid(20), 'done'],
      [uuid(50), 'not-needed'],
    ]);
    // The nurse sees the answer on the patient.
    const seen = await call('nurse', 'GET', '/patients/pat-kols');
    expect(seen.json.tasks.map((t: { status: string; doneNote: string }) => [t.status, t.doneNote])).toEqual([['not-needed', 'Inhalatorene er riktige']]);
    expect(seen.json.medicationReviewOpen).toBe(false);

    // «Ikke behov nå»: an assessment, no task; a retry is the same record.
    const none = { id: uuid(52), needed: false, reason: 'Gjennomgått på sykehuset' };
    expect((await call('nurse', 'POST', '/patients/pat-kols/medication-review', none)).status).toBe(201);
    expect((await call('nurse', 'POST', '/patients/pat-kols/medication-review', none)).status).toBe(200);
    expect(await notes(`care-assessment/${uuid(52)}`)).toHaveLength(1);
    expect((await call('nurse', 'GET', '/patients/pat-kols')).json.medicationAssessments).toEqual([
      { id: uuid(52), patientId: 'pat-kols', assessedOn: '2026-11-23', note: 'Gjennomgått på sykehuset', by: 'Practitioner/nurse-1', journal: 'pending' },
    ]);

    // The daglig leder's indicator records: every patient's plans and medication review events.
    expect((await call('gp', 'GET', '/indicator-records')).status).toBe(403);
    const records = await call('manager', 'GET', '/indicator-records');
    expect(records.json.records['pat-kols']).toEqual({ plans: [], reviewsDone: [], reviewsNotNeeded: ['2026-11-23', '2026-11-23'], needsRecorded: ['2026-11-23'] });
    expect(records.json.records['pat-hf']).toEqual({ plans: [], reviewsDone: ['2026-11-23'], reviewsNotNeeded: [], needsRecorded: ['2026-11-23'] });
    expect(records.json.records['pat-dia'].plans).toEqual([{ goals: ['HbA1c under 53 mmol/mol', 'Gå 30 minutter hver dag'], createdOn: '2026-11-23', endedOn: '2026-11-23' }]);
  });

  it('recall: the default groups, due and overdue patients with who last checked them, states, roles', async () => {
    expect((await call('secretary', 'GET', '/recall/settings')).json.groups).toEqual(['diabetes', 'kols', 'heart-failure']);
    // pat-hf was checked 2025-11-01 by the nurse (overdue since 2026-11-01); pat-kols 2026-01-10 (due 2027-01-10, not listed).
    expect((await call('nurse', 'POST', '/recall/pat-hf/events', { id: uuid(30), state: 'done', date: '2025-11-01' })).status).toBe(201);
    expect((await call('nurse', 'POST', '/recall/pat-kols/events', { id: uuid(31), state: 'done', date: '2026-01-10' })).status).toBe(201);
    const list = await call('nurse', 'GET', '/recall');
    expect(list.json.asOf).toBe('2026-11-23');
    expect(list.json.rows).toEqual([
      { patientId: 'pat-dia', name: 'Test Diabetes', birthDate: '1950-01-01', phone: null, groups: ['Diabetes'], lastCheck: null, lastCheckedBy: null, due: null, urgency: 'due', state: null, stateLabel: null, stateDate: null },
      { patientId: 'pat-hf', name: 'Test Hjerte', birthDate: '1950-01-01', phone: null, groups: ['Hjertesvikt'], lastCheck: '2025-11-01', lastCheckedBy: 'Siri Sykepleier', due: '2026-11-01', urgency: 'overdue', state: null, stateLabel: null, stateDate: null },
    ]);
    // The secretary calls in and books; she sees no groups and cannot record the check itself.
    expect((await call('secretary', 'POST', '/recall/pat-hf/events', { id: uuid(32), state: 'called', date: '2026-11-23' })).status).toBe(201);
    const booked = await call('secretary', 'POST', '/recall/pat-hf/events', { id: uuid(33), state: 'booked', date: '2026-12-03' });
    expect(booked.json).toMatchObject({ state: 'booked', stateDate: '2026-12-03', urgency: 'overdue' });
    expect((await call('secretary', 'POST', '/recall/pat-hf/events', { id: uuid(34), state: 'done', date: '2026-11-23' })).json).toEqual({
      error: 'Bare leger og sykepleiere kan registrere at årskontrollen er gjennomført.',
    });
    const secretaryList = await call('secretary', 'GET', '/recall');
    expect(secretaryList.json.rows[1]).toEqual({ patientId: 'pat-hf', name: 'Test Hjerte', birthDate: '1950-01-01', phone: null, lastCheck: '2025-11-01', lastCheckedBy: 'Siri Sykepleier', due: '2026-11-01', urgency: 'overdue', state: 'booked', stateLabel: 'time bestilt', stateDate: '2026-12-03' });
    // Done: off the list until next year.
    await call('gp', 'POST', '/recall/pat-hf/events', { id: uuid(35), state: 'done', date: '2026-11-23' });
    expect((await call('nurse', 'GET', '/recall')).json.rows.map((r: { patientId: string }) => r.patientId)).toEqual(['pat-dia']);

    // The daglig leder adds asthma; only he may.
    expect((await call('gp', 'PUT', '/recall/settings', { groups: ['asthma'] })).status).toBe(403);
    expect((await call('manager', 'PUT', '/recall/settings', { groups: ['diabetes', 'astma'] })).json).toEqual({ error: 'Grupper: er ikke en kjent gruppe', field: 'groups' });
    expect((await call('manager', 'PUT', '/recall/settings', { groups: ['diabetes', 'kols', 'heart-failure', 'asthma'] })).status).toBe(200);
    expect((await call('nurse', 'GET', '/recall')).json.rows.map((r: { patientId: string }) => r.patientId)).toEqual(['pat-astma', 'pat-dia']);
  });

  it('individual plan: needed, reported to the coordinating unit, followed up until a coordinator is known', async () => {
    const need = await call('nurse', 'POST', '/patients/pat-kols/ip', { id: uuid(40), date: '2026-11-20' });
    expect(need.json).toMatchObject({ neededOn: '2026-11-20', stage: 'needed', version: 1, recordedBy: 'Practitioner/nurse-1' });
    expect((await call('nurse', 'POST', '/patients/pat-kols/ip/coordinator', { name: 'Kari Koordinator', date: '2026-11-23', version: 1 })).json).toEqual({
      error: 'Behovet må meldes til koordinerende enhet før en koordinator kan registreres.',
    });
    expect((await call('nurse', 'POST', '/patients/pat-kols/ip/report', { date: '2026-11-21', how: 'fax', version: 1 })).json.field).toBe('how');
    const reported = await call('nurse', 'POST', '/patients/pat-kols/ip/report', { date: '2026-11-21', how: 'elektronisk-melding', version: 1 });
    expect(reported.json).toMatchObject({ stage: 'reported', reportedOn: '2026-11-21', reportedHow: 'elektronisk-melding', reportedBy: 'Practitioner/nurse-1', version: 2 });
    expect((await call('gp', 'POST', '/patients/pat-kols/ip/coordinator', { name: 'Kari Koordinator', date: '2026-11-23', version: 1 })).status).toBe(409);
    const known = await call('gp', 'POST', '/patients/pat-kols/ip/coordinator', { name: 'Kari Koordinator', date: '2026-11-23', version: 2 });
    expect(known.json).toMatchObject({ stage: 'coordinator', coordinatorName: 'Kari Koordinator', coordinatorOn: '2026-11-23' });
    // The database refuses a coordinator without a report, past the API.
    await expect(
      app.db.insertInto('care_ip').values({ practice_id: PRACTICE, patient_id: 'pat-x', id: uuid(41), iss: ISS, needed_on: '2026-11-01', recorded_by: 'x', coordinator_name: 'K', coordinator_on: '2026-11-02', updated_at: new Date(NOW) }).execute(),
    ).rejects.toThrow(/check/i);
  });
});

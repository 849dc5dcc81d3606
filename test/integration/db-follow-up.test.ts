// The follow-up slice's store and API (issue 15 item 2, SPEC §4, issue 17 item 13) on real PGlite and
// PostgreSQL: the sweep creates one task per discharge episode however often it runs, attempts and
// closures are idempotent and queue a journal note in the same transaction, version conflicts give 409,
// roles are enforced, bad input is refused naming the field, and the GP sees and completes the task a
// nurse created for him. The EPJ is a fake `get` over a few resources. Expected values from SPEC §2/§4.
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../server/db/database';
import type { Actor } from '../../server/epj/actor';
import { sweepPractice } from '../../server/features/follow-up/jobs';
import { followUpRoutes } from '../../server/features/follow-up/routes';
import type { DischargeRead } from '../../server/features/follow-up/epj';
import { ShortCache } from '../../server/epj/shortCache';
import type { ResolveActor } from '../../server/features/settings/routes';
import { BACKENDS, stopTestPostgres, useFreshDatabase } from '../support/database';

afterAll(stopTestPostgres);

const ISS = 'https://epj.test/fhir';
const PRACTICE = 'Organization/org-practice';
// Monday 23 November 2026, 09:00 Oslo.
const NOW = Date.parse('2026-11-23T08:00:00Z');
const NURSE: Actor = { practiceId: PRACTICE, user: 'Practitioner/nurse-1', role: 'nurse', practiceManager: false };
const GP: Actor = { practiceId: PRACTICE, user: 'Practitioner/gp-1', role: 'gp', practiceManager: false };
const OTHER_GP: Actor = { practiceId: PRACTICE, user: 'Practitioner/gp-2', role: 'gp', practiceManager: false };
const MANAGER: Actor = { practiceId: PRACTICE, user: 'Practitioner/gp-9', role: 'gp', practiceManager: true };
const SECRETARY: Actor = { practiceId: PRACTICE, user: 'Practitioner/sec-1', role: 'secretary', practiceManager: false };
const VIEWER: Actor = { practiceId: PRACTICE, user: 'Practitioner/x', role: 'viewer', practiceManager: false };

const patient = (id: string, birthDate: string, family: string): Resource => ({
  resourceType: 'Patient',
  id,
  name: [{ family, given: ['Test'], text: `Test ${family}` }],
  birthDate,
  telecom: [{ system: 'phone', value: '+47 900 00 000' }],
});
const discharge = (id: string, patientId: string, end: string): Resource => ({
  resourceType: 'Encounter',
  id,
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
  subject: { reference: `Patient/${patientId}` },
  serviceProvider: { reference: 'Organization/org-ahus', display: 'Akershus universitetssykehus' },
  period: { start: '2026-11-15T10:00:00+01:00', end },
});

// pat-old is 96 (frail-elderly candidate, SPEC §3); pat-young is 40 and in no group.
const RESOURCES: Resource[] = [
  patient('pat-old', '1930-05-05', 'Eldre'),
  patient('pat-young', '1986-05-05', 'Yngre'),
  // Friday 20 Nov -> deadline Wednesday 25 Nov (SPEC §2 table).
  discharge('enc-old', 'pat-old', '2026-11-20T12:00:00+01:00'),
  // Wednesday 18 Nov -> deadline Monday 23 Nov.
  discharge('enc-young', 'pat-young', '2026-11-18T12:00:00+01:00'),
  // An epikrise without a discharge date, received Friday 20 Nov: the deadline runs from the message date
  // (Wednesday 25 Nov) until a user confirms the date (issue 17 item 6).
  patient('pat-undated', '1980-01-01', 'Udatert'),
  {
    resourceType: 'DocumentReference',
    id: 'doc-undated',
    status: 'current',
    type: { coding: [{ system: 'http://loinc.org', code: '18842-5' }] },
    subject: { reference: 'Patient/pat-undated' },
    date: '2026-11-20T10:00:00+01:00',
    content: [{ attachment: { contentType: 'text/plain', data: 'RXBpa3Jpc2U=' } }],
  },
];

/** A FHIR search over RESOURCES: by type, Patient also by _id; everything else returns nothing. */
async function fakeGet(url: URL): Promise<Response> {
  const type = url.pathname.split('/').at(-1) ?? '';
  let found = RESOURCES.filter((r) => r.resourceType === type);
  const ids = url.searchParams.get('_id');
  if (ids) found = found.filter((r) => ids.split(',').includes(r.id ?? ''));
  // Discharge summaries only for the discharge search (by _lastUpdated, never by type or date: issue 16), not
  // the fact searches (by patient).
  if (!['Patient', 'Encounter'].includes(type) && !(type === 'DocumentReference' && !url.searchParams.has('patient') && !url.searchParams.has('type'))) found = [];
  const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', entry: found.map((resource) => ({ resource, search: { mode: 'match' } })) };
  return new Response(JSON.stringify(bundle), { status: 200, headers: { 'content-type': 'application/fhir+json' } });
}

function server(app: AppDatabase) {
  const actors: Record<string, Actor> = { nurse: NURSE, gp: GP, gp2: OTHER_GP, manager: MANAGER, secretary: SECRETARY, viewer: VIEWER };
  const actor: ResolveActor = async (c) => {
    const a = actors[c.req.header('x-test-actor') ?? ''];
    return a ? { actor: a } : { response: c.json({ error: 'Økten er utløpt' }, 401) };
  };
  const hono = new Hono();
  hono.route('/api/follow-up', followUpRoutes({ db: app.db, actor, epj: async () => ({ iss: ISS, get: fakeGet }), now: () => NOW }));
  const call = async (who: string, method: string, path: string, body?: unknown) => {
    const res = await hono.request(`/api/follow-up${path}`, {
      method,
      headers: { 'x-test-actor': who, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads answers by hand-written paths
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };
  return call;
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe.each(BACKENDS)('follow-up store and API on %s', (backend) => {
  const fresh = useFreshDatabase(backend);
  let app: AppDatabase;
  let call: ReturnType<typeof server>;
  beforeAll(async () => {
    app = fresh.app;
    call = server(app);
  });

  let taskId = '';

  it('the sweep creates the target-group patient\'s task once, however often it runs', async () => {
    const epj = { practiceId: PRACTICE, iss: ISS, get: fakeGet };
    const first = await sweepPractice(app.db, epj, NOW);
    expect(first).toMatchObject({ today: '2026-11-23', episodes: 3, created: 1, alreadyThere: 0, awaitingTriage: 2, withErrors: 0, failures: [] });
    const again = await sweepPractice(app.db, epj, NOW);
    expect(again).toMatchObject({ created: 0, awaitingTriage: 2 });
    // And twice at once (two server processes): still one task.
    await Promise.all([sweepPractice(app.db, epj, NOW), sweepPractice(app.db, epj, NOW)]);
    const rows = await app.db.selectFrom('follow_up_task').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ patient_id: 'pat-old', status: 'new', owner: null, created_by: 'system', version: 1 });
    const { json } = await call('nurse', 'GET', '/worklist');
    expect(json.tasks).toHaveLength(1);
    expect(json.tasks[0]).toMatchObject({ patientId: 'pat-old', deadline: '2026-11-25', dischargeDate: '2026-11-20', status: 'new', attempts: [], journal: null, institution: { id: 'org-ahus' } });
    taskId = json.tasks[0].id;
  });

  it('refuses by role: a viewer sees no worklist, a secretary logs no attempt, only the GP has «Mine oppgaver»', async () => {
    expect((await call('viewer', 'GET', '/worklist')).status).toBe(403);
    const attempt = { id: uuid(1), at: '2026-11-23T08:30:00+01:00', channel: 'phone', successful: false };
    const refused = await call('secretary', 'POST', `/tasks/${taskId}/attempts`, attempt);
    expect(refused).toEqual({ status: 403, json: { error: 'Bare sykepleiere og leger kan registrere kontakt med pasienten eller avslutte en oppfølging.' } });
    expect((await call('nurse', 'GET', '/gp-tasks/mine')).status).toBe(403);
    expect((await call('nurse', 'GET', '/deadlines?from=2026-11-01&to=2026-11-30')).status).toBe(403);
    expect((await call('nobody', 'GET', '/worklist')).status).toBe(401);
  });

  it('refuses bad input with 400 naming the field, storing nothing', async () => {
    const good = { id: uuid(2), at: '2026-11-23T08:30:00+01:00', channel: 'phone', successful: false };
    const cases: [unknown, string, string][] = [
      [{ ...good, channel: 'sms' }, 'channel', 'Kanal: må være telefon, video, oppmøte, hjemmebesøk eller skriftlig'],
      [{ ...good, id: 'abc' }, 'id', 'Id: må være en uuid'],
      [{ ...good, at: '23.11.2026 09:30' }, 'at', 'Tidspunkt: må være et tidspunkt med tidssone (ÅÅÅÅ-MM-DDTtt:mm+01:00)'],
      [{ ...good, at: '2026-11-24T09:30:00+01:00' }, 'at', 'Tidspunkt: kan ikke være i fremtiden'],
      [{ ...good, successful: 'ja' }, 'successful', 'Resultat: må være nådd eller ikke nådd'],
      [{ ...good, extra: 1 }, 'extra', 'Feltet «extra» er ukjent'],
      [{ id: uuid(2), channel: 'phone', successful: false }, 'at', 'Tidspunkt: mangler'],
    ];
    for (const [body, field, error] of cases) expect(await call('nurse', 'POST', `/tasks/${taskId}/attempts`, body)).toEqual({ status: 400, json: { error, field } });
    expect(await app.db.selectFrom('follow_up_attempt').selectAll().execute()).toEqual([]);
    expect(await app.db.selectFrom('write_back').selectAll().execute()).toEqual([]);
  });

  it('logs a failed attempt once per client id, with its journal note queued', async () => {
    const attempt = { id: uuid(3), at: '2026-11-23T08:30:00+01:00', channel: 'phone', successful: false, note: 'Ringte, ikke svar' };
    const first = await call('nurse', 'POST', `/tasks/${taskId}/attempts`, attempt);
    expect(first.status).toBe(200);
    expect(first.json.changed).toBe(true);
    expect(first.json.task).toMatchObject({ status: 'attempted', outcome: null, version: 2, journal: 'pending' });
    expect(first.json.task.attempts).toEqual([{ id: uuid(3), at: '2026-11-23T07:30:00.000Z', channel: 'phone', by: 'Practitioner/nurse-1', successful: false, note: 'Ringte, ikke svar' }]);
    const retry = await call('nurse', 'POST', `/tasks/${taskId}/attempts`, attempt);
    expect(retry.json).toMatchObject({ changed: false, task: { version: 2 } });
    expect(retry.json.task.attempts).toHaveLength(1);
    const notes = await app.db.selectFrom('write_back').select(['source', 'resource_type', 'patient_id', 'iss', 'state']).execute();
    expect(notes).toEqual([{ source: `follow-up/${taskId}`, resource_type: 'DocumentReference', patient_id: 'pat-old', iss: ISS, state: 'pending' }]);
  });

  it('a close with an old version is a conflict; a contact before the deadline makes it met; a contacted task cannot be closed', async () => {
    const stale = await call('nurse', 'POST', `/tasks/${taskId}/close`, { reason: 'declined', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.json.current).toMatchObject({ version: 2, status: 'attempted' });
    // Reached Monday 23 Nov, before Wednesday's deadline -> met (SPEC §4).
    const reached = await call('nurse', 'POST', `/tasks/${taskId}/attempts`, { id: uuid(4), at: '2026-11-23T08:55:00+01:00', channel: 'phone', successful: true });
    expect(reached.json.task).toMatchObject({ status: 'contacted', outcome: 'met', version: 3 });
    // The contact does not inherit the failed attempt's result or note (issue 17 item 1).
    expect(reached.json.task.attempts.map((a: { successful: boolean; note: string | null }) => [a.successful, a.note])).toEqual([
      [false, 'Ringte, ikke svar'],
      [true, null],
    ]);
    const closed = await call('nurse', 'POST', `/tasks/${taskId}/close`, { reason: 'declined', version: 3 });
    expect(closed.status).toBe(409);
    expect(closed.json).toMatchObject({ error: 'Pasienten er allerede kontaktet; oppfølgingen er fullført og kan ikke avsluttes med en årsak.', refused: 'contacted' });
    expect(await app.db.selectFrom('write_back').select('key').execute()).toHaveLength(2);
  });

  let triaged = '';
  it('the secretary triages a message outside the target groups without seeing group names; a retry is one task', async () => {
    const inbox = await call('secretary', 'GET', '/inbox');
    expect(inbox.status).toBe(200);
    const young = inbox.json.rows.find((r: { patientId: string }) => r.patientId === 'pat-young');
    expect(young).toMatchObject({ inTargetGroup: false, deadline: '2026-11-23', task: null, decision: { create: false, reason: 'not-in-target-group' }, patient: { name: 'Test Yngre' } });
    expect(inbox.json.rows.every((r: object) => !('targetGroups' in r))).toBe(true);
    const old = inbox.json.rows.find((r: { patientId: string }) => r.patientId === 'pat-old');
    expect(old).toMatchObject({ inTargetGroup: true, task: { id: taskId } });
    const nurseView = await call('nurse', 'GET', '/inbox');
    expect(nurseView.json.rows.find((r: { patientId: string }) => r.patientId === 'pat-old').targetGroups).toEqual(['frail-elderly']);

    const body = { id: uuid(10), episodeKey: young.key, action: 'create', owner: 'Practitioner/nurse-1' };
    const created = await call('secretary', 'POST', '/inbox/triage', body);
    expect(created.status).toBe(201);
    expect(created.json.task).toMatchObject({ patientId: 'pat-young', owner: 'Practitioner/nurse-1', deadline: '2026-11-23', status: 'new', createdBy: 'Practitioner/sec-1' });
    triaged = created.json.task.id;
    const again = await call('secretary', 'POST', '/inbox/triage', body);
    expect(again.status).toBe(200);
    expect(again.json.task.id).toBe(triaged);
    // Another secretary's click with another client id finds the same task.
    const other = await call('secretary', 'POST', '/inbox/triage', { ...body, id: uuid(11) });
    expect(other.json.task.id).toBe(triaged);
    expect(await app.db.selectFrom('follow_up_task').select('id').where('patient_id', 'in', ['pat-old', 'pat-young']).execute()).toHaveLength(2);
    expect((await call('secretary', 'POST', `/tasks/${triaged}/close`, { reason: 'not-needed-after-assessment', version: 1 })).status).toBe(403);
  });

  it('a message without a discharge date: the date confirmed at triage sets the deadline (issue 17 item 6)', async () => {
    const inbox = await call('secretary', 'GET', '/inbox');
    const undated = inbox.json.rows.find((r: { patientId: string }) => r.patientId === 'pat-undated');
    expect(undated).toMatchObject({ dischargeDate: null, messageDate: '2026-11-20', deadline: '2026-11-25', task: null });
    const future = await call('secretary', 'POST', '/inbox/triage', { id: uuid(40), episodeKey: undated.key, action: 'create', dischargeDate: '2026-11-24' });
    expect(future).toEqual({ status: 400, json: { error: 'Utskrivningsdato: kan ikke være i fremtiden', field: 'dischargeDate' } });
    // Thursday 19 Nov -> Fri 20, Mon 23, Tue 24: deadline Tuesday 24 Nov.
    const created = await call('secretary', 'POST', '/inbox/triage', { id: uuid(40), episodeKey: undated.key, action: 'create', dischargeDate: '2026-11-19' });
    expect(created.json.task).toMatchObject({ dischargeDate: '2026-11-19', dischargeDateConfirmed: true, deadline: '2026-11-24' });
    const after = await call('secretary', 'GET', '/inbox');
    expect(after.json.rows.find((r: { patientId: string }) => r.patientId === 'pat-undated')).toMatchObject({ dischargeDate: '2026-11-19', deadline: '2026-11-24' });
  });

  it('the GP sees the task a nurse created for him in «Mine oppgaver» and completes it; the nurse sees the answer', async () => {
    const ask = { id: uuid(20), patientId: 'pat-young', assignee: 'Practitioner/gp-1', kind: 'medication-review', reason: 'Ny blodtrykksmedisin etter innleggelsen; vurder dosen', due: '2026-11-25', followUpId: triaged };
    const created = await call('nurse', 'POST', '/gp-tasks', ask);
    expect(created.status).toBe(201);
    expect((await call('nurse', 'POST', '/gp-tasks', ask)).status).toBe(200);
    expect((await call('nurse', 'POST', '/gp-tasks', { ...ask, reason: 'Noe annet' })).status).toBe(409);
    expect((await call('secretary', 'POST', '/gp-tasks', { ...ask, id: uuid(21) })).status).toBe(403);
    const mine = await call('gp', 'GET', '/gp-tasks/mine');
    expect(mine.json.tasks).toHaveLength(1);
    expect(mine.json.tasks[0]).toMatchObject({ id: uuid(20), patientId: 'pat-young', kind: 'medication-review', due: '2026-11-25', status: 'open', createdBy: 'Practitioner/nurse-1', version: 1 });
    expect((await call('gp2', 'GET', '/gp-tasks/mine')).json.tasks).toEqual([]);
    expect((await call('gp2', 'POST', `/gp-tasks/${uuid(20)}/complete`, { status: 'done', version: 1 })).status).toBe(403);
    const done = await call('gp', 'POST', `/gp-tasks/${uuid(20)}/complete`, { status: 'done', answer: 'Dosen halvert, resept sendt', version: 1 });
    expect(done.json.task).toMatchObject({ status: 'done', answer: 'Dosen halvert, resept sendt', completedBy: 'Practitioner/gp-1', version: 2 });
    expect((await call('gp', 'GET', '/gp-tasks/mine')).json.tasks).toEqual([]);
    expect((await call('gp', 'GET', '/gp-tasks/mine?status=all')).json.tasks).toHaveLength(1);
    const panel = await call('nurse', 'GET', '/patients/pat-young');
    expect(panel.json.tasks[0].gpTasks[0]).toMatchObject({ status: 'done', answer: 'Dosen halvert, resept sendt' });
  });

  it('closing an open task is idempotent and queues one journal note', async () => {
    const closed = await call('nurse', 'POST', `/tasks/${triaged}/close`, { reason: 'readmitted', note: 'Innlagt igjen 22.11.', version: 1 });
    expect(closed.json.task).toMatchObject({ status: 'closed', closure: { reason: 'readmitted', by: 'Practitioner/nurse-1', note: 'Innlagt igjen 22.11.' }, version: 2, journal: 'pending' });
    const again = await call('nurse', 'POST', `/tasks/${triaged}/close`, { reason: 'readmitted', version: 1 });
    expect(again).toMatchObject({ status: 200, json: { changed: false } });
    expect((await call('nurse', 'POST', `/tasks/${triaged}/close`, { reason: 'deceased', version: 2 })).status).toBe(409);
    expect((await call('nurse', 'POST', `/tasks/${triaged}/attempts`, { id: uuid(30), at: '2026-11-23T08:00:00+01:00', channel: 'phone', successful: true })).status).toBe(409);
    expect(await app.db.selectFrom('write_back').select('key').where('source', '=', `follow-up/${triaged}`).execute()).toHaveLength(1);
  });

  it('gives the daglig leder the deadline figures of a period', async () => {
    const res = await call('manager', 'GET', '/deadlines?from=2026-11-01&to=2026-11-30&asOf=2026-11-30');
    expect(res.status).toBe(200);
    // pat-old: contacted 23 Nov, deadline 25 Nov -> met. pat-young: closed as readmitted -> excluded.
    // pat-undated: deadline Tue 24 Nov, never contacted -> missed; overdue by Wed 25, Thu 26, Fri 27, Mon 30.
    expect(res.json.figures.total).toEqual({ due: 2, met: 1, late: 0, missed: 1, pending: 0, excluded: 1, share: 0.5 });
    expect(res.json.overdueNow).toEqual([expect.objectContaining({ patientId: 'pat-undated', deadline: '2026-11-24', workingDaysOverdue: 4 })]);
    expect(res.json.missed).toEqual([expect.objectContaining({ patientId: 'pat-undated' })]);
    expect((await call('manager', 'GET', '/deadlines?from=2026-11-30&to=2026-11-01')).json).toEqual({ error: 'Til: kan ikke være før fra-datoen', field: 'to' });
  });

  it('keeps tenants apart: another practice sees none of these tasks', async () => {
    const rows = await app.db.selectFrom('follow_up_task').select('id').where('practice_id', '=', 'Organization/other').execute();
    expect(rows).toEqual([]);
  });

  it('with the app server\'s short cache, five inboxes opened at once read the discharges once; after the TTL again (issue 19 point 2)', async () => {
    let encounterSearches = 0;
    const counting = async (url: URL) => {
      // The discharge search (inpatient classes), not the target-group fact reads of its patients.
      if (url.pathname.endsWith('/Encounter') && url.searchParams.has('class')) encounterSearches += 1;
      return fakeGet(url);
    };
    let clock = 0;
    const hono = new Hono();
    const actor: ResolveActor = async () => ({ actor: SECRETARY });
    hono.route('/api/follow-up', followUpRoutes({ db: app.db, actor, epj: async () => ({ iss: ISS, get: counting }), now: () => NOW, discharges: new ShortCache<DischargeRead>(5_000, () => clock) }));
    const inbox = async () => {
      const res = await hono.request('/api/follow-up/inbox');
      expect(res.status).toBe(200);
      return ((await res.json()) as { rows: { key: string; task: unknown }[] }).rows;
    };
    const answers = await Promise.all([inbox(), inbox(), inbox(), inbox(), inbox()]);
    expect(encounterSearches).toBe(1);
    // Every user gets the same rows (the fixture's three discharges), tasks read from the database each time.
    for (const rows of answers) expect(rows.map((r) => r.key)).toEqual(answers[0]?.map((r) => r.key));
    expect(answers[0]).toHaveLength(3);
    clock = 4_999;
    await inbox();
    expect(encounterSearches).toBe(1);
    clock = 5_000;
    await inbox();
    expect(encounterSearches).toBe(2);
    // Without the cache (the scheduled sweep, a server without it) every call reads.
    const { status } = await call('secretary', 'GET', '/inbox');
    expect(status).toBe(200);
  });
});

// /api/contact-copay/group-sessions (issue 17 item 20) on real PGlite and a real PostgreSQL server: a group
// session with a roster across GP lists gives each participant one S4 and the egenandel decision of a single
// contact, the DB rule (one egenandel a patient-day) holds, a resend with the same session id charges nobody
// twice, and each participant's journal note is queued in the outbox. Expected amounts are written by hand
// from SPEC §5 Table 1 and the default catalogue (pilot-2018: S4 honorar 152, egenandel 50 (demo), refusjon
// 102; S1a 69 / 50 / 19) and SPEC §6 (exempt: refusjon = honorar 152; SAME_DAY: refusjon = 152 - 50 = 102).
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../server/db/database';
import { BACKENDS, stopTestPostgres, useFreshDatabase } from '../support/database';
import { copayTestApp, PRACTICE } from '../support/copayApi';

afterAll(stopTestPostgres);

const NOW = Date.parse('2026-03-02T14:00:00Z');
const DAY = '2026-03-02';
const START = `${DAY}T13:00:00+01:00`;
const ADULT = { birthDate: '1950-05-05' };

const ids = {
  session: '5e551011-0000-4000-8000-000000000001',
  session2: '5e551011-0000-4000-8000-000000000002',
  session3: '5e551011-0000-4000-8000-000000000003',
  session4: '5e551011-0000-4000-8000-000000000004',
  single2: '5e551011-0000-4000-8000-0000000000bb',
  single: '5e551011-0000-4000-8000-0000000000aa',
};

interface ParticipantResult {
  patientId: string;
  contactId: string;
  status: string;
  message?: string;
  charge?: { code: string; charged: number; waived: number; reason?: string; refusjon: number; quantity: number; registeredBy: string };
}
interface Result {
  sessionId: string;
  day: string;
  alreadySaved: boolean;
  complete: boolean;
  participants: ParticipantResult[];
}

function api(app: AppDatabase, opts: { gpChargesVisible?: boolean } = {}) {
  const hono = copayTestApp(app.db, () => NOW, opts);
  const send = (who: string, method: string, path: string, body?: unknown) =>
    hono.request(`/api/contact-copay${path}`, {
      method,
      headers: { 'x-test-actor': who, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    group: (who: string, body: unknown) => send(who, 'POST', '/group-sessions', body),
    single: (who: string, body: unknown) => send(who, 'POST', '/contacts', body),
  };
}

const session = (over: Record<string, unknown> = {}) => ({
  id: ids.session,
  start: START,
  minutes: 90,
  topic: 'Diabetesgruppe',
  note: 'Tema: kosthold og fotstell.',
  participants: [
    { patientId: 'p-adult', patient: ADULT },
    { patientId: 'p-frikort', patient: { birthDate: '1948-01-01', exemptions: [{ code: 'F', from: '2026-01-20' }] } },
    { patientId: 'p-child', patient: { birthDate: '2011-06-01' } },
    { patientId: 'p-seen', patient: ADULT },
  ],
  ...over,
});

const pick = (r: Result) => r.participants.map((p) => ({ patientId: p.patientId, status: p.status, code: p.charge?.code, charged: p.charge?.charged, reason: p.charge?.reason, refusjon: p.charge?.refusjon }));

describe.each(BACKENDS)('group sessions on %s', (backend) => {
  const fresh = useFreshDatabase(backend);

  it('refuses bad input (400, Norwegian, naming the field) and the secretary (403), storing nothing', async () => {
    const a = api(fresh.app);
    const cases: [unknown, string, string][] = [
      [session({ id: 'x' }), 'id', 'Gruppetime-id: må være en uuid'],
      [session({ topic: '  ' }), 'topic', 'Tema: mangler'],
      [session({ participants: [] }), 'participants', 'Deltakere: legg til minst én deltaker'],
      [session({ participants: [{ patientId: 'p-1' }] }), 'participants', 'Deltakere: mangler'],
      [session({ start: '2026-03-02T13:00' }), 'start', 'Tidspunkt: må være et tidspunkt med tidssone (ISO 8601)'],
      [session({ start: '2026-03-03T13:00:00+01:00' }), 'start', 'Tidspunkt: kan ikke være i fremtiden'],
      [session({ participants: [{ patientId: 'p-1', patient: ADULT }, { patientId: 'p-1', patient: ADULT }] }), 'participants', 'Deltakere: Samme pasient står to ganger på deltakerlisten.'],
      [session({ leader: 'me' }), 'leader', 'Feltet «leader» er ukjent'],
    ];
    for (const [body, field, message] of cases) {
      const res = await a.group('nurse', body);
      expect(res.status, message).toBe(400);
      expect(((await res.json()) as { error: string; field: string })).toMatchObject({ error: message, field });
    }
    const sec = await a.group('secretary', session());
    expect(sec.status).toBe(403);
    expect(await sec.json()).toEqual({ error: 'Helsesekretær kan ikke registrere gruppetimer.' });
    expect(await fresh.app.db.selectFrom('group_session').select('id').execute()).toEqual([]);
    expect(await fresh.app.db.selectFrom('charge').select('id').execute()).toEqual([]);
  });

  it('each participant gets one S4 and his own egenandel decision; a same-day single contact keeps the egenandel', async () => {
    const a = api(fresh.app);
    // p-seen had a simple contact with the nurse at 08:30 the same day: that bears the day's egenandel.
    const single = await a.single('nurse2', { id: ids.single, patientId: 'p-seen', start: `${DAY}T08:30:00+01:00`, kind: 'simple', lines: [{ code: 'S1a', quantity: 1 }], patient: ADULT });
    expect(single.status).toBe(201);

    const res = await a.group('nurse', session());
    expect(res.status).toBe(201);
    const body = (await res.json()) as Result;
    expect(body).toMatchObject({ sessionId: ids.session, day: DAY, alreadySaved: false, complete: true });
    expect(pick(body)).toEqual([
      { patientId: 'p-adult', status: 'registered', code: 'S4', charged: 50, reason: undefined, refusjon: 102 },
      { patientId: 'p-frikort', status: 'registered', code: 'S4', charged: 0, reason: 'F', refusjon: 152 },
      { patientId: 'p-child', status: 'registered', code: 'S4', charged: 0, reason: 'B', refusjon: 152 },
      { patientId: 'p-seen', status: 'registered', code: 'S4', charged: 0, reason: 'SAME_DAY', refusjon: 102 },
    ]);
    expect(body.participants.every((p) => p.charge?.registeredBy === 'Practitioner/nurse-1' && p.charge.quantity === 1)).toBe(true);

    // The single contact of p-seen still bears the egenandel (50 kr); the database holds one bearer a patient-day.
    const seen = await fresh.app.db.selectFrom('charge').select(['id', 'egenandel']).where('patient_id', '=', 'p-seen').orderBy('at').execute();
    expect(seen.map((r) => [r.id, Number(r.egenandel)])).toEqual([
      [`${ids.single}:S1a`, 50],
      [`${body.participants[3]?.contactId}:S4`, 0],
    ]);
    const bearers = await sql<{ n: number }>`select count(*)::int as n from charge where egenandel > 0 and cancelled_at is null group by practice_id, patient_id, oslo_day having count(*) > 1`.execute(fresh.app.db);
    expect(bearers.rows).toEqual([]);

    // The contacts are ordinary contacts of kind 'group', one per participant, in the session's roster.
    const contacts = await fresh.app.db.selectFrom('contact').select(['patient_id', 'kind', 'registered_by']).where('kind', '=', 'group').orderBy('patient_id').execute();
    expect(contacts).toEqual([
      { patient_id: 'p-adult', kind: 'group', registered_by: 'Practitioner/nurse-1' },
      { patient_id: 'p-child', kind: 'group', registered_by: 'Practitioner/nurse-1' },
      { patient_id: 'p-frikort', kind: 'group', registered_by: 'Practitioner/nurse-1' },
      { patient_id: 'p-seen', kind: 'group', registered_by: 'Practitioner/nurse-1' },
    ]);
    const roster = await fresh.app.db.selectFrom('group_session_participant').select(['patient_id', 'position']).where('practice_id', '=', PRACTICE).orderBy('position').execute();
    expect(roster).toEqual([
      { patient_id: 'p-adult', position: 0 },
      { patient_id: 'p-frikort', position: 1 },
      { patient_id: 'p-child', position: 2 },
      { patient_id: 'p-seen', position: 3 },
    ]);

    // One journal note per participant in the outbox, about the session and none of the other participants.
    const notes = await fresh.app.db.selectFrom('write_back').select(['patient_id', 'resource']).where('resource_type', '=', 'DocumentReference').where('source', 'in', body.participants.map((p) => `contact/${p.contactId}`)).orderBy('patient_id').execute();
    expect(notes.map((n) => n.patient_id)).toEqual(['p-adult', 'p-child', 'p-frikort', 'p-seen']);
    const first = notes[0]?.resource as { description: string; content: { attachment: { data: string } }[] };
    expect(first.description).toBe('Gruppetime: Diabetesgruppe');
    const text = Buffer.from(first.content[0]?.attachment.data ?? '', 'base64').toString('utf8');
    expect(text).toBe('Deltok i gruppetime: Diabetesgruppe, 90 minutter.\n\nTema: kosthold og fotstell.\n\nTakster: S4 Gruppeoppfølging (egenandel kr 50).');
  });

  it('a resend with the same session id charges nobody twice; another roster under that id is refused', async () => {
    const a = api(fresh.app);
    const before = await fresh.app.db.selectFrom('charge').select('id').execute();
    const queued = await fresh.app.db.selectFrom('write_back').select('key').execute();
    const again = await a.group('nurse', session());
    expect(again.status).toBe(200);
    const body = (await again.json()) as Result;
    expect(body).toMatchObject({ alreadySaved: true, complete: true });
    expect(pick(body)).toEqual([
      { patientId: 'p-adult', status: 'already-registered', code: 'S4', charged: 50, reason: undefined, refusjon: 102 },
      { patientId: 'p-frikort', status: 'already-registered', code: 'S4', charged: 0, reason: 'F', refusjon: 152 },
      { patientId: 'p-child', status: 'already-registered', code: 'S4', charged: 0, reason: 'B', refusjon: 152 },
      { patientId: 'p-seen', status: 'already-registered', code: 'S4', charged: 0, reason: 'SAME_DAY', refusjon: 102 },
    ]);
    expect(await fresh.app.db.selectFrom('charge').select('id').execute()).toHaveLength(before.length);
    expect(await fresh.app.db.selectFrom('write_back').select('key').execute()).toHaveLength(queued.length);

    const other = await a.group('nurse', session({ participants: [{ patientId: 'p-adult', patient: ADULT }] }));
    expect(other.status).toBe(409);
    expect(await other.json()).toEqual({ error: 'Gruppetimen er allerede lagret med et annet tidspunkt, tema eller andre deltakere.', field: 'id' });

    // A second session the same day (another id): the adult already paid today, so this S4 is waived.
    const second = await a.group('gp', session({ id: ids.session2, start: `${DAY}T14:30:00+01:00`, topic: 'KOLS-skole', participants: [{ patientId: 'p-adult', patient: ADULT }] }));
    expect(second.status).toBe(201);
    expect(pick((await second.json()) as Result)).toEqual([{ patientId: 'p-adult', status: 'registered', code: 'S4', charged: 0, reason: 'SAME_DAY', refusjon: 102 }]);
  });

  it('at the same time: the same session sent twice and a single contact for a participant give one S4 each and one egenandel a patient-day', async () => {
    const a = api(fresh.app);
    const body = session({
      id: ids.session4,
      start: `${DAY}T11:00:00+01:00`,
      topic: 'Hjertegruppe',
      participants: [
        { patientId: 'r-1', patient: ADULT },
        { patientId: 'r-2', patient: ADULT },
      ],
    });
    // r-1's single contact at 10:30 is earlier than the session: whichever commits first, it ends up the bearer.
    const [g1, g2, single] = await Promise.all([
      a.group('nurse', body),
      a.group('nurse', body),
      a.single('nurse2', { id: ids.single2, patientId: 'r-1', start: `${DAY}T10:30:00+01:00`, kind: 'simple', lines: [{ code: 'S1a', quantity: 1 }], patient: ADULT }),
    ]);
    expect([g1.status, g2.status].every((s) => s === 200 || s === 201)).toBe(true);
    expect(single.status).toBe(201);
    const rows = await fresh.app.db.selectFrom('charge').select(['patient_id', 'code', 'egenandel', 'waiver_reason']).where('patient_id', 'in', ['r-1', 'r-2']).orderBy('patient_id').orderBy('code').execute();
    expect(rows.map((r) => [r.patient_id, r.code, Number(r.egenandel), r.waiver_reason])).toEqual([
      ['r-1', 'S1a', 50, null],
      ['r-1', 'S4', 0, 'SAME_DAY'],
      ['r-2', 'S4', 50, null],
    ]);
    const notes = await fresh.app.db.selectFrom('write_back').select('key').where('resource_type', '=', 'DocumentReference').where('patient_id', 'in', ['r-1', 'r-2']).execute();
    expect(notes).toHaveLength(3);
  });

  it('when the EPJ hides the GP charges: an unanswered participant waits, the others are registered; the resend finishes', async () => {
    const a = api(fresh.app, { gpChargesVisible: false });
    const body = session({
      id: ids.session3,
      start: `${DAY}T10:00:00+01:00`,
      participants: [
        { patientId: 'q-answered', patient: ADULT, paidElsewhereToday: false },
        { patientId: 'q-open', patient: ADULT },
      ],
    });
    const res = await a.group('nurse', body);
    expect(res.status).toBe(201);
    const first = (await res.json()) as Result;
    expect(first.complete).toBe(false);
    expect(first.participants.map((p) => [p.patientId, p.status, p.charge?.charged ?? p.message])).toEqual([
      ['q-answered', 'registered', 50],
      ['q-open', 'needs-answer', 'Er pasienten allerede belastet egenandel i dag?'],
    ]);
    const answered = session({
      id: ids.session3,
      start: `${DAY}T10:00:00+01:00`,
      participants: [
        { patientId: 'q-answered', patient: ADULT, paidElsewhereToday: false },
        { patientId: 'q-open', patient: ADULT, paidElsewhereToday: true },
      ],
    });
    const done = await a.group('nurse', answered);
    expect(done.status).toBe(201);
    const second = (await done.json()) as Result;
    expect(second.complete).toBe(true);
    expect(pick(second)).toEqual([
      { patientId: 'q-answered', status: 'already-registered', code: 'S4', charged: 50, reason: undefined, refusjon: 102 },
      { patientId: 'q-open', status: 'registered', code: 'S4', charged: 0, reason: 'SAME_DAY', refusjon: 102 },
    ]);
    expect(await fresh.app.db.selectFrom('charge').select('id').where('patient_id', 'in', ['q-answered', 'q-open']).execute()).toHaveLength(2);
  });
});

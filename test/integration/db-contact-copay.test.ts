// /api/contact-copay (issue 15 item 2) on real PGlite and a real PostgreSQL server: contacts and charges,
// the one-egenandel-a-day rule decided by the server and held by the database, cancellation, roles,
// validation at the edge, the journal note queued in the same transaction, and claims batches (model A).
// Expected amounts are written by hand from SPEC §5 Table 1 and the default catalogue (pilot-2018: S3 honorar
// 152, egenandel 100 (demo), refusjon 52; S6 152 / 0; S1a 69 / 50; 2ad 300 / 160) and SPEC §6.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../server/db/database';
import { BACKENDS, stopTestPostgres, useFreshDatabase } from '../support/database';
import { copayTestApp, PRACTICE } from '../support/copayApi';

afterAll(stopTestPostgres);

const NOW = Date.parse('2026-03-02T12:00:00Z');
const DAY = '2026-03-02';
const PATIENT = 'pat-1';
const ADULT = { birthDate: '1960-05-01' };

const ids = {
  nurse: '11111111-1111-4111-8111-111111111111',
  gp: '22222222-2222-4222-8222-222222222222',
  early: '33333333-3333-4333-8333-333333333333',
  frikort: '44444444-4444-4444-8444-444444444444',
  batch1: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
  batch2: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
};

interface Row {
  id: string;
  code: string;
  charged: number;
  waived: number;
  reason?: string;
  refusjon: number;
  cancelled: boolean;
  settled: boolean;
  refundOwed?: number;
}
interface Day {
  rows: Row[];
  bearerId?: string;
  journal: Record<string, string>;
  paidElsewhere?: boolean;
}

function api(app: AppDatabase) {
  const hono = copayTestApp(app.db, () => NOW);
  const send = (who: string, method: string, path: string, body?: unknown) =>
    hono.request(`/api/contact-copay${path}`, {
      method,
      headers: { 'x-test-actor': who, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    register: (who: string, body: unknown) => send(who, 'POST', '/contacts', body),
    day: (who: string, patient = PATIENT, day = DAY) => send(who, 'GET', `/patients/${patient}/days/${day}`),
    cancel: (who: string, chargeId: string, reason?: string) => send(who, 'POST', `/charges/${encodeURIComponent(chargeId)}/cancel`, reason ? { reason } : {}),
    charges: (who: string, from = DAY, to = DAY) => send(who, 'GET', `/manager/charges?from=${from}&to=${to}`),
    batches: (who: string) => send(who, 'GET', '/manager/claims'),
    mark: (who: string, body: unknown) => send(who, 'POST', '/manager/claims', body),
    undo: (who: string, batchId: string) => send(who, 'POST', `/manager/claims/${batchId}/undo`),
  };
}

const homeVisit = (over: Record<string, unknown> = {}) => ({
  id: ids.nurse,
  patientId: PATIENT,
  start: `${DAY}T08:30:00+01:00`,
  kind: 'home-visit',
  travelled: true,
  minutes: 20,
  lines: [
    { code: 'S3', quantity: 1 },
    { code: 'S6', quantity: 2 },
  ],
  suggested: [
    { code: 'S3', quantity: 1 },
    { code: 'S6', quantity: 2 },
  ],
  note: 'Hjemmebesøk etter fall. Blodtrykk 135/85.',
  patient: ADULT,
  ...over,
});

const consultation = (over: Record<string, unknown> = {}) => ({
  id: ids.gp,
  patientId: PATIENT,
  start: `${DAY}T08:31:00+01:00`,
  kind: 'follow-up',
  lines: [{ code: '2ad', quantity: 1 }],
  patient: ADULT,
  ...over,
});

const pick = (d: Day) => d.rows.map((r) => ({ code: r.code, charged: r.charged, reason: r.reason, refusjon: r.refusjon, cancelled: r.cancelled }));

describe.each(BACKENDS)('contact-copay API on %s', (backend) => {
  const fresh = useFreshDatabase(backend);
  let app: AppDatabase;
  beforeAll(async () => {
    app = fresh.app;
  });

  it('refuses bad input with 400 naming the field in Norwegian, storing nothing', async () => {
    const a = api(app);
    const cases: [unknown, string, string][] = [
      [homeVisit({ id: 'not-a-uuid' }), 'id', 'Kontakt-id: må være en uuid'],
      [homeVisit({ start: '2026-03-02T08:30' }), 'start', 'Tidspunkt: må være et tidspunkt med tidssone (ISO 8601)'],
      [homeVisit({ start: '2026-03-03T08:30:00+01:00' }), 'start', 'Tidspunkt: kan ikke være i fremtiden'],
      [homeVisit({ kind: 'party' }), 'kind', 'Kontakttype: er ikke en kjent kontakttype'],
      [homeVisit({ lines: [] }), 'lines', 'Takster: må ha minst én takst'],
      [homeVisit({ lines: [{ code: 'S3', quantity: 0 }] }), 'lines', 'Takster: må være minst 1'],
      [homeVisit({ patient: { birthDate: '01.05.1960' } }), 'patient', 'Pasientopplysninger: må være en dato på formen ÅÅÅÅ-MM-DD'],
      [homeVisit({ admin: true }), 'admin', 'Feltet «admin» er ukjent'],
      [homeVisit({ patientId: undefined }), 'patientId', 'Pasient: mangler'],
    ];
    for (const [body, field, message] of cases) {
      const res = await a.register('nurse', body);
      expect(res.status, message).toBe(400);
      expect(await res.json()).toEqual({ error: message, field });
    }
    const unknownCode = await a.register('nurse', homeVisit({ lines: [{ code: 'S99', quantity: 1 }] }));
    expect(unknownCode.status).toBe(422);
    expect(((await unknownCode.json()) as { field: string }).field).toBe('lines');
    expect(await app.db.selectFrom('charge').select('id').execute()).toEqual([]);
    expect(await app.db.selectFrom('contact').select('id').execute()).toEqual([]);
  });

  it('refuses a secretary, and a nurse registering a GP tariff (403)', async () => {
    const a = api(app);
    const sec = await a.register('secretary', homeVisit());
    expect(sec.status).toBe(403);
    expect(await sec.json()).toEqual({ error: 'Helsesekretær kan ikke registrere takster.' });
    const nurseGp = await a.register('nurse', consultation());
    expect(nurseGp.status).toBe(403);
    expect(((await nurseGp.json()) as { error: string }).error).toBe('Sykepleier kan ikke registrere legetaksten 2ad.');
    expect(await app.db.selectFrom('charge').select('id').execute()).toEqual([]);
  });

  it('nurse: a home visit with travel bears the day\'s egenandel on S3; a resend is the same contact', async () => {
    const a = api(app);
    const res = await a.register('nurse', homeVisit());
    expect(res.status).toBe(201);
    const body = (await res.json()) as { created: string[]; alreadySaved: boolean; day: Day };
    expect(body.created).toEqual([`${ids.nurse}:S3`, `${ids.nurse}:S6`]);
    expect(body.alreadySaved).toBe(false);
    expect(pick(body.day)).toEqual([
      { code: 'S3', charged: 100, reason: undefined, refusjon: 52, cancelled: false },
      { code: 'S6', charged: 0, reason: undefined, refusjon: 304, cancelled: false },
    ]);
    expect(body.day.bearerId).toBe(`${ids.nurse}:S3`);
    expect(body.day.journal).toEqual({ [ids.nurse]: 'pending' });
    // The journal note and (this EPJ accepts them) the two ChargeItems are queued in the same transaction.
    const queued = await app.db.selectFrom('write_back').select(['resource_type', 'source', 'iss']).where('practice_id', '=', PRACTICE).orderBy('key').execute();
    expect(queued.map((q) => q.resource_type).sort()).toEqual(['ChargeItem', 'ChargeItem', 'DocumentReference']);
    expect(new Set(queued.map((q) => q.source))).toEqual(new Set([`contact/${ids.nurse}`]));

    const again = await a.register('nurse', homeVisit());
    expect(again.status).toBe(200);
    expect(((await again.json()) as { alreadySaved: boolean }).alreadySaved).toBe(true);
    expect(await app.db.selectFrom('charge').select('id').execute()).toHaveLength(2);
    expect(await app.db.selectFrom('write_back').select('key').execute()).toHaveLength(3);
    // The same id for another patient is refused, not a second contact.
    expect((await a.register('nurse', homeVisit({ patientId: 'pat-2' }))).status).toBe(409);
  });

  it('GP: his consultation later that day is waived with SAME_DAY (refusjon = honorar - egenandel)', async () => {
    const a = api(app);
    const res = await a.register('gp', consultation());
    expect(res.status).toBe(201);
    const { day } = (await res.json()) as { day: Day };
    expect(pick(day)).toEqual([
      { code: 'S3', charged: 100, reason: undefined, refusjon: 52, cancelled: false },
      { code: 'S6', charged: 0, reason: undefined, refusjon: 304, cancelled: false },
      { code: '2ad', charged: 0, reason: 'SAME_DAY', refusjon: 140, cancelled: false },
    ]);
    expect(day.rows[2]?.waived).toBe(160);
  });

  it('an earlier contact registered later becomes the bearer; the others are waived', async () => {
    const a = api(app);
    const res = await a.register('nurse2', { id: ids.early, patientId: PATIENT, start: `${DAY}T07:45:00+01:00`, kind: 'simple', lines: [{ code: 'S1a', quantity: 1 }], patient: ADULT });
    expect(res.status).toBe(201);
    const { day } = (await res.json()) as { day: Day };
    expect(pick(day)).toEqual([
      { code: 'S1a', charged: 50, reason: undefined, refusjon: 19, cancelled: false },
      { code: 'S3', charged: 0, reason: 'SAME_DAY', refusjon: 52, cancelled: false },
      { code: 'S6', charged: 0, reason: undefined, refusjon: 304, cancelled: false },
      { code: '2ad', charged: 0, reason: 'SAME_DAY', refusjon: 140, cancelled: false },
    ]);
    expect(day.bearerId).toBe(`${ids.early}:S1a`);
  });

  it('cancelling: a nurse may not cancel the GP\'s charge; cancelling the bearer moves the egenandel', async () => {
    const a = api(app);
    const refused = await a.cancel('nurse', `${ids.gp}:2ad`);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: 'Sykepleier kan ikke kansellere legens takst.' });
    const colleague = await a.cancel('nurse', `${ids.early}:S1a`);
    expect(colleague.status).toBe(403);
    expect(await colleague.json()).toEqual({ error: 'Bare den som registrerte tjenesten, eller daglig leder, kan kansellere den.' });

    const done = await a.cancel('nurse2', `${ids.early}:S1a`, 'Registrert på feil pasient');
    expect(done.status).toBe(200);
    const body = (await done.json()) as { cancelled: boolean; day: Day };
    expect(body.cancelled).toBe(true);
    expect(pick(body.day)).toEqual([
      { code: 'S1a', charged: 0, reason: 'CANCELLED', refusjon: 0, cancelled: true },
      { code: 'S3', charged: 100, reason: undefined, refusjon: 52, cancelled: false },
      { code: 'S6', charged: 0, reason: undefined, refusjon: 304, cancelled: false },
      { code: '2ad', charged: 0, reason: 'SAME_DAY', refusjon: 140, cancelled: false },
    ]);
    // The nurse cancels her own S3: the GP consultation is next in line.
    const s3 = (await (await a.cancel('nurse', `${ids.nurse}:S3`)).json()) as { day: Day };
    expect(s3.day.bearerId).toBe(`${ids.gp}:2ad`);
    expect(s3.day.rows.find((r) => r.code === '2ad')).toMatchObject({ charged: 160, refusjon: 140 });
    expect(s3.day.rows.some((r) => r.refundOwed)).toBe(false);
    // Cancelling again is a no-op (a resend).
    expect(((await (await a.cancel('nurse', `${ids.nurse}:S3`)).json()) as { cancelled: boolean }).cancelled).toBe(false);
  });

  it('a frikort (F) day exemption: no egenandel, refusjon = honorar', async () => {
    const a = api(app);
    const res = await a.register('nurse', {
      id: ids.frikort,
      patientId: 'pat-frikort',
      start: `${DAY}T10:00:00+01:00`,
      kind: 'follow-up',
      lines: [{ code: 'S2a', quantity: 1 }],
      patient: { birthDate: '1950-01-01', exemptions: [{ code: 'F', from: '2026-01-15' }] },
    });
    const { day } = (await res.json()) as { day: Day };
    expect(pick(day)).toEqual([{ code: 'S2a', charged: 0, reason: 'F', refusjon: 152, cancelled: false }]);
    expect(day.bearerId).toBeUndefined();
  });

  it('the database itself refuses a second bearer for one patient-day', async () => {
    const bearer = await app.db.selectFrom('charge').selectAll().where('id', '=', `${ids.gp}:2ad`).executeTakeFirstOrThrow();
    expect(Number(bearer.egenandel)).toBe(160);
    await expect(
      sql`update charge set egenandel = 100, waiver_reason = null where practice_id = ${PRACTICE} and id = ${`${ids.nurse}:S6`}`.execute(app.db),
    ).rejects.toThrow();
    await expect(
      sql`update charge set egenandel = tariff_egenandel, waiver_reason = null, cancelled_at = null, cancelled_by = null where id = ${`${ids.early}:S1a`}`.execute(app.db),
    ).rejects.toThrow(/charge_one_egenandel_a_day|duplicate key/);
  });

  it('claims (model A): the daglig leder marks a batch once, sees the history, and undoes only the last', async () => {
    const a = api(app);
    expect((await a.charges('nurse')).status).toBe(403);
    const listed = (await (await a.charges('manager')).json()) as { charges: { id: string; egenandelCharged: number; cancelled: boolean; claimedAt?: string; performerRole: string }[] };
    expect(listed.charges.map((c) => [c.id.split(':')[1], c.performerRole, c.egenandelCharged, c.cancelled])).toEqual([
      ['S1a', 'nurse', 0, true],
      ['S3', 'nurse', 0, true],
      ['S6', 'nurse', 0, false],
      ['2ad', 'gp', 160, false],
      ['S2a', 'nurse', 0, false],
    ]);
    const first = await a.mark('manager', { batchId: ids.batch1, chargeIds: [`${ids.nurse}:S6`, `${ids.gp}:2ad`], period: { from: DAY, to: DAY } });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ marked: 2, batch: { charges: 2, honorar: 604, egenandel: 160, refusjon: 444, undoable: true } });
    expect((await a.mark('manager', { batchId: ids.batch1, chargeIds: [`${ids.nurse}:S6`] })).status).toBe(200);
    // Never twice: the same charges in a new batch are refused.
    const twice = await a.mark('manager', { batchId: ids.batch2, chargeIds: [`${ids.nurse}:S6`] });
    expect(twice.status).toBe(409);
    expect((await a.mark('nurse', { batchId: ids.batch2, chargeIds: [`${ids.frikort}:S2a`] })).status).toBe(403);
    expect((await a.mark('manager', { batchId: ids.batch2, chargeIds: [`${ids.frikort}:S2a`] })).status).toBe(201);
    // Only the last batch may be undone.
    expect((await a.undo('manager', ids.batch1)).status).toBe(409);
    const undone = await a.undo('manager', ids.batch2);
    expect(undone.status).toBe(200);
    const history = (await (await a.batches('manager')).json()) as { batches: { id: string; undoneBy?: string; undoable: boolean }[] };
    expect(history.batches.map((b) => [b.id, b.undoneBy, b.undoable])).toEqual([
      [ids.batch2, 'Practitioner/gp-9', false],
      [ids.batch1, undefined, true],
    ]);
    const after = (await (await a.charges('manager')).json()) as { charges: { id: string; claimedAt?: string }[] };
    expect(after.charges.filter((c) => c.claimedAt).map((c) => c.id)).toEqual([`${ids.nurse}:S6`, `${ids.gp}:2ad`]);
  });

  it('a settled (claimed) bearer that is cancelled stays cancelled and is flagged for refund', async () => {
    const a = api(app);
    const res = await a.cancel('gp', `${ids.gp}:2ad`);
    const { day } = (await res.json()) as { day: Day };
    expect(day.rows.find((r) => r.code === '2ad')).toMatchObject({ charged: 0, cancelled: true, refundOwed: 160 });
    expect(day.bearerId).toBeUndefined();
  });

  it('where the app cannot see GP charges, the first egenandel of a day asks whether the patient already paid', async () => {
    const hono = copayTestApp(app.db, () => NOW, { gpChargesVisible: false });
    const post = (body: unknown) =>
      hono.request('/api/contact-copay/contacts', { method: 'POST', headers: { 'x-test-actor': 'nurse', 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const body = { id: '55555555-5555-4555-8555-555555555555', patientId: 'pat-ask', start: `${DAY}T09:00:00+01:00`, kind: 'follow-up', lines: [{ code: 'S2a', quantity: 1 }], patient: ADULT };
    const asked = await post(body);
    expect(asked.status).toBe(422);
    expect(await asked.json()).toEqual({ error: 'Er pasienten allerede belastet egenandel i dag?', field: 'paidElsewhereToday', needsAnswer: true });
    expect(await app.db.selectFrom('contact').select('id').where('patient_id', '=', 'pat-ask').execute()).toEqual([]);
    // «Ja»: the answer counts as a settled bearer, so this contact is waived; the answer is kept for the day.
    const saved = (await (await post({ ...body, paidElsewhereToday: true })).json()) as { day: Day };
    expect(pick(saved.day)).toEqual([{ code: 'S2a', charged: 0, reason: 'SAME_DAY', refusjon: 52, cancelled: false }]);
    expect(saved.day.paidElsewhere).toBe(true);
    const next = await post({ ...body, id: '66666666-6666-4666-8666-666666666666', start: `${DAY}T10:00:00+01:00` });
    expect(next.status).toBe(201);
  });

  it('keeps practices apart, and records registrations and reads in the audit log', async () => {
    const a = api(app);
    const other = (await (await a.day('other')).json()) as Day;
    expect(other.rows).toEqual([]);
    const audit = await app.db.selectFrom('audit_log').select(['action']).where('practice_id', '=', PRACTICE).execute();
    const actions = new Set(audit.map((r) => r.action));
    expect([...actions].sort()).toEqual(['cancel-charge', 'mark-claimed', 'read-list', 'register-contact', 'undo-claims']);
  });
});

// The registration's statements (issue 19 target 3): the day's decision when an earlier charge GAINS the
// egenandel (its own statements, after the new charges), the answer equal to a fresh read of the day, and the
// number of statements a plain registration sends inside its transaction (BEGIN and COMMIT not counted).
describe.each(BACKENDS)('contact-copay registration statements on %s', (backend) => {
  const fresh = useFreshDatabase(backend);
  const DAY1 = '2026-03-01';
  const early = '55555555-5555-4555-8555-555555555555';
  const later = '66666666-6666-4666-8666-666666666666';
  const third = '77777777-7777-4777-8777-777777777777';
  const visit = (id: string, hhmm: string, patient: object) => ({ id, patientId: 'pat-up', start: `${DAY1}T${hhmm}:00+01:00`, kind: 'home-visit', lines: [{ code: 'S3', quantity: 1 }], patient });

  it('an earlier charge that gains the egenandel is updated, and the answer is the day as a fresh read shows it', async () => {
    const a = api(fresh.app);
    // 09:00 with a frikort: no egenandel (SPEC §6: the patient's exemption).
    const first = (await (await a.register('nurse', visit(early, '09:00', { birthDate: '1950-01-01', exemptions: [{ code: 'F', from: '2026-01-15' }] }))).json()) as { day: Day };
    expect(pick(first.day)).toEqual([{ code: 'S3', charged: 0, reason: 'F', refusjon: 152, cancelled: false }]);
    // 10:00 without it (the day is decided again with these facts): 09:00 now bears the day's egenandel.
    const res = await a.register('nurse', visit(later, '10:00', { birthDate: '1950-01-01' }));
    expect(res.status).toBe(201);
    const second = (await res.json()) as { day: Day };
    expect(pick(second.day)).toEqual([
      { code: 'S3', charged: 100, reason: undefined, refusjon: 52, cancelled: false },
      { code: 'S3', charged: 0, reason: 'SAME_DAY', refusjon: 52, cancelled: false },
    ]);
    expect(second.day.bearerId).toBe(`${early}:S3`);
    expect(second.day.journal).toEqual({ [early]: 'pending', [later]: 'pending' });
    expect(second.day).toEqual(await (await a.day('nurse', 'pat-up', DAY1)).json());
  });

  it('a plain registration sends 2 statements inside its transaction, and answers the day as a fresh read shows it', async () => {
    let statements = 0;
    const counted = fresh.app.db.withPlugin({
      transformQuery: (args) => {
        statements++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const hono = copayTestApp(counted, () => NOW);
    const res = await hono.request('/api/contact-copay/contacts', {
      method: 'POST',
      headers: { 'x-test-actor': 'nurse', 'content-type': 'application/json' },
      body: JSON.stringify(visit(third, '11:00', { birthDate: '1950-01-01' })),
    });
    expect(res.status).toBe(201);
    // 1. lock the patient-day (with the patient's facts) + look the contact id up + the day's charges;
    // 2. the contact + the charges + journal note and ChargeItems (outbox) + audit. The answer is built from them.
    expect(statements).toBe(2);
    const { day } = (await res.json()) as { day: Day };
    expect(pick(day).map((r) => [r.charged, r.reason])).toEqual([
      [100, undefined],
      [0, 'SAME_DAY'],
      [0, 'SAME_DAY'],
    ]);
    expect(day.journal).toEqual({ [early]: 'pending', [later]: 'pending', [third]: 'pending' });
    expect(day).toEqual(await (await api(fresh.app).day('nurse', 'pat-up', DAY1)).json());
  });
});

// The registration reads the day's charges in the statement that locks the day, from that statement's snapshot
// (0070): when another transaction held the day's lock meanwhile and changed the day, the version shows it and
// the charges are read again under the lock, so the decision sees the other charge without a collision and a
// retry. PostgreSQL only: PGlite runs one transaction at a time.
describe('contact-copay registration after another transaction changed the day, on PostgreSQL', () => {
  const fresh = useFreshDatabase('PostgreSQL');
  const DAY2 = '2026-03-02';
  const held = '88888888-8888-4888-8888-888888888888';
  const mine = '99999999-9999-4999-8999-999999999999';

  it('reads the day again under the lock (3 statements, no retry) and leaves exactly one egenandel, on the earlier charge', async () => {
    const db = fresh.app.db;
    // Another writer: locks pat-race's day as every writer does, and adds a 09:00 charge that bears the egenandel.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const other = db.transaction().execute(async (tx) => {
      await sql`insert into copay_day (practice_id, patient_id, oslo_day, version) values (${PRACTICE}, 'pat-race', ${DAY2}, 1)
        on conflict (practice_id, patient_id, oslo_day) do update set version = copay_day.version + 1`.execute(tx);
      locked();
      await released;
      await sql`insert into contact (practice_id, id, patient_id, oslo_day, started_at, kind, registered_by, registered_role, registered_at, iss)
        values (${PRACTICE}, ${held}, 'pat-race', ${DAY2}, ${`${DAY2}T09:00:00+01:00`}, 'home-visit', 'Practitioner/nurse-2', 'nurse', ${new Date(NOW)}, 'https://epj.test/fhir')`.execute(tx);
      await sql`insert into charge (practice_id, id, contact_id, patient_id, oslo_day, at, code, text, profession, performer, quantity, honorar, tariff_egenandel, egenandel, refusjon, catalogue_id, registered_at)
        values (${PRACTICE}, ${`${held}:S3`}, ${held}, 'pat-race', ${DAY2}, ${`${DAY2}T09:00:00+01:00`}, 'S3', 'Sykebesøk', 'nurse', 'Practitioner/nurse-2', 1, 252, 100, 100, 152, 'test', ${new Date(NOW)})`.execute(tx);
    });
    await isLocked;
    let statements = 0;
    const counted = db.withPlugin({
      transformQuery: (args) => {
        statements++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const hono = copayTestApp(counted, () => NOW);
    // 10:00, registered while the other writer holds the day: its first statement waits for the lock.
    const answer = hono.request('/api/contact-copay/contacts', {
      method: 'POST',
      headers: { 'x-test-actor': 'nurse', 'content-type': 'application/json' },
      body: JSON.stringify({ id: mine, patientId: 'pat-race', start: `${DAY2}T10:00:00+01:00`, kind: 'home-visit', lines: [{ code: 'S3', quantity: 1 }], patient: { birthDate: '1950-01-01' } }),
    });
    // Let the other writer commit once the registration waits for the day's lock.
    for (;;) {
      const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`.execute(db);
      if (Number(waiting.rows[0]?.n) > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    release();
    await other;
    const res = await answer;
    expect(res.status).toBe(201);
    // 1. lock + the snapshot's (empty) day; 2. the day read again under the lock; 3. the writes.
    expect(statements).toBe(3);
    const { day } = (await res.json()) as { day: Day };
    expect(day.rows.map((r) => [r.id, r.charged, r.reason])).toEqual([
      [`${held}:S3`, 100, undefined],
      [`${mine}:S3`, 0, 'SAME_DAY'],
    ]);
    const bearers = await sql<{ n: number }>`select count(*)::int as n from charge where patient_id = 'pat-race' and egenandel > 0 and cancelled_at is null`.execute(db);
    expect(Number(bearers.rows[0]?.n)).toBe(1);
  });
});

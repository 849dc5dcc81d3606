// Undo of the secretary's last triage within 10 s (issue 17 item 14) on PGlite and PostgreSQL: the undo
// deletes the task the triage made (and its queued journal note), the message is back in the inbox, a
// second undo answers the same, and it is refused for someone else's triage, an older triage than the
// user's last, after 10 s, and once the nurse has worked on the task. Clock fixed and moved by hand.
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../server/db/database';
import type { Actor } from '../../server/epj/actor';
import { followUpRoutes } from '../../server/features/follow-up/routes';
import type { ResolveActor } from '../../server/features/settings/routes';
import { BACKENDS, stopTestPostgres, useFreshDatabase } from '../support/database';

afterAll(stopTestPostgres);

const ISS = 'https://epj.test/fhir';
const PRACTICE = 'Organization/org-practice';
// Monday 23 November 2026, 09:00 Oslo.
const START = Date.parse('2026-11-23T08:00:00Z');
const actors: Record<string, Actor> = {
  sec: { practiceId: PRACTICE, user: 'Practitioner/sec-1', role: 'secretary', practiceManager: false },
  sec2: { practiceId: PRACTICE, user: 'Practitioner/sec-2', role: 'secretary', practiceManager: false },
  nurse: { practiceId: PRACTICE, user: 'Practitioner/nurse-1', role: 'nurse', practiceManager: false },
  viewer: { practiceId: PRACTICE, user: 'Practitioner/x', role: 'viewer', practiceManager: false },
};

const patient = (id: string): Resource => ({ resourceType: 'Patient', id, name: [{ text: `Test ${id}` }], birthDate: '1980-01-01' });
const discharge = (id: string, patientId: string, end: string): Resource => ({
  resourceType: 'Encounter',
  id,
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
  subject: { reference: `Patient/${patientId}` },
  serviceProvider: { reference: 'Organization/org-ahus', display: 'Akershus universitetssykehus' },
  period: { start: '2026-11-15T10:00:00+01:00', end },
});
// Three patients of 46 (in no target group), discharged Wed 18, Thu 19 and Fri 20 Nov.
const RESOURCES: Resource[] = [
  patient('pat-a'),
  patient('pat-b'),
  patient('pat-c'),
  discharge('enc-a', 'pat-a', '2026-11-18T12:00:00+01:00'),
  discharge('enc-b', 'pat-b', '2026-11-19T12:00:00+01:00'),
  discharge('enc-c', 'pat-c', '2026-11-20T12:00:00+01:00'),
  // pat-a's epikrise: 320 characters of text, so the preview (300) is cut.
  {
    resourceType: 'DocumentReference',
    id: 'doc-a',
    status: 'current',
    type: { coding: [{ system: 'http://loinc.org', code: '18842-5' }] },
    subject: { reference: 'Patient/pat-a' },
    content: [{ attachment: { contentType: 'text/plain', data: Buffer.from(`Epikrise fra Ahus.\n${'x'.repeat(302)}`).toString('base64') } }],
  },
];

async function fakeGet(url: URL): Promise<Response> {
  const type = url.pathname.split('/').at(-1) ?? '';
  let found = ['Patient', 'Encounter', 'DocumentReference'].includes(type) && (type !== 'DocumentReference' || url.searchParams.has('_id')) ? RESOURCES.filter((r) => r.resourceType === type) : [];
  const ids = url.searchParams.get('_id');
  if (ids) found = found.filter((r) => ids.split(',').includes(r.id ?? ''));
  const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', entry: found.map((resource) => ({ resource, search: { mode: 'match' } })) };
  return new Response(JSON.stringify(bundle), { status: 200, headers: { 'content-type': 'application/fhir+json' } });
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe.each(BACKENDS)('undo of the last triage on %s', (backend) => {
  const fresh = useFreshDatabase(backend);
  let app: AppDatabase;
  let now = START;
  let call: (who: string, method: string, path: string, body?: unknown) => Promise<{ status: number; json: Record<string, unknown> }>;
  beforeAll(async () => {
    app = fresh.app;
    const actor: ResolveActor = async (c) => {
      const a = actors[c.req.header('x-test-actor') ?? ''];
      return a ? { actor: a } : { response: c.json({ error: 'Økten er utløpt' }, 401) };
    };
    const hono = new Hono();
    hono.route('/api/follow-up', followUpRoutes({ db: app.db, actor, epj: async () => ({ iss: ISS, get: fakeGet }), now: () => now }));
    call = async (who, method, path, body) => {
      const res = await hono.request(`/api/follow-up${path}`, {
        method,
        headers: { 'x-test-actor': who, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
  });

  const keyOf = async (patientId: string): Promise<string> => {
    const inbox = await call('sec', 'GET', '/inbox');
    const rows = inbox.json.rows as { key: string; patientId: string; task: unknown }[];
    return rows.find((r) => r.patientId === patientId)?.key ?? '';
  };
  const taskOf = async (patientId: string) => {
    const inbox = await call('sec', 'GET', '/inbox');
    return (inbox.json.rows as { patientId: string; task: { id: string } | null }[]).find((r) => r.patientId === patientId)?.task ?? null;
  };

  it('undoes «ingen oppfølging» within 10 s: task and queued note gone, message back, a second undo the same', async () => {
    const key = await keyOf('pat-a');
    const triaged = await call('sec', 'POST', '/inbox/triage', { id: uuid(1), episodeKey: key, action: 'no-follow-up', reason: 'followed-up-elsewhere' });
    expect(triaged.status).toBe(201);
    expect(await app.db.selectFrom('write_back').select('key').where('source', '=', `follow-up/${uuid(1)}`).execute()).toHaveLength(1);
    now = START + 9_000;
    expect((await call('sec2', 'POST', '/inbox/triage/undo', { id: uuid(1) })).status).toBe(403);
    expect((await call('viewer', 'POST', '/inbox/triage/undo', { id: uuid(1) })).status).toBe(403);
    expect(await call('sec', 'POST', '/inbox/triage/undo', { id: 'x' })).toEqual({ status: 400, json: { error: 'Id: må være en uuid', field: 'id' } });
    expect(await call('sec', 'POST', '/inbox/triage/undo', { id: uuid(1) })).toEqual({ status: 200, json: { undone: uuid(1) } });
    expect(await call('sec', 'POST', '/inbox/triage/undo', { id: uuid(1) })).toEqual({ status: 200, json: { undone: uuid(1) } });
    expect(await taskOf('pat-a')).toBeNull();
    expect(await app.db.selectFrom('write_back').select('key').where('source', '=', `follow-up/${uuid(1)}`).execute()).toEqual([]);
    const audit = await app.db.selectFrom('audit_log').select(['actor', 'patient_id']).where('action', '=', 'undo-triage').execute();
    expect(audit).toEqual([{ actor: 'Practitioner/sec-1', patient_id: 'pat-a' }]);
  });

  it('previews the first 300 characters of the epikrise, only for its own patient', async () => {
    const preview = await call('sec', 'GET', '/inbox/preview?ref=DocumentReference/doc-a&patientId=pat-a');
    expect(preview.status).toBe(200);
    // «Epikrise fra Ahus.» + a space (the line break) + 281 x = 300 characters, then « …».
    expect(preview.json).toEqual({ preview: `Epikrise fra Ahus. ${'x'.repeat(281)} …`, truncated: true });
    expect((await call('sec', 'GET', '/inbox/preview?ref=DocumentReference/doc-a&patientId=pat-b')).status).toBe(404);
    expect(await call('sec', 'GET', '/inbox/preview?ref=Patient/pat-a&patientId=pat-a')).toEqual({ status: 400, json: { error: 'Epikrise: må være DocumentReference/<id> eller Communication/<id>.', field: 'ref' } });
    expect((await call('viewer', 'GET', '/inbox/preview?ref=DocumentReference/doc-a&patientId=pat-a')).status).toBe(403);
  });

  it('refuses after 10 s, for an older triage than the last one, and once the nurse has logged an attempt', async () => {
    now = START + 60_000;
    await call('sec', 'POST', '/inbox/triage', { id: uuid(2), episodeKey: await keyOf('pat-b'), action: 'create', owner: 'Practitioner/nurse-1' });
    now += 1_000;
    await call('sec', 'POST', '/inbox/triage', { id: uuid(3), episodeKey: await keyOf('pat-c'), action: 'create' });
    now += 1_000;
    expect(await call('sec', 'POST', '/inbox/triage/undo', { id: uuid(2) })).toEqual({ status: 409, json: { error: 'Bare den siste vurderingen din kan angres.' } });
    await call('nurse', 'POST', `/tasks/${uuid(3)}/attempts`, { id: uuid(4), at: '2026-11-23T09:01:00+01:00', channel: 'phone', successful: false });
    expect((await call('sec', 'POST', '/inbox/triage/undo', { id: uuid(3) })).json).toEqual({ error: 'Oppgaven er allerede tatt i bruk av teamet og kan ikke angres.' });
    now += 10_000;
    expect((await call('sec', 'POST', '/inbox/triage/undo', { id: uuid(3) })).json.error).toMatch(/^Det er gått mer enn 10 sekunder/);
    expect(await taskOf('pat-b')).toMatchObject({ id: uuid(2) });
    expect(await taskOf('pat-c')).toMatchObject({ id: uuid(3), status: 'attempted' });
  });
});

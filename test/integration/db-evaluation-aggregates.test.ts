// The evaluation export's two aggregates from other slices (issue 18 item 4), on real PGlite and PostgreSQL:
// GET /api/target-groups/manager/outreach (outreach outcomes) and GET /api/contact-copay/manager/contacts
// (contacts by profession and channel) for a period. Daglig leder only; counts only, no identifiers; the
// period is in Oslo days. Expected counts written by hand from the rows seeded below.
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../server/db/database';
import type { Actor } from '../../server/epj/actor';
import { targetGroupRoutes } from '../../server/features/target-groups/routes';
import { recordOutreach } from '../../server/features/target-groups/store';
import { ACTORS, copayTestApp, PRACTICE } from '../support/copayApi';
import { BACKENDS, stopTestPostgres, useFreshDatabase } from '../support/database';

afterAll(stopTestPostgres);

const NOW = Date.parse('2026-07-02T10:00:00Z');
const ADULT = { birthDate: '1960-05-01' };
const JUNE = '?from=2026-06-01&to=2026-06-30';

function tgApp(app: AppDatabase): Hono {
  const hono = new Hono();
  hono.route(
    '/api/target-groups',
    targetGroupRoutes({
      db: app.db,
      now: () => NOW,
      actor: async (c) => {
        const who: Actor | undefined = ACTORS[c.req.header('x-test-actor') ?? ''];
        return who ? { actor: who } : { response: c.json({ error: 'Økten er utløpt' }, 401) };
      },
      epj: async () => undefined,
    }),
  );
  return hono;
}

let n = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

async function outreach(app: AppDatabase, patientId: string, at: string, need: 'follow-up-needed' | 'no-follow-up-needed' | 'not-reached', accepted?: boolean) {
  await recordOutreach(app.db, PRACTICE, {
    id: uuid(),
    patientId,
    need,
    ...(accepted === undefined ? {} : { offer: { kind: 'consultation' as const, date: at.slice(0, 10), accepted } }),
    note: '',
    by: 'Practitioner/nurse-1',
    byName: 'Siri Sykepleier',
    at: new Date(at),
  });
}

describe.each(BACKENDS)('evaluation aggregates on %s', (backend) => {
  const fresh = useFreshDatabase(backend);
  let app: AppDatabase;
  beforeAll(async () => {
    app = fresh.app;
    // Outreach (Oslo days): p1 not reached on 1 June (22:30 UTC on 31 May), then accepted on 10 June;
    // p2 declined; p3 and p4 assessed without an offer; p5 not reached; p6 on 31 May and p7 on 1 July
    // (Oslo) are outside June. Another practice's p8 is not counted.
    await outreach(app, 'p1', '2026-05-31T22:30:00Z', 'not-reached');
    await outreach(app, 'p1', '2026-06-10T09:00:00Z', 'follow-up-needed', true);
    await outreach(app, 'p2', '2026-06-11T09:00:00Z', 'follow-up-needed', false);
    await outreach(app, 'p3', '2026-06-12T09:00:00Z', 'no-follow-up-needed');
    await outreach(app, 'p4', '2026-06-12T10:00:00Z', 'follow-up-needed');
    await outreach(app, 'p5', '2026-06-30T21:30:00Z', 'not-reached');
    await outreach(app, 'p6', '2026-05-31T21:30:00Z', 'follow-up-needed', true);
    await outreach(app, 'p7', '2026-06-30T22:30:00Z', 'follow-up-needed', true);
    await recordOutreach(app.db, 'Organization/org-b', { id: uuid(), patientId: 'p8', need: 'not-reached', note: '', by: 'x', byName: 'x', at: new Date('2026-06-15T09:00:00Z') });

    // Contacts (Oslo days): June has gp in person 1 (no channel given), gp video 1, nurse phone 2, nurse
    // written 1 (23:30 on 30 June), nurse home visit 1; a nurse phone call at 00:30 on 1 July is outside.
    const copay = copayTestApp(app.db, () => NOW);
    const contact = async (who: string, patientId: string, start: string, kind: string, lines: { code: string; quantity: number }[], channel?: string) => {
      const res = await copay.request('/api/contact-copay/contacts', {
        method: 'POST',
        headers: { 'x-test-actor': who, 'content-type': 'application/json' },
        body: JSON.stringify({ id: uuid(), patientId, start, kind, lines, patient: ADULT, ...(channel ? { channel } : {}) }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
    };
    await contact('nurse', 'p1', '2026-06-02T09:00:00+02:00', 'simple', [{ code: 'S1a', quantity: 1 }], 'phone');
    await contact('nurse2', 'p2', '2026-06-03T09:00:00+02:00', 'simple', [{ code: 'S1a', quantity: 1 }], 'phone');
    await contact('nurse', 'p3', '2026-06-04T09:00:00+02:00', 'home-visit', [{ code: 'S3', quantity: 1 }]);
    await contact('nurse', 'p4', '2026-06-30T23:30:00+02:00', 'simple', [{ code: 'S1a', quantity: 1 }], 'written');
    await contact('gp', 'p5', '2026-06-05T09:00:00+02:00', 'follow-up', [{ code: '2ad', quantity: 1 }]);
    await contact('gp', 'p6', '2026-06-06T09:00:00+02:00', 'follow-up', [{ code: '2ad', quantity: 1 }], 'video');
    await contact('nurse', 'p7', '2026-07-01T00:30:00+02:00', 'simple', [{ code: 'S1a', quantity: 1 }], 'phone');
  }, 120_000);

  it('outreach in June: each patient once by the latest assessment, counts only', async () => {
    const res = await tgApp(app).request(`/api/target-groups/manager/outreach${JUNE}`, { headers: { 'x-test-actor': 'manager' } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ period: { from: '2026-06-01', to: '2026-06-30' }, outreach: { notOffered: 2, accepted: 1, declined: 1, noAnswer: 1 } });
    expect(text).not.toMatch(/p\d|Practitioner|Siri/);
    // One day: only p1's first assessment (1 June, Oslo) and nothing else.
    const day = await tgApp(app).request('/api/target-groups/manager/outreach?from=2026-06-01&to=2026-06-01', { headers: { 'x-test-actor': 'manager' } });
    expect(((await day.json()) as { outreach: unknown }).outreach).toEqual({ notOffered: 0, accepted: 0, declined: 0, noAnswer: 1 });
  });

  it('contacts in June by profession and channel, counts only', async () => {
    const res = await copayTestApp(app.db, () => NOW).request(`/api/contact-copay/manager/contacts${JUNE}`, { headers: { 'x-test-actor': 'manager' } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      period: { from: '2026-06-01', to: '2026-06-30' },
      contacts: [
        { profession: 'gp', channel: 'in-person', count: 1 },
        { profession: 'gp', channel: 'video', count: 1 },
        { profession: 'nurse', channel: 'phone', count: 2 },
        { profession: 'nurse', channel: 'written', count: 1 },
        { profession: 'nurse', channel: 'home-visit', count: 1 },
      ],
    });
    expect(text).not.toMatch(/p\d|Practitioner/);
  });

  it('daglig leder only; a bad period is refused with 400 naming the field', async () => {
    const tg = tgApp(app);
    const copay = copayTestApp(app.db, () => NOW);
    for (const who of ['gp', 'nurse', 'secretary']) {
      const a = await tg.request(`/api/target-groups/manager/outreach${JUNE}`, { headers: { 'x-test-actor': who } });
      expect(a.status).toBe(403);
      expect(((await a.json()) as { error: string }).error).toBe('Bare daglig leder kan hente tallene til evalueringen.');
      expect((await copay.request(`/api/contact-copay/manager/contacts${JUNE}`, { headers: { 'x-test-actor': who } })).status).toBe(403);
    }
    const bad = await tg.request('/api/target-groups/manager/outreach?from=2026-02-30&to=2026-06-30', { headers: { 'x-test-actor': 'manager' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'Fra: må være en dato på formen ÅÅÅÅ-MM-DD.', field: 'from' });
    const reversed = await tg.request('/api/target-groups/manager/outreach?from=2026-06-30&to=2026-06-01', { headers: { 'x-test-actor': 'manager' } });
    expect(reversed.status).toBe(400);
    const missing = await copay.request('/api/contact-copay/manager/contacts?from=2026-06-01', { headers: { 'x-test-actor': 'manager' } });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { field: string }).field).toBe('to');
  });
});

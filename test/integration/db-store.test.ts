// The database foundation (issue 15 items 1, 3, 4, 5) against real PGlite and a real PostgreSQL server.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../server/db/database';
import { migrateToLatest } from '../../server/db/migrate';
import { cleanupSessions, pgSessionStore } from '../../server/db/sessionStore';
import { appendAudit } from '../../server/features/audit/store';
import { getSettings, saveSettings } from '../../server/features/settings/store';
import { DEFAULT_SETTINGS, type PracticeSettings } from '../../src/domain/settings';
import { BACKENDS, stopTestPostgres, useFreshDatabase } from '../support/database';

afterAll(stopTestPostgres);

const AT = new Date('2026-03-02T08:00:00Z');

describe.each(BACKENDS)('database on %s', (backend) => {
  const fresh = useFreshDatabase(backend);
  let app: AppDatabase;
  beforeAll(async () => {
    app = fresh.app;
  });

  it('has applied every migration, and running them again applies none', async () => {
    expect(await migrateToLatest(app.db)).toEqual([]);
    const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(app.db);
    expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['app_session', 'audit_log', 'practice_settings']));
  });

  it('gives the defaults at version 0 for a practice that never saved', async () => {
    expect(await getSettings(app.db, 'org-never')).toEqual({ settings: DEFAULT_SETTINGS, version: 0, updatedAt: null, updatedBy: null });
  });

  it('saves settings with optimistic concurrency, per practice', async () => {
    const mine: PracticeSettings = { ...DEFAULT_SETTINGS, financingModel: 'B', closedDates: ['2026-12-24', '2026-12-31'], digitalBookingShare: 0.42 };
    const first = await saveSettings(app.db, 'org-a', mine, { expectedVersion: 0, by: 'Practitioner/gp-1', at: AT });
    expect(first).toEqual({ ok: true, stored: { settings: mine, version: 1, updatedAt: '2026-03-02T08:00:00.000Z', updatedBy: 'Practitioner/gp-1' } });
    // A second editor who also started from version 0 is refused and shown what is stored.
    const stale = await saveSettings(app.db, 'org-a', DEFAULT_SETTINGS, { expectedVersion: 0, by: 'Practitioner/gp-2', at: AT });
    expect(stale).toEqual({ ok: false, current: expect.objectContaining({ version: 1, settings: mine }) });
    const again = await saveSettings(app.db, 'org-a', { ...mine, saturdayIsWorkingDay: true }, { expectedVersion: 1, by: 'Practitioner/gp-1', at: AT });
    expect(again.ok && again.stored.version).toBe(2);
    expect((await saveSettings(app.db, 'org-a', mine, { expectedVersion: 1, by: 'x', at: AT })).ok).toBe(false);
    // Another practice (tenant) is untouched.
    expect((await getSettings(app.db, 'org-b')).version).toBe(0);
  });

  it('refuses settings the constraints forbid, even past the API', async () => {
    await expect(sql`insert into practice_settings (practice_id, financing_model) values ('org-x', 'C')`.execute(app.db)).rejects.toThrow(/check/i);
    await expect(sql`insert into practice_settings (practice_id, digital_booking_share) values ('org-x', 1.5)`.execute(app.db)).rejects.toThrow(/check/i);
  });

  it('keeps the audit log append-only: UPDATE, DELETE and TRUNCATE fail', async () => {
    await appendAudit(app.db, { practiceId: 'org-a', actor: 'Practitioner/gp-1', role: 'gp', action: 'read-list', what: 'Patient?general-practitioner', rows: 3, requestId: 'r1', at: AT });
    const rows = await app.db.selectFrom('audit_log').select(['actor', 'action', 'rows', 'request_id', 'at']).where('practice_id', '=', 'org-a').execute();
    expect(rows).toEqual([{ actor: 'Practitioner/gp-1', action: 'read-list', rows: 3, request_id: 'r1', at: AT }]);
    await expect(sql`update audit_log set actor = 'someone else'`.execute(app.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(app.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(app.db)).rejects.toThrow(/append-only/);
    expect(await app.db.selectFrom('audit_log').select('actor').where('practice_id', '=', 'org-a').execute()).toEqual([{ actor: 'Practitioner/gp-1' }]);
  });

  it('appends audit events that arrive together with one statement, each caller waiting for its own row', async () => {
    // Counts the INSERT statements that reach the database (a Kysely plugin on this handle).
    let inserts = 0;
    const db = app.db.withPlugin({
      transformQuery: (args) => {
        if (args.node.kind === 'InsertQueryNode') inserts += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const event = (what: string) => ({ practiceId: 'org-group', actor: 'Practitioner/nurse-1', role: 'nurse', patientId: 'pat-1', action: 'read' as const, what, at: AT });
    await Promise.all([appendAudit(db, event('care')), appendAudit(db, event('follow-up')), appendAudit(db, event('copay'))]);
    expect(inserts).toBe(1);
    // A later event is a statement of its own; inside a transaction it is that transaction's.
    await appendAudit(db, event('later'));
    await db.transaction().execute((tx) => appendAudit(tx, event('in a transaction')));
    expect(inserts).toBe(3);
    const rows = await app.db.selectFrom('audit_log').select('what').where('practice_id', '=', 'org-group').orderBy('id').execute();
    expect(rows.map((r) => r.what)).toEqual(['care', 'follow-up', 'copay', 'later', 'in a transaction']);
  });

  it('stores sessions with expiry, touch, delete and cleanup, keyed by a hash', async () => {
    let now = 1_000_000;
    const store = pgSessionStore<{ user: string }>(app.db, 'launch', () => now);
    await store.put('handle-1', { user: 'nurse-1' }, 60_000);
    await store.put('handle-2', { user: 'gp-1' }, 10_000);
    expect(await store.get('handle-1')).toEqual({ user: 'nurse-1' });
    // Another namespace does not see it; the raw key is not in the table.
    expect(await pgSessionStore(app.db, 'sid', () => now).get('handle-1')).toBeUndefined();
    expect(await app.db.selectFrom('app_session').select('key').where('key', '=', 'handle-1').execute()).toEqual([]);
    now += 10_000;
    expect(await store.get('handle-2')).toBeUndefined();
    await store.touch('handle-1', 60_000);
    now += 55_000;
    expect(await store.get('handle-1')).toEqual({ user: 'nurse-1' });
    expect(await cleanupSessions(app.db, now)).toBe(1);
    await store.delete('handle-1');
    expect(await store.get('handle-1')).toBeUndefined();
  });

  it('keeps settings and sessions across a restart', async () => {
    const sessions = pgSessionStore<{ user: string }>(app.db, 'sid', () => 0);
    await sessions.put('cookie-1', { user: 'gp-1' }, 86_400_000);
    const before = await getSettings(app.db, 'org-a');
    app = await fresh.reopen();
    expect(await getSettings(app.db, 'org-a')).toEqual(before); // oracle: the same read before the restart (persistence)
    expect(await pgSessionStore<{ user: string }>(app.db, 'sid', () => 0).get('cookie-1')).toEqual({ user: 'gp-1' });
  });
});

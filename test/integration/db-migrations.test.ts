// Migrations, upgrades and backup/restore (issue 15 items 1 and 6) on real PGlite and real PostgreSQL.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKUP_TABLES, backupDatabase, NOT_BACKED_UP, restoreDatabase } from '../../server/db/backup';
import { openDatabase } from '../../server/db/database';
import { MIGRATIONS_DIR, migrateTo, migrateToLatest } from '../../server/db/migrate';
import { appendAudit } from '../../server/features/audit/store';
import { getSettings, saveSettings } from '../../server/features/settings/store';
import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import { BACKENDS, freshDatabase, stopTestPostgres } from '../support/database';

afterAll(stopTestPostgres);

const tmp = mkdtempSync(join(tmpdir(), 'pht-backup-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each(BACKENDS)('migrations on %s', (backend) => {
  it('upgrades an old database (migration 1 with data) without losing data', async () => {
    const fresh = await freshDatabase(backend);
    const old = await openDatabase(fresh.config, { migrate: false });
    expect(await migrateTo(old.db, '0001_settings_sessions')).toEqual(['0001_settings_sessions']);
    // Data written by the old version, in the old shape (no rule-set or look-back columns yet).
    await sql`insert into practice_settings (practice_id, financing_model, closed_dates, saturday_is_working_day, digital_booking_share, version, updated_at, updated_by)
              values ('org-old', 'B', '["2025-12-24","2025-12-31"]', true, 0.25, 7, '2025-11-01T10:00:00Z', 'Practitioner/gp-9')`.execute(old.db);
    await sql`insert into app_session (key, value, expires_at) values ('k1', '{"user":"gp-9"}', '2099-01-01T00:00:00Z')`.execute(old.db);
    await old.close();

    // The current server opens it: the remaining migrations run at start-up.
    const app = await openDatabase(fresh.config);
    try {
      expect(await getSettings(app.db, 'org-old')).toEqual({
        settings: {
          financingModel: 'B',
          closedDates: ['2025-12-24', '2025-12-31'],
          saturdayIsWorkingDay: true,
          digitalBookingShare: 0.25,
          // New columns get the defaults.
          tariffCatalogue: null,
          ruleSetVersion: '1.0.0',
          epikriseCodes: [],
          dischargeLookbackDays: 60,
          // Migration 0040's defaults: the source's figures (issue 18), positions from the staff list.
          financing: {
            nursePositions: null,
            gpPositions: null,
            gpSpecialisedPositions: null,
            nurseSpecialisedPositions: null,
            agreedNurseCostPerPosition: 810000,
            livingConditionsIndex: 1,
            travelDistanceIndex: 1,
            prePilotIncome: null,
            otherIncomePerYear: 0,
          },
        },
        version: 7,
        updatedAt: '2025-11-01T10:00:00.000Z',
        updatedBy: 'Practitioner/gp-9',
      });
      expect(await app.db.selectFrom('app_session').select(['key', 'value']).execute()).toEqual([{ key: 'k1', value: { user: 'gp-9' } }]);
      // And the upgraded database takes new writes through the current code.
      const saved = await saveSettings(app.db, 'org-old', { ...DEFAULT_SETTINGS, dischargeLookbackDays: 90 }, { expectedVersion: 7, by: 'x', at: new Date('2026-01-01T00:00:00Z') });
      expect(saved.ok && saved.stored.version).toBe(8);
    } finally {
      await app.close();
      await fresh.cleanup();
    }
  });

  it('backs up every table of the app, or leaves it out on purpose', async () => {
    const fresh = await freshDatabase(backend);
    const app = await openDatabase(fresh.config);
    try {
      const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(app.db);
      const covered = new Set([...BACKUP_TABLES, ...NOT_BACKED_UP]);
      expect(tables.rows.map((r) => r.table_name).filter((t) => !covered.has(t))).toEqual([]);
    } finally {
      await app.close();
      await fresh.cleanup();
    }
  });

  it('backs up and restores the tables, and refuses to restore over data', async () => {
    const source = await freshDatabase(backend);
    const app = await openDatabase(source.config);
    const settings = { ...DEFAULT_SETTINGS, financingModel: 'B' as const, epikriseCodes: [{ system: 'urn:oid:2.16.578.1.12.4.1.1.9602', code: 'J01-2' }] };
    await saveSettings(app.db, 'org-a', settings, { expectedVersion: 0, by: 'Practitioner/gp-1', at: new Date('2026-02-01T12:00:00Z') });
    for (let i = 0; i < 5; i++) {
      await appendAudit(app.db, { practiceId: 'org-a', actor: 'Practitioner/gp-1', role: 'gp', action: 'export', what: `eksport ${i}`, rows: i, at: new Date(`2026-02-0${i + 1}T08:00:00Z`) });
    }
    const file = join(tmp, `${backend}.jsonl`);
    const counts = await backupDatabase(app.db, file);
    expect(counts).toMatchObject({ practice_settings: 1, audit_log: 5, charge: 0, follow_up_task: 0, tg_result: 0 });
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(6);
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(7);
    // Restoring over data is refused, and nothing changes.
    await expect(restoreDatabase(app.db, file)).rejects.toThrow(/ikke tom/);
    await app.close();

    // Restore into the other backend: the format is the same on both (each backend is a target once per file).
    for (const target of BACKENDS.filter((b) => b !== backend)) {
      const empty = await freshDatabase(target);
      const restored = await openDatabase(empty.config);
      try {
        expect(await restoreDatabase(restored.db, file)).toEqual({ practice_settings: 1, audit_log: 5 });
        expect(await getSettings(restored.db, 'org-a')).toEqual({ settings, version: 1, updatedAt: '2026-02-01T12:00:00.000Z', updatedBy: 'Practitioner/gp-1' });
        const audit = await restored.db.selectFrom('audit_log').select(['what', 'at']).orderBy('id').execute();
        expect(audit.map((a) => a.what)).toEqual(['eksport 0', 'eksport 1', 'eksport 2', 'eksport 3', 'eksport 4']);
        expect(audit[4]?.at).toEqual(new Date('2026-02-05T08:00:00Z'));
        // New audit rows continue after the restored ids.
        await appendAudit(restored.db, { practiceId: 'org-a', actor: 'system', role: 'system', action: 'read-list', what: 'etter', at: new Date() });
        expect(await restored.db.selectFrom('audit_log').select(sql<number>`count(*)::int`.as('n')).executeTakeFirst()).toEqual({ n: 6 });
      } finally {
        await restored.close();
        await empty.cleanup();
      }
    }
    await source.cleanup();
  });

  it('refuses a file that is not a backup, leaving the database empty', async () => {
    const fresh = await freshDatabase(backend);
    const app = await openDatabase(fresh.config);
    try {
      const bad = join(tmp, `bad-${backend}.jsonl`);
      writeFileSync(bad, '{"format":"pht-db-backup/1","migrations":[]}\n{"table":"practice_settings","row":{"practice_id":"p","financing_model":"C"}}\n');
      await expect(restoreDatabase(app.db, bad)).rejects.toThrow(/violates/);
      writeFileSync(bad, '{"format":"noe annet"}\n');
      await expect(restoreDatabase(app.db, bad)).rejects.toThrow(/Ukjent format/);
      expect(await app.db.selectFrom('practice_settings').selectAll().execute()).toEqual([]);
    } finally {
      await app.close();
      await fresh.cleanup();
    }
  });
});

describe('migrations on PostgreSQL from two processes at once', () => {
  it('apply once: the advisory lock serialises them', async () => {
    const fresh = await freshDatabase('PostgreSQL');
    const a = await openDatabase(fresh.config, { migrate: false });
    const b = await openDatabase(fresh.config, { migrate: false });
    try {
      const [ra, rb] = await Promise.all([migrateToLatest(a.db), migrateToLatest(b.db)]);
      // Every migration file once, whichever process applied it.
      const all = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).map((f) => f.replace(/\.sql$/, '')).sort();
      expect(all).toContain('0040_financing_settings');
      expect([...ra, ...rb].sort()).toEqual(all);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

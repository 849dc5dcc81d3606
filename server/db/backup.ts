// Backup and restore (issue 15): a logical export of the app's tables as JSON Lines, the same on PGlite and
// PostgreSQL, so a backup taken from one restores into the other (no pg_dump needed). Line 1 is a header with
// the migrations the data was written under; every other line is one row {"table": ..., "row": ...}, in
// primary-key order, read in pages so a large audit log is never held in memory at once.
// Sessions are left out on purpose: they hold EPJ tokens, and a restored server asks users to launch again.
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema';

export const BACKUP_FORMAT = 'pht-db-backup/1';

/** Tables in a backup, parents before children, with their primary key (for paging). */
const TABLES: { name: keyof Database; key: string[] }[] = [
  { name: 'practice_settings', key: ['practice_id'] },
  { name: 'audit_log', key: ['practice_id', 'id'] },
  { name: 'write_back', key: ['practice_id', 'key'] },
  { name: 'job_warning', key: ['practice_id', 'kind'] },
  { name: 'follow_up_task', key: ['practice_id', 'id'] },
  { name: 'follow_up_signal', key: ['practice_id', 'signal'] },
  { name: 'follow_up_attempt', key: ['practice_id', 'id'] },
  { name: 'gp_task', key: ['practice_id', 'id'] },
  { name: 'tg_scan_run', key: ['practice_id', 'id'] },
  { name: 'tg_patient', key: ['practice_id', 'patient_id'] },
  { name: 'tg_result', key: ['practice_id', 'patient_id', 'target_group'] },
  { name: 'tg_assessment', key: ['practice_id', 'id'] },
  { name: 'tg_outreach', key: ['practice_id', 'id'] },
  { name: 'copay_day', key: ['practice_id', 'patient_id', 'oslo_day'] },
  { name: 'contact', key: ['practice_id', 'id'] },
  { name: 'claim_batch', key: ['practice_id', 'id'] },
  { name: 'charge', key: ['practice_id', 'id'] },
  { name: 'group_session', key: ['practice_id', 'id'] },
  { name: 'group_session_participant', key: ['practice_id', 'session_id', 'patient_id'] },
  { name: 'care_plan', key: ['practice_id', 'id'] },
  { name: 'care_plan_review', key: ['practice_id', 'id'] },
  { name: 'care_task', key: ['practice_id', 'id'] },
  { name: 'care_medication_assessment', key: ['practice_id', 'id'] },
  { name: 'care_recall_setting', key: ['practice_id'] },
  { name: 'care_recall_event', key: ['practice_id', 'id'] },
  { name: 'care_ip', key: ['practice_id', 'patient_id'] },
];

/** The tables a backup holds, in restore order. */
export const BACKUP_TABLES: readonly string[] = TABLES.map((t) => t.name);
/**
 * Tables a backup leaves out on purpose: sessions hold EPJ tokens (users launch again after a restore), job runs
 * are leases and history that a restored server makes anew, and the migrator's own bookkeeping.
 */
export const NOT_BACKED_UP: readonly string[] = ['app_session', 'job_run', 'kysely_migration', 'kysely_migration_lock'];
const PAGE = 2000;

async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

export async function backupDatabase(db: Kysely<Database>, file: string): Promise<Record<string, number>> {
  const out = createWriteStream(file, { mode: 0o600 });
  const write = async (value: unknown) => {
    if (!out.write(`${JSON.stringify(value)}\n`)) await once(out, 'drain');
  };
  const counts: Record<string, number> = {};
  await write({ format: BACKUP_FORMAT, migrations: await appliedMigrations(db), tables: TABLES.map((t) => t.name) });
  for (const table of TABLES) {
    counts[table.name] = 0;
    const keyList = sql.join(table.key.map((k) => sql.ref(`t.${k}`)));
    let after: unknown[] | undefined;
    for (;;) {
      // Keyset paging: (key) > (last key), ordered by the key.
      const where = after ? sql`where (${keyList}) > (${sql.join(after.map((v) => sql`${v}`))})` : sql``;
      const page = await sql<{ row: Record<string, unknown> }>`select to_jsonb(t) as row from ${sql.table(table.name)} t ${where} order by ${keyList} limit ${PAGE}`.execute(db);
      for (const { row } of page.rows) await write({ table: table.name, row });
      counts[table.name] = (counts[table.name] ?? 0) + page.rows.length;
      if (page.rows.length < PAGE) break;
      const last = page.rows[page.rows.length - 1]!.row;
      after = table.key.map((k) => last[k]);
    }
  }
  out.end();
  await once(out, 'finish');
  return counts;
}

export class RestoreError extends Error {}

/** Restores a backup into a migrated database whose tables are empty; all or nothing (one transaction). */
export async function restoreDatabase(db: Kysely<Database>, file: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await db.transaction().execute(async (tx) => {
    let header: { format?: string; migrations?: string[] } | undefined;
    let batch: { table: string; rows: unknown[] } | undefined;
    const known = new Set<string>(TABLES.map((t) => t.name));
    const flush = async () => {
      if (!batch || batch.rows.length === 0) return;
      const table = sql.table(batch.table);
      // jsonb_populate_recordset turns each JSON row back into the table's own column types.
      await sql`insert into ${table} overriding system value select * from jsonb_populate_recordset(null::${table}, ${JSON.stringify(batch.rows)}::jsonb)`.execute(tx);
      batch.rows = [];
    };
    let lineNo = 0;
    // Created right before the loop: readline drops lines emitted before its iterator is attached.
    for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
      lineNo++;
      if (line.trim() === '') continue;
      let value: { table?: string; row?: unknown; format?: string; migrations?: string[] };
      try {
        value = JSON.parse(line) as typeof value;
      } catch {
        throw new RestoreError(`Linje ${lineNo} i sikkerhetskopien er ikke gyldig JSON`);
      }
      if (!header) {
        if (value.format !== BACKUP_FORMAT) throw new RestoreError(`Ukjent format på sikkerhetskopien (forventet ${BACKUP_FORMAT})`);
        header = value;
        const applied = new Set(await appliedMigrations(tx));
        const missing = (value.migrations ?? []).filter((m) => !applied.has(m));
        if (missing.length > 0) throw new RestoreError(`Sikkerhetskopien er fra en nyere versjon (migreringer ${missing.join(', ')} mangler her)`);
        for (const t of TABLES) {
          const rows = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t.name)}`.execute(tx);
          if ((rows.rows[0]?.n ?? 0) > 0) throw new RestoreError(`Tabellen ${t.name} er ikke tom: gjenopprett bare til en ny database`);
        }
        continue;
      }
      if (typeof value.table !== 'string' || !known.has(value.table) || typeof value.row !== 'object' || value.row === null) {
        throw new RestoreError(`Linje ${lineNo} i sikkerhetskopien er ikke en rad i en kjent tabell`);
      }
      if (batch?.table !== value.table) {
        await flush();
        batch = { table: value.table, rows: [] };
      }
      batch.rows.push(value.row);
      counts[value.table] = (counts[value.table] ?? 0) + 1;
      if (batch.rows.length >= 1000) await flush();
    }
    await flush();
    if (!header) throw new RestoreError('Sikkerhetskopien er tom');
    // New audit rows continue after the restored ones.
    await sql`select setval(pg_get_serial_sequence('audit_log', 'id'), coalesce((select max(id) from audit_log), 0) + 1, false)`.execute(tx);
  });
  return counts;
}

// Versioned SQL migrations (server/db/migrations/NNNN_name.sql), applied in name order by Kysely's Migrator.
// On PostgreSQL the Migrator runs them in one transaction under an advisory lock (pg_advisory_xact_lock),
// so two server processes starting at once do not race; PGlite is one process by construction.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely/migration';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

class SqlFileProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort()) {
      const text = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
      migrations[file.replace(/\.sql$/, '')] = { up: async (db: Kysely<unknown>) => void (await sql.raw(text).execute(db)) };
    }
    return migrations;
  }
}

export function migrator(db: Kysely<unknown>): Migrator {
  return new Migrator({ db, provider: new SqlFileProvider() });
}

function check(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`Databasemigrering${failed ? ` ${failed}` : ''} feilet: ${reason}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Applies every migration not yet applied; returns the names applied now. */
export async function migrateToLatest<T>(db: Kysely<T>): Promise<string[]> {
  return check(await migrator(db as Kysely<unknown>).migrateToLatest());
}

/** Applies (or reverts to) the named migration: for tests of upgrades from an old database. */
export async function migrateTo<T>(db: Kysely<T>, name: string): Promise<string[]> {
  return check(await migrator(db as Kysely<unknown>).migrateTo(name));
}

// The app's database (issue 15): PostgreSQL through one typed query layer (Kysely). Embedded PGlite by default,
// data in <PHT_SERVER_DATA_DIR>/db (default .pht-data/db, beside the server's keys; PHT_DATA_DIR stays the
// sandbox's folder); DATABASE_URL=postgres://... runs the same code on a PostgreSQL server (15 or newer).
// Migrations run on open unless told not to.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrate';
import { PgliteDialect } from './pgliteDialect';
import type { Database } from './schema';

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseConfig {
  /** postgres://... ; when absent, PGlite in dataDir. */
  url?: string;
  /** PGlite data folder; 'memory://' for a throwaway in-memory database. */
  dataDir?: string;
}

export interface AppDatabase {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Set for PGlite (backup uses its data-folder dump). */
  pglite?: PGlite;
  close(): Promise<void>;
}

export class DatabaseConfigError extends Error {}

/** Reads DATABASE_URL and PHT_SERVER_DATA_DIR; refuses a DATABASE_URL that is not postgres:// or postgresql://. */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new DatabaseConfigError('DATABASE_URL må begynne med postgres:// eller postgresql://');
    return { url };
  }
  return { dataDir: join(resolve(env.PHT_SERVER_DATA_DIR?.trim() || '.pht-data'), 'db') };
}

export async function openDatabase(config: DatabaseConfig, options: { migrate?: boolean; loadDataDir?: Blob } = {}): Promise<AppDatabase> {
  let app: AppDatabase;
  if (config.url) {
    const pool = new pg.Pool({ connectionString: config.url, max: 10 });
    // An idle client whose server connection dies must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);
    // A connection killed while checked out (e.g. idle inside a transaction) emits 'error' on its client, where
    // no pool listener is attached: without this the process would crash. The query in flight, or the next
    // one, fails instead, and the pool drops the client on release.
    pool.on('connect', (client) => client.on('error', () => undefined));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    app = { db, kind: 'postgres', close: () => db.destroy() };
  } else {
    const dataDir = config.dataDir ?? 'memory://';
    if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
    const pglite = await PGlite.create(dataDir, options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
    const db = new Kysely<Database>({ dialect: new PgliteDialect(pglite) });
    app = { db, kind: 'pglite', pglite, close: () => db.destroy() };
  }
  if (options.migrate !== false) {
    try {
      await migrateToLatest(app.db);
    } catch (error) {
      await app.close();
      throw error;
    }
  }
  return app;
}

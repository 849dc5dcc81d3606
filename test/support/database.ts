// Fresh databases for store and API tests, one per test, on both backends (issue 15): PGlite in a copy of a
// template data folder (initdb in PGlite takes 7-8 s, a copy and reopen about 2 s; FINDINGS "Databases"),
// and PostgreSQL as a new database on one throwaway server per test file (test/support/postgres.ts).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { openDatabase, type AppDatabase, type DatabaseConfig } from '../../server/db/database';
import { startPostgres, type PostgresServer } from './postgres';

export const BACKENDS = ['PGlite', 'PostgreSQL'] as const;
export type Backend = (typeof BACKENDS)[number];

export interface TestDatabase {
  config: DatabaseConfig;
  cleanup(): Promise<void>;
}

// Keyed by the PGlite version: a data folder of another version may not open.
const PGLITE_VERSION = (JSON.parse(readFileSync('node_modules/@electric-sql/pglite/package.json', 'utf8')) as { version: string }).version;
const TEMPLATE = resolve('.cache', `pglite-template-${PGLITE_VERSION}`);

async function pgliteTemplate(): Promise<string> {
  if (existsSync(TEMPLATE)) return TEMPLATE;
  const building = mkdtempSync(join(tmpdir(), 'pht-pglite-template-'));
  const pglite = await PGlite.create(join(building, 'db'));
  await pglite.close();
  mkdirSync(resolve('.cache'), { recursive: true });
  try {
    // Another test worker may have finished first: then keep theirs.
    renameSync(join(building, 'db'), TEMPLATE);
  } catch {
    if (!existsSync(TEMPLATE)) throw new Error(`kunne ikke lage PGlite-malen ${TEMPLATE}`);
  }
  rmSync(building, { recursive: true, force: true });
  return TEMPLATE;
}

let server: Promise<PostgresServer> | undefined;
let counter = 0;

/** Stops this file's PostgreSQL server (call in afterAll). */
export async function stopTestPostgres(): Promise<void> {
  const s = server;
  server = undefined;
  if (s) await (await s).stop();
}

/** An empty database (no migrations applied). Open it with openDatabase(config); reopen it to "restart". */
export async function freshDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === 'PGlite') {
    const template = await pgliteTemplate();
    const dir = mkdtempSync(join(tmpdir(), 'pht-pglite-'));
    cpSync(template, join(dir, 'db'), { recursive: true });
    return { config: { dataDir: join(dir, 'db') }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  server ??= startPostgres();
  const url = await (await server).createDatabase(`t${process.pid}_${++counter}`);
  return { config: { url }, cleanup: async () => undefined };
}

export interface FreshDatabase {
  /** The open, migrated database: there before the describe block's own beforeAll/beforeEach runs. */
  readonly app: AppDatabase;
  readonly config: DatabaseConfig;
  /** Closes the database and opens it again (a "restart"); the one it returns is closed after the tests. */
  reopen(): Promise<AppDatabase>;
}

/**
 * A fresh, migrated database on `backend` for the describe block it is called in: made and opened before its
 * tests (before each test with `each`), closed and removed after them. Call it before the block's own hooks:
 * vitest runs before-hooks in order and after-hooks in reverse, so the block's own hooks see it open.
 */
export function useFreshDatabase(backend: Backend, options: { each?: boolean } = {}): FreshDatabase {
  let fresh: TestDatabase | undefined;
  let app: AppDatabase | undefined;
  const open = options.each ? beforeEach : beforeAll;
  const close = options.each ? afterEach : afterAll;
  open(async () => {
    fresh = await freshDatabase(backend);
    app = await openDatabase(fresh.config);
  });
  close(async () => {
    await app?.close();
    await fresh?.cleanup();
    app = undefined;
    fresh = undefined;
  });
  const current = () => {
    if (!app || !fresh) throw new Error('useFreshDatabase: the database is open only in the tests and hooks of its describe block');
    return { app, fresh };
  };
  return {
    get app() {
      return current().app;
    },
    get config() {
      return current().fresh.config;
    },
    async reopen() {
      const { app: old, fresh: f } = current();
      await old.close();
      app = undefined;
      app = await openDatabase(f.config);
      return app;
    },
  };
}

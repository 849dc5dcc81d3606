// Fresh databases for store and API tests, one per test, on both backends (issue 15): PGlite in a copy of a
// template data folder (initdb in PGlite takes 7-8 s, a copy and reopen about 2 s; FINDINGS "Databases"),
// and PostgreSQL as a new database on one throwaway server per test file (test/support/postgres.ts).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { DatabaseConfig } from '../../server/db/database';
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

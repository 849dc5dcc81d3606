// The app server's composition root (ARCHITECTURE "server/main.ts"): configuration from the environment
// (README "Konfigurasjon"), the key store, the EPJ registry, the session store, the routes; then listen.
// `npm start` runs it beside the sandbox EPJ (scripts/start.ts); tests use openAppServer on port 0.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { createApp, type PendingLogin } from './app';
import { loadKeyStore, type KeyStore } from './smart/keys';
import { loadRegistry, type EpjRegistry } from './smart/registry';
import { Sessions, type BrowserSession, type LaunchSession, type SessionLimits } from './smart/sessions';
import type { Kysely } from 'kysely';
import type { Database } from './db/schema';
import { databaseConfigFromEnv, openDatabase, type DatabaseConfig } from './db/database';
import { cleanupSessions, pgSessionStore } from './db/sessionStore';
import { EpjClients } from './smart/epjClient';
import { BackendServices } from './smart/backendServices';
import { CapabilityCache } from './epj/capabilities';
import { serverJobs } from './jobs';
import { listen } from './jobs/notify';
import { Scheduler } from './jobs/scheduler';
import { WRITE_BACK_CHANNEL, WRITE_BACK_JOB } from './jobs/writeBack';

export interface ServerSettings {
  port: number;
  host: string;
  /** The origin browsers use; default http://localhost:<port>. */
  publicOrigin?: string;
  dataDir: string;
  registryPath: string;
  sandboxOrigin: string;
  distDir: string;
  limits: SessionLimits;
  /** The app's database (issue 15); default PGlite in <dataDir>/db. */
  database?: DatabaseConfig;
  /** Run the scheduled jobs in this process (PHT_JOBS=off: no; another process runs them). */
  jobs?: boolean;
  /**
   * TEST ONLY (PHT_BUSINESS_NOW, an ISO instant): the business clock starts at this instant and runs on from
   * there: the dates the features work with (today, the sweep's look-back, «created», the schedule). Tokens,
   * id_token expiry, DPoP and sessions keep real time. Never set it in a deployment.
   */
  businessNow?: string | (() => number);
  /** TEST ONLY: how long the server's shared EPJ reads are kept (default 5 s, server/app.ts). */
  epjReadTtlMs?: number;
}

/** A clock that reads `start` now and runs on with `now`. */
export function runningFrom(start: string, now: () => number): () => number {
  const at = Date.parse(start);
  if (!Number.isFinite(at)) throw new Error(`PHT_BUSINESS_NOW må være et tidspunkt (ISO 8601), fikk «${start}»`);
  const offset = at - now();
  return () => now() + offset;
}

function intEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} må være et positivt tall (fikk «${raw}»)`);
  return value;
}

/** Every setting and its environment variable (README "Konfigurasjon" lists the same). */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): ServerSettings {
  const port = intEnv(env, 'PHT_APP_PORT', 5173);
  return {
    port,
    host: env.PHT_APP_HOST ?? 'localhost',
    ...(env.PHT_PUBLIC_ORIGIN ? { publicOrigin: env.PHT_PUBLIC_ORIGIN.replace(/\/+$/, '') } : {}),
    dataDir: env.PHT_SERVER_DATA_DIR ?? '.pht-data',
    registryPath: env.PHT_EPJ_REGISTRY ?? 'server/epj-registry.json',
    sandboxOrigin: env.PHT_SANDBOX_ORIGIN ?? `http://localhost:${env.PHT_SANDBOX_PORT ?? '8103'}`,
    distDir: env.PHT_DIST_DIR ?? 'dist',
    database: databaseConfigFromEnv(env),
    jobs: env.PHT_JOBS !== 'off',
    ...(env.PHT_BUSINESS_NOW ? { businessNow: env.PHT_BUSINESS_NOW } : {}),
    limits: {
      idleMs: intEnv(env, 'PHT_SESSION_IDLE_MINUTES', 30) * 60_000,
      absoluteMs: intEnv(env, 'PHT_SESSION_MAX_HOURS', 10) * 3_600_000,
      tokenMarginMs: intEnv(env, 'PHT_TOKEN_MARGIN_SECONDS', 5) * 1000,
    },
  };
}

export interface AppServer {
  origin: string;
  /** The app's database (tests read it; routes get it from createApp's config). */
  db: Kysely<Database>;
  registry: EpjRegistry;
  keys: KeyStore;
  /** The scheduled jobs (started unless settings.jobs is false; tests drive it with tick/runDue). */
  scheduler: Scheduler;
  close(): Promise<void>;
}

export interface OpenAppServer {
  origin: string;
  /** The key store is ready before the routes, so its JWKS can be registered with the EPJ first. */
  keys: KeyStore;
  start(overrides?: { sandboxOrigin?: string; registry?: EpjRegistry; log?: (line: string) => void; now?: () => number }): Promise<AppServer>;
}

/**
 * Listens first (so the origin is known: it is part of the redirect URI the EPJ registers), then
 * attaches the routes in `start`.
 */
export async function openAppServer(settings: ServerSettings): Promise<OpenAppServer> {
  const keys = await loadKeyStore(join(settings.dataDir, 'keys'), ['ES256', 'RS256', 'PS256']);
  const http: Server = createServer();
  await new Promise<void>((ok) => http.listen(settings.port, settings.host, ok));
  const { port } = http.address() as AddressInfo;
  const origin = settings.publicOrigin ?? `http://${settings.host === '0.0.0.0' ? 'localhost' : settings.host}:${port}`;
  return {
    origin,
    keys,
    async start(overrides = {}) {
      const now = overrides.now ?? Date.now;
      // The features' dates (test-only override, see ServerSettings.businessNow); crypto and sessions use `now`.
      const businessNow = typeof settings.businessNow === 'function' ? settings.businessNow : settings.businessNow ? runningFrom(settings.businessNow, now) : now;
      const registry = overrides.registry ?? loadRegistry(settings.registryPath, { PHT_SANDBOX_ORIGIN: overrides.sandboxOrigin ?? settings.sandboxOrigin });
      // Migrations run here, before any request is served.
      const database = await openDatabase(settings.database ?? { dataDir: join(settings.dataDir, 'db') });
      const { db } = database;
      // Sessions live in the database: they survive a restart and are shared by every server process.
      const sessions = new Sessions(pgSessionStore<BrowserSession>(db, 'browser', now), pgSessionStore<LaunchSession>(db, 'launch', now), settings.limits, now);
      const cleanup = setInterval(() => void cleanupSessions(db, now()).catch(() => undefined), 10 * 60_000);
      cleanup.unref();
      const log = overrides.log ?? (() => undefined);
      // One cache of the EPJs' CapabilityStatements for the routes and the scheduled jobs (issue 16, issue 19 point 2).
      const capabilities = new CapabilityCache();
      const scheduler = new Scheduler({ db, registry, backend: new BackendServices(new EpjClients(keys, now), now), capabilities, jobs: serverJobs(), now: businessNow, log });
      // A queued journal write-back nudges its job at commit (in every process that runs jobs).
      const unlisten = settings.jobs === false ? undefined : await listen(database, settings.database?.url, WRITE_BACK_CHANNEL, (practiceId) => scheduler.nudge(WRITE_BACK_JOB, practiceId || undefined), log);
      if (settings.jobs !== false) scheduler.start();
      const app = createApp({
        publicOrigin: origin,
        distDir: settings.distDir,
        registry,
        keys,
        sessions,
        pending: pgSessionStore<PendingLogin>(db, 'pending', now),
        db,
        now,
        businessNow,
        ...(settings.epjReadTtlMs !== undefined ? { epjReadTtlMs: settings.epjReadTtlMs } : {}),
        jobs: scheduler,
        capabilities,
        ...(overrides.log ? { log: overrides.log } : {}),
      });
      http.on('request', getRequestListener(app.fetch));
      return {
        origin,
        db,
        registry,
        keys,
        scheduler,
        close: async () => {
          clearInterval(cleanup);
          await unlisten?.();
          await scheduler.stop();
          await new Promise<void>((ok) => {
            http.close(() => ok());
            http.closeAllConnections();
          });
          await database.close();
        },
      };
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const settings = settingsFromEnv();
  const opened = await openAppServer(settings);
  const server = await opened.start({ log: (line) => console.log(line) });
  console.log(`[app] Appserver: ${server.origin} (EPJ-er: ${server.registry.entries.map((e) => e.iss).join(', ') || 'ingen'})`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

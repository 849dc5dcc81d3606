// The app server (server/) in front of a sandbox EPJ, both on port 0, for integration and browser tests.
// The app server listens first (its origin is the redirect URI the sandbox registers), then the sandbox
// starts with that origin, then the app server's routes start with the sandbox's origin in the registry.
import { join } from 'node:path';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/app';
import { openAppServer, type AppServer } from '../../server/main';
import { loadRegistry, type EpjRegistry } from '../../server/smart/registry';
import type { LaunchSession, SessionLimits } from '../../server/smart/sessions';
import type { DatabaseConfig } from '../../server/db/database';
import { freshDatabase, type Backend } from './database';

export interface TestAppServer extends AppServer {
  /** Every line the app server logged. */
  log: string[];
  /** The EPJ tokens the app server holds right now, read from its session store: what must never reach a page. */
  issuedTokens(): Promise<string[]>;
  /** The launches in the app server's session store (tokens, DPoP keys). */
  launches(): Promise<LaunchSession[]>;
}

/** What the app server's environment needs of a sandbox: the in-process one, or one in a process of its own. */
export type SandboxHandle = Pick<Sandbox, 'origin' | 'fhirBaseUrl' | 'helseidFhirBaseUrl' | 'launchPageUrl' | 'close'>;

export interface AppServerEnv<S extends SandboxHandle = Sandbox> {
  app: TestAppServer;
  sandbox: S;
  /** Every line the app server logged (tests search it for secrets). */
  log: string[];
  /** Where the app's database is (a second app server process on PostgreSQL can share it). */
  databaseConfig: DatabaseConfig;
  /**
   * Moves the app server's business clock forward to `at` (never back): the browser harness calls it for each new
   * context, whose fixed clock starts a step later, so the server's dates are never behind the browser's.
   */
  advanceBusinessClock(at: Date): void;
  close(): Promise<void>;
}

export interface AppServerEnvOptions {
  /** Temp folder: the sandbox's data and the app server's keys and sessions (under app-server/). */
  dataDir: string;
  asOf: string;
  patients?: number;
  sandbox?: Partial<SandboxOptions>;
  limits?: Partial<SessionLimits>;
  /** The app's database: PGlite (default) or a throwaway PostgreSQL, which a second server process can share. */
  database?: Backend;
  /** Default: the sandbox registered as the EPJ registry file registers it. */
  registry?: (sandbox: SandboxHandle) => EpjRegistry;
  now?: () => number;
  /** Run the scheduled jobs on a timer (default off in tests: they drive app.scheduler with tick/runDue). */
  jobs?: boolean;
  /** The app server's business clock starts here (the browser's fixed clock), so its dates match the browser's. */
  businessNow?: Date;
  /** How long the app server keeps its shared EPJ reads (default 5 s): long, for a test that must not depend on speed. */
  epjReadTtlMs?: number;
}

/** Starts the sandbox another way (the benchmarks run it in a process of its own). */
export type StartSandbox<S extends SandboxHandle> = (options: SandboxOptions & { dataDir: string }) => Promise<S>;

/** The EPJ registry file (server/epj-registry.json) with the sandbox's origin: both profiles, confidential client. */
export function sandboxRegistry(sandbox: SandboxHandle): EpjRegistry {
  return loadRegistry('server/epj-registry.json', { PHT_SANDBOX_ORIGIN: sandbox.origin });
}

export async function startAppServer(opts: AppServerEnvOptions): Promise<AppServerEnv>;
export async function startAppServer<S extends SandboxHandle>(opts: AppServerEnvOptions, start: StartSandbox<S>): Promise<AppServerEnv<S>>;
export async function startAppServer(opts: AppServerEnvOptions, start: StartSandbox<SandboxHandle> = startSandbox): Promise<AppServerEnv<SandboxHandle>> {
  const log: string[] = [];
  // PGlite: a copy of a template data folder, seconds instead of a new initdb per test file.
  const database = await freshDatabase(opts.database ?? 'PGlite');
  // The business clock runs in real time from opts.businessNow; advanceBusinessClock moves it forward.
  let businessOffset = opts.businessNow ? opts.businessNow.getTime() - Date.now() : 0;
  const opened = await openAppServer({
    database: database.config,
    port: 0,
    host: '127.0.0.1',
    dataDir: join(opts.dataDir, 'app-server'),
    registryPath: 'server/epj-registry.json',
    sandboxOrigin: 'off',
    distDir: 'dist',
    limits: { idleMs: 30 * 60_000, absoluteMs: 10 * 3_600_000, tokenMarginMs: 5_000, ...opts.limits },
    jobs: opts.jobs ?? false,
    ...(opts.businessNow ? { businessNow: () => Date.now() + businessOffset } : {}),
    ...(opts.epjReadTtlMs !== undefined ? { epjReadTtlMs: opts.epjReadTtlMs } : {}),
  });
  const sandbox = await start({
    port: 0,
    dataDir: opts.dataDir,
    patients: opts.patients ?? 400,
    asOf: opts.asOf,
    appOrigins: [opened.origin],
    launchOrigin: opened.origin,
    // The app server as the EPJ registers it: the confidential client with the server's public keys.
    confidentialClients: [
      {
        clientId: 'primaerhelseteam-server',
        jwks: opened.keys.jwks(),
        redirectUris: [`${opened.origin}/auth/callback`],
        launchUri: `${opened.origin}/launch`,
      },
    ],
    ...opts.sandbox,
  });
  const server = await opened.start({
    registry: (opts.registry ?? sandboxRegistry)(sandbox),
    log: (line) => void log.push(line),
    ...(opts.now ? { now: opts.now } : {}),
  });
  // Sessions are in the app's database (server/db/sessionStore.ts): read them there.
  const launches = async (): Promise<LaunchSession[]> =>
    (await server.db.selectFrom('app_session').select('value').execute())
      .map(({ value }) => value)
      .filter((v): v is LaunchSession => typeof v === 'object' && v !== null && 'token' in v);
  const app: TestAppServer = {
    ...server,
    log,
    issuedTokens: async () => (await launches()).flatMap((l) => [l.token.accessToken, ...(l.token.refreshToken ? [l.token.refreshToken] : [])]),
    launches,
  };
  return {
    app,
    sandbox,
    log,
    databaseConfig: database.config,
    advanceBusinessClock(at) {
      businessOffset = Math.max(businessOffset, at.getTime() - Date.now());
    },
    async close() {
      await app.close();
      await sandbox.close();
      await database.cleanup();
    },
  };
}

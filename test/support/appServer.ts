// The app server (server/) in front of a sandbox EPJ, both on port 0, for integration and browser tests.
// The app server listens first (its origin is the redirect URI the sandbox registers), then the sandbox
// starts with that origin, then the app server's routes start with the sandbox's origin in the registry.
import { join } from 'node:path';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/app';
import { openAppServer, type AppServer } from '../../server/main';
import { parseRegistry, type EpjRegistry } from '../../server/smart/registry';
import type { SessionLimits } from '../../server/smart/sessions';
import { freshDatabase } from './database';

export interface TestAppServer extends AppServer {
  /** Every line the app server logged. */
  log: string[];
  /** The EPJ tokens the app server holds right now, read from its session store: what must never reach a page. */
  issuedTokens(): Promise<string[]>;
}

export interface AppServerEnv {
  app: TestAppServer;
  sandbox: Sandbox;
  /** Every line the app server logged (tests search it for secrets). */
  log: string[];
  close(): Promise<void>;
}

export interface AppServerEnvOptions {
  /** Temp folder: the sandbox's data and the app server's keys and sessions (under app-server/). */
  dataDir: string;
  asOf: string;
  patients?: number;
  sandbox?: Partial<SandboxOptions>;
  limits?: Partial<SessionLimits>;
  /** Default: the sandbox registered as the EPJ registry file registers it. */
  registry?: (sandbox: Sandbox) => EpjRegistry;
  now?: () => number;
}

/**
 * The sandbox as registered today: its SMART profile, where the app server is a public client with
 * PKCE (token_endpoint_auth none) until the sandbox accepts the confidential client (issue 14 item 6).
 */
export function sandboxRegistry(sandbox: Sandbox): EpjRegistry {
  return parseRegistry(
    {
      epjs: [
        {
          name: 'Sandkasse-EPJ, SMART standard',
          iss: sandbox.fhirBaseUrl,
          clientId: 'primaerhelseteam',
          tokenEndpointAuth: 'none',
          par: 'auto',
          dpop: false,
          frameAncestors: [sandbox.origin],
          organisations: ['Organization/org-practice'],
        },
      ],
    },
    {},
  );
}

export async function startAppServer(opts: AppServerEnvOptions): Promise<AppServerEnv> {
  const log: string[] = [];
  // A copy of the migrated-once PGlite template: seconds instead of a new initdb per test file.
  const database = await freshDatabase('PGlite');
  const opened = await openAppServer({
    database: database.config,
    port: 0,
    host: '127.0.0.1',
    dataDir: join(opts.dataDir, 'app-server'),
    registryPath: 'server/epj-registry.json',
    sandboxOrigin: 'off',
    distDir: 'dist',
    limits: { idleMs: 30 * 60_000, absoluteMs: 10 * 3_600_000, tokenMarginMs: 5_000, ...opts.limits },
  });
  const sandbox = await startSandbox({
    port: 0,
    dataDir: opts.dataDir,
    patients: opts.patients ?? 400,
    asOf: opts.asOf,
    appOrigins: [opened.origin],
    launchOrigin: opened.origin,
    ...opts.sandbox,
  });
  const server = await opened.start({
    registry: (opts.registry ?? sandboxRegistry)(sandbox),
    log: (line) => void log.push(line),
    ...(opts.now ? { now: opts.now } : {}),
  });
  const app: TestAppServer = {
    ...server,
    log,
    issuedTokens: async () => {
      const rows = await server.db.selectFrom('app_session').select('value').execute();
      return rows.flatMap(({ value }) => {
        const token: unknown = typeof value === 'object' && value !== null ? Reflect.get(value, 'token') : undefined;
        if (typeof token !== 'object' || token === null) return [];
        return ['accessToken', 'refreshToken'].map((k) => Reflect.get(token, k)).filter((v): v is string => typeof v === 'string');
      });
    },
  };
  return {
    app,
    sandbox,
    log,
    async close() {
      await app.close();
      await sandbox.close();
      await database.cleanup();
    },
  };
}

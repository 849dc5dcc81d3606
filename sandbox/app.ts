// The local EPJ: one HTTP server carrying the FHIR server (/fhir), the SMART authorization server
// (/auth, /.well-known) and the launch page (/). Used by `npm start`, the integration and browser tests
// and the benchmarks, always started by the project's own code (no global installs).
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Patient, Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import { createFhirServer, type FhirServer } from './fhir/server';
import { createSmartAuth, HELSEID_PREFIX, type ConfidentialClientOptions, type LaunchPatient, type LaunchUser, type SmartAuth } from './auth/server';
import { generatePractice } from './seed';
import { AuthenticationError } from './auth/types';
import { SYSTEMS } from '../src/fhir/systems';

export interface SandboxOptions {
  port?: number; // 0 = any free port
  host?: string;
  dataDir?: string; // absent = memory only
  patients?: number;
  seed?: number;
  asOf: string; // the seed's "today" (Oslo date)
  reset?: boolean; // reseed even when the data folder has data
  appOrigins?: string[]; // where the app is served (redirect URIs and CORS)
  /** Where the launch page sends users (default: manifest.json's launch_uri origin), e.g. another port. */
  launchOrigin?: string;
  accessTokenLifetimeSeconds?: number;
  /** Default 8 h; tests shorten it (or per launch: `/launch?refresh_lifetime=N`). */
  refreshTokenLifetimeSeconds?: number;
  /** Confidential clients (private_key_jwt), e.g. the app server `primaerhelseteam-server`. */
  confidentialClients?: ConfidentialClientOptions[];
  /** The authorization server's clock (tokens, codes, DPoP iat); tests share one with the app server. Default Date.now. */
  now?: () => number;
  log?: (line: string) => void;
}

export interface Sandbox {
  origin: string;
  /** The SMART profile's FHIR base (`${origin}/fhir`). */
  fhirBaseUrl: string;
  /** The HelseID-like profile's FHIR base (`${origin}/helseid/fhir`): the same data, DPoP-bound tokens. */
  helseidFhirBaseUrl: string;
  launchPageUrl: string;
  fhir: FhirServer;
  auth: SmartAuth;
  seeded: { patients: number; resources: number; ms: number } | undefined;
  close(): Promise<void>;
}

export const MANIFEST_PATH = new URL('../manifest.json', import.meta.url);

export function readManifest(): Parameters<typeof createSmartAuth>[0]['manifest'] {
  return JSON.parse(readFileSync(MANIFEST_PATH, 'utf8'));
}

/** The registration with its launch_uri moved to another origin (same path), when the app runs elsewhere. */
function withLaunchOrigin<M extends { launch_uri: string }>(manifest: M, origin: string | undefined): M {
  if (!origin) return manifest;
  const uri = new URL(manifest.launch_uri);
  return { ...manifest, launch_uri: `${origin}${uri.pathname}${uri.search}` };
}

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  const log = opts.log ?? (() => undefined);
  const host = opts.host ?? '127.0.0.1';
  if (opts.dataDir && !existsSync(opts.dataDir)) mkdirSync(opts.dataDir, { recursive: true });

  // The port must be known before the FHIR and auth servers are built (it is part of every URL they
  // hand out), so listen first and attach the handler afterwards.
  const http: Server = createServer();
  await new Promise<void>((resolve) => http.listen(opts.port ?? 8103, host, resolve));
  const { port } = http.address() as AddressInfo;
  const origin = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
  const fhirBaseUrl = `${origin}/fhir`;
  const helseidFhirBaseUrl = `${origin}${HELSEID_PREFIX}/fhir`;
  // A request that came in under /helseid/fhir, as the client addressed it: its DPoP proof's htu and
  // the issuer whose tokens it needs (sandbox/auth/server.ts authenticate).
  const addressedUrl = new AsyncLocalStorage<string>();

  // The FHIR server verifies tokens with the authorization server, which lists users from the FHIR
  // store: a holder breaks the cycle; no request can arrive before both exist (they come after listen's
  // handler is attached below).
  const authRef: { current?: SmartAuth } = {};
  const fhir = await createFhirServer({
    baseUrl: fhirBaseUrl,
    dataDir: opts.dataDir ? join(opts.dataDir, 'fhir') : undefined,
    authenticate: (header, request) => {
      if (!authRef.current) throw new AuthenticationError('Autorisasjonsserveren starter fortsatt');
      const url = addressedUrl.getStore();
      return authRef.current.authenticate(header, request && url ? { ...request, url } : request);
    },
    allowedOrigins: opts.appOrigins,
  });

  let seeded: Sandbox['seeded'];
  if (opts.reset) await fhir.store.reset();
  if (opts.reset || fhir.store.count('Patient') === 0) {
    const t0 = performance.now();
    const { resources } = generatePractice({ patients: opts.patients ?? 3000, seed: opts.seed ?? 1, asOf: opts.asOf });
    await fhir.store.bulkLoad(resources);
    seeded = { patients: opts.patients ?? 3000, resources: resources.length, ms: Math.round(performance.now() - t0) };
    log(`[sandbox] Seedet ${seeded.patients} pasienter (${seeded.resources} ressurser) på ${seeded.ms} ms`);
  }

  const authServer = await createSmartAuth({
    issuer: origin,
    fhirBaseUrl,
    dataDir: opts.dataDir, // the auth server keeps its keys in <dataDir>/auth/
    manifest: withLaunchOrigin(readManifest(), opts.launchOrigin),
    extraRedirectOrigins: opts.appOrigins,
    accessTokenLifetimeSeconds: opts.accessTokenLifetimeSeconds,
    refreshTokenLifetimeSeconds: opts.refreshTokenLifetimeSeconds,
    confidentialClients: opts.confidentialClients,
    ...(opts.now ? { now: opts.now } : {}),
    directory: {
      users: () => launchUsers(fhir),
      patients: (query, limit) => launchPatients(fhir, query, limit),
      patient: async (id) => (await launchPatients(fhir, '', 1, id))[0],
    },
  });
  authRef.current = authServer;

  http.on('request', (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const isFhirUnder = (base: string) => (path === base || path.startsWith(`${base}/`)) && !path.endsWith('/.well-known/smart-configuration');
    const work = isFhirUnder('/fhir')
      ? fhir.handle(req, res)
      : isFhirUnder(`${HELSEID_PREFIX}/fhir`)
        ? addressedUrl.run(`${origin}${req.url ?? '/'}`, () => serveUnder(req, res, { from: helseidFhirBaseUrl, to: fhirBaseUrl }, fhir.handle))
        : authServer.handle(req, res).then((handled) => {
          if (!handled) {
            res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
            res.end('Ikke funnet');
          }
        });
    work.catch((err: unknown) => {
      log(`[sandbox] Uventet feil: ${err instanceof Error ? err.stack : String(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/fhir+json' });
      res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'fatal', code: 'exception', diagnostics: 'Intern feil i sandkassen' }] }));
    });
  });

  return {
    origin,
    fhirBaseUrl,
    helseidFhirBaseUrl,
    launchPageUrl: `${origin}/`,
    fhir,
    auth: authServer,
    seeded,
    async close() {
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
      await fhir.close();
    },
  };
}

/**
 * One data store under a second FHIR base (the HelseID-like issuer): the request goes to the FHIR
 * server as if addressed to `to`, and every URL of `to` in its answer (Location, Content-Location,
 * Bundle links and fullUrls) is written back as `from`, so clients stay under the base they chose.
 */
function serveUnder(req: IncomingMessage, res: ServerResponse, bases: { from: string; to: string }, handle: FhirServer['handle']): Promise<void> {
  const fromPath = new URL(bases.from).pathname;
  const toPath = new URL(bases.to).pathname;
  req.url = `${toPath}${(req.url ?? '').slice(fromPath.length)}`;
  const escaped = bases.to.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const ownUrls = new RegExp(`${escaped}(?=[/"?#]|$)`, 'g');
  const rewrite = (text: string) => text.replace(ownUrls, bases.from);
  const writeHead = res.writeHead.bind(res) as (status: number, headers?: Record<string, string>) => ServerResponse;
  res.writeHead = ((status: number, headers?: Record<string, string>) =>
    writeHead(status, headers && Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, typeof value === 'string' ? rewrite(value) : value])))) as typeof res.writeHead;
  const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
  res.end = ((chunk?: unknown) => end(typeof chunk === 'string' ? rewrite(chunk) : Buffer.isBuffer(chunk) ? rewrite(chunk.toString('utf8')) : chunk)) as typeof res.end;
  return handle(req, res);
}

function codesOf(role: PractitionerRole): { system?: string; code?: string }[] {
  return (role.code ?? []).flatMap((c) => c.coding ?? []);
}

async function launchUsers(fhir: FhirServer): Promise<LaunchUser[]> {
  const [practitioners, roles] = await Promise.all([
    fhir.store.search<Practitioner>('Practitioner', { _count: '1000' }),
    fhir.store.search<PractitionerRole>('PractitionerRole', { _count: '1000' }),
  ]);
  const users: LaunchUser[] = [];
  for (const p of practitioners) {
    if (!p.id) continue;
    const own = roles.filter((r) => r.practitioner?.reference === `Practitioner/${p.id}`);
    const codes = own.flatMap(codesOf);
    const category = codes.find((c) => c.system === SYSTEMS.healthPersonnelCategory)?.code;
    const role = category === 'LE' ? 'gp' : category === 'SP' ? 'nurse' : category === 'HE' ? 'secretary' : undefined;
    if (!role) continue;
    const name = p.name?.[0];
    users.push({
      id: p.id,
      name: [name?.given?.join(' '), name?.family].filter(Boolean).join(' ') || p.id,
      role,
      practiceManager: codes.some((c) => c.system === SYSTEMS.teamRole && c.code === 'practice-manager'),
      hpr: p.identifier?.find((i) => i.system === SYSTEMS.hpr)?.value,
    });
  }
  return users;
}

async function launchPatients(fhir: FhirServer, query: string, limit: number, id?: string): Promise<LaunchPatient[]> {
  const q: Record<string, string> = { _count: String(limit), ...(id ? { _id: id } : {}) };
  const trimmed = query.trim();
  if (/^\d{11}$/.test(trimmed)) q.identifier = trimmed;
  else if (trimmed) q.name = trimmed;
  const patients = await fhir.store.search<Patient>('Patient', q);
  return patients.slice(0, limit).flatMap((p) => {
    if (!p.id) return [];
    const name = p.name?.[0];
    return [
      {
        id: p.id,
        // The store holds malformed data too (test/fixtures/bad-data): a name with a string `given` must not break the launch.
        name: [Array.isArray(name?.given) ? name.given.join(' ') : undefined, typeof name?.family === 'string' ? name.family : undefined].filter(Boolean).join(' ') || p.id,
        birthDate: p.birthDate,
        fnr: p.identifier?.find((i) => i.system === SYSTEMS.fnr || i.system === SYSTEMS.dnr)?.value,
      },
    ];
  });
}

// The local EPJ: one HTTP server carrying the FHIR server (/fhir), the SMART authorization server
// (/auth, /.well-known) and the launch page (/). Used by `npm start`, the integration and browser tests
// and the benchmarks, always started by the project's own code (no global installs).
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Patient, Practitioner, PractitionerRole, Resource } from '@medplum/fhirtypes';
import { createFhirServer, type FhirServer } from './fhir/server';
import { outcome, rawOutcomeResponse } from './fhir/outcomes';
import { createSmartAuth, HELSEID_PREFIX, type ConfidentialClientOptions, type LaunchPatient, type LaunchUser, type SmartAuth } from './auth/server';
import { generatePractice } from './seed';
import { AuthenticationError } from './auth/types';
import { SYSTEMS } from '../src/fhir/systems';
import { FULL_PROFILE, type EpjProfile } from './fhir/epjProfile';

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
  /** Which EPJ to play (issue 16): `full` (default) or `narrow` with its optional types; the launch page can switch it. */
  epjProfile?: EpjProfile;
  /**
   * Resources to load instead of the synthetic practice (`npm run sandbox -- --load FILE`): the store is
   * emptied and only these are loaded (already parsed and checked by sandbox/loader.ts).
   */
  load?: Resource[];
  /**
   * Called once the port listens, before the FHIR store and auth server are built (seeding can take
   * seconds); requests in that window get 503 with Retry-After. Awaited, so a supervisor or test can
   * probe the port during start-up.
   */
  onListening?: (origin: string) => void | Promise<void>;
}

/** Seconds a client should wait when it reaches the port before the sandbox is ready (issue 12 item 9). */
const STARTING_RETRY_AFTER = 5;

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
  // hand out), so listen first; until `serve.ready` is set every request gets 503 + Retry-After instead of
  // hanging unanswered (issue 12 item 9).
  const serve: { ready?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  const http: Server = createServer((req, res) => {
    if (!toOriginForm(req, res)) return;
    if (serve.ready) return serve.ready(req, res);
    res.writeHead(503, { 'Content-Type': 'application/fhir+json; charset=utf-8', 'Retry-After': String(STARTING_RETRY_AFTER) });
    res.end(JSON.stringify(outcome(503, 'transient', 'Sandkassen starter fortsatt; prøv igjen om litt')));
  });
  // Malformed request lines and oversized headers are answered by Node itself, without a body; give
  // them an OperationOutcome like every other error (issue 12 item 8).
  http.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    socket.end(rawOutcomeResponse(tooLarge ? 431 : 400, tooLarge ? 'Request Header Fields Too Large' : 'Bad Request', tooLarge ? 'Request headers are too large' : `Malformed HTTP request (${err.code ?? 'parse error'})`));
  });
  await new Promise<void>((resolve) => http.listen(opts.port ?? 8103, host, resolve));
  const { port } = http.address() as AddressInfo;
  const origin = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
  const fhirBaseUrl = `${origin}/fhir`;
  await opts.onListening?.(origin);
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
    profile: opts.epjProfile ?? FULL_PROFILE,
  });

  let seeded: Sandbox['seeded'];
  if (opts.reset || opts.load) await fhir.store.reset();
  if (opts.load) {
    const t0 = performance.now();
    await fhir.store.bulkLoad(opts.load);
    const patients = opts.load.filter((r) => r.resourceType === 'Patient').length;
    seeded = { patients, resources: opts.load.length, ms: Math.round(performance.now() - t0) };
    log(`[sandbox] Lastet ${patients} pasienter (${opts.load.length} ressurser) fra fil på ${seeded.ms} ms`);
  } else if (opts.reset || fhir.store.count('Patient') === 0) {
    const t0 = performance.now();
    const { resources } = generatePractice({ patients: opts.patients ?? 3000, seed: opts.seed ?? 1, asOf: opts.asOf });
    await fhir.store.bulkLoad(resources);
    seeded = { patients: opts.patients ?? 3000, resources: resources.length, ms: Math.round(performance.now() - t0) };
    log(`[sandbox] Seedet ${seeded.patients} pasienter (${seeded.resources} ressurser) på ${seeded.ms} ms`);
  }

  // The optional types the narrow EPJ exposes when the launch page switches to it.
  const narrowOptional = opts.epjProfile?.name === 'narrow' ? opts.epjProfile.optional : [];
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
    epj: {
      current: () => fhir.profile().name,
      choose: (name) => fhir.setProfile(name === 'full' ? FULL_PROFILE : { name: 'narrow', optional: narrowOptional }),
    },
    directory: {
      users: () => launchUsers(fhir),
      patients: (query, limit) => launchPatients(fhir, query, limit),
      patient: async (id) => (await launchPatients(fhir, '', 1, id))[0],
    },
  });
  authRef.current = authServer;

  serve.ready = (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const isFhirUnder = (base: string) => (path === base || path.startsWith(`${base}/`)) && !path.endsWith('/.well-known/smart-configuration');
    const work = isFhirUnder('/fhir')
      ? fhir.handle(req, res)
      : isFhirUnder(`${HELSEID_PREFIX}/fhir`)
        ? addressedUrl.run(`${origin}${req.url ?? '/'}`, () => serveUnder(req, res, origin, HELSEID_PREFIX, fhir.handle))
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
  };

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
 * RFC 9112 §3.2.2: a server must accept the absolute form (`GET http://host/fhir/Patient`); the routes
 * below expect the origin form, so rewrite it. Anything else (`*`, garbage) is a 400 with an outcome.
 */
function toOriginForm(req: IncomingMessage, res: ServerResponse): boolean {
  const target = req.url ?? '/';
  if (target.startsWith('/')) return true;
  let url: URL | undefined;
  try {
    url = /^https?:\/\//i.test(target) ? new URL(target) : undefined;
  } catch {
    url = undefined;
  }
  if (url) {
    req.url = `${url.pathname}${url.search}`;
    return true;
  }
  res.writeHead(400, { 'Content-Type': 'application/fhir+json; charset=utf-8' });
  res.end(JSON.stringify(outcome(400, 'structure', `Unsupported request target: ${target.slice(0, 100)}`)));
  return false;
}

/**
 * One data store under a second FHIR base (the HelseID-like issuer, `prefix` = '/helseid'): the request
 * goes to the FHIR server without the prefix, and the sandbox's own FHIR and auth URLs in its answer
 * (Location, Content-Location, Bundle links, fullUrls, the CapabilityStatement's oauth-uris) get the prefix
 * back, so a client stays with the issuer it chose.
 */
function serveUnder(req: IncomingMessage, res: ServerResponse, origin: string, prefix: string, handle: FhirServer['handle']): Promise<void> {
  req.url = (req.url ?? '/').slice(prefix.length);
  const escapedOrigin = origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const ownUrls = new RegExp(`${escapedOrigin}(?=/(?:fhir|auth)(?:[/"?#]|$))`, 'g');
  const rewrite = (text: string) => text.replace(ownUrls, `${origin}${prefix}`);
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
  return patients.slice(0, limit).flatMap((p) => (p.id ? [{ id: p.id, ...describeStoredPatient(p) }] : []));
}

/**
 * Name, birth date and fødselsnummer for the EPJ's pages, read defensively: the store may hold malformed
 * patients (the bad-data tests put `given: "Ola"` and `family: 42` there), and a launch for one must still work.
 */
function describeStoredPatient(p: Patient): Omit<LaunchPatient, 'id'> {
  const name: unknown = Array.isArray(p.name) ? p.name[0] : undefined;
  const parts = typeof name === 'object' && name !== null ? (name as { given?: unknown; family?: unknown }) : {};
  const given = Array.isArray(parts.given) ? parts.given.filter((g) => typeof g === 'string').join(' ') : typeof parts.given === 'string' ? parts.given : '';
  const family = typeof parts.family === 'string' ? parts.family : '';
  const identifiers: unknown[] = Array.isArray(p.identifier) ? p.identifier : [];
  const fnr = identifiers.find((i): i is { value: string } => {
    const { system, value } = (typeof i === 'object' && i !== null ? i : {}) as { system?: unknown; value?: unknown };
    return (system === SYSTEMS.fnr || system === SYSTEMS.dnr) && typeof value === 'string';
  })?.value;
  return {
    name: [given, family].filter(Boolean).join(' ') || (p.id ?? ''),
    ...(typeof p.birthDate === 'string' ? { birthDate: p.birthDate } : {}),
    ...(fnr ? { fnr } : {}),
  };
}

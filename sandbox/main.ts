// `npm run sandbox` / `npm run sandbox:reset`: start (or only reseed) the local EPJ.
// Options: --port N (PHT_SANDBOX_PORT, default 8103), --patients N (PHT_PATIENTS, default 3000),
// --seed N, --as-of YYYY-MM-DD (default: today in Oslo), --data DIR (default .sandbox-data), --reset,
// --seed-only, --app-origin URL (repeatable; default http://localhost:5173), --client-jwks FILE (registers
// the app server as the confidential client `primaerhelseteam-server` with that JWKS, redirect URI
// <app-origin>/auth/callback and launch URI <app-origin>/launch), --refresh-lifetime SECONDS,
// --load FILE (an EPJ-shaped transaction Bundle loaded instead of the synthetic practice; the store is
// emptied first, a malformed bundle is refused with the entry and field and nothing is loaded),
// --epj full|narrow (PHT_EPJ_PROFILE; default full), --epj-optional Type,Type (PHT_EPJ_OPTIONAL: the
// narrow EPJ's optional types, e.g. MedicationStatement,Observation).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startSandbox } from './app';
import { osloToday } from './clock';
import { parseEpjProfile } from './fhir/epjProfile';
import { BundleLoadError, readLoadBundle } from './loader';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    patients: { type: 'string' },
    seed: { type: 'string' },
    'as-of': { type: 'string' },
    data: { type: 'string' },
    reset: { type: 'boolean' },
    'seed-only': { type: 'boolean' },
    'app-origin': { type: 'string', multiple: true },
    'client-jwks': { type: 'string' },
    'refresh-lifetime': { type: 'string' },
    load: { type: 'string' },
    epj: { type: 'string' },
    'epj-optional': { type: 'string' },
  },
});

function fatal(message: string): never {
  console.error(`[sandbox] ${message}`);
  process.exit(1);
}

let epjProfile: ReturnType<typeof parseEpjProfile>;
try {
  epjProfile = parseEpjProfile(values.epj ?? process.env.PHT_EPJ_PROFILE, values['epj-optional'] ?? process.env.PHT_EPJ_OPTIONAL);
} catch (err) {
  fatal(err instanceof Error ? err.message : String(err));
}
let load: ReturnType<typeof readLoadBundle> | undefined;
if (values.load) {
  try {
    load = readLoadBundle(values.load);
  } catch (err) {
    if (err instanceof BundleLoadError) fatal(`Bunten i ${values.load} er avvist, ingenting er lastet: ${err.message}`);
    throw err;
  }
}

/** The app server's registration (the shared contract of sandbox-auth and the app server). */
function confidentialClient(jwksFile: string, appOrigin: string) {
  const jwks: unknown = JSON.parse(readFileSync(jwksFile, 'utf8'));
  if (typeof jwks !== 'object' || jwks === null || !('keys' in jwks) || !Array.isArray(jwks.keys)) {
    throw new Error(`${jwksFile} is not a JWKS ({"keys": [...]})`);
  }
  const origin = new URL(appOrigin).origin;
  return { clientId: 'primaerhelseteam-server', jwks: { keys: jwks.keys }, redirectUris: [`${origin}/auth/callback`], launchUri: `${origin}/launch` };
}

function positiveSeconds(flag: string, value: string): number {
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds <= 0) throw new Error(`${flag} must be a whole number of seconds above 0, not ${JSON.stringify(value)}`);
  return seconds;
}

const appPort = process.env.PHT_APP_PORT ?? '5173';
const appOrigin = values['app-origin']?.[0] ?? `http://localhost:${appPort}`;
const sandbox = await startSandbox({
  port: Number(values.port ?? process.env.PHT_SANDBOX_PORT ?? 8103),
  host: process.env.PHT_SANDBOX_HOST ?? 'localhost',
  dataDir: values.data ?? process.env.PHT_DATA_DIR ?? '.sandbox-data',
  patients: Number(values.patients ?? process.env.PHT_PATIENTS ?? 3000),
  seed: Number(values.seed ?? 1),
  asOf: values['as-of'] ?? osloToday(),
  reset: values.reset ?? false,
  appOrigins: values['app-origin'] ?? [`http://localhost:${appPort}`, `http://127.0.0.1:${appPort}`],
  launchOrigin: appOrigin,
  ...(values['client-jwks'] ? { confidentialClients: [confidentialClient(values['client-jwks'], appOrigin)] } : {}),
  ...(values['refresh-lifetime'] ? { refreshTokenLifetimeSeconds: positiveSeconds('--refresh-lifetime', values['refresh-lifetime']) } : {}),
  epjProfile,
  ...(load ? { load } : {}),
  log: (line) => console.log(line),
  onListening: (origin) => console.log(`[sandbox] Lytter på ${origin}; svarer 503 (Retry-After) til dataene er lastet`),
});

if (values['seed-only']) {
  await sandbox.close();
  console.log('[sandbox] Ferdig seedet.');
} else {
  console.log(`[sandbox] FHIR-server: ${sandbox.fhirBaseUrl} (SMART standard), ${sandbox.helseidFhirBaseUrl} (HelseID-lik: PAR + DPoP)`);
  console.log(`[sandbox] Journalsystemprofil: ${epjProfile.name}${epjProfile.optional.length > 0 ? ` (+ ${epjProfile.optional.join(', ')})` : ''}`);
  console.log(`[sandbox] Startside for oppstart (simulert journal): ${sandbox.launchPageUrl}`);
  const stop = async () => {
    await sandbox.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

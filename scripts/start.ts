// `npm start`: build the app, start the sandbox EPJ with the app server registered as its confidential
// client, start the app server (server/main.ts) in front of the built app, print the launch page URL.
// `npm run dev` (--dev): the same, but Vite's dev server (hot reload) serves the browser code on the app
// port and proxies the app server's routes to it on the next port (vite.config.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadKeyStore } from '../server/smart/keys';
import { settingsFromEnv } from '../server/main';

const dev = process.argv.includes('--dev');
const appPort = process.env.PHT_APP_PORT ?? '5173';
const sandboxPort = process.env.PHT_SANDBOX_PORT ?? '8103';
const appOrigin = `http://localhost:${appPort}`;
const sandboxOrigin = `http://localhost:${sandboxPort}`;
// In dev the app server sits behind Vite on the next port; browsers still use the app port.
const serverPort = dev ? String(Number(appPort) + 1) : appPort;
const children: ChildProcess[] = [];

function start(cmd: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, PHT_APP_PORT: appPort, PHT_SANDBOX_PORT: sandboxPort, ...env } });
  children.push(child);
  return child;
}

function runToEnd(cmd: string, args: string[]): Promise<number> {
  const child = start(cmd, args);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

function stopAll(code: number): never {
  for (const c of children) c.kill('SIGTERM');
  process.exit(code);
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

if (!dev) {
  console.log('[pht] Bygger appen ...');
  const built = await runToEnd('vite', ['build', '--logLevel', 'warn']);
  if (built !== 0) {
    console.error('[pht] Byggingen feilet. Se feilmeldingen over.');
    stopAll(built);
  }
}

// The app server's keys (created on first start) and the public JWKS the sandbox registers it with.
const settings = settingsFromEnv({ ...process.env, PHT_APP_PORT: serverPort });
const keys = await loadKeyStore(join(settings.dataDir, 'keys'), ['ES256', 'RS256', 'PS256']);
mkdirSync(settings.dataDir, { recursive: true });
const jwksFile = join(settings.dataDir, 'jwks.json');
writeFileSync(jwksFile, JSON.stringify(keys.jwks(), null, 2));

const processes = [
  start('node', ['--import', 'tsx', 'sandbox/main.ts', '--client-jwks', jwksFile, '--app-origin', appOrigin]),
  start('node', ['--import', 'tsx', 'server/main.ts'], { PHT_APP_PORT: serverPort, PHT_PUBLIC_ORIGIN: appOrigin, PHT_SANDBOX_ORIGIN: sandboxOrigin }),
  ...(dev ? [start('vite', ['--port', appPort, '--strictPort'], { PHT_APP_SERVER_URL: `http://localhost:${serverPort}` })] : []),
];
for (const c of processes) {
  c.on('exit', (code) => {
    console.error(`[pht] En prosess stoppet (kode ${code ?? '?'}). Avslutter.`);
    stopAll(code ?? 1);
  });
}

// Wait until each answers, then print the one URL a newcomer needs.
async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      // Each try is bounded: a server that accepts the connection while still starting must not hang us.
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} svarte ikke`);
}
await Promise.all([waitFor(`${sandboxOrigin}/fhir/metadata`), waitFor(`${appOrigin}/.well-known/jwks.json`)]);
console.log('');
console.log(`  Primærhelseteam kjører${dev ? ' (utvikling, hot reload)' : ''}.`);
console.log(`  Åpne startsiden (simulert journal) og start appen: ${sandboxOrigin}/`);
console.log(`  Appserver: ${appOrigin}/   FHIR: ${sandboxOrigin}/helseid/fhir (HelseID-lik), ${sandboxOrigin}/fhir (SMART)`);
console.log('  Stopp med Ctrl+C.');

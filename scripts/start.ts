// `npm start`: seed (first time) and start the sandbox EPJ, build and serve the app, print the launch URL.
// The app is served as a production build (`vite preview`) so what a newcomer sees is what is deployed,
// including the Content-Security-Policy. For hot reload while developing use `npm run dev`.
import { spawn, type ChildProcess } from 'node:child_process';

const appPort = process.env.PHT_APP_PORT ?? '5173';
const sandboxPort = process.env.PHT_SANDBOX_PORT ?? '8103';
const children: ChildProcess[] = [];

function start(cmd: string, args: string[]): ChildProcess {
  const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, PHT_APP_PORT: appPort, PHT_SANDBOX_PORT: sandboxPort } });
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

console.log('[pht] Bygger appen ...');
const built = await runToEnd('vite', ['build', '--logLevel', 'warn']);
if (built !== 0) {
  console.error('[pht] Byggingen feilet. Se feilmeldingen over.');
  stopAll(built);
}
const sandbox = start('node', ['--import', 'tsx', 'sandbox/main.ts']);
const preview = start('vite', ['preview', '--port', appPort, '--strictPort']);
for (const c of [sandbox, preview]) {
  c.on('exit', (code) => {
    console.error(`[pht] En prosess stoppet (kode ${code ?? '?'}). Avslutter.`);
    stopAll(code ?? 1);
  });
}

// Wait until both answer, then print the one URL a newcomer needs.
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
await Promise.all([waitFor(`http://localhost:${sandboxPort}/fhir/metadata`), waitFor(`http://localhost:${appPort}/`)]);
console.log('');
console.log('  Primærhelseteam kjører.');
console.log(`  Åpne startsiden (simulert journal) og start appen: http://localhost:${sandboxPort}/`);
console.log(`  App: http://localhost:${appPort}/   FHIR: http://localhost:${sandboxPort}/fhir`);
console.log('  Stopp med Ctrl+C.');

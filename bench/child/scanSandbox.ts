// The sandbox EPJ for the scan and scroll benchmarks, in its own process so its memory (about 3 GB at
// 100,000 patients) is its own and the benchmark runner never holds it:
//   fork('bench/child/scanSandbox.ts', [dataDir, patients, asOf, appOrigin?])
// Seeds `patients` patients into `dataDir`, waits until the background index warm-up is over (the event
// loop idle), then sends { type: 'ready', ... } over IPC. Answers { type: 'stats' } with its RSS now and
// the peak since the last { type: 'resetPeak' }, and counts the HTTP requests it has received.
import { readFileSync } from 'node:fs';
import { startSandbox } from '../../sandbox/app';

export interface SandboxReady {
  type: 'ready';
  origin: string;
  fhirBaseUrl: string;
  seedMs: number;
  resources: number;
  /** Time from seeded to an idle event loop (the background index warm-up). */
  warmMs: number;
  rssMiB: number;
}

export interface SandboxStats {
  type: 'stats';
  rssMiB: number;
  peakMiB: number;
  /** HTTP requests received since the last resetPeak. */
  requests: number;
}

export type SandboxCommand = { type: 'stats' } | { type: 'resetPeak' } | { type: 'close' };

const MiB = 2 ** 20;
const [dataDir, patientsArg, asOf, appOrigin, jwksFile] = process.argv.slice(2);
if (!dataDir || !asOf) throw new Error('usage: scanSandbox.ts <dataDir> <patients> <asOf> [appOrigin]');

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);

/** Resolves once the event loop has answered 30 ticks of 10 ms in a row without a 20 ms delay. */
async function idle(): Promise<void> {
  let quiet = 0;
  while (quiet < 30) {
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 10));
    quiet = performance.now() - t0 < 20 ? quiet + 1 : 0;
  }
}

const t0 = performance.now();
const sandbox = await startSandbox({
  port: 0,
  dataDir,
  patients: Number(patientsArg ?? 3000),
  asOf,
  reset: true,
  ...(appOrigin ? { appOrigins: [appOrigin], launchOrigin: appOrigin } : {}),
  // The app server as the EPJ registers it (confidential client, private_key_jwt): its launch and its
  // Backend Services token for the server's scan.
  ...(appOrigin && jwksFile
    ? {
        confidentialClients: [
          {
            clientId: 'primaerhelseteam-server',
            jwks: JSON.parse(readFileSync(jwksFile, 'utf8')) as { keys: JsonWebKey[] },
            redirectUris: [`${appOrigin}/auth/callback`],
            launchUri: `${appOrigin}/launch`,
          },
        ],
      }
    : {}),
});
const seeded = performance.now();
await idle();
const warmMs = performance.now() - seeded;

// Count requests on the sandbox's own server: every 'request' event of the process's HTTP servers.
let requests = 0;
const { Server } = await import('node:http');
const emit = Server.prototype.emit;
Server.prototype.emit = function (this: InstanceType<typeof Server>, event: string | symbol, ...args: unknown[]): boolean {
  if (event === 'request') requests++;
  return Reflect.apply(emit, this, [event, ...args]) as boolean;
} as typeof emit;

const ready: SandboxReady = {
  type: 'ready',
  origin: sandbox.origin,
  fhirBaseUrl: sandbox.fhirBaseUrl,
  seedMs: sandbox.seeded?.ms ?? Math.round(seeded - t0),
  resources: sandbox.seeded?.resources ?? 0,
  warmMs: Math.round(warmMs),
  rssMiB: Math.round(process.memoryUsage().rss / MiB),
};
process.send?.(ready);

process.on('message', (msg: SandboxCommand) => {
  if (msg.type === 'resetPeak') {
    peak = process.memoryUsage().rss;
    requests = 0;
    process.send?.({ type: 'peakReset' });
  } else if (msg.type === 'stats') {
    const rss = process.memoryUsage().rss;
    peak = Math.max(peak, rss);
    const stats: SandboxStats = { type: 'stats', rssMiB: Math.round(rss / MiB), peakMiB: Math.round(peak / MiB), requests };
    process.send?.(stats);
  } else if (msg.type === 'close') {
    clearInterval(sampler);
    // No compaction wait: the data folder is thrown away after the benchmark.
    process.exit(0);
  }
});

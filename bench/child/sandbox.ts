// Runs in its own process so memory and start-up are measured cleanly:
//   node --import tsx bench/child/sandbox.ts seed|start <dataDir> <patients>
// Prints one JSON line with the figures.
import { startSandbox } from '../../sandbox/app';

const [mode, dataDir, patientsArg] = process.argv.slice(2);
const patients = Number(patientsArg ?? 3000);
let peak = process.memoryUsage().rss;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);

const t0 = performance.now();
const sandbox = await startSandbox({ port: 0, dataDir, patients, asOf: '2026-11-24', reset: mode === 'seed' });
const res = await fetch(`${sandbox.fhirBaseUrl}/metadata`);
if (!res.ok) throw new Error(`metadata ${res.status}`);
const readyMs = performance.now() - t0;
const rssReady = process.memoryUsage().rss;
const t1 = performance.now();
await sandbox.close();
const closeMs = performance.now() - t1;
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().rss);
console.log(
  JSON.stringify({
    mode,
    patients,
    // From process start (includes loading Node, tsx and the FHIR definitions).
    sinceProcessStartMs: Math.round(performance.now() - closeMs),
    readyMs: Math.round(readyMs),
    seedMs: sandbox.seeded?.ms,
    resources: sandbox.seeded?.resources,
    closeMs: Math.round(closeMs),
    rssReadyMiB: Math.round(rssReady / 2 ** 20),
    rssPeakMiB: Math.round(peak / 2 ** 20),
  }),
);
process.exit(0);

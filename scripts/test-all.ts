// `npm test`: every check, in order: Chromium, type-check and lint, FHIR profiles and the app build (once per
// run, shared by all tests), then the three test tiers (unit, integration, browser), each a Vitest run of its
// own with its own time. Every tier runs even when an earlier one failed. Ends with one summary line
// "tests: N passed, N failed, N skipped" summed over the tiers (issue 13, points 1, 2 and 6).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const started = Date.now();
// package.json's "test" exports PHT_T0 (epoch seconds) before the install step, so the total includes it.
const t0 = process.env.PHT_T0 ? Number(process.env.PHT_T0) * 1000 : started;
const times: { name: string; s: number }[] = [];

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function fail(name: string, status: number | null): never {
  console.error(`[pht] ${name} feilet (kode ${status ?? 'signal'}).`);
  process.exit(status || 1);
}

function step(name: string, cmd: string, args: string[]): void {
  console.log(`\n[pht] ${name}: ${cmd} ${args.join(' ')}`);
  const ts = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  times.push({ name, s: (Date.now() - ts) / 1000 });
  if (r.status !== 0) fail(name, r.status);
}

/** Runs several commands at once (each prints with its name); fails after all have ended if any failed. */
async function parallel(steps: { name: string; cmd: string; args: string[] }[]): Promise<void> {
  const ts = Date.now();
  const results = await Promise.all(
    steps.map(
      (s) =>
        new Promise<{ name: string; status: number | null; output: string }>((resolve) => {
          console.log(`[pht] ${s.name}: ${s.cmd} ${s.args.join(' ')}`);
          const child = spawn(s.cmd, s.args, { stdio: ['ignore', 'pipe', 'pipe'] });
          let output = '';
          child.stdout.on('data', (d: Buffer) => (output += d.toString()));
          child.stderr.on('data', (d: Buffer) => (output += d.toString()));
          child.on('close', (status) => resolve({ name: s.name, status, output }));
        }),
    ),
  );
  times.push({ name: steps.map((s) => s.name).join(' + '), s: (Date.now() - ts) / 1000 });
  for (const r of results) if (r.output.trim()) console.log(`\n[pht] ${r.name}:\n${r.output.trimEnd()}`);
  const failed = results.find((r) => r.status !== 0);
  if (failed) fail(failed.name, failed.status);
}

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

function tier(project: string): Counts & { status: number | null } {
  const out = `test-results/vitest-${project}.json`;
  rmSync(out, { force: true });
  console.log(`\n[pht] Tester, ${project}: vitest run --project ${project}`);
  const ts = Date.now();
  const r = spawnSync('vitest', ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], {
    stdio: 'inherit',
    // The browser tests check every view at 1366 and 1024 px either way; writing the PNGs (219 full-page
    // screenshots, about 14 % of the tier's time) is for people looking at them: PHT_SCREENSHOTS=1 npm test,
    // or npm run test:browser, which writes them.
    env: { ...process.env, PHT_SCREENSHOTS: process.env.PHT_SCREENSHOTS ?? '0' },
  });
  times.push({ name: `tester ${project}`, s: (Date.now() - ts) / 1000 });
  try {
    const report = JSON.parse(readFileSync(out, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
    // A file that fails to load counts no test: count it as one failure so the summary never says 0 failed.
    const failed = report.numFailedTests || (r.status === 0 ? 0 : 1);
    return { passed: report.numPassedTests, failed, skipped: report.numPendingTests + report.numTodoTests, status: r.status };
  } catch {
    return { passed: 0, failed: 1, skipped: 0, status: r.status ?? 1 };
  }
}

mkdirSync('test-results', { recursive: true });
step('Nettleser', 'sh', ['scripts/ensure-chromium.sh']);
step('PostgreSQL', 'sh', ['scripts/ensure-postgres.sh']);
// Type-check, lint, the oracle rule, SUSHI and Vite are independent and mostly single-threaded: run them together.
await parallel([
  { name: 'Typesjekk', cmd: 'tsc', args: ['--noEmit', '-p', 'tsconfig.json'] },
  { name: 'Lint', cmd: 'eslint', args: ['.'] },
  { name: 'Orakelregelen', cmd: 'node', args: ['--import', 'tsx', 'scripts/check-test-oracles.ts'] },
  { name: 'FHIR-profiler', cmd: 'node', args: ['--import', 'tsx', 'scripts/build-profiles.ts', '--if-stale', '--quiet'] },
  { name: 'Bygg', cmd: 'node', args: ['--import', 'tsx', 'scripts/build-app.ts', '--if-stale'] },
]);

const tiers = ['unit', 'integration', 'browser'].map((p) => ({ project: p, ...tier(p) }));
const sum = (pick: (c: Counts) => number) => tiers.reduce((s, t) => s + pick(t), 0);

console.log('\n[pht] Tider:');
if (started - t0 > 1000) console.log(`  installasjon og oppstart ${seconds(started - t0)}`);
for (const t of times) console.log(`  ${t.name.padEnd(50)} ${t.s.toFixed(1)} s`);
for (const t of tiers) console.log(`  ${t.project}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
console.log(`  totalt ${seconds(Date.now() - t0)}`);
console.log(`\ntests: ${sum((c) => c.passed)} passed, ${sum((c) => c.failed)} failed, ${sum((c) => c.skipped)} skipped`);
process.exit(tiers.every((t) => t.status === 0) ? 0 : 1);

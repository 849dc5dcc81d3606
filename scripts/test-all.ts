// `npm test`: every check, in order: type-check, lint, FHIR profiles, then unit, integration and browser
// tests in one Vitest run. Ends with one summary line "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

function step(name: string, cmd: string, args: string[]): void {
  console.log(`\n[pht] ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[pht] ${name} feilet (kode ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
}

step('Nettleser', 'sh', ['scripts/ensure-chromium.sh']);
step('PostgreSQL', 'sh', ['scripts/ensure-postgres.sh']);
step('Typesjekk', 'tsc', ['--noEmit', '-p', 'tsconfig.json']);
step('Lint', 'eslint', ['.']);
step('FHIR-profiler', 'node', ['--import', 'tsx', 'scripts/build-profiles.ts']);
step('Bygg', 'vite', ['build', '--logLevel', 'warn']);

mkdirSync('test-results', { recursive: true });
console.log('\n[pht] Tester: vitest run (unit, integration, browser)');
const r = spawnSync('vitest', ['run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json'], { stdio: 'inherit' });
let summary = '';
try {
  const report: { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number } = JSON.parse(
    readFileSync('test-results/vitest.json', 'utf8'),
  );
  summary = `tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped`;
} catch {
  summary = 'tests: 0 passed, 1 failed';
}
console.log(`\n${summary}`);
process.exit(r.status ?? 1);

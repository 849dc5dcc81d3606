// `vite build` into dist/, once per source change: the browser tests and `npm test` share one build.
// dist/.pht-source-hash records what the build was made from; `--if-stale` skips the build when it matches.
// A directory lock keeps parallel callers (vitest's globalSetup, `npm test`) from building over each other.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles, withDirLock } from './build-cache.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(repoRoot, 'dist');
const HASH_FILE = join(DIST, '.pht-source-hash');
const LOCK_DIR = join(repoRoot, 'node_modules', '.pht-build.lock');

/** Everything the bundle depends on: sources, static files, config and the installed versions. */
export function appSourceHash(): string {
  const hash = createHash('sha256');
  const files = [
    ...listFiles(join(repoRoot, 'src')),
    ...listFiles(join(repoRoot, 'public')),
    ...['index.html', 'vite.config.ts', 'package-lock.json', 'tsconfig.json'].map((f) => join(repoRoot, f)),
  ];
  for (const file of files) hash.update(relative(repoRoot, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

export function appBuildIsFresh(): boolean {
  return existsSync(join(DIST, 'index.html')) && existsSync(HASH_FILE) && readFileSync(HASH_FILE, 'utf8') === appSourceHash();
}

/** Builds dist/ unless it is fresh (or `force`). Returns whether it built. */
export function buildApp(opts: { ifStale?: boolean } = {}): boolean {
  return withDirLock(LOCK_DIR, () => {
    if (opts.ifStale && process.env.PHT_REBUILD !== '1' && appBuildIsFresh()) return false;
    const hash = appSourceHash();
    // NODE_ENV=production: under vitest NODE_ENV is 'test', which would make Vite bundle React's
    // development build (bigger, slower, and not what is deployed).
    const vite = join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
    const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: repoRoot,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (r.status !== 0) throw new Error('vite build feilet');
    writeFileSync(HASH_FILE, hash);
    return true;
  });
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const t0 = Date.now();
  const built = buildApp({ ifStale: process.argv.includes('--if-stale') });
  console.log(built ? `[build] dist/ bygget på ${((Date.now() - t0) / 1000).toFixed(1)} s` : '[build] dist/ er oppdatert');
}

// Shared by the cached builds (build-app.ts, build-profiles.ts): the file list a source hash is made from,
// and a directory lock so parallel callers (vitest's globalSetup, `npm test`, `npm run profiles`) do not
// build over each other. Plain Node 22 runs the importers with type stripping: keep this file free of
// enums, namespaces and parameter properties.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const LOCK_STALE_MS = 10 * 60_000;

/** Every file below `dir`, sorted, so a hash over them does not depend on directory order. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Runs `fn` holding `lockDir` (mkdir is atomic); a lock older than 10 minutes is taken as abandoned. */
export function withDirLock<T>(lockDir: string, fn: () => T): T {
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      let age = 0;
      try {
        age = Date.now() - statSync(lockDir).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      if (age > LOCK_STALE_MS) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - started > LOCK_STALE_MS) throw new Error(`Timed out waiting for ${lockDir}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

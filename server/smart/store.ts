// Server-side state behind one small interface, so a restart or a second server process on the same
// data folder loses nothing (issue 14 item 4). Today: one JSON file per key under <data dir>/sessions/;
// the database issue replaces this with a PostgreSQL table behind the same interface.
// File names are SHA-256 of the key: a directory listing does not reveal cookie values or handles.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SessionStore<T> {
  get(key: string): Promise<T | undefined>;
  put(key: string, value: T, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Extends the time to live without changing the value. */
  touch(key: string, ttlMs: number): Promise<void>;
}

interface Entry<T> {
  expiresAt: number;
  value: T;
}

export function fileStore<T>(dir: string, now: () => number = Date.now): SessionStore<T> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = (key: string) => join(dir, `${createHash('sha256').update(key).digest('base64url')}.json`);
  function read(key: string): Entry<T> | undefined {
    let entry: Entry<T>;
    try {
      entry = JSON.parse(readFileSync(path(key), 'utf8')) as Entry<T>;
    } catch {
      return undefined;
    }
    if (entry.expiresAt <= now()) {
      rmSync(path(key), { force: true });
      return undefined;
    }
    return entry;
  }
  function write(key: string, entry: Entry<T>): void {
    // Write then rename: a reader in another process sees the old or the new file, never half of one.
    const tmp = `${path(key)}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600 });
    renameSync(tmp, path(key));
  }
  return {
    get: async (key) => read(key)?.value,
    put: async (key, value, ttlMs) => write(key, { expiresAt: now() + ttlMs, value }),
    delete: async (key) => rmSync(path(key), { force: true }),
    touch: async (key, ttlMs) => {
      const entry = read(key);
      if (entry) write(key, { ...entry, expiresAt: now() + ttlMs });
    },
  };
}

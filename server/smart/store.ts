// Server-side state behind one small interface, so a restart or a second server process loses nothing
// (issue 14 item 4). Implemented on the app's database by server/db/sessionStore.ts (issue 15).

export interface SessionStore<T> {
  get(key: string): Promise<T | undefined>;
  put(key: string, value: T, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Extends the time to live without changing the value. */
  touch(key: string, ttlMs: number): Promise<void>;
}

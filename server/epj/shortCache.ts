// A short-lived cache of EPJ reads that do not change within seconds (issue 19 point 2: the API under the
// load of 50 users). One instance per kind of read, created with the app server and passed to the slices:
// requests for the same key while the read runs, or within `ttlMs` after it ended, share it (50 users opening
// the inbox at once cause one read of the EPJ, not 50). A failed read is not kept.
// Time is the process's monotonic clock (real seconds), never the business clock, which tests may stop.
export class ShortCache<T> {
  /** `at`: when the read ended (undefined while it runs). */
  private readonly entries = new Map<string, { at: number | undefined; value: Promise<T> }>();

  constructor(
    readonly ttlMs: number,
    private readonly clock: () => number = () => performance.now(),
    private readonly maxEntries = 2000,
  ) {}

  /** The value of `key`: shared while read or less than `ttlMs` after, otherwise `load()` (and kept). `hit` says which. */
  async get(key: string, load: () => Promise<T>): Promise<{ value: T; hit: boolean }> {
    const known = this.entries.get(key);
    if (known && (known.at === undefined || this.clock() - known.at < this.ttlMs)) return { value: await known.value, hit: true };
    if (this.entries.size >= this.maxEntries) this.prune(this.clock());
    const value = load();
    const entry: { at: number | undefined; value: Promise<T> } = { at: undefined, value };
    this.entries.set(key, entry);
    value.then(
      () => (entry.at = this.clock()),
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return { value: await value, hit: false };
  }

  /** Forgets the keys that start with `prefix` (all with none): what this server changed is read afresh. */
  forget(prefix = ''): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  private prune(now: number): void {
    for (const [key, entry] of this.entries) if (entry.at !== undefined && now - entry.at >= this.ttlMs) this.entries.delete(key);
    // Still full (a burst of distinct keys): the oldest go first (Map keeps insertion order).
    for (const key of this.entries.keys()) {
      if (this.entries.size < this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}

// A short-lived cache of EPJ reads that do not change within seconds (issue 19 point 2: the API under the
// load of 50 users). One instance per kind of read, created with the app server and passed to the slices:
// requests for the same key while the read runs, or within `ttlMs` after it ended, share it (50 users opening
// the inbox at once cause one read of the EPJ, not 50). A failed read is not kept.
// With `staleMs` (the practice-wide discharge read), a value past its TTL but younger than TTL + staleMs is
// answered at once while one read in the background replaces it (stale-while-revalidate): no user waits for
// the practice's dozens of EPJ searches when the TTL runs out under load; an older value is never answered.
// Time is the process's monotonic clock (real seconds), never the business clock, which tests may stop.
interface Entry<T> {
  /** When the read ended (undefined while it runs). */
  at: number | undefined;
  value: Promise<T>;
  /** A background read that will replace this value is running. */
  refreshing?: boolean;
}

export class ShortCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    readonly ttlMs: number,
    private readonly clock: () => number = () => performance.now(),
    private readonly maxEntries = 2000,
    private readonly staleMs = 0,
  ) {}

  /**
   * The value of `key`: shared while read or less than `ttlMs` after, otherwise `load()` (and kept). `hit` says
   * which. Within `staleMs` after the TTL the kept value is answered (`hit`) and `load()` runs in the background.
   */
  async get(key: string, load: () => Promise<T>): Promise<{ value: T; hit: boolean }> {
    const known = this.entries.get(key);
    if (known) {
      const age = known.at === undefined ? 0 : this.clock() - known.at;
      if (age < this.ttlMs) return { value: await known.value, hit: true };
      if (age < this.ttlMs + this.staleMs) {
        if (!known.refreshing) this.refresh(key, known, load);
        return { value: await known.value, hit: true };
      }
    }
    if (this.entries.size >= this.maxEntries) this.prune(this.clock());
    const value = load();
    const entry: Entry<T> = { at: undefined, value };
    this.entries.set(key, entry);
    value.then(
      () => (entry.at = this.clock()),
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return { value: await value, hit: false };
  }

  /** Reads `key` again behind `stale`; the new value replaces it only if nothing forgot or replaced it meanwhile. */
  private refresh(key: string, stale: Entry<T>, load: () => Promise<T>): void {
    stale.refreshing = true;
    load().then(
      (value) => {
        stale.refreshing = false;
        if (this.entries.get(key) === stale) this.entries.set(key, { at: this.clock(), value: Promise.resolve(value) });
      },
      // A failed background read leaves the stale value until it is too old; the next request tries again.
      () => (stale.refreshing = false),
    );
  }

  /** Forgets the keys that start with `prefix` (all with none): what this server changed is read afresh. */
  forget(prefix = ''): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  private prune(now: number): void {
    for (const [key, entry] of this.entries) if (entry.at !== undefined && now - entry.at >= this.ttlMs + this.staleMs) this.entries.delete(key);
    // Still full (a burst of distinct keys): the oldest go first (Map keeps insertion order).
    for (const key of this.entries.keys()) {
      if (this.entries.size < this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}

// server/epj/shortCache.ts (issue 19 point 2): requests for the same key within the TTL share one read,
// also while it runs; a failed read is not kept; forget(prefix) drops a patient's or practice's reads; with
// staleMs a value past its TTL is answered while one background read replaces it, and never when older.
// The clock is a hand-driven counter, so nothing depends on machine speed.
import { describe, expect, test } from 'vitest';
import { ShortCache } from '../../../server/epj/shortCache';

function counter() {
  let calls = 0;
  return {
    load: (value: string) => async () => {
      calls += 1;
      return value;
    },
    get calls() {
      return calls;
    },
  };
}

describe('ShortCache', () => {
  test('concurrent requests for one key share one read; another key reads on its own', async () => {
    const t = 0;
    const cache = new ShortCache<string>(5_000, () => t);
    let release!: (v: string) => void;
    let reads = 0;
    const slow = () => {
      reads += 1;
      return new Promise<string>((ok) => (release = ok));
    };
    const a = cache.get('practice-1', slow);
    const b = cache.get('practice-1', slow);
    expect(reads).toBe(1);
    release('episodes');
    expect(await a).toEqual({ value: 'episodes', hit: false });
    expect(await b).toEqual({ value: 'episodes', hit: true });
    const c = counter();
    expect((await cache.get('practice-2', c.load('other'))).value).toBe('other');
    expect(c.calls).toBe(1);
  });

  test('kept for the TTL after the read ended (a slow read is not stale at once), then read again', async () => {
    let t = 0;
    const cache = new ShortCache<string>(5_000, () => t);
    const c = counter();
    let release!: (v: string) => void;
    const first = cache.get('k', () => new Promise<string>((ok) => (release = ok)));
    t = 9_000; // the read takes longer than the TTL: still shared while it runs
    const during = cache.get('k', c.load('not read'));
    t = 1_000;
    release('first');
    await first;
    expect(await during).toEqual({ value: 'first', hit: true });
    expect(c.calls).toBe(0);
    t = 5_999; // 4 999 ms after the read ended
    expect(await cache.get('k', c.load('second'))).toEqual({ value: 'first', hit: true });
    t = 6_000;
    expect(await cache.get('k', c.load('second'))).toEqual({ value: 'second', hit: false });
    expect(c.calls).toBe(1);
  });

  test('a failed read is not kept: the next request reads again', async () => {
    const cache = new ShortCache<string>(5_000, () => 0);
    await expect(cache.get('k', () => Promise.reject(new Error('EPJ nede')))).rejects.toThrow('EPJ nede');
    const c = counter();
    expect(await cache.get('k', c.load('ok'))).toEqual({ value: 'ok', hit: false });
  });

  test('forget(prefix) drops only the keys that start with it', async () => {
    const cache = new ShortCache<string>(5_000, () => 0);
    const c = counter();
    await cache.get('org-1\npat-1\nx', c.load('a'));
    await cache.get('org-1\npat-10\nx', c.load('b'));
    cache.forget('org-1\npat-1\n');
    expect((await cache.get('org-1\npat-1\nx', c.load('a2'))).value).toBe('a2');
    expect((await cache.get('org-1\npat-10\nx', c.load('b2'))).value).toBe('b');
    expect(c.calls).toBe(3);
  });

  test('holds at most maxEntries keys, dropping the oldest first', async () => {
    const cache = new ShortCache<string>(5_000, () => 0, 2);
    const c = counter();
    await cache.get('a', c.load('a'));
    await cache.get('b', c.load('b'));
    await cache.get('c', c.load('c'));
    expect((await cache.get('a', c.load('a2'))).value).toBe('a2');
    expect((await cache.get('c', c.load('c2'))).value).toBe('c');
  });

  describe('stale-while-revalidate (staleMs)', () => {
    /** A read the test ends by hand. */
    function manual() {
      const ends: { ok: (v: string) => void; fail: (e: Error) => void }[] = [];
      return {
        load: () => new Promise<string>((ok, fail) => ends.push({ ok, fail })),
        get reads() {
          return ends.length;
        },
        end: (i: number, v: string) => ends[i]?.ok(v),
        fail: (i: number) => ends[i]?.fail(new Error('EPJ nede')),
      };
    }
    const flush = () => new Promise((r) => setTimeout(r, 0));
    /** A cache (TTL 5 s, staleMs 25 s) whose `key` was read once, as `value`, at time 0; `at(ms)` sets the clock. */
    async function readAtZero(key: string, value: string) {
      let t = 0;
      const cache = new ShortCache<string>(5_000, () => t, 2000, 25_000);
      const m = manual();
      const first = cache.get(key, m.load);
      m.end(0, value);
      await first;
      return { cache, m, at: (ms: number) => void (t = ms) };
    }

    test('past the TTL but within staleMs: the kept value at once, one read behind it, then the new value', async () => {
      const { cache, m, at } = await readAtZero('practice-1', 'episodes@0');
      at(5_000); // the TTL is over
      expect(await cache.get('practice-1', m.load)).toEqual({ value: 'episodes@0', hit: true });
      expect(await cache.get('practice-1', m.load)).toEqual({ value: 'episodes@0', hit: true });
      expect(m.reads).toBe(2); // the first read and one background read, not one per request
      at(6_000);
      m.end(1, 'episodes@5');
      await flush();
      expect(await cache.get('practice-1', m.load)).toEqual({ value: 'episodes@5', hit: true });
      // Kept for the TTL from when the background read ended (6 000 + 5 000).
      at(10_999);
      expect(await cache.get('practice-1', m.load)).toEqual({ value: 'episodes@5', hit: true });
      expect(m.reads).toBe(2);
    });

    test('older than TTL + staleMs: never answered, the request waits for a new read', async () => {
      let t = 0;
      const cache = new ShortCache<string>(5_000, () => t, 2000, 25_000);
      const c = counter();
      await cache.get('k', c.load('old'));
      t = 29_999;
      expect((await cache.get('k', c.load('background'))).value).toBe('old');
      await flush();
      t = 29_999 + 30_000; // the background value too is past TTL + staleMs
      expect(await cache.get('k', c.load('fresh'))).toEqual({ value: 'fresh', hit: false });
      expect(c.calls).toBe(3);
    });

    test('a failed background read keeps the stale value; the next request tries again', async () => {
      const { cache, m, at } = await readAtZero('k', 'v0');
      at(6_000);
      expect((await cache.get('k', m.load)).value).toBe('v0');
      m.fail(1);
      await flush();
      expect((await cache.get('k', m.load)).value).toBe('v0');
      expect(m.reads).toBe(3);
      m.end(2, 'v1');
      await flush();
      expect((await cache.get('k', m.load)).value).toBe('v1');
    });

    test('forget() while a background read runs: its value is not kept, the next request reads afresh', async () => {
      const { cache, m, at } = await readAtZero('org-1\nx', 'before');
      at(6_000);
      expect((await cache.get('org-1\nx', m.load)).value).toBe('before');
      cache.forget('org-1\n');
      m.end(1, 'background');
      await flush();
      const next = cache.get('org-1\nx', m.load);
      m.end(2, 'after');
      expect(await next).toEqual({ value: 'after', hit: false });
    });

    test('without staleMs (the default) a value past the TTL is never answered', async () => {
      let t = 0;
      const cache = new ShortCache<string>(5_000, () => t);
      const c = counter();
      await cache.get('k', c.load('old'));
      t = 5_000;
      expect(await cache.get('k', c.load('new'))).toEqual({ value: 'new', hit: false });
    });
  });
});

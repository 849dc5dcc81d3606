// server/epj/shortCache.ts (issue 19 point 2): requests for the same key within the TTL share one read,
// also while it runs; a failed read is not kept; forget(prefix) drops a patient's or practice's reads.
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
});

// The launch bench's replay plan (bench/sections/launch.ts): requests grouped in the waves a client must
// wait through, by their start and end times as the browser made them.
import { expect, test } from 'vitest';
import { requestWaves, sequentialDepth } from '../../../bench/sections/launch';

const r = (url: string, start: number, end: number) => ({ url, start, end });

test.each([
  { name: 'nothing', requests: [], waves: [] },
  { name: 'all at once', requests: [r('a', 0, 10), r('b', 1, 12), r('c', 2, 8)], waves: [['a', 'b', 'c']] },
  // c starts after a ended (it may have waited for it): a second wave; d after c: a third.
  { name: 'a chain', requests: [r('a', 0, 10), r('b', 0, 30), r('c', 11, 20), r('d', 21, 25)], waves: [['a', 'b'], ['c'], ['d']] },
  // e starts after b (wave 1) ended but also after c (wave 2): it waits for the later wave.
  { name: 'the deepest predecessor counts', requests: [r('a', 0, 5), r('b', 0, 6), r('c', 7, 9), r('e', 10, 11)], waves: [['a', 'b'], ['c'], ['e']] },
])('$name', ({ requests, waves }) => {
  expect(requestWaves(requests).map((w) => w.map((x) => x.url))).toEqual(waves);
  expect(sequentialDepth(requests)).toBe(waves.length);
});

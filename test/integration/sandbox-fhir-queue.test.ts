// The write queue on its own. In today's in-memory repository a check-then-write never awaits real
// I/O, so the HTTP-level concurrency tests in sandbox-fhir.test.ts would pass even without the queue;
// this test keeps the queue honest for when a write path does await I/O (FINDINGS: then 50 concurrent
// conditional creates made 50 resources).
import { expect, test } from 'vitest';
import { SerialQueue } from '../../sandbox/fhir/queue';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

test('check-then-write tasks that await I/O do not interleave', async () => {
  const queue = new SerialQueue();
  const created: string[] = [];
  const conditionalCreate = async (): Promise<'created' | 'found'> => {
    const exists = created.includes('one');
    await tick(); // the I/O between the search and the write
    if (exists) return 'found';
    created.push('one');
    return 'created';
  };
  const results = await Promise.all(Array.from({ length: 50 }, () => queue.run(conditionalCreate)));
  expect(created).toEqual(['one']);
  expect(results.filter((r) => r === 'created')).toHaveLength(1);
});

test('a failed task does not block the ones after it', async () => {
  const queue = new SerialQueue();
  const failing = queue.run(async () => {
    await tick();
    throw new Error('boom');
  });
  const next = queue.run(async () => 'ran');
  await expect(failing).rejects.toThrow('boom');
  await expect(next).resolves.toBe('ran');
});

test('reads run together, a write waits for them, and reads that come after a waiting write wait for it', async () => {
  const queue = new SerialQueue();
  const events: string[] = [];
  let releaseReads: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (releaseReads = resolve));
  const read = (name: string, wait?: Promise<void>) =>
    queue.read(async () => {
      events.push(`${name} start`);
      await wait;
      events.push(`${name} end`);
    });
  const r1 = read('r1', gate);
  const r2 = read('r2', gate);
  const w = queue.run(async () => {
    events.push('w start');
    await tick();
    events.push('w end');
  });
  const r3 = read('r3');
  await tick();
  expect(events).toEqual(['r1 start', 'r2 start']); // both reads in, the write and the later read wait
  releaseReads();
  await Promise.all([r1, r2, w, r3]);
  expect(events).toEqual(['r1 start', 'r2 start', 'r1 end', 'r2 end', 'w start', 'w end', 'r3 start', 'r3 end']);
});

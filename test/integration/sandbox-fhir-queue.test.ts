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

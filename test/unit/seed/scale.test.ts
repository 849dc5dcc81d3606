// 100,000 patients: measured, not asserted (timings depend on the machine). Prints the figures.
import { expect, test } from 'vitest';
import { generatePractice } from '../../../sandbox/seed/index';

test('100,000 patients generate in memory (the CLI streams them)', { timeout: 600_000 }, () => {
  const t0 = performance.now();
  const { resources, summary } = generatePractice({ asOf: '2026-11-24', patients: 100_000, seed: 1 });
  const inMemoryMs = Math.round(performance.now() - t0);
  const heapMb = Math.round(process.memoryUsage().heapUsed / 1e6);
  expect(summary.patients).toBe(100_000);
  expect(summary.resources.Patient).toBe(100_000);
  expect(resources.length).toBe(summary.totalResources);
  expect(summary.expectedCandidates.share).toBeGreaterThanOrEqual(0.07);
  expect(summary.expectedCandidates.share).toBeLessThanOrEqual(0.1);
  console.info(`100k patients: ${resources.length} resources; generatePractice ${inMemoryMs} ms (heap ${heapMb} MB)`);
});

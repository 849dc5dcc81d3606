// Generating the synthetic practice in memory (moved out of the unit tests, issue 13 point 2): 100,000
// patients, with the summary's sanity figures (share of target-group candidates, SPEC §3: 7-10 %).
import { generatePractice } from '../../sandbox/seed';
import { fmt, type BenchRow } from '../report';

export async function benchSeed(patients: number): Promise<BenchRow[]> {
  const t0 = performance.now();
  const { resources, summary } = generatePractice({ asOf: '2026-11-24', patients, seed: 1 });
  const ms = performance.now() - t0;
  const heapMb = Math.round(process.memoryUsage().heapUsed / 1e6);
  const share = summary.expectedCandidates.share;
  return [
    {
      section: 'seed',
      name: `generatePractice, ${patients.toLocaleString('en')} patients in memory`,
      figure: `${fmt(ms)} ms, ${resources.length.toLocaleString('en')} resources, heap ${heapMb} MB`,
      value: ms,
      unit: 'ms',
      target: 'all patients generated',
      met: summary.patients === patients && summary.resources.Patient === patients && resources.length === summary.totalResources,
    },
    {
      section: 'seed',
      name: 'share of target-group candidates in the seed',
      figure: `${(share * 100).toFixed(1)} %`,
      value: share,
      unit: '',
      target: '7-10 % (SPEC §3)',
      met: share >= 0.07 && share <= 0.1,
    },
  ];
}

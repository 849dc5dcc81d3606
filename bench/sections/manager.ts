// The manager's figures for a year of a 100,000-patient practice (issues "Practice manager" and
// "Performance"): run in a fresh process (bench/manager.ts) so its memory is its own.
import { execFileSync } from 'node:child_process';
import { fmt, type BenchRow } from '../report';
import type { ManagerBenchResult } from '../manager';

export async function benchManager(patients: number): Promise<BenchRow[]> {
  const out = execFileSync('node', ['--import', 'tsx', 'bench/manager.ts', String(patients)], { encoding: 'utf8', maxBuffer: 2 ** 24, timeout: 10 * 60_000 });
  const r = JSON.parse(out.slice(out.indexOf('{'))) as ManagerBenchResult;
  const data = `${fmt(r.charges)} charges, ${fmt(r.tasks)} follow-ups, ${r.staff} staff`;
  return [
    {
      section: 'Leder',
      name: `Alle tall for et år, ${fmt(r.patients)} pasienter (12 måneders trend)`,
      figure: `${fmt(r.yearFiguresMs / 1000, 1)} s`,
      value: r.yearFiguresMs,
      unit: 'ms',
      target: '≤ 15 s',
      met: r.yearFiguresMs <= 15_000,
      note: `${data}; peak RSS ${fmt(r.peakRssMb)} MB`,
    },
    {
      section: 'Leder',
      name: `Alle tall for én måned, ${fmt(r.patients)} pasienter`,
      figure: `${fmt(r.monthFiguresMs / 1000, 2)} s`,
      value: r.monthFiguresMs,
      unit: 'ms',
      target: '≤ 3 s',
      met: r.monthFiguresMs <= 3000,
      note: `heap after ${fmt(r.heapUsedMb)} MB; ${r.check.anomalies} anomalies, ${r.check.unclaimed} unclaimed`,
    },
  ];
}

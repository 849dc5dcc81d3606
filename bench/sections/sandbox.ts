// The sandbox EPJ (issue "Foundation" benchmark): seed time, start-up time and memory for 3,000 and
// 100,000 patients. Each measurement runs in a fresh process.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, type BenchRow } from '../report';

interface ChildResult {
  sinceProcessStartMs: number;
  readyMs: number;
  seedMs?: number;
  resources?: number;
  closeMs: number;
  rssReadyMiB: number;
  rssPeakMiB: number;
}

function child(mode: 'seed' | 'start', dir: string, patients: number): ChildResult {
  const out = execFileSync('node', ['--max-old-space-size=12288', '--import', 'tsx', 'bench/child/sandbox.ts', mode, dir, String(patients)], {
    encoding: 'utf8',
    maxBuffer: 16 * 2 ** 20,
    timeout: 15 * 60_000,
  });
  const line = out.trim().split('\n').pop() ?? '{}';
  return JSON.parse(line) as ChildResult;
}

export async function benchSandbox(sizes: readonly number[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const patients of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'pht-bench-sandbox-'));
    try {
      const seed = child('seed', dir, patients);
      const start = child('start', dir, patients);
      const label = fmt(patients);
      const seedBudget = patients <= 3000 ? 30_000 : 180_000;
      const startBudget = patients <= 3000 ? 10_000 : 60_000;
      rows.push(
        {
          section: 'Sandkasse',
          name: `Seeding, ${label} pasienter (generere + laste + lagre)`,
          figure: `${fmt(((seed.seedMs ?? 0) + seed.closeMs) / 1000, 1)} s`,
          value: (seed.seedMs ?? 0) + seed.closeMs,
          unit: 'ms',
          target: `≤ ${seedBudget / 1000} s`,
          met: (seed.seedMs ?? 0) + seed.closeMs <= seedBudget,
          note: `${fmt(seed.resources ?? 0)} resources; peak RSS ${fmt(seed.rssPeakMiB)} MiB`,
        },
        {
          section: 'Sandkasse',
          name: `Oppstart fra lagrede data, ${label} pasienter`,
          figure: `${fmt(start.readyMs / 1000, 1)} s`,
          value: start.readyMs,
          unit: 'ms',
          target: `≤ ${startBudget / 1000} s`,
          met: start.readyMs <= startBudget,
          note: `${fmt(start.sinceProcessStartMs / 1000, 1)} s from process start`,
        },
        {
          section: 'Sandkasse',
          name: `Minne etter oppstart, ${label} pasienter`,
          figure: `${fmt(start.rssReadyMiB)} MiB`,
          value: start.rssReadyMiB,
          unit: 'MiB',
          target: patients <= 3000 ? '≤ 1 024 MiB' : '≤ 8 192 MiB',
          met: start.rssReadyMiB <= (patients <= 3000 ? 1024 : 8192),
          note: `peak ${fmt(start.rssPeakMiB)} MiB`,
        },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

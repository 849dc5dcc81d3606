// The benchmark report: one row per measured figure, each with its target and whether it is met.
// Absolute times on shared 2-core machines are noisy; rows that compare with a baseline measured in
// the same run carry the ratio, which is what counts.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export interface BenchRow {
  section: string;
  name: string;
  figure: string;
  /** The number behind the figure, for report.json. */
  value: number;
  unit: string;
  target: string;
  met: boolean;
  /** The same measure's baseline from this run (issue 19: every target compared in the same run). */
  baseline?: string;
  note?: string;
}

export function machine(): { cores: number; cpu: string; node: string; memoryGiB: number; date: string } {
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    date: new Date().toISOString(),
  };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }).replace(/,/g, ' ');
}

export function writeReport(rows: readonly BenchRow[], seconds: number): string {
  const m = machine();
  writeFileSync('bench/report.json', JSON.stringify({ machine: m, seconds, rows }, null, 2));
  const lines = [
    `# Benchmark report`,
    ``,
    `Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.date}. Whole run: ${fmt(seconds, 0)} s.`,
    ``,
    `| Section | Measure | Figure | Target | Met | Baseline (same run) | Note |`,
    `|---|---|---|---|---|---|---|`,
    ...rows.map((r) => `| ${r.section} | ${r.name} | ${r.figure} | ${r.target} | ${r.met} | ${r.baseline ?? ''} | ${r.note ?? ''} |`),
    ``,
  ];
  const md = lines.join('\n');
  writeFileSync('bench/report.md', md);
  return md;
}

/** Peak RSS sampler for the current process. */
export function sampleRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

export const MiB = 2 ** 20;

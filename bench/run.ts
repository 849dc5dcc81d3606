// `npm run bench`: every benchmark in one run, printing a table and writing bench/report.{json,md}.
// Options: --quick (small sizes only, a smoke run in under 2 minutes; its figures are not the targets' sizes), --only <section,...>.
import { parseArgs } from 'node:util';
import { writeReport, type BenchRow } from './report';
import { benchApiLoad } from './sections/api-load';
import { benchCalendar } from './sections/calendar';
import { benchClassification } from './sections/classification';
import { benchCopayDb } from './sections/copay-db';
import { benchDbSize } from './sections/db-size';
import { benchSandbox } from './sections/sandbox';
import { benchManager } from './sections/manager';
import { benchLaunch } from './sections/launch';
import { benchScan } from './sections/scan';
import { benchScroll } from './sections/scroll';
import { benchSeed } from './sections/seed';

const { values } = parseArgs({ options: { quick: { type: 'boolean' }, only: { type: 'string' } } });
const quick = values.quick ?? false;
const only = values.only?.split(',');

const SECTIONS: { id: string; run: () => Promise<BenchRow[]> }[] = [
  { id: 'calendar', run: benchCalendar },
  { id: 'classification', run: () => benchClassification(quick ? 2_000 : 10_000) },
  { id: 'copay-db', run: () => benchCopayDb(quick) },
  { id: 'db-size', run: () => benchDbSize(quick) },
  { id: 'manager', run: () => benchManager(quick ? 2_000 : 100_000) },
  { id: 'launch', run: () => benchLaunch(quick ? 3 : 10) },
  { id: 'api-load', run: () => (quick ? benchApiLoad(3, 10, 1000) : benchApiLoad(30)) },
  { id: 'sandbox', run: () => benchSandbox(quick ? [1000] : [3000, 100_000]) },
  { id: 'scan', run: () => benchScan(quick ? [2_000] : [10_000, 100_000]) },
  { id: 'scroll', run: () => benchScroll(quick ? 2_000 : 20_000, quick) },
  { id: 'seed', run: () => benchSeed(quick ? 2_000 : 100_000) },
];

const t0 = performance.now();
const rows: BenchRow[] = [];
for (const s of SECTIONS) {
  if (only && !only.includes(s.id)) continue;
  const ts = performance.now();
  process.stdout.write(`[bench] ${s.id} ...`);
  try {
    rows.push(...(await s.run()));
    console.log(` ${((performance.now() - ts) / 1000).toFixed(1)} s`);
  } catch (err) {
    console.log(' feilet');
    rows.push({ section: s.id, name: 'kjøring', figure: 'feilet', value: NaN, unit: '', target: 'kjører', met: false, note: err instanceof Error ? err.message : String(err) });
  }
}
const md = writeReport(rows, (performance.now() - t0) / 1000);
console.log(`\n${md}`);

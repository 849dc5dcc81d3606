// Co-payment registrations in the app's database (issue 19 target 3: "≥ 500/s with 100 concurrent clients over
// 100 patients on PostgreSQL, and ≥ 50/s with 20 concurrent clients on one patient-day, with exactly one
// egenandel per patient-day checked after the run; PGlite beside it"). Each client is a nurse registering
// follow-ups (S2a + S2b) through POST /api/contact-copay/contacts, in process (the Hono routes as the app
// server mounts them): 100 clients, one patient each; then 20 clients all on ONE patient-day, which the
// patient-day lock serialises. After each run the database is asked how many charges bear an egenandel per
// patient-day: exactly one each, else the row fails.
// Run alone: `node --import tsx bench/sections/copay-db.ts [--quick] [--backend PGlite|PostgreSQL]`. From the bench
// (benchCopayDb) each backend runs in a fresh process of its own, so the sections before it (the classification's
// 10 000 patients in this process's heap, a browser's children) do not weigh on the figures.
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../../server/db/database';
import { copayTestApp, PRACTICE } from '../../test/support/copayApi';
import { freshDatabase, stopTestPostgres, type Backend } from '../../test/support/database';
import { fmt, median, type BenchRow } from '../report';

const DAY = '2026-03-10';
const ROUNDS = 3;
const NOW = Date.parse(`${DAY}T15:00:00Z`);

/** A nurse's follow-up contact (S2a + S2b) at `minute` past 08:00 on `day` (shared with the db-size section). */
export function contactBody(patientId: string, minute: number, day = DAY) {
  const hh = String(8 + (Math.floor(minute / 60) % 6)).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  return {
    id: crypto.randomUUID(),
    patientId,
    start: `${day}T${hh}:${mm}:00+01:00`,
    kind: 'follow-up',
    channel: 'in-person',
    minutes: 30,
    lines: [
      { code: 'S2a', quantity: 1 },
      { code: 'S2b', quantity: 1 },
    ],
    patient: { birthDate: '1950-05-05' },
  };
}

interface RunResult {
  perS: number;
  secs: number;
  /** Registrations per second in each round. */
  rounds: number[];
  /** Registrations in one round. */
  total: number;
  /** Patient-days registered on, and how many of them have exactly one charge bearing an egenandel. */
  days: number;
  exactlyOne: number;
  charges: number;
}

async function run(backend: Backend, clients: number, perClient: number, samePatient: boolean): Promise<RunResult> {
  const fresh = await freshDatabase(backend);
  const app = await openDatabase(fresh.config);
  try {
    const hono = copayTestApp(app.db, () => NOW);
    const post = async (b: unknown) => {
      const res = await hono.request('/api/contact-copay/contacts', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-test-actor': 'nurse' },
        body: JSON.stringify(b),
      });
      if (res.status !== 201) throw new Error(`registrering feilet: ${res.status} ${await res.text()}`);
    };
    // Warm-up, as a running server is: the pool's connections opened, the code compiled by the JIT, the
    // database's caches filled; the same number of clients, two registrations each, on patients of their own.
    await Promise.all(Array.from({ length: clients }, async (_, c) => {
      for (let k = 0; k < 2; k++) await post(contactBody(`pat-warm-${c}`, c * 2 + k));
    }));
    // Three rounds, each on a day of its own (the 10th, 9th and 8th of March): a nurse's patient has a few
    // contacts a day, not a growing pile on one day. The figure is the median round.
    const secsPerRound: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const day = `2026-03-${String(10 - round).padStart(2, '0')}`;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: clients }, async (_, c) => {
          for (let k = 0; k < perClient; k++) await post(contactBody(samePatient ? 'pat-hot' : `pat-${c}`, c * perClient + k, day));
        }),
      );
      secsPerRound.push((performance.now() - t0) / 1000);
    }
    const secs = median(secsPerRound);
    const total = clients * perClient;
    // The check, by the database: bearers (an egenandel charged, not cancelled) per patient-day of this run.
    const check = await sql<{ bearers: number; charges: number }>`
      select count(*) filter (where egenandel > 0 and cancelled_at is null)::int as bearers, count(*)::int as charges
      from charge where practice_id = ${PRACTICE} and patient_id not like 'pat-warm-%' group by patient_id, oslo_day`.execute(app.db);
    return {
      perS: total / secs,
      secs,
      rounds: secsPerRound.map((t) => total / t),
      total,
      days: check.rows.length,
      exactlyOne: check.rows.filter((r) => Number(r.bearers) === 1).length,
      charges: check.rows.reduce((s, r) => s + Number(r.charges), 0),
    };
  } finally {
    await app.close();
    await fresh.cleanup();
  }
}

function checked(r: RunResult, daysPerRound: number): { ok: boolean; note: string } {
  // Two lines (S2a + S2b) per registration; one patient-day per client and round, or one per round.
  const expectedDays = daysPerRound * ROUNDS;
  const ok = r.days === expectedDays && r.exactlyOne === expectedDays && r.charges === 2 * r.total * ROUNDS;
  const rounds = r.rounds.map((v) => fmt(v, 0)).join(' / ');
  return {
    ok,
    note: `median of ${ROUNDS} rounds of ${r.total} registreringer (S2a + S2b), each on a day of its own (${rounds} /s), median round ${fmt(r.secs, 2)} s; nøyaktig én egenandel på ${r.exactlyOne} av ${r.days} pasient-dager${ok ? '' : ' (FEIL)'}`,
  };
}

/** The rows of one backend, measured by this file in a child process (its rows as JSON on the last line of stdout). */
function inChild(quick: boolean, backend: Backend): Promise<BenchRow[]> {
  const args = ['--import', 'tsx', 'bench/sections/copay-db.ts', '--json', '--backend', backend, ...(quick ? ['--quick'] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('[')) resolve(JSON.parse(last) as BenchRow[]);
      else reject(new Error(`egenandel-benken (${backend}) avsluttet med ${code}: ${out.slice(-500)}`));
    });
  });
}

/** Each backend in a fresh process of its own (see the top of the file). */
export async function benchCopayDb(quick = false, backends: readonly Backend[] = quick ? ['PGlite'] : ['PGlite', 'PostgreSQL']): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const backend of backends) rows.push(...(await inChild(quick, backend)));
  return rows;
}

async function measureCopayDb(quick: boolean, backends: readonly Backend[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  try {
    // --quick: PGlite only by default (starting PostgreSQL is most of a quick run's time here), fewer registrations.
    for (const backend of backends) {
      const target = backend === 'PostgreSQL';
      // One row per run: registrations per second, exactly one egenandel per patient-day checked after it.
      const measure = async (name: string, clients: number, perClient: number, samePatient: boolean, goal?: number) => {
        const r = await run(backend, clients, perClient, samePatient);
        const c = checked(r, samePatient ? 1 : clients);
        const withGoal = target && goal !== undefined;
        rows.push({
          section: 'Egenandel (database)',
          name: `Registreringer per sekund, ${name}, ${backend}`,
          figure: `${fmt(r.perS, 1)} /s`,
          value: r.perS,
          unit: 'per s',
          target: withGoal ? `≥ ${goal} /s` : goal === undefined ? 'rapporteres (nøyaktig én egenandel per pasient-dag)' : '(ved siden av)',
          met: c.ok && (!withGoal || r.perS >= goal),
          note: samePatient ? `${c.note}; dagen låses per pasient-dag` : c.note,
        });
      };
      // Issue 15's row: 10 concurrent clients, one patient each (no target; beside the 100-client one).
      await measure('10 samtidige klienter over 10 pasienter', 10, quick ? 2 : 20, false);
      await measure('100 samtidige klienter over 100 pasienter', 100, quick ? 1 : 5, false, 500);
      await measure('20 samtidige klienter på samme pasient-dag', 20, quick ? 3 : 10, true, 50);
    }
  } finally {
    await stopTestPostgres();
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const i = process.argv.indexOf('--backend');
  const only = i > 0 ? [process.argv[i + 1] as Backend] : undefined;
  const quick = process.argv.includes('--quick');
  const rows = await measureCopayDb(quick, only ?? (quick ? ['PGlite'] : ['PGlite', 'PostgreSQL']));
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.name}: ${r.figure} ${r.met ? 'met' : 'NOT met'} (${r.note ?? ''})`);
}

// Co-payment registrations in the app's database (issue 15 acceptance: "co-payment registrations per second
// with 10 and 100 concurrent clients on PGlite and on PostgreSQL"). Each client is a nurse registering
// follow-ups (S2a + S2b) through POST /api/contact-copay/contacts, in process (the Hono routes as the app
// server mounts them), one patient per client; plus the contended case: every client on ONE patient-day,
// which the patient-day lock serialises. Run alone: `node --import tsx bench/sections/copay-db.ts [--quick]`.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { openDatabase } from '../../server/db/database';
import { copayTestApp } from '../../test/support/copayApi';
import { freshDatabase, stopTestPostgres, type Backend } from '../../test/support/database';
import { fmt, type BenchRow } from '../report';

const DAY = '2026-03-10';
const NOW = Date.parse(`${DAY}T15:00:00Z`);

function body(patientId: string, minute: number) {
  const hh = String(8 + Math.floor(minute / 60) % 6).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  return {
    id: crypto.randomUUID(),
    patientId,
    start: `${DAY}T${hh}:${mm}:00+01:00`,
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

async function run(backend: Backend, clients: number, perClient: number, samePatient: boolean): Promise<{ perS: number; secs: number; total: number }> {
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
    // Warm-up: the first statements of a new pool/instance are slower.
    await post(body('pat-warm', 0));
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let k = 0; k < perClient; k++) await post(body(samePatient ? 'pat-hot' : `pat-${c}`, c * perClient + k));
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    const total = clients * perClient;
    return { perS: total / secs, secs, total };
  } finally {
    await app.close();
    await fresh.cleanup();
  }
}

export async function benchCopayDb(quick = false): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  try {
    // --quick: PGlite only (starting PostgreSQL is most of a quick run's time here).
    for (const backend of quick ? (['PGlite'] as const) : (['PGlite', 'PostgreSQL'] as const)) {
      for (const clients of [10, 100]) {
        const perClient = quick ? Math.max(1, Math.round(100 / clients)) : Math.max(2, Math.round(500 / clients));
        const r = await run(backend, clients, perClient, false);
        rows.push({
          section: 'Egenandel (database)',
          name: `Registreringer per sekund, ${clients} samtidige klienter, ${backend} (hver sin pasient)`,
          figure: `${fmt(r.perS, 1)} /s`,
          value: r.perS,
          unit: 'per s',
          target: '≥ 20 /s',
          met: r.perS >= 20,
          note: `${r.total} registreringer (S2a + S2b) på ${fmt(r.secs, 1)} s`,
        });
      }
      const hot = await run(backend, 10, quick ? 5 : 10, true);
      rows.push({
        section: 'Egenandel (database)',
        name: `Registreringer per sekund, 10 samtidige klienter på samme pasient-dag, ${backend}`,
        figure: `${fmt(hot.perS, 1)} /s`,
        value: hot.perS,
        unit: 'per s',
        target: '≥ 5 /s',
        met: hot.perS >= 5,
        note: `${hot.total} registreringer på ${fmt(hot.secs, 1)} s; dagen låses per pasient-dag`,
      });
    }
  } finally {
    await stopTestPostgres();
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const rows = await benchCopayDb(process.argv.includes('--quick'));
  for (const r of rows) console.log(`${r.name}: ${r.figure} (${r.note ?? ''})`);
}

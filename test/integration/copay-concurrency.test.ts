// The one-egenandel-a-day guarantee under concurrency (issue 15 item 7; SPEC §6), on a real PostgreSQL server
// with two app-server processes (each its own connection pool) on one DATABASE_URL:
// 1. 100 registrations for one patient-day at once give 100 charges and exactly one egenandel, borne by the
//    first by service time then id (all at one time here, so the smallest id: hand-picked below);
// 2. the same with about 20 % of the database connections that are inside a transaction killed
//    (pg_terminate_backend from a side connection) while they run: the clients send the same request again
//    (same ids) until answered, and nothing is lost or duplicated.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../server/db/database';
import { stopTestPostgres, useFreshDatabase } from '../support/database';
import { PRACTICE } from '../support/copayApi';
import { postUntilAnswered, startCopayProcesses } from '../support/copayProcesses';

const NOW = Date.parse('2026-03-02T12:00:00Z');
const DAY = '2026-03-02';
const N = 100;

/** Ids in increasing order: the first (…000) is the smallest, so it bears the egenandel. */
const contactId = (run: number, i: number) => `0000000${run}-0000-4000-8000-${String(i).padStart(12, '0')}`;

const registration = (run: number, i: number, patientId: string) => ({
  id: contactId(run, i),
  patientId,
  start: `${DAY}T09:00:00+01:00`,
  kind: 'follow-up',
  lines: [{ code: 'S2a', quantity: 1 }],
  patient: { birthDate: '1970-01-01' },
});

afterAll(stopTestPostgres);

describe('one egenandel a day, 2 app-server processes on one PostgreSQL', () => {
  const fresh = useFreshDatabase('PostgreSQL');
  let app: AppDatabase;
  let servers: Awaited<ReturnType<typeof startCopayProcesses>>;
  beforeAll(async () => {
    app = fresh.app;
    servers = await startCopayProcesses(2, fresh.config.url ?? '', NOW);
  }, 120_000);
  afterAll(async () => {
    await servers?.stop();
  });

  async function dayState(patientId: string) {
    const charges = await app.db.selectFrom('charge').select(['id', 'egenandel', 'waiver_reason']).where('practice_id', '=', PRACTICE).where('patient_id', '=', patientId).execute();
    const contacts = await app.db.selectFrom('contact').select('id').where('practice_id', '=', PRACTICE).where('patient_id', '=', patientId).execute();
    const notes = await app.db.selectFrom('write_back').select('key').where('practice_id', '=', PRACTICE).where('patient_id', '=', patientId).where('resource_type', '=', 'DocumentReference').execute();
    return {
      charges: charges.length,
      distinctCharges: new Set(charges.map((c) => c.id)).size,
      contacts: contacts.length,
      notes: notes.length,
      bearers: charges.filter((c) => Number(c.egenandel) > 0).map((c) => c.id),
      sameDay: charges.filter((c) => c.waiver_reason === 'SAME_DAY').length,
    };
  }

  async function registerAll(run: number, patientId: string) {
    const [a, b] = servers.processes;
    if (!a || !b) throw new Error('two processes expected');
    return Promise.all(
      Array.from({ length: N }, (_, i) => postUntilAnswered(`${(i % 2 === 0 ? a : b).origin}/api/contact-copay/contacts`, i % 3 === 0 ? 'gp' : 'nurse', registration(run, i, patientId))),
    );
  }

  it('100 registrations at once give 100 charges and exactly one egenandel', async () => {
    const answers = await registerAll(1, 'pat-busy');
    expect(answers.map((a) => a.status).filter((s) => s !== 201)).toEqual([]);
    expect(await dayState('pat-busy')).toEqual({
      charges: 100,
      distinctCharges: 100,
      contacts: 100,
      notes: 100,
      bearers: [`${contactId(1, 0)}:S2a`],
      sameDay: 99,
    });
  }, 120_000);

  it('with about 20 % of the connections killed mid-transaction, nothing is lost or duplicated', async () => {
    // A side connection watches the app's connections and kills about one in five of the transactions it sees
    // (a connection inside a transaction, once per transaction), so about 20 % of the connections in use die
    // mid-transaction; the pools replace them.
    const side = new pg.Client({ connectionString: fresh.config.url });
    await side.connect();
    let seen = 0;
    let killed = 0;
    const seenTransactions = new Set<string>();
    const pidsKilled = new Set<number>();
    let running = true;
    const killer = (async () => {
      while (running) {
        const { rows } = await side.query<{ pid: number; xact: string }>(
          `select pid, xact_start::text as xact from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend' and xact_start is not null`,
        );
        for (const { pid, xact } of rows) {
          if (seenTransactions.has(`${pid}@${xact}`)) continue;
          seenTransactions.add(`${pid}@${xact}`);
          seen++;
          if (Math.random() < 0.2) {
            await side.query('select pg_terminate_backend($1)', [pid]);
            pidsKilled.add(pid);
            killed++;
          }
        }
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const answers = await registerAll(2, 'pat-faults');
    running = false;
    await killer;
    await side.end();
    expect(answers.map((a) => a.status).filter((s) => s !== 201 && s !== 200)).toEqual([]);
    expect(killed).toBeGreaterThan(0);
    console.log(`[copay-concurrency] ${killed} of ${seen} transactions seen killed (${pidsKilled.size} connections); ${answers.reduce((s, a) => s + a.attempts - 1, 0)} client resends`);
    expect(await dayState('pat-faults')).toEqual({
      charges: 100,
      distinctCharges: 100,
      contacts: 100,
      notes: 100,
      bearers: [`${contactId(2, 0)}:S2a`],
      sameDay: 99,
    });
  }, 180_000);
});

// The nightly population scan against a real sandbox EPJ (the default 3,000 patients), through the app
// server's SMART Backend Services client: the candidates equal what the seed predicts, the results are
// stored once per patient and group, a second run replaces them, and the list overview answers from the
// stored result at once. Prints the scan time and the list API's median of 10.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generatePractice } from '../../sandbox/seed';
import { TARGET_GROUPS } from '../../src/domain/targetGroups';
import type { ListOverviewResponse } from '../../src/domain/targetGroups/views';
import { runNightlyScan } from '../../server/features/target-groups/jobs';
import type { JobContext } from '../../server/jobs/types';
import { BackendServices } from '../../server/smart/backendServices';
import { EpjClients } from '../../server/smart/epjClient';
import { ensureBuilt } from '../browser/harness';
import { startAppServer, type AppServerEnv } from '../support/appServer';
import { launchThroughServer, NodeBrowser } from '../support/nodeBrowser';
import { AS_OF } from './copay-sandbox';

const PATIENTS = 3000; // the default practice: the acceptance is stated for the seeded 3,000-patient sandbox
const PRACTICE = 'Organization/org-practice';
let env: AppServerEnv;
let dataDir: string;

beforeAll(async () => {
  ensureBuilt();
  dataDir = mkdtempSync(join(tmpdir(), 'pht-population-'));
  env = await startAppServer({ dataDir, asOf: AS_OF, patients: PATIENTS });
}, 300_000);

afterAll(async () => {
  await env?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The job's context for the sandbox's SMART-standard entry; the rules' date is AS_OF (02:13 Oslo). */
function jobContext(log: string[]): JobContext {
  const epj = env.app.registry.entries.find((e) => !e.iss.includes('/helseid/'));
  if (!epj) throw new Error('no SMART entry in the registry');
  // The EPJ's clock is the real one (token lifetimes); only the rules' date is fixed.
  const backend = new BackendServices(new EpjClients(env.app.keys, Date.now), Date.now);
  return { db: env.app.db, registry: env.app.registry, backend, now: () => Date.parse(`${AS_OF}T01:13:00Z`), log: (l) => void log.push(l), practice: { practiceId: PRACTICE, epj } };
}

describe('nightly population scan against the sandbox', () => {
  test('candidates as the seed predicts; one result per patient and group; the list answers from the stored result', async () => {
    // The oracle is the seed generator's own plan (sandbox/seed/groups.ts: which groups each patient was built
    // to be in), independent of classifyPatient, the function under test.
    const { summary } = generatePractice({ patients: PATIENTS, seed: 1, asOf: AS_OF });
    const expected = summary.expectedCandidates;
    const log: string[] = [];
    const t0 = performance.now();
    const first = await runNightlyScan(jobContext(log));
    const scanMs = Math.round(performance.now() - t0);
    expect(first).toEqual({ patients: PATIENTS, candidates: expected.total });

    const db = env.app.db;
    const results = await db.selectFrom('tg_result').select(['patient_id', 'target_group', 'status']).where('practice_id', '=', PRACTICE).execute();
    const members = results.filter((r) => r.status === 'candidate' || r.status === 'confirmed');
    for (const group of TARGET_GROUPS) expect(members.filter((r) => r.target_group === group).length, group).toBe(expected.byGroup[group]);
    expect(new Set(members.map((r) => r.patient_id)).size).toBe(expected.total);
    const weak = await db.selectFrom('tg_patient').select('patient_id').where('practice_id', '=', PRACTICE).where('weak_demander', '=', true).execute();
    // The generator leaves its planned weak demanders without contact for a year; other candidates may lack one
    // by chance, so its count is a lower bound (sandbox/seed/emit.ts). A weak demander is a candidate.
    expect(weak.length).toBeGreaterThanOrEqual(expected.weakDemanders);
    const memberIds = new Set(members.map((r) => r.patient_id));
    expect(weak.every((w) => memberIds.has(w.patient_id))).toBe(true);

    // A second run replaces the result: the same rows, not twice as many.
    const t1 = performance.now();
    await runNightlyScan(jobContext(log));
    const rescanMs = Math.round(performance.now() - t1);
    const again = await db.selectFrom('tg_result').select('patient_id').where('practice_id', '=', PRACTICE).execute();
    expect(again.length).toBe(results.length);
    const runs = await db.selectFrom('tg_scan_run').selectAll().where('practice_id', '=', PRACTICE).execute();
    expect(runs.map((r) => [r.state, r.patients, r.candidates, r.started_by])).toEqual([
      ['done', PATIENTS, expected.total, 'job:target-groups.nightly-scan'],
      ['done', PATIENTS, expected.total, 'job:target-groups.nightly-scan'],
    ]);

    // The list overview for the daglig leder (gp-2): the stored result, with «computedAt», in well under 1 s.
    const browser = new NodeBrowser(env.app.origin);
    const { handle } = await launchThroughServer(browser, env.sandbox.origin, env.app.origin, { user: 'gp-2', profile: 'smart' });
    const times: number[] = [];
    let body: ListOverviewResponse | undefined;
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      const res = await browser.fetch(`${env.app.origin}/api/target-groups/list?scope=practice`, { headers: { 'x-pht-handle': handle } });
      body = (await res.json()) as ListOverviewResponse;
      times.push(performance.now() - t);
      expect(res.status).toBe(200);
    }
    times.sort((a, b) => a - b);
    const median = Math.round(((times[4] ?? 0) + (times[5] ?? 0)) / 2);
    console.log(`[population] scan ${PATIENTS} pasienter: ${scanMs} ms (andre kjøring ${rescanMs} ms), ${expected.total} kandidater; listeoversikt-API median av 10: ${median} ms (min ${Math.round(times[0] ?? 0)}, maks ${Math.round(times[9] ?? 0)})`);
    expect(body?.rows).toHaveLength(PATIENTS);
    expect(body?.rows.filter((r) => r.inTargetGroup).length).toBe(expected.total);
    expect(body?.computedAt).toBe(runs[1]?.finished_at ? new Date(runs[1].finished_at).toISOString() : 'mangler');
    // The acceptance (under 1 s for the default practice) is a measured figure, printed above and in the
    // README; the test does not depend on the machine's speed.
  }, 600_000);
});

// The server's job list (issue 15 item 4, server/jobs/index.ts): the scheduler gets the write-back, the discharge
// sweep, the nightly target-group scan and the claims warning, and one tick with a fixed clock queues and runs the
// ones due then. Times written by hand: 2026-03-02 is a Monday, Oslo is UTC+1 in March; the sweep runs every 15
// minutes on working days, the scan at 02:00, the claims warning at 06:30 on working days, the write-back every
// minute (besides its nudge at commit). The EPJ answers every search with an empty page.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../server/db/database';
import { serverJobs } from '../../server/jobs';
import { Scheduler } from '../../server/jobs/scheduler';
import type { BackendServices } from '../../server/smart/backendServices';
import { EpjRegistry, type EpjEntry } from '../../server/smart/registry';
import { BACKENDS, stopTestPostgres, useFreshDatabase } from '../support/database';

afterAll(stopTestPostgres);

const P = 'Organization/p1';
const ISS = 'http://epj.test/fhir';
const entry: EpjEntry = { name: 'Test-EPJ', iss: ISS, clientId: 'c', tokenEndpointAuth: 'none', alg: 'ES256', par: 'off', dpop: false, frameAncestors: [], organisations: [P] };
const registry = new EpjRegistry([entry]);
const reads: string[] = [];
const emptyEpj = {
  get: async (_entry: EpjEntry, url: URL) => {
    reads.push(url.pathname.split('/').pop() ?? '');
    return new Response(JSON.stringify({ resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] }), { headers: { 'content-type': 'application/fhir+json' } });
  },
} as unknown as BackendServices;

describe.each(BACKENDS)('the server job list on %s', (backend) => {
  const fresh = useFreshDatabase(backend, { each: true });
  let app: AppDatabase;
  beforeEach(async () => {
    app = fresh.app;
    reads.length = 0;
  }, 60_000);

  it('lists all four jobs, and a tick runs the due ones', async () => {
    let now = Date.parse('2026-03-02T00:00:00Z'); // Monday 01:00 Oslo
    const scheduler = new Scheduler({ db: app.db, registry, backend: emptyEpj, jobs: serverJobs(), now: () => now });
    expect(scheduler.jobNames.sort()).toEqual(['claims.deadline-warning', 'epj.write-back', 'follow-up.sweep', 'target-groups.nightly-scan']);

    // 01:00: the write-back's minute (it also polls its queue) and the sweep.
    expect(await scheduler.tick()).toBe(2);
    expect((await scheduler.runDue()).map((o) => [o.job, o.practiceId, o.ok]).sort()).toEqual([
      ['epj.write-back', P, true],
      ['follow-up.sweep', P, true],
    ]);
    expect(reads.length).toBeGreaterThan(0);

    // 06:30: a new write-back minute and sweep window, the nightly scan (due since 02:00) and the claims warning.
    now = Date.parse('2026-03-02T05:30:00Z');
    expect(await scheduler.tick()).toBe(4);
    const outcomes = await scheduler.runDue();
    expect(outcomes.map((o) => [o.job, o.ok]).sort()).toEqual([
      ['claims.deadline-warning', true],
      ['epj.write-back', true],
      ['follow-up.sweep', true],
      ['target-groups.nightly-scan', true],
    ]);
    const scan = await app.db.selectFrom('tg_scan_run').selectAll().where('practice_id', '=', P).execute();
    expect(scan).toHaveLength(1);
    // A second tick in the same slots queues nothing.
    expect(await scheduler.tick()).toBe(0);
  });
});

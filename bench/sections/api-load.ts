// API under load (issue 19 point 2; issue 15 acceptance "API p50/p95 for the patient panel, worklist and
// inbox with 50 simulated users"): the app server on PGlite in front of the sandbox (3 000 patients), 50
// users launched through the app server the way the tests do (NodeBrowser: cookie + handle, no browser),
// then a load generator in a second process (bench/child/apiLoad.ts) doing the day's work for a bounded
// time. Reports p50/p95 per endpoint and the errors; targets p95 ≤ 150 ms for reads, ≤ 300 ms for a
// registration, errors 0.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { osloToday } from '../../sandbox/clock';
import { startAppServer } from '../../test/support/appServer';
import { launchThroughServer, NodeBrowser } from '../../test/support/nodeBrowser';
import { spawnSandbox } from '../child/spawnSandbox';
import { fmt, median, type BenchRow } from '../report';
import type { EndpointFigures, LoadPlan, LoadUser } from '../child/apiLoad';

const USERS = 50;
const LAUNCH_CONCURRENCY = 5;
/** Mean think time between a user's steps: a clinician clicks every second or two, not continuously. */
const THINK_MS = 1000;

function runChild(planFile: string): Promise<EndpointFigures[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/child/apiLoad.ts', planFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('[')) reject(new Error(`lastgeneratoren avsluttet med ${code}: ${out.slice(0, 300)}`));
      else resolve(JSON.parse(line) as EndpointFigures[]);
    });
  });
}

/**
 * The list overview from the stored result (issue 15: "opens with the last computed result in under 1
 * second for the default practice"; issue 19 point 4): a manual scan of the 3 000-patient practice first,
 * then GET /api/target-groups/list 11 times, the first (which fills the per-run cache) apart.
 */
async function measureList(origin: string, gp: LoadUser | undefined, patients: number): Promise<BenchRow> {
  if (!gp) throw new Error('ingen fastlege blant brukerne');
  const headers = { cookie: gp.cookie, 'x-pht-handle': gp.handle, accept: 'application/json' };
  const started = await fetch(`${origin}/api/target-groups/scan`, { method: 'POST', headers: { ...headers, origin, 'content-type': 'application/json' }, body: '{}' });
  if (started.status !== 202) throw new Error(`gjennomgangen startet ikke: ${started.status} ${await started.text()}`);
  const { run } = (await started.json()) as { run: { id: string } };
  const t0 = performance.now();
  for (;;) {
    const res = await fetch(`${origin}/api/target-groups/scan/${run.id}`, { headers });
    const state = ((await res.json()) as { run: { state: string } }).run.state;
    if (state === 'done') break;
    if (state !== 'running' || performance.now() - t0 > 300_000) throw new Error(`gjennomgangen endte som ${state}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const scanSecs = (performance.now() - t0) / 1000;
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < 11; i++) {
    const t = performance.now();
    const res = await fetch(`${origin}/api/target-groups/list`, { headers });
    const body = (await res.json()) as { rows: unknown[] };
    times.push(performance.now() - t);
    rows = body.rows.length;
  }
  const [first = NaN, ...warm] = times;
  const p50 = median(warm);
  return {
    section: 'API under last',
    name: `Listeoversikten fra lagret resultat: GET /api/target-groups/list, median av 10 (praksis med ${fmt(patients)} pasienter)`,
    figure: `${fmt(p50)} ms`,
    value: p50,
    unit: 'ms',
    target: '< 1 000 ms',
    met: p50 < 1000,
    baseline: `the first request after the scan (reads the database, fills the cache): ${fmt(first)} ms`,
    note: `${fmt(rows)} rows; the scan itself took ${fmt(scanSecs, 1)} s before; measured with no other load`,
  };
}

/** `users` launched users for `seconds` on a sandbox of `patients` (50, 30 s and 3 000 in the full run). */
export async function benchApiLoad(seconds = 30, userCount = USERS, patients = 3000): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pht-bench-api-load-'));
  const today = osloToday();
  // The EPJ is another system: the sandbox runs in a process of its own, not on the app server's event loop.
  const env = await startAppServer({ dataDir: dir, patients, asOf: today }, spawnSandbox);
  try {
    const { app, sandbox } = env;
    // 50 users: two in three nurses (they register), the rest GPs; each on a patient of their own.
    const plans = Array.from({ length: userCount }, (_, i) => ({ role: i % 3 === 2 ? ('gp' as const) : ('nurse' as const), patient: `pat-${String(200 + i).padStart(5, '0')}` }));
    const users: LoadUser[] = [];
    for (let i = 0; i < plans.length; i += LAUNCH_CONCURRENCY) {
      const batch = await Promise.all(
        plans.slice(i, i + LAUNCH_CONCURRENCY).map(async (p) => {
          const node = new NodeBrowser(app.origin);
          const { handle } = await launchThroughServer(node, sandbox.origin, app.origin, { user: p.role === 'gp' ? 'gp-1' : 'nurse-1', patient: p.patient, profile: 'helseid' });
          return { role: p.role, patient: p.patient, handle, cookie: [...node.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
        }),
      );
      users.push(...batch);
    }
    const listRows = await measureList(app.origin, users.find((u) => u.role === 'gp'), patients);
    const planFile = join(dir, 'plan.json');
    const plan: LoadPlan = { origin: app.origin, seconds, today, users, thinkMs: THINK_MS };
    writeFileSync(planFile, JSON.stringify(plan));
    const figures = await runChild(planFile);
    const total = figures.reduce((s, f) => s + f.count, 0);
    return [listRows, ...figures.map((f) => {
      const target = f.kind === 'read' ? 150 : 300;
      return {
        section: 'API under last',
        name: `${f.endpoint}: p50 / p95 (${userCount} brukere, ${seconds} s)`,
        figure: `${fmt(f.p50)} / ${fmt(f.p95)} ms`,
        value: f.p95,
        unit: 'ms',
        target: `p95 ≤ ${target} ms, 0 feil`,
        met: f.p95 <= target && f.errors === 0,
        note: `${fmt(f.count)} requests (${fmt(total / seconds)} /s in all), errors ${f.errors}${f.firstError ? ` (first: ${f.firstError})` : ''}; think time ${fmt(THINK_MS / 2)}-${fmt(THINK_MS * 1.5)} ms between steps; app server on PGlite, sandbox EPJ (${fmt(patients)} patients) and load generator each in a process of their own`,
      };
    })];
  } finally {
    await env.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

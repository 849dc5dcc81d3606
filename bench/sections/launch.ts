// Launch path (issue "Performance", points 1-2; issue 14): from the EPJ's launch URL to the patient panel
// showing target-group badges, open follow-ups and today's charges, in headless Chromium, launched through
// the app server (HelseID-like profile: PAR, private_key_jwt, DPoP) against the sandbox. Reports the
// median of 10 launches, the browser-to-server requests and sequential round-trips after the session
// exists, and the initial JavaScript (gzipped). The public browser-client launch it replaced no longer
// exists, so there is no same-run comparison (README "Performance" keeps its last figures).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromium, type Request } from 'playwright-core';
import { startAppServer } from '../../test/support/appServer';
import { osloToday } from '../../sandbox/clock';
import { chromiumPath, ensureBuilt } from '../../test/browser/harness';
import { fmt, median, type BenchRow } from '../report';

/** The panel is ready when its target-group badges and today's charges (below any follow-up) have loaded. */
export const PANEL_READY = '[data-testid="target-groups"][data-ready="true"] ~ * [data-testid="todays-charges"][data-ready="true"]';

/** Gzipped size of the JS the browser must load before the first view: index.html's script + preloads. */
export function initialJsGzip(dist = 'dist'): { bytes: number; files: string[] } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
  const bytes = files.reduce((s, f) => s + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0);
  return { bytes, files };
}

/** Chunks that exist only for other roles' views (must not load on a nurse's patient launch). */
function managerChunks(dist = 'dist'): string[] {
  return readdirSync(join(dist, 'assets')).filter((f) => /^(manager|list-overview|inbox)-.*\.js$/.test(f));
}

interface Timed {
  url: string;
  start: number;
  end: number;
}

/** Longest chain of FHIR requests where each starts after the previous one's response ended. */
export function sequentialDepth(requests: readonly Timed[]): number {
  return longestChain(requests).length;
}

/** The chain itself (first request first), to name what made a launch sequential. */
export function longestChain(requests: readonly Timed[]): Timed[] {
  const sorted = [...requests].sort((a, b) => a.start - b.start);
  const best = new Map<Timed, Timed[]>();
  let longest: Timed[] = [];
  for (const r of sorted) {
    let chain: Timed[] = [r];
    for (const p of sorted) {
      const before = best.get(p);
      if (p.end <= r.start && before && before.length + 1 > chain.length) chain = [...before, r];
    }
    best.set(r, chain);
    if (chain.length > longest.length) longest = chain;
  }
  return longest;
}

export async function benchLaunch(): Promise<BenchRow[]> {
  ensureBuilt({ force: true }); // measure a fresh production build, never a leftover test build
  const dir = mkdtempSync(join(tmpdir(), 'pht-bench-launch-'));
  const env = await startAppServer({ dataDir: dir, patients: 3000, asOf: osloToday() });
  const { app, sandbox } = env;
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  try {
    const times: number[] = [];
    const afterToken: number[] = [];
    const duplicates: number[] = [];
    const requestCounts: number[] = [];
    const depths: number[] = [];
    let worstChain: string[] = [];
    let loadedOtherRoleChunk = false;
    const others = managerChunks();
    for (let i = 0; i < 11; i++) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      const fhir: Timed[] = [];
      let tokenEnd = Infinity;
      const t0 = Date.now();
      const started = new Map<Request, number>();
      page.on('request', (r) => started.set(r, Date.now()));
      page.on('requestfinished', (r) => {
        const url = r.url();
        // The session exists once the app server's callback has answered (its 303 to the app).
        if (url.startsWith(`${app.origin}/auth/callback`)) tokenEnd = Date.now();
        if (url.startsWith(`${app.origin}/fhir/`) || url.startsWith(`${app.origin}/api/`)) fhir.push({ url, start: started.get(r) ?? 0, end: Date.now() });
        if (others.some((f) => url.endsWith(f))) loadedOtherRoleChunk = true;
      });
      const patient = `pat-${String(100 + i).padStart(5, '0')}`;
      await page.goto(`${sandbox.origin}/launch?user=nurse-1&patient=${patient}&app=${encodeURIComponent(app.origin)}`);
      await page.waitForSelector(PANEL_READY, { timeout: 60_000 });
      const ms = Date.now() - t0;
      const after = fhir.filter((r) => r.start >= tokenEnd);
      if (i > 0) {
        // The first launch warms Chromium's caches; it is not counted.
        times.push(ms);
        afterToken.push(Date.now() - tokenEnd);
        requestCounts.push(fhir.length);
        duplicates.push(fhir.length - new Set(fhir.map((r) => r.url)).size);
        const chain = longestChain(after);
        depths.push(chain.length);
        if (chain.length > worstChain.length) worstChain = chain.map((r) => `${new URL(r.url).pathname.replace(/^.*\/fhir\//, '')} (+${r.start - tokenEnd} ms)`);
      }
      await ctx.close();
    }
    const js = initialJsGzip();
    const p50 = median(times);
    const depth = Math.max(...depths);
    return [
      {
        section: 'Oppstart',
        name: 'Fra oppstarts-URL til pasientpanel gjennom appserveren (sykepleier), median av 10',
        figure: `${fmt(p50)} ms`,
        value: p50,
        unit: 'ms',
        target: '≤ 2 000 ms',
        met: p50 <= 2000,
        note: `min ${fmt(Math.min(...times))} ms, max ${fmt(Math.max(...times))} ms; includes the EPJ's redirects, PAR, the code exchange (private_key_jwt, DPoP) on the app server; headless Chromium, sandbox 3 000 patients`,
      },
      {
        section: 'Oppstart',
        name: 'Fra økt (appserverens callback) til pasientpanel, median av 10',
        figure: `${fmt(median(afterToken))} ms`,
        value: median(afterToken),
        unit: 'ms',
        target: '≤ 1 000 ms',
        met: median(afterToken) <= 1000,
        note: 'user, role, patient, target groups, follow-ups, today\'s charges',
      },
      {
        section: 'Oppstart',
        name: 'Forespørsler nettleser → appserver etter at økten finnes (/api + /fhir)',
        figure: `${fmt(median(requestCounts))}`,
        value: median(requestCounts),
        unit: 'requests',
        target: '≤ 20',
        met: median(requestCounts) <= 20,
        note: `identical URLs fetched twice: ${Math.max(...duplicates)} (worst launch)`,
      },
      {
        section: 'Oppstart',
        name: 'Sekvensielle rundturer nettleser → appserver etter at økten finnes',
        figure: `${depth}`,
        value: depth,
        unit: 'round-trips',
        // /api/session comes first now (the context the token response used to give the page).
        target: '≤ 3',
        met: depth <= 3,
        note: `longest chain of requests each starting after the previous one ended (worst of 10): ${worstChain.join(' → ')}`,
      },
      {
        section: 'Oppstart',
        name: 'Initial JavaScript (gzip)',
        figure: `${fmt(js.bytes / 1024, 1)} KB`,
        value: js.bytes,
        unit: 'bytes',
        target: '≤ 250 KB',
        met: js.bytes <= 250 * 1024,
        note: `${js.files.length} file(s); other roles' chunks loaded on a nurse launch: ${loadedOtherRoleChunk ? 'yes' : 'no'}`,
      },
    ];
  } finally {
    await browser.close();
    await env.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

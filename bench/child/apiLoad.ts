// The load generator of the API-under-load benchmark (issue 19 point 2), in its own process so its work does
// not share the app server's event loop:
//   node --import tsx bench/child/apiLoad.ts <json file>
// The file holds the app server's origin, the time budget, today's date and one launched session per
// simulated user (cookie, handle, role, patient). Each user loops through the day's work (the patient panel in
// its one request as the browser asks for it, the worklist, the inbox, and for a nurse a co-payment
// registration) until the time is up, one request at a time, with a think time between steps (uniform between
// 0.5 and 1.5 × `thinkMs`, from a seeded generator; users start spread over the first think time, not all at
// once). Prints one JSON line: per endpoint the latencies' p50/p95 and errors.
import { readFileSync } from 'node:fs';

export interface LoadUser {
  role: 'nurse' | 'gp';
  cookie: string;
  handle: string;
  patient: string;
}

export interface LoadPlan {
  origin: string;
  seconds: number;
  today: string;
  users: LoadUser[];
  /** Mean think time between a user's steps (ms); 0 hammers the server without pause. */
  thinkMs: number;
}

export interface EndpointFigures {
  endpoint: string;
  kind: 'read' | 'registration';
  count: number;
  errors: number;
  p50: number;
  p95: number;
  firstError?: string;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

async function main(): Promise<void> {
  const plan = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as LoadPlan;
  const samples = new Map<string, { kind: 'read' | 'registration'; ms: number[]; errors: number; firstError?: string }>();
  const end = performance.now() + plan.seconds * 1000;
  let registered = 0;

  async function call(user: LoadUser, endpoint: string, kind: 'read' | 'registration', path: string, body?: unknown): Promise<void> {
    const t0 = performance.now();
    let problem: string | undefined;
    try {
      const res = await fetch(`${plan.origin}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          cookie: user.cookie,
          'x-pht-handle': user.handle,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json', origin: plan.origin }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      if (!res.ok) problem = `${res.status} ${text.slice(0, 200)}`;
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    const ms = performance.now() - t0;
    const s = samples.get(endpoint) ?? { kind, ms: [], errors: 0 };
    s.ms.push(ms);
    if (problem) {
      s.errors += 1;
      s.firstError ??= problem;
    }
    samples.set(endpoint, s);
  }

  function registration(user: LoadUser) {
    // A contact that has just taken place (one to eleven minutes ago, a second apart per registration): the
    // server refuses a start in the future, so a fixed clock time of day would fail when the bench runs early.
    const m = registered++;
    return {
      id: crypto.randomUUID(),
      patientId: user.patient,
      start: new Date(Date.now() - 60_000 - (m % 600) * 1000).toISOString(),
      kind: 'follow-up',
      channel: 'in-person',
      minutes: 15,
      lines: [{ code: 'S2a', quantity: 1 }],
      patient: { birthDate: '1950-05-05' },
      paidElsewhereToday: false,
    };
  }

  // mulberry32: the same think times on every run.
  let seed = 19;
  const random = () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.min(ms, Math.max(0, end - performance.now()))));
  const think = () => pause(plan.thinkMs * (0.5 + random()));
  const parts = 'capabilities,targetGroups,care,followUp,day,copayFacts';

  async function day(user: LoadUser): Promise<void> {
    const p = encodeURIComponent(user.patient);
    await pause(plan.thinkMs * random());
    while (performance.now() < end) {
      // The patient panel: one request, as the browser asks for it when the panel opens.
      await call(user, 'GET /api/panel/:id', 'read', `/api/panel/${p}?parts=${parts}&day=${plan.today}`);
      if (performance.now() >= end) break;
      await think();
      await call(user, 'GET /api/follow-up/worklist', 'read', '/api/follow-up/worklist');
      if (performance.now() >= end) break;
      await think();
      await call(user, 'GET /api/follow-up/inbox', 'read', '/api/follow-up/inbox');
      if (performance.now() >= end) break;
      await think();
      if (user.role === 'nurse') {
        await call(user, 'POST /api/contact-copay/contacts', 'registration', '/api/contact-copay/contacts', registration(user));
        await think();
      }
    }
  }

  await Promise.all(plan.users.map((u) => day(u)));
  const out: EndpointFigures[] = [...samples].map(([endpoint, s]) => {
    const sorted = [...s.ms].sort((a, b) => a - b);
    return { endpoint, kind: s.kind, count: sorted.length, errors: s.errors, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), ...(s.firstError ? { firstError: s.firstError } : {}) };
  });
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

await main();

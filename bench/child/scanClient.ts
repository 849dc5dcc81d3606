// The scanning side of the population-scan benchmark, in its own process so its memory is its own:
//   node --import tsx bench/child/scanClient.ts scan|baselines <origin> <fhirBaseUrl> <asOf>
// scan: the app server's nightly scan code (server/features/target-groups: read the practice by type, classify,
// store the result in an in-memory PGlite), reading over HTTP with gp-2's (daglig leder) token in place of the
// server's Backend Services token, counting every fetch. baselines: on a 1,000-patient sample of the same list, (A) naive per-patient searches +
// classification, (B) the fhirpath-package extraction against our mapper on the resources the scan reads.
// Prints one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Patient, Resource } from '@medplum/fhirtypes';
import { createClassifier, DEFAULT_RULE_SET, type PatientFacts } from '../../src/domain/targetGroups';
import { createFhirClient, type FhirClient } from '../../src/fhir/client';
import { toPatientFacts } from '../../src/fhir/mappers/patientFacts';
import { openDatabase } from '../../server/db/database';
import { classifyPatients } from '../../server/features/target-groups/jobs';
import { readPractice } from '../../server/features/target-groups/scan';
import { finishScan, startScan } from '../../server/features/target-groups/store';
import { CONCURRENCY, patientIdOf, runLimited, SCAN_TYPES, searchSource } from '../../src/fhir/populationFetch';
import { loadListedPatients, loadPracticeTeam } from '../../src/fhir/populationTeam';
import { compileAll, fhirpathFacts } from '../sections/classification';
import { median } from '../report';
import { launchPractice } from './scanLaunch';

export const SCAN_USER = 'gp-2';
export const SAMPLE = 1000;
const MiB = 2 ** 20;

export type ScanPhase = 'patients' | 'facts' | 'classify' | 'store' | 'done';

export interface ScanChildResult {
  patients: number;
  candidates: number;
  scanMs: number;
  launchMs: number;
  /** Milliseconds spent in each phase (from the scan's own progress reports). */
  phases: Partial<Record<ScanPhase, number>>;
  /** Process RSS when each phase started (MiB): where the memory goes. */
  rssAtPhaseMiB: Partial<Record<ScanPhase, number>>;
  requests: number;
  /** Requests by kind: `GET Condition`, `POST transaction`, ... */
  requestsByKind: Record<string, number>;
  flags: { created: number; updated: number; closed: number; unchanged: number; failed: number } | undefined;
  issues: number;
  skipped: number;
  rssBeforeMiB: number;
  /** Kernel high-water mark of the process (getrusage maxRSS). */
  rssPeakMiB: number;
  heapUsedAfterMiB: number;
}

export interface BaselineChildResult {
  listed: number;
  sample: number;
  /** A: per-patient searches (one per scan type) + our classification, CONCURRENCY patients in flight. */
  naive: { ms: number; requests: number; concurrency: number };
  /** A, fully sequential (one request at a time), on the first 200 of the sample. */
  naiveSequential: { ms: number; patients: number; requests: number };
  /** The scan's own by-patient batches on the same sample (read-only), for reference. */
  batched: { ms: number; requests: number; resources: number };
  /** B: in-process, on the resources read for the sample. Medians of 5 rounds. */
  oursMsPerPatient: number;
  fhirpathMsPerPatient: number;
  agree: number;
}

// --- request counting ------------------------------------------------------------------------------

const counts = new Map<string, number>();
let counted = 0;
const realFetch = globalThis.fetch;
globalThis.fetch = (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
  const request = input instanceof Request ? input : undefined;
  const url = new URL(request?.url ?? String(input));
  const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
  const path = url.pathname.replace(/^\/fhir\/?/, '').split('/')[0] ?? '';
  const kind = `${method} ${path === '' ? 'transaction' : path}`;
  counts.set(kind, (counts.get(kind) ?? 0) + 1);
  counted++;
  return realFetch(input, init);
};

function resetCounts(): void {
  counts.clear();
  counted = 0;
}

// --- the two modes ---------------------------------------------------------------------------------

const [mode, origin, fhirBaseUrl, asOf, viaArg, sampleArg] = process.argv.slice(2);
/** The baselines' sample (1,000; smaller in a quick run). */
const sampleSize = sampleArg && Number(sampleArg) > 0 ? Number(sampleArg) : SAMPLE;
/** How the scan reads the practice: Bulk Data `$export` or paged search (issue 19 point 5 compares both). */
const via: 'bulk-export' | 'search' = viaArg === 'bulk-export' ? 'bulk-export' : 'search';
if (!origin || !fhirBaseUrl || !asOf || (mode !== 'scan' && mode !== 'baselines')) {
  throw new Error('usage: scanClient.ts scan|baselines <origin> <fhirBaseUrl> <asOf>');
}

async function connect(): Promise<{ client: FhirClient; launchMs: number }> {
  const t0 = performance.now();
  const session = await launchPractice(origin ?? '', fhirBaseUrl ?? '', SCAN_USER);
  return { client: createFhirClient(session), launchMs: performance.now() - t0 };
}

async function scan(): Promise<ScanChildResult> {
  const { client, launchMs } = await connect();
  const token = client.session.accessToken ?? '';
  const get = (url: URL, headers: Record<string, string> = {}) => fetch(url, { headers: { accept: 'application/fhir+json', ...headers, authorization: `Bearer ${token}` } });
  // A PGlite data folder on disk, as the app server runs (PHT_SERVER_DATA_DIR); PHT_BENCH_SCAN_DB=memory keeps it in memory.
  const dataDir = process.env.PHT_BENCH_SCAN_DB === 'memory' ? 'memory://' : mkdtempSync(join(tmpdir(), 'pht-bench-scan-db-'));
  const app = await openDatabase({ dataDir });
  const rssBefore = process.memoryUsage().rss;
  const phaseStart = new Map<ScanPhase, number>();
  const rssAt: Partial<Record<ScanPhase, number>> = {};
  const mark = (phase: ScanPhase) => {
    if (!phaseStart.has(phase)) {
      phaseStart.set(phase, performance.now());
      rssAt[phase] = Math.round(process.memoryUsage().rss / MiB);
    }
  };
  resetCounts();
  const t0 = performance.now();
  const practiceId = 'Organization/org-practice';
  const at = new Date();
  const run = await startScan(app.db, practiceId, { id: '00000000-0000-4000-8000-000000000001', by: 'bench', asOf: asOf ?? '', ruleSetVersion: DEFAULT_RULE_SET.version, at });
  if (!run.ok) throw new Error('scan already running');
  const patients = await readPractice(get, fhirBaseUrl ?? '', practiceId, asOf ?? '', (phase) => mark(phase), { via });
  mark('classify');
  const classified = classifyPatients(patients, new Map(), asOf ?? '');
  mark('store');
  await finishScan(app.db, practiceId, run.run.id, classified, { asOf: asOf ?? '', ruleSetVersion: DEFAULT_RULE_SET.version, at });
  mark('done');
  const scanMs = performance.now() - t0;
  const order: ScanPhase[] = ['patients', 'facts', 'classify', 'store', 'done'];
  const phases: Partial<Record<ScanPhase, number>> = {};
  for (const [i, phase] of order.entries()) {
    const start = phaseStart.get(phase);
    const end = order.slice(i + 1).map((p) => phaseStart.get(p)).find((t) => t !== undefined);
    if (start !== undefined && end !== undefined) phases[phase] = Math.round(end - start);
  }
  await app.close();
  if (dataDir !== 'memory://') rmSync(dataDir, { recursive: true, force: true });
  return {
    patients: classified.length,
    candidates: classified.filter((c) => c.classification.groups.length > 0).length,
    scanMs: Math.round(scanMs),
    launchMs: Math.round(launchMs),
    phases,
    rssAtPhaseMiB: rssAt,
    requests: counted,
    requestsByKind: Object.fromEntries([...counts].sort((a, b) => b[1] - a[1])),
    flags: undefined,
    issues: classified.filter((c) => c.patient.display.notes.length > 0).length,
    skipped: 0,
    rssBeforeMiB: Math.round(rssBefore / MiB),
    rssPeakMiB: Math.round((process.resourceUsage().maxRSS * 1024) / MiB),
    heapUsedAfterMiB: Math.round(process.memoryUsage().heapUsed / MiB),
  };
}

function managingOrgId(patient: Patient): string | undefined {
  const ref = patient.managingOrganization?.reference;
  const match = typeof ref === 'string' ? /(?:^|\/)Organization\/([^/]+)$/.exec(ref) : null;
  return match?.[1];
}

async function baselines(): Promise<BaselineChildResult> {
  const { client } = await connect();
  const team = await loadPracticeTeam(client, SCAN_USER);
  const listed = await loadListedPatients(client, team.gps.map((g) => g.id));
  // Spread over the whole list (every n-th patient), not its first thousand.
  const step = Math.max(1, Math.floor(listed.length / sampleSize));
  const sample = listed.filter((_, i) => i % step === 0).slice(0, sampleSize);
  const classify = createClassifier(DEFAULT_RULE_SET);
  const factsCtx = (p: Patient) => ({ practiceOrgId: managingOrgId(p) ?? team.practiceOrgId ?? '', asOf: asOf ?? '' });

  // A: the naive way: for each patient, one search per type the scan reads, then classify.
  const naivePatient = async (p: Patient): Promise<void> => {
    const related: Resource[] = [];
    for (const type of SCAN_TYPES) related.push(...(await client.searchAll(type, { patient: `Patient/${p.id ?? ''}` })));
    classify(toPatientFacts(p, related, factsCtx(p)).facts, asOf ?? '');
  };
  resetCounts();
  let t0 = performance.now();
  await runLimited(
    sample.map((p) => () => naivePatient(p)),
    CONCURRENCY,
  );
  const naive = { ms: performance.now() - t0, requests: counted, concurrency: CONCURRENCY };

  const seqSample = sample.slice(0, Math.min(200, Math.ceil(sample.length / 5)));
  resetCounts();
  t0 = performance.now();
  for (const p of seqSample) await naivePatient(p);
  const naiveSequential = { ms: performance.now() - t0, patients: seqSample.length, requests: counted };

  // The resources the scan reads for the sample: its own source (patient batches, CONCURRENCY in flight).
  const ids = sample.map((p) => p.id ?? '');
  const idSet = new Set(ids);
  const related = new Map<string, Resource[]>(ids.map((id) => [id, []]));
  const source = searchSource(client, ids, 'by-patient');
  resetCounts();
  t0 = performance.now();
  let resources = 0;
  for (const type of SCAN_TYPES) {
    await source.stream(type, (r) => {
      const id = patientIdOf(r);
      if (id !== undefined && idSet.has(id)) {
        related.get(id)?.push(r);
        resources++;
      }
    });
  }
  for (const p of sample) classify(toPatientFacts(p, related.get(p.id ?? '') ?? [], factsCtx(p)).facts, asOf ?? '');
  const batched = { ms: performance.now() - t0, requests: counted, resources };

  // B: facts by our mapper vs by fhirpath expressions, the same compiled rules on both.
  const compiled = compileAll();
  const ours: number[] = [];
  const theirs: number[] = [];
  let agree = 0;
  const factsOurs: PatientFacts[] = [];
  for (let round = 0; round < 5; round++) {
    factsOurs.length = 0;
    let t = performance.now();
    for (const p of sample) {
      const facts = toPatientFacts(p, related.get(p.id ?? '') ?? [], factsCtx(p)).facts;
      classify(facts, asOf ?? '');
      factsOurs.push(facts);
    }
    ours.push((performance.now() - t) / sample.length);
    agree = 0;
    t = performance.now();
    const verdicts: string[] = [];
    for (const p of sample) verdicts.push(classify(fhirpathFacts(compiled, [p, ...(related.get(p.id ?? '') ?? [])]), asOf ?? '').groups.join(','));
    theirs.push((performance.now() - t) / sample.length);
    sample.forEach((_, i) => {
      const f = factsOurs[i];
      if (f && classify(f, asOf ?? '').groups.join(',') === verdicts[i]) agree++;
    });
  }
  return {
    listed: listed.length,
    sample: sample.length,
    naive: { ...naive, ms: Math.round(naive.ms) },
    naiveSequential: { ...naiveSequential, ms: Math.round(naiveSequential.ms) },
    batched: { ...batched, ms: Math.round(batched.ms) },
    oursMsPerPatient: median(ours),
    fhirpathMsPerPatient: median(theirs),
    agree,
  };
}

const out = mode === 'scan' ? await scan() : await baselines();
console.log(JSON.stringify(out));
process.exit(0);

// Population scan (issue "Target groups" point 3; SPEC §3): classify every listed patient of the
// practice or of one GP, persist the result as target-group Flags, return view-model rows.
//
// Phases: patients (the lists) -> facts (each resource type streamed and grouped by patient, see
// populationFetch.ts) -> classify -> flags (idempotent diff, populationFlags.ts). Progress is reported
// per phase; an AbortSignal cancels between requests. Malformed resources never stop a scan: they become
// DataIssues of their patient, or (when no patient can be told) skipped resources of the result.
import type { Flag, Patient, Procedure, Resource } from '@medplum/fhirtypes';
import { createClassifier, DEFAULT_RULE_SET, type Classification, type RuleSet } from '../domain/targetGroups';
import { readOutreachAssessment } from './builders/assessment';
import type { FhirClient } from './client';
import { toPatientFacts, type DataIssue } from './mappers/patientFacts';
import { patientIdOf, SCAN_TYPES, searchSource, type FetchStrategy, type ResourceSource } from './populationFetch';
import { diffPatientFlags, writeFlags, type FlagWrite, type FlagWriteSummary } from './populationFlags';
import { toPopulationRow, type PopulationRow } from './populationRows';
import { gpIdOf, loadListedPatients, loadPracticeTeam, type GpView } from './populationTeam';
import type { StatusSource } from './targetGroupStatus';

export type { PopulationRow, GroupMembership, ReasonView } from './populationRows';
export type { GpView } from './populationTeam';

export type ScanScope = { kind: 'practice' } | { kind: 'gp'; gpId: string } | { kind: 'patients'; patientIds: readonly string[] };
export type ScanPhase = 'patients' | 'facts' | 'classify' | 'flags' | 'done';

export interface ScanProgress {
  phase: ScanPhase;
  done: number;
  total: number;
}

export interface ScanOptions {
  /** The user running the scan (Practitioner id): finds the practice. */
  userId: string;
  /** Oslo date, YYYY-MM-DD. */
  asOf: string;
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
  /** Persist the result as Flags (default true; false for a read-only scan). */
  writeFlags?: boolean;
  /** Default: by type for large practices, by patient otherwise. */
  strategy?: FetchStrategy;
  ruleSet?: RuleSet;
  /**
   * Target-group status from the app server instead of reading and classifying the facts here (the
   * secretary: no clinical read scopes, issue 12 item 5). Groups only: no markers, reasons or Flag writes.
   */
  statusSource?: StatusSource;
  /** Injected in tests: the source of resources by type. */
  source?: (patientIds: readonly string[], strategy: FetchStrategy, onUnitDone: () => void) => ResourceSource;
}

export interface PatientIssues {
  patientId: string;
  issues: DataIssue[];
}

export interface SkippedResource {
  resourceType: string;
  id?: string;
  message: string;
}

export interface ScanResult {
  asOf: string;
  scope: ScanScope;
  gps: GpView[];
  rows: PopulationRow[];
  /** Data-quality issues per patient (malformed resources, warnings of the rules). */
  issues: PatientIssues[];
  /** Resources that could not be tied to a listed patient. */
  skipped: SkippedResource[];
  flags: FlagWriteSummary | undefined;
}

/** Above this many patients a whole practice is read by type rather than by patient batches. */
export const BY_TYPE_THRESHOLD = 5000;

export async function scanPopulation(client: FhirClient, scope: ScanScope, opts: ScanOptions): Promise<ScanResult> {
  const progress = (phase: ScanPhase, done: number, total: number) => opts.onProgress?.({ phase, done, total });
  progress('patients', 0, 1);
  const team = await loadPracticeTeam(client, opts.userId, opts.signal);
  const patients = await patientsOf(client, scope, team.gps, opts, (done, total) => progress('patients', done, total));
  const ids = new Set<string>();
  const listed: Patient[] = [];
  for (const p of patients) {
    if (!p.id || ids.has(p.id)) continue;
    ids.add(p.id);
    listed.push(p);
  }

  if (opts.statusSource) return remoteScan(opts.statusSource, scope, team.gps, listed, opts);

  // Facts: stream each type and group by patient.
  const strategy = opts.strategy ?? (scope.kind === 'practice' && listed.length > BY_TYPE_THRESHOLD ? 'by-type' : 'by-patient');
  let done = 0;
  const onUnitDone = () => progress('facts', ++done, source.units);
  const source = opts.source?.([...ids], strategy, onUnitDone) ?? searchSource(client, [...ids], strategy, { signal: opts.signal, asOf: opts.asOf, onUnitDone });
  progress('facts', 0, source.units);
  const related = new Map<string, Resource[]>();
  const skipped: SkippedResource[] = [];
  for (const type of SCAN_TYPES) {
    await source.stream(type, (resource) => group(resource, ids, strategy, related, skipped));
  }

  // Classify, and plan the flag writes.
  const classify = createClassifier(opts.ruleSet ?? DEFAULT_RULE_SET);
  const gpNames = new Map(team.gps.map((g) => [g.id, g.name]));
  const rows: PopulationRow[] = [];
  const issues: PatientIssues[] = [];
  const writes: FlagWrite[] = [];
  let unchanged = 0;
  for (const [index, patient] of listed.entries()) {
    if (index % 500 === 0) {
      opts.signal?.throwIfAborted();
      progress('classify', index, listed.length);
    }
    const id = patient.id ?? '';
    const all = related.get(id) ?? [];
    const practiceOrgId = managingOrgId(patient) ?? team.practiceOrgId ?? '';
    const { facts, issues: dataIssues } = toPatientFacts(patient, all, { practiceOrgId, asOf: opts.asOf });
    const classification = classify(facts, opts.asOf);
    const patientIssues = [...dataIssues, ...classification.warnings.map((message) => ({ resourceType: 'Patient', id, message }))];
    if (patientIssues.length > 0) issues.push({ patientId: id, issues: patientIssues });
    const gpId = gpIdOf(patient);
    rows.push(toPopulationRow(patient, classification, { asOf: opts.asOf, gpId, gpName: gpId ? gpNames.get(gpId) : undefined, outreach: latestOutreach(all), issueCount: patientIssues.length }));
    if (opts.writeFlags !== false) {
      const diff = diffPatientFlags(id, classification, all.filter(isFlag), opts.asOf);
      writes.push(...diff.writes);
      unchanged += diff.unchanged;
    }
  }
  progress('classify', listed.length, listed.length);

  const flags = opts.writeFlags === false ? undefined : await writeFlags(client, writes, unchanged, { signal: opts.signal, onProgress: (d, t) => progress('flags', d, t) });
  progress('done', 1, 1);
  return { asOf: opts.asOf, scope, gps: team.gps, rows, issues, skipped, flags };
}

/** The list from the app server's status (groups only), in batches with progress. */
async function remoteScan(source: StatusSource, scope: ScanScope, gps: GpView[], listed: Patient[], opts: ScanOptions): Promise<ScanResult> {
  const progress = (phase: ScanPhase, done: number, total: number) => opts.onProgress?.({ phase, done, total });
  const statuses = await source(listed.map((p) => p.id ?? ''), { signal: opts.signal, onProgress: (done, total) => progress('classify', done, total) });
  const gpNames = new Map(gps.map((g) => [g.id, g.name]));
  const rows = listed.map((patient) => {
    const status = statuses.get(patient.id ?? '');
    const classification: Classification = {
      groups: status?.groups ?? [],
      confirmed: status?.confirmed ?? [],
      weakDemander: false,
      needsMedicationReview: false,
      needsCarePlan: false,
      reasons: [],
      warnings: [],
    };
    const gpId = gpIdOf(patient);
    return toPopulationRow(patient, classification, { asOf: opts.asOf, gpId, gpName: gpId ? gpNames.get(gpId) : undefined, issueCount: 0 });
  });
  progress('done', 1, 1);
  return { asOf: opts.asOf, scope, gps, rows, issues: [], skipped: [], flags: undefined };
}

async function patientsOf(client: FhirClient, scope: ScanScope, gps: GpView[], opts: ScanOptions, onProgress: (done: number, total: number) => void): Promise<Patient[]> {
  const load = { signal: opts.signal, onProgress: (fetched: number, total: number | undefined) => onProgress(fetched, total ?? fetched) };
  if (scope.kind === 'gp') return loadListedPatients(client, [scope.gpId], load);
  if (scope.kind === 'practice') return loadListedPatients(client, gps.map((g) => g.id), load);
  const found: Patient[] = [];
  const ids = [...new Set(scope.patientIds)];
  for (let i = 0; i < ids.length; i += 50) {
    const batch = ids.slice(i, i + 50);
    found.push(...(await client.searchAll('Patient', { _id: batch.join(','), _count: String(batch.length) }, { signal: opts.signal })));
    onProgress(found.length, ids.length);
  }
  return found;
}

function group(resource: Resource, ids: Set<string>, strategy: FetchStrategy, related: Map<string, Resource[]>, skipped: SkippedResource[]): void {
  const patientId = patientIdOf(resource);
  if (patientId !== undefined && ids.has(patientId)) {
    const list = related.get(patientId);
    if (list) list.push(resource);
    else related.set(patientId, [resource]);
    return;
  }
  // By type, resources of patients on other lists are expected; by patient, the server sent something odd.
  if (patientId !== undefined && strategy === 'by-type') return;
  const entry: SkippedResource = {
    resourceType: String(resource.resourceType),
    message: patientId === undefined ? 'Mangler lesbar pasientreferanse; ikke brukt.' : 'Gjelder en pasient utenfor listen; ikke brukt.',
  };
  if (typeof resource.id === 'string') entry.id = resource.id;
  skipped.push(entry);
}

function managingOrgId(patient: Patient): string | undefined {
  const ref = patient.managingOrganization?.reference;
  const match = typeof ref === 'string' ? /(?:^|\/)Organization\/([^/]+)$/.exec(ref) : null;
  return match?.[1];
}

function isFlag(resource: Resource): resource is Flag {
  return resource.resourceType === 'Flag';
}

function isProcedure(resource: Resource): resource is Procedure {
  return resource.resourceType === 'Procedure';
}

function latestOutreach(resources: readonly Resource[]) {
  let latest: ReturnType<typeof readOutreachAssessment>;
  for (const r of resources) {
    if (!isProcedure(r)) continue;
    const record = readOutreachAssessment(r);
    if (record && (!latest || record.date >= latest.date)) latest = record;
  }
  return latest;
}

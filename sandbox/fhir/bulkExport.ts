// FHIR Bulk Data Access 2.0 `$export` for the sandbox EPJ (issue 19 point 5): the population scan of a large
// practice reads NDJSON files instead of paging through searches. What it implements, from the IG
// (https://hl7.org/fhir/uv/bulkdata/export.html):
// - kick-off `GET [base]/$export`, `[base]/Patient/$export`, `[base]/Group/[id]/$export` with
//   `Prefer: respond-async` (required), `_outputFormat` (ndjson), `_type` (comma list), `_since` (instant);
//   202 Accepted + `Content-Location` of the status URL;
// - status `GET [base]/$export-status/[job]`: 202 with `X-Progress` and `Retry-After` while running, 200 with the
//   manifest (transactionTime, request, requiresAccessToken, output[{type,url,count}], error[]) when done, 500 with
//   an OperationOutcome when it failed; `DELETE` cancels (202) and removes the files;
// - files `GET [base]/$export-file/[job]/[name].ndjson` (`application/fhir+ndjson`), only to the client that
//   started the job (requiresAccessToken: true).
// Only tokens with system/ or user/ scopes may export (a patient/ scope is refused); each type needs read or
// search in the grant. Jobs live in memory and expire an hour after completion. A job keeps the resources as
// they were when it ran (references: the repository replaces a resource on every write, never changes it), and
// each file is serialised as it is downloaded, streamed line by line: no temp files, and the client parses while
// the server writes (issue 19 point 5).
import { randomUUID } from 'node:crypto';
import type { Group, Resource } from '@medplum/fhirtypes';
import type { AccessContext } from '../auth/types';
import { scopeAllows } from '../../src/fhir/smart/scopes';
import { isKnownResourceType } from './definitions';
import { fail, outcome } from './outcomes';
import { patientCompartmentParams } from './access';

export interface BulkReply {
  status: number;
  body?: Resource | Record<string, unknown>;
  raw?: { contentType: string; text: string } | { contentType: string; lines: Iterable<string> };
  headers?: Record<string, string>;
}

interface OutputFile {
  type: string;
  name: string;
  count: number;
  resources: Resource[];
}

interface Job {
  /** Settles when the job is done, failed or cancelled (a status request waits for it a little). */
  settled: Promise<void>;
  id: string;
  owner: string;
  request: string;
  transactionTime: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  progress: number;
  output: OutputFile[];
  error?: string;
  finishedAt?: number;
}

/** Resources per NDJSON file (the IG lets servers split a type into several files). */
const FILE_LIMIT = 50_000;
/** Resources handled per event-loop turn, so other requests get in between. */
const SLICE = 2_000;
const KEEP_MS = 60 * 60_000;
const NDJSON_FORMATS = new Set(['application/fhir+ndjson', 'application/ndjson', 'ndjson']);

export interface BulkSource {
  allResources(): Iterable<Resource>;
  readGroup(id: string): Group | undefined;
}

export class BulkExports {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly source: BulkSource,
    private readonly baseUrl: string,
    private readonly now: () => number = Date.now,
    /** How long a status request waits for a running job before answering 202. */
    private readonly statusWaitMs = 800,
  ) {}

  /** Routes `$export`, `$export-status/<id>` and `$export-file/<id>/<name>`; undefined when not a bulk path. */
  async handle(method: string, segments: string[], params: URLSearchParams, headers: Record<string, string | string[] | undefined>, access: AccessContext, requestUrl: string): Promise<BulkReply | undefined> {
    const [first, second, third] = segments;
    if (first === '$export-status' && second && segments.length === 2) {
      if (method === 'GET') return this.status(second, access, this.statusWaitMs);
      if (method === 'DELETE') return this.cancel(second, access);
      throw fail(405, 'not-supported', `${method} is not allowed on $export-status`);
    }
    if (first === '$export-file' && second && third && segments.length === 3) {
      if (method !== 'GET') throw fail(405, 'not-supported', `${method} is not allowed on $export-file`);
      return this.file(second, third, access);
    }
    const level = first === '$export' && segments.length === 1 ? 'system' : first === 'Patient' && second === '$export' && segments.length === 2 ? 'patient' : first === 'Group' && second && third === '$export' && segments.length === 3 ? 'group' : undefined;
    if (!level) return undefined;
    if (method !== 'GET' && method !== 'POST') throw fail(405, 'not-supported', `${method} is not allowed on $export`);
    if (method === 'POST') throw fail(400, 'not-supported', 'Use GET for $export kick-off in this server (POST with Parameters is not supported)');
    return this.kickOff(level, level === 'group' ? second : undefined, params, headers, access, requestUrl);
  }

  private kickOff(level: 'system' | 'patient' | 'group', groupId: string | undefined, params: URLSearchParams, headers: Record<string, string | string[] | undefined>, access: AccessContext, requestUrl: string): BulkReply {
    const prefer = String(headers['prefer'] ?? '');
    if (!/respond-async/.test(prefer)) throw fail(400, 'invalid', '$export needs the header Prefer: respond-async');
    if (access.scopes.some((s) => s.startsWith('patient/')) && !access.scopes.some((s) => s.startsWith('system/') || s.startsWith('user/'))) {
      throw fail(403, 'forbidden', '$export needs system/ or user/ scopes; a patient/ scope cannot export');
    }
    const format = params.get('_outputFormat');
    if (format !== null && !NDJSON_FORMATS.has(format)) throw fail(400, 'not-supported', `_outputFormat ${format} is not supported; use application/fhir+ndjson`);
    for (const name of params.keys()) {
      if (!['_outputFormat', '_type', '_since'].includes(name)) throw fail(400, 'not-supported', `The $export parameter ${name} is not supported (supported: _outputFormat, _type, _since)`);
    }
    let since: number | undefined;
    const sinceRaw = params.get('_since');
    if (sinceRaw !== null) {
      since = Date.parse(sinceRaw);
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(sinceRaw) || Number.isNaN(since)) throw fail(400, 'invalid', `_since must be a FHIR instant with a time zone, not ${sinceRaw}`);
    }
    const typeParam = params.get('_type');
    const requested = typeParam ? typeParam.split(',').map((t) => t.trim()).filter(Boolean) : undefined;
    for (const type of requested ?? []) {
      if (!isKnownResourceType(type)) throw fail(400, 'invalid', `_type: unknown resource type ${type}`);
      if (!this.allowed(access, type)) throw fail(403, 'forbidden', `The access token does not allow reading ${type}`);
    }
    let members: Set<string> | undefined;
    if (level === 'group') {
      const group = this.source.readGroup(groupId ?? '');
      if (!group) throw fail(404, 'not-found', `Group/${groupId ?? ''} is not known`);
      members = new Set((group.member ?? []).map((m) => m.entity.reference ?? '').filter((r) => r.startsWith('Patient/')).map((r) => r.slice(8)));
    }
    let settle!: () => void;
    const job: Job = {
      settled: new Promise<void>((resolve) => (settle = resolve)),
      id: randomUUID(),
      owner: `${access.kind}|${access.clientId}`,
      request: requestUrl,
      transactionTime: new Date(this.now()).toISOString(),
      state: 'running',
      progress: 0,
      output: [],
    };
    this.sweep();
    this.jobs.set(job.id, job);
    const filter = (resource: Resource): boolean => {
      const type = resource.resourceType;
      if (requested ? !requested.includes(type) : !this.allowed(access, type)) return false;
      if (level !== 'system' && type !== 'Patient' && patientCompartmentParams(type).length === 0) return false;
      if (since !== undefined) {
        const updated = Date.parse(resource.meta?.lastUpdated ?? '');
        if (!(updated > since)) return false;
      }
      if (members) return type === 'Patient' ? members.has(resource.id ?? '') : referencesAny(resource, members);
      return true;
    };
    void this.run(job, filter)
      .catch((error: unknown) => {
        job.state = 'failed';
        job.error = error instanceof Error ? error.message : String(error);
      })
      .finally(settle);
    return { status: 202, headers: { 'Content-Location': `${this.baseUrl}/$export-status/${job.id}` }, body: outcome(202, 'informational', 'Eksporten er startet') as Resource };
  }

  private allowed(access: AccessContext, type: string): boolean {
    const read = scopeAllows(access.scopes, type, 'r');
    const search = scopeAllows(access.scopes, type, 's');
    const ok = (d: ReturnType<typeof scopeAllows>) => d.allowed && d.compartment !== 'patient';
    return ok(read) || ok(search);
  }

  private async run(job: Job, filter: (r: Resource) => boolean): Promise<void> {
    const all = [...this.source.allResources()];
    const buffers = new Map<string, { lines: Resource[]; part: number; total: number }>();
    const flush = (type: string, buffer: { lines: Resource[]; part: number; total: number }) => {
      if (buffer.lines.length === 0) return;
      buffer.part += 1;
      job.output.push({ type, name: `${type}-${buffer.part}.ndjson`, count: buffer.lines.length, resources: buffer.lines });
      buffer.lines = [];
    };
    for (let i = 0; i < all.length; i += SLICE) {
      if (job.state === 'cancelled') return;
      for (const resource of all.slice(i, i + SLICE)) {
        if (!filter(resource)) continue;
        let buffer = buffers.get(resource.resourceType);
        if (!buffer) buffers.set(resource.resourceType, (buffer = { lines: [], part: 0, total: 0 }));
        buffer.lines.push(resource);
        buffer.total += 1;
        if (buffer.lines.length >= FILE_LIMIT) flush(resource.resourceType, buffer);
      }
      job.progress = Math.min(99, Math.round(((i + SLICE) / Math.max(1, all.length)) * 100));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (job.state === 'cancelled') return;
    for (const [type, buffer] of [...buffers].sort(([a], [b]) => a.localeCompare(b))) flush(type, buffer);
    job.state = 'done';
    job.progress = 100;
    job.finishedAt = this.now();
  }

  private owned(id: string, access: AccessContext): Job {
    const job = this.jobs.get(id);
    if (!job || job.owner !== `${access.kind}|${access.clientId}`) throw fail(404, 'not-found', `No export job ${id} for this client`);
    return job;
  }

  private async status(id: string, access: AccessContext, waitMs: number): Promise<BulkReply> {
    let job = this.owned(id, access);
    // A job about to finish answers this request instead of sending the client away for Retry-After's whole
    // second (most exports of a practice take well under that): wait up to waitMs for it.
    if (job.state === 'running' && waitMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([job.settled, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
      job = this.owned(id, access);
    }
    if (job.state === 'running') return { status: 202, headers: { 'X-Progress': `${job.progress} %`, 'Retry-After': '1' } };
    if (job.state === 'failed') return { status: 500, body: outcome(500, 'exception', `The export failed: ${job.error ?? 'unknown error'}`) as Resource };
    if (job.state === 'cancelled') throw fail(404, 'not-found', `Export job ${id} was cancelled`);
    return {
      status: 200,
      headers: { Expires: new Date((job.finishedAt ?? this.now()) + KEEP_MS).toUTCString() },
      body: {
        transactionTime: job.transactionTime,
        request: job.request,
        requiresAccessToken: true,
        output: job.output.map((f) => ({ type: f.type, url: `${this.baseUrl}/$export-file/${job.id}/${f.name}`, count: f.count })),
        error: [],
      },
    };
  }

  private cancel(id: string, access: AccessContext): BulkReply {
    const job = this.owned(id, access);
    job.state = 'cancelled';
    this.jobs.delete(id);
    return { status: 202, body: outcome(202, 'informational', 'Eksporten er avbrutt og filene slettet') as Resource };
  }

  private file(id: string, name: string, access: AccessContext): BulkReply {
    const job = this.owned(id, access);
    const file = job.output.find((f) => f.name === name);
    if (job.state !== 'done' || !file) throw fail(404, 'not-found', `No file ${name} in export job ${id}`);
    return { status: 200, raw: { contentType: 'application/fhir+ndjson', lines: (function* () {
      for (const resource of file.resources) yield JSON.stringify(resource);
    })() } };
  }

  /** Drops finished jobs older than KEEP_MS and their files. */
  private sweep(): void {
    for (const job of this.jobs.values()) {
      if (job.finishedAt !== undefined && this.now() - job.finishedAt > KEEP_MS) {
        this.jobs.delete(job.id);
      }
    }
  }

  close(): void {
    for (const job of this.jobs.values()) {
      job.state = 'cancelled';
    }
    this.jobs.clear();
  }
}

/** True when the resource references one of the patients (`Patient/<id>` anywhere in it). */
function referencesAny(resource: Resource, patients: Set<string>): boolean {
  let found = false;
  const walk = (value: unknown): void => {
    if (found || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const v of value) walk(v);
      return;
    }
    for (const [key, v] of Object.entries(value)) {
      if (key === 'reference' && typeof v === 'string' && v.startsWith('Patient/') && patients.has(v.slice(8))) {
        found = true;
        return;
      }
      walk(v);
    }
  };
  walk(resource);
  return found;
}

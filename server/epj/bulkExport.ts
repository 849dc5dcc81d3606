// Reading a whole practice through FHIR Bulk Data Access 2.0 `$export` (issue 19 point 5): kick-off with
// `Prefer: respond-async`, poll the status URL (honouring Retry-After, bounded), then stream the NDJSON files
// of the manifest. Used by the nightly population scan when the EPJ's CapabilityStatement offers `export`
// (server/epj/capabilities); paged search stays the fallback. Errors are one type, BulkExportError, with a
// Norwegian message for the job log and the manager's job status.
import type { CapabilityStatement, Resource } from '@medplum/fhirtypes';

export class BulkExportError extends Error {
  override readonly name = 'BulkExportError';
}

/** GET with the server's system token (BackendServices), extra headers allowed. */
export type BulkGet = (url: URL, headers?: Record<string, string>) => Promise<Response>;

export interface BulkExportOptions {
  /** `_type`: the resource types wanted. */
  types: readonly string[];
  /** `_since` (ISO instant): only what changed after it. */
  since?: string;
  /** `Group/<id>` for a group-level export; absent = system level. */
  group?: string;
  /** Waits between status polls; injectable for tests. Default: Retry-After seconds, 0.2-5 s. */
  wait?: (ms: number) => Promise<void>;
  /** Gives up after this many status polls (default 3 600). */
  maxPolls?: number;
  onProgress?: (text: string) => void;
  signal?: AbortSignal;
}

interface Manifest {
  transactionTime?: string;
  output?: { type?: string; url?: string; count?: number }[];
  error?: { type?: string; url?: string }[];
}

/** True when the EPJ's CapabilityStatement says it can `$export` (system or group level). */
export function offersBulkExport(capability: CapabilityStatement | undefined): boolean {
  return (capability?.rest ?? []).some((rest) => (rest.operation ?? []).some((op) => op.name === 'export' || op.name === 'group-export' || /bulkdata\/OperationDefinition\/(group-)?export$/.test(op.definition ?? '')));
}

async function problem(res: Response, what: string): Promise<BulkExportError> {
  let detail = '';
  try {
    const body = (await res.json()) as { issue?: { diagnostics?: string; details?: { text?: string } }[] };
    detail = body.issue?.[0]?.details?.text ?? body.issue?.[0]?.diagnostics ?? '';
  } catch {
    // not JSON
  }
  return new BulkExportError(`${what}: journalsystemet svarte ${res.status}${detail ? ` (${detail})` : ''}`);
}

/**
 * Every resource of the export, type by type in the order of `options.types`, streamed as the files arrive. The returned `transactionTime` is what a
 * later incremental export passes as `_since`.
 */
export async function* bulkExport(get: BulkGet, base: string, options: BulkExportOptions): AsyncGenerator<Resource, { transactionTime: string | undefined }> {
  const wait = options.wait ?? ((ms: number) => new Promise<void>((ok) => setTimeout(ok, ms)));
  const root = base.replace(/\/+$/, '');
  const kickOff = new URL(`${root}/${options.group ? `${options.group}/` : ''}$export`);
  kickOff.searchParams.set('_type', options.types.join(','));
  if (options.since) kickOff.searchParams.set('_since', options.since);
  const started = await get(kickOff, { prefer: 'respond-async', accept: 'application/fhir+json' });
  if (started.status !== 202) throw await problem(started, 'Eksporten kunne ikke startes');
  const statusUrl = started.headers.get('content-location');
  if (!statusUrl) throw new BulkExportError('Eksporten kunne ikke startes: journalsystemet oppga ingen statusadresse (Content-Location)');
  let manifest: Manifest | undefined;
  const maxPolls = options.maxPolls ?? 3_600;
  for (let poll = 0; poll < maxPolls; poll += 1) {
    if (options.signal?.aborted) throw new BulkExportError('Eksporten ble avbrutt');
    const res = await get(new URL(statusUrl), { accept: 'application/json' });
    if (res.status === 200) {
      manifest = (await res.json()) as Manifest;
      break;
    }
    if (res.status !== 202) throw await problem(res, 'Eksporten feilet');
    const progress = res.headers.get('x-progress');
    if (progress) options.onProgress?.(progress);
    const retryAfter = Number(res.headers.get('retry-after'));
    await wait(Math.min(5_000, Math.max(200, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 1000)));
  }
  if (!manifest) throw new BulkExportError(`Eksporten ble ikke ferdig etter ${maxPolls} statusforespørsler`);
  if ((manifest.error ?? []).length > 0) throw new BulkExportError(`Eksporten meldte ${manifest.error?.length ?? 0} feil`);
  // The files in the order of `types` (the IG leaves the manifest's order to the server): the scan reads the
  // Patient files first, so it can map each fact as it arrives instead of keeping it.
  const rank = (type: string | undefined) => {
    const i = options.types.indexOf(type ?? '');
    return i === -1 ? options.types.length : i;
  };
  const files = (manifest.output ?? []).map((file, i) => ({ file, i })).sort((a, b) => rank(a.file.type) - rank(b.file.type) || a.i - b.i);
  for (const { file } of files) {
    if (!file.url) continue;
    const res = await get(new URL(file.url), { accept: 'application/fhir+ndjson' });
    if (!res.ok) throw await problem(res, `Eksportfilen for ${file.type ?? 'ukjent type'} kunne ikke hentes`);
    // Streamed line by line: a file of 50,000 resources is never held whole (issue 19 point 5: ≤ 1 GiB at 100,000 patients).
    let line = 0;
    for await (const lines of ndjsonLines(res)) {
      for (const raw of lines) {
        line += 1;
        if (raw.trim() === '') continue;
        let resource: Resource;
        try {
          resource = JSON.parse(raw) as Resource;
        } catch {
          throw new BulkExportError(`Eksportfilen for ${file.type ?? 'ukjent type'} har ugyldig JSON på linje ${line}`);
        }
        yield resource;
      }
    }
  }
  return { transactionTime: manifest.transactionTime };
}

/** The lines of an NDJSON response body as they arrive, a chunk's complete lines at a time (UTF-8; a last line without `\n` counts). */
async function* ndjsonLines(res: Response): AsyncGenerator<string[]> {
  if (!res.body) {
    yield (await res.text()).split('\n');
    return;
  }
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
    rest = lines.pop() ?? '';
    if (lines.length > 0) yield lines;
  }
  rest += decoder.decode();
  if (rest !== '') yield [rest];
}

// Durable sandbox data without a database: a snapshot (one current resource per line) plus an
// append-only log of writes since, replayed at start and folded into a new snapshot on close. Each
// write costs one small append; start-up and compaction are linear streams, so 1M resources never
// need one giant string in memory. History (older versions) is not persisted: after a restart vread
// finds only current versions, and version numbers continue from meta.versionId.
import { appendFileSync, closeSync, createReadStream, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Resource } from '@medplum/fhirtypes';

export type Change = { op: 'put'; resource: Resource } | { op: 'delete'; resourceType: string; id: string };

const CHUNK = 4 * 1024 * 1024;

export class Persistence {
  private readonly snapshotPath: string;
  private readonly logPath: string;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.snapshotPath = join(dir, 'snapshot.ndjson');
    this.logPath = join(dir, 'log.ndjson');
  }

  async load(apply: (change: Change) => void): Promise<void> {
    await readLines(this.snapshotPath, (line) => apply({ op: 'put', resource: JSON.parse(line) as Resource }));
    await readLines(this.logPath, (line) => apply(JSON.parse(line) as Change));
  }

  append(changes: readonly Change[]): void {
    if (changes.length === 0) return;
    const fd = openSync(this.logPath, 'a');
    try {
      writeLines(fd, changes, (c) => JSON.stringify(c));
    } finally {
      closeSync(fd);
    }
  }

  hasPendingLog(): boolean {
    return existsSync(this.logPath) && statSync(this.logPath).size > 0;
  }

  /** Writes the current state as the new snapshot (atomically, via rename) and empties the log. */
  compact(resources: Iterable<Resource>): void {
    const tmp = `${this.snapshotPath}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeLines(fd, resources, (r) => JSON.stringify(r));
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.snapshotPath);
    rmSync(this.logPath, { force: true });
  }

  clear(): void {
    rmSync(this.snapshotPath, { force: true });
    rmSync(this.logPath, { force: true });
    appendFileSync(this.logPath, '');
  }
}

function writeLines<T>(fd: number, items: Iterable<T>, encode: (item: T) => string): void {
  let buffer: string[] = [];
  let size = 0;
  for (const item of items) {
    const line = encode(item);
    buffer.push(line);
    size += line.length + 1;
    if (size >= CHUNK) {
      writeSync(fd, buffer.join('\n') + '\n');
      buffer = [];
      size = 0;
    }
  }
  if (buffer.length > 0) writeSync(fd, buffer.join('\n') + '\n');
}

async function readLines(path: string, onLine: (line: string) => void): Promise<void> {
  if (!existsSync(path)) return;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    // A crash mid-append can leave a torn last line; everything before it is intact.
    if (line.trim() === '') continue;
    try {
      onLine(line);
    } catch {
      break;
    }
  }
}

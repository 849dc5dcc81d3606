// Durable sandbox data without a database: a snapshot (one current resource per line) plus an
// append-only log of commits since, replayed at start and folded into a new snapshot on close. Each
// commit (a write, or a whole transaction) is ONE log line `{"commit":[changes]}`, fsynced before the
// server answers 2xx, so a line is the transaction boundary: a torn last line (crash mid-append) is a
// commit that never answered and is dropped whole on replay, and cut off so later appends are not
// stranded behind it (issue 12 item 10). Start-up and compaction are linear streams, so 1M resources
// never need one giant string in memory. History (older versions) is not persisted: after a restart
// vread finds only current versions, and version numbers continue from meta.versionId.
import { appendFileSync, closeSync, createReadStream, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Resource } from '@medplum/fhirtypes';

export type Change = { op: 'put'; resource: Resource } | { op: 'delete'; resourceType: string; id: string };

/** One log line. Lines holding a bare Change come from logs written before commits were marked. */
type LogLine = { commit: Change[] } | Change;

const CHUNK = 4 * 1024 * 1024;
const BULK_COMMIT = 1000;

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
    const intact = await readLines(this.logPath, (line) => {
      const entry = JSON.parse(line) as LogLine;
      // Parse the whole line before applying any of it: a commit lands whole or not at all.
      for (const change of 'commit' in entry ? entry.commit : [entry]) apply(change);
    });
    if (existsSync(this.logPath) && statSync(this.logPath).size > intact) truncateSync(this.logPath, intact);
  }

  /** One commit as one line, on disk (fsync) before returning, i.e. before the client hears 2xx. */
  append(changes: readonly Change[]): void {
    if (changes.length === 0) return;
    const fd = openSync(this.logPath, 'a');
    try {
      writeSync(fd, `${JSON.stringify({ commit: changes })}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Trusted bulk loads (seeding): commits of BULK_COMMIT changes each, one fsync at the end, so a
   * million-resource seed never becomes one giant string. A crash mid-seed keeps whole chunks only.
   */
  appendBulk(changes: readonly Change[]): void {
    if (changes.length === 0) return;
    const fd = openSync(this.logPath, 'a');
    try {
      for (let i = 0; i < changes.length; i += BULK_COMMIT) writeSync(fd, `${JSON.stringify({ commit: changes.slice(i, i + BULK_COMMIT) })}\n`);
      fsyncSync(fd);
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
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.snapshotPath);
    fsyncDir(dirname(this.snapshotPath)); // the rename itself must be durable before the log goes
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

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Feeds each complete line to onLine and returns the byte length of the intact prefix. A crash
 * mid-append can leave a torn last line (no newline, or not parseable); it and anything after it
 * are not applied.
 */
async function readLines(path: string, onLine: (line: string) => void): Promise<number> {
  if (!existsSync(path)) return 0;
  const size = statSync(path).size;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let intact = 0;
  for await (const line of lines) {
    const bytes = Buffer.byteLength(line) + 1;
    // The last line without its newline was never finished (append writes line and newline at once).
    if (intact + bytes > size) break;
    if (line.trim() !== '') {
      try {
        onLine(line);
      } catch {
        break;
      }
    }
    intact += bytes;
  }
  lines.close();
  return intact;
}

// Search paging by cursor: the first page snapshots the ordered ids of every match, later pages slice
// that list, so a page costs O(page) instead of re-running the search (Medplum's offset paging rescans
// everything per page, FINDINGS). Cursors expire and are bound to the grant that created them.
import { randomBytes } from 'node:crypto';
import type { SearchRequest } from '@medplum/core';

export interface Cursor {
  request: SearchRequest;
  ids: string[];
  owner: string;
  expiresAt: number;
}

export class CursorStore {
  private readonly cursors = new Map<string, Cursor>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly maxCursors = 500,
    private readonly now: () => number = Date.now,
  ) {}

  create(request: SearchRequest, ids: string[], owner: string): string {
    this.sweep();
    if (this.cursors.size >= this.maxCursors) {
      const oldest = this.cursors.keys().next().value;
      if (oldest !== undefined) this.cursors.delete(oldest);
    }
    const token = randomBytes(16).toString('base64url');
    this.cursors.set(token, { request, ids, owner, expiresAt: this.now() + this.ttlMs });
    return token;
  }

  get(token: string, owner: string): Cursor | undefined {
    const cursor = this.cursors.get(token);
    if (!cursor || cursor.expiresAt < this.now() || cursor.owner !== owner) return undefined;
    return cursor;
  }

  clear(): void {
    this.cursors.clear();
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, cursor] of this.cursors) if (cursor.expiresAt < now) this.cursors.delete(token);
  }
}

// Short-lived server state (launches, pending standalone requests, codes, seen assertion ids). In memory:
// a sandbox restart ends every launch in progress, which is what a developer expects of a restart.
import { randomBytes } from 'node:crypto';

/** 256 bits from the CSPRNG, URL-safe: unguessable launch ids, request ids and codes. */
export function randomId(): string {
  return randomBytes(32).toString('base64url');
}

export class ExpiringStore<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(private readonly now: () => number) {}

  set(key: string, value: T, lifetimeMs: number): void {
    this.sweep();
    this.entries.set(key, { value, expiresAt: this.now() + lifetimeMs });
  }

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Removes and returns: what makes authorization codes single-use. */
  take(key: string): T | undefined {
    const value = this.get(key);
    this.entries.delete(key);
    return value;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}

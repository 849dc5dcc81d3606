// Bounded retries with exponential backoff and jitter (AWS Architecture Blog, "Exponential backoff and
// jitter": "full jitter"). Only for requests that are safe to repeat: reads and searches always; writes
// only when the caller marks them idempotent (conditional create, If-Match update), because a blind
// retry of a plain POST whose response was lost creates the resource twice.
import { abortedError, FhirError } from './errors';
import { toFhirError } from './clientGuards';

export interface RetryPolicy {
  /** Total attempts including the first; 1 disables retrying. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** No retry starts later than this many ms after the first attempt (issue 17 item 9: bounded by time, not only count). */
  maxTotalMs?: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 300, maxDelayMs: 5_000, maxTotalMs: 4_000 };

export interface RetryDeps {
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  /** Monotonic ms clock; default performance.now. */
  now?: () => number;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError());
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(abortedError());
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Delay before retry number `retry` (1-based): random in [0, min(max, base * 2^(retry-1))]. */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number, retryAfterSeconds?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const jittered = Math.round(random() * ceiling);
  // A server's Retry-After (429/503) is a floor, still bounded by maxDelayMs so a user never waits long.
  const floor = retryAfterSeconds === undefined ? 0 : Math.min(policy.maxDelayMs, retryAfterSeconds * 1000);
  return Math.max(jittered, floor);
}

export async function withRetry<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  deps: RetryDeps,
  signal?: AbortSignal,
): Promise<T> {
  const now = deps.now ?? (() => performance.now());
  const giveUpAt = policy.maxTotalMs === undefined ? Infinity : now() + policy.maxTotalMs;
  for (let n = 1; ; n++) {
    let error: FhirError;
    try {
      return await attempt();
    } catch (raw) {
      error = toFhirError(raw);
    }
    if (signal?.aborted) throw abortedError();
    if (!error.retryable || n >= policy.maxAttempts) throw error;
    const delay = backoffDelay(policy, n, deps.random, error.retryAfterSeconds);
    if (now() + delay >= giveUpAt) throw error;
    await deps.sleep(delay, signal);
  }
}

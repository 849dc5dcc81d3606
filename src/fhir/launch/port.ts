// The launch talks to the outside world only through this port (as smart-on-fhir/client-js does with
// its adapters), so unit tests drive it with an in-memory storage, a recorded redirect and msw.

/** The part of the Web Storage API we use; sessionStorage in the browser. */
export interface KeyValueStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface LaunchPort {
  /** Handshake data keyed by `state` only. Must be per-tab (sessionStorage), never localStorage. */
  storage: KeyValueStorage;
  fetch: typeof fetch;
  /** Leave the app for the authorization endpoint. */
  redirect(url: string): void;
  /** Replace the current history entry (removes `code`/`state` from the address bar). */
  replaceUrl(path: string): void;
  now(): number;
}

export function browserLaunchPort(): LaunchPort {
  return {
    storage: window.sessionStorage,
    fetch: (input, init) => window.fetch(input, init),
    redirect: (url) => window.location.assign(url),
    replaceUrl: (path) => window.history.replaceState(null, '', path),
    now: () => Date.now(),
  };
}

/** A storage for tests and for environments without sessionStorage. */
export function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    key: (index) => [...map.keys()][index] ?? null,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => {
      map.set(key, value);
    },
    removeItem: (key) => {
      map.delete(key);
    },
  };
}

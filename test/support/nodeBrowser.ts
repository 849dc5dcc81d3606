// A minimal browser for integration tests against the app server: a cookie jar (name -> value, as a
// browser keeps them per origin) and manual redirects, so every hop of the SMART launch is seen.
export class NodeBrowser {
  readonly cookies = new Map<string, string>();
  /** Every URL requested, in order (tests search them for secrets). */
  readonly urls: string[] = [];
  /** Every response body read (tests search them for secrets). */
  readonly bodies: string[] = [];

  constructor(private readonly appOrigin: string) {}

  private cookieHeader(url: URL): string | undefined {
    if (url.origin !== this.appOrigin || this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    this.urls.push(target.href);
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(target);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(target, { ...init, headers, redirect: 'manual' });
    if (target.origin === this.appOrigin) {
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = (pair ?? '').indexOf('=');
        const name = (pair ?? '').slice(0, eq).trim();
        const value = (pair ?? '').slice(eq + 1).trim();
        if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name);
        else this.cookies.set(name, value);
      }
    }
    return res;
  }

  async text(res: Response): Promise<string> {
    const body = await res.text();
    this.bodies.push(body);
    return body;
  }

  /** Follows redirects (like a browser's navigation) and returns the last response and its URL. */
  async navigate(url: string, maxHops = 10): Promise<{ res: Response; url: string }> {
    let current = url;
    for (let i = 0; i < maxHops; i++) {
      const res = await this.fetch(current);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { res, url: current };
      current = new URL(location, current).href;
    }
    throw new Error(`too many redirects from ${url}`);
  }
}

/** Runs the sandbox's direct launch through the app server; returns the tab's launch handle. */
export async function launchThroughServer(
  browser: NodeBrowser,
  sandboxOrigin: string,
  appOrigin: string,
  params: Record<string, string>,
): Promise<{ handle: string; finalUrl: string }> {
  const q = new URLSearchParams({ app: appOrigin, ...params });
  const { res, url } = await browser.navigate(`${sandboxOrigin}/launch?${q.toString()}`);
  const body = await browser.text(res);
  const handle = new URL(url).hash.match(/pht-handle=([^&]+)/)?.[1];
  if (!handle) throw new Error(`no handle after launch (${res.status} at ${url}): ${body.slice(0, 300)}`);
  return { handle, finalUrl: url };
}

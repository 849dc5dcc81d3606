// Launch and token security (issue "Reliability and security", point 3), in Chromium against the real
// sandbox EPJ and the built app: refusal of a server without PKCE S256 and of a forged `state`; no
// token anywhere a script, a later user or a log could find it; an ended session asks for a relaunch;
// a narrower grant degrades instead of failing; a relaunch with another patient in the same tab never
// shows the previous patient.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { Patient } from '@medplum/fhirtypes';
import { startEnv, type Env } from './harness';

let env: Env;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await env?.close();
});

interface LaunchParams {
  user: string;
  patient?: string;
  /** The launch page's "begrens til pasientkontekst" (sandbox/auth/launch-page.ts: patient_scopes). */
  patientScopes?: boolean;
  /** The launch page's "kort token-levetid" (short_token: 30 s). */
  shortToken?: boolean;
}

function sandboxLaunchUrl(p: LaunchParams): string {
  const q = new URLSearchParams({ user: p.user, app: env.app.origin });
  if (p.patient) q.set('patient', p.patient);
  if (p.patientScopes) q.set('patient_scopes', '1');
  if (p.shortToken) q.set('short_token', '1');
  return `${env.sandbox.origin}/launch?${q.toString()}`;
}

/** Launches and waits for either the shell (user role shown) or the error page. */
async function launch(page: Page, p: LaunchParams): Promise<'ready' | 'error'> {
  await page.goto(sandboxLaunchUrl(p));
  const shown = await page.waitForSelector('[data-testid="user-role"], .pht-error-page', { timeout: 30_000 });
  return (await shown.getAttribute('data-testid')) === 'user-role' ? 'ready' : 'error';
}

/** The EPJ's launch id for a launch of `p`, without opening the app (to hand it a different iss). */
async function launchId(p: LaunchParams): Promise<string> {
  const res = await fetch(sandboxLaunchUrl(p), { redirect: 'manual' });
  const id = new URL(res.headers.get('location') ?? 'http://x/').searchParams.get('launch');
  if (!id) throw new Error(`no launch id (${res.status})`);
  return id;
}

async function familyName(id: string): Promise<string> {
  const [p] = await env.sandbox.fhir.store.search<Patient>('Patient', { _id: id });
  const family = p?.name?.[0]?.family;
  if (!family) throw new Error(`no family name for ${id}`);
  return family;
}

async function errorText(page: Page): Promise<string> {
  return (await page.locator('.pht-error-page').textContent()) ?? '';
}

async function withPage<T>(run: (page: Page, ctx: BrowserContext) => Promise<T>): Promise<T> {
  const ctx = await env.newContext();
  try {
    return await run(await ctx.newPage(), ctx);
  } finally {
    await ctx.close();
  }
}

/** A proxy in front of the sandbox whose SMART discovery no longer offers S256 (only `plain`). */
async function startDowngradingProxy(): Promise<{ origin: string; close(): Promise<void> }> {
  const upstream = new URL(env.sandbox.origin);
  const server: Server = createServer((req, res) => {
    const out = httpRequest(
      { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } },
      (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          let body = Buffer.concat(chunks).toString('utf8');
          if ((req.url ?? '').includes('/.well-known/smart-configuration')) {
            const json: unknown = JSON.parse(body);
            body = JSON.stringify({ ...(typeof json === 'object' && json !== null ? json : {}), code_challenge_methods_supported: ['plain'] });
          }
          const headers = { ...up.headers };
          delete headers['content-length'];
          res.writeHead(up.statusCode ?? 502, headers);
          res.end(body);
        });
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

describe('the launch refuses what it must', () => {
  test('a server without PKCE S256 gets the Norwegian error page and never an authorization request', async () => {
    const proxy = await startDowngradingProxy();
    try {
      await withPage(async (page) => {
        const authorizeRequests: string[] = [];
        page.on('request', (r) => {
          if (r.url().includes('/auth/authorize')) authorizeRequests.push(r.url());
        });
        const id = await launchId({ user: 'nurse-1', patient: 'pat-00001' });
        await page.goto(`${env.app.origin}/launch?iss=${encodeURIComponent(`${proxy.origin}/fhir`)}&launch=${id}`);
        await page.locator('.pht-error-page').waitFor({ timeout: 30_000 });
        const text = await errorText(page);
        expect(text).toContain('Journalsystemet støtter ikke sikker pålogging');
        expect(text).toContain('PKCE med S256');
        expect(text).toContain('code_challenge_methods_supported: plain');
        expect(authorizeRequests).toEqual([]);
        await env.screenshot(page, 'security-no-s256');
      });
    } finally {
      await proxy.close();
    }
  });

  test('a forged state, or a real one from another tab, is refused and the code is never exchanged', async () => {
    await withPage(async (page, ctx) => {
      // Tab A runs a real launch up to the redirect back; the callback is captured, not delivered.
      let callback: string | undefined;
      // Playwright does not route redirects, so the authorize request is fetched here and its redirect
      // (to the app, with code and state) kept instead of followed.
      await page.route(
        (url) => url.pathname === '/auth/authorize',
        async (route) => {
          const response = await route.fetch({ maxRedirects: 0 });
          callback = response.headers()['location'];
          await route.fulfill({ status: 204, body: '' });
        },
      );
      await page.goto(sandboxLaunchUrl({ user: 'nurse-1', patient: 'pat-00001' })).catch(() => undefined);
      await expect.poll(() => callback, { timeout: 30_000 }).toBeDefined();
      const real = new URL(callback ?? '');
      expect(real.searchParams.get('code')).toBeTruthy();

      const tokenRequests: string[] = [];
      ctx.on('request', (r) => {
        if (r.url().includes('/auth/token')) tokenRequests.push(r.url());
      });
      const forged = new URL(real);
      forged.searchParams.set('state', 'forged-state-value');
      for (const url of [forged.href, real.href]) {
        // A new tab: its sessionStorage has no handshake for either state.
        const other = await ctx.newPage();
        await other.goto(url);
        await other.locator('.pht-error-page').waitFor({ timeout: 30_000 });
        expect(await errorText(other)).toContain('Påloggingen kunne ikke bekreftes');
        expect(other.url()).toBe(`${env.app.origin}/`); // code and state gone from the address bar
        await other.close();
      }
      expect(tokenRequests).toEqual([]);
    });
  });
});

describe('after a launch no token is left where it could be read', () => {
  test('not in localStorage, sessionStorage, cookies, the address, history entries, the DOM or the console', async () => {
    await withPage(async (page, ctx) => {
      const console: string[] = [];
      page.on('console', (m) => console.push(m.text()));
      page.on('pageerror', (e) => console.push(String(e)));
      const tokens: string[] = [];
      page.on('response', async (r) => {
        if (!r.url().includes('/auth/token') || r.request().method() !== 'POST') return;
        const json: unknown = await r.json().catch(() => undefined);
        for (const key of ['access_token', 'id_token', 'refresh_token']) {
          const value: unknown = typeof json === 'object' && json !== null ? Reflect.get(json, key) : undefined;
          if (typeof value === 'string') tokens.push(value);
        }
      });
      expect(await launch(page, { user: 'gp-1', patient: 'pat-00003' })).toBe('ready');
      await page.getByTestId('patient-banner').waitFor();
      expect(tokens.length).toBeGreaterThanOrEqual(1); // the check below is not vacuous

      const seen = await page.evaluate(() => ({
        local: Object.entries(localStorage),
        session: Object.entries(sessionStorage),
        cookie: document.cookie,
        href: location.href,
        html: document.documentElement.outerHTML,
        name: window.name,
      }));
      const cookies = await ctx.cookies();
      const cdp = await ctx.newCDPSession(page);
      const history = await cdp.send('Page.getNavigationHistory');
      const historyUrls = history.entries.map((e) => e.url);

      expect(seen.local).toEqual([]);
      // The handshake (verifier) is removed once the code is exchanged: nothing of the launch stays.
      expect(seen.session).toEqual([]);
      expect(seen.href).toBe(`${env.app.origin}/`);
      for (const url of historyUrls) expect(url).not.toMatch(/[?&]code=/);
      const haystacks = [JSON.stringify(seen), JSON.stringify(cookies), ...historyUrls, ...console];
      for (const token of tokens) {
        for (const hay of haystacks) expect(hay.includes(token), `token found in: ${hay.slice(0, 80)}`).toBe(false);
        // Not even the signature part, in case something logs a truncated token.
        const signature = token.split('.').at(-1) ?? token;
        for (const hay of haystacks) expect(hay.includes(signature)).toBe(false);
      }
    });
  });
});

describe('an ended session', () => {
  test('a short-lived token ends on a page that says to start the app again from the EPJ, without patient data', async () => {
    await withPage(async (page) => {
      const name = await familyName('pat-00006');
      await page.goto(sandboxLaunchUrl({ user: 'nurse-1', patient: 'pat-00006', shortToken: true }));
      await page.locator('.pht-error-page').waitFor({ timeout: 60_000 });
      const text = await errorText(page);
      expect(text.toLowerCase()).toContain('start appen på nytt fra journalen');
      expect(text).toContain('Økten er utløpt');
      expect(await page.locator('body').textContent()).not.toContain(name);
      await env.screenshot(page, 'security-expired');
    });
  });

  test('a normal token that runs out while the app is open: the shell is replaced by the relaunch page', async () => {
    await withPage(async (page) => {
      const name = await familyName('pat-00007');
      // The harness's context already runs Playwright's clock (from AS_OF 09:00): fast-forward it.
      expect(await launch(page, { user: 'nurse-1', patient: 'pat-00007' })).toBe('ready');
      await expect.poll(() => page.getByTestId('patient-banner').textContent()).toContain(name);
      await page.clock.fastForward('01:00:00');
      await page.locator('.pht-error-page').waitFor({ timeout: 30_000 });
      expect((await errorText(page)).toLowerCase()).toContain('start appen på nytt fra journalen');
      expect(await page.locator('body').textContent()).not.toContain(name);
    });
  });
});

describe('a narrower grant', () => {
  // With patient/ scopes the Practitioner and PractitionerRole are outside the patient's compartment
  // (403): the app starts anyway as a read-only "viewer" and says what it cannot do.
  test('patient-only scopes: the app starts, shows the patient, and says what is not available instead of failing', async () => {
    await withPage(async (page) => {
      const outcome = await launch(page, { user: 'nurse-1', patient: 'pat-00008', patientScopes: true });
      if (outcome === 'error') throw new Error(`launch with patient scopes failed: ${await errorText(page)}`);
      await page.getByTestId('patient-banner').waitFor();
      expect(await page.getByTestId('patient-banner').textContent()).toContain(await familyName('pat-00008'));
      await page.getByTestId('limited-access').waitFor();
      expect(await page.getByTestId('user-role').textContent()).toContain('Begrenset tilgang');
      await env.screenshot(page, 'security-patient-scopes');
    });
  });
});

describe('a relaunch in the same tab', () => {
  test('with a new patient never shows the previous patient, not even for a moment', async () => {
    await withPage(async (page) => {
      const [first, second] = [await familyName('pat-00004'), await familyName('pat-00005')];
      expect(first).not.toBe(second);
      // Every change of the page's text is reported to the test as it happens.
      // Each document tags its reports, so a late report from the page being left is told apart from
      // the new launch's pages.
      const snapshots: { doc: string; at: number; text: string }[] = [];
      await page.exposeBinding('__phtSnapshot', (_source, doc: string, text: string) => void snapshots.push({ doc, at: Date.now(), text }));
      await page.addInitScript(() => {
        const doc = crypto.randomUUID();
        const report = () => Reflect.get(window, '__phtSnapshot')?.(doc, document.body?.innerText ?? '');
        new MutationObserver(report).observe(document, { subtree: true, childList: true, characterData: true });
      });

      expect(await launch(page, { user: 'nurse-1', patient: 'pat-00004' })).toBe('ready');
      await expect.poll(() => page.getByTestId('patient-banner').textContent()).toContain(first);

      const oldDocs = new Set(snapshots.map((s) => s.doc));
      expect(snapshots.some((s) => s.text.includes(first))).toBe(true); // the observer does see names
      expect(await launch(page, { user: 'nurse-1', patient: 'pat-00005' })).toBe('ready');
      await expect.poll(() => page.getByTestId('patient-banner').textContent()).toContain(second);
      await page.waitForTimeout(500);

      const after = snapshots.filter((s) => !oldDocs.has(s.doc));
      expect(after.some((s) => s.text.includes(second))).toBe(true);
      expect(after.length).toBeGreaterThan(0);
      expect(after.filter((s) => s.text.includes(first)).map((s) => s.text.slice(0, 120))).toEqual([]);
      expect(await page.evaluate(() => Object.keys(sessionStorage))).toEqual([]);
    });
  });
});

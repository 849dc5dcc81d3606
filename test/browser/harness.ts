// Browser test harness: a real sandbox EPJ (port 0, temp data folder), the built app served statically,
// and Debian's Chromium driven by playwright-core. Screenshots go to test-results/screenshots/.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Sandbox } from '../../sandbox/app';
import { startAppServer, type TestAppServer } from '../support/appServer';
import { osloToday } from '../../sandbox/clock';

export const SCREENSHOT_DIR = 'test-results/screenshots';

export function chromiumPath(): string {
  const candidates = [process.env.PHT_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('Chromium mangler: kjør `apt-get install chromium` (eller sett PHT_CHROMIUM).');
  return found;
}

export interface Env {
  sandbox: Sandbox;
  app: TestAppServer;
  browser: Browser;
  today: string;
  newContext(): Promise<BrowserContext>;
  /** Opens the sandbox's direct launch URL for a user (and patient) and waits for the app to show it. */
  launch(page: Page, params: { user: string; patient?: string; patientScopes?: boolean; banner?: boolean }): Promise<void>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export function ensureBuilt(opts: { force?: boolean } = {}): void {
  if (existsSync('dist/index.html') && process.env.PHT_REBUILD !== '1' && !opts.force) return;
  // NODE_ENV=production: under vitest NODE_ENV is 'test', which would make Vite bundle React's
  // development build (bigger, slower, and not what is deployed).
  const r = spawnSync('vite', ['build', '--logLevel', 'warn'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) throw new Error('vite build feilet');
}

export async function startEnv(opts: { patients?: number } = {}): Promise<Env> {
  ensureBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'pht-browser-'));
  const today = osloToday();
  // Every browser test launches through the app server (issue 14), as a deployment does.
  const { app, sandbox } = await startAppServer({ dataDir, patients: opts.patients ?? 400, asOf: today });
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--lang=nb-NO'],
    headless: true,
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    sandbox,
    app,
    browser,
    today,
    newContext: () => browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nb-NO', timezoneId: 'Europe/Oslo' }),
    async launch(page, p) {
      const q = new URLSearchParams({ user: p.user, app: app.origin });
      if (p.patient) q.set('patient', p.patient);
      if (p.patientScopes) q.set('patient_scopes', '1');
      if (p.banner === false) q.set('banner', '0');
      await page.goto(`${sandbox.origin}/launch?${q.toString()}`);
      await page.waitForSelector('[data-testid="user-role"], .pht-error-page', { timeout: 30_000 });
    },
    async screenshot(page, name) {
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await browser.close();
      await sandbox.close();
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// Browser test harness: a real sandbox EPJ (port 0, temp data folder), the built app served statically,
// and Debian's Chromium driven by playwright-core. Screenshots go to test-results/screenshots/.
// Fixed clock and data (issue 13, point 3): the sandbox is seeded for AS_OF and every browser context runs
// Playwright's clock from AS_OF_TIME (Oslo), so the same view gives the same screenshot on any day and the
// tests can state deadlines, countdowns and counts written by hand from SPEC for that date.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { Sandbox, SandboxOptions } from '../../sandbox/app';
import { startAppServer, type TestAppServer } from '../support/appServer';
import { buildApp } from '../../scripts/build-app';

export const SCREENSHOT_DIR = 'test-results/screenshots';

/**
 * The browser tests' "today": Wednesday 25 November 2026, a working day in a week without Norwegian public
 * holidays (SPEC §2), so yesterday (Tue 24) and the next working days (Thu 26, Fri 27) are ordinary ones.
 */
export const AS_OF = '2026-11-25';
/** The browsers' clock starts at 09:00 Oslo time (CET, UTC+1 in November) on AS_OF and then runs normally. */
export const AS_OF_TIME = new Date('2026-11-25T09:00:00+01:00');
/**
 * Each new context of an environment starts its clock this much later than the one before (09:00, 09:05,
 * ...): time never runs backwards between the steps of a story told in several contexts (a task created in
 * one is older than an attempt logged in the next), and the times are the same on every run.
 */
export const CONTEXT_CLOCK_STEP_MS = 5 * 60_000;

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
  /** The seed's and the browsers' Oslo date: AS_OF unless startEnv was given another `asOf`. */
  today: string;
  /** Where the first context's clock starts (Playwright's clock, then running normally); see CONTEXT_CLOCK_STEP_MS. */
  clockStart: Date;
  /** A context with the Oslo locale, time zone and clock; `options` adds to (or overrides) them. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** Opens the sandbox's direct launch URL for a user (and patient) and waits for the app to show it. */
  launch(page: Page, params: { user: string; patient?: string; patientScopes?: boolean; banner?: boolean }): Promise<void>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/** Builds dist/ unless it matches the sources (the browser tier's globalSetup has normally done it). */
export function ensureBuilt(opts: { force?: boolean } = {}): void {
  buildApp({ ifStale: !opts.force });
}

/** `sandbox`: options passed to the sandbox, e.g. `load` (an EPJ-shaped bundle instead of the synthetic practice) or `epjProfile`. */
export async function startEnv(opts: { patients?: number; asOf?: string; clockStart?: Date; sandbox?: Partial<SandboxOptions> } = {}): Promise<Env> {
  ensureBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'pht-browser-'));
  const today = opts.asOf ?? AS_OF;
  const clockStart = opts.clockStart ?? (opts.asOf ? new Date(`${opts.asOf}T09:00:00+01:00`) : AS_OF_TIME);
  // Every browser test launches through the app server (issue 14), as a deployment does.
  const appEnv = await startAppServer({ dataDir, patients: opts.patients ?? 400, asOf: today, businessNow: clockStart, ...(opts.sandbox ? { sandbox: opts.sandbox } : {}) });
  const { app, sandbox } = appEnv;
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--lang=nb-NO'],
    headless: true,
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  let contexts = 0;
  return {
    sandbox,
    app,
    browser,
    today,
    clockStart,
    async newContext(options = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nb-NO', timezoneId: 'Europe/Oslo', ...options });
      const contextStart = new Date(clockStart.getTime() + contexts++ * CONTEXT_CLOCK_STEP_MS);
      await context.clock.install({ time: contextStart.getTime() });
      // The app server's dates follow the newest context's clock (never backwards).
      appEnv.advanceBusinessClock(contextStart);
      return context;
    },
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
      // `npm test` leaves the PNGs out (scripts/test-all.ts); the checks around each screenshot still run.
      if (process.env.PHT_SCREENSHOTS === '0') return path;
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

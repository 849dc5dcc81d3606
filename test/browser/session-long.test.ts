// A long working session in the browser (issue 14 item 7): launched through the app server in the
// HelseID-like profile (PAR, private_key_jwt, DPoP) with 30-second access tokens and refresh tokens that
// end 20 minutes after the login (the sandbox's refresh-token lifetime counts from the login, rotation keeps it). The app server and the sandbox EPJ share one test clock that the test moves forward (no sleeps), the browser's clock is moved by the same amount,
// so every step crosses an access-token expiry: the user keeps working (the patient panel loads its data
// again) because the app server refreshes the token, and when the refresh token has expired the next
// action ends on the Norwegian page that says to start the app again from the journal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Patient } from '@medplum/fhirtypes';
import { startAppServer, type AppServerEnv } from '../support/appServer';
import { AS_OF, AS_OF_TIME, chromiumPath, ensureBuilt, SCREENSHOT_DIR } from './harness';

const MINUTE = 60_000;
/** The panel has loaded its data: target groups and today's charges (below any follow-up). */
const PANEL_READY = '[data-testid="target-groups"][data-ready="true"] ~ * [data-testid="todays-charges"][data-ready="true"]';
const PATIENT = 'pat-00021';

let clock = AS_OF_TIME.getTime();
const now = () => clock;
let env: AppServerEnv;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  ensureBuilt();
  dataDir = mkdtempSync(join(tmpdir(), 'pht-session-long-'));
  env = await startAppServer({ dataDir, asOf: AS_OF, patients: 100, now, sandbox: { now } });
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--lang=nb-NO'],
  });
});

afterAll(async () => {
  await browser?.close();
  await env?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const count = (line: string) => env.app.log.filter((l) => l === line).length;
/** Reads the app server forwarded to the EPJ and got answered (its audit lines). */
// The panel's reads the app server answered from the EPJ (the patient's target-group facts are read live from
// the journal, through the proxy or the panel's one answer), counted as the page saw them succeed.
let epjReads = 0;
const EPJ_READ = /\/(api\/target-groups\/patients\/|api\/panel\/|fhir\/)/;
const proxiedReads = () => epjReads;

async function showView(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('button', { name: label, exact: true }).click();
}

describe('a long session in the browser', () => {
  test('survives several access-token expiries by refresh, and ends on the relaunch page once the refresh token has expired', async () => {
    const [patient] = await env.sandbox.fhir.store.search<Patient>('Patient', { _id: PATIENT });
    const family = patient?.name?.[0]?.family ?? '';
    expect(family).not.toBe('');
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'nb-NO', timezoneId: 'Europe/Oslo' });
    await context.clock.install({ time: clock });
    const page = await context.newPage();
    // Requests the page has in flight: the test clock moves only when none is, as real time never jumps
    // minutes in the middle of a request (a view left behind may still be finishing its reads).
    let inFlight = 0;
    page.on('request', () => void inFlight++);
    page.on('requestfinished', () => void inFlight--);
    page.on('requestfailed', () => void inFlight--);
    page.on('response', (r) => {
      if (r.request().method() === 'GET' && r.status() === 200 && EPJ_READ.test(new URL(r.url()).pathname)) epjReads++;
    });
    const settled = () => expect.poll(() => inFlight, { timeout: 60_000 }).toBe(0);
    try {
      const q = new URLSearchParams({ user: 'nurse-1', patient: PATIENT, profile: 'helseid', short_token: '1', refresh_lifetime: '1200', app: env.app.origin });
      await page.goto(`${env.sandbox.origin}/launch?${q.toString()}`);
      await page.waitForSelector(PANEL_READY, { timeout: 60_000 });
      expect(await page.getByTestId('patient-banner').textContent()).toContain(family);
      const [launch] = (await env.app.launches()).filter((l) => l.patient === PATIENT);
      // The premise: a DPoP-bound token that lives 30 s, and a refresh token.
      expect(launch?.token.dpop).toBe(true);
      expect(((launch?.token.expiresAt ?? 0) - clock) / 1000).toBe(30);
      expect(launch?.token.refreshToken).toBeTruthy();
      const firstAccessToken = launch?.token.accessToken;

      // Three steps of work, 5 minutes apart: each one well past the last access token's expiry (30 s) and
      // within the refresh token's 20 minutes. The nurse looks at her work list and back at the patient.
      for (let step = 1; step <= 3; step++) {
        await settled();
        clock += 5 * MINUTE;
        const refreshed = count('[session] token refreshed');
        const reads = proxiedReads();
        // The browser's clock moves with the test clock (its caches' ages are real time in a working day):
        // what the panel reads again does not depend on how long the machine took to get here.
        await page.clock.fastForward(5 * MINUTE);
        await showView(page, 'Arbeidsliste');
        await showView(page, 'Pasient');
        // Wait for the events this step proves, not for the panel alone: the panel may show its cached data
        // (data-ready) before its reads reach the app server, and on a loaded machine those reads, and so the
        // refresh, come later. First the refresh, then every read of the step has finished, then the panel.
        await expect.poll(() => count('[session] token refreshed') - refreshed, { timeout: 60_000, message: `step ${step}: no refresh` }).toBeGreaterThan(0);
        await settled();
        await page.waitForSelector(PANEL_READY, { timeout: 60_000 });
        expect(await page.getByTestId('patient-banner').textContent(), `step ${step}`).toContain(family);
        expect(await page.locator('.pht-error-page').count(), `step ${step}`).toBe(0);
        // One refresh per step (never one per parallel read), and the panel's data came from the EPJ again.
        expect(count('[session] token refreshed') - refreshed, `step ${step}`).toBe(1);
        expect(proxiedReads() - reads, `step ${step}`).toBeGreaterThan(0);
      }
      const [later] = (await env.app.launches()).filter((l) => l.patient === PATIENT);
      expect(later?.token.accessToken).not.toBe(firstAccessToken);
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'session-long-after-refreshes.png'), fullPage: true });

      // Away from the desk for 11 minutes (less than the app server's 30-minute idle timeout): 26 minutes
      // after the login the refresh token has expired, so the next action cannot get a new access token.
      await settled();
      clock += 11 * MINUTE;
      const failedBefore = env.app.log.filter((l) => l.startsWith('[session] refresh failed')).length;
      await page.clock.fastForward(11 * MINUTE);
      await showView(page, 'Arbeidsliste');
      await page.locator('.pht-error-page').waitFor({ timeout: 30_000 });
      const text = (await page.locator('.pht-error-page').textContent()) ?? '';
      expect(text).toContain('Økten er utløpt');
      expect(text).toContain('tilgangen fra journalsystemet er utløpt og kunne ikke fornyes');
      expect(text).toContain('start appen på nytt fra journalen');
      expect(await page.locator('body').textContent()).not.toContain(family);
      expect(env.app.log.filter((l) => l.startsWith('[session] refresh failed')).length - failedBefore).toBe(1);
      expect(await page.evaluate(() => Object.keys(sessionStorage))).toEqual([]);
      for (const width of [1366, 1024]) {
        await page.setViewportSize({ width, height: 700 });
        await page.screenshot({ path: join(SCREENSHOT_DIR, `session-long-ended-${width}.png`), fullPage: true });
      }
      // A reload does not bring the app back: the tab has no launch any more, only a launch from the journal does.
      await page.reload();
      await page.locator('.pht-error-page').waitFor({ timeout: 30_000 });
      expect(await page.locator('.pht-error-page').textContent()).toContain('Appen er ikke startet fra journalen');
      expect(await page.locator('body').textContent()).not.toContain(family);
    } catch (error) {
      // What the app server saw, for a failure's report (it never logs a token).
      console.error(env.app.log.slice(-40).join('\n'));
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'session-long-failure.png'), fullPage: true });
      throw error;
    } finally {
      await context.close();
    }
  });
});

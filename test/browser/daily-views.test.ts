// Issue 17 items 11 and 12: every view of every role, in a US-English browser, at 1366x700 and
// 1024x700 (the app inside an EPJ window): dates read dd.mm.åååå (never mm/dd/yyyy), the page does not
// scroll sideways, and a cell cut with an ellipsis has a tooltip with the full text. A screenshot of
// each view at both sizes goes to test-results/screenshots/daily-*.png.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { startEnv, type Env } from './harness';

let env: Env;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await env?.close();
});

const ROLES = [
  { user: 'gp-1', patient: 'pat-00001' },
  { user: 'gp-2', patient: undefined }, // daglig leder
  { user: 'nurse-1', patient: 'pat-00002' },
  { user: 'nurse-1', patient: undefined },
  { user: 'secretary-1', patient: undefined },
] as const;
const WIDTHS = [1366, 1024] as const;

async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('.pht-loading') === null, undefined, { timeout: 60_000 });
}

/** What makes a view hard to use at this width. */
function problems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${window.innerWidth})`);
    const us = /\b(0?[1-9]|1[0-2])\/(0?[1-9]|[12]\d|3[01])\/\d{4}\b/.exec(document.body.innerText);
    if (us) out.push(`a US date: ${us[0]}`);
    for (const cell of document.querySelectorAll<HTMLElement>('[role="cell"], [role="columnheader"]')) {
      cell.dispatchEvent(new MouseEvent('mouseover', { bubbles: true })); // as a user pointing at it
      if (cell.scrollWidth > cell.clientWidth + 1 && !cell.title) out.push(`cut without tooltip: ${cell.innerText.slice(0, 40)}`);
    }
    for (const input of document.querySelectorAll('input[type="date"], input[type="datetime-local"], input[type="month"]')) out.push(`a locale-dependent input: ${input.outerHTML.slice(0, 80)}`);
    return out;
  });
}

describe('every view at 1366 and 1024 px, en-US browser', () => {
  for (const role of ROLES) {
    test(`${role.user}${role.patient ? ` with ${role.patient}` : ''}`, async () => {
      const ctx = await env.browser.newContext({ viewport: { width: 1366, height: 700 }, locale: 'en-US', timezoneId: 'Europe/Oslo' });
      const page = await ctx.newPage();
      await env.launch(page, { user: role.user, patient: role.patient });
      await settled(page);
      const items = await page.locator('nav[aria-label="Hovedmeny"] button').allTextContents();
      expect(items.length).toBeGreaterThan(0);
      const report: string[] = [];
      for (const item of items) {
        await page.locator('nav[aria-label="Hovedmeny"] button', { hasText: item }).click();
        await settled(page);
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: 700 });
          const name = `daily-${role.user}${role.patient ? '-patient' : ''}-${item.toLowerCase().replace(/[^a-zæøå0-9]+/g, '-')}-${width}`;
          await env.screenshot(page, name);
          for (const p of await problems(page)) report.push(`[${item} @${width}] ${p}`);
        }
        await page.setViewportSize({ width: 1366, height: 700 });
      }
      expect(report.join('\n'), report.join('\n')).toBe('');
      await ctx.close();
    }, 240_000);
  }
});

// Accessibility (issue "Reliability and security", point 6): every role's launch, every view in its
// menu, and the launch error page, checked with axe-core (serious/critical = fail); and the shell
// operated by keyboard alone: skip link first, every menu item reachable with Tab and opened with Enter.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { startEnv, type Env } from './harness';
import { formatViolations, seriousViolations } from './axe';

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

async function menuItems(page: Page): Promise<string[]> {
  return page.locator('nav[aria-label="Hovedmeny"] button').allTextContents();
}

/** Waits until no view is loading (Suspense fallback or the launch's spinner). */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('.pht-loading') === null, undefined, { timeout: 30_000 });
}

describe('axe: no serious or critical violations', () => {
  for (const role of ROLES) {
    test(`${role.user}${role.patient ? ` with ${role.patient}` : ''}: every view in the menu`, async () => {
      const ctx = await env.newContext();
      const page = await ctx.newPage();
      await env.launch(page, { user: role.user, patient: role.patient });
      await settled(page);
      const items = await menuItems(page);
      expect(items.length).toBeGreaterThan(0);
      const report: string[] = [];
      for (const item of items) {
        await page.locator('nav[aria-label="Hovedmeny"] button', { hasText: item }).click();
        await settled(page);
        const violations = await seriousViolations(page);
        if (violations.length > 0) report.push(`[${item}]\n${formatViolations(violations)}`);
      }
      expect(report.join('\n'), report.join('\n')).toBe('');
      await ctx.close();
    });
  }

  test('the error page of an app opened outside the EPJ', async () => {
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await page.goto(env.app.origin);
    await page.getByRole('alert').waitFor();
    const violations = await seriousViolations(page);
    expect(violations, formatViolations(violations)).toEqual([]);
    await ctx.close();
  });

  test('the checker finds a real violation (it is not vacuous)', async () => {
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await page.goto(env.app.origin);
    await page.getByRole('alert').waitFor();
    await page.evaluate(() => {
      const img = document.createElement('img'); // no alt: axe "image-alt", critical
      img.src = '/favicon.svg';
      document.body.append(img);
      const button = document.createElement('button'); // no accessible name: axe "button-name", critical
      document.body.append(button);
    });
    const ids = (await seriousViolations(page)).map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['image-alt', 'button-name']));
    await ctx.close();
  });
});

interface Focused {
  tag: string;
  text: string;
  testid: string | null;
  outline: string;
}

async function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!(el instanceof HTMLElement)) return { tag: 'none', text: '', testid: null, outline: '' };
    const style = getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      text: (el.textContent ?? '').trim().slice(0, 60),
      testid: el.getAttribute('data-testid'),
      outline: `${style.outlineStyle} ${style.outlineWidth} ${style.boxShadow}`,
    };
  });
}

/** Puts the sequential focus starting point at the top of the page, as a fresh page load does. */
async function focusDocumentStart(page: Page): Promise<void> {
  await page.evaluate(() => {
    const body = document.body;
    body.setAttribute('tabindex', '-1');
    body.focus();
    body.removeAttribute('tabindex');
  });
}

describe('keyboard only', () => {
  test('skip link first; every menu item reachable by Tab, with a visible focus, and opened with Enter', async () => {
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await env.launch(page, { user: 'nurse-1', patient: 'pat-00002' });
    await settled(page);
    const items = await menuItems(page);
    expect(items.length).toBeGreaterThanOrEqual(2);

    await page.waitForLoadState('networkidle');
    await focusDocumentStart(page);
    await page.keyboard.press('Tab');
    const first = await focused(page);
    expect(first.text).toBe('Hopp til hovedinnhold');

    const seen: Focused[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const now = await focused(page);
      if (now.tag === 'body' || now.tag === 'none') break;
      seen.push(now);
      if (seen.filter((s) => s.text === now.text && s.tag === now.tag).length > 1) break;
    }
    for (const item of items) {
      const reached = seen.find((s) => s.tag === 'button' && s.text === item);
      expect(reached, `menyvalget «${item}» nås ikke med Tab`).toBeDefined();
      expect(reached?.outline, `menyvalget «${item}» har ikke synlig fokus`).not.toMatch(/^none 0px none$/);
    }

    // Enter on the last menu item opens it (aria-current moves there).
    const target = items[items.length - 1] ?? '';
    const button = page.locator('nav[aria-label="Hovedmeny"] button', { hasText: target });
    await button.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => button.getAttribute('aria-current')).toBe('page');

    // The skip link moves focus to the main content.
    await focusDocumentStart(page);
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe('Hopp til hovedinnhold');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
    await ctx.close();
  });
});

// Årskontroll end to end (issue 17 items 18 and 21): a nurse opens the recall list (read by the app server
// from the sandbox EPJ), finds a patient by name without «ø» and by birth date, moves him through innkalt ->
// time bestilt -> gjennomført, and sees his check recorded with her name; the recall list and the nurse's
// call list print on A4 without the app's chrome. Screenshots of the view and the print layouts at 1366 and
// 1024 px, the print emulation at A4 width, and PDFs from Chromium.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SCREENSHOT_DIR, startEnv, type Env } from './harness';

let env: Env;

beforeAll(async () => {
  env = await startEnv({ patients: 400 });
});
afterAll(async () => {
  await env?.close();
});

/**
 * From the fixed seed (seed 1, 400 patients, as of 2026-11-25; see test/browser/target-groups.test.ts):
 * Øyvind Terje Jacobsen, born 03.07.1950, has diabetes (T90) and KOLS (R95), both default recall groups,
 * and no yearly check is recorded in a fresh database, so he is due now.
 */
const PATIENT = { name: 'Øyvind Terje Jacobsen', born: '03.07.1950' };
/** 25.11.2026, the harness's AS_OF, as the UI writes it. */
const TODAY = '25.11.2026';
/** A4 portrait less the 12 mm margins of the print stylesheet: 186 mm at 96 px per inch. */
const A4_CONTENT_PX = Math.floor((186 / 25.4) * 96);

const rowOf = (page: Page, name: string) => page.getByTestId('recall-table').getByRole('row', { name: new RegExp(`^${name},`) });

async function nav(page: Page, label: string) {
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('button', { name: label, exact: true }).click();
}

/** Buttons in the table that do not fit their cell (cut off at the cell's edge). */
async function cutButtons(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="recall-table"] [role="cell"] button')]
      .filter((b) => b.getBoundingClientRect().right > (b.closest('[role="cell"]')?.getBoundingClientRect().right ?? 0) + 1)
      .map((b) => b.textContent ?? ''),
  );
}

async function noSidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** In print: what shows of the app's chrome, and how wide the sheet's table is against the page. */
async function printFacts(page: Page, sheet: string) {
  return page.evaluate((testId) => {
    const visible = (el: Element | null) => !!el && getComputedStyle(el).display !== 'none' && (el as HTMLElement).offsetParent !== null;
    const shown = (selector: string) => [...document.querySelectorAll(selector)].filter(visible).length;
    const s = document.querySelector(`[data-testid="${testId}"]`);
    const table = s?.querySelector('table');
    return {
      sheet: visible(s),
      nav: shown('nav'),
      header: shown('.pht-header'),
      buttons: shown('button'),
      inputs: shown('input, select'),
      tableWidth: table ? Math.ceil(table.getBoundingClientRect().width) : -1,
      pageWidth: document.documentElement.clientWidth,
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      // Cells whose text runs out of them (e.g. a phone number wider than its column).
      cutCells: [...(table?.querySelectorAll('td, th') ?? [])].filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent ?? ''),
      practice: s?.querySelector('.pht-print-practice')?.textContent ?? '',
      meta: s?.querySelector('.pht-print-meta')?.textContent ?? '',
    };
  }, sheet);
}

async function printShots(page: Page, sheet: string, name: string) {
  // «Skriv ut» waits until the practice's name has been read (the sheet's header); the user prints then.
  const button = page.getByTestId(sheet.replace(/-sheet$/, ''));
  await expect.poll(() => button.isEnabled(), { timeout: 30_000 }).toBe(true);
  await page.emulateMedia({ media: 'print' });
  for (const width of [1366, 1024, A4_CONTENT_PX]) {
    await page.setViewportSize({ width, height: 900 });
    const facts = await printFacts(page, sheet);
    expect(facts.sheet, `${name} @${width}: the sheet shows in print`).toBe(true);
    expect({ nav: facts.nav, header: facts.header, buttons: facts.buttons, inputs: facts.inputs }, `${name} @${width}: no chrome in print`).toEqual({ nav: 0, header: 0, buttons: 0, inputs: 0 });
    expect(facts.tableWidth, `${name} @${width}: the table fits the page`).toBeLessThanOrEqual(facts.pageWidth);
    expect(facts.overflow, `${name} @${width}: no sideways overflow`).toBeLessThanOrEqual(0);
    expect(facts.cutCells, `${name} @${width}: every cell holds its text`).toEqual([]);
    expect(facts.practice).toBe('Torshov legesenter (primærhelseteam)');
    expect(facts.meta).toContain(`Dato ${TODAY}`);
    await env.screenshot(page, `${name}-print-${width === A4_CONTENT_PX ? 'a4' : width}`);
  }
  // Chromium's own A4 rendering of the print stylesheet.
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  const path = join(SCREENSHOT_DIR, `${name}.pdf`);
  writeFileSync(path, pdf);
  expect(readFileSync(path).subarray(0, 5).toString()).toBe('%PDF-');
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 1366, height: 900 });
}

describe('Årskontroll: the recall list', () => {
  it('the nurse searches, moves a patient through innkalt, time bestilt and gjennomført, and prints the list', async () => {
    const ctx = await env.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    await env.launch(page, { user: 'nurse-1' });
    const nurseName = (await page.locator('.pht-user-name').textContent())?.trim() ?? '';
    expect(nurseName).not.toBe('');
    await nav(page, 'Årskontroll');
    await page.getByTestId('recall-table').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('recall-summary').textContent()).toMatch(/^\d+ pasienter: \d+ forfalt, \d+ skal kalles inn nå\.$/);

    for (const width of [1366, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await noSidewaysScroll(page), `recall list @${width}: no sideways scroll`).toBeLessThanOrEqual(0);
      expect(await cutButtons(page), `buttons @${width}`).toEqual([]);
      await env.screenshot(page, `recall-${width}`);
    }
    await page.setViewportSize({ width: 1366, height: 900 });

    // Search: the name typed without ø, then the birth date as dd.mm.åååå.
    const search = page.getByRole('searchbox', { name: 'Søk etter pasient (navn eller fødselsdato)' });
    await search.fill('oyvind jacobsen');
    await rowOf(page, PATIENT.name).waitFor();
    expect(await page.getByTestId('recall-table').getByRole('row').count()).toBe(2); // header + him
    await search.fill(PATIENT.born);
    await rowOf(page, PATIENT.name).waitFor();
    const row = rowOf(page, PATIENT.name);
    await expect.poll(() => row.getByTestId('recall-state').getAttribute('data-state')).toBe('Ikke innkalt');
    await expect.poll(() => row.textContent()).toContain('Ingen'); // no check recorded

    // innkalt (today) -> time bestilt (the appointment's date) -> gjennomført (today).
    await row.getByRole('button', { name: `Innkalt: ${PATIENT.name}` }).click();
    await expect.poll(() => row.getByTestId('recall-state').getAttribute('data-state')).toBe(`Innkalt ${TODAY}`);
    // The widest row: «Time bestilt» and «Gjennomført» side by side.
    for (const width of [1366, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await cutButtons(page), `buttons @${width}`).toEqual([]);
      expect(await noSidewaysScroll(page), `recall list @${width}: no sideways scroll`).toBeLessThanOrEqual(0);
      await env.screenshot(page, `recall-called-${width}`);
    }
    await page.setViewportSize({ width: 1366, height: 900 });
    await row.getByRole('button', { name: `Time bestilt: ${PATIENT.name}` }).click();
    const form = page.getByRole('form', { name: `Time bestilt for ${PATIENT.name}` });
    await form.getByLabel('Dato for timen').fill('01.12.2026');
    await env.screenshot(page, 'recall-booking-1366');
    await form.getByRole('button', { name: 'Lagre' }).click();
    await expect.poll(() => row.getByTestId('recall-state').getAttribute('data-state')).toBe('Time bestilt 01.12.2026');
    await row.getByRole('button', { name: `Gjennomført: ${PATIENT.name}` }).click();
    await expect.poll(() => page.getByTestId('recall-saved').textContent()).toBe(`Lagret: ${PATIENT.name}: gjennomført ${TODAY}. Neste årskontroll om tolv måneder.`);
    // Checked today: no longer due, so off the list until «Vis også dem som ikke har forfalt».
    await expect.poll(() => rowOf(page, PATIENT.name).count()).toBe(0);
    await page.getByTestId('recall-all').check();
    await rowOf(page, PATIENT.name).waitFor({ timeout: 60_000 });
    const checked = rowOf(page, PATIENT.name);
    await expect.poll(() => checked.textContent()).toContain(`${TODAY}${nurseName}`);
    await expect.poll(() => checked.getByTestId('recall-urgency').textContent()).toBe('Ikke forfalt');
    await expect.poll(() => checked.textContent()).toContain('25.11.2027');
    await page.getByTestId('recall-all').uncheck();
    await search.fill('');
    await page.getByTestId('recall-table').waitFor();

    await printShots(page, 'recall-print-sheet', 'recall');
    await ctx.close();
  });

  it("the nurse's day: the worklist prints as a call list", async () => {
    const ctx = await env.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    await env.launch(page, { user: 'nurse-1' });
    await nav(page, 'Arbeidsliste');
    await page.getByTestId('worklist-summary').waitFor({ timeout: 60_000 });
    await page.getByTestId('worklist-print').waitFor();
    for (const width of [1366, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await noSidewaysScroll(page), `worklist @${width}: no sideways scroll`).toBeLessThanOrEqual(0);
      await env.screenshot(page, `worklist-${width}`);
    }
    await page.setViewportSize({ width: 1366, height: 900 });
    const sheet = page.getByTestId('worklist-print-sheet');
    const headers = await sheet.locator('th').allTextContents();
    expect(headers).toEqual(['Pasient', 'Født', 'Telefon', 'Årsak', 'Frist', 'Notat']);
    await printShots(page, 'worklist-print-sheet', 'worklist');
    await ctx.close();
  });

  it('the secretary sees who is due without the disease groups, and may call in and book but not record the check', async () => {
    const ctx = await env.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    await env.launch(page, { user: 'secretary-1' });
    await nav(page, 'Årskontroll');
    await page.getByTestId('recall-table').waitFor({ timeout: 60_000 });
    const headers = await page.getByTestId('recall-table').getByRole('columnheader').allTextContents();
    expect(headers).toEqual(['Pasient', 'Siste kontroll', 'Forfall', 'Status', 'Registrer']);
    expect(await page.getByTestId('recall-table').getByRole('button', { name: /^Gjennomført/ }).count()).toBe(0);
    expect(await page.getByLabel('Gruppe').count()).toBe(0);
    expect(await page.getByText(/Diabetes|KOLS|Hjertesvikt/).count()).toBe(0);
    for (const width of [1366, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await noSidewaysScroll(page), `secretary @${width}: no sideways scroll`).toBeLessThanOrEqual(0);
      expect(await cutButtons(page), `secretary buttons @${width}`).toEqual([]);
      await env.screenshot(page, `recall-secretary-${width}`);
    }
    await ctx.close();
  });
});

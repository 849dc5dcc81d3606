// Financing (issue 18 items 1-5): the daglig leder (gp-2) opens "Finansiering" in the manager view, saves
// the practice inputs (practice settings on the app server: seen again in another browser), reads model A's
// nurse funding, the pilot grants and the guarantee and model B as a comparison (the evaluation export is in
// the «Eksport» tab: test/browser/manager.test.ts);
// every amount opens its explanation by mouse and by keyboard. Screenshots at 1366 and 1024 px
// (test-results/screenshots/financing-*.png).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerContact } from '../../server/features/contact-copay/store';
import { formatViolations, seriousViolations } from './axe';
import { startEnv, type Env } from './harness';

let env: Env;

beforeAll(async () => {
  env = await startEnv();
  // Two nurse contacts today in the app's database (charges are its own rows): S2a (honorar 152, bears the
  // egenandel) and S1b (honorar 95) for one patient.
  const actor = { practiceId: 'Organization/org-practice', user: 'Practitioner/nurse-1', role: 'nurse' as const, iss: env.app.registry.entries[0]?.iss ?? '', chargeItems: false, gpChargesVisible: true };
  for (const [i, code, time] of [[0, 'S2a', '09:00'], [1, 'S1b', '10:00']] as const) {
    const saved = await registerContact(
      env.app.db,
      actor,
      { id: `00000000-0000-4000-c000-00000000000${i}`, patientId: 'pat-00010', start: `${env.today}T${time}:00+01:00`, kind: 'simple', channel: 'phone', lines: [{ code, quantity: 1 }], patient: { birthDate: '1960-05-01' } },
      new Date(`${env.today}T${time}:30+01:00`),
    );
    expect(saved.ok).toBe(true);
  }
});
afterAll(async () => {
  await env?.close();
});

async function openFinancing(page: Page): Promise<void> {
  await env.launch(page, { user: 'gp-2' });
  await page.getByRole('tab', { name: /Finansiering/ }).click({ timeout: 60_000 });
  await page.getByTestId('financing').waitFor();
}

async function setInput(page: Page, key: string, value: string): Promise<void> {
  const field = page.getByTestId(`input-${key}`);
  await field.fill(value);
}

/** Saves the inputs as practice settings and waits for the app server's answer. */
async function saveInputs(page: Page): Promise<void> {
  await page.getByTestId('save-financing-inputs').click();
  await page.getByText('Forutsetningene er lagret og gjelder for hele praksisen.').waitFor();
}

/** Text with nb-NO's no-break and narrow no-break spaces as plain spaces. */
async function text(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).textContent()) ?? '').replace(/[\u00a0\u202f]/g, ' ');
}

describe('financing view', () => {
  it('shows model A, the pilot grants, the guarantee and model B, each amount explained', async () => {
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 1366, height: 900 });
    await openFinancing(page);

    await page.getByText('Forutsetninger (praksisinnstillinger)').click();
    await setInput(page, 'nursePositions', '1,5');
    await setInput(page, 'gpPositions', '2');
    await saveInputs(page);
    // Hand-computed from ch. 6: 50 % x 810 000 x 1,5 = 607 500; 128 000 x 2 = 256 000; municipality max(100 000, 50 000).
    await expect(text(page, 'fig-a-grant-year')).resolves.toBe('607 500 kr');
    await expect(text(page, 'fig-p-practice')).resolves.toBe('256 000 kr');
    await expect(text(page, 'fig-p-municipality')).resolves.toBe('100 000 kr');
    // Tariff income incl. egenandel so far this year: the two nurse charges made here, 152 + 95 kr.
    await expect(text(page, 'fig-a-tariff')).resolves.toBe('247 kr');

    // A bad value names the field and is neither saved nor applied.
    await setInput(page, 'agreedNurseCostPerPosition', 'mye');
    await page.getByText('«Avtalt sykepleierkostnad per hel stilling (kr)» må være et tall').waitFor();
    await page.getByTestId('save-financing-inputs').click();
    await page.getByText('Rett feltene som er merket, og lagre på nytt.').waitFor();
    await expect(text(page, 'fig-a-grant-year')).resolves.toBe('607 500 kr');
    await setInput(page, 'agreedNurseCostPerPosition', '810 000');

    await expect(page.getByTestId('guarantee-missing').isVisible()).resolves.toBe(true);
    await setInput(page, 'prePilotIncome', '1 000 000');
    await saveInputs(page);
    await page.getByTestId('guarantee-band').waitFor();
    await expect(text(page, 'guarantee-band')).resolves.toContain('900 000 kr–1 100 000 kr');
    await expect(text(page, 'fig-g-compensation')).resolves.toContain('(anslag)');

    // Model B as a comparison for a model-A practice; the source's Table 3 figures beside ours.
    const table = await text(page, 'model-b-table');
    expect(table).toContain('1 316 kr(185–3 299 kr)');
    expect(table).toContain('1 933 kr');
    expect(await page.getByRole('heading', { name: 'Sammenligning: hva ville modell B gitt?' }).isVisible()).toBe(true);

    // Item 5: a click shows the formula, the inputs and the source.
    await page.getByTestId('fig-a-grant-year').click();
    const explain = page.getByTestId('explain-a-grant-year');
    await explain.waitFor({ state: 'visible' });
    const shown = ((await explain.textContent()) ?? '').replace(/[\u00a0\u202f]/g, ' ');
    expect(shown).toContain('50 % av avtalt sykepleierkostnad');
    expect(shown).toContain('810 000 kr');
    expect(shown).toContain('Kap. 6.1.1 og 6.1.4');
    await env.screenshot(page, 'financing-1366-explain');
    await page.keyboard.press('Escape');
    await explain.waitFor({ state: 'hidden' });

    // ... and by keyboard.
    await page.getByTestId('fig-p-practice').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('explain-p-practice').waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await page.getByTestId('explain-p-practice').waitFor({ state: 'hidden' });

    const violations = await seriousViolations(page);
    expect(violations, formatViolations(violations)).toEqual([]);
    await env.screenshot(page, 'financing-1366');
    await page.setViewportSize({ width: 1024, height: 900 });
    await env.screenshot(page, 'financing-1024');
    // At 1024 px the page does not scroll sideways (the wide table scrolls inside its box).
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);

    // Item 1: the inputs are practice settings: another browser (a fresh context) sees what was saved.
    const other = await env.newContext();
    const second = await other.newPage();
    await openFinancing(second);
    await second.getByText('Forutsetninger (praksisinnstillinger)').click();
    await expect(second.getByTestId('input-nursePositions').inputValue()).resolves.toBe('1,5');
    await expect(second.getByTestId('input-prePilotIncome').inputValue()).resolves.toBe('1000000');
    await expect(text(second, 'fig-a-grant-year')).resolves.toBe('607 500 kr');
    await expect(text(second, 'fig-p-practice')).resolves.toBe('256 000 kr');
    await other.close();

    // Model B practice: model B first, no comparison heading.
    // The model is a practice setting on the app server: the daglig leder saves it, and the view follows.
    await page.getByTestId('financing-model').selectOption('B');
    await page.getByTestId('save-settings').click();
    await page.getByRole('heading', { name: 'Modell B: driftstilskudd' }).waitFor();
    await expect(page.getByTestId('financing-model-a').count()).resolves.toBe(0);
    await env.screenshot(page, 'financing-1024-model-b');
    await ctx.close();
  });
});

// Practice settings in Chromium (issue 15 item 5): the daglig leder saves them in the manager view; a second
// browser context (another tab or machine) opens with them in force; a bad date gets the server's Norwegian
// message naming the field, and nothing is saved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startEnv, type Env } from './harness';

let env: Env;
beforeAll(async () => {
  env = await startEnv({ patients: 50 });
});
afterAll(async () => env?.close());

async function openSettings(): Promise<Page> {
  const page = await (await env.newContext()).newPage();
  await env.launch(page, { user: 'gp-2' });
  await page.getByTestId('financing-model').waitFor({ timeout: 60_000 });
  return page;
}

describe('practice settings on the app server', () => {
  it('are saved by the daglig leder and in force in another browser context', async () => {
    const first = await openSettings();
    await first.getByTestId('financing-model').selectOption('B');
    await first.getByTestId('closed-dates').fill('24.12.2026\n31.12.2026');
    await first.getByTestId('saturday-working-day').check();
    await first.getByTestId('save-settings').click();
    await first.getByText('Innstillingene er lagret og gjelder for hele praksisen.').waitFor();

    const second = await openSettings();
    expect(await second.getByTestId('financing-model').inputValue()).toBe('B');
    expect(await second.getByTestId('closed-dates').inputValue()).toBe('2026-12-24\n2026-12-31');
    expect(await second.getByTestId('saturday-working-day').isChecked()).toBe(true);
  });

  it('refuses an impossible date with a message naming the field, and keeps what was saved', async () => {
    const page = await openSettings();
    await page.getByTestId('closed-dates').fill('31.02.2026');
    await page.getByTestId('save-settings').click();
    await page.getByRole('alert').getByText('Stengte dager: er ikke en gyldig dato').waitFor();
    const stored = await env.app.db.selectFrom('practice_settings').select(['closed_dates', 'version']).execute();
    expect(stored).toEqual([{ closed_dates: ['2026-12-24', '2026-12-31'], version: 1 }]);
  });
});

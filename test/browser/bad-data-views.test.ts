// Bad FHIR data in the journal (issue "Reliability and security", point 1): with the corpus of malformed
// and unusual resources loaded into the EPJ, every view renders, says what it could not use, and no
// area falls over (no error boundary shows), and a population scan completes and reports what it skipped.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { Resource } from '@medplum/fhirtypes';
import { startEnv, type Env } from './harness';

const DIR = 'test/fixtures/bad-data';
let env: Env;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The corpus as resources the store can hold (with a type and an id), patients put on gp-1's list. */
function corpus(): Resource[] {
  const out: Resource[] = [];
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.json'))) {
    const parsed: unknown = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
    const list: unknown[] = isRecord(parsed) && Array.isArray(parsed.resources) ? parsed.resources : [];
    for (const r of list) {
      if (!isRecord(r) || typeof r.resourceType !== 'string' || typeof r.id !== 'string') continue;
      if (out.some((o) => o.resourceType === r.resourceType && o.id === r.id)) continue; // duplicate ids: the store keeps one
      const resource = (r.resourceType === 'Patient' ? { ...r, generalPractitioner: [{ reference: 'Practitioner/gp-1' }] } : r) as unknown as Resource;
      out.push(resource);
    }
  }
  return out;
}

beforeAll(async () => {
  env = await startEnv();
  await env.sandbox.fhir.store.bulkLoad(corpus());
});
afterAll(async () => {
  await env?.close();
});

async function withPage(run: (page: Page) => Promise<void>): Promise<void> {
  const ctx = await env.newContext();
  const page = await ctx.newPage();
  const crashes: string[] = [];
  page.on('pageerror', (e) => crashes.push(e.message));
  try {
    await run(page);
    expect(await page.getByText('noe gikk galt').count(), 'an error boundary caught a crash').toBe(0);
    expect(crashes).toEqual([]);
  } finally {
    await ctx.close();
  }
}

async function openView(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('button', { name: label }).click();
}

describe('views with malformed data', () => {
  for (const patient of ['pat-good', 'pat-no-birthdate', 'pat-feb-30', 'pat-name-wrong-parts', 'pat-extension-garbage']) {
    test(`patient panel for ${patient}: renders with a data-quality message where data was unusable`, async () => {
      await withPage(async (page) => {
        await env.launch(page, { user: 'nurse-1', patient });
        await page.getByTestId('patient-banner').waitFor();
        await page.locator('[data-testid="target-groups"][data-ready="true"]').waitFor();
        await page.waitForLoadState('networkidle');
        if (patient === 'pat-good') await page.getByTestId('target-group-data-notice').waitFor();
        await env.screenshot(page, `bad-data-panel-${patient}`);
      });
    });
  }

  test('inbox: malformed discharge messages are error rows or ignored, never a crash', async () => {
    await withPage(async (page) => {
      await env.launch(page, { user: 'secretary-1' });
      await page.getByRole('heading', { name: /Innboks/ }).waitFor();
      await page.waitForLoadState('networkidle');
      await env.screenshot(page, 'bad-data-inbox');
    });
  });

  test('worklist and outreach render', async () => {
    await withPage(async (page) => {
      await env.launch(page, { user: 'nurse-1' });
      await page.waitForLoadState('networkidle');
      await openView(page, 'Oppsøkende');
      await page.waitForLoadState('networkidle');
    });
  });

  test('list overview: the scan completes and reports the patients with unusable data', async () => {
    await withPage(async (page) => {
      await env.launch(page, { user: 'gp-2' });
      await openView(page, 'Listeoversikt');
      await page.getByTestId('scan-run').click();
      const info = page.getByTestId('scan-info');
      await info.waitFor({ timeout: 60_000 });
      const text = (await info.textContent()) ?? '';
      // Resources of unlisted or unresolvable patients are never fetched by a per-patient scan; the scan's
      // own report of skipped resources is covered in test/unit/fhir/population.test.ts.
      expect(text).toMatch(/pasienter har data som ikke kunne brukes/);
      await env.screenshot(page, 'bad-data-list-overview');
    });
  });

  test('manager view renders its figures with malformed charges and tasks', async () => {
    await withPage(async (page) => {
      await env.launch(page, { user: 'gp-2' });
      await page.getByRole('tab', { name: /Kodebruk/ }).waitFor({ timeout: 60_000 });
      for (const tab of [/Avvik/, /Oppgjørskontroll/, /Frister/, /Kvalitetsindikatorer/]) await page.getByRole('tab', { name: tab }).click();
      await env.screenshot(page, 'bad-data-manager');
    });
  });
});

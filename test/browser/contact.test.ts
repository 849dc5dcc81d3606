// Registering contacts in the real app against the sandbox EPJ (issue "Nurse tariffs and one co-payment a
// day", point 3): the nurse registers a home visit with travel and sees S3 + 2 x S6 with amounts; the GP's
// consultation for the same patient later that day shows egenandel 0 with the reason (SPEC §5, §6).
import type { ChargeItem, Coverage, Patient } from '@medplum/fhirtypes';
import type { Page } from 'playwright-core';
import axe from 'axe-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { osloDate } from '../../src/domain/calendar';
import { ageOn } from '../../src/domain/copay';
import { startEnv, type Env } from './harness';

let env: Env;
let patientId: string;
let times: { nurse: string; gp: string };

beforeAll(async () => {
  env = await startEnv({ patients: 200 });
  patientId = await cleanAdult();
  times = serviceTimes();
}, 120_000);
afterAll(async () => {
  await env?.close();
});

/** An adult without frikort and without any charge today: the home visit will bear the egenandel. */
async function cleanAdult(): Promise<string> {
  const store = env.sandbox.fhir.store;
  const patients = await store.search<Patient>('Patient', { _count: '5000' });
  const coverages = await store.search<Coverage>('Coverage', { _count: '5000' });
  const charges = await store.search<ChargeItem>('ChargeItem', { _count: '5000' });
  const withFrikort = new Set(coverages.map((c) => c.beneficiary?.reference));
  const chargedToday = new Set(charges.filter((c) => c.occurrenceDateTime && osloDate(c.occurrenceDateTime) === env.today).map((c) => c.subject?.reference));
  const found = patients
    .filter((p) => p.id && p.birthDate && ageOn(p.birthDate, env.today) >= 18)
    .map((p) => p.id ?? '')
    .sort()
    .find((id) => !withFrikort.has(`Patient/${id}`) && !chargedToday.has(`Patient/${id}`));
  if (!found) throw new Error('no adult without frikort and charges today in the seed');
  return found;
}

/** The patient's charges today in the app's database (issue 15: the charges are the app's own). */
async function chargesToday() {
  const rows = await env.app.db.selectFrom('charge').selectAll().where('patient_id', '=', patientId).where('oslo_day', '=', env.today).execute();
  return rows.map((r) => ({ code: r.code, quantity: r.quantity, charged: Number(r.egenandel), waiverReason: r.waiver_reason, profession: r.profession }));
}

async function openContactForm(page: Page, user: string): Promise<void> {
  await env.launch(page, { user, patient: patientId });
  await page.getByTestId('contact-section').waitFor();
  // Saving waits until the patient's exemptions and today's charges are read.
  await page.waitForSelector('[data-testid="contact-save"]:not([disabled])', { timeout: 20_000 });
  await page.getByTestId('todays-bearer').waitFor();
}

async function axeViolations(page: Page): Promise<string[]> {
  // The app's CSP forbids inline scripts; evaluate runs over the DevTools protocol instead.
  await page.evaluate(axe.source);
  const result = await page.evaluate(async () => {
    const w = window as unknown as { axe: typeof axe };
    const r = await w.axe.run(document.querySelector('[data-testid="contact-section"]') ?? document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return result;
}

// Nurse first, the GP one minute later, both before the browsers' clock (09:00 Oslo on AS_OF; the form
// refuses a time in the future).
function serviceTimes(): { nurse: string; gp: string } {
  return { nurse: `${env.today}T08:30`, gp: `${env.today}T08:31` };
}

describe('register a contact', () => {
  it('nurse: a home visit with travel suggests S3 + 2 x S6 with amounts, and saves with the egenandel charged', async () => {
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await openContactForm(page, 'nurse-1');
    await expect(page.getByTestId('todays-bearer').textContent()).resolves.toContain('Ingen egenandel');
    await env.screenshot(page, 'contact-nurse-form');

    await page.getByLabel('Hjemmebesøk', { exact: true }).check();
    await page.getByLabel('Jeg reiste til pasienten').check();
    await page.getByTestId('contact-minutes').fill('20');
    await page.getByTestId('contact-time').fill(times.nurse);
    await page.getByTestId('contact-note').fill('Hjemmebesøk etter fall. Blodtrykk 135/85.');

    const s3 = page.getByTestId('tariff-line-S3');
    const s6 = page.getByTestId('tariff-line-S6');
    await s6.waitFor();
    await expect(s3.textContent()).resolves.toMatch(/Hjemmebesøk.*kr 152.*kr 100.*demo.*kr 152/);
    await expect(s6.getByLabel('Antall S6').inputValue()).resolves.toBe('2');
    await expect(s6.textContent()).resolves.toMatch(/Reisetid.*kr 304/);
    await expect(page.getByTestId('tariff-line-S2b').count()).resolves.toBe(0);
    await expect(page.getByTestId('tariff-total').textContent()).resolves.toBe('kr 456');
    await expect(page.getByTestId('contact-suggestion').textContent()).resolves.toContain('demoverdier');
    await expect(page.getByTestId('copay-preview').textContent()).resolves.toContain('du blir spurt om pasienten allerede er belastet egenandel i dag');
    expect(await axeViolations(page)).toEqual([]);
    await env.screenshot(page, 'contact-nurse-suggestion');

    await page.getByTestId('contact-save').click();
    // The app does not see the EPJ's own GP charges: the first egenandel of the day asks (SPEC §6).
    await page.getByTestId('paid-elsewhere-question').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Nei' }).click();
    const result = page.getByTestId('contact-result');
    await result.waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('contact-result-summary').textContent()).resolves.toContain('betaler kr 100');
    await expect(result.getByTestId('charge-S3').textContent()).resolves.toMatch(/kr 100 betales/);
    await expect(result.getByTestId('charge-S6').textContent()).resolves.toMatch(/kr 0/);
    await page.waitForFunction(() => document.querySelector('[data-testid="todays-bearer"]')?.textContent?.includes('S3'));
    expect(await axeViolations(page)).toEqual([]);
    await env.screenshot(page, 'contact-nurse-result');

    const items = await chargesToday();
    const byCode = new Map(items.map((i) => [i.code, i]));
    expect([...byCode.keys()].sort()).toEqual(['S3', 'S6']);
    expect(byCode.get('S6')?.quantity).toBe(2);
    expect(byCode.get('S3')?.charged).toBe(100);
    await ctx.close();
  });

  it('GP: his consultation later that day shows egenandel 0 with the reason', async () => {
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await openContactForm(page, 'gp-1');
    await expect(page.getByTestId('todays-bearer').textContent()).resolves.toMatch(/S3 \(sykepleier\).*kr 100/);
    await page.getByTestId('contact-time').fill(times.gp);
    await page.getByTestId('tariff-line-2ad').waitFor();
    await expect(page.getByTestId('tariff-line-2ad').textContent()).resolves.toMatch(/Konsultasjon hos lege.*kr 300.*kr 160.*demo/);
    await expect(page.getByTestId('copay-preview').textContent()).resolves.toContain('Egenandel allerede belastet i dag (teamet)');
    await env.screenshot(page, 'contact-gp-suggestion');

    await page.getByTestId('contact-save').click();
    const result = page.getByTestId('contact-result');
    await result.waitFor({ timeout: 20_000 });
    const row = result.getByTestId('charge-2ad');
    await expect(row.getByTestId('charge-egenandel').textContent()).resolves.toMatch(/^kr 0 \(kr 160 frafalt\)/);
    await expect(row.getByTestId('charge-reason').textContent()).resolves.toBe('Egenandel allerede belastet i dag (teamet)');
    await expect(page.getByTestId('contact-result-summary').textContent()).resolves.toContain('ingen egenandel');
    await env.screenshot(page, 'contact-gp-result');

    const gp = (await chargesToday()).find((c) => c.code === '2ad');
    expect(gp?.charged).toBe(0);
    expect(gp?.waiverReason).toBe('SAME_DAY');
    expect(gp?.profession).toBe('gp');
    await ctx.close();
  });

  // Issue 17 item 10: only the one who registered a charge (or the daglig leder) may cancel it, so the
  // nurse cancels her own S3 (this test had the GP cancel it).
  it('cancelling the nurse S3 (confirmed first) makes the GP consultation the bearer', async () => {
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await openContactForm(page, 'nurse-1');
    const table = page.getByTestId('todays-charges-table');
    await table.getByTestId('charge-S3').getByRole('button', { name: 'Kanseller S3' }).click();
    await expect(table.getByTestId('charge-S3').textContent()).resolves.toContain('Kansellere S3?');
    await env.screenshot(page, 'contact-cancel-confirm');
    await table.getByTestId('charge-S3').getByRole('button', { name: 'Ja, kanseller' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="todays-bearer"]')?.textContent?.includes('2ad'), undefined, { timeout: 20_000 });
    await expect(page.getByTestId('todays-bearer').textContent()).resolves.toMatch(/2ad \(fastlege\).*kr 160/);
    await expect(table.getByTestId('charge-S3').textContent()).resolves.toContain('Kansellert');
    await expect(page.getByTestId('refund-flag').count()).resolves.toBe(0);
    await env.screenshot(page, 'contact-cancel-done');
    await ctx.close();
  });
});

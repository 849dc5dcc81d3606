// Practice manager (issue "Practice manager"): the daglig leder (gp-2) sees every section on the seeded
// sandbox plus the contacts and charges registered here in the app's database (issue 15: charges are its own
// rows), marks the period as claimed and sees the charges leave the unclaimed list; marking the same period
// again changes nothing (no charge moves to another claims batch, no second batch).
import { readFileSync } from 'node:fs';
import { addAttempt, ensureFollowUp } from '../../server/features/follow-up/store';
import { registerContact, type ContactInput, type Registrar } from '../../server/features/contact-copay/store';
import { recordOutreach } from '../../server/features/target-groups/store';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatViolations, seriousViolations } from './axe';
import { startEnv, type Env } from './harness';

let env: Env;

const PRACTICE = 'Organization/org-practice';

/** The five contacts of the claims story (uuid contact ids; a charge's id is `<contact id>:<code>`). */
const MGR = {
  m1: '00000000-0000-4000-d000-000000000001',
  m2: '00000000-0000-4000-d000-000000000002',
  m3: '00000000-0000-4000-d000-000000000003',
  m4: '00000000-0000-4000-d000-000000000004',
  m5: '00000000-0000-4000-d000-000000000005',
} as const;
/** The evaluation export's six nurse phone calls (S1a each) and two GP consultations (2ad each). */
const EVAL_CONTACT = (i: number) => `00000000-0000-4000-b000-0000000000${String(i).padStart(2, '0')}`;
/** The nurse charges of this month, unclaimed when the story starts: the four above and the six calls. */
const NURSE_CHARGES = [`${MGR.m1}:S2a`, `${MGR.m2}:S2b`, `${MGR.m3}:S1a`, `${MGR.m4}:S6`, ...[0, 1, 2, 3, 4, 5].map((i) => `${EVAL_CONTACT(i)}:S1a`)];
/** The GP's S1a: not a nurse charge, so never marked by the daglig leder's button. */
const GP_S_CHARGE = `${MGR.m5}:S1a`;

function registrar(user: 'nurse-1' | 'gp-1'): Registrar {
  return { practiceId: PRACTICE, user: `Practitioner/${user}`, role: user === 'nurse-1' ? 'nurse' : 'gp', iss: env.app.registry.entries[0]?.iss ?? '', chargeItems: false, gpChargesVisible: true };
}

/** A contact registered in the app's database as the contact form does (the server decides the egenandel). */
async function contact(user: 'nurse-1' | 'gp-1', input: Omit<ContactInput, 'patient'>): Promise<void> {
  const saved = await registerContact(env.app.db, registrar(user), { ...input, patient: { birthDate: '1960-05-01' } }, new Date(new Date(input.start).getTime() + 30 * 60_000));
  expect(saved.ok, JSON.stringify(saved)).toBe(true);
}

/** Which claims batch each of the practice's charges is in (null: unclaimed). */
async function batchOf(): Promise<Record<string, string | null>> {
  const rows = await env.app.db.selectFrom('charge').select(['id', 'claim_batch_id']).where('practice_id', '=', PRACTICE).execute();
  return Object.fromEntries(rows.map((r) => [r.id, r.claim_batch_id]));
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
  const practiceId = PRACTICE;
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

beforeAll(async () => {
  env = await startEnv();
  const day = env.today;
  const first = `${day.slice(0, 8)}01`;
  // The claims story (SPEC §6-§7), nurse phone contacts this month: S2a (honorar 152, the day's egenandel 100) and
  // S2b (70, no egenandel) for one patient on the 1st; S1a with the patient's own exemption B (egenandel 0); S6
  // (travel) without S3 (an anomaly); and the GP's own S1a (egenandel 50): an S-code not registered by a nurse.
  await contact('nurse-1', { id: MGR.m1, patientId: 'pat-00010', start: `${first}T09:00:00+01:00`, kind: 'simple', channel: 'phone', lines: [{ code: 'S2a', quantity: 1 }] });
  await contact('nurse-1', { id: MGR.m2, patientId: 'pat-00010', start: `${first}T09:30:00+01:00`, kind: 'simple', channel: 'phone', lines: [{ code: 'S2b', quantity: 1 }] });
  await contact('nurse-1', { id: MGR.m3, patientId: 'pat-00011', start: `${day}T08:15:00+01:00`, kind: 'simple', channel: 'phone', exemptReason: 'B', lines: [{ code: 'S1a', quantity: 1 }] });
  await contact('nurse-1', { id: MGR.m4, patientId: 'pat-00012', start: `${day}T10:00:00+01:00`, kind: 'simple', channel: 'phone', lines: [{ code: 'S6', quantity: 1 }] });
  await contact('gp-1', { id: MGR.m5, patientId: 'pat-00013', start: `${day}T11:00:00+01:00`, kind: 'consultation', lines: [{ code: 'S1a', quantity: 1 }] });
  await followUp(1, first, first);
  await followUp(2, first, day);
  await followUp(3, first);
  // For the evaluation export: outreach this month (6 accepted, 1 declined: a small cell) and contacts
  // (6 more nurse phone calls, 2 GP consultations) in the app's database.
  for (let i = 0; i < 7; i++) {
    await recordOutreach(env.app.db, PRACTICE, {
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
    await contact(nurse ? 'nurse-1' : 'gp-1', {
      id: EVAL_CONTACT(i),
      patientId: `pat-0004${i}`,
      start: `${first}T1${i}:00:00+01:00`,
      kind: nurse ? 'simple' : 'follow-up',
      ...(nurse ? { channel: 'phone' as const } : {}),
      lines: [{ code: nurse ? 'S1a' : '2ad', quantity: 1 }],
    });
  }
});
afterAll(async () => {
  await env?.close();
});

describe('practice manager', () => {
  it('renders every section on the seeded sandbox', async () => {
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
    // The ten nurse charges of the month; the GP's S1a is not one of them.
    await expect(page.getByTestId('unclaimed-count').textContent()).resolves.toBe('10');
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
    // contacts: GP in person 3 (the GP's S1a and the two consultations: hidden), nurse phone 10 (four in the
    // claims story, six calls); every cell that would give the 3 back is hidden too, the grand total 13 stays.
    const contacts = await tableCells('contacts');
    expect(contacts.at(-1)).toBe('13');
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

  it('the daglig leder marks the period as claimed; marking again changes nothing', async () => {
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await openManager(page);
    await page.getByRole('tab', { name: /Oppgjørskontroll/ }).click();
    await expect(page.getByTestId('unclaimed-count').textContent()).resolves.toBe('10');
    const list = page.getByTestId('unclaimed-list');
    for (const id of NURSE_CHARGES) await list.locator(`[data-charge-id="${id}"]`).waitFor();
    await expect(list.locator(`[data-charge-id="${GP_S_CHARGE}"]`).count()).resolves.toBe(0);

    await page.getByTestId('mark-claimed').click();
    await page.getByTestId('mark-confirm').waitFor();
    await env.screenshot(page, 'manager-marker-bekreft');
    await page.getByTestId('mark-confirm').click();
    await page.getByTestId('mark-result').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('mark-result').textContent()).resolves.toContain('10 takster markert som krevd');
    await page.waitForFunction(() => document.querySelector('[data-testid="unclaimed-count"]')?.textContent === '0', undefined, { timeout: 30_000 });
    await expect(page.locator('[data-testid="unclaimed-list"] [data-charge-id]').count()).resolves.toBe(0);
    await env.screenshot(page, 'manager-marker-ferdig');

    // In the app's database: one claims batch holding the ten nurse charges.
    const batches = await env.app.db.selectFrom('claim_batch').select(['id', 'charges', 'undone_at']).where('practice_id', '=', PRACTICE).execute();
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ charges: 10, undone_at: null });
    const marked = await batchOf();
    for (const id of NURSE_CHARGES) expect(marked[id], id).toBe(batches[0]?.id);
    // The GP's S-code is not a nurse charge: claimed by the GP's own settlement, never by this button.
    expect(marked[GP_S_CHARGE]).toBeNull();

    // Again, in a fresh launch: nothing left to mark, the button is off, no second batch, no charge moved.
    const again = await ctx.newPage();
    await openManager(again);
    await again.getByRole('tab', { name: /Oppgjørskontroll/ }).click();
    await expect(again.getByTestId('unclaimed-count').textContent()).resolves.toBe('0');
    await expect(again.getByTestId('mark-claimed').isDisabled()).resolves.toBe(true);
    await expect(env.app.db.selectFrom('claim_batch').select('id').where('practice_id', '=', PRACTICE).execute()).resolves.toHaveLength(1);
    expect(await batchOf()).toEqual(marked);
    await ctx.close();
  });
});

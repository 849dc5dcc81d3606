// Issue 17's acceptance as one walk through a working day, in the real app through the app server and its
// database against the sandbox EPJ, on the harness's fixed date (Wed 25 November 2026) with fixed data:
//  1. the health secretary triages three discharge messages in the triage table into tasks for the nurse;
//     the undo offer of the first runs out after 10 s, the third is undone and its message is back;
//  2. the nurse opens the first patient from her worklist, registers a failed attempt and then the contact
//     (with the medication question, so the GP gets a task);
//  3. the GP sees his task in «Mine oppgaver» and completes it;
//  4. the daglig leder sees the follow-up that is overdue now in «Frister», marks the month's nurse charges as
//     claimed in one batch and undoes it.
// Expected values are written by hand from SPEC §2/§4/§6-§7 for that date. Every step's view is
// screenshotted at 1366 and 1024 px (test-results/screenshots/walkthrough-*.png).
import type { DocumentReference, Encounter, Patient } from '@medplum/fhirtypes';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerContact } from '../../server/features/contact-copay/store';
import { ensureFollowUp } from '../../server/features/follow-up/store';
import { SYSTEMS } from '../../src/fhir/systems';
import { osloLocalMinute } from '../../src/state/contactTime';
import { formatViolations, seriousViolations } from './axe';
import { AS_OF, startEnv, type Env } from './harness';

// SPEC §2: discharged Tue 24 Nov 2026 -> deadline Fri 27 Nov (Wed 25, Thu 26, Fri 27); today Wed 25 Nov it is
// due in 2 working days (Thu, Fri).
const DISCHARGE_DATE = '2026-11-24';
const DEADLINE = '2026-11-27';
const COUNTDOWN = '2 arbeidsdager igjen';
// The follow-up left overdue: deadline Thu 19 Nov; on Wed 25 Nov it is overdue by Fri 20, Mon 23, Tue 24,
// Wed 25 = 4 working days.
const OVERDUE_DEADLINE = '2026-11-19';
const OVERDUE_DAYS = '4';
const PRACTICE = 'Organization/org-practice';
const NURSE_NAME = 'Siri Haugland';
const GP_ANSWER = 'Ingen endring i fast medisin; kuren fullføres.';

let env: Env;
interface Person {
  id: string;
  name: string;
  gp: string;
}
/** Three adults without conditions or stays in the seed (not in a target group: the secretary triages them). */
let people: [Person, Person, Person];
/** The patient whose follow-up is overdue now. */
let overdue: Person;

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

async function quietAdults(n: number): Promise<Person[]> {
  const store = env.sandbox.fhir.store;
  const patients = await store.search<Patient>('Patient', { _count: '5000' });
  const busy = new Set([
    ...(await store.search<{ resourceType: 'Condition'; subject: { reference?: string } }>('Condition', { _count: '20000' })).map((c) => c.subject.reference),
    ...(await store.search<Encounter>('Encounter', { _count: '20000' })).map((e) => e.subject?.reference),
  ]);
  const year = Number(env.today.slice(0, 4));
  return patients
    .filter((p): p is Patient & { id: string } => !!p.id && !!p.birthDate && year - Number(p.birthDate.slice(0, 4)) >= 25 && year - Number(p.birthDate.slice(0, 4)) <= 45)
    .filter((p) => !busy.has(`Patient/${p.id}`) && /^Practitioner\/gp-/.test(p.generalPractitioner?.[0]?.reference ?? ''))
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .slice(0, n)
    .map((p) => ({ id: p.id, name: [...(p.name?.[0]?.given ?? []), p.name?.[0]?.family].join(' '), gp: (p.generalPractitioner?.[0]?.reference ?? '').replace(/^Practitioner\//, '') }));
}

/** A discharge yesterday as an inpatient Encounter with its epikrise (medication changes: the GP is asked). */
function discharge(p: Person, i: number): [Encounter, DocumentReference] {
  return [
    {
      resourceType: 'Encounter',
      id: `enc-walk-${i}`,
      status: 'finished',
      class: { system: SYSTEMS.actCode, code: 'IMP' },
      subject: { reference: `Patient/${p.id}` },
      period: { start: `${addDays(DISCHARGE_DATE, -2)}T10:00:00+01:00`, end: `${DISCHARGE_DATE}T12:00:00+01:00` },
      serviceProvider: { reference: 'Organization/org-ahus', display: 'Akershus universitetssykehus HF' },
    },
    {
      resourceType: 'DocumentReference',
      id: `docref-walk-${i}`,
      status: 'current',
      type: { coding: [{ system: SYSTEMS.loinc, code: '18842-5' }], text: 'Epikrise' },
      subject: { reference: `Patient/${p.id}` },
      date: `${DISCHARGE_DATE}T13:00:00+01:00`,
      custodian: { reference: 'Organization/org-ahus', display: 'Akershus universitetssykehus HF' },
      content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: Buffer.from('EPIKRISE - Akershus universitetssykehus HF\nInnlagt med pneumoni. Legemiddelendringer: Fenoksymetylpenicillin 1 g x 4 ut uken.', 'utf8').toString('base64') } }],
      context: { encounter: [{ reference: `Encounter/enc-walk-${i}` }], period: { end: `${DISCHARGE_DATE}T12:00:00+01:00` } },
    },
  ];
}

async function tasksOf(patientId: string) {
  return env.app.db.selectFrom('follow_up_task').select(['status', 'owner']).select((eb) => eb.cast<string>('deadline', 'text').as('deadline')).where('patient_id', '=', patientId).execute();
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const width of [1366, 1024]) {
    await page.setViewportSize({ width, height: 900 });
    await env.screenshot(page, `walkthrough-${name}-${width}`);
    // At 1024 px (the app inside an EPJ window) the page does not scroll sideways.
    if (width === 1024) await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `${name} at 1024 px`).resolves.toBe(true);
  }
  await page.setViewportSize({ width: 1366, height: 900 });
}

async function expectAxeClean(page: Page, include: string): Promise<void> {
  const violations = await seriousViolations(page, { include });
  expect(violations, formatViolations(violations)).toEqual([]);
}

beforeAll(async () => {
  env = await startEnv();
  expect(env.today).toBe(AS_OF);
  const found = await quietAdults(4);
  expect(found).toHaveLength(4);
  people = [found[0]!, found[1]!, found[2]!];
  overdue = found[3]!;
  await env.sandbox.fhir.store.bulkLoad(people.flatMap((p, i) => discharge(p, i)));
  // A follow-up the nurse never reached: discharged Mon 16 Nov, deadline Thu 19 Nov, still open today.
  await ensureFollowUp(env.app.db, PRACTICE, {
    id: '00000000-0000-4000-8000-f00000000001',
    iss: env.app.registry.entries[0]?.iss ?? '',
    patientId: overdue.id,
    episodeKey: `${overdue.id}|org-ahus|2026-11-16`,
    institution: { id: 'org-ahus', name: 'Akershus universitetssykehus HF' },
    dischargeDate: '2026-11-16',
    deadline: OVERDUE_DEADLINE,
    signals: ['Encounter/enc-walk-overdue'],
    owner: 'Practitioner/nurse-1',
    createdBy: 'system',
    at: new Date('2026-11-16T13:00:00+01:00'),
  });
  // Two nurse phone contacts earlier this month (S2a and S1b), unclaimed: with the nurse's contact below, three
  // nurse charges for the daglig leder to mark.
  for (const [i, code] of [[0, 'S2a'], [1, 'S1b']] as const) {
    const saved = await registerContact(
      env.app.db,
      { practiceId: PRACTICE, user: 'Practitioner/nurse-1', role: 'nurse', iss: env.app.registry.entries[0]?.iss ?? '', chargeItems: false, gpChargesVisible: true },
      { id: `00000000-0000-4000-c000-f0000000000${i}`, patientId: `pat-0001${i}`, start: `2026-11-02T1${i}:00:00+01:00`, kind: 'simple', channel: 'phone', lines: [{ code, quantity: 1 }], patient: { birthDate: '1960-05-01' } },
      new Date(`2026-11-02T1${i}:30:00+01:00`),
    );
    expect(saved.ok, JSON.stringify(saved)).toBe(true);
  }
}, 300_000);
afterAll(async () => {
  await env?.close();
});

describe("walk-through of a working day (issue 17's acceptance)", () => {
  it('1. the secretary triages three messages in the table; the undo runs out after 10 s, the third is undone', async () => {
    const [a, b, c] = people;
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await env.launch(page, { user: 'secretary-1' });
    await page.getByTestId('inbox-summary').waitFor({ timeout: 60_000 });
    const card = (p: Person) => page.locator(`[data-testid="inbox-message"][data-key^="${p.id}|"]`);
    for (const p of people) {
      await card(p).waitFor({ timeout: 30_000 });
      await expect(card(p).getByTestId('inbox-countdown').textContent()).resolves.toBe(COUNTDOWN);
      await expect(card(p).getByTestId('inbox-target-status').textContent()).resolves.toBe('Ikke i målgruppe');
      await expect(card(p).getByTestId('triage-nurse').inputValue()).resolves.toBe('nurse-1');
    }
    await shoot(page, '1-inbox');
    await expectAxeClean(page, 'main');
    const bar = page.getByTestId('triage-undo-bar');

    // The first: a task for the nurse; the undo is offered for 10 s and then withdrawn (the browser's clock).
    await card(a).getByTestId('triage-create').click();
    await card(a).waitFor({ state: 'detached', timeout: 30_000 });
    await bar.filter({ hasText: `Oppfølgingsoppgave opprettet for ${a.name}.` }).waitFor({ timeout: 30_000 });
    await page.clock.fastForward(10_000);
    await bar.waitFor({ state: 'detached', timeout: 30_000 });

    // The second and the third; the third is undone at once: its message is back in the table, no task.
    await card(b).getByTestId('triage-create').click();
    await card(b).waitFor({ state: 'detached', timeout: 30_000 });
    await bar.filter({ hasText: `Oppfølgingsoppgave opprettet for ${b.name}.` }).waitFor({ timeout: 30_000 });
    await card(c).getByTestId('triage-create').click();
    await card(c).waitFor({ state: 'detached', timeout: 30_000 });
    await bar.filter({ hasText: `Oppfølgingsoppgave opprettet for ${c.name}.` }).waitFor({ timeout: 30_000 });
    await shoot(page, '1b-undo-offered');
    await page.getByTestId('triage-undo').click();
    await bar.filter({ hasText: `Angret: meldingen om ${c.name} er tilbake til behandling.` }).waitFor({ timeout: 30_000 });
    await card(c).waitFor({ timeout: 30_000 });
    await expect(card(a).count()).resolves.toBe(0);
    await expect(card(b).count()).resolves.toBe(0);
    await shoot(page, '1c-undone');

    // In the app's database: a new task for the nurse for each of the two, due Fri 27 Nov; none for the third.
    expect(await tasksOf(a.id)).toEqual([{ status: 'new', owner: 'Practitioner/nurse-1', deadline: DEADLINE }]);
    expect(await tasksOf(b.id)).toEqual([{ status: 'new', owner: 'Practitioner/nurse-1', deadline: DEADLINE }]);
    expect(await tasksOf(c.id)).toEqual([]);
    await ctx.close();
  });

  it('2. the nurse registers a failed attempt and then the contact', async () => {
    const [a] = people;
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await env.launch(page, { user: 'nurse-1' });
    await page.getByTestId('worklist-summary').waitFor({ timeout: 60_000 });
    const row = page.getByTestId('worklist-table').locator('[role="row"]').filter({ hasText: a.name });
    await row.waitFor({ timeout: 30_000 });
    await expect(row.getByTestId('worklist-countdown').textContent()).resolves.toBe(COUNTDOWN);
    await shoot(page, '2-worklist');

    await row.press('Enter');
    const section = page.getByTestId('followup-section');
    await section.waitFor({ timeout: 30_000 });
    await expect(section.getByTestId('fu-countdown').textContent()).resolves.toBe(COUNTDOWN);
    // The call that was not answered, two minutes ago by the browser's fixed clock (after the triage).
    const browserNow = await page.evaluate(() => Date.now());
    await section.getByTestId('fu-attempt-time').fill(osloLocalMinute(new Date(browserNow - 2 * 60_000)));
    await section.getByTestId('fu-attempt-no-answer').check();
    const [saved] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/follow-up\/tasks\/[^/]+\/attempts$/.test(new URL(r.url()).pathname), { timeout: 30_000 }),
      section.getByTestId('fu-attempt-save').click(),
    ]);
    expect(saved.status(), await saved.text()).toBe(200);
    await section.getByTestId('fu-attempts').waitFor({ timeout: 30_000 });
    await expect(section.getByTestId('fu-attempts').textContent()).resolves.toMatch(new RegExp(`telefon, ${NURSE_NAME}: ikke nådd \\(Ikke svar\\)`));
    await expect(section.getByTestId('fu-status').textContent()).resolves.toBe('Forsøkt');
    await shoot(page, '2b-attempt');

    // Reached: the contact with the medication question answered yes; the day's first egenandel asks whether
    // the patient has paid one elsewhere today (the app cannot see the GP's charges): no.
    await page.waitForSelector('[data-testid="contact-save"]:not([disabled])', { timeout: 30_000 });
    await section.getByLabel('Ja', { exact: true }).check();
    await page.getByTestId('contact-minutes').fill('15');
    await page.getByTestId('contact-save').click();
    await page.getByTestId('paid-elsewhere-question').waitFor({ timeout: 30_000 });
    await page.getByTestId('paid-elsewhere-question').getByRole('button', { name: 'Nei' }).click();
    await section.getByTestId('fu-contact-done').waitFor({ timeout: 30_000 });
    await expect(section.getByTestId('fu-outcome').textContent()).resolves.toBe('Kontaktet innen fristen');
    await expect(section.getByTestId('fu-gp-task').textContent()).resolves.toBe('Fastlegen har fått oppgave om legemiddelendringer.');
    await shoot(page, '2c-contact');
    expect(await tasksOf(a.id)).toEqual([{ status: 'contacted', owner: 'Practitioner/nurse-1', deadline: DEADLINE }]);
    await ctx.close();
  });

  it('3. the GP sees his task in «Mine oppgaver» and completes it', async () => {
    const [a] = people;
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await env.launch(page, { user: a.gp });
    await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('button', { name: 'Mine oppgaver' }).click();
    await page.getByTestId('gp-tasks-summary').waitFor({ timeout: 60_000 });
    const item = page.getByTestId('gp-task').filter({ hasText: a.name });
    await item.waitFor({ timeout: 30_000 });
    await expect(item.getByRole('heading').textContent()).resolves.toBe(`${a.name}: Vurder legemiddelendringer`);
    await shoot(page, '3-gp-tasks');
    await expectAxeClean(page, 'main');
    await item.getByTestId('gp-task-note').fill(GP_ANSWER);
    await item.getByTestId('gp-task-done').click();
    await item.waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByTestId('gp-tasks-all').check();
    await expect(page.getByTestId('gp-task').filter({ hasText: a.name }).getByTestId('gp-task-answer').textContent()).resolves.toBe(`Utført: ${GP_ANSWER}`);
    await shoot(page, '3b-gp-task-done');
    const gpTasks = await env.app.db.selectFrom('gp_task').select(['assignee', 'status', 'answer']).where('patient_id', '=', a.id).execute();
    expect(gpTasks).toEqual([{ assignee: `Practitioner/${a.gp}`, status: 'done', answer: GP_ANSWER }]);
    await ctx.close();
  });

  it('4. the daglig leder sees the overdue follow-up in «Frister», marks a claims batch and undoes it', async () => {
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await env.launch(page, { user: 'gp-2' });
    await page.getByRole('tab', { name: 'Frister' }).waitFor({ timeout: 120_000 });
    await page.getByRole('tab', { name: 'Frister' }).click();
    const overdueNow = page.getByTestId('overdue-now');
    await overdueNow.waitFor({ timeout: 30_000 });
    // The row of the follow-up left open: deadline 19.11.2026, 4 working days over, the nurse's.
    const row = overdueNow.getByRole('row').filter({ hasText: overdue.name });
    await expect(row.getByRole('cell').allTextContents()).resolves.toEqual(['19.11.2026', OVERDUE_DAYS, overdue.name, NURSE_NAME]);
    // The patient contacted today is not overdue.
    await expect(overdueNow.getByRole('row').filter({ hasText: people[0].name }).count()).resolves.toBe(0);
    await shoot(page, '4-frister');

    // The month's nurse charges: the two from earlier this month and today's contact (S2a, S1b, S1a).
    await page.getByRole('tab', { name: /Oppgjørskontroll/ }).click();
    const count = page.getByTestId('unclaimed-count');
    await expect(count.textContent()).resolves.toBe('3');
    await shoot(page, '4b-oppgjor');
    await page.getByTestId('mark-claimed').click();
    await page.getByTestId('mark-confirm').click();
    await page.getByTestId('mark-result').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('mark-result').textContent()).resolves.toContain('3 takster markert som krevd');
    await page.waitForFunction(() => document.querySelector('[data-testid="unclaimed-count"]')?.textContent === '0', undefined, { timeout: 30_000 });
    const batch = page.getByTestId('claim-batch');
    await expect(batch.getByRole('cell').nth(2).textContent()).resolves.toBe('3');
    await shoot(page, '4c-marked');

    // Undone: the three are unclaimed again; the batch stays in the history as undone today.
    await batch.getByTestId('undo-claims').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="unclaimed-count"]')?.textContent === '3', undefined, { timeout: 30_000 });
    await batch.filter({ hasText: 'Angret 25.11.2026' }).waitFor({ timeout: 30_000 });
    await shoot(page, '4d-undone');
    const charges = await env.app.db.selectFrom('charge').select(['claim_batch_id']).where('practice_id', '=', PRACTICE).where('profession', '=', 'nurse').execute();
    expect(charges).toEqual([{ claim_batch_id: null }, { claim_batch_id: null }, { claim_batch_id: null }]);
    await expect(env.app.db.selectFrom('claim_batch').select(['charges']).where('practice_id', '=', PRACTICE).where('undone_at', 'is not', null).execute()).resolves.toEqual([{ charges: 3 }]);
    await ctx.close();
  });
});

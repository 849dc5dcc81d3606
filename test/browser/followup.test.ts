// Discharge follow-up end to end in the real app through the app server and its database, against the
// sandbox EPJ (SPEC §4, issue 15, issue 17 item 13): the health secretary triages a discharge into a task
// for the nurse (twice: still one task); the nurse sees it in her worklist with the countdown in working
// days (written by hand from SPEC §2 for the harness's fixed date), opens the patient, logs a failed
// attempt and then the contact (with the medication question, so the GP gets a task); the GP sees that
// task in «Mine oppgaver» and completes it, and the nurse sees his answer; the daglig leder's «Frister»
// figure counts the follow-up as met. Screenshots at 1366 and 1024 px.
import type { Condition, DocumentReference, Encounter, Patient } from '@medplum/fhirtypes';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEMS } from '../../src/fhir/systems';
import { osloLocalMinute } from '../../src/state/contactTime';
import { seriousViolations, formatViolations } from './axe';
import { AS_OF, startEnv, type Env } from './harness';

// SPEC §2 for the harness's fixed date: today is Wed 2026-11-25 (AS_OF), the discharge was yesterday, Tue
// 2026-11-24; the deadline is the 3rd working day strictly after it: Wed 25, Thu 26, Fri 27 November (no
// public holiday that week). Due in 2 working days (Thu, Fri): «2 arbeidsdager igjen».
const DISCHARGE_DATE = '2026-11-24';
const DEADLINE = '2026-11-27';
const COUNTDOWN = '2 arbeidsdager igjen';

let env: Env;
let patientId: string;
let patientName: string;
/** The patient's regular GP (Patient.generalPractitioner): the GP task goes to him. */
let gpId: string;
const dischargeDate = DISCHARGE_DATE;
/** «Kontaktet i tide» in the manager's «Frister» before this test's contact (read in beforeAll). */
let metBefore: number;

const EPIKRISE = 'EPIKRISE - Akershus universitetssykehus HF\nInnlagt med pneumoni. Legemiddelendringer: Fenoksymetylpenicillin 1 g x 4 ut uken.';

/** An adult without conditions or recent stays: not in a target group, so the secretary must triage. */
async function quietAdult(): Promise<Patient & { id: string }> {
  const store = env.sandbox.fhir.store;
  const patients = await store.search<Patient>('Patient', { _count: '5000' });
  const conditions = await store.search<Condition>('Condition', { _count: '20000' });
  const encounters = await store.search<Encounter>('Encounter', { _count: '20000' });
  const busy = new Set([...conditions.map((c) => c.subject.reference), ...encounters.map((e) => e.subject?.reference)]);
  const year = Number(env.today.slice(0, 4));
  const found = patients
    .filter((p): p is Patient & { id: string } => !!p.id && !!p.birthDate && year - Number(p.birthDate.slice(0, 4)) >= 25 && year - Number(p.birthDate.slice(0, 4)) <= 45)
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .find((p) => !busy.has(`Patient/${p.id}`));
  if (!found) throw new Error('no quiet adult in the seed');
  return found;
}

/** A discharge yesterday (Oslo) as an inpatient Encounter plus its epikrise. */
async function addDischarge(): Promise<void> {
  const encounter: Encounter = {
    resourceType: 'Encounter',
    id: 'enc-followup-test',
    status: 'finished',
    class: { system: SYSTEMS.actCode, code: 'IMP' },
    subject: { reference: `Patient/${patientId}` },
    period: { start: `${addDays(env.today, -3)}T10:00:00+01:00`, end: `${dischargeDate}T12:00:00+01:00` },
    serviceProvider: { reference: 'Organization/org-ahus', display: 'Akershus universitetssykehus HF' },
  };
  const document: DocumentReference = {
    resourceType: 'DocumentReference',
    id: 'docref-followup-test',
    status: 'current',
    type: { coding: [{ system: SYSTEMS.loinc, code: '18842-5' }], text: 'Epikrise' },
    subject: { reference: `Patient/${patientId}` },
    date: `${dischargeDate}T13:00:00+01:00`,
    custodian: { reference: 'Organization/org-ahus', display: 'Akershus universitetssykehus HF' },
    content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: Buffer.from(EPIKRISE, 'utf8').toString('base64') } }],
    context: { encounter: [{ reference: 'Encounter/enc-followup-test' }], period: { end: `${dischargeDate}T12:00:00+01:00` } },
  };
  // A message about a patient the practice does not have: an error row, never a task.
  const unknown = {
    resourceType: 'Communication' as const,
    id: 'comm-followup-unknown',
    status: 'completed' as const,
    category: [{ coding: [{ system: SYSTEMS.loinc, code: '18842-5' }] }],
    subject: { reference: 'Patient/finnes-ikke' },
    sent: `${dischargeDate}T14:00:00+01:00`,
    payload: [{ contentString: 'Epikrise for ukjent pasient.' }],
  };
  await env.sandbox.fhir.store.bulkLoad([encounter, document, unknown]);
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The patient's follow-up tasks in the app's database. */
async function followUpTasks() {
  return env.app.db.selectFrom('follow_up_task').select(['id', 'status', 'outcome', 'owner', 'version']).select((eb) => eb.cast<string>('deadline', 'text').as('deadline')).where('patient_id', '=', patientId).execute();
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1366, height: 900 });
  await env.screenshot(page, `${name}-1366`);
  await page.setViewportSize({ width: 1024, height: 700 });
  await env.screenshot(page, `${name}-1024`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function expectAxeClean(page: Page, include?: string): Promise<void> {
  const violations = await seriousViolations(page, include ? { include } : {});
  expect(violations, formatViolations(violations)).toEqual([]);
}

/** The manager's «Frister» tab for this month (November 2026, the deadline's month): «Kontaktet i tide». */
async function metFigure(screenshot: string): Promise<number> {
  const ctx = await env.newContext();
  const page = await ctx.newPage();
  await env.launch(page, { user: 'gp-2' });
  await page.getByRole('tab', { name: 'Frister' }).waitFor({ timeout: 120_000 });
  await page.getByTestId('manager-loading').waitFor({ state: 'detached', timeout: 120_000 });
  await page.getByRole('tab', { name: 'Frister' }).click();
  const totals = page.getByTestId('compliance-total');
  await totals.waitFor();
  const met = Number(await totals.locator('div').filter({ hasText: 'Kontaktet i tide' }).locator('dd').textContent());
  await env.screenshot(page, screenshot);
  await ctx.close();
  return met;
}

beforeAll(async () => {
  env = await startEnv({ patients: 200 });
  expect(env.today).toBe(AS_OF);
  const patient = await quietAdult();
  patientId = patient.id;
  patientName = [...(patient.name?.[0]?.given ?? []), patient.name?.[0]?.family].join(' ');
  gpId = (patient.generalPractitioner?.[0]?.reference ?? '').replace(/^Practitioner\//, '');
  expect(gpId).toMatch(/^gp-/);
  await addDischarge();
  metBefore = await metFigure('followup-0-manager-before');
}, 300_000);
afterAll(async () => {
  await env?.close();
});

describe('discharge follow-up: secretary -> nurse -> manager', () => {
  it('the health secretary triages the discharge into a task for the nurse, idempotently', async () => {
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await env.launch(page, { user: 'secretary-1' });
    await page.getByTestId('inbox-summary').waitFor({ timeout: 60_000 });
    const card = page.locator(`[data-testid="inbox-message"][data-key^="${patientId}|"]`);
    await card.waitFor();
    await expect(card.getByTestId('inbox-target-status').textContent()).resolves.toBe('Ikke i målgruppe');
    await expect(card.getByTestId('inbox-countdown').textContent()).resolves.toBe(COUNTDOWN);
    await card.scrollIntoViewIfNeeded();
    await shoot(page, 'followup-1-inbox');
    await expectAxeClean(page, 'main');

    // The search (issue 17 item 21) keeps the patient's row and hides it for another name.
    await page.getByTestId('inbox-search').fill(patientName.split(' ')[0] ?? '');
    await card.waitFor();
    await page.getByTestId('inbox-search').fill('Xyzzy Finnesikke');
    await card.waitFor({ state: 'detached' });
    await page.getByTestId('inbox-search').fill('');
    await card.waitFor();

    // Triage in the table, undo within 10 s (issue 17 item 14): the message is back; then triage again.
    await expect(card.getByTestId('triage-nurse').inputValue()).resolves.toBe('nurse-1');
    await card.getByTestId('triage-create').click();
    await card.waitFor({ state: 'detached', timeout: 20_000 });
    await page.getByTestId('triage-undo').click();
    await page.getByTestId('triage-undo-bar').filter({ hasText: 'Angret' }).waitFor({ timeout: 20_000 });
    await card.waitFor({ timeout: 20_000 });
    expect(await followUpTasks()).toEqual([]);
    await shoot(page, 'followup-1c-undone');
    await card.getByTestId('triage-create').click();
    await card.waitFor({ state: 'detached', timeout: 20_000 });
    await page.getByTestId('triage-undo').waitFor();
    await shoot(page, 'followup-1d-undo-offered');
    await expect(page.getByTestId('inbox-error-row').filter({ hasText: 'Ukjent pasient' }).count()).resolves.toBe(1);

    // A message without a discharge date: the date must be confirmed before anything is recorded.
    const undated = page.getByTestId('inbox-message').filter({ hasText: 'utskrivningsdato mangler' }).first();
    if ((await undated.count()) > 0) {
      await expect(undated.getByTestId('triage-create').isDisabled()).resolves.toBe(true);
      await undated.getByTestId('triage-none-open').click();
      await expect(undated.getByTestId('triage-none').isDisabled()).resolves.toBe(true);
      await undated.getByTestId('triage-date-confirm').check();
      await undated.getByTestId('triage-reason').selectOption('followed-up-elsewhere');
      await undated.scrollIntoViewIfNeeded();
      await env.screenshot(page, 'followup-1b-no-follow-up');
      const key = await undated.getAttribute('data-key');
      await undated.getByTestId('triage-none').click();
      await page.locator(`[data-testid="inbox-message"][data-key="${key ?? ''}"]`).waitFor({ state: 'detached', timeout: 20_000 });
    }
    const handled = page.getByTestId('inbox-handled').getByRole('row', { name: undefined }).filter({ hasText: patientName });
    await handled.first().waitFor();
    await expect(handled.first().textContent()).resolves.toContain('Siri Haugland');
    await shoot(page, 'followup-2-triaged');
    // SPEC §2: discharged Tue 24 Nov -> deadline Fri 27 Nov; owned by the nurse the secretary chose.
    expect(await followUpTasks()).toEqual([expect.objectContaining({ status: 'new', owner: 'Practitioner/nurse-1', deadline: DEADLINE, version: 1 })]);

    // Triage twice is harmless: reloading shows it handled and makes no second task.
    await page.getByTestId('inbox-reload').click();
    await page.getByTestId('inbox-summary').waitFor({ timeout: 60_000 });
    await expect(page.locator(`[data-testid="inbox-message"][data-key^="${patientId}|"]`).count()).resolves.toBe(0);
    expect(await followUpTasks()).toHaveLength(1);
    await ctx.close();
  });

  it('the nurse sees it due with the right countdown, logs a failed attempt and then the contact', async () => {
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await env.launch(page, { user: 'nurse-1' });
    await page.getByTestId('worklist-summary').waitFor({ timeout: 60_000 });
    const row = page.getByTestId('worklist-table').locator('[role="row"]').filter({ hasText: patientName });
    await row.waitFor();
    await expect(row.getByTestId('worklist-countdown').textContent()).resolves.toBe(COUNTDOWN);
    await shoot(page, 'followup-3-worklist');
    await expectAxeClean(page, 'main');

    await row.press('Enter');
    const section = page.getByTestId('followup-section');
    await section.waitFor({ timeout: 30_000 });
    await expect(section.getByTestId('fu-countdown').textContent()).resolves.toBe(COUNTDOWN);
    await expect(section.getByTestId('contact-epikrise').textContent()).resolves.toContain('pneumoni');
    await env.screenshot(page, 'followup-4-patient');

    // The call that was not answered, two minutes ago by the browser's (fixed, stepped) clock: after the triage.
    const browserNow = await page.evaluate(() => Date.now());
    await section.getByTestId('fu-attempt-time').fill(osloLocalMinute(new Date(browserNow - 2 * 60_000)));
    await section.getByTestId('fu-attempt-no-answer').check();
    // The app server's answer first (it refuses an attempt more than 5 minutes in its future): its words on failure.
    const [saved] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/follow-up\/tasks\/[^/]+\/attempts$/.test(new URL(r.url()).pathname), { timeout: 30_000 }),
      section.getByTestId('fu-attempt-save').click(),
    ]);
    expect(saved.status(), await saved.text()).toBe(200);
    await section.getByTestId('fu-attempts').waitFor({ timeout: 30_000 });
    await expect(section.getByTestId('fu-attempts').textContent()).resolves.toMatch(/telefon, Siri Haugland: ikke nådd \(Ikke svar\)/);
    await expect(section.getByTestId('fu-status').textContent()).resolves.toBe('Forsøkt');
    await expect(section.getByTestId('fu-journal').textContent()).resolves.toBe('Ikke skrevet til journalen ennå');
    await shoot(page, 'followup-5-attempt');

    await page.waitForSelector('[data-testid="contact-save"]:not([disabled])', { timeout: 20_000 });
    await section.getByLabel('Ja', { exact: true }).check();
    await page.getByTestId('contact-minutes').fill('15');
    await expectAxeClean(page, '[data-testid="followup-section"]');
    // The GP task is the last step after the contact: hold the read of the patient's GP (the app server's
    // patient displays) so the panel is seen between the steps. Until the GP has his task the follow-up is not "done".
    let hold = true;
    const holding: (() => void)[] = [];
    const release = () => {
      hold = false;
      holding.splice(0).forEach((r) => r());
    };
    const held = new Promise<void>((heldNow) => {
      void page.route('**/api/follow-up/patient-displays**', async (route) => {
        if (hold) {
          heldNow();
          await new Promise<void>((r) => holding.push(r));
        }
        await route.continue();
      });
    });
    await page.getByTestId('contact-save').click();
    // The app does not see the EPJ's GP charges, so the day's first egenandel asks (SPEC §6): not charged elsewhere.
    await page.getByTestId('paid-elsewhere-question').waitFor({ timeout: 30_000 });
    await page.getByTestId('paid-elsewhere-question').getByRole('button', { name: 'Nei' }).click();
    await held;
    await section.getByTestId('fu-contact-saving').waitFor({ timeout: 30_000 });
    await expect(section.getByTestId('fu-contact-done').count()).resolves.toBe(0);
    release();
    await section.getByTestId('fu-contact-done').filter({ hasText: 'Kontakten er registrert, og fastlegen har fått en oppgave om legemiddelendringene.' }).waitFor({ timeout: 30_000 });
    await expect(section.getByTestId('fu-outcome').textContent()).resolves.toBe('Kontaktet innen fristen');
    await section.getByTestId('fu-gp-task').waitFor({ timeout: 30_000 });
    await expect(section.getByTestId('fu-gp-task').count()).resolves.toBe(1);
    await shoot(page, 'followup-6-contact');

    const [task] = await followUpTasks();
    expect(task).toMatchObject({ status: 'contacted', outcome: 'met' });
    const attempts = await env.app.db.selectFrom('follow_up_attempt').select(['successful', 'by']).where('task_id', '=', task?.id ?? '').orderBy('at').execute();
    expect(attempts).toEqual([
      { successful: false, by: 'Practitioner/nurse-1' },
      { successful: true, by: 'Practitioner/nurse-1' },
    ]);
    const gpTasks = await env.app.db.selectFrom('gp_task').select(['assignee', 'kind', 'status', 'follow_up_id']).where('patient_id', '=', patientId).execute();
    expect(gpTasks).toEqual([{ assignee: `Practitioner/${gpId}`, kind: 'medication-review', status: 'open', follow_up_id: task?.id }]);
    // Each attempt is queued for the journal as a note (two attempts, two notes).
    const notes = await env.app.db.selectFrom('write_back').select(['resource_type', 'patient_id']).where('source', '=', `follow-up/${task?.id ?? ''}`).execute();
    expect(notes).toEqual([
      { resource_type: 'DocumentReference', patient_id: patientId },
      { resource_type: 'DocumentReference', patient_id: patientId },
    ]);
    await ctx.close();
  });

  it('the GP sees the task in «Mine oppgaver», completes it, and the nurse sees his answer', async () => {
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await env.launch(page, { user: gpId });
    await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('button', { name: 'Mine oppgaver' }).click();
    await page.getByTestId('gp-tasks-summary').waitFor({ timeout: 60_000 });
    const item = page.getByTestId('gp-task').filter({ hasText: patientName });
    await item.waitFor({ timeout: 30_000 });
    await expect(item.getByRole('heading').textContent()).resolves.toBe(`${patientName}: Vurder legemiddelendringer`);
    await expect(item.getByTestId('gp-task-reason').textContent()).resolves.toBe('Legemiddelendringer etter utskrivning trenger vurdering av fastlegen.');
    await shoot(page, 'followup-7-gp-tasks');
    await expectAxeClean(page, 'main');
    await item.getByTestId('gp-task-note').fill('Penicillinkuren fullføres; ingen endring i fast medisin.');
    await item.getByTestId('gp-task-done').click();
    await item.waitFor({ state: 'detached', timeout: 20_000 });
    await page.getByTestId('gp-tasks-all').check();
    const answered = page.getByTestId('gp-task').filter({ hasText: patientName });
    await expect(answered.getByTestId('gp-task-answer').textContent()).resolves.toBe('Utført: Penicillinkuren fullføres; ingen endring i fast medisin.');
    await shoot(page, 'followup-8-gp-task-done');
    await ctx.close();

    const nurse = await env.newContext();
    const nursePage = await nurse.newPage();
    await env.launch(nursePage, { user: 'nurse-1', patient: patientId });
    const gpAnswer = nursePage.getByTestId('fu-gp-task');
    await gpAnswer.waitFor({ timeout: 60_000 });
    await expect(gpAnswer.textContent()).resolves.toBe('Fastlegen har svart: utført (Penicillinkuren fullføres; ingen endring i fast medisin.).');
    await nurse.close();
  });

  it("the manager's compliance figure counts it as met", async () => {
    const [task] = await followUpTasks();
    expect(task?.deadline).toBe(DEADLINE);
    // Contacted today, before the deadline (SPEC §4: met = first successful contact on or before it).
    expect(await metFigure('followup-9-manager')).toBe(metBefore + 1);
  });
});

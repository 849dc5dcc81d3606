// Care plans, the medication review and the individual plan wired through daily work (issue 17 items 13,
// 16, 17, 19; issue 15): a nurse makes a care plan with goals for a diabetic patient and «trenger
// behandlingsplan» goes away; she records that a medication review is needed, and the GP sees the task in
// «Mine oppgaver» next to his other tasks, records it done, and «trenger legemiddelgjennomgang» goes away;
// the nurse sees his answer; she records an IP need and its report to the municipality. Screenshots of the
// panel's care section and «Mine oppgaver» at 1366 and 1024 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startEnv, type Env } from './harness';

let env: Env;

beforeAll(async () => {
  env = await startEnv({ patients: 400 });
}, 240_000);
afterAll(async () => {
  await env?.close();
});

/**
 * From the fixed seed (seed 1, 400 patients, as of 2026-11-25), as test/browser/target-groups.test.ts states
 * it by hand: Øyvind Terje Jacobsen has diabetes (T90) and KOLS (R95) and 12 active medications, no care plan
 * and no medication review, so SPEC §3 marks him «trenger behandlingsplan» and «trenger
 * legemiddelgjennomgang». His GP is gp-2.
 */
const PATIENT = { id: 'pat-00039', gp: 'gp-2', name: 'Øyvind Terje Jacobsen' };

async function shots(page: Page, name: string) {
  for (const width of [1366, 1024]) {
    await page.setViewportSize({ width, height: 900 });
    // No sideways scroll at either width.
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    await env.screenshot(page, `${name}-${width}`);
  }
  await page.setViewportSize({ width: 1366, height: 900 });
}

const markers = (page: Page) => page.getByTestId('target-group-markers');

/** Waits until the target-group markers (reloaded from the app server) do or do not show `text`. */
async function waitMarker(page: Page, text: string, shown: boolean) {
  await page.waitForFunction(
    ([t, s]) => {
      const section = document.querySelector('[data-testid="target-groups"][data-ready="true"]');
      if (!section) return false;
      const list = section.querySelector('[data-testid="target-group-markers"]');
      return (list?.textContent ?? '').includes(t as string) === s;
    },
    [text, shown] as const,
    { timeout: 60_000 },
  );
}

describe('care in daily work', () => {
  it('care plan, medication review to the GP\'s «Mine oppgaver», IP reported to the municipality', async () => {
    // The nurse opens the patient: both markers are there.
    const nurseCtx = await env.newContext();
    const nurse = await nurseCtx.newPage();
    await env.launch(nurse, { user: 'nurse-1', patient: PATIENT.id });
    await waitMarker(nurse, 'trenger behandlingsplan', true);
    await expect(markers(nurse).textContent()).resolves.toContain('trenger legemiddelgjennomgang');
    const care = nurse.getByRole('region', { name: 'Behandlingsplan, LMG, IP' });
    await care.getByRole('form', { name: 'Ny behandlingsplan' }).waitFor({ timeout: 60_000 });

    // A care plan with goals for diabetes: «trenger behandlingsplan» goes away.
    await care.getByLabel('Sykdom').selectOption('diabetes');
    await care.getByLabel('Behandlingsmål for diabetes (ett per linje)').fill('HbA1c under 53 mmol/mol\nGå 30 minutter hver dag');
    await care.getByRole('button', { name: 'Opprett behandlingsplan' }).click();
    await care.getByRole('status').filter({ hasText: 'Behandlingsplanen er lagret.' }).waitFor({ timeout: 60_000 });
    await care.getByRole('article', { name: 'Behandlingsplan Diabetes' }).waitFor();
    await waitMarker(nurse, 'trenger behandlingsplan', false);
    await expect(care.getByRole('article', { name: 'Behandlingsplan Diabetes' }).textContent()).resolves.toContain('aktiv siden 25.11.2026');

    // The need for a medication review: a task for the GP with a due date; the marker stays until it is done.
    const review = care.getByTestId('care-medication-review');
    await review.getByLabel('Begrunnelse / merknad').fill('12 faste legemidler, to blodfortynnende');
    await review.getByLabel('Frist (dd.mm.åååå, valgfri)').fill('04.12.2026');
    await review.getByRole('button', { name: 'Registrer behov (oppgave til fastlegen)' }).click();
    await review.getByRole('status').filter({ hasText: 'fastlegen har fått en oppgave' }).waitFor({ timeout: 60_000 });
    await expect(review.textContent()).resolves.toContain('Oppgave til fastlegen siden 25.11.2026, frist 04.12.2026: 12 faste legemidler, to blodfortynnende');
    await nurse.reload();
    await waitMarker(nurse, 'trenger legemiddelgjennomgang', true);

    // IP: the need, then the report to the municipality's coordinating unit.
    const ipButton = care.getByRole('button', { name: 'Registrer behov for individuell plan' });
    await ipButton.waitFor({ timeout: 60_000 });
    await ipButton.click();
    await care.getByRole('button', { name: 'Registrer meldt til koordinerende enhet' }).click();
    await care.getByText('Meldt til koordinerende enhet 25.11.2026 (elektronisk melding). Venter på koordinator.').waitFor({ timeout: 60_000 });
    await shots(nurse, 'care-panel-nurse');

    // The GP: the medication review in «Mine oppgaver», with patient, reason and due date.
    // The patient panel's code is held back until the GP has answered, as on a busy machine where he opens
    // «Mine oppgaver» before the panel has loaded: the panel the session brought must not show the old marker.
    const gpCtx = await env.newContext();
    let releasePanel: () => void = () => undefined;
    const panelHeld = new Promise<void>((resolve) => (releasePanel = resolve));
    await gpCtx.route(/\/assets\/patient-panel-[^/]*\.js$/, async (route) => {
      await panelHeld;
      await route.continue();
    });
    const gp = await gpCtx.newPage();
    await env.launch(gp, { user: PATIENT.gp, patient: PATIENT.id });
    await gp.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('button', { name: 'Mine oppgaver' }).click();
    await gp.getByTestId('gp-tasks-summary').waitFor({ timeout: 60_000 });
    const item = gp.locator('[data-testid="gp-task"][data-kind="care-medication-review"]').filter({ hasText: PATIENT.name });
    await item.waitFor({ timeout: 60_000 });
    await expect(item.getByRole('heading').textContent()).resolves.toBe(`${PATIENT.name}: Legemiddelgjennomgang`);
    await expect(item.getByTestId('gp-task-reason').textContent()).resolves.toBe('12 faste legemidler, to blodfortynnende');
    await expect(item.textContent()).resolves.toContain('Frist 04.12.2026');
    await shots(gp, 'care-my-tasks-gp');

    await item.getByTestId('gp-task-note').fill('Seponert ett blodfortynnende');
    await item.getByTestId('gp-task-done').click();
    await item.waitFor({ state: 'detached', timeout: 60_000 });
    await gp.getByTestId('gp-tasks-all').check();
    const answered = gp.locator('[data-testid="gp-task"][data-kind="care-medication-review"]').filter({ hasText: PATIENT.name });
    await expect(answered.getByTestId('gp-task-answer').textContent()).resolves.toBe('Utført: Seponert ett blodfortynnende');
    await shots(gp, 'care-my-tasks-gp-answered');

    // The marker goes; the nurse sees the GP's answer.
    releasePanel();
    await gp.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('button', { name: 'Pasient' }).click();
    await waitMarker(gp, 'trenger legemiddelgjennomgang', false);
    await nurse.reload();
    const answer = nurse.getByTestId('care-medication-answer');
    await answer.waitFor({ timeout: 60_000 });
    await expect(answer.textContent()).resolves.toContain('Fastlegen svarte 25.11.2026: utført – Seponert ett blodfortynnende.');
    await waitMarker(nurse, 'trenger legemiddelgjennomgang', false);
    await shots(nurse, 'care-panel-nurse-answered');
    await nurseCtx.close();
    await gpCtx.close();
  }, 300_000);
});

// «Gruppetime» (issue 17 item 20) in the real app against the sandbox EPJ: a nurse in a practice launch
// builds a roster from several GP lists by the patient search, sees each participant's egenandel before
// saving, registers the session in one step and sees each participant's S4 and egenandel decision. Expected
// values by hand from SPEC §5 (S4 for each participant; default catalogue: egenandel kr 50, demo value) and
// §6: an adult who pays nothing else today pays kr 50; a frikort holder and a child under 16 pay nothing
// (Frikort, Under 16 år); a patient whose single contact earlier today bore the egenandel pays nothing
// (already charged today by the team). A failed save keeps everything typed. Screenshots at 1366 and 1024 px
// (test-results/screenshots/group-session-*.png).
import type { Coverage, Patient } from '@medplum/fhirtypes';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerContact } from '../../server/features/contact-copay/store';
import { formatViolations, seriousViolations } from './axe';
import { startEnv, type Env } from './harness';

let env: Env;

interface Pick {
  id: string;
  name: string;
  gp: string;
}
let adult: Pick;
let seen: Pick;
let frikort: Pick;
let child: Pick;

const nameOf = (p: Patient) => [...(p.name?.[0]?.given ?? []), p.name?.[0]?.family].filter(Boolean).join(' ');
const gpOf = (p: Patient) => p.generalPractitioner?.[0]?.reference ?? '';

/** Completed years on `day`, by hand (not the app's ageOn). */
function years(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [dy, dm, dd] = day.split('-').map(Number) as [number, number, number];
  return dy - by - (dm > bm || (dm === bm && dd >= bd) ? 0 : 1);
}

beforeAll(async () => {
  env = await startEnv({ patients: 200 });
  const store = env.sandbox.fhir.store;
  const patients = (await store.search<Patient>('Patient', { _count: '5000' })).filter((p) => p.id && p.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(p.birthDate) && gpOf(p) && p.name?.[0]?.family);
  const coverages = await store.search<Coverage>('Coverage', { _count: '5000' });
  const covered = new Set(coverages.map((c) => c.beneficiary?.reference));
  const frikortHolders = new Set(
    coverages
      .filter((c) => c.status === 'active' && c.type?.coding?.some((t) => t.code === 'F') && (c.period?.start ?? '9999') <= env.today && (!c.period?.end || c.period.end.slice(0, 10) >= env.today))
      .map((c) => c.beneficiary?.reference),
  );
  // Unique names, so the search finds exactly the one meant.
  const counts = new Map<string, number>();
  for (const p of patients) counts.set(nameOf(p), (counts.get(nameOf(p)) ?? 0) + 1);
  const unique = patients.filter((p) => counts.get(nameOf(p)) === 1).sort((a, b) => (a.id ?? '').localeCompare(b.id ?? ''));
  const asPick = (p: Patient | undefined, what: string): Pick => {
    if (!p?.id) throw new Error(`the seed has no ${what}`);
    return { id: p.id, name: nameOf(p), gp: gpOf(p) };
  };
  const adults = unique.filter((p) => years(p.birthDate ?? '', env.today) >= 18 && !covered.has(`Patient/${p.id}`));
  adult = asPick(adults[0], 'adult without coverage');
  seen = asPick(adults.find((p) => gpOf(p) !== adult.gp), 'adult on another GP list');
  frikort = asPick(unique.find((p) => years(p.birthDate ?? '', env.today) >= 18 && frikortHolders.has(`Patient/${p.id}`)), 'adult with frikort today');
  child = asPick(unique.find((p) => years(p.birthDate ?? '', env.today) < 16 && !covered.has(`Patient/${p.id}`)), 'child under 16');
  // `seen` had a simple nurse contact at 08:15 today (S1a, bears the day's egenandel); the nurse answered
  // «not paid elsewhere today», so the answer is recorded for the day.
  const actor = { practiceId: 'Organization/org-practice', user: 'Practitioner/nurse-2', role: 'nurse' as const, iss: env.app.registry.entries[0]?.iss ?? '', chargeItems: false, gpChargesVisible: false };
  const saved = await registerContact(
    env.app.db,
    actor,
    { id: '00000000-0000-4000-c000-0000000000a1', patientId: seen.id, start: `${env.today}T08:15:00+01:00`, kind: 'simple', channel: 'in-person', lines: [{ code: 'S1a', quantity: 1 }], patient: { birthDate: '1960-05-01' }, paidElsewhereToday: false },
    new Date(`${env.today}T08:20:00+01:00`),
  );
  expect(saved.ok).toBe(true);
}, 180_000);
afterAll(async () => {
  await env?.close();
});

async function addParticipant(page: Page, p: Pick): Promise<void> {
  await page.getByTestId('group-search').fill(p.name);
  await page.getByRole('button', { name: `Legg til ${p.name}`, exact: true }).click({ timeout: 60_000 });
  await page.getByTestId(`group-row-${p.id}`).waitFor();
}

async function noSidewaysScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
}

describe('group session', () => {
  it('a nurse registers a group across GP lists: each participant gets S4 and his own egenandel decision', async () => {
    // The four come from at least two GP lists.
    expect(new Set([adult.gp, seen.gp, frikort.gp, child.gp]).size).toBeGreaterThan(1);
    const ctx = await env.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    await env.launch(page, { user: 'nurse-1' });
    await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('button', { name: 'Gruppetime' }).click();
    await page.getByTestId('group-session').waitFor();

    await page.getByTestId('group-topic').fill('Diabetesgruppe');
    await page.getByTestId('group-minutes').fill('90');
    for (const p of [adult, frikort, child, seen]) await addParticipant(page, p);

    // The recorded answer for `seen` is shown; the others are asked.
    await expect(page.getByTestId(`group-row-${seen.id}`).textContent()).resolves.toContain('Nei (registrert)');
    // Registering before answering names who still needs an answer, and keeps everything typed.
    await page.getByTestId('group-register').click();
    await page.getByTestId('group-errors').waitFor();
    await expect(page.getByTestId('group-errors').textContent()).resolves.toContain(`Svar på om pasienten allerede er belastet egenandel i dag for: ${adult.name}, ${frikort.name}, ${child.name}.`);
    for (const p of [adult, frikort, child]) await page.getByLabel(`Belastet egenandel i dag: ${p.name}`).selectOption('nei');
    // Answered: the problem is gone.
    await page.getByTestId('group-errors').waitFor({ state: 'detached' });

    const preview = (p: Pick) => page.getByTestId(`group-row-${p.id}`).getByTestId('group-preview-egenandel');
    await expect.poll(() => preview(adult).textContent(), { timeout: 30_000 }).toBe('kr 50 betales');
    await expect.poll(() => preview(frikort).textContent(), { timeout: 30_000 }).toBe('kr 0 (kr 50 frafalt): Frikort');
    await expect.poll(() => preview(child).textContent(), { timeout: 30_000 }).toBe('kr 0 (kr 50 frafalt): Under 16 år');
    await expect.poll(() => preview(seen).textContent(), { timeout: 30_000 }).toBe('kr 0 (kr 50 frafalt): Egenandel allerede belastet i dag (teamet)');
    const formViolations = await seriousViolations(page);
    expect(formViolations, formatViolations(formViolations)).toEqual([]);
    await env.screenshot(page, 'group-session-form-1366');
    await page.setViewportSize({ width: 1024, height: 900 });
    expect(await noSidewaysScroll(page)).toBe(true);
    await env.screenshot(page, 'group-session-form-1024');

    // The server fails once: the message is shown and nothing typed is lost.
    let failed = false;
    await page.route('**/api/contact-copay/group-sessions', async (route) => {
      if (failed) return route.fallback();
      failed = true;
      return route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'Intern feil i appserveren.' }) });
    });
    await page.getByTestId('group-register').click();
    await page.getByTestId('group-save-error').waitFor();
    await expect(page.getByTestId('group-save-error').textContent()).resolves.toContain('Gruppetimen ble ikke lagret: Intern feil i appserveren.');
    await expect(page.getByTestId('group-topic').inputValue()).resolves.toBe('Diabetesgruppe');
    await expect(page.locator('[data-testid^="group-row-"]').count()).resolves.toBe(4);

    await page.getByTestId('group-register').click();
    await page.getByTestId('group-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('group-summary').textContent()).toBe('4 av 4 deltakere registrert, kr 50 i egenandel til sammen. Journalnotatene sendes til journalen.');
    const result = (p: Pick) => page.getByTestId(`group-result-${p.id}`);
    expect(await result(adult).getByTestId('group-result-egenandel').textContent()).toBe('kr 50 betales');
    expect(await result(frikort).getByTestId('group-result-reason').textContent()).toBe('Frikort');
    expect(await result(child).getByTestId('group-result-reason').textContent()).toBe('Under 16 år');
    expect(await result(seen).getByTestId('group-result-egenandel').textContent()).toBe('kr 0 (kr 50 frafalt)');
    expect(await result(seen).getByTestId('group-result-reason').textContent()).toBe('Egenandel allerede belastet i dag (teamet)');
    for (const p of [adult, frikort, child, seen]) expect(await result(p).textContent()).toContain('S4 Gruppeoppfølging');
    expect(await noSidewaysScroll(page)).toBe(true);
    const resultViolations = await seriousViolations(page);
    expect(resultViolations, formatViolations(resultViolations)).toEqual([]);
    await env.screenshot(page, 'group-session-result-1024');
    await page.setViewportSize({ width: 1366, height: 900 });
    await env.screenshot(page, 'group-session-result-1366');

    // In the app's database: one S4 per participant; the single contact still bears `seen`'s egenandel.
    const rows = await env.app.db.selectFrom('charge').select(['patient_id', 'code', 'egenandel', 'waiver_reason']).where('oslo_day', '=', env.today).where('patient_id', 'in', [adult.id, frikort.id, child.id, seen.id]).execute();
    const byPatient = (id: string) => rows.filter((r) => r.patient_id === id).map((r) => [r.code, Number(r.egenandel), r.waiver_reason]).sort();
    expect(byPatient(adult.id)).toEqual([['S4', 50, null]]);
    expect(byPatient(frikort.id)).toEqual([['S4', 0, 'F']]);
    expect(byPatient(child.id)).toEqual([['S4', 0, 'B']]);
    expect(byPatient(seen.id)).toEqual([
      ['S1a', 50, null],
      ['S4', 0, 'SAME_DAY'],
    ]);
    await ctx.close();
  }, 240_000);
});

// Target groups end to end (issue "Target groups" point 7; issue 15): the list overview runs the scan on the
// app server and then opens with the stored result; a GP opens a candidate, sees the reasons, rejects one
// group with a reason and confirms another, and the list reflects it at once; a nurse records an outreach
// offer; the secretary sees membership without evidence. Screenshots of every view at 1366 and 1024 px.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TargetGroup } from '../../src/domain/targetGroups';
import { startEnv, type Env } from './harness';

const PATIENTS = 400;
let env: Env;

beforeAll(async () => {
  env = await startEnv({ patients: PATIENTS });
});
afterAll(async () => {
  await env?.close();
});

/** axe-core is injected as a script, which the app's CSP (rightly) forbids: bypass it in the test browser only. */
function newContext() {
  return env.newContext({ bypassCSP: true });
}

/**
 * A listed patient with two candidate groups, from the fixed seed (seed 1, 400 patients, as of AS_OF
 * 2026-11-25), checked by hand against SPEC §3: Øyvind Terje Jacobsen, born 1950-07-03 (76 full years),
 * has diabetes T90 and KOLS R95 (key diseases) plus atrial fibrillation K78 and hypertension I10, and 12
 * active medications (polypharmacy): `chronic` (a key disease and 2 or more chronic diseases) and
 * `frail-elderly` (75 or more, polypharmacy together with 2 or more chronic diseases). Depression (F32) does
 * not make him `mental-substance`. His GP is gp-2.
 */
const CANDIDATE = { id: 'pat-00039', gp: 'gp-2', name: 'Øyvind Terje Jacobsen', groups: ['chronic', 'frail-elderly'] as TargetGroup[] };

async function axeViolations(page: Page): Promise<string[]> {
  const require = createRequire(import.meta.url);
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: string) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe;
    return axe.run('main');
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length})`);
}

async function nav(page: Page, label: string) {
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('button', { name: label }).click();
}

/** Starts the rescan on the app server and waits until its run is no longer running and the list is back. */
async function runScan(page: Page) {
  const finished = page.waitForResponse(
    async (r) => r.url().includes('/api/target-groups/scan/') && r.status() === 200 && ((await r.json()) as { run: { state: string } }).run.state !== 'running',
    { timeout: 120_000 },
  );
  await page.getByTestId('scan-run').click();
  await finished;
  await page.getByTestId('scan-info').waitFor({ timeout: 60_000 });
  await page.getByTestId('scan-run').waitFor();
}

/** The same view at the two widths the practices' screens have. */
async function shots(page: Page, name: string) {
  for (const width of [1366, 1024]) {
    await page.setViewportSize({ width, height: 900 });
    await env.screenshot(page, `${name}-${width}`);
  }
  await page.setViewportSize({ width: 1366, height: 900 });
}

async function rowFor(page: Page, name: string) {
  await page.getByTestId('filter-name').fill(name);
  return page.getByTestId('patient-table').getByRole('row', { name });
}

describe('target groups in the browser', () => {
  it('GP assesses two groups; the list overview reflects it at once', async () => {
    const candidate = CANDIDATE;
    const [rejected, confirmed] = candidate.groups as [TargetGroup, TargetGroup];
    const ctx = await newContext();
    const page = await ctx.newPage();
    await env.launch(page, { user: candidate.gp, patient: candidate.id });

    // Before any scan the list says so; the manual rescan runs on the app server with progress.
    await nav(page, 'Listeoversikt');
    await page.getByTestId('scan-none').waitFor();
    await runScan(page);
    await expect(page.getByTestId('scan-info').textContent()).resolves.toMatch(/Målgrupper beregnet .*kl\. \d{2}:\d{2}/);
    // The list before any assessment: both groups are forslag.
    const before = await rowFor(page, candidate.name);
    await expect(before.textContent()).resolves.toMatch(/forslag.*forslag/);
    await shots(page, 'target-groups-list-gp');

    await nav(page, 'Pasient');
    const section = page.getByTestId('target-groups');
    await section.getByTestId(`target-group-${rejected}`).waitFor();
    await expect(section.getByTestId(`target-group-${rejected}`).getByTestId('target-group-status').textContent()).resolves.toBe('forslag');
    const reasons = await section.getByTestId(`target-group-${confirmed}`).textContent();
    expect(reasons).toMatch(/\d{2}\.\d{2}\.\d{4}|ICPC-2|ICD-10|ATC|Alder/);
    await shots(page, 'target-groups-panel-gp');
    expect(await axeViolations(page)).toEqual([]);

    // Reject one group: the reason is required.
    await section.getByTestId(`target-group-${rejected}`).getByRole('button', { name: 'Vurder' }).click();
    const rejectForm = page.getByTestId(`assess-form-${rejected}`);
    await rejectForm.getByLabel('Avkreft målgruppe').check();
    await rejectForm.getByTestId('assess-save').click();
    await expect(rejectForm.getByRole('alert').textContent()).resolves.toContain('begrunnelse');
    await rejectForm.getByTestId('assess-reason').fill('Følges tett av spesialisthelsetjenesten');
    await env.screenshot(page, 'target-groups-assess-form');
    await rejectForm.getByTestId('assess-save').click();
    await expect.poll(() => section.getByTestId(`target-group-${rejected}`).getAttribute('data-status')).toBe('rejected');

    await section.getByTestId(`target-group-${confirmed}`).getByRole('button', { name: 'Vurder' }).click();
    const confirmForm = page.getByTestId(`assess-form-${confirmed}`);
    await confirmForm.getByLabel('Bekreft målgruppe').check();
    await confirmForm.getByTestId('assess-reason').fill('Trenger koordinert oppfølging');
    await confirmForm.getByTestId('assess-save').click();
    await expect.poll(() => section.getByTestId(`target-group-${confirmed}`).getAttribute('data-status')).toBe('confirmed');
    await expect(section.getByTestId(`target-group-${rejected}`).textContent()).resolves.toContain('Følges tett av spesialisthelsetjenesten');
    await shots(page, 'target-groups-panel-assessed');

    // The list without a rescan: the rejected group is gone, the confirmed one says bekreftet.
    await nav(page, 'Listeoversikt');
    const after = await rowFor(page, candidate.name);
    await expect.poll(async () => (await after.textContent()) ?? '').toContain('(bekreftet)');
    expect((await after.textContent()) ?? '').not.toMatch(/forslag/);
    await shots(page, 'target-groups-list-assessed');
    expect(await axeViolations(page)).toEqual([]);
    await ctx.close();
  });

  it('the list is virtualised: only visible rows are in the DOM', async () => {
    const ctx = await newContext();
    const page = await ctx.newPage();
    await env.launch(page, { user: 'gp-2' });
    await nav(page, 'Listeoversikt');
    // The last computed result opens at once: no scan needed.
    await page.getByTestId('scan-info').waitFor();
    await page.getByTestId('filter-group').selectOption('everyone');
    await expect(page.getByTestId('list-count').textContent()).resolves.toContain(`av ${PATIENTS}`);
    const inDom = await page.getByTestId('datatable-row').count();
    expect(inDom).toBeGreaterThan(5);
    expect(inDom).toBeLessThan(40);
    await shots(page, 'target-groups-list-practice');
    await ctx.close();
  });

  it('a nurse records an outreach offer to a weak demander', async () => {
    const ctx = await newContext();
    const page = await ctx.newPage();
    await env.launch(page, { user: 'nurse-1' });
    await nav(page, 'Oppsøkende');
    await page.getByTestId('outreach-count').waitFor({ timeout: 60_000 });
    const first = page.locator('[data-testid^="outreach-pat-"]').first();
    await expect(first.getByTestId('outreach-status').textContent()).resolves.toBe('Ikke vurdert ennå.');
    await shots(page, 'target-groups-outreach-list');
    await first.getByTestId('outreach-record').click();
    const form = first.getByTestId('outreach-form');
    await form.getByLabel('Behov for oppfølging', { exact: true }).check();
    await form.getByTestId('outreach-note').fill('Ikke sett på over ett år, bor alene.');
    await form.getByLabel('Hjemmebesøk').check();
    await form.getByLabel('Takket nei').check();
    await shots(page, 'target-groups-outreach-form');
    expect(await axeViolations(page)).toEqual([]);
    await form.getByTestId('outreach-save').click();
    await expect.poll(() => first.getByTestId('outreach-status').textContent()).toMatch(/Vurdert \d{2}\.\d{2}\.\d{4}: behov for oppfølging\. Hjemmebesøk \d{2}\.\d{2}\.\d{4}, takket nei\. Ikke sett på over ett år, bor alene\./);
    // The journal note is queued on the server; until the write-back job has sent it, the row says so.
    await expect(first.getByTestId('outreach-journal').textContent()).resolves.toBe('Ikke skrevet til journalen ennå');
    await shots(page, 'target-groups-outreach-recorded');
    await ctx.close();
  });

  it('the secretary sees membership only: no groups, markers or evidence, in the page or from the server', async () => {
    const ctx = await newContext();
    const page = await ctx.newPage();
    await env.launch(page, { user: 'secretary-1' });
    const answer = page.waitForResponse((r) => r.url().includes('/api/target-groups/list'));
    await nav(page, 'Listeoversikt');
    const body = await (await answer).text();
    expect(body).toContain('"inTargetGroup":true');
    expect(body).not.toMatch(/"group":|"rule":|evidence|ICPC|ICD-10/);
    await page.getByTestId('scan-info').waitFor();
    const headers = await page.getByTestId('patient-table').getByRole('columnheader').allTextContents();
    expect(headers.join('|')).not.toContain('Begrunnelse');
    // Membership only (issue 17 item 7): an "Oppfølging" column saying "I målgruppe", no group labels.
    expect(headers.join('|')).toContain('Oppfølging');
    expect(headers.join('|')).not.toContain('Målgrupper');
    const table = page.getByTestId('patient-table');
    await expect(table.getByText('I målgruppe').first().isVisible()).resolves.toBe(true);
    for (const label of ['Kronisk syke', 'Skrøpelige eldre']) await expect(table.getByText(label).count()).resolves.toBe(0);
    await shots(page, 'target-groups-list-secretary');
    await ctx.close();
  });
});

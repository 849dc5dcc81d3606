// Protected addresses (issue 12 item 1; SPEC §8): a patient with fortrolig / strengt fortrolig adresse
// never has the address in the DOM or in a downloaded file, whichever way the EPJ marks it (meta.security
// R and V, our extension on the Patient, the extension on the address itself). One view per test: panel
// + banner, worklist, list overview + its CSV, the manager's CSVs (reconciliation and evaluation export).
// An unprotected patient's address is shown/exported where the view has addresses, so the check can fail.
import { readFileSync } from 'node:fs';
import type { Address, Encounter, Patient, Resource } from '@medplum/fhirtypes';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerContact } from '../../server/features/contact-copay/store';
import { ensureFollowUp } from '../../server/features/follow-up/store';
import { EXTENSIONS, SYSTEMS } from '../../src/fhir/systems';
import { startEnv, type Env } from './harness';

let env: Env;

const FAMILY = 'Personvernsen';
const CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
const PROTECTED_TEXT = 'Adressen er skjermet';

interface Case {
  key: string;
  given: string;
  street: string;
  marks?: Partial<Patient>;
  addressMark?: boolean;
}

const OPEN: Case = { key: 'open', given: 'Åse', street: 'Synligveien 3' };
const PROTECTED: Case[] = [
  { key: 'meta-r', given: 'Rita', street: 'Skjermgata 11', marks: { meta: { security: [{ system: CONFIDENTIALITY, code: 'R' }] } } },
  { key: 'meta-v', given: 'Vera', street: 'Skjermgata 12', marks: { meta: { security: [{ system: CONFIDENTIALITY, code: 'V' }] } } },
  { key: 'ext-f', given: 'Frida', street: 'Skjermgata 13', marks: { extension: [{ url: EXTENSIONS.addressProtection, valueCode: 'fortrolig' }] } },
  { key: 'ext-sf', given: 'Stine', street: 'Skjermgata 14', marks: { extension: [{ url: EXTENSIONS.addressProtection, valueCode: 'strengt-fortrolig' }] } },
  { key: 'address', given: 'Anne', street: 'Skjermgata 15', addressMark: true },
];
const ALL = [OPEN, ...PROTECTED];
const patientId = (c: Case) => `pat-privacy-${c.key}`;
/** The contact registered today for each test patient (a uuid); its charge is `<contact id>:S2b`. */
const contactId = (i: number) => `00000000-0000-4000-e000-0000000000${String(i).padStart(2, '0')}`;
const nameOf = (c: Case) => `${c.given} ${FAMILY}`;

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function resourcesFor(c: Case, i: number, today: string): Resource[] {
  const address: Address = { use: 'home', type: 'physical', line: [c.street], postalCode: '0150', city: 'Oslo', country: 'NO' };
  if (c.addressMark) address.extension = [{ url: EXTENSIONS.addressProtection, valueCode: 'strengt-fortrolig' }];
  const id = patientId(c);
  const patient: Patient = {
    resourceType: 'Patient',
    id,
    ...c.marks,
    identifier: [{ system: SYSTEMS.fnr, value: `0101501234${i}` }],
    active: true,
    name: [{ use: 'official', family: FAMILY, given: [c.given], text: nameOf(c) }],
    telecom: [{ system: 'phone', value: `+47 9000000${i}`, use: 'mobile' }],
    birthDate: '1950-01-01',
    address: [address],
    generalPractitioner: [{ reference: 'Practitioner/gp-1' }],
    managingOrganization: { reference: 'Organization/org-practice' },
  };
  // A discharge long overdue for follow-up: these rows come first in the worklist (overdue first).
  const discharged = addDays(today, -40);
  const encounter: Encounter = {
    resourceType: 'Encounter',
    id: `enc-privacy-${c.key}`,
    status: 'finished',
    class: { system: SYSTEMS.actCode, code: 'IMP' },
    subject: { reference: `Patient/${id}` },
    period: { start: `${addDays(discharged, -2)}T10:00:00+01:00`, end: `${discharged}T12:00:00+01:00` },
    serviceProvider: { reference: 'Organization/org-ahus', display: 'Akershus universitetssykehus HF' },
  };
  return [patient, encounter];
}

beforeAll(async () => {
  env = await startEnv();
  await env.sandbox.fhir.store.bulkLoad(ALL.flatMap((c, i) => resourcesFor(c, i, env.today)));
  // A nurse contact today for each (S2b, no egenandel) in the app's database, so the reconciliation export has
  // this patient's charge line (charges are the app's own rows, issue 15).
  for (const [i, c] of ALL.entries()) {
    const saved = await registerContact(
      env.app.db,
      { practiceId: 'Organization/org-practice', user: 'Practitioner/nurse-1', role: 'nurse', iss: env.app.registry.entries[0]?.iss ?? '', chargeItems: false, gpChargesVisible: true },
      { id: contactId(i), patientId: patientId(c), start: `${env.today}T09:0${i}:00+01:00`, kind: 'simple', channel: 'phone', lines: [{ code: 'S2b', quantity: 1 }], patient: { birthDate: '1950-01-01' } },
      new Date(`${env.today}T09:30:00+01:00`),
    );
    expect(saved.ok, JSON.stringify(saved)).toBe(true);
  }
  // Their follow-up tasks, long overdue (these rows come first in the worklist), in the app's database.
  const discharged = addDays(env.today, -40);
  for (const [i, c] of ALL.entries()) {
    const id = patientId(c);
    await ensureFollowUp(env.app.db, 'Organization/org-practice', {
      id: `00000000-0000-4000-8000-1000000000${String(i).padStart(2, '0')}`,
      iss: env.app.registry.entries[0]?.iss ?? '',
      patientId: id,
      episodeKey: `${id}|org-ahus|${discharged}`,
      institution: { id: 'org-ahus', name: 'Akershus universitetssykehus HF' },
      dischargeDate: discharged,
      deadline: addDays(discharged, 3),
      signals: [`Encounter/enc-privacy-${c.key}`],
      owner: 'Practitioner/nurse-1',
      createdBy: 'system',
      at: new Date(`${discharged}T13:00:00+01:00`),
    });
  }
});
afterAll(async () => {
  await env?.close();
});

/** The page's whole DOM (text and attributes): a protected street must be nowhere in it. */
async function dom(page: Page): Promise<string> {
  return page.content();
}

function expectNoProtectedStreet(text: string): void {
  for (const c of PROTECTED) expect(text, `${c.key}: ${c.street}`).not.toContain(c.street);
}

async function downloaded(page: Page, click: () => Promise<void>): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]) as [Download, void];
  const path = await download.path();
  return readFileSync(path, 'utf8');
}

async function screenshots(page: Page, name: string): Promise<void> {
  for (const width of [1366, 1024]) {
    await page.setViewportSize({ width, height: 900 });
    await env.screenshot(page, `${name}-${width}`);
  }
}

async function nav(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('button', { name: label }).click();
}

describe('protected addresses are never shown or exported', () => {
  test.each(ALL.map((c) => [c.key, c] as const))('patient panel + banner (launch patient, %s)', async (_key, c) => {
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    const patientReads: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.endsWith(`/Patient/${patientId(c)}`)) patientReads.push(r.url());
    });
    await env.launch(page, { user: 'nurse-1', patient: patientId(c) });
    await page.locator('[data-testid="target-groups"][data-ready="true"]').waitFor({ timeout: 60_000 });
    const address = page.getByTestId('patient-address');
    await address.waitFor();
    await page.waitForLoadState('networkidle');
    const isOpen = c === OPEN;
    await expect(address.textContent()).resolves.toBe(isOpen ? `${OPEN.street}, 0150 Oslo` : PROTECTED_TEXT);
    const html = await dom(page);
    expect(html).toContain(nameOf(c));
    if (isOpen) expect(html).toContain(OPEN.street);
    else expect(html).not.toContain(c.street);
    // The banner's address costs no request of its own: the launch Patient comes with /api/session (issue 19) and
    // is reused, so the browser reads it at most once (only when the session could not carry it).
    expect(patientReads.length).toBeLessThanOrEqual(1);
    if (c.key === 'open' || c.key === 'meta-v') await screenshots(page, `privacy-panel-${c.key}`);
    await ctx.close();
  });

  test('worklist: phone and address, «Adressen er skjermet» for every protected patient; opening one keeps it hidden', async () => {
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await env.launch(page, { user: 'nurse-1' });
    await page.getByTestId('worklist-summary').waitFor({ timeout: 60_000 });
    const table = page.getByTestId('worklist-table');
    for (const c of ALL) await table.locator('[role="row"]').filter({ hasText: nameOf(c) }).waitFor();
    const openRow = (await table.locator('[role="row"]').filter({ hasText: nameOf(OPEN) }).textContent()) ?? '';
    expect(openRow).toContain(`${OPEN.street}, 0150 Oslo`);
    for (const c of PROTECTED) {
      const text = (await table.locator('[role="row"]').filter({ hasText: nameOf(c) }).textContent()) ?? '';
      expect(text, c.key).toContain(PROTECTED_TEXT);
    }
    expectNoProtectedStreet(await dom(page));
    await screenshots(page, 'privacy-worklist');

    // Opened from the list (not the launch patient): banner and panel keep it hidden too.
    await table.locator('[role="row"]').filter({ hasText: nameOf(PROTECTED[4]!) }).click();
    await page.getByTestId('followup-section').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('patient-address').textContent()).resolves.toBe(PROTECTED_TEXT);
    await page.waitForLoadState('networkidle');
    expectNoProtectedStreet(await dom(page));
    await ctx.close();
  });

  test('list overview and its CSV: only the unprotected address is exported', async () => {
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await env.launch(page, { user: 'gp-1' });
    await nav(page, 'Listeoversikt');
    await page.getByTestId('scan-run').click();
    await page.getByTestId('scan-info').waitFor({ timeout: 60_000 });
    await page.getByTestId('filter-group').selectOption('everyone');
    await page.getByTestId('filter-name').fill(FAMILY);
    await expect(page.getByTestId('list-count').textContent()).resolves.toMatch(/^Viser 6 av/);
    expectNoProtectedStreet(await dom(page));
    await screenshots(page, 'privacy-list-overview');

    const csv = await downloaded(page, () => page.getByTestId('csv-export').click());
    const lines = csv.split('\r\n').filter((l) => l.includes(FAMILY));
    expect(lines).toHaveLength(6);
    expect(lines.find((l) => l.includes(nameOf(OPEN)))).toContain(`${OPEN.street}, 0150 Oslo`);
    expectNoProtectedStreet(csv);
    await ctx.close();
  });

  test('manager: the reconciliation CSV and the evaluation export hold no address', async () => {
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await env.launch(page, { user: 'gp-2' });
    await page.getByRole('tab', { name: /Oppgjørskontroll/ }).waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: /Oppgjørskontroll/ }).click();
    const claims = await downloaded(page, () => page.getByRole('button', { name: 'Last ned CSV for avstemming' }).click());
    // Every test patient's charge line is in the file, and not one address (not even the unprotected one:
    // Helfo's reconciliation needs no address).
    for (const i of ALL.keys()) expect(claims).toContain(`${contactId(i)}:S2b`);
    expectNoProtectedStreet(claims);
    expect(claims).not.toContain(OPEN.street);
    expectNoProtectedStreet(await dom(page));
    await screenshots(page, 'privacy-manager-claims');

    // The financing views (issue 18): nothing about a patient there either.
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.getByRole('tab', { name: /Finansiering/ }).click();
    await page.getByTestId('financing').waitFor({ timeout: 30_000 });
    expectNoProtectedStreet(await dom(page));
    await screenshots(page, 'privacy-manager-financing');

    // The evaluation export (issue 18 item 4): the CSV and the MeasureReport bundle, aggregate only: no
    // address, no name, no fødselsnummer, no phone, no patient id or reference.
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.getByRole('tab', { name: /Eksport/ }).click();
    await page.getByTestId('evaluation-part-contacts').waitFor({ timeout: 30_000 });
    await screenshots(page, 'privacy-manager-export');
    const evaluation = await downloaded(page, () => page.getByTestId('evaluation-export-csv').click());
    expect(evaluation.startsWith('\uFEFFperiode;del;rad;kolonne;verdi;enhet\r\n')).toBe(true);
    const bundle = await downloaded(page, () => page.getByTestId('evaluation-export-fhir').click());
    const resources = (JSON.parse(bundle) as { entry: { resource: { resourceType: string } }[] }).entry.map((e) => e.resource.resourceType);
    expect(resources.length).toBeGreaterThan(0);
    expect(new Set(resources)).toEqual(new Set(['MeasureReport']));
    for (const [name, file] of [['CSV', evaluation], ['FHIR', bundle]] as const) {
      expectNoProtectedStreet(file);
      expect(file, name).not.toContain(OPEN.street);
      expect(file, name).not.toContain(FAMILY);
      expect(file, name).not.toContain('0101501234'); // the test patients' fødselsnummer prefix
      expect(file, name).not.toContain('+47 9000000');
      expect(file, name).not.toMatch(/pat-|Patient\//);
    }
    expectNoProtectedStreet(await dom(page));
    await ctx.close();
  });
});

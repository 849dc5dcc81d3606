// Hostile input (issue "Reliability and security", point 2): names, notes, narratives and codes with
// <script>, event-handler markup, javascript: URLs, HTML entities and very long values are shown as
// text in every view that shows them, never executed or rendered as HTML.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { Resource } from '@medplum/fhirtypes';
import { SYSTEMS } from '../../src/fhir/systems';
import { startEnv, type Env } from './harness';

let env: Env;

const SCRIPT_NAME = `<script>window.__pwned='name'</script>`;
const IMG_FAMILY = `<img src=x onerror="window.__pwned='img'">Hansen`;
const ENTITY_NOTE = '&lt;b&gt;ikke fet&lt;/b&gt; &amp; javascript:alert(1)';
const HOSTILE_ORG = `<b>Sykehus</b><svg onload="window.__pwned='svg'"></svg>`;
const LONG = 'Å'.repeat(20_000);

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function hostileResources(today: string): Resource[] {
  const yesterday = addDays(today, -1);
  const subject = { reference: 'Patient/pat-hostile' };
  const active = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] };
  return [
    { resourceType: 'Organization', id: 'org-hostile', name: HOSTILE_ORG },
    {
      resourceType: 'Patient',
      id: 'pat-hostile',
      identifier: [{ system: SYSTEMS.fnr, value: '01015012345' }],
      name: [{ given: [SCRIPT_NAME], family: IMG_FAMILY }],
      birthDate: '1950-01-01',
      telecom: [{ system: 'phone', value: `javascript:alert('tlf')` }],
      generalPractitioner: [{ reference: 'Practitioner/gp-1' }],
      managingOrganization: { reference: 'Organization/org-practice' },
      text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${ENTITY_NOTE}</div>` },
    },
    {
      resourceType: 'Patient',
      id: 'pat-hostile-2',
      identifier: [{ system: SYSTEMS.fnr, value: '01018012345' }],
      name: [{ given: [SCRIPT_NAME], family: `${IMG_FAMILY} ${LONG}` }],
      birthDate: '1980-01-01',
      generalPractitioner: [{ reference: 'Practitioner/gp-1' }],
    },
    // Diabetes + two more chronic diseases: a target-group candidate, so its evidence is shown.
    ...['T90', 'K86', 'K77'].map((code, i): Resource => ({
      resourceType: 'Condition',
      id: `cond-hostile-${i}`,
      subject,
      clinicalStatus: active,
      code: { coding: [{ system: SYSTEMS.icpc2, code, display: `${SCRIPT_NAME}${LONG.slice(0, 200)}` }], text: `javascript:alert('${code}')` },
    })),
    {
      resourceType: 'Encounter',
      id: 'enc-hostile',
      status: 'finished',
      class: { system: SYSTEMS.actCode, code: 'IMP' },
      subject: { reference: 'Patient/pat-hostile-2' },
      period: { start: `${addDays(today, -3)}T10:00:00+01:00`, end: `${yesterday}T12:00:00+01:00` },
      serviceProvider: { reference: 'Organization/org-hostile', display: HOSTILE_ORG },
    },
    {
      resourceType: 'Communication',
      id: 'com-hostile',
      status: 'completed',
      category: [{ coding: [{ code: 'epikrise' }] }],
      subject,
      sent: `${yesterday}T13:00:00+01:00`,
      sender: { reference: 'Organization/org-hostile', display: HOSTILE_ORG },
      payload: [{ contentString: `${SCRIPT_NAME} ${ENTITY_NOTE} ${LONG}` }],
    },
  ];
}

beforeAll(async () => {
  env = await startEnv();
  await env.sandbox.fhir.store.bulkLoad(hostileResources(env.today));
});
afterAll(async () => {
  await env?.close();
});

/** Nothing ran, nothing was parsed as markup, no javascript: link exists. */
async function expectInert(page: Page): Promise<void> {
  const facts = await page.evaluate(() => ({
    pwned: Reflect.get(window, '__pwned'),
    injectedImages: document.querySelectorAll('img[src="x"]').length,
    injectedSvg: document.querySelectorAll('svg[onload]').length,
    bold: [...document.querySelectorAll('b')].filter((b) => b.textContent === 'Sykehus').length,
    jsLinks: [...document.querySelectorAll('a[href]')].filter((a) => a.getAttribute('href')?.trim().toLowerCase().startsWith('javascript:')).length,
  }));
  expect(facts).toEqual({ pwned: undefined, injectedImages: 0, injectedSvg: 0, bold: 0, jsLinks: 0 });
}

describe('hostile input is shown as text', () => {
  test('patient banner and patient panel (nurse)', async () => {
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await env.launch(page, { user: 'nurse-1', patient: 'pat-hostile' });
    await page.locator('[data-testid="target-groups"][data-ready="true"]').waitFor();
    const banner = (await page.getByTestId('patient-banner').textContent()) ?? '';
    expect(banner).toContain(SCRIPT_NAME);
    expect(banner).toContain(IMG_FAMILY);
    // The follow-up's epikrise (a Communication) is shown as its literal text.
    await page.waitForLoadState('networkidle');
    await expectInert(page);
    await env.screenshot(page, 'hostile-patient-panel');
    await ctx.close();
  });

  test('inbox (secretary): institution and patient names as text', async () => {
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await env.launch(page, { user: 'secretary-1' });
    await page.getByText('<b>Sykehus</b>', { exact: false }).first().waitFor({ timeout: 30_000 });
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).toContain(HOSTILE_ORG);
    expect(body).toContain(SCRIPT_NAME);
    // A 20,000-character name wraps inside the page instead of widening it.
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    await expectInert(page);
    await page.screenshot({ path: 'test-results/screenshots/hostile-inbox.png' }); // the viewport: the page is very tall
    await ctx.close();
  });
});

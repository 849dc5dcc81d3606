// Worklist: the last click wins (issue 12 item 6). A nurse who opens row X and then row Y must end on
// Y even when X's read answers last, or a contact could be registered on the wrong patient. Every FHIR
// response is held back by a seeded random delay (Playwright routing), and 20 rounds each click 2-5
// rows in one burst; after every answer has reached the page, the patient shown is the last one clicked.
// Deterministic by seed: the same delays and the same click orders on every run.
import type { Encounter, Patient, Resource } from '@medplum/fhirtypes';
import type { Page, Request, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureFollowUp } from '../../server/features/follow-up/store';
import { SYSTEMS } from '../../src/fhir/systems';
import { startEnv, type Env } from './harness';

let env: Env;

const FAMILY = 'Klikksen';
const GIVEN = ['Aina', 'Bjørn', 'Cecilie', 'Dag', 'Eli', 'Finn'];
const ROUNDS = 20;
const SEED = 20261202;
const MAX_DELAY_MS = 150;

/** mulberry32: a small seeded generator, so every run clicks and delays the same way. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Six patients with a long-overdue discharge each: the EPJ's side. */
function fixtures(today: string): Resource[] {
  const discharged = addDays(today, -40);
  return GIVEN.flatMap((given, i): Resource[] => {
    const id = `pat-race-${i}`;
    const patient: Patient = {
      resourceType: 'Patient',
      id,
      identifier: [{ system: SYSTEMS.fnr, value: `0202602345${i}` }],
      name: [{ use: 'official', family: FAMILY, given: [given], text: `${given} ${FAMILY}` }],
      birthDate: '1960-02-02',
      generalPractitioner: [{ reference: 'Practitioner/gp-1' }],
      managingOrganization: { reference: 'Organization/org-practice' },
    };
    const encounter: Encounter = {
      resourceType: 'Encounter',
      id: `enc-race-${i}`,
      status: 'finished',
      class: { system: SYSTEMS.actCode, code: 'IMP' },
      subject: { reference: `Patient/${id}` },
      period: { start: `${addDays(discharged, -2)}T10:00:00+01:00`, end: `${discharged}T12:00:00+01:00` },
    };
    return [patient, encounter];
  });
}

/** Their follow-up tasks in the app's database, owned by nurse-1: the first rows of her worklist. */
async function seedTasks(today: string): Promise<void> {
  const discharged = addDays(today, -40);
  const iss = env.app.registry.entries[0]?.iss ?? '';
  for (const [i] of GIVEN.entries()) {
    await ensureFollowUp(env.app.db, 'Organization/org-practice', {
      id: `00000000-0000-4000-8000-00000000000${i}`,
      iss,
      patientId: `pat-race-${i}`,
      episodeKey: `pat-race-${i}|org:org-ahus|${discharged}`,
      institution: { id: 'org-ahus' },
      dischargeDate: discharged,
      deadline: addDays(discharged, 3),
      signals: [`Encounter/enc-race-${i}`],
      owner: 'Practitioner/nurse-1',
      createdBy: 'system',
      at: new Date(`${discharged}T13:00:00+01:00`),
    });
  }
}

beforeAll(async () => {
  env = await startEnv();
  await env.sandbox.fhir.store.bulkLoad(fixtures(env.today));
  await seedTasks(env.today);
});
afterAll(async () => {
  await env?.close();
});

/**
 * Holds every FHIR response back by a seeded delay. `settled()` resolves when no routed request is
 * waiting any more and the page has seen each of them finish or fail (an aborted read fails).
 */
async function jitter(page: Page, random: () => number) {
  let waiting = 0;
  const open = new Set<Request>();
  let wake: (() => void) | undefined;
  const check = () => {
    if (waiting === 0 && open.size === 0) wake?.();
  };
  page.on('request', (r) => {
    if (r.url().includes('/fhir/')) open.add(r);
  });
  const done = (r: Request) => {
    open.delete(r);
    check();
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  await page.route('**/fhir/**', async (route: Route) => {
    waiting++;
    const delay = Math.round(random() * MAX_DELAY_MS);
    try {
      const response = await route.fetch();
      await new Promise((resolve) => setTimeout(resolve, delay)); // the simulated network, not a wait for the app
      await route.fulfill({ response });
    } catch {
      // The page aborted the request (a newer open): nothing to deliver.
    } finally {
      waiting--;
      check();
    }
  });
  return {
    settled: () =>
      new Promise<void>((resolve) => {
        wake = resolve;
        check();
      }),
  };
}

/** Lets the page run what the last answers started (promise chains, React's commit) before we look. */
async function afterPendingWork(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
}

describe('worklist race', () => {
  test(`${ROUNDS} bursts of quick clicks always end on the last patient clicked`, { timeout: 600_000 }, async () => {
    const random = seeded(SEED);
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await env.launch(page, { user: 'nurse-1' });
    await page.getByTestId('worklist-summary').waitFor({ timeout: 60_000 });
    const network = await jitter(page, random);
    const shown: string[] = [];
    const expected: string[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      const table = page.getByTestId('worklist-table');
      await table.waitFor({ timeout: 60_000 });
      for (const given of GIVEN) await table.locator('[role="row"]').filter({ hasText: `${given} ${FAMILY}` }).waitFor();
      // 2-5 different rows in a seeded order, clicked within one task: every open starts before any answer.
      const order = [...GIVEN].sort(() => random() - 0.5).slice(0, 2 + Math.floor(random() * 4));
      const names = order.map((g) => `${g} ${FAMILY}`);
      await page.evaluate((wanted) => {
        const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="worklist-table"] [role="row"]')];
        for (const name of wanted) rows.find((r) => r.textContent?.includes(name))?.click();
      }, names);
      await page.getByTestId('patient-banner').waitFor({ timeout: 60_000 });
      await network.settled();
      await afterPendingWork(page);
      const banner = (await page.locator('#pht-patient-name').textContent()) ?? '';
      shown.push(banner);
      expected.push(names.at(-1) ?? '');
      if (round === 0) await env.screenshot(page, 'worklist-race-opened');
      await page.getByRole('button', { name: 'Lukk pasienten' }).click();
      await page.getByTestId('worklist-summary').waitFor({ timeout: 60_000 });
    }
    expect(shown).toEqual(expected);
    await ctx.close();
  });
});

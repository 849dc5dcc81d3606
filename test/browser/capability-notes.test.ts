// The narrow EPJ in Chromium (issue 16 item 2): the patient panel says what the journal system does not
// give («Legemiddellisten er ikke tilgjengelig fra journalsystemet: polyfarmasi kan ikke vurderes»),
// screenshotted at 1366 and 1024 px.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEnv, type Env } from './harness';

let env: Env;
beforeAll(async () => {
  env = await startEnv({ patients: 100 });
  env.sandbox.fhir.setProfile({ name: 'narrow', optional: [] });
}, 240_000);
afterAll(async () => {
  await env?.close();
});

test.each([1366, 1024])('narrow EPJ: the patient panel names what cannot be assessed (%i px)', async (width) => {
  const context = await env.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await env.launch(page, { user: 'gp-1', patient: 'pat-00003' });
  const notes = page.getByTestId('capability-notes');
  await notes.first().waitFor({ timeout: 30_000 });
  expect(await notes.first().textContent()).toContain('Legemiddellisten er ikke tilgjengelig fra journalsystemet: polyfarmasi kan ikke vurderes.');
  await env.screenshot(page, `capability-notes-narrow-${width}`);
  await context.close();
}, 120_000);

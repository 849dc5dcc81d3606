// Foundation acceptance: launch as each role from the simulated EPJ, see the right view, save screenshots;
// a nurse launched with a patient sees that patient; two tabs with two patients each keep their own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '@medplum/fhirtypes';
import { startEnv, type Env } from './harness';

let env: Env;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await env?.close();
});

const ROLES = [
  { user: 'gp-1', label: 'Fastlege', patient: 'pat-00001' },
  { user: 'gp-2', label: 'daglig leder', patient: undefined },
  { user: 'nurse-1', label: 'Sykepleier', patient: 'pat-00002' },
  { user: 'secretary-1', label: 'Helsesekretær', patient: undefined },
] as const;

describe('launch from the sandbox EPJ', () => {
  for (const role of ROLES) {
    it(`launches as ${role.user} and shows the role`, async () => {
      const ctx = await env.newContext();
      const page = await ctx.newPage();
      await env.launch(page, { user: role.user, patient: role.patient });
      await expect(page.getByTestId('user-role').textContent()).resolves.toContain(role.label);
      // Screenshot the first view once it has loaded, not its spinner.
      if (role.patient) await page.locator('[data-testid="target-groups"][data-ready="true"]').waitFor();
      else await page.waitForLoadState('networkidle');
      await env.screenshot(page, `launch-${role.user}`);
      await ctx.close();
    });
  }

  it('shows the launched patient to a nurse', async () => {
    const patient = (await env.sandbox.fhir.store.search<Patient>('Patient', { _id: 'pat-00003' }))[0];
    const family = patient?.name?.[0]?.family;
    expect(family).toBeTruthy();
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    await env.launch(page, { user: 'nurse-1', patient: 'pat-00003' });
    await page.getByTestId('patient-banner').waitFor();
    await expect(page.getByTestId('patient-banner').textContent()).resolves.toContain(family ?? '');
    await ctx.close();
  });

  it('keeps two patients apart in two tabs of one browser', async () => {
    const ctx = await env.newContext();
    const [a, b] = await Promise.all([ctx.newPage(), ctx.newPage()]);
    const names: string[] = [];
    for (const id of ['pat-00004', 'pat-00005']) {
      const p = (await env.sandbox.fhir.store.search<Patient>('Patient', { _id: id }))[0];
      names.push(p?.name?.[0]?.family ?? '');
    }
    expect(names[0]).not.toBe(names[1]);
    // Start both launches before either finishes, so the handshakes overlap.
    await Promise.all([env.launch(a, { user: 'nurse-1', patient: 'pat-00004' }), env.launch(b, { user: 'nurse-1', patient: 'pat-00005' })]);
    await a.getByTestId('patient-banner').waitFor();
    await b.getByTestId('patient-banner').waitFor();
    const [ta, tb] = await Promise.all([a.getByTestId('patient-banner').textContent(), b.getByTestId('patient-banner').textContent()]);
    expect(ta).toContain(names[0]);
    expect(ta).not.toContain(names[1]);
    expect(tb).toContain(names[1]);
    expect(tb).not.toContain(names[0]);
    await ctx.close();
  });
});

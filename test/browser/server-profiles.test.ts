// Issue 14: the launch through the app server in Chromium, in both sandbox profiles, for each role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEnv, type Env } from './harness';

let env: Env;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await env?.close();
});

const ROLES = [
  { user: 'gp-1', role: 'Fastlege' },
  { user: 'gp-2', role: 'Fastlege' },
  { user: 'nurse-1', role: 'Sykepleier' },
  { user: 'secretary-1', role: 'Helsesekretær' },
];

describe.each(['helseid', 'smart'])('launch through the app server, %s profile', (profile) => {
  it.each(ROLES)('$user sees the role "$role"', async ({ user, role }) => {
    const ctx = await env.newContext();
    const page = await ctx.newPage();
    const q = new URLSearchParams({ user, profile, app: env.app.origin });
    await page.goto(`${env.sandbox.origin}/launch?${q.toString()}`);
    await page.getByTestId('user-role').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('user-role').textContent()).toContain(role);
    expect(page.url()).toBe(`${env.app.origin}/`);
    const epj = profile === 'helseid' ? 'Sandkasse-EPJ, HelseID-lik profil: PAR + DPoP' : 'Sandkasse-EPJ, SMART standard: PAR';
    expect(env.app.log).toContain(`[launch] ${epj}`);
    await ctx.close();
  });
});

// server/features/patient-panel/routes.ts composePanel (issue 19 point 2): every part of one panel is asked
// with the same panel object (the app server resolves the session and shares the EPJ reads once per panel),
// and two panels never share one. The dispatch is a stand-in that records what it was given.
import { describe, expect, test } from 'vitest';
import { composePanel, type PanelDeps } from '../../../server/features/patient-panel/routes';

function recorder() {
  const calls: { path: string; panel: object; cookie: string | null }[] = [];
  const deps: PanelDeps = {
    dispatch: async (path, headers, panel) => {
      calls.push({ path, panel, cookie: headers.get('cookie') });
      return new Response(JSON.stringify({ path }), { status: 200, headers: { 'content-type': 'application/json' } });
    },
  };
  return { calls, deps };
}

describe('composePanel', () => {
  test('the parts of one panel share one panel object; the next panel has its own', async () => {
    const { calls, deps } = recorder();
    const headers = new Headers({ cookie: 'sid=a', 'x-pht-handle': 'h1' });
    const first = await composePanel(deps, headers, 'pat-00001', ['capabilities', 'targetGroups', 'care'], undefined);
    await composePanel(deps, headers, 'pat-00002', ['care', 'followUp'], undefined);
    expect(calls.map((c) => c.path)).toEqual([
      '/api/capabilities',
      '/api/target-groups/patients/pat-00001',
      '/api/care/patients/pat-00001',
      '/api/care/patients/pat-00002',
      '/api/follow-up/patients/pat-00002',
    ]);
    const [a, b, c, d, e] = calls.map((x) => x.panel);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(e).toBe(d);
    expect(d).not.toBe(a);
    // Each part still carries the browser's own cookie (its own checks run as before).
    expect(calls.every((x) => x.cookie === 'sid=a')).toBe(true);
    expect(first.parts.care).toEqual({ status: 200, body: { path: '/api/care/patients/pat-00001' } });
  });
});

// The patient panel in one response (issue 19 point 1): GET /api/panel/:patientId and the launch patient's
// panel sent with /api/session, against a real sandbox EPJ. Oracle: each part must be what the part's own
// route answers when asked directly (the routes the browser called before), and the parts follow the
// user's team role (SPEC §1: GP and nurse register contacts and follow up; the secretary does not).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startAppServer, type AppServerEnv } from '../support/appServer';
import { launchThroughServer, NodeBrowser } from '../support/nodeBrowser';
import { ensureBuilt } from '../browser/harness';
import { osloToday } from '../../sandbox/clock';

let env: AppServerEnv;
let dataDir: string;

beforeAll(async () => {
  ensureBuilt();
  dataDir = mkdtempSync(join(tmpdir(), 'pht-server-panel-'));
  // The shared EPJ reads are kept 10 minutes here (5 s in a deployment), so no test depends on machine speed.
  env = await startAppServer({ dataDir, asOf: osloToday(), patients: 60, epjReadTtlMs: 600_000 });
}, 120_000);

afterAll(async () => {
  await env?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function launch(params: Record<string, string>) {
  const browser = new NodeBrowser(env.app.origin);
  const { handle } = await launchThroughServer(browser, env.sandbox.origin, env.app.origin, params);
  const get = (path: string, headers: Record<string, string> = { 'x-pht-handle': handle }) => browser.fetch(`${env.app.origin}${path}`, { headers });
  return { handle, get };
}

interface Part {
  status: number;
  body: unknown;
}
interface Panel {
  patientId: string;
  day: string | null;
  parts: Record<string, Part>;
}

describe('the launch patient’s panel comes with the session', () => {
  test('a nurse gets every part the panel shows, each as its own route answers it', async () => {
    const { get } = await launch({ user: 'nurse-1', patient: 'pat-00012', profile: 'helseid' });
    const session = (await (await get('/api/session')).json()) as { panel: Panel | null };
    const panel = session.panel;
    expect(panel?.patientId).toBe('pat-00012');
    const today = osloToday();
    expect(panel?.day).toBe(today);
    expect(Object.keys(panel?.parts ?? {}).sort()).toEqual(['capabilities', 'care', 'copayFacts', 'day', 'followUp', 'targetGroups']);
    for (const [name, part] of Object.entries(panel?.parts ?? {})) expect([name, part.status]).toEqual([name, 200]);
    // The same as asking each route directly, after the panel (nothing in between changes them).
    const direct = async (path: string) => (await get(path)).json();
    expect(panel?.parts.followUp?.body).toEqual(await direct('/api/follow-up/patients/pat-00012'));
    expect(panel?.parts.care?.body).toEqual(await direct('/api/care/patients/pat-00012'));
    expect(panel?.parts.day?.body).toEqual(await direct(`/api/contact-copay/patients/pat-00012/days/${today}`));
    expect(panel?.parts.capabilities?.body).toEqual(await direct('/api/capabilities'));
    expect(panel?.parts.copayFacts?.body).toEqual(await direct('/api/contact-copay/patients/pat-00012/copay-facts'));
    const groups = panel?.parts.targetGroups?.body as { patientId?: string };
    expect(groups.patientId).toBe('pat-00012');
  });

  test('a secretary’s panel has the target groups and the capabilities only (no care, follow-up or charges)', async () => {
    const { get } = await launch({ user: 'secretary-1', patient: 'pat-00013', profile: 'helseid' });
    const session = (await (await get('/api/session')).json()) as { panel: Panel | null };
    expect(Object.keys(session.panel?.parts ?? {}).sort()).toEqual(['capabilities', 'targetGroups']);
  });

  test('a launch without a patient has no panel', async () => {
    const { get } = await launch({ user: 'gp-1', profile: 'helseid' });
    const session = (await (await get('/api/session')).json()) as { panel: Panel | null };
    expect(session.panel).toBeNull();
  });
});

describe('GET /api/panel/:patientId', () => {
  test('answers the parts asked for, for the day asked for', async () => {
    const { get } = await launch({ user: 'nurse-1', patient: 'pat-00014', profile: 'helseid' });
    const res = await get('/api/panel/pat-00014?parts=followUp,day&day=2026-01-05');
    expect(res.status).toBe(200);
    const panel = (await res.json()) as Panel;
    expect([panel.patientId, panel.day, Object.keys(panel.parts).sort()]).toEqual(['pat-00014', '2026-01-05', ['day', 'followUp']]);
    expect(panel.parts.day?.body).toEqual(await (await get('/api/contact-copay/patients/pat-00014/days/2026-01-05')).json());
  });

  test('refuses what it cannot read, naming the field (400, Norwegian)', async () => {
    const { get } = await launch({ user: 'nurse-1', patient: 'pat-00015', profile: 'helseid' });
    const unknownPart = await get('/api/panel/pat-00015?parts=followUp,secrets');
    expect(unknownPart.status).toBe(400);
    expect(((await unknownPart.json()) as { error: string }).error).toContain('«parts»');
    const noDay = await get('/api/panel/pat-00015?parts=day');
    expect(noDay.status).toBe(400);
    expect(((await noDay.json()) as { error: string }).error).toContain('(day)');
    const badDay = await get('/api/panel/pat-00015?parts=day&day=05.01.2026');
    expect(badDay.status).toBe(400);
    expect(((await badDay.json()) as { error: string }).error).toContain('«day»');
  });

  test('without the tab handle the session is not found: 401, as for each part', async () => {
    const { get } = await launch({ user: 'nurse-1', patient: 'pat-00016', profile: 'helseid' });
    const res = await get('/api/panel/pat-00016?parts=followUp', {});
    expect([res.status, res.headers.get('x-pht-session-ended')]).toEqual([401, 'missing']);
  });

  test('a part its own route refuses is passed on with that route’s status (another patient than the launch’s)', async () => {
    const { get } = await launch({ user: 'nurse-1', patient: 'pat-00017', profile: 'helseid' });
    const own = await (await get('/api/follow-up/patients/pat-00018')).clone();
    const res = await get('/api/panel/pat-00018?parts=followUp');
    const panel = (await res.json()) as Panel;
    expect(panel.parts.followUp?.status).toBe(own.status);
  });
});

describe('the panel’s EPJ reads under load (issue 19 point 2)', () => {
  test('a panel opened again within the read window reuses the co-payment facts; the route asked directly reads afresh', async () => {
    const { get } = await launch({ user: 'nurse-1', patient: 'pat-00019', profile: 'helseid' });
    const panelFacts = async () => {
      const res = await get('/api/panel/pat-00019?parts=copayFacts,care');
      expect(res.status).toBe(200);
      const panel = (await res.json()) as Panel;
      expect(panel.parts.care?.status).toBe(200);
      return panel.parts.copayFacts;
    };
    const before = await panelFacts();
    expect(before?.status).toBe(200);
    const known = (before?.body as { exemptions: unknown[] }).exemptions;
    // A frikort registered in the EPJ after the panel opened (Volven 7461 code F).
    await env.sandbox.fhir.store.bulkLoad([
      {
        resourceType: 'Coverage',
        id: 'cov-panel-19',
        status: 'active',
        beneficiary: { reference: 'Patient/pat-00019' },
        payor: [{ display: 'Helfo' }],
        type: { coding: [{ system: 'urn:oid:2.16.578.1.12.4.1.1.7461', code: 'F' }] },
        period: { start: '2026-06-01', end: '2026-12-31' },
      },
    ]);
    // The contact form's own read (after the panel) sees it at once.
    const direct = (await (await get('/api/contact-copay/patients/pat-00019/copay-facts')).json()) as { exemptions: unknown[] };
    expect(direct.exemptions).toEqual([...known, { code: 'F', from: '2026-06-01', to: '2026-12-31' }]);
    // The panel opened again within the window shares the first panel's read.
    expect(await panelFacts()).toEqual(before);
  });
});

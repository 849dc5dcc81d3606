// The app server on its database (issue 15 items 3, 4, 5), end to end: real SMART launches against the sandbox
// EPJ, the daglig leder (gp-2) saves the practice settings, a nurse reads them and may not change them, list
// reads through the FHIR proxy land in the audit log, and after a restart of the app server the settings are in
// force for a new browser and the old browser's session still works (sessions are in the database).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/app';
import { osloToday } from '../../sandbox/clock';
import { openAppServer, type AppServer } from '../../server/main';
import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import { sandboxRegistry, startAppServer, type AppServerEnv } from '../support/appServer';
import { BACKENDS, stopTestPostgres } from '../support/database';
import { launchThroughServer, NodeBrowser } from '../support/nodeBrowser';

afterAll(stopTestPostgres);

describe.each(BACKENDS)('the app server on %s', (backend) => {
  let dir: string;
  let env: AppServerEnv;
  let sandbox: Sandbox;
  let server: AppServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pht-db-app-'));
    env = await startAppServer({ dataDir: dir, asOf: osloToday(), patients: 50, database: backend });
    ({ sandbox } = env);
    server = env.app;
  });
  afterAll(async () => {
    if (server === env?.app) await env.close();
    else {
      await server?.close();
      await sandbox?.close();
      if (env?.databaseConfig.dataDir) rmSync(dirname(env.databaseConfig.dataDir), { recursive: true, force: true });
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** The same app server again (same keys, same port, same database), as after a restart. */
  async function restart(): Promise<AppServer> {
    const port = Number(new URL(server.origin).port);
    await server.close();
    const opened = await openAppServer({
      port,
      host: '127.0.0.1',
      dataDir: join(dir, 'app-server'),
      registryPath: 'server/epj-registry.json',
      sandboxOrigin: 'off',
      distDir: 'dist',
      limits: { idleMs: 30 * 60_000, absoluteMs: 10 * 3_600_000, tokenMarginMs: 5_000 },
      database: env.databaseConfig,
    });
    return opened.start({ registry: sandboxRegistry(sandbox) });
  }

  // Financing inputs too (issue 18): in force for everyone after a restart of the app server.
  const saved = {
    ...DEFAULT_SETTINGS,
    financingModel: 'B' as const,
    closedDates: ['2026-12-24', '2026-12-31'],
    saturdayIsWorkingDay: true,
    financing: { ...DEFAULT_SETTINGS.financing, nursePositions: 1.5, gpPositions: 3, livingConditionsIndex: 1.2, prePilotIncome: 3_500_000 },
  };

  async function launch(user: string) {
    const browser = new NodeBrowser(server.origin);
    const { handle } = await launchThroughServer(browser, sandbox.origin, server.origin, { user });
    const headers = { 'x-pht-handle': handle, origin: server.origin, 'content-type': 'application/json' };
    return {
      browser,
      handle,
      get: async (path: string) => browser.fetch(`${server.origin}${path}`, { headers }),
      put: async (body: unknown) => browser.fetch(`${server.origin}/api/settings`, { method: 'PUT', headers, body: JSON.stringify(body) }),
    };
  }

  it('lets the daglig leder save the settings, and a nurse read but not change them', async () => {
    const manager = await launch('gp-2');
    const res = await manager.put({ version: 0, settings: saved });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(expect.objectContaining({ version: 1, settings: saved, updatedBy: 'Practitioner/gp-2' }));

    const nurse = await launch('nurse-1');
    expect(await (await nurse.get('/api/settings')).json()).toEqual(expect.objectContaining({ version: 1, settings: saved }));
    const refused = await nurse.put({ version: 1, settings: DEFAULT_SETTINGS });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: 'Bare daglig leder kan endre praksisens innstillinger.' });
    // Without the tab handle (a stolen cookie alone) nothing is read.
    expect((await nurse.browser.fetch(`${server.origin}/api/settings`)).status).toBe(401);

    const audit = await server.db.selectFrom('audit_log').select(['practice_id', 'actor', 'role', 'action']).where('action', '=', 'change-settings').execute();
    expect(audit).toEqual([{ practice_id: 'Organization/org-practice', actor: 'Practitioner/gp-2', role: 'daglig-leder', action: 'change-settings' }]);
  });

  it('writes who saw which list to the audit log for FHIR searches through the proxy', async () => {
    const nurse = await launch('nurse-1');
    const res = await nurse.get('/fhir/Patient?_count=5&name=a');
    expect(res.status).toBe(200);
    const bundle = (await res.json()) as { entry?: unknown[] };
    const rows = await server.db
      .selectFrom('audit_log')
      .select(['practice_id', 'actor', 'role', 'action', 'what', 'rows'])
      .where('action', '=', 'read-list')
      .where('what', '=', 'Patient?_count&name')
      .execute();
    expect(rows).toEqual([
      { practice_id: 'Organization/org-practice', actor: 'Practitioner/nurse-1', role: 'nurse', action: 'read-list', what: 'Patient?_count&name', rows: bundle.entry?.length ?? 0 },
    ]);
  });

  it('keeps the settings in force and the sessions alive across a restart of the app server', async () => {
    const before = await launch('nurse-1');
    server = await restart();
    // The old browser's session is still there (it lives in the database, not in the process).
    expect((await before.get('/api/session')).status).toBe(200);
    // Another browser, after the restart, gets the saved settings.
    const other = await launch('gp-1');
    expect(await (await other.get('/api/settings')).json()).toEqual(expect.objectContaining({ version: 1, settings: saved }));
  });
});

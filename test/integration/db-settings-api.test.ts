// GET/PUT /api/settings and POST /api/audit/export (issue 15 items 4 and 5) on real PGlite and PostgreSQL:
// schema validation with Norwegian messages naming the field, nothing stored on bad input, only the daglig
// leder writes, optimistic concurrency, audit rows, and settings in force after a restart.
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../server/db/database';
import { actorFromRoles, type Actor } from '../../server/epj/actor';
import { auditRoutes } from '../../server/features/audit/routes';
import { settingsRoutes, type ResolveActor } from '../../server/features/settings/routes';
import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import { BACKENDS, stopTestPostgres, useFreshDatabase } from '../support/database';

afterAll(stopTestPostgres);

const NOW = Date.parse('2026-03-02T09:15:00Z');
const MANAGER: Actor = { practiceId: 'Organization/org-a', user: 'Practitioner/gp-1', role: 'gp', practiceManager: true };
const NURSE: Actor = { practiceId: 'Organization/org-a', user: 'Practitioner/nurse-1', role: 'nurse', practiceManager: false };
const GP: Actor = { practiceId: 'Organization/org-a', user: 'Practitioner/gp-2', role: 'gp', practiceManager: false };
const OTHER_PRACTICE: Actor = { practiceId: 'Organization/org-b', user: 'Practitioner/gp-9', role: 'gp', practiceManager: true };

/** The routes as the app server mounts them; the actor comes from a test header instead of a launch. */
function server(app: AppDatabase) {
  const actors: Record<string, Actor> = { manager: MANAGER, nurse: NURSE, gp: GP, other: OTHER_PRACTICE };
  const actor: ResolveActor = async (c) => {
    const who = actors[c.req.header('x-test-actor') ?? ''];
    return who ? { actor: who } : { response: c.json({ error: 'Økten er utløpt' }, 401) };
  };
  const hono = new Hono();
  hono.route('/api/settings', settingsRoutes({ db: app.db, actor, now: () => NOW }));
  hono.route('/api/audit', auditRoutes({ db: app.db, actor, now: () => NOW }));
  return {
    get: (who: string) => hono.request('/api/settings', { headers: { 'x-test-actor': who } }),
    put: (who: string, body: unknown) =>
      hono.request('/api/settings', { method: 'PUT', headers: { 'x-test-actor': who, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    exported: (who: string, body: unknown) =>
      hono.request('/api/audit/export', { method: 'POST', headers: { 'x-test-actor': who, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  };
}

describe.each(BACKENDS)('settings API on %s', (backend) => {
  const fresh = useFreshDatabase(backend);
  let app: AppDatabase;
  beforeAll(async () => {
    app = fresh.app;
  });

  const changed = { ...DEFAULT_SETTINGS, financingModel: 'B', closedDates: ['2026-12-31', '2026-12-24', '2026-12-24'], saturdayIsWorkingDay: true, digitalBookingShare: 0.35 };

  it('lets everyone read the defaults, and refuses a request without a session', async () => {
    const api = server(app);
    for (const who of ['nurse', 'gp', 'manager']) {
      const res = await api.get(who);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ settings: DEFAULT_SETTINGS, version: 0, updatedAt: null, updatedBy: null });
    }
    expect((await api.get('nobody')).status).toBe(401);
  });

  it('refuses bad input with 400 and a Norwegian message naming the field, storing nothing', async () => {
    const api = server(app);
    const cases: [unknown, string][] = [
      [{ version: 0, settings: { ...DEFAULT_SETTINGS, financingModel: 'C' } }, 'Finansieringsmodell: må være A eller B'],
      [{ version: 0, settings: { ...DEFAULT_SETTINGS, closedDates: ['24.12.2026'] } }, 'Stengte dager: må være en dato på formen ÅÅÅÅ-MM-DD'],
      [{ version: 0, settings: { ...DEFAULT_SETTINGS, closedDates: ['2026-02-29'] } }, 'Stengte dager: er ikke en gyldig dato'],
      [{ version: 0, settings: { ...DEFAULT_SETTINGS, digitalBookingShare: 1.2 } }, 'Digital timebestilling: må være mellom 0 og 100 %'],
      [{ version: 0, settings: { ...DEFAULT_SETTINGS, dischargeLookbackDays: 0 } }, 'Tilbakeblikk for utskrivninger: må være minst 1 dag'],
      [{ version: 0, settings: { ...DEFAULT_SETTINGS, tariffCatalogue: 'ukjent-2030' } }, 'Takstkatalog: er ikke en kjent takstkatalog'],
      [{ version: 0, settings: { ...DEFAULT_SETTINGS, epikriseCodes: [{ system: 'urn:x', code: '   ' }] } }, 'Epikrisekoder: kan ikke være tom'],
      [{ version: 0, settings: { ...DEFAULT_SETTINGS, admin: true } }, 'Feltet «admin» er ukjent'],
      [{ version: -1, settings: DEFAULT_SETTINGS }, 'Versjon: kan ikke være negativ'],
      [{ settings: DEFAULT_SETTINGS }, 'Versjon: mangler'],
      [{ version: 0, settings: { ...DEFAULT_SETTINGS, ruleSetVersion: undefined } }, 'Regelsettversjon: mangler'],
      ['tekst', 'Forespørselen: må være et objekt'],
      [[], 'Versjon: mangler'],
      // Financing inputs (issue 18): named by their own labels.
      [{ version: 0, settings: { ...DEFAULT_SETTINGS, financing: { ...DEFAULT_SETTINGS.financing, livingConditionsIndex: -1 } } }, 'Levekårsindeks (1 = landssnitt): kan ikke være negativ'],
      [{ version: 0, settings: { ...DEFAULT_SETTINGS, financing: { ...DEFAULT_SETTINGS.financing, nursePositions: '1,5' } } }, 'Sykepleierstillinger (årsverk): må være et tall'],
      [{ version: 0, settings: { ...DEFAULT_SETTINGS, financing: { ...DEFAULT_SETTINGS.financing, gpPositions: 2, gpSpecialisedPositions: 3 } } }, 'Fastlegeårsverk med spesialisering: kan ikke være flere enn fastlegestillingene'],
      [{ version: 0, settings: { ...DEFAULT_SETTINGS, financing: { ...DEFAULT_SETTINGS.financing, prePilotIncome: undefined } } }, 'Inntekt før forsøket (kr per år): mangler'],
      [{ version: 0, settings: { ...DEFAULT_SETTINGS, financing: { ...DEFAULT_SETTINGS.financing, bonus: 1 } } }, 'Feltet «bonus» er ukjent'],
      [{ version: 0, settings: { ...DEFAULT_SETTINGS, financing: null } }, 'Finansiering: må være et objekt'],
    ];
    for (const [body, message] of cases) {
      const res = await api.put('manager', body);
      expect({ status: res.status, body: await res.json() }).toEqual({ status: 400, body: expect.objectContaining({ error: message }) });
    }
    expect(await app.db.selectFrom('practice_settings').selectAll().execute()).toEqual([]);
    expect(await app.db.selectFrom('audit_log').selectAll().where('action', '=', 'change-settings').execute()).toEqual([]);
  });

  it('lets only the daglig leder write', async () => {
    const api = server(app);
    for (const who of ['nurse', 'gp']) {
      const res = await api.put(who, { version: 0, settings: changed });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: 'Bare daglig leder kan endre praksisens innstillinger.' });
    }
    expect(await app.db.selectFrom('practice_settings').selectAll().execute()).toEqual([]);
  });

  it('saves, audits the change, refuses a stale version with 409, and keeps practices apart', async () => {
    const api = server(app);
    const res = await api.put('manager', { version: 0, settings: changed });
    expect(res.status).toBe(200);
    const expected = {
      settings: { ...changed, closedDates: ['2026-12-24', '2026-12-31'] },
      version: 1,
      updatedAt: '2026-03-02T09:15:00.000Z',
      updatedBy: 'Practitioner/gp-1',
    };
    expect(await res.json()).toEqual(expected);
    // The nurse sees the same settings.
    expect(await (await api.get('nurse')).json()).toEqual(expected);
    // A second save from version 0 (another tab) is refused with what is stored now.
    const stale = await api.put('manager', { version: 0, settings: DEFAULT_SETTINGS });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toEqual({ error: expect.stringMatching(/endret av noen andre/), current: expected });
    // Another practice has its own settings.
    expect((await (await api.get('other')).json()).version).toBe(0);
    const audit = await app.db.selectFrom('audit_log').select(['practice_id', 'actor', 'role', 'action', 'what', 'at']).where('action', '=', 'change-settings').execute();
    expect(audit).toEqual([
      {
        practice_id: 'Organization/org-a',
        actor: 'Practitioner/gp-1',
        role: 'daglig-leder',
        action: 'change-settings',
        what: 'innstillinger versjon 1: financingModel, closedDates, saturdayIsWorkingDay, digitalBookingShare',
        at: new Date(NOW),
      },
    ]);
  });

  it('keeps the saved settings in force after a restart', async () => {
    app = await fresh.reopen();
    const res = await server(app).get('gp');
    expect(await res.json()).toEqual(expect.objectContaining({ version: 1, settings: expect.objectContaining({ financingModel: 'B', saturdayIsWorkingDay: true }) }));
  });

  it('keeps the financing inputs the daglig leder saved in force after a restart, for everyone (issue 18)', async () => {
    const before = (await (await server(app).get('manager')).json()) as { version: number; settings: typeof DEFAULT_SETTINGS };
    const financing = {
      nursePositions: 1.5,
      gpPositions: 3,
      gpSpecialisedPositions: 2,
      nurseSpecialisedPositions: 0.5,
      agreedNurseCostPerPosition: 845000,
      livingConditionsIndex: 1.25,
      travelDistanceIndex: 0.8,
      prePilotIncome: 4200000,
      otherIncomePerYear: 350000,
    };
    const saved = await server(app).put('manager', { version: before.version, settings: { ...before.settings, financing } });
    expect(saved.status).toBe(200);
    const audit = await app.db.selectFrom('audit_log').select('what').where('action', '=', 'change-settings').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit.what).toBe(`innstillinger versjon ${before.version + 1}: financing`);
    // The app server restarts on the same database; a nurse (another user, another browser) reads them back.
    app = await fresh.reopen();
    const res = await server(app).get('nurse');
    expect(await res.json()).toEqual({
      settings: { ...before.settings, financing },
      version: before.version + 1,
      updatedAt: '2026-03-02T09:15:00.000Z',
      updatedBy: 'Practitioner/gp-1',
    });
    // Clearing an optional input stores null (positions then come from the staff list).
    const cleared = await server(app).put('manager', { version: before.version + 1, settings: { ...before.settings, financing: { ...financing, nursePositions: null, nurseSpecialisedPositions: null } } });
    expect(((await cleared.json()) as { settings: typeof DEFAULT_SETTINGS }).settings.financing).toEqual({ ...financing, nursePositions: null, nurseSpecialisedPositions: null });
  });

  it('records exports in the audit log, and refuses a bad export record', async () => {
    const api = server(app);
    expect((await api.exported('nurse', { what: 'Oppgjørskontroll CSV', rows: 12 })).status).toBe(204);
    const bad = await api.exported('nurse', { what: '', rows: 3 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'Hva: kan ikke være tom' });
    expect(await app.db.selectFrom('audit_log').select(['actor', 'role', 'what', 'rows']).where('action', '=', 'export').execute()).toEqual([
      { actor: 'Practitioner/nurse-1', role: 'nurse', what: 'Oppgjørskontroll CSV', rows: 12 },
    ]);
  });
});

describe('who is asking (server/epj/actor.ts)', () => {
  const category = (code: string) => ({ coding: [{ system: 'urn:oid:2.16.578.1.12.4.1.1.9060', code }] });
  const manager = { coding: [{ system: 'https://pht.example.org/fhir/CodeSystem/team-role', code: 'practice-manager' }] };
  const role = (practitioner: string, org: string, ...code: { coding: { system: string; code: string }[] }[]) => ({
    resource: { resourceType: 'PractitionerRole' as const, practitioner: { reference: practitioner }, organization: { reference: org }, code },
  });
  const orgs = ['Organization/org-practice'];

  it('finds the practice and the daglig leder from the PractitionerRoles', () => {
    const bundle = { resourceType: 'Bundle' as const, type: 'searchset' as const, entry: [role('Practitioner/gp-1', 'Organization/org-practice', category('LE'), manager)] };
    expect(actorFromRoles('Practitioner/gp-1', bundle, orgs)).toEqual({
      ok: true,
      actor: { practiceId: 'Organization/org-practice', user: 'Practitioner/gp-1', role: 'gp', practiceManager: true },
    });
  });

  it('does not take a role at a practice the registry does not list, nor someone else\'s role', () => {
    const elsewhere = { resourceType: 'Bundle' as const, type: 'searchset' as const, entry: [role('Practitioner/gp-1', 'Organization/other', category('LE'), manager)] };
    expect(actorFromRoles('Practitioner/gp-1', elsewhere, orgs)).toEqual({ ok: false, status: 403, message: 'Fant ikke legekontoret ditt blant praksisene appen er registrert for.' });
    const notMine = { resourceType: 'Bundle' as const, type: 'searchset' as const, entry: [role('Practitioner/gp-2', 'Organization/org-practice', category('LE'), manager)] };
    expect(actorFromRoles('Practitioner/gp-1', notMine, orgs).ok).toBe(false);
  });

  it('makes a user whose roles cannot be read a viewer, who may read but not write', () => {
    expect(actorFromRoles('Practitioner/sec-1', undefined, orgs)).toEqual({
      ok: true,
      actor: { practiceId: 'Organization/org-practice', user: 'Practitioner/sec-1', role: 'viewer', practiceManager: false },
    });
    expect(actorFromRoles('Patient/p-1', undefined, orgs).ok).toBe(false);
  });
});

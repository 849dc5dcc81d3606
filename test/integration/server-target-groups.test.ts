// The target-group status endpoint (issue 12 item 5): the secretary sees WHO is in a target group, not
// why. The app server reads the facts with its own SMART Backend Services token (issue 14 item 3) and
// answers only the groups; her own token may not read diagnoses. Expected groups are written by hand
// from SPEC §3 for patients this test seeds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Resource } from '@medplum/fhirtypes';
import { startAppServer, type AppServerEnv } from '../support/appServer';
import { launchThroughServer, NodeBrowser } from '../support/nodeBrowser';
import { ensureBuilt } from '../browser/harness';
import { osloToday } from '../../sandbox/clock';

let env: AppServerEnv;
let dataDir: string;

const ICD10 = 'urn:oid:2.16.578.1.12.4.1.1.7110';
const patient = (id: string, birthDate: string): Resource => ({
  resourceType: 'Patient',
  id,
  birthDate,
  name: [{ family: 'Test', given: [id] }],
  managingOrganization: { reference: 'Organization/org-practice' },
});
const condition = (id: string, patientId: string, code: string): Resource => ({
  resourceType: 'Condition',
  id,
  subject: { reference: `Patient/${patientId}` },
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
  code: { coding: [{ system: ICD10, code }] },
  recordedDate: '2020-01-01',
});

beforeAll(async () => {
  ensureBuilt();
  dataDir = mkdtempSync(join(tmpdir(), 'pht-server-tg-'));
  env = await startAppServer({ dataDir, asOf: osloToday(), patients: 50 });
  await env.sandbox.fhir.store.bulkLoad([
    // Diabetes (key) + hypertension: two chronic diseases -> chronic (SPEC §3); 56 years, no frailty.
    patient('tg-chronic', '1970-01-01'),
    condition('tg-c1', 'tg-chronic', 'E11'),
    condition('tg-c2', 'tg-chronic', 'I10'),
    // 85 or older -> frail-elderly, whatever else (SPEC §3).
    patient('tg-old', '1930-01-01'),
    // Nothing recorded -> no group.
    patient('tg-none', '1980-06-15'),
  ]);
}, 120_000);

afterAll(async () => {
  await env?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function launch(params: Record<string, string>) {
  const browser = new NodeBrowser(env.app.origin);
  const { handle } = await launchThroughServer(browser, env.sandbox.origin, env.app.origin, params);
  const post = (body: unknown, headers: Record<string, string> = { origin: env.app.origin, 'x-pht-handle': handle }) =>
    browser.fetch(`${env.app.origin}/api/target-groups/status`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const get = (path: string) => browser.fetch(`${env.app.origin}${path}`, { headers: { 'x-pht-handle': handle } });
  return { post, get };
}

describe('POST /api/target-groups/status', () => {
  test.each(['helseid', 'smart'])('the secretary gets the groups, without evidence (%s profile)', async (profile) => {
    const { post } = await launch({ user: 'secretary-1', patient: 'tg-none', profile });
    const res = await post({ patients: ['tg-chronic', 'tg-old', 'tg-none', 'tg-missing'] });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    const { statuses } = JSON.parse(text) as { statuses: { patientId: string; groups: string[] }[] };
    const byId = Object.fromEntries(statuses.map((s) => [s.patientId, s.groups]));
    expect(byId).toEqual({ 'tg-chronic': ['chronic'], 'tg-old': ['frail-elderly'], 'tg-none': [] });
    // No reasons, codes or resources in the answer.
    expect(text).not.toMatch(/E11|I10|reason|Condition/);
    expect(env.log.some((l) => l.includes('[audit] Practitioner/secretary-1') && l.includes('/api/target-groups/status'))).toBe(true);
  });

  test('the GP may ask too', async () => {
    const { post } = await launch({ user: 'gp-1', patient: 'tg-old', profile: 'smart' });
    const res = await post({ patients: ['tg-old'] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { statuses: unknown[] }).statuses).toEqual([{ patientId: 'tg-old', groups: ['frail-elderly'], confirmed: [] }]);
  });

  test('a bad body is a 400 naming the field «patients»; no Origin is a 403', async () => {
    const { post } = await launch({ user: 'secretary-1', patient: 'tg-none', profile: 'smart' });
    for (const body of [{}, { patients: [] }, { patients: 'tg-old' }, { patients: ['ok', 'not/an id'] }, { patients: Array.from({ length: 501 }, (_, i) => `p${i}`) }]) {
      const res = await post(body);
      const text = await res.text();
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(text).toContain('OperationOutcome');
      expect(text).toContain('«patients»');
    }
    expect((await post({ patients: ['tg-old'] }, { 'x-pht-handle': 'x' })).status).toBe(403);
  });

  test("the secretary's own token may not read diagnoses (roles.ts)", async () => {
    const { get } = await launch({ user: 'secretary-1', patient: 'tg-chronic', profile: 'smart' });
    expect((await get('/fhir/Condition?patient=Patient/tg-chronic')).status).toBe(403);
    expect((await get('/fhir/Patient/tg-chronic')).status).toBe(200);
  });
});

// /api/target-groups and the target-group store (issue 15) on real PGlite and PostgreSQL, with a small
// in-memory EPJ the test seeds by hand. Expected groups are written from SPEC §3 for these patients:
//   Kari Kronisk, 56: diabetes (E11, a key disease) + hypertension (I10) -> chronic;
//   Olav Eldre, 96: 85 or older -> frail-elderly;
//   Nina Ingen, 45: nothing recorded -> no group.
// Neither candidate has had a contact in the last 365 days -> both are weak demanders (SPEC §3).
import { Hono } from 'hono';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { AppDatabase } from '../../server/db/database';
import type { Actor } from '../../server/epj/actor';
import { executeScan, nightlyScanJob, startPracticeScan, targetGroupJobs, type ScanDeps } from '../../server/features/target-groups/jobs';
import { targetGroupRoutes, type LaunchEpj, type ResolveActor } from '../../server/features/target-groups/routes';
import { BACKENDS, stopTestPostgres, useFreshDatabase } from '../support/database';

afterAll(stopTestPostgres);

const NOW = Date.parse('2026-03-02T01:13:00Z'); // 02:13 in Oslo
const PRACTICE = 'Organization/org-a';
const ISS = 'https://epj.example/fhir';
const actors: Record<string, Actor> = {
  gp: { practiceId: PRACTICE, user: 'Practitioner/gp-1', role: 'gp', practiceManager: false },
  nurse: { practiceId: PRACTICE, user: 'Practitioner/nurse-1', role: 'nurse', practiceManager: false },
  secretary: { practiceId: PRACTICE, user: 'Practitioner/secretary-1', role: 'secretary', practiceManager: false },
  other: { practiceId: 'Organization/org-b', user: 'Practitioner/gp-9', role: 'gp', practiceManager: false },
};

const ICD10 = 'urn:oid:2.16.578.1.12.4.1.1.7110';
const patient = (id: string, given: string, family: string, birthDate: string, gp: string): Resource => ({
  resourceType: 'Patient',
  id,
  birthDate,
  name: [{ given: [given], family }],
  generalPractitioner: [{ reference: `Practitioner/${gp}` }],
  managingOrganization: { reference: PRACTICE },
});
const condition = (id: string, patientId: string, code: string): Resource => ({
  resourceType: 'Condition',
  id,
  subject: { reference: `Patient/${patientId}` },
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
  code: { coding: [{ system: ICD10, code }] },
  recordedDate: '2020-01-01',
});
const EPJ: Resource[] = [
  patient('tg-chronic', 'Kari', 'Kronisk', '1970-01-01', 'gp-1'),
  condition('c1', 'tg-chronic', 'E11'),
  condition('c2', 'tg-chronic', 'I10'),
  patient('tg-old', 'Olav', 'Eldre', '1930-01-01', 'gp-2'),
  patient('tg-none', 'Nina', 'Ingen', '1980-06-15', 'gp-1'),
  // Another practice's patient: not on this list.
  { ...patient('elsewhere', 'Per', 'Annen', '1930-01-01', 'gp-9'), managingOrganization: { reference: 'Organization/org-b' } } as Resource,
];

/** A FHIR search over EPJ: `_id` and `patient` are honoured; one page. */
let epjDown = false;
const get = async (url: URL): Promise<Response> => {
  if (epjDown) return new Response('nede', { status: 503 });
  const type = url.pathname.split('/').pop();
  const ids = url.searchParams.get('_id')?.split(',');
  const patients = url.searchParams.get('patient')?.split(',');
  const found = EPJ.filter(
    (r) =>
      r.resourceType === type &&
      (!ids || ids.includes(r.id ?? '')) &&
      (!patients || patients.includes(((r as { subject?: { reference?: string } }).subject?.reference) ?? '')),
  );
  const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', entry: found.map((resource) => ({ resource, search: { mode: 'match' } })) };
  return new Response(JSON.stringify(bundle), { status: 200, headers: { 'content-type': 'application/fhir+json' } });
};

/** `flags`: whether the EPJ's CapabilityStatement lets it create Flags (server/app.ts reads it). */
function server(app: AppDatabase, flags = true) {
  const actor: ResolveActor = async (c) => {
    const who = actors[c.req.header('x-test-actor') ?? ''];
    return who ? { actor: who } : { response: c.json({ error: 'Økten er utløpt' }, 401) };
  };
  const epj = async (): Promise<LaunchEpj> => ({ iss: ISS, get, patientScoped: false, flags });
  const hono = new Hono();
  hono.route('/api/target-groups', targetGroupRoutes({ db: app.db, actor, epj, now: () => NOW }));
  const call = (who: string, path: string, body?: unknown) =>
    hono.request(`/api/target-groups${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'x-test-actor': who, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return { call };
}

const scanDeps = (app: AppDatabase): ScanDeps => ({ db: app.db, get, iss: ISS, practiceId: PRACTICE, now: () => NOW });

describe.each(BACKENDS)('target-groups API on %s', (backend) => {
  const fresh = useFreshDatabase(backend);
  let app: AppDatabase;
  beforeAll(async () => {
    app = fresh.app;
  }, 120_000);

  it('before any scan: an empty list without «computedAt»', async () => {
    const res = await server(app).call('gp', '/list');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ scope: 'practice', clinical: true, rows: [] });
  });

  it('the scan stores one result per patient and group; a second concurrent run is refused', async () => {
    const deps = scanDeps(app);
    const first = await startPracticeScan(deps, 'job:target-groups.nightly-scan', '00000000-0000-4000-8000-000000000001');
    expect(first.ok).toBe(true);
    const second = await startPracticeScan(deps, 'Practitioner/gp-1', '00000000-0000-4000-8000-000000000002');
    expect(second).toMatchObject({ ok: false, running: { id: '00000000-0000-4000-8000-000000000001', state: 'running' } });
    expect((await server(app).call('secretary', '/scan', {})).status).toBe(409);
    expect(await executeScan(deps, '00000000-0000-4000-8000-000000000001')).toEqual({ patients: 3, candidates: 2 });
    const results = await app.db.selectFrom('tg_result').select(['patient_id', 'target_group', 'status', 'rule_set_version']).orderBy('patient_id').execute();
    expect(results).toEqual([
      { patient_id: 'tg-chronic', target_group: 'chronic', status: 'candidate', rule_set_version: '1.0.0' },
      { patient_id: 'tg-old', target_group: 'frail-elderly', status: 'candidate', rule_set_version: '1.0.0' },
    ]);
    const run = await app.db.selectFrom('tg_scan_run').selectAll().where('id', '=', '00000000-0000-4000-8000-000000000001').executeTakeFirstOrThrow();
    expect(run).toMatchObject({ state: 'done', patients: 3, candidates: 2, as_of: '2026-03-02', started_by: 'job:target-groups.nightly-scan' });
  });

  it('the list: the last result with when it was computed; the secretary gets membership only', async () => {
    const api = server(app);
    const gp = (await (await api.call('gp', '/list')).json()) as { computedAt: string; rows: { name: string; groups: unknown[]; weakDemander: boolean; reasons: { rule: string }[] }[] };
    expect(gp.computedAt).toBe('2026-03-02T01:13:00.000Z');
    expect(gp.rows.map((r) => [r.name, r.groups, r.weakDemander])).toEqual([
      ['Kari Kronisk', [{ group: 'chronic', confirmed: false }], true],
      ['Nina Ingen', [], false],
      ['Olav Eldre', [{ group: 'frail-elderly', confirmed: false }], true],
    ]);
    expect(gp.rows[0]?.reasons.map((r) => r.rule)).toEqual(['chronic.key-disease-with-multimorbidity']);
    const own = (await (await api.call('gp', '/list?scope=gp')).json()) as { rows: { name: string }[] };
    expect(own.rows.map((r) => r.name)).toEqual(['Kari Kronisk', 'Nina Ingen']);

    const res = await api.call('secretary', '/list');
    const text = await res.text();
    const secretary = JSON.parse(text) as { clinical: boolean; rows: { name: string; inTargetGroup: boolean; groups: unknown[] }[] };
    expect(secretary.clinical).toBe(false);
    expect(secretary.rows.map((r) => [r.name, r.inTargetGroup, r.groups])).toEqual([
      ['Kari Kronisk', true, []],
      ['Nina Ingen', false, []],
      ['Olav Eldre', true, []],
    ]);
    expect(text).not.toMatch(/E11|I10|"group"|Diabetes|evidence|"rule"/);
    expect((await api.call('secretary', '/list?scope=gp')).status).toBe(403);
    expect((await api.call('gp', '/list?scope=alle')).status).toBe(400);
    // Another practice sees nothing of this one.
    expect(((await (await api.call('other', '/list')).json()) as { rows: unknown[] }).rows).toEqual([]);
    const audit = await app.db.selectFrom('audit_log').select(['actor', 'action', 'rows']).where('action', '=', 'read-list').orderBy('id').execute();
    expect(audit.slice(-1)[0]).toEqual({ actor: 'Practitioner/gp-9', action: 'read-list', rows: 0 });
  });

  it('the panel: groups with evidence for a clinician, status only for the secretary', async () => {
    const api = server(app);
    const gp = (await (await api.call('gp', '/patients/tg-chronic')).json()) as { groups: { group: string; status: string; reasons: { evidence: string[] }[] }[]; weakDemander: boolean };
    expect(gp.groups.map((g) => [g.group, g.status])).toEqual([['chronic', 'candidate']]);
    expect(gp.groups[0]?.reasons[0]?.evidence.join(' ')).toContain('E11');
    expect(gp.weakDemander).toBe(true);
    const res = await api.call('secretary', '/patients/tg-chronic');
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ clinical: false, inTargetGroup: true, groups: [{ group: 'chronic', status: 'candidate', reasons: [] }], notes: [], assessments: [] });
    expect(text).not.toMatch(/E11|I10|Diabetes/);
    expect((await api.call('gp', '/patients/ukjent')).status).toBe(404);
    expect((await api.call('gp', '/patients/ikke%20gyldig')).status).toBe(400);
  });

  it('a panel re-reading an unchanged patient rewrites nothing but «computed at»; a change in the EPJ is stored and listed', async () => {
    const api = server(app);
    // Where each stored row physically is: a rewritten row moves (PostgreSQL's ctid).
    const places = async () => (await sql<{ what: string; place: string }>`select target_group as what, ctid::text as place from tg_result where patient_id = 'tg-none' or patient_id = 'tg-chronic' order by 1`.execute(app.db)).rows;
    expect((await api.call('gp', '/patients/tg-chronic')).status).toBe(200);
    const before = await places();
    expect(before.map((r) => r.what)).toEqual(['chronic']);
    expect((await api.call('nurse', '/patients/tg-chronic')).status).toBe(200);
    expect(await places()).toEqual(before);
    // Nina gets diabetes and hypertension in the EPJ (SPEC §3: a key disease with multimorbidity -> chronic).
    EPJ.push(condition('c-nina-1', 'tg-none', 'E11'), condition('c-nina-2', 'tg-none', 'I10'));
    try {
      await api.call('gp', '/list'); // the list's rows cached before the change
      const panel = (await (await api.call('gp', '/patients/tg-none')).json()) as { groups: { group: string; status: string }[] };
      expect(panel.groups.map((g) => [g.group, g.status])).toEqual([['chronic', 'candidate']]);
      const list = (await (await api.call('gp', '/list')).json()) as { rows: { name: string; groups: unknown[] }[] };
      expect(list.rows.find((r) => r.name === 'Nina Ingen')?.groups).toEqual([{ group: 'chronic', confirmed: false }]);
    } finally {
      EPJ.splice(EPJ.findIndex((r) => r.id === 'c-nina-1'), 2);
    }
    // Read again without them: Nina is back to no group, in the panel and the list.
    expect(((await (await api.call('gp', '/patients/tg-none')).json()) as { groups: unknown[] }).groups).toEqual([]);
    const list = (await (await api.call('gp', '/list')).json()) as { rows: { name: string; groups: unknown[] }[] };
    expect(list.rows.find((r) => r.name === 'Nina Ingen')?.groups).toEqual([]);
  });

  const reject = { id: '10000000-0000-4000-8000-000000000001', group: 'chronic', include: false, reason: 'Velregulert, ingen behov', authorName: 'Lege Li' };
  const confirm = { id: '10000000-0000-4000-8000-000000000002', group: 'frail-elderly', include: true, reason: 'Bor alene, falltendens', authorName: 'Lege Li' };

  it('refuses a bad assessment with 400 naming the field, and a nurse with 403; nothing stored', async () => {
    const api = server(app);
    const cases: [unknown, string, string][] = [
      [{ ...reject, reason: '   ' }, 'reason', 'Begrunnelse: må fylles ut.'],
      [{ ...reject, group: 'diabetes' }, 'group', 'Målgruppe: er ikke en kjent målgruppe.'],
      [{ ...reject, include: 'ja' }, 'include', 'Bekreft eller avkreft: må være ja eller nei.'],
      [{ ...reject, id: '42' }, 'id', 'Id: må være en uuid.'],
      [{ ...reject, admin: true }, 'admin', 'Feltet «admin» er ukjent.'],
      [{ group: 'chronic', include: true, reason: 'x' }, 'id', 'Id: mangler.'],
    ];
    for (const [body, field, error] of cases) {
      const res = await api.call('gp', '/patients/tg-chronic/assessments', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toEqual({ error, field });
    }
    const nurse = await api.call('nurse', '/patients/tg-chronic/assessments', reject);
    expect(nurse.status).toBe(403);
    expect(((await nurse.json()) as { error: string }).error).toBe('Bare en fastlege kan bekrefte eller avkrefte en målgruppe.');
    expect(await app.db.selectFrom('tg_assessment').selectAll().execute()).toEqual([]);
    expect(await app.db.selectFrom('write_back').selectAll().execute()).toEqual([]);
  });

  it('a GP rejects one group and confirms another: the list reflects it at once; journal notes and a Flag are queued; a retry is one record', async () => {
    const api = server(app);
    const r1 = await api.call('gp', '/patients/tg-chronic/assessments', reject);
    expect(r1.status).toBe(201);
    expect(await r1.json()).toEqual({
      assessment: { id: reject.id, group: 'chronic', include: false, reason: 'Velregulert, ingen behov', by: 'Lege Li', at: '2026-03-02T01:13:00.000Z', journal: 'pending' },
    });
    expect((await api.call('gp', '/patients/tg-old/assessments', confirm)).status).toBe(201);
    const again = await api.call('gp', '/patients/tg-old/assessments', confirm);
    expect(again.status).toBe(200);
    expect((await api.call('gp', '/patients/tg-chronic/assessments', confirm)).status).toBe(409);

    const list = (await (await api.call('gp', '/list')).json()) as { rows: { name: string; groups: unknown[] }[] };
    expect(list.rows.map((r) => [r.name, r.groups])).toEqual([
      ['Kari Kronisk', []],
      ['Nina Ingen', []],
      ['Olav Eldre', [{ group: 'frail-elderly', confirmed: true }]],
    ]);
    const queued = await app.db.selectFrom('write_back').select(['resource_type', 'source', 'patient_id', 'iss', 'state']).orderBy('key').execute();
    expect(queued.map((q) => [q.resource_type, q.source, q.patient_id, q.iss, q.state]).sort()).toEqual([
      ['DocumentReference', `target-groups/assessment/${reject.id}`, 'tg-chronic', ISS, 'pending'],
      ['DocumentReference', `target-groups/assessment/${confirm.id}`, 'tg-old', ISS, 'pending'],
      ['Flag', `target-groups/flag/${confirm.id}`, 'tg-old', ISS, 'pending'],
    ]);
    // An EPJ that cannot create Flags gets the journal note only.
    const second = { ...confirm, id: '10000000-0000-4000-8000-000000000009', group: 'chronic', reason: 'Dårlig regulert likevel' };
    const noFlags = await server(app, false).call('gp', '/patients/tg-chronic/assessments', second);
    expect(noFlags.status).toBe(201);
    const sources = (await app.db.selectFrom('write_back').select(['resource_type', 'source']).where('source', 'like', `%${second.id}`).execute()).map((q) => [q.resource_type, q.source]);
    expect(sources).toEqual([['DocumentReference', `target-groups/assessment/${second.id}`]]);
    await app.db.deleteFrom('write_back').where('source', 'like', `%${second.id}`).execute();
    await app.db.deleteFrom('tg_assessment').where('id', '=', second.id).execute();
    // The panel shows the rejection as such, with who and why.
    const panel = (await (await api.call('gp', '/patients/tg-chronic')).json()) as { groups: { group: string; status: string }[]; assessments: { reason: string; journal: string }[] };
    expect(panel.groups.map((g) => [g.group, g.status])).toEqual([['chronic', 'rejected']]);
    expect(panel.assessments).toMatchObject([{ reason: 'Velregulert, ingen behov', journal: 'pending' }]);
    // A new scan keeps the team's decisions (they win over the rules).
    const deps = scanDeps(app);
    const run = await startPracticeScan(deps, 'Practitioner/gp-1', '00000000-0000-4000-8000-000000000003');
    expect(run.ok).toBe(true);
    await executeScan(deps, '00000000-0000-4000-8000-000000000003');
    const after = (await (await api.call('gp', '/list')).json()) as { rows: { name: string; groups: unknown[] }[] };
    expect(after.rows.map((r) => r.groups)).toEqual([[], [], [{ group: 'frail-elderly', confirmed: true }]]);
  });

  it('a nurse records an outreach assessment and offer; the worklist shows it with its journal state', async () => {
    const api = server(app);
    const offer = { id: '20000000-0000-4000-8000-000000000001', need: 'follow-up-needed', offer: { kind: 'home-visit', date: '2026-03-05', accepted: true }, note: 'Ringt, avtalt besøk', authorName: 'Sykepleier Siv' };
    const bad = await api.call('nurse', '/patients/tg-old/outreach', { ...offer, offer: { ...offer.offer, date: '05.03.2026' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'Dato for tilbudet: må være en dato på formen ÅÅÅÅ-MM-DD.', field: 'offer.date' });
    expect((await api.call('secretary', '/patients/tg-old/outreach', offer)).status).toBe(403);
    const res = await api.call('nurse', '/patients/tg-old/outreach', offer);
    expect(res.status).toBe(201);
    const expected = { id: offer.id, date: '2026-03-02', need: 'follow-up-needed', offer: { kind: 'home-visit', date: '2026-03-05', accepted: true }, note: 'Ringt, avtalt besøk', by: 'Sykepleier Siv', journal: 'pending' };
    expect(await res.json()).toEqual({ outreach: expected });
    expect((await api.call('nurse', '/patients/tg-old/outreach', offer)).status).toBe(200);
    const worklist = (await (await api.call('nurse', '/outreach')).json()) as { computedAt: string; rows: { name: string; outreach?: unknown }[] };
    // Kari Kronisk was rejected by the GP: no longer in a group, so not on the worklist.
    expect(worklist.rows.map((r) => [r.name, r.outreach])).toEqual([['Olav Eldre', expected]]);
    expect((await api.call('secretary', '/outreach')).status).toBe(403);
    const note = await app.db.selectFrom('write_back').select(['resource']).where('source', '=', `target-groups/outreach/${offer.id}`).executeTakeFirstOrThrow();
    const text = Buffer.from((note.resource as { content: { attachment: { data: string } }[] }).content[0]?.attachment.data ?? '', 'base64').toString('utf8');
    expect(text).toBe('Vurdering av svak etterspørrer: Behov for oppfølging.\nTilbud: hjemmebesøk 05.03.2026, takket ja.\nNotat: Ringt, avtalt besøk\nRegistrert av Sykepleier Siv.');
  });

  it('the panel falls back to the stored result when the EPJ does not answer', async () => {
    epjDown = true;
    try {
      const res = await server(app).call('gp', '/patients/tg-old');
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ stale: true, groups: [{ group: 'frail-elderly', status: 'confirmed' }] });
      expect((await server(app).call('gp', '/patients/tg-none')).status).toBe(200);
      expect((await server(app).call('gp', '/patients/ukjent')).status).toBe(502);
    } finally {
      epjDown = false;
    }
  });
});

describe('the nightly scan job', () => {
  it('is one job per practice at 02:00', () => {
    expect(targetGroupJobs).toEqual([nightlyScanJob]);
    expect(nightlyScanJob).toMatchObject({ name: 'target-groups.nightly-scan', schedule: { dailyAt: '02:00' }, perPractice: true });
  });
});

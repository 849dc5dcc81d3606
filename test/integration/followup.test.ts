// The discharge sweep as a server job against a real sandbox EPJ (HTTP on port 0, seeded practice, fixed
// asOf) and the app server's own identity (SMART Backend Services with the server's key store, the
// confidential client the sandbox registered): it reads the discharges, creates the tasks of
// target-group patients in the app's database once however often it runs, leaves others for triage
// and history alone; `npm run sweep` (scripts/sweep.ts) runs the same job with the server's settings.
// Expected values are written by hand from SPEC §2-§4 for the fixture patients added to the seed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DocumentReference, Encounter, Patient, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { followUpSweepJob, runSweepJob, SWEEP_JOB } from '../../server/features/follow-up/jobs';
import { listFollowUps } from '../../server/features/follow-up/store';
import type { JobContext } from '../../server/jobs/types';
import { BackendServices } from '../../server/smart/backendServices';
import { EpjClients } from '../../server/smart/epjClient';
import { main as sweepMain } from '../../scripts/sweep';
import { startAppServer, type AppServerEnv } from '../support/appServer';

const AS_OF = '2026-11-23'; // a Monday
const NOW = Date.parse('2026-11-23T08:00:00+01:00');
const PRACTICE = 'Organization/org-practice';

let env: AppServerEnv;
let dataDir: string;

const patient = (id: string, birthDate: string): Patient => ({
  resourceType: 'Patient',
  id,
  name: [{ family: 'Sveipesen', given: [id], text: `${id} Sveipesen` }],
  birthDate,
  managingOrganization: { reference: 'Organization/org-practice' },
  generalPractitioner: [{ reference: 'Practitioner/gp-1' }],
});
const stay = (id: string, patientId: string, end: string): Encounter => ({
  resourceType: 'Encounter',
  id,
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
  subject: { reference: `Patient/${patientId}` },
  serviceProvider: { reference: 'Organization/org-fu-hospital', display: 'Sveip sykehus' },
  period: { start: `${end.slice(0, 10)}T08:00:00+01:00`, end },
});

const FIXTURES: Resource[] = [
  // 96 years old: frail-elderly (SPEC §3). Discharged Friday 20 Nov -> deadline Wednesday 25 Nov (SPEC §2),
  // by an Encounter and an epikrise of the same stay: one episode, one task.
  patient('pat-fu-old', '1930-03-03'),
  stay('enc-fu-old', 'pat-fu-old', '2026-11-20T12:00:00+01:00'),
  {
    resourceType: 'DocumentReference',
    id: 'doc-fu-old',
    status: 'current',
    type: { coding: [{ system: 'http://loinc.org', code: '18842-5' }] },
    subject: { reference: 'Patient/pat-fu-old' },
    date: '2026-11-20T15:00:00+01:00',
    context: { encounter: [{ reference: 'Encounter/enc-fu-old' }], period: { end: '2026-11-20T12:00:00+01:00' } },
    content: [{ attachment: { contentType: 'text/plain', data: 'RXBpa3Jpc2U=' } }],
  } satisfies DocumentReference,
  // 36 years old, in no target group: waits for triage, no task.
  patient('pat-fu-young', '1990-03-03'),
  stay('enc-fu-young', 'pat-fu-young', '2026-11-18T12:00:00+01:00'),
  // 95, but discharged 1 Oct: deadline 6 Oct passed 48 days before the sweep first saw it (> 30): history.
  patient('pat-fu-history', '1931-03-03'),
  stay('enc-fu-history', 'pat-fu-history', '2026-10-01T12:00:00+01:00'),
];

function jobContext(now = NOW): JobContext {
  return {
    db: env.app.db,
    registry: env.app.registry,
    backend: new BackendServices(new EpjClients(env.app.keys)),
    now: () => now,
    log: () => undefined,
  };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pht-followup-'));
  env = await startAppServer({ dataDir, patients: 200, asOf: AS_OF });
  await env.sandbox.fhir.store.bulkLoad(FIXTURES);
}, 120_000);

afterAll(async () => {
  await env?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the discharge sweep job', () => {
  test('is defined for the scheduler: every 15 minutes on working days, per practice', () => {
    expect(followUpSweepJob).toMatchObject({ name: SWEEP_JOB, schedule: { everyMinutes: 15, workingDaysOnly: true }, perPractice: true });
    expect(SWEEP_JOB).toBe('follow-up.sweep');
  });

  test('creates the target-group patient\'s task once with the server\'s own token; others wait, history gets none', async () => {
    const first = await runSweepJob(jobContext());
    // Both registry entries (SMART standard and HelseID-like) are the same sandbox practice.
    expect(first).toHaveLength(2);
    expect(first.every((r) => r.failures.length === 0)).toBe(true);
    const tasks = await listFollowUps(env.app.db, PRACTICE);
    const mine = tasks.filter((t) => t.patientId.startsWith('pat-fu-'));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      patientId: 'pat-fu-old',
      dischargeDate: '2026-11-20',
      deadline: '2026-11-25',
      status: 'new',
      owner: null,
      createdBy: 'system',
      institution: { id: 'org-fu-hospital' },
    });
    const signals = await env.app.db.selectFrom('follow_up_signal').select('signal').where('task_id', '=', mine[0]?.id ?? '').orderBy('signal').execute();
    expect(signals.map((s) => s.signal)).toEqual(['DocumentReference/doc-fu-old', 'Encounter/enc-fu-old']);

    const again = await runSweepJob(jobContext());
    expect(again.map((r) => r.created)).toEqual([0, 0]);
    // oracle: idempotence: a second sweep leaves the number of tasks the first one made
    expect(await listFollowUps(env.app.db, PRACTICE)).toHaveLength(tasks.length);
  });

  test('reports the open tasks due today and overdue, as of its clock', async () => {
    // Wednesday 25 Nov: the fixture's deadline is today; Thursday 26 Nov it is overdue.
    const wednesday = await runSweepJob({ ...jobContext(Date.parse('2026-11-25T08:00:00+01:00')), practice: { practiceId: PRACTICE, epj: env.app.registry.entries[0]! } });
    expect(wednesday[0]?.dueToday.some((t) => t.patientId === 'pat-fu-old')).toBe(true);
    const thursday = await runSweepJob({ ...jobContext(Date.parse('2026-11-26T08:00:00+01:00')), practice: { practiceId: PRACTICE, epj: env.app.registry.entries[0]! } });
    expect(thursday[0]?.overdue.some((t) => t.patientId === 'pat-fu-old')).toBe(true);
  });
});

describe('npm run sweep', () => {
  test('runs the same job once with the app server\'s keys, registry and a database from the environment', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    // The server's data folder (its keys are the ones the sandbox registered); the database is the
    // PGlite under it (the test server runs on its own copy, which one process may open at a time).
    const sweepEnv = { PHT_SERVER_DATA_DIR: join(dataDir, 'app-server'), PHT_SANDBOX_ORIGIN: env.sandbox.origin, PHT_EPJ_REGISTRY: 'server/epj-registry.json' };
    const code = await sweepMain(['--now', '2026-11-23T08:00:00+01:00', '--iss', `${env.sandbox.origin}/fhir`], io, sweepEnv);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('Oppfølging etter utskrivning: sveip 23.11.2026 (Organization/org-practice i Sandkasse-EPJ, SMART standard)');
    expect(text).toMatch(/Nye oppgaver: [1-9]\d*/);
    expect(text).not.toMatch(/\d{11}/); // no national id numbers
    expect(text).not.toContain('Sveipesen'); // no names

    const out2: string[] = [];
    expect(await sweepMain(['--now', '2026-11-23T08:00:00+01:00', '--iss', `${env.sandbox.origin}/fhir`], { out: (t) => out2.push(t), err: (t) => err.push(t) }, sweepEnv)).toBe(0);
    expect(out2.join('\n')).toContain('Nye oppgaver: 0');
  });

  test('fails with a clear Norwegian message and exit code 1 on a bad option or an unknown EPJ', async () => {
    const err: string[] = [];
    const io = { out: () => undefined, err: (t: string) => err.push(t) };
    const sweepEnv = { PHT_SERVER_DATA_DIR: join(dataDir, 'app-server'), PHT_SANDBOX_ORIGIN: env.sandbox.origin };
    expect(await sweepMain(['--now', '23.11.2026'], io, sweepEnv)).toBe(1);
    expect(await sweepMain(['--iss', 'https://ukjent.example/fhir'], io, sweepEnv)).toBe(1);
    expect(err).toEqual([
      'Sveipen feilet: Ugyldig tidspunkt for --now: «23.11.2026» (bruk ÅÅÅÅ-MM-DDTtt:mm med tidssone, f.eks. 2026-11-23T08:00:00+01:00).',
      'Sveipen feilet: EPJ-en https://ukjent.example/fhir står ikke i registeret server/epj-registry.json.',
    ]);
  });
});

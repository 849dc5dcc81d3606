// Population scan against a real sandbox EPJ (the default 3,000 patients): the candidates equal what the seed predicts,
// flags are written once, and a re-scan writes no duplicates.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Flag } from '@medplum/fhirtypes';
import { generatePractice } from '../../sandbox/seed';
import { TARGET_GROUPS } from '../../src/domain/targetGroups';
import { createFhirClient } from '../../src/fhir/client';
import { scanPopulation } from '../../src/fhir/population';
import { SYSTEMS } from '../../src/fhir/systems';
import { AS_OF, launchSession, startTestEpj, type TestEpj } from './copay-sandbox';

const PATIENTS = 3000; // the default practice: the acceptance is stated for the seeded 3,000-patient sandbox
let epj: TestEpj;

beforeAll(async () => {
  epj = await startTestEpj(PATIENTS);
});
afterAll(async () => {
  await epj?.close();
});

async function flags(): Promise<Flag[]> {
  const all = await epj.sandbox.fhir.store.search<Flag>('Flag', { _count: '10000' });
  return all.filter((f) => f.identifier?.some((i) => i.system === SYSTEMS.flagId));
}

describe('population scan against the sandbox', () => {
  test('practice scan: candidates as the seed predicts; flags once; re-scan writes nothing', async () => {
    // The oracle is the seed generator's own plan (sandbox/seed/groups.ts: which groups each patient was built
    // to be in), independent of classifyPatient, the function under test.
    const { summary } = generatePractice({ patients: PATIENTS, seed: 1, asOf: AS_OF });
    const expected = summary.expectedCandidates;
    const session = await launchSession(epj.sandbox, 'gp-2', 'pat-00001');
    const client = createFhirClient(session);
    const phases: string[] = [];
    const t0 = performance.now();
    const first = await scanPopulation(client, { kind: 'practice' }, { userId: 'gp-2', asOf: AS_OF, onProgress: (p) => phases.push(p.phase) });
    const ms = Math.round(performance.now() - t0);
    const candidates = first.rows.filter((r) => r.groups.length > 0);
    console.log(`[population] ${first.rows.length} pasienter, ${candidates.length} kandidater (the generator's plan: ${expected.total}), ${first.flags?.created} flagg, ${first.issues.length} med dataavvik, ${first.skipped.length} hoppet over, ${ms} ms`);
    expect(first.rows).toHaveLength(PATIENTS);
    expect(candidates.length).toBe(expected.total);
    for (const group of TARGET_GROUPS) {
      expect(first.rows.filter((r) => r.groups.some((g) => g.group === group)).length, group).toBe(expected.byGroup[group]);
    }
    // The generator leaves its planned weak demanders without contact for a year; other candidates may lack one
    // by chance, so its count is a lower bound (sandbox/seed/emit.ts).
    const weak = first.rows.filter((r) => r.weakDemander).length;
    expect(weak).toBeGreaterThanOrEqual(expected.weakDemanders);
    expect(weak).toBeLessThanOrEqual(candidates.length);
    expect(phases).toContain('flags');

    const memberships = first.rows.reduce((n, r) => n + r.groups.length, 0);
    expect(first.flags).toMatchObject({ created: memberships, updated: 0, closed: 0, failed: 0 });
    const stored = await flags();
    expect(stored).toHaveLength(memberships);
    expect(new Set(stored.map((f) => f.identifier?.[0]?.value)).size).toBe(memberships);

    const again = await scanPopulation(client, { kind: 'practice' }, { userId: 'gp-2', asOf: AS_OF });
    expect(again.flags).toMatchObject({ created: 0, updated: 0, closed: 0, unchanged: memberships, failed: 0 });
    expect(await flags()).toHaveLength(memberships);
  });

  test("a GP's own list is a subset of the practice", async () => {
    const session = await launchSession(epj.sandbox, 'gp-1', 'pat-00001');
    const client = createFhirClient(session);
    const own = await scanPopulation(client, { kind: 'gp', gpId: 'gp-1' }, { userId: 'gp-1', asOf: AS_OF, writeFlags: false });
    const { summary } = generatePractice({ patients: PATIENTS, seed: 1, asOf: AS_OF });
    expect(own.rows).toHaveLength(summary.patientsByGp['gp-1'] ?? -1);
    expect(own.rows.every((r) => r.gpId === 'gp-1')).toBe(true);
    expect(own.flags).toBeUndefined();
  });
});


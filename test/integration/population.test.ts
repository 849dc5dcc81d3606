// Population scan against a real sandbox EPJ (the default 3,000 patients): the candidates equal what the seed predicts,
// flags are written once, and a re-scan writes no duplicates.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Flag, Patient, Resource } from '@medplum/fhirtypes';
import { generatePractice } from '../../sandbox/seed';
import { classifyPatient, TARGET_GROUPS, type TargetGroup } from '../../src/domain/targetGroups';
import { toPatientFacts } from '../../src/fhir/mappers/patientFacts';
import { patientIdOf } from '../../src/fhir/populationFetch';
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

/** classifyPatient over the generated resources directly (no HTTP, no paging): what the scan must find. */
function classifySeed(resources: Resource[]): { total: number; byGroup: Record<TargetGroup, number>; weak: number } {
  const related = new Map<string, Resource[]>();
  for (const r of resources) {
    const id = r.resourceType === 'Patient' ? undefined : patientIdOf(r);
    if (id) related.set(id, [...(related.get(id) ?? []), r]);
  }
  const out = { total: 0, byGroup: { chronic: 0, 'mental-substance': 0, 'frail-elderly': 0, disability: 0 }, weak: 0 };
  for (const p of resources.filter((r): r is Patient => r.resourceType === 'Patient')) {
    const { facts } = toPatientFacts(p, related.get(p.id ?? '') ?? [], { practiceOrgId: 'org-practice', asOf: AS_OF });
    const c = classifyPatient(facts, AS_OF);
    if (c.groups.length > 0) out.total++;
    if (c.weakDemander) out.weak++;
    for (const g of c.groups) out.byGroup[g]++;
  }
  return out;
}

async function flags(): Promise<Flag[]> {
  const all = await epj.sandbox.fhir.store.search<Flag>('Flag', { _count: '10000' });
  return all.filter((f) => f.identifier?.some((i) => i.system === SYSTEMS.flagId));
}

describe('population scan against the sandbox', () => {
  test('practice scan: candidates as the seed predicts; flags once; re-scan writes nothing', async () => {
    const { summary, resources } = generatePractice({ patients: PATIENTS, seed: 1, asOf: AS_OF });
    const expected = classifySeed(resources);
    const session = await launchSession(epj.sandbox, 'gp-2', 'pat-00001');
    const client = createFhirClient(session);
    const phases: string[] = [];
    const t0 = performance.now();
    const first = await scanPopulation(client, { kind: 'practice' }, { userId: 'gp-2', asOf: AS_OF, onProgress: (p) => phases.push(p.phase) });
    const ms = Math.round(performance.now() - t0);
    const candidates = first.rows.filter((r) => r.groups.length > 0);
    console.log(`[population] ${first.rows.length} pasienter, ${candidates.length} kandidater (classifyPatient over the seed: ${expected.total}; the generator's own plan: ${summary.expectedCandidates.total}), ${first.flags?.created} flagg, ${first.issues.length} med dataavvik, ${first.skipped.length} hoppet over, ${ms} ms`);
    expect(first.rows).toHaveLength(PATIENTS);
    expect(candidates.length).toBe(expected.total);
    for (const group of TARGET_GROUPS) {
      expect(first.rows.filter((r) => r.groups.some((g) => g.group === group)).length, group).toBe(expected.byGroup[group]);
    }
    expect(first.rows.filter((r) => r.weakDemander).length).toBe(expected.weak);
    // The seed generator's own plan (sandbox/seed/groups.ts) predicts the same count.
    expect(candidates.length).toBe(summary.expectedCandidates.total);
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


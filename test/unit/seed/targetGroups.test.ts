// An independent estimator of SPEC §3's default rules over the seed's FHIR resources, used to tune the
// seed's prevalence to the source's 7-10 % and to check the seed's own `summary.expectedCandidates`.
// Test-only on purpose: the app's rules are src/domain's classifyPatient.

import { describe, expect, test } from 'vitest';
import type { Resource } from '@medplum/fhirtypes';
import { EXT_RESIDENCE_INSTITUTION, generatePractice, PRACTICE_ID } from '../../../sandbox/seed/index';
import { classifyPatient, type PatientFacts } from '../../../src/domain/targetGroups';
import { byType, fullYears, osloDate, refId, shiftDate } from './osloTestHelpers';

type Group = 'chronic' | 'mental-substance' | 'frail-elderly' | 'disability';

const ICPC = new Set(['http://hl7.org/fhir/sid/icpc-2', 'urn:oid:2.16.578.1.12.4.1.1.7170']);
const ICD = new Set(['urn:oid:2.16.578.1.12.4.1.1.7110', 'http://hl7.org/fhir/sid/icd-10-no', 'http://hl7.org/fhir/sid/icd-10']);
const ATC = new Set(['http://www.whocc.no/atc', 'urn:oid:2.16.578.1.12.4.1.1.7180']);
const INPATIENT = new Set(['IMP', 'ACUTE', 'NONAC', 'OBSENC', 'SS']);
const CFS = '763264000';

const CHRONIC: Record<string, { icpc: string[]; icd: string[]; key?: true }> = {
  diabetes: { icpc: ['T89', 'T90'], icd: ['E10', 'E11'], key: true },
  kols: { icpc: ['R95'], icd: ['J44'], key: true },
  heartFailure: { icpc: ['K77'], icd: ['I50'], key: true },
  asthma: { icpc: ['R96'], icd: ['J45'] },
  ihd: { icpc: ['K74', 'K76'], icd: ['I20', 'I25'] },
  af: { icpc: ['K78'], icd: ['I48'] },
  hypertension: { icpc: ['K86', 'K87'], icd: ['I10', 'I11', 'I12', 'I13', 'I15'] },
  stroke: { icpc: ['K90'], icd: ['I60', 'I61', 'I63', 'I64', 'I69'] },
  parkinson: { icpc: ['N87'], icd: ['G20'] },
  epilepsy: { icpc: ['N88'], icd: ['G40'] },
  ra: { icpc: ['L88'], icd: ['M05', 'M06'] },
};
const MENTAL = { icpc: ['P15', 'P16', 'P18', 'P19', 'P72', 'P73', 'P98'], icd: ['F10', 'F11', 'F12', 'F13', 'F14', 'F15', 'F16', 'F18', 'F19', 'F20', 'F21', 'F22', 'F23', 'F24', 'F25', 'F26', 'F27', 'F28', 'F29', 'F30', 'F31'] };
const DEMENTIA = { icpc: ['P70'], icd: ['F00', 'F01', 'F02', 'F03', 'G30'] };
const DISABILITY = {
  icpc: ['P85', ...'ABDFHKLNPRSTUWXYZ'.split('').map((c) => `${c}28`)],
  icd: ['F70', 'F71', 'F72', 'F73', 'F74', 'F75', 'F76', 'F77', 'F78', 'F79', 'F84', 'G80', 'Q90', 'Q91', 'Q92', 'Q93'],
};

interface Facts {
  /** The same facts in src/domain's shape, to run the app's classifyPatient on the seed too. */
  domain: PatientFacts;
  birthDate: string;
  institution: boolean;
  codes: { icpc: Set<string>; icd: Set<string> };
  atc: Set<string>;
  cfs: { date: string; score: number }[];
  discharges: string[];
  contacts: string[];
}

function collectFacts(resources: readonly Resource[], asOf: string): Map<string, Facts> {
  const facts = new Map<string, Facts>();
  for (const p of byType(resources, 'Patient')) {
    const institution = (p.extension ?? []).some((e) => e.url === EXT_RESIDENCE_INSTITUTION);
    facts.set(p.id ?? '', {
      domain: {
        birthDate: p.birthDate, livesInInstitution: institution, conditions: [], medications: [], contacts: [], discharges: [],
        frailtyScores: [], carePlans: [], medicationReviews: [], assessments: [],
      },
      birthDate: p.birthDate ?? '',
      institution,
      codes: { icpc: new Set(), icd: new Set() }, atc: new Set(), cfs: [], discharges: [], contacts: [],
    });
  }
  const of = (reference: string | undefined): Facts | undefined => facts.get(refId(reference));
  for (const c of byType(resources, 'Condition')) {
    const f = of(c.subject.reference);
    const status = c.clinicalStatus?.coding?.[0]?.code;
    f?.domain.conditions.push({
      codings: (c.code?.coding ?? []).map((x) => ({ system: x.system ?? '', code: x.code ?? '' })),
      active: ['active', 'recurrence', 'relapse'].includes(status ?? ''),
    });
    if (!f || !['active', 'recurrence', 'relapse'].includes(status ?? '')) continue;
    if ((c.recordedDate ?? c.onsetDateTime ?? '') > asOf) continue;
    for (const coding of c.code?.coding ?? []) {
      const code = (coding.code ?? '').trim().toUpperCase();
      if (ICPC.has(coding.system ?? '')) f.codes.icpc.add(code);
      if (ICD.has(coding.system ?? '')) f.codes.icd.add(code.replace('.', '').slice(0, 3));
    }
  }
  for (const m of byType(resources, 'MedicationStatement')) {
    const f = of(m.subject.reference);
    for (const coding of m.medicationCodeableConcept?.coding ?? []) f?.domain.medications.push({ atc: coding.code ?? '', active: m.status === 'active' });
    if (!f || m.status !== 'active') continue;
    for (const coding of m.medicationCodeableConcept?.coding ?? []) if (ATC.has(coding.system ?? '')) f.atc.add((coding.code ?? '').trim().toUpperCase());
  }
  for (const o of byType(resources, 'Observation')) {
    const f = of(o.subject?.reference);
    if (f && o.code.coding?.some((c) => c.code === CFS) && o.effectiveDateTime && o.valueInteger !== undefined) {
      f.cfs.push({ date: osloDate(o.effectiveDateTime), score: o.valueInteger });
      f.domain.frailtyScores.push({ date: osloDate(o.effectiveDateTime), value: o.valueInteger });
    }
  }
  for (const e of byType(resources, 'Encounter')) {
    const f = of(e.subject?.reference);
    if (!f) continue;
    const provider = refId(e.serviceProvider?.reference);
    if (provider === PRACTICE_ID && e.period?.start) f.contacts.push(osloDate(e.period.start));
    if (provider !== PRACTICE_ID && INPATIENT.has(e.class.code ?? '') && e.status === 'finished' && e.period?.end) f.discharges.push(osloDate(e.period.end));
  }
  for (const d of byType(resources, 'DocumentReference')) {
    const f = of(d.subject?.reference);
    if (f && d.type?.coding?.some((c) => c.code === '18842-5') && d.context?.period?.end) f.discharges.push(osloDate(d.context.period.end));
  }
  for (const c of byType(resources, 'Communication')) {
    const f = of(c.subject?.reference);
    const isDischarge = c.category?.some((cat) => cat.coding?.some((x) => x.code === 'epikrise' || x.code === 'discharge-notice'));
    if (f && isDischarge && c.sent) f.discharges.push(osloDate(c.sent));
  }
  for (const f of facts.values()) {
    f.domain.contacts = [...f.contacts];
    f.domain.discharges = [...f.discharges];
  }
  return facts;
}

function has(f: Facts, table: { icpc: string[]; icd: string[] }): boolean {
  return table.icpc.some((c) => f.codes.icpc.has(c)) || table.icd.some((c) => f.codes.icd.has(c));
}

export function estimateGroups(f: Facts, asOf: string): Group[] {
  if (f.institution) return [];
  const age = fullYears(f.birthDate, asOf);
  const yearAgo = shiftDate(asOf, -365);
  const chronic = Object.entries(CHRONIC).filter(([, t]) => has(f, t));
  const key = chronic.some(([, t]) => t.key);
  const poly = f.atc.size >= 4;
  const discharged = f.discharges.some((d) => d > yearAgo && d <= asOf);
  const cfs = [...f.cfs].filter((c) => c.date <= asOf).sort((a, b) => a.date.localeCompare(b.date)).at(-1)?.score ?? 0;
  const groups: Group[] = [];
  if (key && (chronic.length >= 2 || poly || discharged)) groups.push('chronic');
  if (has(f, MENTAL)) groups.push('mental-substance');
  if (age >= 85 || (age >= 75 && (cfs >= 5 || has(f, DEMENTIA) || discharged || (poly && chronic.length >= 2)))) groups.push('frail-elderly');
  if (has(f, DISABILITY)) groups.push('disability');
  return groups;
}

describe.each([
  ['2026-11-24', 1],
  ['2026-11-22', 2],
  ['2027-03-15', 3],
])('candidates on %s, seed %i', (asOf, seed) => {
  const { resources, summary } = generatePractice({ asOf, seed, patients: 3000 });
  const facts = collectFacts(resources, asOf);
  const results = [...facts.entries()].map(([id, f]) => ({ id, f, groups: estimateGroups(f, asOf) }));
  const candidates = results.filter((r) => r.groups.length > 0);

  test('7-10 % of the list is in at least one target group (SPEC §3, source ch. 4.3)', () => {
    const share = candidates.length / facts.size;
    console.info(`asOf ${asOf} seed ${seed}: ${candidates.length} candidates = ${(share * 100).toFixed(1)} %`);
    expect(share).toBeGreaterThanOrEqual(0.07);
    expect(share).toBeLessThanOrEqual(0.1);
  });

  test("the seed's own summary agrees with this estimator, group by group", () => {
    expect(summary.expectedCandidates.total).toBe(candidates.length);
    for (const g of ['chronic', 'mental-substance', 'frail-elderly', 'disability'] as const) {
      expect(summary.expectedCandidates.byGroup[g], g).toBe(results.filter((r) => r.groups.includes(g)).length);
    }
  });

  test("src/domain's classifyPatient finds the same candidates in the same groups", () => {
    const differ = results.filter((r) => classifyPatient(r.f.domain, asOf).groups.join() !== r.groups.join());
    expect(differ.map((r) => `${r.id}: ${r.groups.join()} vs ${classifyPatient(r.f.domain, asOf).groups.join()}`).slice(0, 5)).toEqual([]);
    const weak = results.filter((r) => classifyPatient(r.f.domain, asOf).weakDemander).length;
    expect(weak).toBeGreaterThanOrEqual(summary.expectedCandidates.weakDemanders);
  });

  test('every group is represented, and some candidates are weak demanders (no contact for 365 days)', () => {
    for (const g of ['chronic', 'mental-substance', 'frail-elderly', 'disability'] as const) {
      expect(candidates.filter((c) => c.groups.includes(g)).length, g).toBeGreaterThanOrEqual(10);
    }
    const yearAgo = shiftDate(asOf, -365);
    const weak = candidates.filter((c) => !c.f.contacts.some((d) => d > yearAgo && d <= asOf));
    expect(weak.length).toBeGreaterThanOrEqual(summary.expectedCandidates.weakDemanders);
    expect(weak.length).toBeGreaterThanOrEqual(10);
  });
});

describe('codes that must not qualify are present (so the rules are exercised)', () => {
  const asOf = '2026-11-24';
  const { resources } = generatePractice({ asOf, seed: 1, patients: 3000 });
  const conditions = byType(resources, 'Condition');
  const codes = (status: string): Set<string> =>
    new Set(conditions.filter((c) => c.clinicalStatus?.coding?.[0]?.code === status).flatMap((c) => (c.code?.coding ?? []).map((x) => (x.code ?? '').replace('.', '').slice(0, 3))));

  test('depression, anxiety and tobacco (F17/P17) are active for some patients', () => {
    const active = codes('active');
    for (const c of ['P76', 'P74', 'P17']) expect(active.has(c), c).toBe(true);
    expect(active.has('F17') || active.has('F32')).toBe(true);
  });

  test('resolved or inactive qualifying conditions exist (they must not count)', () => {
    const gone = new Set([...codes('resolved'), ...codes('inactive')]);
    expect(['P15', 'P19', 'F10', 'F11', 'R95', 'J44'].some((c) => gone.has(c))).toBe(true);
  });

  test('ICPC-2 appears in both URI and OID form, ICD-10 with and without the dot, in both systems', () => {
    const codings = conditions.flatMap((c) => c.code?.coding ?? []);
    const systems = new Set(codings.map((c) => c.system));
    for (const s of [...ICPC, 'urn:oid:2.16.578.1.12.4.1.1.7110', 'http://hl7.org/fhir/sid/icd-10-no']) expect(systems.has(s), s).toBe(true);
    const icd = codings.filter((c) => ICD.has(c.system ?? '')).map((c) => c.code ?? '');
    expect(icd.some((c) => c.includes('.'))).toBe(true);
    expect(icd.some((c) => c.length > 3 && !c.includes('.'))).toBe(true);
  });

  test('polypharmacy (4+ distinct active ATC) is common among the old', () => {
    const facts = collectFacts(resources, asOf);
    const old = [...facts.values()].filter((f) => fullYears(f.birthDate, asOf) >= 75);
    const young = [...facts.values()].filter((f) => fullYears(f.birthDate, asOf) < 50);
    const share = (fs: Facts[]): number => fs.filter((f) => f.atc.size >= 4).length / fs.length;
    expect(share(old)).toBeGreaterThan(0.3);
    expect(share(young)).toBeLessThan(0.05);
  });
});

// The generator's own view of SPEC §3: which planned patients the default rules should find. Used only to
// tune the seed and to report `summary.expectedCandidates`; the app's rules live in src/domain, and the
// seed's tests check this count against an independent estimator that reads the FHIR resources.

import { addDays } from './calendar';
import type { DiseaseKey } from './catalogue';
import type { PatientPlan } from './plan';

export type TargetGroup = 'chronic' | 'mental-substance' | 'frail-elderly' | 'disability';

const CHRONIC: Partial<Record<DiseaseKey, string>> = {
  diabetes1: 'diabetes', diabetes2: 'diabetes', kols: 'kols', heartFailure: 'heartFailure', asthma: 'asthma',
  ihd: 'ihd', af: 'af', hypertension: 'hypertension', stroke: 'stroke', parkinson: 'parkinson',
  epilepsy: 'epilepsy', ra: 'ra',
};
const KEY = new Set(['diabetes', 'kols', 'heartFailure']);
const MENTAL: ReadonlySet<DiseaseKey> = new Set<DiseaseKey>(['schizophrenia', 'bipolar', 'alcohol', 'drugs']);
const DISABILITY: ReadonlySet<DiseaseKey> = new Set<DiseaseKey>(['intellectualDisability', 'autism', 'cerebralPalsy', 'down', 'mobilityLimitation']);

export function plannedGroups(p: PatientPlan, asOf: string): TargetGroup[] {
  if (p.institution) return [];
  const active = p.conditions.filter((c) => c.status === 'active' && c.onset <= asOf).map((c) => c.disease);
  const chronic = new Set(active.flatMap((d) => CHRONIC[d] ?? []));
  const poly = new Set(p.activeDrugs).size >= 4;
  const yearAgo = addDays(asOf, -365);
  const discharged = p.stays.some((s) => s.dischargeDate > yearAgo && s.dischargeDate <= asOf);
  const latestCfs = [...p.cfs].sort((a, b) => a.date.localeCompare(b.date)).at(-1);
  const groups: TargetGroup[] = [];
  if ([...chronic].some((d) => KEY.has(d)) && (chronic.size >= 2 || poly || discharged)) groups.push('chronic');
  if (active.some((d) => MENTAL.has(d))) groups.push('mental-substance');
  if (p.age >= 85 || (p.age >= 75 && ((latestCfs?.score ?? 0) >= 5 || active.includes('dementia') || discharged || (poly && chronic.size >= 2)))) {
    groups.push('frail-elderly');
  }
  if (active.some((d) => DISABILITY.has(d))) groups.push('disability');
  return groups;
}

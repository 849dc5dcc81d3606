// Target-group classification in process (issue "Target groups" benchmark; issue "Performance" 3):
// our pipeline (FHIR -> facts mapper + classifyPatient) against the same rules evaluated with the
// `fhirpath` package, on the same synthetic patients, in the same run.
import fhirpath from 'fhirpath';
import r4model from 'fhirpath/fhir-context/r4';
import type { Resource } from '@medplum/fhirtypes';
import { classifyPatient, createClassifier, DEFAULT_RULE_SET, type PatientFacts } from '../../src/domain/targetGroups';
import { LIVES_IN_INSTITUTION_EXTENSION, RESIDENCE_INSTITUTION_EXTENSION } from '../../src/fhir/mappers/codes';
import { toPatientFacts } from '../../src/fhir/mappers/patientFacts';
import { fmt, median, type BenchRow } from '../report';
import { practiceByPatient, type PatientBundle } from './practiceData';

const AS_OF = '2026-11-24';

// The facts the rules need, extracted with FHIRPath: the baseline a team would write with a generic
// FHIRPath engine instead of a typed mapper.
const EXPRESSIONS = {
  birthDate: 'Patient.birthDate',
  // SPEC §3 home-dwelling: a resident of an institution is not a candidate (the seed writes the
  // residence-institution reference; our own boolean extension counts too).
  institution: `Patient.extension.where(url = '${RESIDENCE_INSTITUTION_EXTENSION}' and value.exists()) | Patient.extension.where(url = '${LIVES_IN_INSTITUTION_EXTENSION}' and value = true)`,
  conditions: "Condition.where(clinicalStatus.coding.where(code in ('active' | 'recurrence' | 'relapse')).exists()).code.coding",
  medications: "MedicationStatement.where(status = 'active').medicationCodeableConcept.coding.where(system = 'http://www.whocc.no/atc').code",
  contacts: "Encounter.where(class.code in ('AMB' | 'VR' | 'HH')).period.start",
  discharges: "Encounter.where(class.code in ('IMP' | 'ACUTE' | 'NONAC' | 'OBSENC' | 'SS') and status = 'finished').period.end",
  // SPEC §4: a discharge also comes as a discharge summary or as a message (dated by when it was sent).
  dischargeSummaries: "DocumentReference.where(type.coding.code = '18842-5').context.period.end",
  // Per coding: a message may carry several category codings (`in` needs one value on its left).
  dischargeMessages: "Communication.where(category.coding.where(code in ('epikrise' | 'discharge-notice')).exists()).sent",
  frailty: "Observation.where(code.coding.code = '763264000')",
  carePlans: "CarePlan.where(status = 'active')",
  reviews: "Procedure.where(code.coding.code = '182836005').performed",
} as const;

export type Compiled = Record<keyof typeof EXPRESSIONS, (r: unknown) => unknown[]>;

export function compileAll(): Compiled {
  const out: Partial<Compiled> = {};
  for (const [k, expr] of Object.entries(EXPRESSIONS) as [keyof typeof EXPRESSIONS, string][]) {
    const fn = fhirpath.compile(expr, r4model);
    out[k] = (r: unknown) => fn(r as object) as unknown[];
  }
  return out as Compiled;
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

export function fhirpathFacts(c: Compiled, resources: Resource[]): PatientFacts {
  const facts: PatientFacts = { conditions: [], medications: [], contacts: [], discharges: [], frailtyScores: [], carePlans: [], medicationReviews: [], assessments: [] };
  for (const r of resources) {
    switch (r.resourceType) {
      case 'Patient':
        facts.birthDate = str(c.birthDate(r)[0]);
        if (c.institution(r).length > 0) facts.livesInInstitution = true;
        break;
      case 'Condition': {
        const codings = c.conditions(r).flatMap((x) => (x && typeof x === 'object' && 'code' in x && 'system' in x ? [{ system: String(x.system), code: String(x.code) }] : []));
        if (codings.length > 0) facts.conditions.push({ codings, active: true });
        break;
      }
      case 'MedicationStatement':
        for (const atc of c.medications(r)) if (typeof atc === 'string') facts.medications.push({ atc, active: true });
        break;
      case 'Encounter':
        for (const d of c.contacts(r)) if (typeof d === 'string') facts.contacts.push(d.slice(0, 10));
        for (const d of c.discharges(r)) if (typeof d === 'string') facts.discharges.push(d.slice(0, 10));
        break;
      case 'DocumentReference':
        for (const d of c.dischargeSummaries(r)) if (typeof d === 'string') facts.discharges.push(d.slice(0, 10));
        break;
      case 'Communication':
        for (const d of c.dischargeMessages(r)) if (typeof d === 'string') facts.discharges.push(d.slice(0, 10));
        break;
      case 'Observation':
        if (c.frailty(r).length > 0 && 'valueInteger' in r && typeof r.valueInteger === 'number')
          facts.frailtyScores.push({ value: r.valueInteger, date: (r.effectiveDateTime ?? '').slice(0, 10) });
        break;
      case 'CarePlan':
        if (c.carePlans(r).length > 0) facts.carePlans.push({ active: true, hasGoals: (r.goal?.length ?? 0) > 0 });
        break;
      case 'Procedure':
        for (const d of c.reviews(r)) if (typeof d === 'string') facts.medicationReviews.push(d.slice(0, 10));
        break;
      default:
        break;
    }
  }
  return facts;
}

function rate(n: number, ms: number): number {
  return n / (ms / 1000);
}

export async function benchClassification(patients = 10_000): Promise<BenchRow[]> {
  const { bundles, practiceOrgId } = practiceByPatient(patients, AS_OF);
  const ctx = { practiceOrgId, asOf: AS_OF };
  const facts = bundles.map((b) => toPatientFacts(b.patient, b.related, ctx).facts);
  const classify = createClassifier(DEFAULT_RULE_SET);

  // 1. The rules alone, on facts (the in-process classification throughput).
  const ruleRates: number[] = [];
  let candidates = 0;
  for (let round = 0; round < 7; round++) {
    candidates = 0;
    const t0 = performance.now();
    for (const f of facts) if (classify(f, AS_OF).groups.length > 0) candidates++;
    ruleRates.push(rate(facts.length, performance.now() - t0));
  }
  const rulesPerS = median(ruleRates);

  // 2. Our pipeline from FHIR resources (mapper + rules) against 3. the baseline: the same rules with facts
  // extracted by the fhirpath package, on a 1,000-patient sample. Both get one untimed round first (JIT
  // warm-up); then 7 rounds, each timing ours and then the baseline, so a change in the machine's load hits
  // both sides of a round alike. The ratio is the median of the rounds' ratios of CPU time per patient
  // (process.cpuUsage: what the process itself spent, less disturbed by other work on a shared machine than
  // wall time); the rates shown are wall-clock medians.
  const compiled = compileAll();
  const sample: PatientBundle[] = bundles.slice(0, 1000);
  for (const b of bundles) classifyPatient(toPatientFacts(b.patient, b.related, ctx).facts, AS_OF);
  for (const b of sample) classifyPatient(fhirpathFacts(compiled, [b.patient, ...b.related]), AS_OF);
  const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
  const oursRates: number[] = [];
  const baseRates: number[] = [];
  const cpuRatios: number[] = [];
  for (let round = 0; round < 7; round++) {
    let c0 = process.cpuUsage();
    let t0 = performance.now();
    for (const b of bundles) classifyPatient(toPatientFacts(b.patient, b.related, ctx).facts, AS_OF);
    oursRates.push(rate(bundles.length, performance.now() - t0));
    const oursCpuPerPatient = cpuMs(process.cpuUsage(c0)) / bundles.length;
    c0 = process.cpuUsage();
    t0 = performance.now();
    for (const b of sample) classifyPatient(fhirpathFacts(compiled, [b.patient, ...b.related]), AS_OF);
    baseRates.push(rate(sample.length, performance.now() - t0));
    const baseCpuPerPatient = cpuMs(process.cpuUsage(c0)) / sample.length;
    cpuRatios.push(baseCpuPerPatient / oursCpuPerPatient);
  }
  const oursPerS = median(oursRates);
  // Agreement (outside the timing): the same target groups from both pipelines, patient by patient.
  let agree = 0;
  const groupsOf = (r: { groups: readonly unknown[] }) => JSON.stringify(r.groups.map((g) => (typeof g === 'object' && g !== null && 'group' in g ? g.group : g)).sort());
  for (const b of sample) {
    const theirs = groupsOf(classifyPatient(fhirpathFacts(compiled, [b.patient, ...b.related]), AS_OF));
    const mine = groupsOf(classify(toPatientFacts(b.patient, b.related, ctx).facts, AS_OF));
    if (theirs === mine) agree++;
  }
  const basePerS = median(baseRates);
  const ratio = median(cpuRatios);
  const wallRatio = oursPerS / basePerS;

  return [
    {
      section: 'Målgrupper',
      name: `Klassifisering i prosess (regler på fakta), ${fmt(patients)} pasienter`,
      figure: `${fmt(rulesPerS)} pasienter/s`,
      value: rulesPerS,
      unit: 'patients/s',
      target: '≥ 100 000 /s',
      met: rulesPerS >= 100_000,
      note: `median of 7 rounds; ${candidates} candidates (${fmt((100 * candidates) / facts.length, 1)} %)`,
    },
    {
      section: 'Målgrupper',
      name: `FHIR → fakta → regler (vår mapper), ${fmt(patients)} pasienter`,
      figure: `${fmt(oursPerS)} pasienter/s`,
      value: oursPerS,
      unit: 'patients/s',
      // Issue 19 point 6.
      target: '≥ 10 × fhirpath-baseline',
      met: ratio >= 10 && agree === sample.length,
      baseline: `fhirpath package, same rules and resources: ${fmt(basePerS)} patients/s`,
      note: `ratio ${fmt(ratio, 1)} × in CPU time per patient (median of 7 interleaved rounds; rounds ${cpuRatios.map((r) => fmt(r, 1)).join(' / ')}; wall-clock medians ${fmt(wallRatio, 1)} ×); same target groups as the baseline for ${agree}/${sample.length} patients`,
    },
    {
      section: 'Målgrupper',
      name: 'Baseline: samme regler med fhirpath-pakken (utvalg 1 000 pasienter, per pasient)',
      figure: `${fmt(basePerS)} pasienter/s (${fmt(1000 / basePerS, 3)} ms/pasient)`,
      value: basePerS,
      unit: 'patients/s',
      target: 'baseline',
      met: true,
      note: `same target groups as ours for ${agree}/${sample.length} patients`,
    },
  ];
}

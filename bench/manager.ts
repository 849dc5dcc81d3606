// Benchmark of the practice manager's figures (SPEC §7) at practice scale: a synthetic, seeded year of a
// large practice (charges, follow-up tasks, the listed population's facts) generated in memory, then
// every figure of the view computed once for the year (12-month indicator trend) and once for a month.
// Run: `node --import tsx bench/manager.ts [patients]`; the lead wires benchManagerFigures into `npm run bench`.
import { performance } from 'node:perf_hooks';
import type { FollowUpTask } from '../src/domain/followUp';
import type { ChargeRecord, StaffMember } from '../src/domain/manager';
import { computeManagerFigures, type ManagerInputs } from '../src/domain/manager/managerFigures';
import type { PatientFacts } from '../src/domain/targetGroups';
import { defaultCatalogues } from '../src/domain/tariffs';
import { tariffNorms } from '../src/fhir/manager';

export interface ManagerBenchOptions {
  patients?: number;
  seed?: number;
  /** The year generated (Oslo dates). */
  year?: number;
}

export interface ManagerBenchResult {
  patients: number;
  staff: number;
  charges: number;
  tasks: number;
  generateMs: number;
  /** All figures for the whole year (indicator trend over 12 month-ends). */
  yearFiguresMs: number;
  /** All figures for one month (what the view computes by default). */
  monthFiguresMs: number;
  /** Peak resident set size of the process (MB), and heap used after the figures (MB). */
  peakRssMb: number;
  heapUsedMb: number;
  /** A few figures, to see the run did real work. */
  check: { anomalies: number; unclaimed: number; complianceShare: number | null; carePlanShare: number | undefined };
}

/** mulberry32: small, fast, good enough for synthetic data; same seed -> same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function dayOfYear(year: number, index: number): string {
  const d = new Date(Date.UTC(year, 0, 1 + index));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

const NURSE_MIX: readonly [string, number, number, number][] = [
  // code, share of nurse charges, honorar, tariff egenandel (demo)
  ['S1a', 0.27, 69, 50],
  ['S1b', 0.14, 95, 0],
  ['S2a', 0.4, 152, 100],
  ['S2b', 0.1, 70, 0],
  ['S3', 0.03, 152, 100],
  ['S6', 0.05, 152, 0],
  ['S5', 0.01, 152, 0],
];

const ICPC = 'http://hl7.org/fhir/sid/icpc-2';
const ATC = ['A10BA02', 'C09AA05', 'C10AA01', 'B01AC06', 'N02BE01', 'R03AK06', 'C07AB02'];

export function generateManagerYear(opts: ManagerBenchOptions = {}): ManagerInputs {
  const patients = opts.patients ?? 100_000;
  const year = opts.year ?? 2025;
  const rnd = prng(opts.seed ?? 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const gps = Math.max(1, Math.round(patients / 1100));
  const nurses = Math.max(1, Math.round(gps / 3));
  const staff: StaffMember[] = [
    ...Array.from({ length: gps }, (_, i): StaffMember => ({ id: `gp-${i}`, name: `Lege ${i}`, role: 'gp', positionPercent: rnd() < 0.2 ? 80 : 100, specialised: rnd() < 0.6 })),
    ...Array.from({ length: nurses }, (_, i): StaffMember => ({ id: `nurse-${i}`, name: `Sykepleier ${i}`, role: 'nurse', positionPercent: rnd() < 0.3 ? 60 : 100, specialised: rnd() < 0.3 })),
  ];
  const charges: ChargeRecord[] = [];
  let n = 0;
  // Nurse charges: about Table 1's frequencies (~3,600 a nurse-year), on 230 working days.
  for (let nurse = 0; nurse < nurses; nurse++) {
    for (let k = 0; k < 3600; k++) {
      let r = rnd();
      const [code, , honorar, egenandel] = NURSE_MIX.find(([, share]) => (r -= share) < 0) ?? NURSE_MIX[0]!;
      const exempt = rnd() < 0.15;
      charges.push({
        id: `c${n++}`, code, at: `${dayOfYear(year, Math.floor(rnd() * 365))}T${pad(8 + Math.floor(rnd() * 8))}:${pad(Math.floor(rnd() * 60))}:00+01:00`,
        patientId: `p${Math.floor(rnd() * patients)}`, performerId: `nurse-${nurse}`, performerRole: 'nurse', quantity: 1, honorar,
        egenandelCharged: exempt ? 0 : egenandel, refusjon: exempt ? honorar : honorar - egenandel, ...(exempt && egenandel > 0 ? { waiverReason: pick(['B', 'F', 'SAME_DAY']) } : {}),
        cancelled: rnd() < 0.01, ...(rnd() < 0.9 ? { claimedAt: `${year}-12-31T12:00:00Z` } : {}), ...(rnd() < 0.995 ? { contactId: `e${n}` } : {}),
      });
    }
  }
  // GP consultations: about 3 a listed patient a year.
  for (let k = 0; k < patients * 3; k++) {
    charges.push({
      id: `c${n++}`, code: '2ad', at: `${dayOfYear(year, Math.floor(rnd() * 365))}T${pad(8 + Math.floor(rnd() * 8))}:00:00+01:00`, patientId: `p${Math.floor(rnd() * patients)}`,
      performerId: `gp-${Math.floor(rnd() * gps)}`, performerRole: 'gp', quantity: 1, honorar: 250, egenandelCharged: 160, refusjon: 90, cancelled: false, contactId: `e${n}`,
    });
  }
  // Discharge follow-ups: about 6 % of the list a year; 80 % met, 10 % late, 10 % missed.
  const tasks: FollowUpTask[] = [];
  for (let k = 0; k < Math.round(patients * 0.06); k++) {
    const day = Math.floor(rnd() * 360);
    const deadline = dayOfYear(year, day + 4);
    const r = rnd();
    const contactDay = r < 0.8 ? dayOfYear(year, day + 2) : r < 0.9 ? dayOfYear(year, day + 7) : undefined;
    tasks.push({
      id: `t${k}`, patientId: `p${Math.floor(rnd() * patients)}`, dischargeKey: `k${k}`, deadline, status: contactDay ? 'contacted' : 'new', owner: `nurse-${Math.floor(rnd() * nurses)}`,
      attempts: contactDay ? [{ at: `${contactDay}T10:00:00`, channel: 'phone', by: 'nurse-0', successful: true }] : [], createdAt: `${dayOfYear(year, day)}T08:00:00`,
    });
  }
  // The population: ages, chronic diseases, medications, care plans, reviews.
  const population: { id: string; facts: PatientFacts }[] = [];
  for (let i = 0; i < patients; i++) {
    const diabetes = rnd() < 0.06;
    const drugs = rnd() < 0.12 ? 4 + Math.floor(rnd() * 3) : Math.floor(rnd() * 3);
    population.push({
      id: `p${i}`,
      facts: {
        birthDate: `${1930 + Math.floor(rnd() * 90)}-${pad(1 + Math.floor(rnd() * 12))}-15`,
        conditions: diabetes ? [{ codings: [{ system: ICPC, code: 'T90' }], active: true }] : [],
        medications: Array.from({ length: drugs }, (_, j) => ({ atc: ATC[j % ATC.length]!, active: true })),
        contacts: [],
        discharges: [],
        frailtyScores: [],
        carePlans: diabetes && rnd() < 0.2 ? [{ active: true, hasGoals: true }] : [],
        medicationReviews: drugs >= 4 && rnd() < 0.5 ? [dayOfYear(year, Math.floor(rnd() * 365))] : [],
        assessments: [],
      },
    });
  }
  const { norms } = tariffNorms(defaultCatalogues, `${year}-12-31`);
  return { period: { from: `${year}-01-01`, to: `${year}-12-31` }, asOf: `${year + 1}-01-15`, charges, staff, norms, tasks, population };
}

export function benchManagerFigures(opts: ManagerBenchOptions = {}): ManagerBenchResult {
  const t0 = performance.now();
  const input = generateManagerYear(opts);
  const t1 = performance.now();
  const year = computeManagerFigures(input);
  const t2 = performance.now();
  const december = { from: `${input.period.to.slice(0, 7)}-01`, to: input.period.to };
  computeManagerFigures({ ...input, period: december });
  const t3 = performance.now();
  const mem = process.memoryUsage();
  return {
    patients: input.population.length,
    staff: input.staff.length,
    charges: input.charges.length,
    tasks: input.tasks.length,
    generateMs: Math.round(t1 - t0),
    yearFiguresMs: Math.round(t2 - t1),
    monthFiguresMs: Math.round(t3 - t2),
    // resourceUsage().maxRSS is the process's peak resident set, in kilobytes.
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    heapUsedMb: Math.round(mem.heapUsed / 1024 / 1024),
    check: {
      anomalies: year.anomalies.length,
      unclaimed: year.claims.totals.count,
      complianceShare: year.compliance.total.share,
      carePlanShare: year.indicators.find((i) => i.id === 'care-plan')?.share,
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const patients = Number(process.argv[2] ?? 100_000);
  console.log(JSON.stringify(benchManagerFigures({ patients }), null, 2));
}

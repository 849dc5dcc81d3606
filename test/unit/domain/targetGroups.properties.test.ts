// Property tests of the target-group classifier (SPEC §3) with fast-check; seeded, so a failure reproduces.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { classifyPatient, TARGET_GROUPS, type PatientFacts, type TargetGroup } from '../../../src/domain/targetGroups';
import { addDays, fromDayNumber, toDayNumber } from '../../../src/domain/targetGroups/isoDate';

const ASOF = '2026-11-23';
const SEED = 20261123;
const SYSTEMS = [
  'http://hl7.org/fhir/sid/icpc-2',
  'urn:oid:2.16.578.1.12.4.1.1.7170',
  'urn:oid:2.16.578.1.12.4.1.1.7110',
  'http://hl7.org/fhir/sid/icd-10',
  'http://snomed.info/sct',
];
const CODES = ['T90', 'R95', 'K77', 'K86', 'R96', 'P70', 'P72', 'P76', 'P85', 'A28', 'E11.9', 'J44', 'I50', 'I10', 'F20', 'F17', 'F32', 'F70', 'G30', 'F03.9', 'Q90'];
const ATCS = ['C09AA05', 'C10AA05', 'A10BA02', 'B01AC06', 'N02BE01', 'C07AB02'];

// Dates from about 2 years before asOf to asOf (a few invalid strings too).
const pastDate = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: toDayNumber(ASOF) - 800, max: toDayNumber(ASOF) }).map(fromDayNumber) },
  { weight: 1, arbitrary: fc.constantFrom('2026-02-30', '', 'i går') },
);
const futureDate = fc.integer({ min: toDayNumber(ASOF) + 1, max: toDayNumber(ASOF) + 800 }).map(fromDayNumber);
const group = fc.constantFrom<TargetGroup>(...TARGET_GROUPS);
const codings = fc.array(fc.record({ system: fc.constantFrom(...SYSTEMS), code: fc.constantFrom(...CODES) }), { minLength: 1, maxLength: 2 });
const assessment = (date: fc.Arbitrary<string>) =>
  fc.record({ group, include: fc.boolean(), reason: fc.constantFrom('', 'vurdert'), date, author: fc.option(fc.constant('Kari Lege'), { nil: undefined }) });
const frailty = (date: fc.Arbitrary<string>) => fc.record({ value: fc.integer({ min: 0, max: 10 }), date });

const factsArb: fc.Arbitrary<PatientFacts> = fc.record({
  birthDate: fc.option(fc.integer({ min: toDayNumber('1920-01-01'), max: toDayNumber(ASOF) }).map(fromDayNumber), { nil: undefined }),
  livesInInstitution: fc.option(fc.boolean(), { nil: undefined }),
  conditions: fc.array(fc.record({ codings, active: fc.boolean() }), { maxLength: 5 }),
  medications: fc.array(fc.record({ atc: fc.constantFrom(...ATCS), active: fc.boolean() }), { maxLength: 7 }),
  contacts: fc.array(pastDate, { maxLength: 3 }),
  discharges: fc.array(pastDate, { maxLength: 2 }),
  frailtyScores: fc.array(frailty(pastDate), { maxLength: 2 }),
  carePlans: fc.array(fc.record({ active: fc.boolean(), hasGoals: fc.boolean() }), { maxLength: 2 }),
  medicationReviews: fc.array(pastDate, { maxLength: 2 }),
  assessments: fc.array(assessment(pastDate), { maxLength: 3 }),
});

const params = { seed: SEED, numRuns: 400 };

// Inserts `item` at a position derived from `at`, so order effects are exercised too.
function insert<T>(list: T[], item: T, at: number): T[] {
  const i = list.length === 0 ? 0 : at % (list.length + 1);
  return [...list.slice(0, i), item, ...list.slice(i)];
}

describe('target-group properties', () => {
  test('adding an inactive condition never changes the result', () => {
    fc.assert(
      fc.property(factsArb, codings, fc.nat(), (f, extra, at) => {
        const more = { ...f, conditions: insert(f.conditions, { codings: extra, active: false }, at) };
        expect(classifyPatient(more, ASOF)).toEqual(classifyPatient(f, ASOF)); // oracle: metamorphic, the added fact must not matter
      }),
      params,
    );
  });

  test('facts dated after asOf never change the result', () => {
    const future = fc.record({
      contact: futureDate,
      discharge: futureDate,
      review: futureDate,
      frailty: frailty(futureDate),
      assessment: assessment(futureDate),
      at: fc.nat(),
    });
    fc.assert(
      fc.property(factsArb, future, (f, x) => {
        const more: PatientFacts = {
          ...f,
          contacts: insert(f.contacts, x.contact, x.at),
          discharges: insert(f.discharges, x.discharge, x.at),
          medicationReviews: insert(f.medicationReviews, x.review, x.at),
          frailtyScores: insert(f.frailtyScores, x.frailty, x.at),
          assessments: insert(f.assessments, x.assessment, x.at),
        };
        expect(classifyPatient(more, ASOF)).toEqual(classifyPatient(f, ASOF)); // oracle: metamorphic, the added fact must not matter
      }),
      params,
    );
  });

  test('groups are a subset of the four, in TargetGroup order; confirmed ⊆ groups; flags are consistent', () => {
    fc.assert(
      fc.property(factsArb, (f) => {
        const c = classifyPatient(f, ASOF);
        const order = (gs: TargetGroup[]) => gs.map((g) => TARGET_GROUPS.indexOf(g));
        expect(order(c.groups).every((i, k, all) => i >= 0 && (k === 0 || (all[k - 1] ?? -1) < i))).toBe(true);
        expect(c.confirmed.every((g) => c.groups.includes(g))).toBe(true);
        expect(order(c.confirmed)).toEqual([...order(c.confirmed)].sort((a, b) => a - b)); // oracle: sorted (a property)
        if (c.weakDemander) expect(c.groups.length).toBeGreaterThan(0);
        // Every group has a reason explaining it.
        for (const g of c.groups) expect(c.reasons.some((r) => r.group === g)).toBe(true);
        for (const r of c.reasons) expect(r.evidence.length).toBeGreaterThan(0);
      }),
      params,
    );
  });

  test('the order of conditions and medications does not change the decision', () => {
    fc.assert(
      fc.property(factsArb, (f) => {
        const a = classifyPatient(f, ASOF);
        const b = classifyPatient({ ...f, conditions: [...f.conditions].reverse(), medications: [...f.medications].reverse() }, ASOF);
        // oracle: metamorphic, the order of conditions and medications must not matter
        expect([b.groups, b.confirmed, b.weakDemander, b.needsMedicationReview, b.needsCarePlan]).toEqual([
          a.groups, a.confirmed, a.weakDemander, a.needsMedicationReview, a.needsCarePlan,
        ]);
      }),
      params,
    );
  });

  test('day arithmetic round-trips and agrees with Date.UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: toDayNumber('1900-01-01'), max: toDayNumber('2100-12-31') }), fc.integer({ min: -800, max: 800 }), (day, delta) => {
        const date = fromDayNumber(day);
        expect(toDayNumber(date)).toBe(day);
        expect(date).toBe(new Date(day * 86_400_000).toISOString().slice(0, 10));
        expect(addDays(date, delta)).toBe(new Date((day + delta) * 86_400_000).toISOString().slice(0, 10));
      }),
      params,
    );
  });
});

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { osloDate } from '../../../src/domain/calendar';
import { allocateCopayments, patientExemptionOn, type CopayPatient, type DayCharge } from '../../../src/domain/copay';

// Seeded, so a failing case reproduces (STYLE.md habit 5).
const params = { seed: 612, numRuns: 400 }; // 612: SPEC §6, source ch. 6.1.2

// Times cluster around Oslo midnights and a DST change, written with several offsets, so days split
// where a UTC-date implementation would go wrong.
const base = Date.parse('2024-03-30T20:00:00Z');
const zones = ['Z', '+01:00', '+02:00', '-05:00', ''] as const;

function writeAt(ms: number, zone: (typeof zones)[number]): string {
  if (zone === '') return new Date(ms + 3_600_000).toISOString().slice(0, 19); // "local", an Oslo wall time give or take
  const offsetMin = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * Number(zone.slice(1, 3)) * 60;
  return `${new Date(ms + offsetMin * 60_000).toISOString().slice(0, 19)}${zone}`;
}

const atArb = fc
  .tuple(fc.integer({ min: 0, max: 72 * 60 }), fc.constantFrom(...zones))
  .map(([minutes, zone]) => writeAt(base + minutes * 60_000, zone));

const chargeFields = fc.record(
  {
    at: atArb,
    egenandel: fc.constantFrom(0, 50, 100, 160),
    cancelled: fc.boolean(),
    settled: fc.boolean(),
    exemptReason: fc.constantFrom('A', ''),
  },
  { requiredKeys: ['at', 'egenandel'] },
);

const chargesArb = fc
  .uniqueArray(fc.stringMatching(/^[a-zA-Z0-9]{1,4}$/), { maxLength: 12 })
  .chain((ids) => fc.tuple(...ids.map((id) => chargeFields.map((f): DayCharge => ({ id, ...f })))));

const patientArb: fc.Arbitrary<CopayPatient> = fc.record(
  {
    birthDate: fc.constantFrom('1950-01-01', '2008-03-31', '2008-04-01', '2010-01-01'),
    exemptions: fc.array(
      fc.record(
        { code: fc.constantFrom('F', 'G'), from: fc.constantFrom('2024-03-30', '2024-03-31', '2024-04-01'), to: fc.constantFrom('2024-03-31', '2024-04-02') },
        { requiredKeys: ['code', 'from'] },
      ),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);

describe('allocateCopayments properties', () => {
  test('per patient-day at most one charge is charged', () => {
    fc.assert(
      fc.property(chargesArb, patientArb, (charges, patient) => {
        const decisions = allocateCopayments(charges, patient);
        const days = charges.filter((_, i) => decisions[i]!.charged > 0).map((c) => osloDate(c.at));
        expect(new Set(days).size).toBe(days.length); // oracle: no charged day repeats (SPEC §4), whatever the days are
      }),
      params,
    );
  });

  test('charged + waived = egenandel for every non-cancelled charge; cancelled is 0 + 0', () => {
    fc.assert(
      fc.property(chargesArb, patientArb, (charges, patient) => {
        allocateCopayments(charges, patient).forEach((d, i) => {
          const c = charges[i]!;
          expect(d.charged + d.waived).toBe(c.cancelled ? 0 : c.egenandel);
          expect(d.charged === 0 || d.charged === c.egenandel).toBe(true);
          if (d.charged > 0) expect(d.reason).toBeUndefined();
          if (d.waived > 0) expect(d.reason).toBeDefined();
        });
      }),
      params,
    );
  });

  test('one decision per charge, in input order', () => {
    fc.assert(
      fc.property(chargesArb, patientArb, (charges, patient) => {
        expect(allocateCopayments(charges, patient).map((d) => d.id)).toEqual(charges.map((c) => c.id));
      }),
      params,
    );
  });

  test('deterministic under input permutation: the same decision per id', () => {
    const withShuffle = chargesArb.chain((charges) =>
      fc.tuple(fc.constant(charges), fc.shuffledSubarray(charges, { minLength: charges.length, maxLength: charges.length })),
    );
    fc.assert(
      fc.property(withShuffle, patientArb, ([charges, shuffled], patient) => {
        const byId = (list: DayCharge[]) => new Map(allocateCopayments(list, patient).map((d) => [d.id, d]));
        expect(byId(shuffled)).toEqual(byId(charges)); // oracle: metamorphic, the input order must not matter
      }),
      params,
    );
  });

  test('a day with an eligible charge has exactly one bearer, settled if any eligible one is settled', () => {
    fc.assert(
      fc.property(chargesArb, patientArb, (charges, patient) => {
        const decisions = allocateCopayments(charges, patient);
        const eligible = charges.filter(
          (c) => !c.cancelled && c.egenandel > 0 && !c.exemptReason && !patientExemptionOn(patient, osloDate(c.at)),
        );
        for (const day of new Set(eligible.map((c) => osloDate(c.at)))) {
          const ofDay = eligible.filter((c) => osloDate(c.at) === day);
          const bearers = ofDay.filter((c) => decisions[charges.indexOf(c)]!.charged > 0);
          expect(bearers).toHaveLength(1);
          if (ofDay.some((c) => c.settled)) expect(bearers[0]?.settled).toBe(true);
          for (const c of ofDay) {
            if (c !== bearers[0]) expect(decisions[charges.indexOf(c)]?.reason).toBe('SAME_DAY');
          }
        }
      }),
      params,
    );
  });
});

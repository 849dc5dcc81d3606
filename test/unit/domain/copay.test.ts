import { describe, expect, test } from 'vitest';
import {
  ageOn,
  allocateCopayments,
  copayReasonLabel,
  needsRefund,
  patientExemptionOn,
  refusjonAfterCopay,
  type CopayDecision,
  type CopayPatient,
  type DayCharge,
} from '../../../src/domain/copay';
import { osloInstant } from '../../../src/domain/calendar';

/** Test-data builder with overrides; fixed ids and dates. */
const charge = (id: string, at: string, over: Partial<DayCharge> = {}): DayCharge => ({ id, at, egenandel: 100, ...over });
const adult: CopayPatient = { birthDate: '1950-05-05' };

/** Decisions as compact tuples [id, charged, waived, reason]. */
function decide(charges: DayCharge[], patient: CopayPatient = adult, opts?: { exemptUnderAge?: number }): [string, number, number, string | undefined][] {
  return allocateCopayments(charges, patient, opts).map((d) => [d.id, d.charged, d.waived, d.reason]);
}

describe('one co-payment a day (SPEC §6)', () => {
  test('a single charge is charged in full', () => {
    expect(decide([charge('n1', '2024-01-15T10:00:00+01:00')])).toEqual([['n1', 100, 0, undefined]]);
  });

  test('nurse then GP the same day: the earliest is charged, the other waived SAME_DAY', () => {
    const gp = charge('gp1', '2024-01-15T13:00:00+01:00', { egenandel: 160 });
    const nurse = charge('n1', '2024-01-15T09:00:00+01:00');
    expect(decide([gp, nurse])).toEqual([
      ['gp1', 0, 160, 'SAME_DAY'],
      ['n1', 100, 0, undefined],
    ]);
  });

  test('a settled charge stays the bearer even when it is later', () => {
    const early = charge('n1', '2024-01-15T09:00:00+01:00');
    const paid = charge('gp1', '2024-01-15T13:00:00+01:00', { egenandel: 160, settled: true });
    expect(decide([early, paid])).toEqual([
      ['n1', 0, 100, 'SAME_DAY'],
      ['gp1', 160, 0, undefined],
    ]);
  });

  test('two settled charges (a race): the first settled one by time is the bearer', () => {
    const a = charge('a', '2024-01-15T12:00:00+01:00', { settled: true });
    const b = charge('b', '2024-01-15T11:00:00+01:00', { settled: true });
    const c = charge('c', '2024-01-15T08:00:00+01:00');
    expect(decide([a, b, c])).toEqual([
      ['a', 0, 100, 'SAME_DAY'],
      ['b', 100, 0, undefined],
      ['c', 0, 100, 'SAME_DAY'],
    ]);
  });

  test('an unsettled bearer that is cancelled: the next in line becomes the bearer', () => {
    const first = charge('n1', '2024-01-15T09:00:00+01:00', { cancelled: true });
    const second = charge('gp1', '2024-01-15T10:00:00+01:00', { egenandel: 160 });
    const third = charge('n2', '2024-01-15T11:00:00+01:00');
    expect(decide([first, second, third])).toEqual([
      ['n1', 0, 0, 'CANCELLED'],
      ['gp1', 160, 0, undefined],
      ['n2', 0, 100, 'SAME_DAY'],
    ]);
  });

  test('cancelled wins over every other reason, even settled and exempt', () => {
    const c = charge('x', '2024-01-15T09:00:00+01:00', { cancelled: true, settled: true, exemptReason: 'A' });
    expect(decide([c], { birthDate: '2020-01-01' })).toEqual([['x', 0, 0, 'CANCELLED']]);
  });

  test('a charge without egenandel is not a bearer and gets no reason', () => {
    const s1b = charge('s1b', '2024-01-15T08:00:00+01:00', { egenandel: 0 });
    const s2a = charge('s2a', '2024-01-15T09:00:00+01:00');
    expect(decide([s1b, s2a])).toEqual([
      ['s1b', 0, 0, undefined],
      ['s2a', 100, 0, undefined],
    ]);
    expect(allocateCopayments([s1b], adult)[0]).not.toHaveProperty('reason');
  });

  test('a charge exempt on its own keeps its reason and does not take the bearer role', () => {
    const infection = charge('gp1', '2024-01-15T08:00:00+01:00', { egenandel: 160, exemptReason: 'A' });
    const nurse = charge('n1', '2024-01-15T09:00:00+01:00');
    expect(decide([infection, nurse])).toEqual([
      ['gp1', 0, 160, 'A'],
      ['n1', 100, 0, undefined],
    ]);
  });

  test('own exemption beats the patient exemption of the day', () => {
    const c = charge('n1', '2024-01-15T09:00:00+01:00', { exemptReason: 'A' });
    expect(decide([c], { birthDate: '2015-01-01', exemptions: [{ code: 'F', from: '2024-01-01' }] })).toEqual([['n1', 0, 100, 'A']]);
  });
});

describe('patient exemptions by day', () => {
  const frikort: CopayPatient = { birthDate: '1950-05-05', exemptions: [{ code: 'F', from: '2024-03-10', to: '2024-12-31' }] };

  test.each([
    ['day before from', '2024-03-09T12:00:00+01:00', 100, 0, undefined],
    ['from (inclusive)', '2024-03-10T12:00:00+01:00', 0, 100, 'F'],
    ['to (inclusive)', '2024-12-31T23:59:00+01:00', 0, 100, 'F'],
    ['day after to', '2025-01-01T00:00:00+01:00', 100, 0, undefined],
    ['to, by Oslo date of a UTC time (23:30Z = 00:30 next day)', '2024-12-31T23:30:00Z', 100, 0, undefined],
  ])('frikort: %s', (_name, at, charged, waived, reason) => {
    expect(decide([charge('c', at)], frikort)).toEqual([['c', charged, waived, reason]]);
  });

  test('every charge of an exempt day is waived with the code', () => {
    const day = [charge('a', '2024-05-02T09:00:00+02:00'), charge('b', '2024-05-02T10:00:00+02:00', { settled: true })];
    expect(decide(day, frikort)).toEqual([
      ['a', 0, 100, 'F'],
      ['b', 0, 100, 'F'],
    ]);
  });

  test('an open-ended exemption; the first covering one wins', () => {
    const p: CopayPatient = {
      exemptions: [
        { code: 'X', from: '2023-01-01', to: '2023-12-31' },
        { code: 'G', from: '2024-01-01' },
        { code: 'F', from: '2024-01-01' },
      ],
    };
    expect(patientExemptionOn(p, '2030-06-01')).toBe('G');
    expect(patientExemptionOn(p, '2023-06-01')).toBe('X');
    expect(patientExemptionOn(p, '2022-06-01')).toBeUndefined();
  });

  describe('the age limit (Volven 7461 B)', () => {
    const teen: CopayPatient = { birthDate: '2008-03-10', exemptions: [{ code: 'F', from: '2024-01-01' }] };
    test.each([
      ['the day before the 16th birthday', '2024-03-09T23:59:00+01:00', 'B'],
      ['the 16th birthday itself: not exempt (frikort applies)', '2024-03-10T00:01:00+01:00', 'F'],
      ['Oslo date, not UTC date: 22:59Z on the 9th is still the 9th', '2024-03-09T22:59:00Z', 'B'],
      ['Oslo date, not UTC date: 23:30Z on the 9th is the birthday', '2024-03-09T23:30:00Z', 'F'],
    ])('%s', (_name, at, reason) => {
      expect(decide([charge('c', at)], teen)[0]?.[3]).toBe(reason);
    });

    test('on the 16th birthday an adult without exemptions is charged', () => {
      expect(decide([charge('c', '2024-03-10T10:00:00+01:00')], { birthDate: '2008-03-10' })).toEqual([['c', 100, 0, undefined]]);
    });

    test('the age limit is a parameter (versioned data)', () => {
      const p: CopayPatient = { birthDate: '2007-06-01' };
      expect(decide([charge('c', '2024-06-01T10:00:00+02:00')], p, { exemptUnderAge: 18 })[0]?.[3]).toBe('B');
      expect(decide([charge('c', '2025-06-01T10:00:00+02:00')], p, { exemptUnderAge: 18 })[0]?.[3]).toBeUndefined();
    });

    test('a missing birth date gives no age exemption', () => {
      expect(decide([charge('c', '2024-06-01T10:00:00+02:00')], {})).toEqual([['c', 100, 0, undefined]]);
    });

    test.each([
      ['2008-03-10', '2024-03-09', 15],
      ['2008-03-10', '2024-03-10', 16],
      ['2008-02-29', '2024-02-28', 15],
      ['2008-02-29', '2024-02-29', 16],
      ['2008-02-29', '2023-02-28', 14],
      ['2008-02-29', '2023-03-01', 15],
      ['2008', '2023-12-31', 15], // partial: read as 2008-01-01, so only certainly-under counts
      ['2008', '2024-01-01', 16],
      ['2008-07', '2024-06-30', 15],
    ])('ageOn(%s, %s) = %i', (birth, day, age) => {
      expect(ageOn(birth, day)).toBe(age);
    });
  });
});

describe('service time: instants, offsets, ties and Oslo midnight', () => {
  test('times compare as instants across offsets', () => {
    const local = charge('local', '2024-01-15T10:15'); // Oslo local: 09:15Z
    const plusOne = charge('plus', '2024-01-15T10:00:00+01:00'); // 09:00Z
    const utc = charge('utc', '2024-01-15T09:30:00Z'); // 10:30 Oslo
    const newYork = charge('ny', '2024-01-15T03:00:00-05:00'); // 08:00Z, the earliest
    expect(decide([local, plusOne, utc, newYork]).map(([id, charged]) => [id, charged])).toEqual([
      ['local', 0],
      ['plus', 0],
      ['utc', 0],
      ['ny', 100],
    ]);
  });

  test('a string comparison would be wrong: 09:30Z is later than 10:00+01:00', () => {
    const a = charge('a', '2024-01-15T09:30:00Z');
    const b = charge('b', '2024-01-15T10:00:00+01:00');
    expect(decide([a, b])).toEqual([
      ['a', 0, 100, 'SAME_DAY'],
      ['b', 100, 0, undefined],
    ]);
  });

  test('ties in time are broken by id as a plain string (not locale, not numeric)', () => {
    const at = '2024-01-15T10:00:00+01:00';
    const same = (id: string): DayCharge => charge(id, at);
    expect(decide([same('B9'), same('B10')]).find(([, c]) => c > 0)?.[0]).toBe('B10');
    expect(decide([same('a'), same('Z')]).find(([, c]) => c > 0)?.[0]).toBe('Z');
    // The same instant written two ways is a tie too.
    expect(decide([charge('y', '2024-01-15T09:00:00Z'), charge('x', '2024-01-15T10:00:00+01:00')]).find(([, c]) => c > 0)?.[0]).toBe('x');
  });

  test('winter: 22:59Z is the same Oslo day, 23:00Z is the next', () => {
    const day1 = charge('d1', '2024-01-15T08:00:00+01:00');
    const late = charge('late', '2024-01-15T22:59:00Z');
    const next = charge('next', '2024-01-15T23:00:00Z');
    expect(decide([day1, late, next])).toEqual([
      ['d1', 100, 0, undefined],
      ['late', 0, 100, 'SAME_DAY'],
      ['next', 100, 0, undefined],
    ]);
  });

  test('summer: 22:30Z is already the next Oslo day (00:30 CEST)', () => {
    const evening = charge('eve', '2024-06-15T21:30:00Z'); // 23:30 on the 15th
    const night = charge('night', '2024-06-15T22:30:00Z'); // 00:30 on the 16th
    const morning = charge('morn', '2024-06-16T08:00:00+02:00');
    expect(decide([evening, night, morning])).toEqual([
      ['eve', 100, 0, undefined],
      ['night', 100, 0, undefined],
      ['morn', 0, 100, 'SAME_DAY'],
    ]);
  });

  test('several days at once, interleaved, decisions in input order', () => {
    const charges = [
      charge('d2-late', '2024-02-02T15:00:00+01:00'),
      charge('d1-late', '2024-02-01T15:00:00+01:00'),
      charge('d3', '2024-02-03T10:00:00+01:00', { egenandel: 160 }),
      charge('d1-early', '2024-02-01T08:00:00+01:00'),
      charge('d2-early', '2024-02-02T08:00:00+01:00', { cancelled: true }),
    ];
    expect(decide(charges)).toEqual([
      ['d2-late', 100, 0, undefined],
      ['d1-late', 0, 100, 'SAME_DAY'],
      ['d3', 160, 0, undefined],
      ['d1-early', 100, 0, undefined],
      ['d2-early', 0, 0, 'CANCELLED'],
    ]);
  });

  test('an empty list gives no decisions', () => {
    expect(allocateCopayments([], adult)).toEqual([]);
  });

  test('bad input is refused', () => {
    expect(() => allocateCopayments([charge('c', '15.01.2024 10:00')], adult)).toThrow(RangeError);
    expect(() => allocateCopayments([charge('c', '2024-02-30T10:00')], adult)).toThrow(RangeError);
    expect(() => allocateCopayments([charge('c', '2024-01-15T10:00', { egenandel: -1 })], adult)).toThrow(RangeError);
    expect(() => allocateCopayments([charge('c', '2024-01-15T10:00', { egenandel: Number.NaN })], adult)).toThrow(RangeError);
  });

  test.each([
    ['winter local', '2024-01-15T10:00', '2024-01-15T09:00:00Z'],
    ['summer local', '2024-06-15T10:00:00', '2024-06-15T08:00:00Z'],
    ['a date is its Oslo midnight', '2024-06-15', '2024-06-14T22:00:00Z'],
    ['spring gap 02:30 lands an hour later', '2024-03-31T02:30', '2024-03-31T01:30:00Z'],
    ['autumn overlap 02:30 is the winter-time one', '2024-10-27T02:30', '2024-10-27T01:30:00Z'],
    ['fractions', '2024-01-15T10:00:00.250+01:00', '2024-01-15T09:00:00.250Z'],
  ])('osloInstant: %s', (_name, at, utc) => {
    expect(osloInstant(at)).toBe(Date.parse(utc));
  });
});

describe('refunds (SPEC §6: a settled bearer that is cancelled needs a refund)', () => {
  test('the settled bearer is cancelled: refund it, the next becomes the bearer', () => {
    const before = [charge('n1', '2024-01-15T09:00:00+01:00', { settled: true }), charge('gp1', '2024-01-15T10:00:00+01:00', { egenandel: 160 })];
    const after = [{ ...before[0]!, cancelled: true }, before[1]!];
    const decisionsBefore = allocateCopayments(before, adult);
    const decisionsAfter = allocateCopayments(after, adult);
    expect(decisionsAfter.map((d) => d.charged)).toEqual([0, 160]);
    expect(needsRefund(decisionsBefore, decisionsAfter, after)).toEqual([{ id: 'n1', amount: 100, reason: 'CANCELLED' }]);
  });

  test('an unsettled bearer that is cancelled needs no refund', () => {
    const before = [charge('n1', '2024-01-15T09:00:00+01:00'), charge('n2', '2024-01-15T10:00:00+01:00')];
    const after = [{ ...before[0]!, cancelled: true }, before[1]!];
    expect(needsRefund(allocateCopayments(before, adult), allocateCopayments(after, adult), after)).toEqual([]);
  });

  test('two machines both took payment: the one no longer bearing is refunded', () => {
    const a = charge('a', '2024-01-15T09:00:00+01:00');
    const b = charge('b', '2024-01-15T09:00:01+01:00');
    // Each machine saw only its own charge and charged it.
    const before: CopayDecision[] = [...allocateCopayments([a], adult), ...allocateCopayments([b], adult)];
    const now = [{ ...a, settled: true }, { ...b, settled: true }];
    expect(needsRefund(before, allocateCopayments(now, adult), now)).toEqual([{ id: 'b', amount: 100, reason: 'SAME_DAY' }]);
  });

  test('a frikort registered after payment makes the paid charge refundable with F', () => {
    const c = charge('c', '2024-01-15T09:00:00+01:00', { settled: true });
    const before = allocateCopayments([c], adult);
    const after = allocateCopayments([c], { ...adult, exemptions: [{ code: 'F', from: '2024-01-01' }] });
    expect(needsRefund(before, after, [c])).toEqual([{ id: 'c', amount: 100, reason: 'F' }]);
  });
});

describe('refusjon after the decision (SPEC §6)', () => {
  const s2a = { honorar: 152, egenandel: 100 };
  test.each([
    ['charged', { id: 'x', charged: 100, waived: 0 }, 52],
    ['exempt (F)', { id: 'x', charged: 0, waived: 100, reason: 'F' }, 152],
    ['exempt on its own (A)', { id: 'x', charged: 0, waived: 100, reason: 'A' }, 152],
    ['under 16 (B)', { id: 'x', charged: 0, waived: 100, reason: 'B' }, 152],
    ['SAME_DAY: the practice absorbs it', { id: 'x', charged: 0, waived: 100, reason: 'SAME_DAY' }, 52],
    ['cancelled', { id: 'x', charged: 0, waived: 0, reason: 'CANCELLED' }, 0],
  ] as [string, CopayDecision, number][])('%s', (_name, decision, refusjon) => {
    expect(refusjonAfterCopay(s2a, decision)).toBe(refusjon);
  });

  test('no egenandel: refusjon is the honorar', () => {
    expect(refusjonAfterCopay({ honorar: 95, egenandel: 0 }, { id: 'x', charged: 0, waived: 0 })).toBe(95);
  });
});

describe('reason labels (bokmål)', () => {
  test('B follows the age limit; unknown codes are named', () => {
    expect(copayReasonLabel('B')).toBe('Under 16 år');
    expect(copayReasonLabel('B', { exemptUnderAge: 18 })).toBe('Under 18 år');
    expect(copayReasonLabel('SAME_DAY')).toBe('Egenandel allerede belastet i dag (teamet)');
    expect(copayReasonLabel('Q')).toBe('Fritak for egenandel (kode Q)');
  });
});

import { describe, expect, it } from 'vitest';
import {
  chargesToMarkClaimed,
  claimsExportRows,
  CLAIMS_EXPORT_HEADER,
  claimsOverview,
  codeUsage,
  expectedCount,
  findAnomalies,
  monthsOf,
  qualityIndicators,
  workingDaysInPeriod,
  type ChargeRecord,
  type StaffMember,
  type TariffNorm,
} from '../../../src/domain/manager';
import { toCsv } from '../../../src/platform/csv';

const NORMS: TariffNorm[] = [
  { code: 'S1a', text: 'Enkel pasientkontakt', profession: 'nurse', expectedPerYear: 920 },
  { code: 'S2a', text: 'Oppfølging hos sykepleier', profession: 'nurse', expectedPerYear: 1380 },
  { code: 'S2b', text: 'Tidstakst', profession: 'nurse', expectedPerYear: 460 },
  { code: 'S3', text: 'Hjemmebesøk', profession: 'nurse', expectedPerYear: 92, maxPerYear: 2 },
  { code: 'S6', text: 'Reisetid', profession: 'nurse', expectedPerYear: 184 },
  { code: '2ad', text: 'Konsultasjon', profession: 'gp' },
];
const STAFF: StaffMember[] = [
  { id: 'nurse-1', name: 'Sykepleier En', role: 'nurse', positionPercent: 100, specialised: true },
  { id: 'nurse-2', name: 'Sykepleier To', role: 'nurse', positionPercent: 50 },
  { id: 'gp-1', name: 'Lege En', role: 'gp', positionPercent: 100, specialised: true },
  { id: 'gp-2', name: 'Lege To', role: 'gp', positionPercent: 80 },
];

let seq = 0;
function charge(over: Partial<ChargeRecord>): ChargeRecord {
  seq += 1;
  return {
    id: `c${String(seq).padStart(3, '0')}`,
    code: 'S2a',
    at: '2026-04-01T09:00:00+02:00',
    patientId: 'p1',
    performerId: 'nurse-1',
    performerRole: 'nurse',
    quantity: 1,
    honorar: 152,
    egenandelCharged: 0,
    refusjon: 152,
    cancelled: false,
    contactId: 'enc-1',
    ...over,
  };
}

// Easter 2026: Maundy Thursday 2 Apr, Good Friday 3 Apr, Easter Monday 6 Apr.
const EASTER_PERIOD = { from: '2026-03-30', to: '2026-04-10' };

describe('working days in a period', () => {
  it.each([
    [EASTER_PERIOD, 7], // 10 weekdays minus 2, 3 and 6 April
    [{ from: '2026-11-23', to: '2026-11-29' }, 5],
    // 24 Dec Thu is a working day by default, 25 Fri holiday, 26-27 weekend, 28-31 Mon-Thu.
    [{ from: '2026-12-24', to: '2026-12-31' }, 5],
  ])('%o has %i working days', (period, expected) => {
    expect(workingDaysInPeriod(period)).toBe(expected);
  });
  it('refuses a reversed period', () => {
    expect(() => workingDaysInPeriod({ from: '2026-02-02', to: '2026-02-01' })).toThrow(RangeError);
  });
  it('splits a period into months', () => {
    expect(monthsOf({ from: '2026-01-15', to: '2026-03-10' })).toEqual([
      { from: '2026-01-15', to: '2026-01-31' },
      { from: '2026-02-01', to: '2026-02-28' },
      { from: '2026-03-01', to: '2026-03-10' },
    ]);
  });
});

describe('code usage', () => {
  it('pro-rates the expected count by position and working days (period spanning Easter, nurse at 50 %)', () => {
    expect(expectedCount(1380, 50, 7)).toBeCloseTo(21, 10); // 1380 x 0.5 x 7 / 230
    const usage = codeUsage(
      [
        charge({ performerId: 'nurse-2', at: '2026-04-01T09:00:00+02:00' }),
        charge({ performerId: 'nurse-2', at: '2026-04-07T09:00:00+02:00', egenandelCharged: 100, refusjon: 52 }),
        charge({ performerId: 'nurse-2', at: '2026-04-11T09:00:00+02:00' }), // after the period
        charge({ performerId: 'nurse-2', cancelled: true }),
      ],
      STAFF,
      NORMS,
      EASTER_PERIOD,
    );
    expect(usage.workingDays).toBe(7);
    const row = usage.rows.find((r) => r.code === 'S2a' && r.performerId === 'nurse-2');
    expect(row).toMatchObject({ count: 2, honorar: 304, egenandel: 100, refusjon: 204 });
    expect(row?.expected).toBeCloseTo(21, 10);
    const full = usage.rows.find((r) => r.code === 'S2a' && r.performerId === 'nurse-1');
    expect(full?.count).toBe(0);
    expect(full?.expected).toBeCloseTo(42, 10);
    expect(usage.totals.find((t) => t.code === 'S2a')?.expected).toBeCloseTo(63, 10);
  });
});

describe('anomalies', () => {
  it('finds each kind with the charges behind it', () => {
    const s6 = charge({ code: 'S6', at: '2026-04-08T10:00:00+02:00', patientId: 'p2' });
    const s2b = charge({ code: 'S2b', at: '2026-04-08T10:00:00+02:00', patientId: 'p3' });
    const byGp = charge({ code: 'S1a', performerId: 'gp-1', performerRole: 'gp', patientId: 'p4', at: '2026-04-09T10:00:00+02:00' });
    const e1 = charge({ code: 'S2a', patientId: 'p5', egenandelCharged: 100, at: '2026-04-09T09:00:00+02:00' });
    const e2 = charge({ code: '2ad', performerId: 'gp-1', performerRole: 'gp', patientId: 'p5', egenandelCharged: 175, at: '2026-04-09T13:00:00+02:00' });
    const noContact = charge({ code: 'S1a', patientId: 'p6', contactId: undefined, at: '2026-04-09T10:00:00+02:00' });
    const visits = [1, 2, 3].map((d) => charge({ code: 'S3', patientId: 'p7', at: `2026-04-0${d}T10:00:00+02:00` }));
    const okS6 = charge({ code: 'S6', patientId: 'p7', at: '2026-04-01T10:00:00+02:00' });
    const found = findAnomalies([s6, s2b, byGp, e1, e2, noContact, ...visits, okS6], NORMS, EASTER_PERIOD);
    const kinds = (k: string) => found.filter((a) => a.kind === k);
    expect(kinds('S6_WITHOUT_S3').map((a) => a.chargeIds)).toEqual([[s6.id]]);
    expect(kinds('S2B_WITHOUT_BASE').map((a) => a.chargeIds)).toEqual([[s2b.id]]);
    expect(kinds('NURSE_CODE_BY_NON_NURSE').map((a) => a.chargeIds)).toEqual([[byGp.id]]);
    expect(kinds('DOUBLE_EGENANDEL').map((a) => a.chargeIds)).toEqual([[e1.id, e2.id]]);
    expect(kinds('NO_CONTACT').map((a) => a.chargeIds)).toEqual([[noContact.id]]);
    expect(kinds('OVER_YEARLY_MAX').map((a) => a.chargeIds)).toEqual([[visits[2]!.id]]);
  });
  it('ignores cancelled charges', () => {
    expect(findAnomalies([charge({ code: 'S6', cancelled: true })], NORMS, EASTER_PERIOD)).toEqual([]);
  });
});

describe('claims control', () => {
  const today = '2026-04-24';
  const exempt = charge({ at: '2026-04-01T09:00:00+02:00', waiverReason: 'F', egenandelCharged: 0, refusjon: 152 }); // frikort: refusjon = honorar
  const paid = charge({ at: '2026-04-01T11:00:00+02:00', patientId: 'p2', egenandelCharged: 100, refusjon: 52 });
  const recent = charge({ at: '2026-04-20T11:00:00+02:00', patientId: 'p3', egenandelCharged: 100, refusjon: 52 });
  const claimedThenCancelled = charge({ at: '2026-04-02T11:00:00+02:00', patientId: 'p4', cancelled: true, claimedAt: '2026-04-05T10:00:00+02:00' });
  const gp = charge({ code: '2ad', performerId: 'gp-1', performerRole: 'gp', egenandelCharged: 175 });
  const all = [exempt, paid, recent, claimedThenCancelled, gp];
  const april = { from: '2026-04-01', to: '2026-04-30' };

  it('totals the unclaimed nurse charges, with exemptions by reason', () => {
    const o = claimsOverview(all, april, today);
    expect(o.unclaimed.map((c) => c.id)).toEqual([exempt.id, paid.id, recent.id]);
    expect(o.totals).toEqual({ honorar: 456, egenandel: 200, refusjon: 256, count: 3 });
    expect(o.exemptionsByReason).toEqual([{ reason: 'F', count: 1, refusjon: 152 }]);
  });
  it('warns about an egenandel older than 14 days and unclaimed', () => {
    expect(claimsOverview(all, april, today).overdueEgenandel.map((c) => c.id)).toEqual([paid.id]);
    expect(claimsOverview(all, april, '2026-04-15').overdueEgenandel).toEqual([]); // exactly 14 days: not yet
  });
  it('flags a charge cancelled after it was claimed', () => {
    expect(claimsOverview(all, april, today).cancelledAfterClaim.map((c) => c.id)).toEqual([claimedThenCancelled.id]);
  });
  it('never marks the same charge twice', () => {
    const first = chargesToMarkClaimed(all, april);
    expect(first).toEqual([exempt.id, paid.id, recent.id]);
    const after = all.map((c) => (first.includes(c.id) ? { ...c, claimedAt: '2026-04-24T12:00:00+02:00' } : c));
    expect(chargesToMarkClaimed(after, april)).toEqual([]);
  });
  it('exports a reconciliation CSV that neutralises formulas', () => {
    const csv = toCsv(CLAIMS_EXPORT_HEADER, claimsExportRows([{ ...paid, code: '=HYPERLINK("x")' }]));
    expect(csv.split('\r\n')[0]).toBe('\uFEFFid;dato;takst;antall;honorar;egenandel;refusjon;fritak;utfort_av;kravmarkert');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).toContain(';2026-04-01;');
  });
});

describe('quality indicators', () => {
  const patients = [
    { id: 'a', diabetesOrKols: true, carePlanWithGoals: true, polypharmacy: true, medicationReviewWithin12m: false },
    { id: 'b', diabetesOrKols: true, carePlanWithGoals: false, polypharmacy: true, medicationReviewWithin12m: true },
    { id: 'c', diabetesOrKols: false, carePlanWithGoals: true, polypharmacy: false, medicationReviewWithin12m: true },
    { id: 'd', diabetesOrKols: true, carePlanWithGoals: false, polypharmacy: false, medicationReviewWithin12m: false, ownContacts: 3, allGpContacts: 4 },
  ];
  const byId = (id: string) => qualityIndicators(patients, STAFF, { digitalBookingShare: 0.5 }).find((i) => i.id === id)!;
  it('care plan with goals among diabetes/KOLS', () => {
    expect(byId('care-plan')).toMatchObject({ numerator: 1, denominator: 3, numeratorIds: ['a'], denominatorIds: ['a', 'b', 'd'], baseline: 0.15 });
  });
  it('medication review among polypharmacy', () => {
    expect(byId('medication-review')).toMatchObject({ numerator: 1, denominator: 2, numeratorIds: ['b'], baseline: 0.6 });
  });
  it('specialisation is position-weighted, doctors and nurses apart', () => {
    expect(byId('specialisation-gp').share).toBeCloseTo(1 / 1.8, 10);
    expect(byId('specialisation-nurse').share).toBeCloseTo(1 / 1.5, 10);
  });
  it('digital booking from the practice setting, coverage where the data exists', () => {
    expect(byId('digital-booking')).toMatchObject({ numerator: 2, denominator: 4, share: 0.5 });
    expect(byId('own-list-coverage')).toMatchObject({ numerator: 3, denominator: 4, share: 0.75 });
  });
});

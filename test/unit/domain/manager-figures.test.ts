// The manager's new domain glue: Table 2 inputs read through the target-group rules, and every figure in
// one pure call (wiring only; the figures themselves are tested in manager.test.ts).
import { describe, expect, test } from 'vitest';
import { indicatorPatient, indicatorPatientsByMonth } from '../../../src/domain/manager/indicatorPatient';
import { computeManagerFigures, type ManagerInputs } from '../../../src/domain/manager/managerFigures';
import type { ChargeRecord } from '../../../src/domain/manager';
import type { PatientFacts } from '../../../src/domain/targetGroups';
import { careFactsAt, withCareFacts, type CareRecord } from '../../../src/domain/care';

const ICPC = 'http://hl7.org/fhir/sid/icpc-2';

function facts(over: Partial<PatientFacts> = {}): PatientFacts {
  return { birthDate: '1950-05-05', conditions: [], medications: [], contacts: [], discharges: [], frailtyScores: [], carePlans: [], medicationReviews: [], assessments: [], ...over };
}
const diabetes = { codings: [{ system: ICPC, code: 'T90' }], active: true };
const fourDrugs = ['A10BA02', 'C09AA05', 'C10AA01', 'B01AC06'].map((atc) => ({ atc, active: true }));

describe('indicatorPatient', () => {
  test.each([
    ['no disease, no drugs', facts(), { diabetesOrKols: false, carePlanWithGoals: false, polypharmacy: false, medicationReviewWithin12m: false }],
    ['diabetes without plan', facts({ conditions: [diabetes] }), { diabetesOrKols: true, carePlanWithGoals: false }],
    ['diabetes with active plan with goals', facts({ conditions: [diabetes], carePlans: [{ active: true, hasGoals: true }] }), { diabetesOrKols: true, carePlanWithGoals: true }],
    ['plan without goals does not count', facts({ conditions: [diabetes], carePlans: [{ active: true, hasGoals: false }] }), { diabetesOrKols: true, carePlanWithGoals: false }],
    ['polypharmacy, review 11 months ago', facts({ medications: fourDrugs, medicationReviews: ['2025-04-15'] }), { polypharmacy: true, medicationReviewWithin12m: true }],
    ['polypharmacy, review 13 months ago', facts({ medications: fourDrugs, medicationReviews: ['2025-02-01'] }), { polypharmacy: true, medicationReviewWithin12m: false }],
    ['a review without polypharmacy is not counted', facts({ medicationReviews: ['2026-01-01'] }), { polypharmacy: false, medicationReviewWithin12m: false }],
  ])('%s', (_name, f, expected) => {
    expect(indicatorPatient('p', f, '2026-03-31')).toMatchObject(expected);
  });

  test('trend: one entry per month, facts dated after a month\'s end are ignored', () => {
    const months = indicatorPatientsByMonth([{ id: 'p', facts: facts({ medications: fourDrugs, medicationReviews: ['2026-02-10'] }) }], { from: '2026-01-15', to: '2026-03-10' });
    expect(months.map((m) => [m.month.from, m.month.to, m.patients[0]?.medicationReviewWithin12m])).toEqual([
      ['2026-01-15', '2026-01-31', false],
      ['2026-02-01', '2026-02-28', true],
      ['2026-03-01', '2026-03-10', true],
    ]);
  });
});

describe('indicatorPatient with the app\'s care records (issue 17 items 16-17)', () => {
  const none: CareRecord = { plans: [], reviewsDone: [], reviewsNotNeeded: [], needsRecorded: [] };
  test.each([
    ['a plan with goals made before the date counts', facts({ conditions: [diabetes] }), { ...none, plans: [{ goals: ['HbA1c under 53'], createdOn: '2026-02-01', endedOn: null }] }, { diabetesOrKols: true, carePlanWithGoals: true }],
    ['a plan made after the date does not', facts({ conditions: [diabetes] }), { ...none, plans: [{ goals: ['HbA1c under 53'], createdOn: '2026-04-01', endedOn: null }] }, { carePlanWithGoals: false }],
    ['a plan ended on or before the date does not', facts({ conditions: [diabetes] }), { ...none, plans: [{ goals: ['HbA1c under 53'], createdOn: '2026-01-01', endedOn: '2026-03-31' }] }, { carePlanWithGoals: false }],
    ['a plan ended after the date still counts', facts({ conditions: [diabetes] }), { ...none, plans: [{ goals: ['HbA1c under 53'], createdOn: '2026-01-01', endedOn: '2026-04-02' }] }, { carePlanWithGoals: true }],
    ['a review done counts', facts({ medications: fourDrugs }), { ...none, reviewsDone: ['2026-03-10'], needsRecorded: ['2026-03-01'] }, { polypharmacy: true, medicationReviewWithin12m: true }],
    ['«ikke behov nå» counts as an assessment of the need', facts({ medications: fourDrugs }), { ...none, reviewsNotNeeded: ['2025-06-01'] }, { medicationReviewWithin12m: true }],
    ['a need recorded (still open) counts as an assessment of the need', facts({ medications: fourDrugs }), { ...none, needsRecorded: ['2026-03-20'] }, { medicationReviewWithin12m: true }],
    ['a need recorded 13 months before does not', facts({ medications: fourDrugs }), { ...none, needsRecorded: ['2025-02-20'] }, { medicationReviewWithin12m: false }],
  ])('%s', (_name, f, care, expected) => {
    expect(indicatorPatient('p', f, '2026-03-31', undefined, care)).toMatchObject(expected);
  });

  test('careFactsAt: the marker facts leave out an open need; withCareFacts keeps the EPJ\'s', () => {
    const care: CareRecord = { plans: [{ goals: [' '], createdOn: '2026-01-01', endedOn: null }], reviewsDone: [], reviewsNotNeeded: ['2026-02-01'], needsRecorded: ['2026-03-01', '2026-05-01'] };
    expect(careFactsAt(care, '2026-03-31')).toEqual({ carePlans: [{ active: true, hasGoals: false }], medicationReviews: ['2026-02-01'], medicationReviewNeeds: ['2026-03-01'] });
    const merged = withCareFacts(facts({ medicationReviews: ['2025-12-24'], carePlans: [{ active: true, hasGoals: true }] }), care, '2026-03-31');
    expect([merged.medicationReviews, merged.carePlans]).toEqual([['2025-12-24', '2026-02-01'], [{ active: true, hasGoals: true }, { active: true, hasGoals: false }]]);
  });
});

function nurseCharge(id: string, over: Partial<ChargeRecord> = {}): ChargeRecord {
  return { id, code: 'S2a', at: '2026-03-02T10:00:00+01:00', patientId: 'p1', performerId: 'n1', performerRole: 'nurse', quantity: 1, honorar: 152, egenandelCharged: 100, refusjon: 52, cancelled: false, contactId: `c-${id}`, ...over };
}

describe('computeManagerFigures', () => {
  const input: ManagerInputs = {
    period: { from: '2026-03-01', to: '2026-03-31' },
    asOf: '2026-04-20',
    charges: [nurseCharge('a'), nurseCharge('b', { code: 'S6', egenandelCharged: 0, refusjon: 152, patientId: 'p2' }), nurseCharge('c', { at: '2026-03-03T10:00:00+01:00', claimedAt: '2026-03-20T10:00:00Z' })],
    staff: [{ id: 'n1', name: 'Siri', role: 'nurse', positionPercent: 100 }],
    norms: [{ code: 'S2a', text: 'Oppfølging', profession: 'nurse', expectedPerYear: 1380 }, { code: 'S6', text: 'Reisetid', profession: 'nurse', expectedPerYear: 184 }],
    tasks: [
      { id: 't1', patientId: 'p1', dischargeKey: 'k1', deadline: '2026-03-05', status: 'contacted', owner: 'n1', attempts: [{ at: '2026-03-06T10:00:00', channel: 'phone', by: 'n1', successful: true }], createdAt: '2026-03-02T08:00:00' },
      { id: 't2', patientId: 'p2', dischargeKey: 'k2', deadline: '2026-03-09', status: 'new', owner: 'n1', attempts: [], createdAt: '2026-03-04T08:00:00' },
    ],
    population: [{ id: 'p1', facts: facts({ conditions: [diabetes] }) }],
  };
  const figures = computeManagerFigures(input);

  test('wires the pure figures together', () => {
    expect(figures.codeUsage.totals.find((t) => t.code === 'S2a')?.count).toBe(2);
    expect(figures.anomalies.map((a) => a.kind)).toEqual(['S6_WITHOUT_S3']);
    expect(figures.claims.totals.count).toBe(2);
    expect(figures.toMarkClaimed).toEqual(['a', 'b']);
    expect(figures.claims.overdueEgenandel.map((c) => c.id)).toEqual(['a']);
    expect(figures.compliance.total).toMatchObject({ met: 0, late: 1, missed: 1 });
    expect(figures.complianceCases.map((c) => [c.task.id, c.outcome])).toEqual([['t1', 'late'], ['t2', 'missed']]);
    expect(figures.indicators.find((i) => i.id === 'care-plan')).toMatchObject({ numerator: 0, denominator: 1 });
    expect(figures.indicatorTrend).toHaveLength(1);
  });
});

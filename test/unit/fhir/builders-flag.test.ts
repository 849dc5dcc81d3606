// Target-group Flag and assessment Procedure builders validate against the PHT profiles.
import { describe, expect, test } from 'vitest';
import type { Flag } from '@medplum/fhirtypes';
import {
  buildMedicationReviewNeedAssessment,
  buildOutreachAssessment,
  buildTargetGroupAssessment,
  readOutreachAssessment,
} from '../../../src/fhir/builders/assessment';
import { reference } from '../../../src/fhir/builders/common';
import { buildTargetGroupFlag, closedTargetGroupFlag, readTargetGroupFlag, updatedTargetGroupFlag } from '../../../src/fhir/builders/flag';
import { toPatientFacts } from '../../../src/fhir/mappers/patientFacts';
import { SYSTEMS } from '../../../src/fhir/systems';
import { assertValidAgainstProfiles } from '../profiles/validator';

const GP = { ...reference('Practitioner', 'gp-1'), display: 'Kari Nordmann' };
const REASONS = [{ group: 'chronic' as const, rule: 'chronic.key-disease-with-discharge' as const, evidence: ['ICPC-2 T90 (diabetes)', 'Utskrevet 2026-01-02'] }];

function stored(flag: Flag, id = 'flag-1', versionId = '1'): Flag {
  return { ...flag, id, meta: { ...flag.meta, versionId, lastUpdated: '2026-03-01T10:00:00Z' } };
}

describe('target-group flag', () => {
  const candidate = buildTargetGroupFlag({ patientId: 'pat-1', group: 'chronic', confirmed: false, reasons: REASONS, start: '2026-03-01' });

  test('candidate and confirmed flags validate against pht-target-group-flag', () => {
    assertValidAgainstProfiles({ ...candidate, subject: { reference: 'Patient/pat-1' } });
    assertValidAgainstProfiles(buildTargetGroupFlag({ patientId: 'pat-1', group: 'frail-elderly', confirmed: true, reasons: [], start: '2026-03-01' }));
    assertValidAgainstProfiles(closedTargetGroupFlag(stored(candidate), '2026-04-01'));
  });

  test('identifier is <patientId>|<group>; evidence in flag-detail with rule and facts', () => {
    expect(candidate.identifier).toEqual([{ system: SYSTEMS.flagId, value: 'pat-1|chronic' }]);
    expect(candidate.extension?.[0]?.valueReference?.display).toBe('Nøkkelsykdom og utskrevet siste år: ICPC-2 T90 (diabetes); Utskrevet 2026-01-02');
    expect(candidate.period).toEqual({ start: '2026-03-01' });
  });

  test('read back: candidate vs confirmed, active vs closed', () => {
    const read = readTargetGroupFlag(stored(candidate));
    expect(read).toMatchObject({ id: 'flag-1', versionId: '1', patientId: 'pat-1', group: 'chronic', active: true, confirmed: false });
    const confirmed = updatedTargetGroupFlag(stored(candidate), { patientId: 'pat-1', group: 'chronic', confirmed: true, reasons: REASONS, start: '2026-04-01' });
    expect(confirmed.period?.start).toBe('2026-03-01');
    expect(readTargetGroupFlag(stored(confirmed))?.confirmed).toBe(true);
    const closed = closedTargetGroupFlag(stored(candidate), '2026-04-01');
    expect(closed).toMatchObject({ status: 'inactive', period: { start: '2026-03-01', end: '2026-04-01' }, id: 'flag-1' });
    expect(readTargetGroupFlag(closed)?.active).toBe(false);
  });
});

describe('assessment procedures', () => {
  test('target-group assessment validates and is read by the facts mapper', () => {
    const p = buildTargetGroupAssessment({ patientId: 'pat-1', group: 'chronic', include: false, note: 'Følges av spesialist', recorder: GP, performed: '2026-03-02T09:00:00Z' });
    assertValidAgainstProfiles(p);
    const { facts, issues } = toPatientFacts({ resourceType: 'Patient', id: 'pat-1' }, [{ ...p, id: 'proc-1' }], { practiceOrgId: 'org', asOf: '2026-03-03' });
    expect(issues).toEqual([]);
    expect(facts.assessments).toEqual([{ group: 'chronic', include: false, reason: 'Følges av spesialist', date: '2026-03-02', author: 'Kari Nordmann' }]);
  });

  test('a target-group assessment needs a reason', () => {
    expect(() => buildTargetGroupAssessment({ patientId: 'pat-1', group: 'chronic', include: true, note: '  ', recorder: GP, performed: '2026-03-02' })).toThrow();
  });

  test('medication-review need assessment validates and counts as a review', () => {
    const p = buildMedicationReviewNeedAssessment({ patientId: 'pat-1', needed: true, recorder: GP, performed: '2026-03-02T09:00:00Z' });
    assertValidAgainstProfiles(p);
    const { facts } = toPatientFacts({ resourceType: 'Patient', id: 'pat-1' }, [{ ...p, id: 'proc-2' }], { practiceOrgId: 'org', asOf: '2026-03-03' });
    expect(facts.medicationReviews).toEqual(['2026-03-02']);
  });

  test('outreach assessment with a declined home visit validates and reads back', () => {
    const p = buildOutreachAssessment({
      patientId: 'pat-1',
      need: 'follow-up-needed',
      offer: { kind: 'home-visit', date: '2026-03-10', accepted: false },
      note: 'Bor alene',
      recorder: reference('Practitioner', 'nurse-1'),
      performed: '2026-03-02T09:00:00Z',
    });
    assertValidAgainstProfiles(p);
    expect(readOutreachAssessment({ ...p, id: 'p-3' })).toEqual({
      id: 'p-3',
      date: '2026-03-02',
      need: 'follow-up-needed',
      offer: { kind: 'home-visit', accepted: false, text: 'Hjemmebesøk 10.03.2026, takket nei' },
      note: 'Bor alene',
    });
    const noOffer = buildOutreachAssessment({ patientId: 'pat-1', need: 'not-reached', note: 'Ringt tre ganger', recorder: GP, performed: '2026-03-02' });
    assertValidAgainstProfiles(noOffer);
    expect(readOutreachAssessment(noOffer)?.offer).toBeUndefined();
  });
});

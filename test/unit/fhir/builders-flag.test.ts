// The target-group Flag (queued for the EPJ when a GP confirms a group) validates against the PHT profiles; a
// medication-review-need Procedure the EPJ already holds (written there before issue 17 moved the assessment
// to the app's database) is read as a review.
import type { Procedure } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { reference } from '../../../src/fhir/builders/common';
import { buildTargetGroupFlag } from '../../../src/fhir/builders/flag';
import { toPatientFacts } from '../../../src/fhir/mappers/patientFacts';
import { SYSTEMS } from '../../../src/fhir/systems';
import { assertValidAgainstProfiles } from '../profiles/validator';

const GP = { ...reference('Practitioner', 'gp-1'), display: 'Kari Nordmann' };
const REASONS = [{ group: 'chronic' as const, rule: 'chronic.key-disease-with-discharge' as const, evidence: ['ICPC-2 T90 (diabetes)', 'Utskrevet 2026-01-02'] }];

describe('target-group flag', () => {
  const candidate = buildTargetGroupFlag({ patientId: 'pat-1', group: 'chronic', confirmed: false, reasons: REASONS, start: '2026-03-01' });

  test('candidate and confirmed flags validate against pht-target-group-flag', () => {
    assertValidAgainstProfiles({ ...candidate, subject: { reference: 'Patient/pat-1' } });
    assertValidAgainstProfiles(buildTargetGroupFlag({ patientId: 'pat-1', group: 'frail-elderly', confirmed: true, reasons: [], start: '2026-03-01' }));
  });

  test('identifier is <patientId>|<group>; evidence in flag-detail with rule and facts', () => {
    expect(candidate.identifier).toEqual([{ system: SYSTEMS.flagId, value: 'pat-1|chronic' }]);
    expect(candidate.extension?.[0]?.valueReference?.display).toBe('Nøkkelsykdom og utskrevet siste år: ICPC-2 T90 (diabetes); Utskrevet 2026-01-02');
    expect(candidate.period).toEqual({ start: '2026-03-01' });
  });
});

describe('assessment procedures', () => {
  test('a medication-review need assessment in the EPJ validates and counts as a review', () => {
    const p: Procedure = {
      resourceType: 'Procedure',
      meta: { profile: ['https://pht.example.org/fhir/StructureDefinition/pht-medication-review-need-assessment'] },
      status: 'completed',
      code: { coding: [{ system: SYSTEMS.assessmentType, code: 'medication-review-need', display: 'Vurdering av behov for legemiddelgjennomgang' }] },
      subject: { reference: 'Patient/pat-1' },
      performedDateTime: '2026-03-02T09:00:00Z',
      recorder: GP,
      outcome: { coding: [{ system: SYSTEMS.assessmentOutcome, code: 'review-needed', display: 'Behov for legemiddelgjennomgang' }] },
    };
    assertValidAgainstProfiles(p);
    const { facts } = toPatientFacts({ resourceType: 'Patient', id: 'pat-1' }, [{ ...p, id: 'proc-2' }], { practiceOrgId: 'org', asOf: '2026-03-03' });
    expect(facts.medicationReviews).toEqual(['2026-03-02']);
  });
});

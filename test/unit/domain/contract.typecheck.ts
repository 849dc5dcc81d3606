// The domain contract the issues state, exactly: names and types exported from src/domain/index.ts.
// Checked by the type-check (`npm test` runs tsc over test/), not by Vitest: every assertion here is about
// types, which is what tsc proves (issue 13, point 5). A change of a name, a parameter or a field type fails
// the type-check.
import { describe, expectTypeOf, test } from 'vitest';
import * as domain from '../../../src/domain';
import type {
  CalendarOptions,
  Classification,
  ContactFacts,
  ContactKind,
  CopayDecision,
  CopayPatient,
  Coding,
  DayCharge,
  PatientFacts,
  TargetGroup,
  TariffLine,
} from '../../../src/domain';

describe('domain contract (src/domain/index.ts)', () => {
  test('calendar (issue "Discharge follow-up")', () => {
    expectTypeOf(domain.osloDate).toEqualTypeOf<(at: string) => string>();
    expectTypeOf(domain.isWorkingDay).toEqualTypeOf<(date: string, cal?: CalendarOptions) => boolean>();
    expectTypeOf(domain.addWorkingDays).toEqualTypeOf<(date: string, n: number, cal?: CalendarOptions) => string>();
    expectTypeOf(domain.followUpDeadline).toEqualTypeOf<(dischargedAt: string, cal?: CalendarOptions) => string>();
    expectTypeOf(domain.workingDaysUntil).toEqualTypeOf<(deadline: string, today: string, cal?: CalendarOptions) => number>();
    expectTypeOf<CalendarOptions>().toEqualTypeOf<{ saturdayIsWorkingDay?: boolean; closedDates?: string[] }>();
  });

  test('target groups (issue "Target groups")', () => {
    expectTypeOf<TargetGroup>().toEqualTypeOf<'chronic' | 'mental-substance' | 'frail-elderly' | 'disability'>();
    expectTypeOf<Coding>().toEqualTypeOf<{ system: string; code: string }>();
    expectTypeOf<PatientFacts>().toEqualTypeOf<{
      birthDate?: string;
      livesInInstitution?: boolean;
      conditions: { codings: Coding[]; active: boolean }[];
      medications: { atc: string; active: boolean }[];
      contacts: string[];
      discharges: string[];
      frailtyScores: { value: number; date: string }[];
      carePlans: { active: boolean; hasGoals: boolean }[];
      medicationReviews: string[];
      assessments: { group: TargetGroup; include: boolean; reason: string; date: string; author?: string }[];
    }>();
    expectTypeOf<Classification>().toMatchTypeOf<{
      groups: TargetGroup[];
      confirmed: TargetGroup[];
      weakDemander: boolean;
      needsMedicationReview: boolean;
      needsCarePlan: boolean;
      reasons: { group: TargetGroup; rule: string; evidence: string[] }[];
      warnings: string[];
    }>();
    expectTypeOf(domain.classifyPatient).toEqualTypeOf<(facts: PatientFacts, asOf: string) => Classification>();
  });

  test('tariffs and co-payment (issue "Nurse tariffs and one co-payment a day")', () => {
    expectTypeOf<ContactKind>().toEqualTypeOf<'simple' | 'follow-up' | 'about-patient' | 'home-visit' | 'group' | 'meeting' | 'team-consultation'>();
    expectTypeOf<ContactFacts>().toEqualTypeOf<{ kind: ContactKind; channel?: 'in-person' | 'phone' | 'video' | 'written'; minutes?: number; travelled?: boolean }>();
    expectTypeOf<TariffLine>().toEqualTypeOf<{ code: string; quantity: number }>();
    expectTypeOf(domain.suggestNurseTariffs).toEqualTypeOf<(contact: ContactFacts) => TariffLine[]>();
    expectTypeOf<DayCharge>().toEqualTypeOf<{ id: string; at: string; egenandel: number; cancelled?: boolean; settled?: boolean; exemptReason?: string }>();
    expectTypeOf<CopayPatient>().toEqualTypeOf<{ birthDate?: string; exemptions?: { code: string; from: string; to?: string }[] }>();
    expectTypeOf<CopayDecision>().toEqualTypeOf<{ id: string; charged: number; waived: number; reason?: string }>();
    expectTypeOf(domain.allocateCopayments).toEqualTypeOf<(charges: DayCharge[], patient: CopayPatient, opts?: { exemptUnderAge?: number }) => CopayDecision[]>();
  });
});

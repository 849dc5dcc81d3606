// One listed patient's Table 2 inputs (SPEC §7) read through the target-group rules (SPEC §3), so
// "diabetes/KOLS", "polypharmacy", "active care plan with goals" and "medication review (or an
// assessment of the need for one) in the last 12 months" mean exactly what they mean there (the rule
// set's lookback window, 365 days by default).
//
// The classifier exposes needsCarePlan (= diabetes/KOLS and no active plan with goals) and
// needsMedicationReview (= polypharmacy and no recent review). Classifying once more with the plans and
// reviews left out gives the disease and polypharmacy facts themselves; the difference is the numerator.
// The app's care records (src/domain/care) are added on each date asked: a plan counts while it was active
// then; a recorded need for a review leaves the marker but is an assessment of the need, so the indicator
// counts it like a review in the window.
import { careFactsAt, withCareFacts, type CareRecord } from '../care';
import { classifyPatient, type Classification, type PatientFacts } from '../targetGroups';
import type { IndicatorPatient } from './indicators';
import { monthsOf } from './period';
import type { Period } from './types';

export type Classifier = (facts: PatientFacts, asOf: string) => Classification;

export function indicatorPatient(id: string, epjFacts: PatientFacts, asOf: string, classify: Classifier = classifyPatient, care?: CareRecord): IndicatorPatient {
  const facts = withCareFacts(epjFacts, care, asOf);
  const actual = classify(facts, asOf);
  const bare = classify({ ...facts, carePlans: [], medicationReviews: [] }, asOf);
  const needs = care && actual.needsMedicationReview ? careFactsAt(care, asOf).medicationReviewNeeds : [];
  const assessed = needs.length > 0 ? classify({ ...facts, medicationReviews: [...facts.medicationReviews, ...needs] }, asOf) : actual;
  return {
    id,
    diabetesOrKols: bare.needsCarePlan,
    carePlanWithGoals: bare.needsCarePlan && !actual.needsCarePlan,
    polypharmacy: bare.needsMedicationReview,
    medicationReviewWithin12m: bare.needsMedicationReview && !assessed.needsMedicationReview,
  };
}

/** The indicator inputs at the end of each calendar month of a period (for the trend), last = period end. */
export function indicatorPatientsByMonth(
  population: readonly { id: string; facts: PatientFacts; care?: CareRecord }[],
  period: Period,
  classify: Classifier = classifyPatient,
): { month: Period; patients: IndicatorPatient[] }[] {
  return monthsOf(period).map((month) => ({ month, patients: population.map((p) => indicatorPatient(p.id, p.facts, month.to, classify, p.care)) }));
}

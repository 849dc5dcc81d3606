// Builders for the practice's own activity: contacts (Encounter), care plans with goals, medication
// reviews (Procedure), frikort (Coverage) and today's GP charges (ChargeItem) (SPEC §6, §7, §8).

import type { CarePlan, ChargeItem, Coverage, Encounter, Goal, Procedure } from '@medplum/fhirtypes';
import { EXTENSIONS, SYSTEMS } from '../../src/fhir/systems';
import { osloDateTime } from './calendar';
import { ENCOUNTER_CLASS, GP_CONSULTATION_EGENANDEL_NOK, GP_CONSULTATION_TARIFF, MEDICATION_REVIEW_CODE } from './codes';
import { HELFO_ID, PRACTICE_ID } from './organizations';
import type { PatientPlan } from './plan';
import { ref } from './references';

export interface ContactPlan {
  readonly date: string;
  readonly minutes: number;
  readonly classCode: 'AMB' | 'VR' | 'HH';
  readonly performer: string;
}

const CONTACT_TEXT = { AMB: 'Konsultasjon', VR: 'Video-/telefonkonsultasjon', HH: 'Sykebesøk' } as const;

export function buildContactEncounter(p: PatientPlan, c: ContactPlan, id: string): Encounter {
  const minutes = c.classCode === 'HH' ? 45 : 20;
  return {
    resourceType: 'Encounter',
    id,
    status: 'finished',
    class: { system: SYSTEMS.actCode, code: c.classCode, display: ENCOUNTER_CLASS[c.classCode] },
    type: [{ text: CONTACT_TEXT[c.classCode] }],
    subject: ref('Patient', p.id),
    participant: [{ individual: ref('Practitioner', c.performer) }],
    period: { start: osloDateTime(c.date, c.minutes), end: osloDateTime(c.date, c.minutes + minutes) },
    serviceProvider: ref('Organization', PRACTICE_ID),
  };
}

export type CarePlanDisease = 'diabetes' | 'kols';

const CARE_PLAN = {
  diabetes: { title: 'Behandlingsplan diabetes type 2', goal: 'HbA1c under 53 mmol/mol og blodtrykk under 140/85' },
  kols: { title: 'Behandlingsplan KOLS', goal: 'Færre forverringer; egenbehandlingsplan ved forverring gjennomgått' },
} as const;

export function buildGoal(p: PatientPlan, disease: CarePlanDisease, id: string, start: string): Goal {
  return {
    resourceType: 'Goal',
    id,
    lifecycleStatus: 'active',
    description: { text: CARE_PLAN[disease].goal },
    subject: ref('Patient', p.id),
    startDate: start,
    expressedBy: ref('Practitioner', p.gp),
  };
}

export function buildCarePlan(p: PatientPlan, disease: CarePlanDisease, id: string, start: string, conditionId: string | undefined, goalId: string | undefined): CarePlan {
  return {
    resourceType: 'CarePlan',
    id,
    status: 'active',
    intent: 'plan',
    title: CARE_PLAN[disease].title,
    category: [{ text: 'Behandlingsplan' }],
    subject: ref('Patient', p.id),
    period: { start },
    created: start,
    author: ref('Practitioner', p.gp),
    ...(conditionId ? { addresses: [ref('Condition', conditionId)] } : {}),
    ...(goalId ? { goal: [ref('Goal', goalId)] } : {}),
  };
}

export function buildMedicationReview(p: PatientPlan, id: string, date: string): Procedure {
  return {
    resourceType: 'Procedure',
    id,
    status: 'completed',
    code: { coding: [{ ...MEDICATION_REVIEW_CODE }], text: 'Legemiddelgjennomgang' },
    subject: ref('Patient', p.id),
    performedDateTime: osloDateTime(date, 11 * 60),
    performer: [{ actor: ref('Practitioner', p.gp) }],
  };
}

export function buildFrikort(p: PatientPlan, start: string): Coverage {
  return {
    resourceType: 'Coverage',
    id: `cov-frikort-${p.id.slice(4)}`,
    status: 'active',
    type: { coding: [{ system: SYSTEMS.copayExemption, code: 'F', display: 'Frikort' }], text: 'Frikort for egenandeler' },
    beneficiary: ref('Patient', p.id),
    payor: [ref('Organization', HELFO_ID, 'Helfo')],
    period: { start, end: `${start.slice(0, 4)}-12-31` },
  };
}

export type ChargeExemption = 'B' | 'F' | undefined;

/**
 * A GP consultation charged today. Exempt patients (under 16: B; frikort: F) carry egenandel 0 and the
 * waiver reason; everyone else the tariff's demo egenandel.
 */
export function buildGpCharge(p: PatientPlan, id: string, encounterId: string, at: string, exemption: ChargeExemption, settled: boolean): ChargeItem {
  return {
    resourceType: 'ChargeItem',
    id,
    extension: [
      { url: EXTENSIONS.egenandel, valueMoney: { value: exemption ? 0 : GP_CONSULTATION_EGENANDEL_NOK, currency: 'NOK' } },
      ...(exemption ? [{ url: EXTENSIONS.egenandelWaiverReason, valueCoding: { system: SYSTEMS.copayExemption, code: exemption } }] : []),
    ],
    status: settled ? 'billed' : 'billable',
    code: { coding: [{ system: SYSTEMS.tariff, code: GP_CONSULTATION_TARIFF.code, display: GP_CONSULTATION_TARIFF.display }] },
    subject: ref('Patient', p.id),
    context: ref('Encounter', encounterId),
    occurrenceDateTime: at,
    performer: [{ actor: ref('Practitioner', p.gp) }],
    performingOrganization: ref('Organization', PRACTICE_ID),
    enteredDate: at,
    quantity: { value: 1 },
  };
}

// Quality indicators of the capitation model (SPEC §7; seed ch. 6.2, Table 2). In financing model B
// they drive the quality-based part of the grant; in A they are shown for the evaluation (ch. 7).
import type { StaffMember } from './types';

export type IndicatorId = 'care-plan' | 'medication-review' | 'digital-booking' | 'specialisation-gp' | 'specialisation-nurse' | 'own-list-coverage';

/** What one listed patient contributes, as of the end of the period measured. */
export interface IndicatorPatient {
  id: string;
  /** Active diabetes or KOLS (the care-plan indicator's population). */
  diabetesOrKols: boolean;
  /** Has an active care plan with treatment goals (behandlingsplan med behandlingsmål). */
  carePlanWithGoals: boolean;
  /** 4 or more distinct active medications. */
  polypharmacy: boolean;
  /** A medication review, or an assessment of the need for one, in the last 12 months. */
  medicationReviewWithin12m: boolean;
  /** Digital booking available to this patient, where the EPJ records it. */
  digitalBooking?: boolean;
  /** Contacts with the own practice and all GP-level contacts (incl. legevakt) in the period, where known. */
  ownContacts?: number;
  allGpContacts?: number;
}

export interface IndicatorSettings {
  /** Share of the list with digital booking, when it is a practice setting rather than patient data (0-1). */
  digitalBookingShare?: number;
}

export interface Indicator {
  id: IndicatorId;
  label: string;
  numerator: number;
  denominator: number;
  /** numerator / denominator, or undefined when the denominator is 0 or the data is missing. */
  share?: number;
  /** The pilot's baseline (share), where the source gives one. */
  baseline?: number;
  /** Patients behind the figures (empty for staff-based indicators). */
  numeratorIds: string[];
  denominatorIds: string[];
  /** Why the figure is missing or partial (Norwegian). */
  note?: string;
}

function share(n: number, d: number): number | undefined {
  return d > 0 ? n / d : undefined;
}

function patientIndicator(
  id: IndicatorId,
  label: string,
  baseline: number | undefined,
  patients: readonly IndicatorPatient[],
  inDenominator: (p: IndicatorPatient) => boolean,
  inNumerator: (p: IndicatorPatient) => boolean,
): Indicator {
  const denominatorIds = patients.filter(inDenominator).map((p) => p.id);
  const numeratorIds = patients.filter((p) => inDenominator(p) && inNumerator(p)).map((p) => p.id);
  return { id, label, numerator: numeratorIds.length, denominator: denominatorIds.length, share: share(numeratorIds.length, denominatorIds.length), baseline, numeratorIds, denominatorIds };
}

function specialisation(id: IndicatorId, label: string, staff: readonly StaffMember[]): Indicator {
  // Position-weighted: a specialist at 50 % counts half (SPEC §7).
  const denominator = staff.reduce((s, m) => s + m.positionPercent / 100, 0);
  const numerator = staff.filter((m) => m.specialised).reduce((s, m) => s + m.positionPercent / 100, 0);
  return { id, label, numerator, denominator, share: share(numerator, denominator), numeratorIds: [], denominatorIds: [] };
}

export function qualityIndicators(patients: readonly IndicatorPatient[], staff: readonly StaffMember[], settings: IndicatorSettings = {}): Indicator[] {
  const carePlan = patientIndicator('care-plan', 'Diabetes/KOLS med behandlingsplan med mål', 0.15, patients, (p) => p.diabetesOrKols, (p) => p.carePlanWithGoals);
  const review = patientIndicator(
    'medication-review',
    'Legemiddelgjennomgang eller vurdert behov (polyfarmasi, 12 mnd)',
    0.6,
    patients,
    (p) => p.polypharmacy,
    (p) => p.medicationReviewWithin12m,
  );

  let booking: Indicator;
  const known = patients.filter((p) => p.digitalBooking !== undefined);
  if (known.length > 0) {
    booking = patientIndicator('digital-booking', 'Listeinnbyggere med digital timebestilling', 0.5, known, () => true, (p) => p.digitalBooking === true);
    if (known.length < patients.length) booking.note = `Data mangler for ${patients.length - known.length} pasienter`;
  } else if (settings.digitalBookingShare !== undefined) {
    const numerator = Math.round(settings.digitalBookingShare * patients.length);
    booking = { id: 'digital-booking', label: 'Listeinnbyggere med digital timebestilling', numerator, denominator: patients.length, share: share(numerator, patients.length), baseline: 0.5, numeratorIds: [], denominatorIds: [], note: 'Fra praksisinnstilling' };
  } else {
    booking = { id: 'digital-booking', label: 'Listeinnbyggere med digital timebestilling', numerator: 0, denominator: 0, baseline: 0.5, numeratorIds: [], denominatorIds: [], note: 'Ikke registrert: sett andelen i praksisinnstillingene' };
  }

  const withContacts = patients.filter((p) => p.allGpContacts !== undefined && p.allGpContacts > 0);
  const ownNumerator = withContacts.reduce((s, p) => s + (p.ownContacts ?? 0), 0);
  const ownDenominator = withContacts.reduce((s, p) => s + (p.allGpContacts ?? 0), 0);
  const coverage: Indicator = {
    id: 'own-list-coverage',
    label: 'Dekningsgrad: kontakter på egen liste',
    numerator: ownNumerator,
    denominator: ownDenominator,
    share: share(ownNumerator, ownDenominator),
    numeratorIds: withContacts.filter((p) => (p.ownContacts ?? 0) > 0).map((p) => p.id),
    denominatorIds: withContacts.map((p) => p.id),
    note: withContacts.length === 0 ? 'Journalen viser ikke kontakter utenfor praksisen (legevakt)' : undefined,
  };

  return [
    carePlan,
    review,
    booking,
    specialisation('specialisation-gp', 'Leger med spesialisering (stillingsvektet)', staff.filter((s) => s.role === 'gp')),
    specialisation('specialisation-nurse', 'Sykepleiere med videreutdanning (stillingsvektet)', staff.filter((s) => s.role === 'nurse')),
    coverage,
  ];
}

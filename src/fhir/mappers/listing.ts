// Whose list a patient is on (issue 16 item 3): the practice and the GP, read from what the EPJ gives.
// Real journals often leave out Patient.managingOrganization and Patient.generalPractitioner, or give the
// GP as a PractitionerRole. In order: generalPractitioner (Practitioner, PractitionerRole or
// Organization), managingOrganization, then the GP's PractitionerRole for the organisation; when nothing
// names a GP the answer says «fastlege ukjent» (never "no GP", and never a reason to count the patient
// as a weak demander).
import type { Patient, PractitionerRole } from '@medplum/fhirtypes';
import { field, list, parseReference, text } from './read';

export interface Listing {
  /** Organization id of the practice, when the patient or the GP's role names one. */
  practiceOrgId?: string;
  /** Practitioner id of the GP (fastlege). */
  gpId?: string;
  /** Where the answer came from, for the data-quality note. */
  source: 'patient' | 'practitioner-role' | 'default' | 'unknown';
  /** Norwegian notes for the user (e.g. «fastlege ukjent»). */
  notes: string[];
}

export const GP_UNKNOWN = 'fastlege ukjent';

/**
 * `roles`: the PractitionerRoles the EPJ gives (the practice's); `defaultPracticeOrgId`: the practice the
 * registry names for this EPJ, used when the patient names none.
 */
export function listingOf(patient: Patient, roles: readonly PractitionerRole[], defaultPracticeOrgId?: string): Listing {
  let practiceOrgId: string | undefined;
  let gpId: string | undefined;
  let source: Listing['source'] = 'unknown';
  const notes: string[] = [];
  for (const ref of list(patient.generalPractitioner)) {
    const parsed = parseReference(text(field(ref, 'reference')) ?? '');
    if (parsed?.type === 'Practitioner') gpId ??= parsed.id;
    else if (parsed?.type === 'Organization') practiceOrgId ??= parsed.id;
    else if (parsed?.type === 'PractitionerRole') {
      const role = roles.find((r) => r.id === parsed.id);
      const practitioner = parseReference(role?.practitioner?.reference ?? '');
      const organization = parseReference(role?.organization?.reference ?? '');
      if (practitioner?.type === 'Practitioner') gpId ??= practitioner.id;
      if (organization?.type === 'Organization') practiceOrgId ??= organization.id;
      if (!role) notes.push('Fastlegens rolle (PractitionerRole) finnes ikke i journalsystemet.');
    }
  }
  if (gpId !== undefined || practiceOrgId !== undefined) source = 'patient';
  const managing = parseReference(text(field(patient.managingOrganization, 'reference')) ?? '');
  if (managing?.type === 'Organization') {
    practiceOrgId ??= managing.id;
    source = 'patient';
  }
  if (gpId !== undefined && practiceOrgId === undefined) {
    // The GP's role names the practice.
    const role = roles.find((r) => parseReference(r.practitioner?.reference ?? '')?.id === gpId && r.organization?.reference !== undefined);
    const organization = parseReference(role?.organization?.reference ?? '');
    if (organization?.type === 'Organization') {
      practiceOrgId = organization.id;
      source = 'practitioner-role';
    }
  }
  if (practiceOrgId === undefined && defaultPracticeOrgId !== undefined) {
    practiceOrgId = defaultPracticeOrgId;
    if (source === 'unknown') source = 'default';
  }
  if (gpId === undefined) notes.push(GP_UNKNOWN);
  return { ...(practiceOrgId !== undefined && { practiceOrgId }), ...(gpId !== undefined && { gpId }), source, notes };
}

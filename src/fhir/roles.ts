// Who the user is in the team, from fhirUser (Practitioner/<id>) and the PractitionerRole(s) the EHR
// holds for them (SPEC §1 role table, §8): health personnel category in Volven 9060 (LE lege,
// SP sykepleier, HE helsesekretær) and our team-role code `practice-manager` for daglig leder.
import type { CodeableConcept, Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import { SYSTEMS } from './systems';
import type { FhirClient } from './client';
import { parseReference } from './session';
import { humanNameText } from './sessionContext';
import { isFhirError } from './errors';

/**
 * 'viewer': the grant does not let the app read who the user is (e.g. only `patient/` scopes, where the
 * Practitioner is outside the patient's compartment). The app then shows the launch patient read-only
 * instead of failing (SMART: degrade when fewer scopes are granted).
 */
export type TeamRole = 'gp' | 'nurse' | 'secretary' | 'viewer';

export interface UserRole {
  role: TeamRole;
  /** Daglig leder: a GP who also holds the practice-manager team role. */
  practiceManager: boolean;
}

export interface CurrentUser {
  practitionerId: string;
  name: string;
  role: UserRole;
}

const CATEGORY_ROLE: Record<string, TeamRole> = { LE: 'gp', SP: 'nurse', HE: 'secretary' };
// Someone with several categories gets the one with the widest needs; the EHR's grant still limits
// what they may do.
const PRIORITY: readonly TeamRole[] = ['gp', 'nurse', 'secretary'];

/** The user could not be placed in the team; the message says what to do. */
export class UnknownRoleError extends Error {
  readonly title = 'Fant ikke rollen din i teamet';
  readonly userMessage: string;
  readonly userAction = 'Be daglig leder registrere rollen din (fastlege, sykepleier eller helsesekretær) i journalsystemet, og start appen på nytt.';

  constructor(userMessage: string) {
    super(userMessage);
    this.name = 'UnknownRoleError';
    this.userMessage = userMessage;
  }
}

function hasCode(concepts: readonly CodeableConcept[] | undefined, system: string, code: string): boolean {
  return (concepts ?? []).some((c) => (c.coding ?? []).some((coding) => coding.system === system && coding.code?.trim() === code));
}

function categoriesOf(role: PractitionerRole): TeamRole[] {
  const found: TeamRole[] = [];
  for (const concept of role.code ?? []) {
    for (const coding of concept.coding ?? []) {
      const mapped = coding.system === SYSTEMS.healthPersonnelCategory ? CATEGORY_ROLE[coding.code?.trim().toUpperCase() ?? ''] : undefined;
      if (mapped) found.push(mapped);
    }
  }
  return found;
}

/** Pure: the team role from the user's PractitionerRoles, or undefined when none is recognised. */
export function roleFromPractitionerRoles(roles: readonly PractitionerRole[]): UserRole | undefined {
  const active = roles.filter((r) => r.active !== false);
  const categories = new Set(active.flatMap(categoriesOf));
  const role = PRIORITY.find((r) => categories.has(r));
  if (!role) return undefined;
  const managerCode = active.some((r) => hasCode(r.code, SYSTEMS.teamRole, 'practice-manager'));
  // SPEC §1: daglig leder is "LE + leader role"; the manager views show the whole practice's economy,
  // so the code alone on a nurse or secretary does not open them.
  return { role, practiceManager: managerCode && role === 'gp' };
}

export function roleLabel(role: UserRole): string {
  switch (role.role) {
    case 'gp':
      return role.practiceManager ? 'Fastlege · daglig leder' : 'Fastlege';
    case 'nurse':
      return 'Sykepleier';
    case 'secretary':
      return 'Helsesekretær';
    case 'viewer':
      return 'Begrenset tilgang';
  }
}

/** Reads the Practitioner and their PractitionerRoles; throws UnknownRoleError or FhirError. */
export async function detectCurrentUser(client: FhirClient, fhirUser: string | undefined, signal?: AbortSignal): Promise<CurrentUser> {
  const ref = parseReference(fhirUser);
  if (!ref || ref.resourceType !== 'Practitioner') {
    throw new UnknownRoleError(
      fhirUser
        ? 'Du er ikke logget inn som helsepersonell (fhirUser er ikke en Practitioner), og appen er laget for primærhelseteamet.'
        : 'Journalsystemet oppga ikke hvem du er (fhirUser mangler).',
    );
  }
  let practitioner: Practitioner;
  let roles: PractitionerRole[];
  try {
    [practitioner, roles] = await Promise.all([
      client.read('Practitioner', ref.id, { signal }),
      client.searchAll('PractitionerRole', { practitioner: `Practitioner/${ref.id}` }, { signal }),
    ]);
  } catch (error) {
    if (isFhirError(error) && error.kind === 'forbidden') return { practitionerId: ref.id, name: 'Bruker', role: { role: 'viewer', practiceManager: false } };
    throw error;
  }
  const ownRoles = roles.filter((r) => parseReference(r.practitioner?.reference)?.id === ref.id);
  const role = roleFromPractitionerRoles(ownRoles);
  if (!role) {
    throw new UnknownRoleError('Du har ingen rolle som fastlege, sykepleier eller helsesekretær i praksisen i journalsystemet.');
  }
  return { practitionerId: ref.id, name: practitionerName(practitioner), role };
}

function practitionerName(practitioner: Practitioner): string {
  return humanNameText(practitioner.name) ?? 'Ukjent bruker';
}

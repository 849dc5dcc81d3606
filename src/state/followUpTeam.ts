// Who the follow-up views need to know about: the practice (its own encounters are not discharges) and
// its nurses (SPEC §1: the secretary assigns the follow-up task to a nurse; the default is the team's
// nurse). Composed from the FHIR layer's readers; nothing here reads FHIR structures itself.
import type { FhirClient } from '../fhir/client';
import { toStaffMembers } from '../fhir/managerStaff';
import { loadPracticeTeam } from '../fhir/populationTeam';

export interface NurseOption {
  id: string;
  name: string;
}

export interface FollowUpTeam {
  practiceOrgId: string | undefined;
  nurses: NurseOption[];
  /** The nurse new tasks go to by default: the team's only nurse, or the user when she is a nurse. */
  defaultNurseId: string | undefined;
}

/** Pure: the default owner of new follow-up tasks. */
export function defaultNurse(nurses: readonly NurseOption[], userId: string): string | undefined {
  if (nurses.some((n) => n.id === userId)) return userId;
  return nurses.length === 1 ? nurses[0]?.id : undefined;
}

export async function loadFollowUpTeam(client: FhirClient, userId: string, asOf: string, signal?: AbortSignal): Promise<FollowUpTeam> {
  const team = await loadPracticeTeam(client, userId, signal);
  if (!team.practiceOrgId) return { practiceOrgId: undefined, nurses: [], defaultNurseId: undefined };
  const [practitioners, roles] = await Promise.all([
    client.searchAll('Practitioner', { _count: '1000' }, { signal }),
    client.searchAll('PractitionerRole', { organization: `Organization/${team.practiceOrgId}`, _count: '1000' }, { signal }),
  ]);
  const nurses = toStaffMembers(practitioners, roles, asOf)
    .staff.filter((s) => s.role === 'nurse')
    .map((s) => ({ id: s.id, name: s.name }));
  return { practiceOrgId: team.practiceOrgId, nurses, defaultNurseId: defaultNurse(nurses, userId) };
}

// Which views a user gets (SPEC §1 role table): chosen by role and whether the launch has a patient,
// then thinned by what the server actually granted (SMART: the UI degrades on fewer scopes).
import type { UserRole } from '../fhir/roles';
import type { Interaction } from '../fhir/launch';

export type ViewId = 'patient-panel' | 'inbox' | 'worklist' | 'outreach' | 'manager' | 'list-overview' | 'my-tasks' | 'recall' | 'group-session';

export interface NavItem {
  id: ViewId;
  label: string;
}

const LABELS: Record<ViewId, string> = {
  'patient-panel': 'Pasient',
  inbox: 'Innboks',
  worklist: 'Arbeidsliste',
  outreach: 'Oppsøkende',
  manager: 'Leder',
  'list-overview': 'Listeoversikt',
  'my-tasks': 'Mine oppgaver',
  recall: 'Årskontroll',
  'group-session': 'Gruppetime',
};

// The least a view needs to show anything at all. The follow-up views' own data is the app server's
// (/api/follow-up, issue 15); from the EPJ they read the patients.
const REQUIRES: Record<ViewId, readonly [string, Interaction]> = {
  'patient-panel': ['Patient', 'r'],
  inbox: ['Patient', 's'],
  worklist: ['Patient', 's'],
  outreach: ['Flag', 's'],
  manager: ['ChargeItem', 's'],
  'list-overview': ['Patient', 's'],
  'my-tasks': ['Patient', 's'],
  // The recall list is read by the app server with its own token; the user needs to find patients at all.
  recall: ['Patient', 's'],
  'group-session': ['Patient', 's'],
};

export type Can = (resourceType: string, interaction: Interaction) => boolean;

/** The group session (issue 17 item 20) shows other patients: only in a practice launch (SPEC §8). */
const groupSession = (hasPatient: boolean): ViewId[] => (hasPatient ? [] : ['group-session']);

function viewsByRole(role: UserRole, hasPatient: boolean): ViewId[] {
  switch (role.role) {
    // SPEC §1 role table. GPs see their list's overview; the daglig leder adds the manager view. The
    // secretary sees list membership (without clinical evidence) besides the inbox. The yearly-check recall
    // list (issue 17 item 18) is for the whole team: the secretary calls in and books, without the
    // clinical groups (the app server leaves them out for her).
    case 'gp':
      return [...(hasPatient ? (['patient-panel'] as const) : []), ...(role.practiceManager ? (['manager'] as const) : []), 'list-overview', 'my-tasks', 'recall', ...groupSession(hasPatient)];
    case 'nurse':
      return [...(hasPatient ? (['patient-panel'] as const) : []), 'worklist', 'outreach', 'recall', ...groupSession(hasPatient)];
    case 'secretary':
      return ['inbox', 'list-overview', 'recall'];
    case 'viewer':
      return hasPatient ? ['patient-panel'] : [];
  }
}

export interface Navigation {
  items: NavItem[];
  /** Views the role would have but the grant does not allow. */
  hidden: NavItem[];
}

export function navigationFor(role: UserRole, hasPatient: boolean, can: Can): Navigation {
  const items: NavItem[] = [];
  const hidden: NavItem[] = [];
  for (const id of viewsByRole(role, hasPatient)) {
    const [resourceType, interaction] = REQUIRES[id];
    (can(resourceType, interaction) ? items : hidden).push({ id, label: LABELS[id] });
  }
  return { items, hidden };
}

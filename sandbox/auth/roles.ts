// Scopes by role: the simulated EPJ decides per user what an app may do on their behalf (issue 12
// item 5), as an EPJ's access control does. Grant = requested ∩ registered ∩ this table. The FHIR
// server enforces the grant; the app reads the granted `scope` back and hides what is not granted.
// Content-level rules a scope cannot express are the app server's: a nurse may create ChargeItems,
// but only with nurse tariffs (S-codes); the app server checks the tariff against the role (SPEC §5).
import type { LaunchUser } from './context';
import { grantScopes, parseResourceScope, formatResourceScope } from './scopes';

/** Every role: who the user and the patients are, and the audit log (SPEC §8: list views are logged). */
const EVERYONE = [
  'launch', 'launch/patient', 'openid', 'fhirUser', 'offline_access',
  'user/Patient.rs', 'user/Practitioner.rs', 'user/PractitionerRole.rs', 'user/Organization.rs', 'user/RelatedPerson.rs',
  'user/AuditEvent.c',
];

/** What discharge triage reads (SPEC §4): the stays, discharge messages, follow-up tasks and stored Flags. */
const DISCHARGE_READS = ['user/Encounter.rs', 'user/DocumentReference.rs', 'user/Communication.rs', 'user/Flag.rs', 'user/Task.rs'];

/**
 * The facts the target groups are classified from (SPEC §3). Not for the secretary: her inbox and list
 * overview get the target-group status from the app server (POST /api/target-groups/status), which
 * reads with its own Backend Services token and answers no evidence (issue 12 item 5).
 */
const CLASSIFICATION_READS = [
  ...DISCHARGE_READS,
  'user/Condition.rs', 'user/MedicationStatement.rs', 'user/MedicationRequest.rs', 'user/Observation.rs', 'user/CarePlan.rs', 'user/Procedure.rs',
];

/** Fastlege (LE): the patient panel, assessments, own contacts and charges, the list overview (writes candidate Flags). */
const GP = [
  ...EVERYONE, ...CLASSIFICATION_READS, 'user/Coverage.rs',
  'user/Encounter.crus', 'user/Procedure.crus', 'user/DocumentReference.crs', 'user/Flag.crus', 'user/Task.crus',
  'user/ChargeItem.crus', 'user/Account.crus',
];

/** What a role may be granted (v2 scopes; `user/` also allows the `patient/` form). */
export const ROLE_SCOPES: Record<'gp' | 'nurse' | 'secretary' | 'practiceManager', readonly string[]> = {
  gp: GP,
  /** Sykepleier (SP): worklist, contacts with nurse charges and the day's egenandel, outreach (a Procedure). No Flag writes. */
  nurse: [
    ...EVERYONE, ...CLASSIFICATION_READS, 'user/Coverage.rs',
    'user/Encounter.crus', 'user/Procedure.crus', 'user/DocumentReference.crs', 'user/Task.crus',
    'user/ChargeItem.crus', 'user/Account.crus',
  ],
  /**
   * Helsesekretær (HE): triage discharge messages into follow-up Tasks; no diagnoses, medications,
   * measurements, charges, contacts, notes or assessments. Target-group status comes from the app server;
   * her list overview writes no Flags.
   */
  secretary: [...EVERYONE, ...DISCHARGE_READS, 'user/Task.crus'],
  /** Daglig leder (LE + practice-manager): the GP's scopes; marking charges claimed is a ChargeItem update. */
  practiceManager: GP,
};

export type RoleKey = keyof typeof ROLE_SCOPES;

export function roleOf(user: Pick<LaunchUser, 'role' | 'practiceManager'>): RoleKey {
  return user.role === 'gp' && user.practiceManager ? 'practiceManager' : user.role;
}

/** The table's `user/` scopes also in `patient/` form: the same access, limited to one compartment. */
function withPatientForms(scopes: readonly string[]): string[] {
  return scopes.flatMap((scope) => {
    const parsed = parseResourceScope(scope);
    return parsed?.context === 'user' ? [scope, formatResourceScope({ ...parsed, context: 'patient' })] : [scope];
  });
}

/** Narrows a grant to what the user's role may have. */
export function scopesForRole(granted: string[], user: Pick<LaunchUser, 'role' | 'practiceManager'>): string[] {
  return grantScopes(granted, withPatientForms(ROLE_SCOPES[roleOf(user)]));
}

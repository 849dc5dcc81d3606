// Who is asking, for the app's own API (issue 15): the practice (tenant key) and the team role, from the
// launch's fhirUser and that user's PractitionerRoles in the EPJ (SPEC §1 role table). The practice is the
// organisation of one of the user's roles, and it must be one the EPJ registry lists for this EPJ, so a
// registry entry decides which tenants a deployment serves.
import type { Bundle, PractitionerRole } from '@medplum/fhirtypes';
import type { Context } from 'hono';
import { roleFromPractitionerRoles, type TeamRole } from '../../src/fhir/roles';

export interface Actor {
  /** Tenant key: the organisation reference as the EPJ registry lists it, e.g. `Organization/org-practice`. */
  practiceId: string;
  /** `Practitioner/<id>`. */
  user: string;
  role: TeamRole;
  /** Daglig leder (SPEC §1: a GP with the practice-manager team role). */
  practiceManager: boolean;
}

/** The actor of a request, or the response to send instead (no session, unknown practice); every slice's routes get one. */
export type ResolveActor = (c: Context) => Promise<{ actor: Actor } | { response: Response }>;

export type ActorResult = { ok: true; actor: Actor } | { ok: false; status: 403; message: string };

/** Pure: the actor from a PractitionerRole search result (undefined bundle = not allowed to read roles). */
export function actorFromRoles(fhirUser: string | undefined, bundle: Bundle | undefined, organisations: readonly string[]): ActorResult {
  if (!fhirUser?.startsWith('Practitioner/')) return { ok: false, status: 403, message: 'Du er ikke logget inn som helsepersonell i praksisen.' };
  const roles = (bundle?.entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is PractitionerRole => r?.resourceType === 'PractitionerRole' && r.practitioner?.reference === fhirUser && r.active !== false);
  const inPractice = roles.filter((r) => r.organization?.reference !== undefined && organisations.includes(r.organization.reference));
  const practiceId = inPractice[0]?.organization?.reference ?? (bundle === undefined && organisations.length === 1 ? organisations[0] : undefined);
  if (!practiceId) return { ok: false, status: 403, message: 'Fant ikke legekontoret ditt blant praksisene appen er registrert for.' };
  // Without a readable role (e.g. only patient/ scopes) the user may read, never change (role 'viewer').
  const role = bundle === undefined ? undefined : roleFromPractitionerRoles(inPractice.filter((r) => r.organization?.reference === practiceId));
  return { ok: true, actor: { practiceId, user: fhirUser, role: role?.role ?? 'viewer', practiceManager: role?.practiceManager ?? false } };
}

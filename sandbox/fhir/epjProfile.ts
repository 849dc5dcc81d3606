// The two EPJs the sandbox can play (issue 16 item 1), chosen at start (`PHT_EPJ_PROFILE=full|narrow`)
// and on the launch page:
// - `full`: every read and write of every type, transactions, conditional create, If-Match, _include.
// - `narrow`: what a Norwegian GP journal realistically exposes (NAV's requirements for EPJ vendors):
//   read/search Patient, Practitioner, PractitionerRole, Organization, Encounter, Condition, plus the
//   optional types a practice has switched on (`PHT_EPJ_OPTIONAL=MedicationStatement,Observation,...`);
//   create only DocumentReference and Binary (the journal note); no update, patch, delete, history,
//   transactions, conditional create, If-Match or _include/_revinclude. Every refusal is an
//   OperationOutcome naming what is not supported; the CapabilityStatement says exactly this.
import type { Bundle } from '@medplum/fhirtypes';
import { fail } from './outcomes';

export type EpjProfileName = 'full' | 'narrow';

export interface EpjProfile {
  name: EpjProfileName;
  /** narrow only: the optional types this practice has switched on. */
  optional: readonly string[];
}

export const NARROW_BASE_READ: readonly string[] = ['Patient', 'Practitioner', 'PractitionerRole', 'Organization', 'Encounter', 'Condition'];
export const NARROW_OPTIONAL_READ: readonly string[] = ['MedicationStatement', 'Observation', 'Procedure', 'CarePlan', 'Coverage', 'DocumentReference', 'Communication'];
export const NARROW_CREATE: readonly string[] = ['DocumentReference', 'Binary'];

export const FULL_PROFILE: EpjProfile = { name: 'full', optional: [] };

/** Parses the environment (or CLI) form; throws an Error naming the variable on a bad value. */
export function parseEpjProfile(name: string | undefined, optional: string | undefined): EpjProfile {
  const chosen = (name ?? 'full').trim() || 'full';
  if (chosen !== 'full' && chosen !== 'narrow') throw new Error(`PHT_EPJ_PROFILE must be "full" or "narrow", not ${JSON.stringify(name)}`);
  const types = (optional ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  for (const type of types) {
    if (!NARROW_OPTIONAL_READ.includes(type)) throw new Error(`PHT_EPJ_OPTIONAL: ${JSON.stringify(type)} is not one of ${NARROW_OPTIONAL_READ.join(', ')}`);
  }
  return { name: chosen, optional: chosen === 'narrow' ? [...new Set(types)] : [] };
}

/** The types this profile lets a client read and search; undefined = all (full). */
export function readableTypes(profile: EpjProfile): readonly string[] | undefined {
  return profile.name === 'full' ? undefined : [...NARROW_BASE_READ, ...profile.optional];
}

const INCLUDE_PARAMS = ['_include', '_revinclude'];

function notSupported(status: number, text: string, expression?: string) {
  return fail(status, 'not-supported', text, expression);
}

function checkRead(profile: EpjProfile, type: string, expression?: string): void {
  const readable = readableTypes(profile);
  if (readable && !readable.includes(type)) {
    throw notSupported(404, `This EPJ does not expose ${type} (narrow profile; readable: ${readable.join(', ')})`, expression);
  }
}

function checkSearchParams(keys: Iterable<string>, expression?: string): void {
  for (const key of keys) {
    const base = key.split(':')[0] ?? key;
    if (INCLUDE_PARAMS.includes(base)) throw notSupported(400, `${base} is not supported by this EPJ (narrow profile)`, expression ?? base);
  }
}

/**
 * Refuses what the narrow profile does not offer, before anything runs. `segments` are the path under
 * the FHIR base; `headers` the request's (lower-case names).
 */
export function enforceProfile(
  profile: EpjProfile,
  method: string,
  segments: readonly string[],
  params: URLSearchParams,
  headers: Record<string, string | string[] | undefined>,
): void {
  if (profile.name === 'full') return;
  if (headers['if-match'] !== undefined) throw notSupported(400, 'If-Match (versioned update) is not supported by this EPJ (narrow profile)', 'If-Match');
  if (headers['if-none-exist'] !== undefined) throw notSupported(400, 'Conditional create (If-None-Exist) is not supported by this EPJ (narrow profile)', 'If-None-Exist');
  if (segments.length === 0) return; // batch/transaction: checked on the body (enforceBundle)
  const [type = '', id, history] = segments;
  checkSearchParams(params.keys());
  if (method === 'GET' && segments.length === 1) return checkRead(profile, type);
  if (method === 'POST' && id === '_search' && segments.length === 2) return checkRead(profile, type);
  if (method === 'GET' && segments.length === 2) return checkRead(profile, type);
  if (method === 'GET' && history === '_history') throw notSupported(405, 'History is not supported by this EPJ (narrow profile)');
  if (method === 'POST' && segments.length === 1) {
    if (NARROW_CREATE.includes(type)) return;
    throw notSupported(405, `This EPJ accepts no ${type}; it accepts only ${NARROW_CREATE.join(' and ')} (narrow profile)`);
  }
  throw notSupported(405, `${method} is not supported by this EPJ (narrow profile: read, and create of ${NARROW_CREATE.join('/')} only)`);
}

/** Batches of reads over the readable types are answered; transactions and writes in a batch are not. */
export function enforceBundle(profile: EpjProfile, bundle: Bundle): void {
  if (profile.name === 'full') return;
  if (bundle.type === 'transaction') throw notSupported(405, 'Transactions are not supported by this EPJ (narrow profile)', 'Bundle.type');
  (bundle.entry ?? []).forEach((entry, i) => {
    const method = entry?.request?.method;
    if (method !== 'GET') throw notSupported(405, `Only reads are supported in a batch by this EPJ (narrow profile); entry ${i} is ${String(method)}`, `Bundle.entry[${i}].request.method`);
    const url = String(entry.request?.url ?? '');
    const [path = '', query = ''] = url.split('?');
    const type = path.split('/').filter(Boolean)[0] ?? '';
    checkRead(profile, type, `Bundle.entry[${i}].request.url`);
    checkSearchParams(new URLSearchParams(query).keys(), `Bundle.entry[${i}].request.url`);
    if (entry.request?.ifMatch !== undefined || entry.request?.ifNoneExist !== undefined) {
      throw notSupported(400, 'Conditional requests are not supported by this EPJ (narrow profile)', `Bundle.entry[${i}].request`);
    }
  });
}

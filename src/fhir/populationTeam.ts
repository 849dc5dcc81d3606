// Who is on the practice's lists: the practice (from the user's PractitionerRole), its GPs (LE), and
// their listed patients (Patient.generalPractitioner) (SPEC §1, §8).
import type { Patient, PractitionerRole } from '@medplum/fhirtypes';
import type { FhirClient } from './client';
import { loadPractitionerNames } from './followUpsPatients';
import { codings, field, text } from './mappers/read';
import { parseReference } from './session';
import { SYSTEMS } from './systems';

export interface GpView {
  id: string;
  name: string;
}

export interface PracticeTeam {
  practiceOrgId: string | undefined;
  gps: GpView[];
}

function practitionerId(role: PractitionerRole): string | undefined {
  const parsed = parseReference(text(field(role.practitioner, 'reference')));
  return parsed?.resourceType === 'Practitioner' ? parsed.id : undefined;
}

function isGp(role: PractitionerRole): boolean {
  return role.active !== false && codings(role.code).some((c) => c.system === SYSTEMS.healthPersonnelCategory && c.code === 'LE');
}

/** The user's practice and its GPs: two requests, one after the other. */
export async function loadPracticeTeam(client: FhirClient, userId: string, signal?: AbortSignal): Promise<PracticeTeam> {
  const own = await client.searchAll('PractitionerRole', { practitioner: `Practitioner/${userId}` }, { signal });
  const orgRef = own.map((r) => parseReference(text(field(r.organization, 'reference')))).find((p) => p?.resourceType === 'Organization');
  if (!orgRef) return { practiceOrgId: undefined, gps: [] };
  const roles = await client.searchAll('PractitionerRole', { organization: `Organization/${orgRef.id}`, _count: '1000' }, { signal });
  const gps = new Map<string, string | undefined>();
  for (const role of roles.filter(isGp)) {
    const id = practitionerId(role);
    if (id !== undefined && !gps.has(id)) gps.set(id, text(field(role.practitioner, 'display')));
  }
  // A role without display names its GP by the Practitioner's own name, never by the id (issue 17 item 7).
  const unnamed = [...gps].filter(([, name]) => name === undefined).map(([id]) => id);
  const names = await loadPractitionerNames(client, unnamed, signal ? { signal } : {});
  for (const id of unnamed) gps.set(id, names.get(id) ?? 'Ukjent fastlege');
  return { practiceOrgId: orgRef.id, gps: [...gps].map(([id, name]) => ({ id, name: name ?? 'Ukjent fastlege' })).sort((a, b) => a.name.localeCompare(b.name, 'nb')) };
}

/** Listed patients of the given GPs, paged (`_count=1000`). */
export async function loadListedPatients(
  client: FhirClient,
  gpIds: readonly string[],
  opts: { signal?: AbortSignal; onProgress?: (fetched: number, total: number | undefined) => void } = {},
): Promise<Patient[]> {
  if (gpIds.length === 0) return [];
  return client.searchAll(
    'Patient',
    { 'general-practitioner': gpIds.map((id) => `Practitioner/${id}`).join(','), _count: '1000' },
    { signal: opts.signal, onProgress: (p) => opts.onProgress?.(p.fetched, p.total) },
  );
}

/** The patient's GP (first generalPractitioner that is a Practitioner). */
export function gpIdOf(patient: Patient): string | undefined {
  for (const ref of patient.generalPractitioner ?? []) {
    const parsed = parseReference(text(ref.reference));
    if (parsed?.resourceType === 'Practitioner') return parsed.id;
  }
  return undefined;
}

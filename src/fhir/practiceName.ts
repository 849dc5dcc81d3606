// The practice's name for printed lists (issue 17 item 21: a call list's header names the practice): the
// organisation of the user's PractitionerRole, by its display or the Organization's own name.
import type { FhirClient } from './client';
import { field, text } from './mappers/read';
import { parseReference } from './session';

/** The practice's name, or undefined when the user's role names no organisation or it cannot be read. */
export async function loadPracticeName(client: FhirClient, userId: string, signal?: AbortSignal): Promise<string | undefined> {
  const roles = await client.searchAll('PractitionerRole', { practitioner: `Practitioner/${userId}` }, signal ? { signal } : {});
  for (const role of roles) {
    const ref = parseReference(text(field(role.organization, 'reference')));
    if (ref?.resourceType !== 'Organization') continue;
    const display = text(field(role.organization, 'display'))?.trim();
    if (display) return display;
    const org = await client.read('Organization', ref.id, signal ? { signal } : {}).catch(() => undefined);
    const name = org?.name?.trim();
    if (name) return name;
  }
  return undefined;
}

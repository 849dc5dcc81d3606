// Shared helpers of the resource builders (STYLE habit 3: resources are built by named builders that
// set meta.profile; references via helpers, never by string concatenation at the call site).
// Profiles live in fhir-profiles/input/fsh/profiles.fsh under PHT_CANONICAL (SPEC §8).
import type { ExtractResource, Identifier, Meta, Money, Reference, ResourceType } from '@medplum/fhirtypes';
import { parseReference } from '../session';
import { PHT_CANONICAL } from '../systems';

/** Ids of our profiles (fhir-profiles/input/fsh/profiles.fsh). */
export type PhtProfileId =
  | 'pht-nurse-contact'
  | 'pht-team-charge'
  | 'pht-copay-day'
  | 'pht-contact-note'
  | 'pht-target-group-flag'
  | 'pht-follow-up-task'
  | 'pht-target-group-assessment'
  | 'pht-outreach-assessment'
  | 'pht-medication-review-need-assessment'
  | 'pht-access-audit-event';

export function profileUrl(id: PhtProfileId): string {
  return `${PHT_CANONICAL}/StructureDefinition/${id}`;
}

/** `meta` claiming our profile; keeps whatever else a caller's meta has (tags, security). */
export function profileMeta(id: PhtProfileId, meta?: Meta): Meta {
  const url = profileUrl(id);
  const others = (meta?.profile ?? []).filter((p) => p !== url);
  return { ...meta, profile: [url, ...others] };
}

/** A relative literal reference `Type/id`, optionally with a display text. */
export function reference<K extends ResourceType>(resourceType: K, id: string, display?: string): Reference<ExtractResource<K>> {
  if (!id || id.includes('/')) throw new TypeError(`Ugyldig id for ${resourceType}: "${id}"`);
  return display ? { reference: `${resourceType}/${id}`, display } : { reference: `${resourceType}/${id}` };
}

/** The bare id a reference points at when it is of the given type (relative or absolute), else undefined. */
export function referencedId(ref: Reference | undefined, resourceType: ResourceType): string | undefined {
  const parsed = parseReference(ref?.reference);
  return parsed?.resourceType === resourceType ? parsed.id : undefined;
}

export function identifier(system: string, value: string): Identifier {
  return { system, value };
}

/** The `If-None-Exist` search of a client-generated identifier (FHIR R4 http.html#ccreate). */
export function ifNoneExistIdentifier(system: string, value: string): string {
  return new URLSearchParams({ identifier: `${system}|${value}` }).toString();
}

/** A weak ETag for `If-Match` (FHIR R4 http.html#concurrency). */
export function ifMatchVersion(versionId: string): string {
  return `W/"${versionId}"`;
}

export function nok(kr: number): Money {
  return { value: kr, currency: 'NOK' };
}

/** A random v4 UUID for client-generated ids (contactId) and urn:uuid fullUrls. */
export function newUuid(): string {
  return globalThis.crypto.randomUUID();
}

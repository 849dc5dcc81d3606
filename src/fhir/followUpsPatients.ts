// What the inbox and the worklist show about a patient (SPEC §4: "the worklist shows the patient's phone
// and next of kin"), mapped by the app server (server/epj/patientDisplays.ts reads Patient and, where the
// EPJ gives it, RelatedPerson); the owners' names are still read here by `_id=a,b,c` in batches.
import type { ContactPoint, ExtractResource, HumanName, Patient, RelatedPerson, ResourceType } from '@medplum/fhirtypes';
import type { FhirClient } from './client';
import { codings, text } from './mappers/read';
import { addressForDisplay } from './privacy';
import { parseReference } from './session';
import { SYSTEMS } from './systems';

/** Ids per search request: keeps URLs well under common server limits (8 KB). */
export const ID_BATCH_SIZE = 50;

export interface NextOfKin {
  name: string;
  /** Bokmål, e.g. «datter», «ektefelle». */
  relationship?: string;
  phone?: string;
}

export interface PatientDisplay {
  id: string;
  name: string;
  /** Fødselsnummer or D-nummer. */
  nationalId?: string;
  birthDate?: string;
  phone?: string;
  /** The address to show, or «Adressen er skjermet» for a protected one (SPEC §8, src/fhir/privacy.ts). */
  address?: string;
  nextOfKin: NextOfKin[];
  /** The patient's regular GP (fastlege), Practitioner id. */
  gpId?: string;
}

export function batches<T>(items: readonly T[], size = ID_BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface BatchOptions {
  signal?: AbortSignal;
}

/** `<type>?_id=a,b,c` in batches, in parallel. */
export async function searchByIds<K extends ResourceType>(
  client: FhirClient,
  resourceType: K,
  ids: readonly string[],
  opts: BatchOptions = {},
): Promise<ExtractResource<K>[]> {
  const unique = [...new Set(ids)];
  const pages = await Promise.all(
    batches(unique).map((batch) => client.searchAll(resourceType, { _id: batch.join(','), _count: String(batch.length) }, { signal: opts.signal })),
  );
  return pages.flat();
}

// ---------------------------------------------------------------------------------------------

function nameOf(names: readonly HumanName[] | undefined): string | undefined {
  const name = (names ?? []).find((n) => n.use === 'official') ?? names?.[0];
  if (!name) return undefined;
  return text(name.text) ?? ([...(name.given ?? []), name.family].filter((p) => text(p) !== undefined).join(' ') || undefined);
}

function phoneOf(telecom: readonly ContactPoint[] | undefined): string | undefined {
  const phones = (telecom ?? []).filter((t) => t.system === 'phone' && text(t.value) !== undefined && !t.period?.end);
  const best = phones.find((t) => t.use === 'mobile') ?? phones.find((t) => t.use !== 'old') ?? phones[0];
  return text(best?.value);
}

// v3 RoleCode and v2 0131 codes of next of kin, in bokmål.
const RELATIONSHIP_TEXT: Readonly<Record<string, string>> = {
  DAU: 'datter',
  SON: 'sønn',
  CHILD: 'barn',
  WIFE: 'kone',
  HUSB: 'ektemann',
  SPS: 'ektefelle',
  DOMPART: 'samboer',
  SIGOTHR: 'partner',
  MTH: 'mor',
  FTH: 'far',
  PRN: 'forelder',
  SIS: 'søster',
  BRO: 'bror',
  SIB: 'søsken',
  GRNDCHILD: 'barnebarn',
  FRND: 'venn',
  NBOR: 'nabo',
  GUARD: 'verge',
};

function relationshipOf(concepts: unknown): string | undefined {
  const coded = codings(concepts).map((c) => (c.code ? RELATIONSHIP_TEXT[c.code] : undefined)).find((t) => t !== undefined);
  if (coded) return coded;
  const list = Array.isArray(concepts) ? concepts : [];
  for (const concept of list) {
    const t = typeof concept === 'object' && concept !== null && 'text' in concept ? text(concept.text) : undefined;
    if (t) return t;
  }
  return undefined;
}

function isNextOfKin(relationship: unknown): boolean {
  // Any RelatedPerson of the patient is shown; those marked next of kin (v2 0131 N, or C emergency) first.
  return codings(relationship).some((c) => c.code === 'N' || c.code === 'C');
}

function kinFromRelatedPerson(rp: RelatedPerson): NextOfKin | undefined {
  if (rp.active === false) return undefined;
  const name = nameOf(rp.name);
  if (!name) return undefined;
  const relationship = relationshipOf(rp.relationship);
  const phone = phoneOf(rp.telecom);
  return { name, ...(relationship ? { relationship } : {}), ...(phone ? { phone } : {}) };
}

/** Patient + its RelatedPersons -> what the inbox and worklist show. Never throws on odd data. */
export function toPatientDisplay(patient: Patient & { id: string }, related: readonly RelatedPerson[] = []): PatientDisplay {
  const nationalId = text(patient.identifier?.find((i) => i.system === SYSTEMS.fnr)?.value) ?? text(patient.identifier?.find((i) => i.system === SYSTEMS.dnr)?.value);
  const phone = phoneOf(patient.telecom);
  const address = addressForDisplay(patient);
  const own = related
    .filter((rp) => parseReference(rp.patient?.reference)?.id === patient.id)
    .sort((a, b) => Number(isNextOfKin(b.relationship)) - Number(isNextOfKin(a.relationship)));
  const fromRelated = own.map(kinFromRelatedPerson).filter((k): k is NextOfKin => k !== undefined);
  const fromContact = (patient.contact ?? []).flatMap((c): NextOfKin[] => {
    const name = nameOf(c.name ? [c.name] : undefined);
    if (!name) return [];
    const relationship = relationshipOf(c.relationship);
    const kinPhone = phoneOf(c.telecom);
    return [{ name, ...(relationship ? { relationship } : {}), ...(kinPhone ? { phone: kinPhone } : {}) }];
  });
  const seen = new Set<string>();
  const nextOfKin = [...fromRelated, ...fromContact].filter((k) => {
    const key = `${k.name}|${k.phone ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const gp = (patient.generalPractitioner ?? []).map((r) => parseReference(r.reference)).find((r) => r?.resourceType === 'Practitioner');
  return {
    id: patient.id,
    name: nameOf(patient.name) ?? 'Navn mangler',
    ...(nationalId ? { nationalId } : {}),
    ...(text(patient.birthDate) ? { birthDate: patient.birthDate } : {}),
    ...(phone ? { phone } : {}),
    ...(address ? { address } : {}),
    nextOfKin,
    ...(gp ? { gpId: gp.id } : {}),
  };
}

/** Practitioner id -> display name, for owners. */
export async function loadPractitionerNames(client: FhirClient, ids: readonly string[], opts: BatchOptions = {}): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const practitioners = await searchByIds(client, 'Practitioner', ids, opts);
  const names = new Map<string, string>();
  for (const p of practitioners) if (p.id) names.set(p.id, nameOf(p.name) ?? p.id);
  return names;
}

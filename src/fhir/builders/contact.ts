// The nurse contact (SPEC §5, §8: "contact = Encounter plus a note the journal keeps"), profile
// pht-nurse-contact (fhir-profiles/input/fsh/profiles.fsh).
//
// The journal note: Encounter has no note element. We write it as a DocumentReference (LOINC 34746-8
// Nurse Note, context.encounter = the contact), the resource EPJs and FHIR's own clinical-notes guidance
// use for a note that belongs in the record, rather than an extension the EPJ would not show. The app's
// manifest grants only `user/DocumentReference.rs` today, so the note is written only when the grant
// allows create (`can(session, 'DocumentReference', 'c')`); otherwise the result says so and the UI asks
// the nurse to write it in the EPJ (the profile's "the journal note itself stays in the EPJ").
import type { DocumentReference, Encounter, Reference } from '@medplum/fhirtypes';
import type { ContactKind } from '../../domain/tariffs';
import { COPAY_SYSTEMS, NURSE_NOTE_LOINC } from '../chargesSystems';
import { SYSTEMS } from '../systems';
import { identifier, profileMeta, recordedByExtension, reference, type UserReference } from './common';

export type ContactChannel = 'in-person' | 'phone' | 'video' | 'written';

export interface NurseContactFacts {
  /** Client-generated UUID; the key of the idempotent write (SYSTEMS.contactId). */
  contactId: string;
  patientId: string;
  /** The nurse (or GP) who had the contact. */
  practitionerId: string;
  /** Others taking part, e.g. the GP in a team consultation. */
  otherPractitionerIds?: string[];
  organizationId?: string;
  kind: ContactKind;
  /** Missing means in person. */
  channel?: ContactChannel;
  /** Service time: start of the contact (ISO date-time with offset). */
  start: string;
  end?: string;
  minutes?: number;
}

/** Norwegian displays of the contact-kind code system (fhir-profiles/input/fsh/codesystems.fsh). */
export const CONTACT_KIND_DISPLAY: Readonly<Record<ContactKind, string>> = {
  simple: 'Enkel pasientkontakt',
  'follow-up': 'Oppfølging',
  'about-patient': 'Kontakt om pasienten',
  'home-visit': 'Hjemmebesøk',
  group: 'Gruppeoppfølging',
  meeting: 'Tverrfaglig møte',
  'team-consultation': 'Teamkonsultasjon',
};

const CLASS_DISPLAY = { AMB: 'ambulatory', HH: 'home health', VR: 'virtual' } as const;

/** v3 ActCode class (profile text): HH home visit, VR phone/video/written, AMB otherwise (in person). */
export function encounterClassFor(facts: Pick<NurseContactFacts, 'kind' | 'channel'>): keyof typeof CLASS_DISPLAY {
  if (facts.kind === 'home-visit') return 'HH';
  const channel = facts.channel ?? 'in-person';
  return channel === 'in-person' ? 'AMB' : 'VR';
}

export function buildNurseContact(facts: NurseContactFacts, recordedBy: UserReference): Encounter {
  const classCode = encounterClassFor(facts);
  const participants = [facts.practitionerId, ...(facts.otherPractitionerIds ?? [])];
  return {
    resourceType: 'Encounter',
    meta: profileMeta('pht-nurse-contact'),
    extension: [recordedByExtension(recordedBy)],
    identifier: [identifier(SYSTEMS.contactId, facts.contactId)],
    status: 'finished',
    class: { system: SYSTEMS.actCode, code: classCode, display: CLASS_DISPLAY[classCode] },
    type: [{ coding: [{ system: SYSTEMS.contactKind, code: facts.kind, display: CONTACT_KIND_DISPLAY[facts.kind] }] }],
    subject: reference('Patient', facts.patientId),
    participant: participants.map((id) => ({ individual: reference('Practitioner', id) })),
    period: facts.end ? { start: facts.start, end: facts.end } : { start: facts.start },
    ...(facts.minutes === undefined
      ? {}
      : { length: { value: facts.minutes, unit: 'min', system: 'http://unitsofmeasure.org', code: 'min' } }),
    ...(facts.organizationId ? { serviceProvider: reference('Organization', facts.organizationId) } : {}),
  };
}

/** UTF-8 text as base64 (Attachment.data), in the browser and in Node. */
function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The contact's journal note. `encounter` may be a urn:uuid placeholder inside a transaction.
 * Identified by the contactId (COPAY_SYSTEMS.contactNoteId) so a retried save never duplicates it.
 */
export function buildContactNote(
  facts: Pick<NurseContactFacts, 'contactId' | 'patientId' | 'start' | 'end'>,
  text: string,
  encounter: Reference<Encounter>,
  author: UserReference,
  recordedAt: string,
): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    meta: profileMeta('pht-contact-note'),
    identifier: [identifier(COPAY_SYSTEMS.contactNoteId, facts.contactId)],
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ system: SYSTEMS.loinc, code: NURSE_NOTE_LOINC, display: 'Nurse Note' }], text: 'Journalnotat' },
    subject: reference('Patient', facts.patientId),
    date: recordedAt,
    author: [author],
    context: { encounter: [encounter], period: facts.end ? { start: facts.start, end: facts.end } : { start: facts.start } },
    content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: base64Utf8(text), title: 'Journalnotat' } }],
  };
}

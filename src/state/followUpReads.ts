// Two reads the follow-up section needs that the FHIR layer does not offer yet:
// - the epikrise text (SPEC §4: "the contact shows the epikrise"): the text of the discharge-summary
//   DocumentReference (a text/plain attachment, inline base64), else the Communication's contentString;
// - when and how a saved nurse contact happened (its Encounter), which recordContact needs to decide met
//   or late; ContactSection's onSaved event does not carry it.
// Every resource is checked against the patient before it is used (SPEC §8).
//
// NOTE for the lead: these are FHIR mappers and belong in src/fhir (e.g. src/fhir/epikrise.ts); they live
// here only because this sprint's file ownership kept the follow-up engineer out of src/fhir. They read
// with the FHIR layer's defensive readers and never throw on odd data.
import type { ContactChannel } from '../domain/followUp';

/** A discharge signal, e.g. the task's summaryRef `DocumentReference/<id>`. */
export interface SignalRef {
  resourceType: string;
  id: string;
}

/** `DocumentReference/<id>` -> its reference parts. */
export function signalOf(reference: string | null): SignalRef[] {
  const match = reference ? /^(DocumentReference|Communication)\/([A-Za-z0-9\-.]{1,64})$/.exec(reference) : null;
  return match?.[1] && match[2] ? [{ resourceType: match[1], id: match[2] }] : [];
}
import type { FhirClient } from '../fhir/client';
import { codings, field, list, text } from '../fhir/mappers/read';
import { assertBelongsToPatient } from '../fhir/patientGuard';
import { SYSTEMS } from '../fhir/systems';

function decodeBase64Utf8(data: string): string | undefined {
  try {
    const binary = atob(data.replace(/\s+/g, ''));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The plain text of a DocumentReference's attachments, or of a Communication's payloads. */
export function epikriseTextOf(resource: unknown): string | undefined {
  for (const content of list(field(resource, 'content'))) {
    const attachment = field(content, 'attachment');
    const type = text(field(attachment, 'contentType')) ?? 'text/plain';
    const data = text(field(attachment, 'data'));
    if (data && type.startsWith('text/')) {
      const decoded = decodeBase64Utf8(data);
      if (decoded?.trim()) return decoded.trim();
    }
  }
  for (const payload of list(field(resource, 'payload'))) {
    const value = text(field(payload, 'contentString'));
    if (value) return value;
  }
  return undefined;
}

/**
 * The epikrise of the task's signals (DocumentReference first, then Communication); undefined when none
 * carries a readable text (an Encounter alone never does).
 */
export async function loadEpikrise(client: FhirClient, patientId: string, signals: readonly SignalRef[], signal?: AbortSignal): Promise<string | undefined> {
  const ordered = [...signals.filter((s) => s.resourceType === 'DocumentReference'), ...signals.filter((s) => s.resourceType === 'Communication')];
  for (const ref of ordered) {
    const resource = ref.resourceType === 'DocumentReference' ? await client.read('DocumentReference', ref.id, { signal }) : await client.read('Communication', ref.id, { signal });
    const found = epikriseTextOf(assertBelongsToPatient(resource, patientId));
    if (found) return found;
  }
  return undefined;
}

export interface SavedContactFacts {
  /** ISO date-time the contact started (the patient was reached). */
  at: string;
  channel: ContactChannel;
}

// v3 ActCode class of pht-nurse-contact (builders/contact.ts): HH home visit, AMB in person, VR phone,
// video or written; [decision] VR is logged as phone, the usual channel of a follow-up call.
const CLASS_CHANNEL: Readonly<Record<string, ContactChannel>> = { HH: 'home-visit', AMB: 'in-person', VR: 'phone' };

/** The nurse contact Encounter's start and channel, found by id or else by its contactId identifier. */
export async function loadSavedContact(
  client: FhirClient,
  patientId: string,
  ids: { encounterId?: string; contactId: string },
  signal?: AbortSignal,
): Promise<SavedContactFacts | undefined> {
  const encounter = ids.encounterId
    ? await client.read('Encounter', ids.encounterId, { signal })
    : (await client.searchAll('Encounter', { identifier: `${SYSTEMS.contactId}|${ids.contactId}` }, { signal }))[0];
  if (!encounter) return undefined;
  assertBelongsToPatient(encounter, patientId);
  const at = text(field(field(encounter, 'period'), 'start'));
  if (!at) return undefined;
  const classCode = codings(field(encounter, 'class')).find((c) => c.system === SYSTEMS.actCode)?.code;
  return { at, channel: (classCode ? CLASS_CHANNEL[classCode] : undefined) ?? 'in-person' };
}

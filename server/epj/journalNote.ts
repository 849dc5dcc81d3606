// The journal note the app writes back to the EPJ (issue 15 item 3): a DocumentReference with the text,
// author, patient and date; the one write every Norwegian EPJ accepts (NAV's requirements: DocumentReference
// and Binary). Its identifier makes the write idempotent (server/epj/writeBack.ts).
import type { DocumentReference } from '@medplum/fhirtypes';
import { SYSTEMS } from '../../src/fhir/systems';

export const JOURNAL_NOTE_SYSTEM = `${SYSTEMS.contactId.replace(/contact-id$/, 'journal-note-id')}`;

export interface JournalNoteInput {
  /** Stable id of what the note records, e.g. `contact-<uuid>`; the identifier value. */
  id: string;
  patientId: string;
  /** `Practitioner/<id>`. */
  author: string;
  /** ISO instant. */
  date: string;
  /** Short title, bokmål, e.g. «Oppfølging etter utskrivning: kontakt oppnådd». */
  title: string;
  /** The note text, bokmål. */
  text: string;
}

export function journalNote(input: JournalNoteInput): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    identifier: [{ system: JOURNAL_NOTE_SYSTEM, value: input.id }],
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ system: 'http://loinc.org', code: '11506-3', display: 'Progress note' }], text: 'Journalnotat' },
    subject: { reference: `Patient/${input.patientId}` },
    date: input.date,
    author: [{ reference: input.author }],
    description: input.title,
    content: [
      {
        attachment: {
          contentType: 'text/plain; charset=utf-8',
          language: 'nb',
          title: input.title,
          data: Buffer.from(input.text, 'utf8').toString('base64'),
          creation: input.date,
        },
      },
    ],
  };
}

// URIs this area needs beyond src/fhir/systems.ts (to be merged there by the lead; same canonical base).
// The waiver-reason code system is the one fhir-profiles/input/fsh/codesystems.fsh already defines
// (PhtEgenandelWaiverReasonCS, id egenandel-waiver-reason) for SAME_DAY and CANCELLED (SPEC §6).
import { PHT_CANONICAL } from './systems';

export const COPAY_SYSTEMS = {
  /** Our own reasons for a charge without egenandel (SAME_DAY, CANCELLED); Volven 7461 for exemptions. */
  copayReason: `${PHT_CANONICAL}/CodeSystem/egenandel-waiver-reason`,
  /** Identifier of the per patient-day ledger Account: value `<patientId>:<osloDate>` (SPEC §6). */
  copayDay: `${PHT_CANONICAL}/NamingSystem/copay-day`,
  /** Identifier of a contact's journal note (DocumentReference); value = the contactId. */
  contactNoteId: `${PHT_CANONICAL}/NamingSystem/contact-note-id`,
} as const;

export const COPAY_EXTENSIONS = {
  /**
   * Account: integer bumped on every write of the day's ledger. Servers may skip a new version for a
   * content-identical PUT (HAPI does), which would let two writers pass the same If-Match; the counter
   * makes every ledger write a real change (SPEC §6 concurrency).
   */
  ledgerRevision: `${PHT_CANONICAL}/StructureDefinition/copay-ledger-revision`,
  /**
   * Account: the nurse's answer to "Har pasienten allerede betalt egenandel i dag?" when the EPJ does not
   * expose GP charges (SPEC §6); true counts as a settled bearer that day.
   */
  paidElsewhere: `${PHT_CANONICAL}/StructureDefinition/copay-paid-elsewhere`,
} as const;

/** LOINC 34746-8 Nurse Note: the type of the contact's journal note (DocumentReference). */
export const NURSE_NOTE_LOINC = '34746-8';

// The per patient-day co-payment ledger (SPEC §6, "relies only on what a FHIR server guarantees"):
// one Account per patient and Oslo day, created by conditional create (If-None-Exist on its identifier)
// and rewritten, version-checked with If-Match, in the same transaction as every change to that day's
// charges. Two writers of the same day therefore conflict (412) instead of both charging.
import type { Account, Extension } from '@medplum/fhirtypes';
import { COPAY_EXTENSIONS, COPAY_SYSTEMS } from '../chargesSystems';
import { EXTENSIONS } from '../systems';
import { identifier, profileMeta, recordedByExtension, reference, withExtension, type UserReference } from './common';

/** `<patientId>:<osloDate>`; ':' rather than '|' so the token search `system|value` stays unambiguous. */
export function copayDayValue(patientId: string, day: string): string {
  return `${patientId}:${day}`;
}

export function buildCopayDayAccount(patientId: string, day: string, recordedBy: UserReference): Account {
  return {
    resourceType: 'Account',
    meta: profileMeta('pht-copay-day'),
    extension: [{ url: COPAY_EXTENSIONS.ledgerRevision, valueInteger: 0 }, recordedByExtension(recordedBy)],
    identifier: [identifier(COPAY_SYSTEMS.copayDay, copayDayValue(patientId, day))],
    status: 'active',
    name: `Egenandel ${day}`,
    subject: [reference('Patient', patientId)],
    // A date-only period covers the whole Oslo calendar day (SPEC §6: each Oslo day is decided alone).
    servicePeriod: { start: day, end: day },
    description: 'Én egenandel per dag for teamets tjenester (primærhelseteam).',
  };
}

export function ledgerRevision(account: Account): number {
  const value = account.extension?.find((e) => e.url === COPAY_EXTENSIONS.ledgerRevision)?.valueInteger;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

/** The recorded answer to "Har pasienten allerede betalt egenandel i dag?", if any. */
export function paidElsewhereAnswer(account: Account): boolean | undefined {
  const value = account.extension?.find((e) => e.url === COPAY_EXTENSIONS.paidElsewhere)?.valueBoolean;
  return typeof value === 'boolean' ? value : undefined;
}

/**
 * The ledger after one more write: revision + 1 (a real change on every write, see COPAY_EXTENSIONS),
 * the writer as recorded-by, and the nurse's answer when one is given.
 */
export function bumpedLedger(account: Account, recordedBy: UserReference, paidElsewhere?: boolean): Account {
  let extension: Extension[] = withExtension(account.extension, COPAY_EXTENSIONS.ledgerRevision, [
    { url: COPAY_EXTENSIONS.ledgerRevision, valueInteger: ledgerRevision(account) + 1 },
  ]);
  extension = withExtension(extension, EXTENSIONS.recordedBy, [recordedByExtension(recordedBy)]);
  if (paidElsewhere !== undefined) {
    extension = withExtension(extension, COPAY_EXTENSIONS.paidElsewhere, [{ url: COPAY_EXTENSIONS.paidElsewhere, valueBoolean: paidElsewhere }]);
  }
  return { ...account, meta: profileMeta('pht-copay-day', account.meta), extension };
}

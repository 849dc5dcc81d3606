// A team charge (SPEC §5, §6, §8: "charge = ChargeItem (egenandel and waiver reason as extensions)"),
// profile pht-team-charge (fhir-profiles/input/fsh/profiles.fsh): one ChargeItem per tariff line.
//
// - identifier SYSTEMS.chargeId = `<contactId>:<code>`: deterministic, so a retried save finds the same
//   charge with If-None-Exist and never duplicates it.
// - status: billable (registered), billed (claimed: settled), aborted (cancelled; the profile's choice;
//   entered-in-error is read as cancelled too).
// - egenandel (complex extension): `charged` = what the patient pays, `tariff` = the catalogue's egenandel
//   for the line; the waiver reason (Volven 7461 exemption, or SAME_DAY/CANCELLED of ours) whenever a
//   decision has a reason (invariant pht-charge-1: then `charged` is 0).
// - who/when: enterer + enteredDate (ChargeItem's own fields).
import type { Account, ChargeItem, Encounter, Extension, Reference } from '@medplum/fhirtypes';
import { copayReasonLabel, REASON_CANCELLED, REASON_SAME_DAY, type CopayDecision, type CopayOptions } from '../../domain/copay';
import type { PricedLine } from '../../domain/tariffs';
import { COPAY_SYSTEMS } from '../chargesSystems';
import { EXTENSIONS, SYSTEMS } from '../systems';
import { identifier, nok, practitionerOnly, profileMeta, reference, withExtension, type UserReference } from './common';

/** Volven 9060 health personnel category of the performer (SPEC §8). */
export type PerformerCategory = 'SP' | 'LE';

const CATEGORY_DISPLAY: Record<PerformerCategory, string> = { SP: 'Sykepleier', LE: 'Lege' };

export function chargeIdFor(contactId: string, code: string): string {
  return `${contactId}:${code}`;
}

/** The performer category a tariff's profession implies (nurse S-codes SP, GP codes LE). */
export function categoryForProfession(profession: PricedLine['profession']): PerformerCategory {
  return profession === 'gp' ? 'LE' : 'SP';
}

export interface TeamChargeInput {
  contactId: string;
  patientId: string;
  /** The contact (may be a urn:uuid placeholder inside a transaction). */
  encounter: Reference<Encounter>;
  /** The day's ledger Account. */
  account: Reference<Account>;
  line: PricedLine;
  practitionerId: string;
  /** When the service was given (ISO date-time). */
  occurrence: string;
  enterer: UserReference;
  enteredDate: string;
  decision: CopayDecision;
  /** Why the nurse changed the suggested codes (R4 ChargeItem.overrideReason is a string). */
  overrideReason?: string;
}

function isOwnReason(reason: string): boolean {
  return reason === REASON_SAME_DAY || reason === REASON_CANCELLED;
}

/** The waiver reason extension for a decision's reason, with the Norwegian label as display. */
export function waiverReasonExtension(reason: string, opts?: CopayOptions): Extension {
  const system = isOwnReason(reason) ? COPAY_SYSTEMS.copayReason : SYSTEMS.copayExemption;
  const label = copayReasonLabel(reason, opts);
  return { url: EXTENSIONS.egenandelWaiverReason, valueCodeableConcept: { coding: [{ system, code: reason, display: label }], text: label } };
}

export function egenandelExtension(charged: number, tariff: number | undefined): Extension {
  const parts: Extension[] = [{ url: 'charged', valueMoney: nok(charged) }];
  if (tariff !== undefined) parts.push({ url: 'tariff', valueMoney: nok(tariff) });
  return { url: EXTENSIONS.egenandel, extension: parts };
}

export function buildTeamCharge(input: TeamChargeInput, opts?: CopayOptions): ChargeItem {
  const { line, decision } = input;
  const category = categoryForProfession(line.profession);
  const extension = [egenandelExtension(decision.charged, line.egenandel)];
  if (decision.reason) extension.push(waiverReasonExtension(decision.reason, opts));
  return {
    resourceType: 'ChargeItem',
    meta: profileMeta('pht-team-charge'),
    extension,
    identifier: [identifier(SYSTEMS.chargeId, chargeIdFor(input.contactId, line.code))],
    status: 'billable',
    code: { coding: [{ system: SYSTEMS.tariff, code: line.code, display: line.text }] },
    subject: reference('Patient', input.patientId),
    context: input.encounter,
    occurrenceDateTime: input.occurrence,
    performer: [
      {
        function: { coding: [{ system: SYSTEMS.healthPersonnelCategory, code: category, display: CATEGORY_DISPLAY[category] }] },
        actor: reference('Practitioner', input.practitionerId),
      },
    ],
    enterer: input.enterer,
    enteredDate: input.enteredDate,
    quantity: { value: line.quantity },
    // The line's honorar (unit honorar x quantity) of the catalogue version used (profile: priceOverride
    // = honorar), so claims and refusjon never depend on a later catalogue.
    priceOverride: nok(line.honorar),
    ...(input.overrideReason ? { overrideReason: input.overrideReason } : {}),
    account: [input.account],
  };
}

/**
 * The charge with a new co-payment decision: `charged` replaced, `tariff` kept, waiver reason set or
 * removed; a cancellation also sets status aborted. Everything else (identifier, performer...) unchanged.
 */
export function withCopayDecision(item: ChargeItem, decision: CopayDecision, opts?: CopayOptions): ChargeItem {
  const old = item.extension?.find((e) => e.url === EXTENSIONS.egenandel);
  const tariff = old?.extension?.find((e) => e.url === 'tariff')?.valueMoney?.value ?? old?.valueMoney?.value;
  let extension = withExtension(item.extension, EXTENSIONS.egenandel, [egenandelExtension(decision.charged, tariff)]);
  extension = withExtension(extension, EXTENSIONS.egenandelWaiverReason, decision.reason ? [waiverReasonExtension(decision.reason, opts)] : []);
  const status = decision.reason === REASON_CANCELLED ? 'aborted' : item.status;
  return { ...item, meta: profileMeta('pht-team-charge', item.meta), extension, status };
}

/** A cancellation: status aborted with the CANCELLED decision, and a note (who, when, any refund owed). */
export function cancelledCharge(item: ChargeItem, by: UserReference, at: string, refundKr?: number): ChargeItem {
  const decision: CopayDecision = { id: '', charged: 0, waived: 0, reason: REASON_CANCELLED };
  const text = refundKr ? `Kansellert. Egenandel kr ${refundKr} skal betales tilbake til pasienten.` : 'Kansellert.';
  const author = practitionerOnly(by);
  const note = author ? { authorReference: author, time: at, text } : { time: at, text };
  return { ...withCopayDecision(item, decision), note: [...(item.note ?? []), note] };
}

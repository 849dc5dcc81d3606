// The ChargeItem written back to an EPJ that accepts them (the sandbox's full profile; SPEC §8: "charge =
// ChargeItem (egenandel and waiver reason as extensions)"), profile pht-team-charge, moved here from the
// browser's builder (src/fhir/builders/charge.ts). One per tariff line; identifier SYSTEMS.chargeId =
// `<contactId>:<code>`, so the write-back is idempotent (server/epj/writeBack.ts).
import type { ChargeItem, Extension, Money } from '@medplum/fhirtypes';
import { copayReasonLabel, REASON_CANCELLED, REASON_SAME_DAY, type CopayDecision } from '../../../src/domain/copay';
import type { PricedLine } from '../../../src/domain/tariffs';
import { EXTENSIONS, PHT_CANONICAL, SYSTEMS } from '../../../src/fhir/systems';

const WAIVER_REASON_SYSTEM = `${PHT_CANONICAL}/CodeSystem/egenandel-waiver-reason`;
const CATEGORY = { nurse: { code: 'SP', display: 'Sykepleier' }, gp: { code: 'LE', display: 'Lege' } } as const;

const nok = (kr: number): Money => ({ value: kr, currency: 'NOK' });

export interface TeamChargeItemInput {
  chargeId: string;
  patientId: string;
  line: PricedLine;
  /** Practitioner/<id>: performer and enterer. */
  performer: string;
  /** When the service was given (ISO). */
  occurrence: string;
  enteredDate: string;
  decision: CopayDecision;
  overrideReason?: string;
}

function waiverReasonExtension(reason: string): Extension {
  const own = reason === REASON_SAME_DAY || reason === REASON_CANCELLED;
  const label = copayReasonLabel(reason);
  return {
    url: EXTENSIONS.egenandelWaiverReason,
    valueCodeableConcept: { coding: [{ system: own ? WAIVER_REASON_SYSTEM : SYSTEMS.copayExemption, code: reason, display: label }], text: label },
  };
}

export function buildTeamChargeItem(input: TeamChargeItemInput): ChargeItem {
  const { line, decision } = input;
  const category = CATEGORY[line.profession];
  const extension: Extension[] = [
    { url: EXTENSIONS.egenandel, extension: [{ url: 'charged', valueMoney: nok(decision.charged) }, { url: 'tariff', valueMoney: nok(line.egenandel) }] },
  ];
  if (decision.reason) extension.push(waiverReasonExtension(decision.reason));
  return {
    resourceType: 'ChargeItem',
    meta: { profile: [`${PHT_CANONICAL}/StructureDefinition/pht-team-charge`] },
    extension,
    identifier: [{ system: SYSTEMS.chargeId, value: input.chargeId }],
    status: 'billable',
    code: { coding: [{ system: SYSTEMS.tariff, code: line.code, display: line.text }] },
    subject: { reference: `Patient/${input.patientId}` },
    occurrenceDateTime: input.occurrence,
    performer: [
      {
        function: { coding: [{ system: SYSTEMS.healthPersonnelCategory, code: category.code, display: category.display }] },
        actor: { reference: input.performer },
      },
    ],
    enterer: { reference: input.performer },
    enteredDate: input.enteredDate,
    quantity: { value: line.quantity },
    // The line's honorar of the catalogue version used, so claims never depend on a later catalogue.
    priceOverride: nok(line.honorar),
    ...(input.overrideReason ? { overrideReason: input.overrideReason } : {}),
  };
}

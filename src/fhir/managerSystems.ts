// URIs the practice-manager area needs beyond src/fhir/systems.ts (to be merged there by the lead; same
// canonical base). FSH for the extension is proposed in the manager report (fhir-profiles is not ours).
import { PHT_CANONICAL } from './systems';

export const MANAGER_EXTENSIONS = {
  /**
   * ChargeItem: the leader marked the charge as claimed (SPEC §7, model A claims control). Complex:
   * `at` (valueDateTime) and `by` (valueReference Practitioner). Set together with status `billed`;
   * kept when the charge is later cancelled (status aborted), so "cancelled after claim" stays visible.
   * [decision] An extension rather than enteredDate/enterer: those already say who registered the
   * charge and when, and must not be overwritten.
   */
  claimMarked: `${PHT_CANONICAL}/StructureDefinition/claim-marked`,
} as const;

export const MANAGER_SYSTEMS = {
  /**
   * Practitioner.qualification.code: an approved specialisation (spesialistgodkjenning, HPR). [decision]
   * Any current qualification coded in this system makes the member count as specialised for the
   * Table 2 indicator (SPEC §7). Volven 7426 is the HPR specialty list.
   */
  specialty: 'urn:oid:2.16.578.1.12.4.1.1.7426',
} as const;

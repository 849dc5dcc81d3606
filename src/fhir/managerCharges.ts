// ChargeItem (profile pht-team-charge) -> the manager's ChargeRecord (SPEC §5-§7). Builds on the
// co-payment area's tolerant reader (readTeamCharge in ./charges), so a charge means the same thing in
// both places; this file adds what the manager needs on top: performer role, quantity, honorar and
// refusjon, the documented contact (ChargeItem.context) and the claim mark.
//
// Read rules (malformed data gives an issue, never a throw):
// - performer role: the performer's active PractitionerRole (Volven 9060: SP nurse, LE gp, HE secretary);
//   else the charge's own performer.function; else 'unknown' (which an anomaly then reports for S-codes).
// - honorar: priceOverride (the line's honorar as charged); else the catalogue in force x quantity.
// - refusjon: SPEC §6 via refusjonAfterCopay: honorar - tariff egenandel; honorar when exempt; 0 cancelled.
// - claimed: the claim-marked extension's `at`; a `billed` charge without it (claimed outside the app)
//   counts as claimed at meta.lastUpdated, else enteredDate, else its service time.
import type { ChargeItem, Extension } from '@medplum/fhirtypes';
import { osloDate } from '../domain/calendar';
import { refusjonAfterCopay } from '../domain/copay';
import type { ChargeRecord, StaffRole } from '../domain/manager';
import { catalogueInForce, tariffInForce, type Catalogue } from '../domain/tariffs';
import { referencedId, reference, withExtension, type UserReference } from './builders/common';
import { readTeamCharge, storedDecision } from './charges';
import { tariffEgenandelLookup } from './chargesLedger';
import { MANAGER_EXTENSIONS } from './managerSystems';

export interface ManagerIssue {
  resourceType: string;
  id?: string;
  severity: 'error' | 'warning';
  /** Norwegian, shown to the leader. */
  message: string;
}

export interface ChargeReadContext {
  /** Practitioner id -> role from PractitionerRole (Volven 9060). */
  staffRoles: ReadonlyMap<string, StaffRole>;
  catalogues: readonly Catalogue[];
}

export interface ClaimMark {
  at: string;
  byId?: string;
}

const CATEGORY_ROLE: Readonly<Record<string, StaffRole>> = { SP: 'nurse', LE: 'gp', HE: 'secretary' };

/** Volven 9060 category -> staff role. */
export function roleForCategory(code: string | undefined): StaffRole | undefined {
  return code ? CATEGORY_ROLE[code.trim().toUpperCase()] : undefined;
}

function part(ext: Extension, url: string): Extension | undefined {
  return ext.extension?.find((e) => e.url === url);
}

/** The claim mark, when the charge carries a readable one. */
export function claimMarkOf(item: ChargeItem): ClaimMark | undefined {
  const ext = item.extension?.find((e) => e.url === MANAGER_EXTENSIONS.claimMarked);
  const at = ext ? part(ext, 'at')?.valueDateTime : undefined;
  if (!ext || !at) return undefined;
  const byId = referencedId(part(ext, 'by')?.valueReference, 'Practitioner');
  return byId ? { at, byId } : { at };
}

/** The charge marked as claimed: status billed plus the claim-marked extension (who and when). */
export function withClaimMark(item: ChargeItem, by: UserReference, at: string): ChargeItem {
  const byRef = referencedId(by, 'Practitioner');
  const parts: Extension[] = [{ url: 'at', valueDateTime: at }];
  if (byRef) parts.push({ url: 'by', valueReference: reference('Practitioner', byRef) });
  const extension = withExtension(item.extension, MANAGER_EXTENSIONS.claimMarked, [{ url: MANAGER_EXTENSIONS.claimMarked, extension: parts }]);
  return { ...item, status: 'billed', extension };
}

function quantityOf(item: ChargeItem, issue: (message: string) => void): number {
  const value = item.quantity?.value;
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    issue(`Ugyldig antall (${String(value)}); regnet som 1.`);
    return 1;
  }
  return value;
}

function catalogueHonorar(code: string, at: string, quantity: number, catalogues: readonly Catalogue[]): number | undefined {
  const day = osloDate(at);
  const catalogue = catalogueInForce(catalogues, day);
  const tariff = catalogue ? tariffInForce(catalogue, code, day) : undefined;
  return tariff ? tariff.honorar * quantity : undefined;
}

/** One ChargeItem as a ChargeRecord, or no record (with an error issue) when it cannot be counted. */
export function toChargeRecord(item: ChargeItem, ctx: ChargeReadContext): { record?: ChargeRecord; issues: ManagerIssue[] } {
  const issues: ManagerIssue[] = [];
  const where = { resourceType: 'ChargeItem', ...(item.id ? { id: item.id } : {}) };
  const issue = (severity: ManagerIssue['severity'], message: string) => issues.push({ ...where, severity, message });
  const read = readTeamCharge(item, { tariffEgenandel: tariffEgenandelLookup(ctx.catalogues) });
  for (const i of read.issues) issue(i.severity, i.message);
  const charge = read.charge;
  if (!charge) return { issues };
  if (!charge.code) return issue('error', 'Gebyret mangler takstkode og er ikke tatt med.'), { issues };
  if (!charge.patientId) return issue('error', 'Gebyret gjelder ingen pasient og er ikke tatt med.'), { issues };
  const quantity = quantityOf(item, (m) => issue('warning', m));
  let honorar = charge.honorar ?? catalogueHonorar(charge.code, charge.at, quantity, ctx.catalogues);
  if (honorar === undefined) {
    issue('warning', `Honorar mangler for takst ${charge.code} og finnes ikke i takstkatalogen; regnet som 0.`);
    honorar = 0;
  }
  const performerId = charge.performerId;
  if (!performerId) issue('warning', 'Gebyret mangler utfører (performer).');
  const performerRole = (performerId ? ctx.staffRoles.get(performerId) : undefined) ?? roleForCategory(charge.performerCategory) ?? 'unknown';
  const mark = claimMarkOf(item);
  const claimedAt = mark?.at ?? (item.status === 'billed' ? (item.meta?.lastUpdated ?? item.enteredDate ?? charge.at) : undefined);
  const contactId = referencedId(item.context, 'Encounter');
  const decision = storedDecision(charge);
  return {
    record: {
      id: charge.id,
      code: charge.code,
      at: charge.at,
      patientId: charge.patientId,
      performerId: performerId ?? '',
      performerRole,
      quantity,
      honorar,
      egenandelCharged: charge.cancelled ? 0 : charge.charged,
      refusjon: refusjonAfterCopay({ honorar, egenandel: charge.tariffEgenandel }, decision),
      ...(charge.waiverReason ? { waiverReason: charge.waiverReason } : {}),
      cancelled: charge.cancelled,
      ...(claimedAt ? { claimedAt } : {}),
      ...(contactId ? { contactId } : {}),
    },
    issues,
  };
}

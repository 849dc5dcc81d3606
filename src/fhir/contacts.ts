// Register a nurse contact with its charges (SPEC §5, §6): the Encounter, the journal note, one ChargeItem
// per tariff line, and the one-egenandel-a-day decisions for every charge of the patient that day, in
// ONE version-checked transaction on the day's ledger (see chargesLedger.ts). Idempotent: the contactId
// and the chargeIds derived from it are conditional-create keys, so saving the same contact again never
// duplicates anything.
import type { Bundle, BundleEntry, ChargeItem } from '@medplum/fhirtypes';
import { osloDate } from '../domain/calendar';
import { allocateCopayments, needsRefund, type CopayDecision, type CopayPatient, type DayCharge, type RefundNeed } from '../domain/copay';
import { catalogueInForce, defaultCatalogues, priceLines, type PricedLine, type TariffLine } from '../domain/tariffs';
import { buildTeamCharge, categoryForProfession, chargeIdFor, withCopayDecision } from './builders/charge';
import { ifMatchVersion, ifNoneExistIdentifier, newUuid } from './builders/common';
import { buildContactNote, buildNurseContact, type NurseContactFacts } from './builders/contact';
import { changedDecisions, decisionView, storedDecision, toDayCharge, type ChargeDecisionView, type ChargeIssue, type TeamCharge } from './charges';
import { COPAY_SYSTEMS } from './chargesSystems';
import type { FhirClient } from './client';
import { parseReference, can } from './session';
import { runDayLedger, type DayState, type LedgerOptions, type LedgerStats, type LedgerStep } from './chargesLedger';
import { SYSTEMS } from './systems';

export const PAID_ELSEWHERE_QUESTION = 'Har pasienten allerede betalt egenandel i dag?';

export interface RegisterContactInput extends NurseContactFacts {
  /** The codes billed, after the nurse's edits. */
  lines: TariffLine[];
  /** What suggestNurseTariffs proposed; a difference is recorded as overrideReason. */
  suggested?: TariffLine[];
  /** The nurse's words for changing the suggestion. */
  overrideReason?: string;
  /** A charge-level exemption of every line (Volven 7461, e.g. A: allmennfarlig smittsom sykdom). */
  exemptReason?: string;
  /** Journal note text. */
  note?: string;
  /** Birth date and day exemptions (frikort) of the patient. */
  patient: CopayPatient;
  /** The nurse's answer to PAID_ELSEWHERE_QUESTION, needed when the EPJ does not expose GP charges. */
  paidElsewhereToday?: boolean;
}

export type NoteOutcome = 'saved' | 'not-allowed' | 'none';

export interface RegisterContactSaved {
  status: 'saved';
  contactId: string;
  encounterId?: string;
  /** chargeIds written by this call (empty when the contact had been saved before). */
  created: string[];
  alreadySaved: boolean;
  /** Every charge of the patient that Oslo day, with its decision. */
  day: ChargeDecisionView[];
  /** The charge that carries the day's egenandel, if any. */
  bearer?: string;
  /** Settled charges that now charge less: refund the patient (SPEC §6). */
  refunds: RefundNeed[];
  note: NoteOutcome;
  /** Malformed charges read, and charges of the EPJ the rule would change but the app does not touch. */
  issues: ChargeIssue[];
  stats: LedgerStats;
}

export interface RegisterContactNeedsAnswer {
  status: 'needs-answer';
  question: string;
  stats: LedgerStats;
}

export type RegisterContactResult = RegisterContactSaved | RegisterContactNeedsAnswer;

/** A stand-in settled bearer for the nurse's "yes, already paid today" (never written, never shown). */
const PAID_ELSEWHERE_ID = '~paid-elsewhere';

function mergeLines(lines: readonly TariffLine[]): TariffLine[] {
  const byCode = new Map<string, number>();
  for (const l of lines) byCode.set(l.code, (byCode.get(l.code) ?? 0) + l.quantity);
  return [...byCode].map(([code, quantity]) => ({ code, quantity }));
}

function describeLines(lines: readonly TariffLine[]): string {
  return lines.map((l) => (l.quantity === 1 ? l.code : `${l.code} x${l.quantity}`)).join(', ') || 'ingen';
}

/** overrideReason when the billed codes differ from the suggestion: what changed, plus the nurse's words. */
export function overrideReasonFor(input: Pick<RegisterContactInput, 'lines' | 'suggested' | 'overrideReason'>): string | undefined {
  if (!input.suggested) return input.overrideReason;
  const a = describeLines(mergeLines(input.suggested).sort((x, y) => x.code.localeCompare(y.code)));
  const b = describeLines(mergeLines(input.lines).sort((x, y) => x.code.localeCompare(y.code)));
  if (a === b) return input.overrideReason;
  const change = `Foreslått ${a}; valgt ${b}.`;
  return input.overrideReason ? `${change} ${input.overrideReason}` : change;
}

function newTeamCharge(input: RegisterContactInput, line: PricedLine): TeamCharge {
  return {
    id: chargeIdFor(input.contactId, line.code),
    ours: true,
    contactId: input.contactId,
    code: line.code,
    performerCategory: categoryForProfession(line.profession),
    performerId: input.practitionerId,
    patientId: input.patientId,
    at: input.start,
    status: 'billable',
    cancelled: false,
    settled: false,
    tariffEgenandel: line.egenandel,
    charged: 0,
    honorar: line.honorar,
  };
}

function dayCharges(state: DayState, added: readonly DayCharge[], paidElsewhere: boolean | undefined): DayCharge[] {
  const all = [...state.charges.map(toDayCharge), ...added];
  if (paidElsewhere) all.push({ id: PAID_ELSEWHERE_ID, at: `${state.day}T00:00:00`, egenandel: 1, settled: true });
  return all;
}

/** PUTs of our charges whose decision changed; the EPJ's own charges are reported, never rewritten. */
export function rewriteEntries(state: DayState, decisions: readonly CopayDecision[], issues: ChargeIssue[], copay?: LedgerOptions['copay']): BundleEntry[] {
  const entries: BundleEntry[] = [];
  for (const change of changedDecisions(state.charges, decisions)) {
    const item = state.items.get(change.charge.id);
    if (!change.charge.ours) {
      issues.push({
        resourceId: change.charge.resourceId,
        chargeId: change.charge.id,
        severity: 'warning',
        message: 'Journalsystemets eget gebyr ville fått en annen egenandel; det endres ikke av appen. Kontroller dagens egenandeler.',
      });
      continue;
    }
    if (!item?.id || !item.meta?.versionId) continue;
    entries.push({
      resource: withCopayDecision(item, change.after, copay),
      request: { method: 'PUT', url: `ChargeItem/${item.id}`, ifMatch: ifMatchVersion(item.meta.versionId) },
    });
  }
  return entries;
}

export function dayViews(charges: readonly TeamCharge[], decisions: readonly CopayDecision[], copay?: LedgerOptions['copay']): ChargeDecisionView[] {
  const byId = new Map(charges.map((c) => [c.id, c]));
  return decisions.filter((d) => d.id !== PAID_ELSEWHERE_ID).map((d) => decisionView(d, byId.get(d.id), copay));
}

function encounterIdFrom(response: Bundle, index: number): string | undefined {
  const entry = response.entry?.[index];
  return entry?.resource?.id ?? parseReference(entry?.response?.location)?.id;
}

export async function registerContact(client: FhirClient, input: RegisterContactInput, opts: LedgerOptions = {}): Promise<RegisterContactResult> {
  const day = osloDate(input.start);
  const catalogue = catalogueInForce(opts.catalogues ?? defaultCatalogues, day);
  if (!catalogue) throw new RangeError(`Ingen takstkatalog gjelder ${day}`);
  const priced = priceLines(mergeLines(input.lines), catalogue, day).lines;
  const overrideReason = overrideReasonFor(input);
  const noteAllowed = can(client.session, 'DocumentReference', 'c');
  const encounterUrn = `urn:uuid:${newUuid()}`;

  const plan = (state: DayState): LedgerStep<RegisterContactResult> => {
    const issues = [...state.issues];
    const known = new Set(state.charges.map((c) => c.id));
    const fresh = priced.filter((l) => !known.has(chargeIdFor(input.contactId, l.code)));
    const freshCharges = fresh.map((l) => newTeamCharge(input, l));
    const paidElsewhere = input.paidElsewhereToday ?? (state.paidElsewhere === true ? true : undefined);
    // Only a new charge needs the answer; a resend of a saved contact does not ask again.
    if (fresh.length > 0 && !state.gpChargesVisible && paidElsewhere === undefined) {
      return { done: { status: 'needs-answer', question: PAID_ELSEWHERE_QUESTION, stats: emptyStats() } };
    }
    const added = freshCharges.map((c): DayCharge => ({ ...toDayCharge(c), ...(input.exemptReason ? { exemptReason: input.exemptReason } : {}) }));
    const all = dayCharges(state, added, paidElsewhere);
    const decisions = allocateCopayments(all, input.patient, opts.copay);
    const byId = new Map(decisions.map((d) => [d.id, d]));
    const rewrites = rewriteEntries(state, decisions, issues, opts.copay);
    const everything = [...state.charges, ...freshCharges];
    const refunds = needsRefund(state.charges.map(storedDecision), decisions, state.charges.map(toDayCharge));
    const bearer = decisions.find((d) => d.charged > 0 && d.id !== PAID_ELSEWHERE_ID)?.id;
    const own = state.charges.filter((c) => c.contactId === input.contactId);
    const saved = (encounterId: string | undefined, created: string[]): RegisterContactSaved => ({
      status: 'saved',
      contactId: input.contactId,
      encounterId,
      created,
      alreadySaved: created.length === 0 && own.length > 0,
      day: dayViews(everything, decisions, opts.copay),
      bearer,
      refunds,
      note: input.note ? (noteAllowed ? 'saved' : 'not-allowed') : 'none',
      issues,
      stats: emptyStats(),
    });
    if (fresh.length === 0 && rewrites.length === 0 && (priced.length > 0 || own.length > 0)) {
      return { done: saved(own[0] ? encounterOf(state, own[0]) : undefined, []) };
    }
    const encounter = buildNurseContact(input, state.user);
    const entries: BundleEntry[] = [
      {
        fullUrl: encounterUrn,
        resource: encounter,
        request: { method: 'POST', url: 'Encounter', ifNoneExist: ifNoneExistIdentifier(SYSTEMS.contactId, input.contactId) },
      },
    ];
    if (input.note && noteAllowed) {
      entries.push({
        resource: buildContactNote(input, input.note, { reference: encounterUrn }, state.user, state.now),
        request: { method: 'POST', url: 'DocumentReference', ifNoneExist: ifNoneExistIdentifier(COPAY_SYSTEMS.contactNoteId, input.contactId) },
      });
    }
    for (const line of fresh) {
      const chargeId = chargeIdFor(input.contactId, line.code);
      const item: ChargeItem = buildTeamCharge(
        {
          contactId: input.contactId,
          patientId: input.patientId,
          encounter: { reference: encounterUrn },
          account: { reference: `Account/${state.accountId}` },
          line,
          practitionerId: input.practitionerId,
          occurrence: input.start,
          enterer: state.user,
          enteredDate: state.now,
          decision: byId.get(chargeId) ?? { id: chargeId, charged: 0, waived: 0 },
          overrideReason,
        },
        opts.copay,
      );
      entries.push({ resource: item, request: { method: 'POST', url: 'ChargeItem', ifNoneExist: ifNoneExistIdentifier(SYSTEMS.chargeId, chargeId) } });
    }
    entries.push(...rewrites);
    return {
      entries,
      ...(input.paidElsewhereToday === undefined ? {} : { paidElsewhere: input.paidElsewhereToday }),
      // Entry 0 is the Account; 1 the Encounter.
      result: (response) => saved(encounterIdFrom(response, 1), fresh.map((l) => chargeIdFor(input.contactId, l.code))),
    };
  };

  const { value, stats } = await runDayLedger(client, { patientId: input.patientId, day }, plan, opts);
  return { ...value, stats };
}

function encounterOf(state: DayState, charge: TeamCharge): string | undefined {
  return parseReference(state.items.get(charge.id)?.context?.reference)?.id;
}

function emptyStats(): LedgerStats {
  return { attempts: 0, conflicts: 0, transientRetries: 0, reads: 0, ms: 0 };
}

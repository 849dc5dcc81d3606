// Cancel a team charge (SPEC §6): status aborted, CANCELLED, and the day decided again in the same
// version-checked transaction, so the next in line becomes the bearer; a settled charge that charged an
// egenandel is flagged for refund (needsRefund) and the refund is noted on the charge.
import { osloDate } from '../domain/calendar';
import { mayCancelCharge } from '../domain/chargeCancel';
import { parseReference } from './session';
import { allocateCopayments, needsRefund, type CopayPatient, type RefundNeed } from '../domain/copay';
import { cancelledCharge } from './builders/charge';
import { ifMatchVersion } from './builders/common';
import { readTeamCharge, storedDecision, toDayCharge, type ChargeDecisionView, type ChargeIssue } from './charges';
import { runDayLedger, tariffEgenandelLookup, type DayState, type LedgerOptions, type LedgerStats, type LedgerStep } from './chargesLedger';
import type { FhirClient } from './client';
import { dayViews, rewriteEntries } from './contacts';
import { FhirError } from './errors';
import { defaultCatalogues } from '../domain/tariffs';
import { SYSTEMS } from './systems';

export interface CancelChargeInput {
  /** Our chargeId (`<contactId>:<code>`). */
  chargeId: string;
  patient: CopayPatient;
  /** The signed-in user is the daglig leder (may cancel anyone's charge). */
  practiceManager?: boolean;
}

export interface CancelChargeResult {
  chargeId: string;
  /** false when it was already cancelled (a resend). */
  cancelled: boolean;
  day: ChargeDecisionView[];
  bearer?: string;
  refunds: RefundNeed[];
  issues: ChargeIssue[];
  stats: LedgerStats;
}

async function findCharge(client: FhirClient, chargeId: string, opts: LedgerOptions) {
  const found = await client.searchAll('ChargeItem', { identifier: `${SYSTEMS.chargeId}|${chargeId}` });
  const item = found[0];
  if (!item) throw new FhirError({ kind: 'not-found', userMessage: 'Fant ikke gebyret som skal kanselleres.' });
  const { charge } = readTeamCharge(item, { tariffEgenandel: tariffEgenandelLookup(opts.catalogues ?? defaultCatalogues) });
  if (!charge?.patientId) throw new FhirError({ kind: 'invalid', userMessage: 'Gebyret mangler pasient eller tidspunkt og kan ikke kanselleres av appen.' });
  return charge;
}

export async function cancelCharge(client: FhirClient, input: CancelChargeInput, opts: LedgerOptions = {}): Promise<CancelChargeResult> {
  const target = await findCharge(client, input.chargeId, opts);
  // Issue 17 item 10: only the one who registered the charge, or the daglig leder, may cancel it.
  const me = parseReference(client.session.fhirUser);
  const user = { practitionerId: me?.resourceType === 'Practitioner' ? me.id : '', practiceManager: input.practiceManager === true };
  if (!mayCancelCharge(target, user)) {
    throw new FhirError({ kind: 'forbidden', userMessage: 'Bare den som registrerte gebyret, eller daglig leder, kan kansellere det.' });
  }
  const patientId = target.patientId ?? '';
  const day = osloDate(target.at);

  const plan = (state: DayState): LedgerStep<CancelChargeResult> => {
    const issues = [...state.issues];
    const current = state.charges.find((c) => c.id === input.chargeId);
    const item = state.items.get(input.chargeId);
    if (!current || !item?.id || !item.meta?.versionId) {
      throw new FhirError({ kind: 'not-found', userMessage: 'Fant ikke gebyret blant dagens gebyrer.' });
    }
    const before = state.charges.map(toDayCharge);
    const after = state.charges.map((c) => (c.id === input.chargeId ? { ...toDayCharge(c), cancelled: true } : toDayCharge(c)));
    const decisions = allocateCopayments(after, input.patient, opts.copay);
    // `before` keeps the target's settled flag: a settled bearer cancelled owes the patient a refund.
    const refunds = needsRefund(state.charges.map(storedDecision), decisions, before);
    const result = (cancelled: boolean): CancelChargeResult => ({
      chargeId: input.chargeId,
      cancelled,
      day: dayViews(state.charges.map((c) => (c.id === input.chargeId ? { ...c, cancelled: true, settled: false } : c)), decisions, opts.copay),
      bearer: decisions.find((d) => d.charged > 0)?.id,
      refunds,
      issues,
      stats: { attempts: 0, conflicts: 0, transientRetries: 0, reads: 0, ms: 0 },
    });
    if (current.cancelled) return { done: result(false) };
    const refund = refunds.find((r) => r.id === input.chargeId)?.amount;
    const others = rewriteEntries({ ...state, charges: state.charges.filter((c) => c.id !== input.chargeId) }, decisions, issues, opts.copay);
    return {
      entries: [
        {
          resource: cancelledCharge(item, state.user, state.now, refund),
          request: { method: 'PUT', url: `ChargeItem/${item.id}`, ifMatch: ifMatchVersion(item.meta.versionId) },
        },
        ...others,
      ],
      result: () => result(true),
    };
  };

  const { value, stats } = await runDayLedger(client, { patientId, day }, plan, opts);
  return { ...value, stats };
}

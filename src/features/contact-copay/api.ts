// Contacts, charges and claims from the app server (issue 15): /api/contact-copay through TanStack Query.
// Registering a contact, today's charges of a patient, cancelling a charge, and the daglig leder's charges
// and claims batches. The server decides the co-payment (SPEC §6); the browser only shows it.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CopayExemption } from '../../domain/copay';
import type { ContactCount } from '../../domain/financing/evaluationSources';
import type { ChargeRecord, Period } from '../../domain/manager';
import type { CancelAnswer as CancelResult, ClaimBatchView as ClaimBatch, ContactInput as ContactBody, DayView, MarkClaimedAnswer as MarkClaimedResult } from '../../domain/contactCopayViews';
import { ApiError, apiFetch, type ApiContext } from '../../platform/api';

// The shapes the server sends and takes: src/domain/contactCopayViews.ts (shared with server/features/contact-copay).
export type { ChargeView, ContactChannel, DayView, JournalState } from '../../domain/contactCopayViews';
export type { CancelResult, ClaimBatch, ContactBody, MarkClaimedResult };

export interface ContactSaved {
  status: 'saved';
  contactId: string;
  created: string[];
  alreadySaved: boolean;
  day: DayView;
  /** Not written by this version (the contact is the app's own row); kept for callers that record it. */
  encounterId?: string;
}

export type RegisterOutcome = ContactSaved | { status: 'needs-answer'; question: string };

const base = '/api/contact-copay';

export const dayQuery = (ctx: ApiContext, patientId: string, day: string) =>
  queryOptions({
    queryKey: ['contact-copay', 'day', ctx.handle ?? '', patientId, day],
    queryFn: ({ signal }) => apiFetch<DayView>(ctx, `${base}/patients/${encodeURIComponent(patientId)}/days/${day}`, { signal }),
    staleTime: 15_000,
  });

/**
 * The patient's co-payment facts as the app server read them from the EPJ (birth date, frikort and other day
 * exemptions). `exemptionsKnown: false`: the EPJ does not give them (`unknownReason`), so the user decides.
 */
export interface CopayFacts {
  birthDate?: string;
  exemptions: CopayExemption[];
  exemptionsKnown: boolean;
  unknownReason?: 'not-available' | 'refused';
}

export const copayFactsQuery = (ctx: ApiContext, patientId: string) =>
  queryOptions({
    queryKey: ['contact-copay', 'copay-facts', ctx.handle ?? '', patientId],
    queryFn: ({ signal }) => apiFetch<CopayFacts>(ctx, `${base}/patients/${encodeURIComponent(patientId)}/copay-facts`, { signal }),
    staleTime: 60_000,
  });

/** Today's charges of the patient (the todays-charges panel). */
export function useDayCharges(ctx: ApiContext, patientId: string | undefined, day: string) {
  return useQuery({ ...dayQuery(ctx, patientId ?? '', day), enabled: Boolean(patientId) && /^\d{4}-\d{2}-\d{2}$/.test(day) });
}

/**
 * Registers a contact. A dropped connection or 503 is sent again with the same body (same id: the server
 * never saves it twice); the paid-elsewhere question comes back as `needs-answer`.
 */
export async function registerContact(ctx: ApiContext, body: ContactBody, attempts = 3): Promise<RegisterOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      const saved = await apiFetch<Omit<ContactSaved, 'status'>>(ctx, `${base}/contacts`, { method: 'POST', body });
      return { status: 'saved', ...saved };
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && error.body.needsAnswer === true) return { status: 'needs-answer', question: error.message };
      const transient = error instanceof ApiError && (error.status === 0 || error.status === 503);
      if (!transient || attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 300 * attempt));
    }
  }
}

export function cancelCharge(ctx: ApiContext, chargeId: string, reason?: string): Promise<CancelResult> {
  return apiFetch<CancelResult>(ctx, `${base}/charges/${encodeURIComponent(chargeId)}/cancel`, { method: 'POST', body: reason ? { reason } : {} });
}

/** Cancels a charge and puts the day the server returns in the cache. */
export function useCancelCharge(ctx: ApiContext) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ chargeId, reason }: { chargeId: string; reason?: string }) => cancelCharge(ctx, chargeId, reason),
    onSuccess: (result) => queryClient.setQueryData(dayQuery(ctx, result.day.patientId, result.day.day).queryKey, result.day),
  });
}

/** After a save: the day the server returned, in the cache. */
export function useRememberDay(ctx: ApiContext) {
  const queryClient = useQueryClient();
  return (day: DayView) => queryClient.setQueryData(dayQuery(ctx, day.patientId, day.day).queryKey, day);
}

// ---- The daglig leder ----

export const managerChargesQuery = (ctx: ApiContext, period: Period) =>
  queryOptions({
    queryKey: ['contact-copay', 'manager-charges', ctx.handle ?? '', period.from, period.to],
    queryFn: ({ signal }) => apiFetch<{ charges: ChargeRecord[] }>(ctx, `${base}/manager/charges?from=${period.from}&to=${period.to}`, { signal }).then((r) => r.charges),
  });

/** The practice's charges in the period (code usage, anomalies, claims). */
export function useManagerCharges(ctx: ApiContext, period: Period, enabled = true) {
  return useQuery({ ...managerChargesQuery(ctx, period), enabled });
}

const batchesQuery = (ctx: ApiContext) =>
  queryOptions({
    queryKey: ['contact-copay', 'claim-batches', ctx.handle ?? ''],
    queryFn: ({ signal }) => apiFetch<{ batches: ClaimBatch[] }>(ctx, `${base}/manager/claims`, { signal }).then((r) => r.batches),
  });

export function useClaimBatches(ctx: ApiContext, enabled = true) {
  return useQuery({ ...batchesQuery(ctx), enabled });
}

/** Marks charges as claimed in one batch (the batch id makes a resend the same batch). */
export function useMarkClaimed(ctx: ApiContext) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { batchId: string; chargeIds: string[]; period: Period }) =>
      apiFetch<MarkClaimedResult>(ctx, `${base}/manager/claims`, { method: 'POST', body: { batchId: input.batchId, chargeIds: input.chargeIds, period: { from: input.period.from, to: input.period.to } } }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['contact-copay'] }),
  });
}

/** Undoes the last claims batch. */
export function useUndoClaims(ctx: ApiContext) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (batchId: string) => apiFetch<{ batch: ClaimBatch }>(ctx, `${base}/manager/claims/${batchId}/undo`, { method: 'POST', body: {} }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['contact-copay'] }),
  });
}

/** Contacts in the period per profession and channel, counts only (the evaluation export). */
export function useManagerContacts(ctx: ApiContext, period: Period, enabled = true) {
  return useQuery({
    queryKey: ['contact-copay', 'manager-contacts', ctx.handle ?? '', period.from, period.to],
    queryFn: ({ signal }) => apiFetch<{ contacts: ContactCount[] }>(ctx, `${base}/manager/contacts?from=${period.from}&to=${period.to}`, { signal }).then((r) => r.contacts),
    enabled,
  });
}

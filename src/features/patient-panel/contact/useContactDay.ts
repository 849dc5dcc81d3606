// The patient's co-payment facts and the service day's team charges, loaded together and reloaded after
// a save or a cancel (SPEC §6). A newer load aborts an older one (createResourceStore).
import { useCallback, useEffect, useState } from 'react';
import type { FhirClient } from '../../../fhir/client';
import { loadCopayPatient, loadTodaysCharges, withPatientExemption, type CopayPatientRead, type TodaysCharges } from '../../../fhir/todaysCharges';
import { describeError, type ErrorText } from '../../../fhir/errors';
import { createResourceStore } from '../../../state/createResourceStore';

export interface ContactDay {
  copay: CopayPatientRead;
  today: TodaysCharges;
}

export interface ContactDayState {
  data: ContactDay | undefined;
  loading: boolean;
  error: ErrorText | undefined;
  reload: () => void;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

// Coverage (frikort) and the day's charges are independent reads: fetched in parallel, then the
// patient's exemption is applied. The patient panel prefetches this at mount (prefetchContactDay), so
// the contact form below a follow-up finds its data in flight instead of starting a third round-trip.
const inFlight = new Map<string, { at: number; promise: Promise<ContactDay> }>();
const PREFETCH_FRESH_MS = 10_000;

async function fetchContactDay(client: FhirClient, patientId: string, birthDate: string | undefined, day: string, signal?: AbortSignal): Promise<ContactDay> {
  const opts = signal ? { signal } : {};
  const [copay, today] = await Promise.all([
    loadCopayPatient(client, patientId, birthDate, opts),
    loadTodaysCharges(client, { patientId, day, patient: birthDate ? { birthDate } : {} }, opts),
  ]);
  return { copay, today: withPatientExemption(today, copay.patient) };
}

/** Starts loading the contact form's data for today before the form is shown (no signal: shared). */
export function prefetchContactDay(client: FhirClient, patientId: string, birthDate: string | undefined, day: string): void {
  const key = `${patientId}|${day}`;
  const pending = inFlight.get(key);
  if (pending && Date.now() - pending.at < PREFETCH_FRESH_MS) return; // already on its way (a re-render)
  const promise = fetchContactDay(client, patientId, birthDate, day);
  promise.catch(() => inFlight.delete(key));
  inFlight.set(key, { at: Date.now(), promise });
}

function loadContactDay(client: FhirClient, patientId: string, birthDate: string | undefined, day: string, signal: AbortSignal): Promise<ContactDay> {
  const key = `${patientId}|${day}`;
  const hit = inFlight.get(key);
  inFlight.delete(key); // used once: a reload after a save reads fresh data
  if (hit && Date.now() - hit.at < PREFETCH_FRESH_MS) return hit.promise;
  return fetchContactDay(client, patientId, birthDate, day, signal);
}

export function useContactDay(client: FhirClient, patientId: string | undefined, birthDate: string | undefined, day: string): ContactDayState {
  const [store] = useState(() => createResourceStore<ContactDay>());
  const status = store((s) => s.status);
  const data = store((s) => s.data);
  const error = store((s) => s.error);
  const reload = useCallback(() => {
    if (!patientId || !DAY.test(day)) return;
    void store.getState().load(async (signal) => {
      const { copay, today } = await loadContactDay(client, patientId, birthDate, day, signal);
      return { copay, today };
    });
  }, [store, client, patientId, birthDate, day]);
  useEffect(() => {
    reload();
  }, [reload]);
  return { data, loading: status === 'loading', error: status === 'error' && error ? describeError(error) : undefined, reload };
}

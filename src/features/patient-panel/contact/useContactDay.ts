// The patient's co-payment facts (Coverage from the EPJ) and the service day's team charges (from the app
// server, TanStack Query), together; a save or a cancel puts the day the server returns in the cache.
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { FhirClient } from '../../../fhir/client';
import type { ErrorText } from '../../../fhir/errors';
import type { ApiContext } from '../../../platform/api';
import { dayQuery, useDayCharges } from '../../contact-copay/api';
import { todaysCharges, type TodaysCharges } from '../../contact-copay/model';
import { errorText } from '../../../state/contactStore';
import { loadCopayPatient, type CopayPatientRead } from './copayPatient';

export interface ContactDay {
  copay: CopayPatientRead;
  today: TodaysCharges;
}

export interface ContactDayState {
  data: { copay?: CopayPatientRead; today?: TodaysCharges } | undefined;
  loading: boolean;
  error: ErrorText | undefined;
  reload: () => void;
}

/** Where the patient's co-payment facts (Coverage from the EPJ) are cached; the patient panel's one answer may have brought them. */
export const coverageKey = (patientId: string, birthDate: string | undefined) => ['copay-patient', patientId, birthDate ?? ''];

const coverageQuery = (client: FhirClient, patientId: string, birthDate: string | undefined) => ({
  queryKey: coverageKey(patientId, birthDate),
  queryFn: ({ signal }: { signal: AbortSignal }) => loadCopayPatient(client, patientId, birthDate, { signal }),
  staleTime: 60_000,
});

/** Starts the contact form's reads (Coverage from the EPJ, the day's charges from the app server) before it shows. */
export function prefetchContactDay(queryClient: QueryClient, api: ApiContext, client: FhirClient, patientId: string, birthDate: string | undefined, day: string): void {
  void queryClient.prefetchQuery(coverageQuery(client, patientId, birthDate));
  void queryClient.prefetchQuery(dayQuery(api, patientId, day));
}

export function useContactDay(api: ApiContext, client: FhirClient, patientId: string | undefined, birthDate: string | undefined, day: string): ContactDayState {
  const coverage = useQuery({ ...coverageQuery(client, patientId ?? '', birthDate), enabled: Boolean(patientId) });
  const charges = useDayCharges(api, patientId, day);
  const copay = coverage.data;
  const today = useMemo(() => (charges.data && copay ? todaysCharges(charges.data, copay.patient) : undefined), [charges.data, copay]);
  const error = coverage.error ?? charges.error;
  return {
    data: copay || today ? { ...(copay ? { copay } : {}), ...(today ? { today } : {}) } : undefined,
    loading: coverage.isFetching || charges.isFetching,
    error: error ? errorText(error) : undefined,
    reload: () => {
      void coverage.refetch();
      void charges.refetch();
    },
  };
}

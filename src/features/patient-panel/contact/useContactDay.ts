// The patient's co-payment facts (read from the EPJ by the app server) and the service day's team charges
// (from the app server), together, through TanStack Query; a save or a cancel puts the day the server
// returns in the cache. When the EPJ does not give the exemptions (no Coverage), the user says whether the
// patient has frikort today (`manualFrikort`), and that is what the server decides with.
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { ErrorText } from '../../../fhir/errors';
import type { ApiContext } from '../../../platform/api';
import { copayFactsQuery, dayQuery, useDayCharges } from '../../contact-copay/api';
import { copayPatientOf, todaysCharges, type CopayPatientRead, type TodaysCharges } from '../../contact-copay/model';

export { copayPatientOf, type CopayPatientRead };
import { errorText } from '../../../state/contactStore';

export interface ContactDayState {
  data: { copay?: CopayPatientRead; today?: TodaysCharges } | undefined;
  loading: boolean;
  error: ErrorText | undefined;
  reload: () => void;
}

/** Starts the contact form's reads (co-payment facts and the day's charges, both from the app server) before it shows. */
export function prefetchContactDay(queryClient: QueryClient, api: ApiContext, patientId: string, day: string): void {
  void queryClient.prefetchQuery(copayFactsQuery(api, patientId));
  void queryClient.prefetchQuery(dayQuery(api, patientId, day));
}

export function useContactDay(api: ApiContext, patientId: string | undefined, day: string, manualFrikort = false): ContactDayState {
  const facts = useQuery({ ...copayFactsQuery(api, patientId ?? ''), enabled: Boolean(patientId) });
  const charges = useDayCharges(api, patientId, day);
  const copay = useMemo(() => (facts.data ? copayPatientOf(facts.data, day, manualFrikort) : undefined), [facts.data, day, manualFrikort]);
  const today = useMemo(() => (charges.data && copay ? todaysCharges(charges.data, copay.patient) : undefined), [charges.data, copay]);
  const error = facts.error ?? charges.error;
  return {
    data: copay || today ? { ...(copay ? { copay } : {}), ...(today ? { today } : {}) } : undefined,
    loading: facts.isFetching || charges.isFetching,
    error: error ? errorText(error) : undefined,
    reload: () => {
      void facts.refetch();
      void charges.refetch();
    },
  };
}

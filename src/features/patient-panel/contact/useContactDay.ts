// The patient's co-payment facts and the service day's team charges, loaded together and reloaded after
// a save or a cancel (SPEC §6). A newer load aborts an older one (createResourceStore).
import { useCallback, useEffect, useState } from 'react';
import type { FhirClient } from '../../../fhir/client';
import { loadCopayPatient, loadTodaysCharges, type CopayPatientRead, type TodaysCharges } from '../../../fhir/todaysCharges';
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

export function useContactDay(client: FhirClient, patientId: string | undefined, birthDate: string | undefined, day: string): ContactDayState {
  const [store] = useState(() => createResourceStore<ContactDay>());
  const status = store((s) => s.status);
  const data = store((s) => s.data);
  const error = store((s) => s.error);
  const reload = useCallback(() => {
    if (!patientId || !DAY.test(day)) return;
    void store.getState().load(async (signal) => {
      const copay = await loadCopayPatient(client, patientId, birthDate, { signal });
      const today = await loadTodaysCharges(client, { patientId, day, patient: copay.patient }, { signal });
      return { copay, today };
    });
  }, [store, client, patientId, birthDate, day]);
  useEffect(() => {
    reload();
  }, [reload]);
  return { data, loading: status === 'loading', error: status === 'error' && error ? describeError(error) : undefined, reload };
}

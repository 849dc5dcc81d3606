// Opening a patient from a list (worklist, list overview, outreach): the last click wins (issue 12
// item 6). A nurse who opens row X and then row Y must end on Y even when X's read answers last, or a
// contact could be registered on the wrong patient: every open aborts the earlier ones (latestLoad), and
// an earlier read that still answers is dropped.
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import type { OperationOutcome } from '@medplum/fhirtypes';
import type { FhirClient } from '../fhir/client';
import { assertBelongsToPatient } from '../fhir/patientGuard';
import { toPatientSummary, type PatientSummary } from '../fhir/sessionContext';
import { latestLoad } from './latestLoad';
import type { LoadStatus } from './status';

export interface OpenedPatient<C> {
  patient: PatientSummary;
  context: C | undefined;
}

export interface PatientOpenerState<C> {
  status: LoadStatus;
  opened: OpenedPatient<C> | undefined;
  error: Error | undefined;
  outcome: OperationOutcome | undefined;
  /** Reads the patient and opens it, unless another open or a close came after this one. */
  open: (patientId: string, context?: C) => Promise<void>;
  /** Closes the opened patient and drops any open still on its way. */
  close: () => Promise<void>;
}

export function createPatientOpener<C>(client: FhirClient): UseBoundStore<StoreApi<PatientOpenerState<C>>> {
  return create<PatientOpenerState<C>>()((set) => {
    const loader = latestLoad<OpenedPatient<C> | undefined>(set);
    return {
      status: 'idle',
      opened: undefined,
      error: undefined,
      outcome: undefined,
      open(patientId, context) {
        return loader.load(
          async (signal) => {
            const patient = await client.read('Patient', patientId, { signal });
            return { patient: toPatientSummary(assertBelongsToPatient(patient, patientId)), context };
          },
          (opened) => set({ status: 'ready', opened }),
        );
      },
      // A close is the newest "open" of nothing: it aborts what is on its way the same way.
      close() {
        return loader.load(
          () => Promise.resolve(undefined),
          () => set({ status: 'idle', opened: undefined }),
        );
      },
    };
  });
}

// The list overview's scan (issue "Target groups" point 6): one scan at a time, with progress and cancel.
import { create } from 'zustand';
import type { OperationOutcome } from '@medplum/fhirtypes';
import type { FhirClient } from '../fhir/client';
import { isFhirError } from '../fhir/errors';
import { scanPopulation, type ScanOptions, type ScanProgress, type ScanResult, type ScanScope } from '../fhir/population';
import { outcomeOf, type LoadStatus } from './status';

export interface PopulationState {
  status: LoadStatus;
  progress: ScanProgress | undefined;
  result: ScanResult | undefined;
  /** True when the last scan was cancelled by the user (the previous result is kept). */
  cancelled: boolean;
  error: Error | undefined;
  outcome: OperationOutcome | undefined;
  scan: (client: FhirClient, scope: ScanScope, opts: Omit<ScanOptions, 'signal' | 'onProgress'>) => Promise<void>;
  cancel: () => void;
}

let current: AbortController | undefined;

export const usePopulationStore = create<PopulationState>()((set) => ({
  status: 'idle',
  progress: undefined,
  result: undefined,
  cancelled: false,
  error: undefined,
  outcome: undefined,
  async scan(client, scope, opts) {
    current?.abort();
    const controller = new AbortController();
    current = controller;
    set({ status: 'loading', progress: undefined, cancelled: false, error: undefined, outcome: undefined });
    try {
      const result = await scanPopulation(client, scope, { ...opts, signal: controller.signal, onProgress: (progress) => {
        if (current === controller) set({ progress });
      } });
      if (current === controller) set({ status: 'ready', result, progress: undefined });
    } catch (error) {
      if (current !== controller) return;
      if (controller.signal.aborted || (isFhirError(error) && error.kind === 'aborted')) {
        set((s) => ({ status: s.result ? 'ready' : 'idle', progress: undefined, cancelled: true }));
        return;
      }
      const err = error instanceof Error ? error : new Error(String(error));
      set({ status: 'error', error: err, outcome: outcomeOf(err), progress: undefined });
    }
  },
  cancel() {
    current?.abort();
  },
}));

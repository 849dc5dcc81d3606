// A tiny factory for per-feature stores: one store per concern, each with an explicit status and the
// error (with its OperationOutcome), never a dump of raw Bundles (STYLE "Avoid").
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { isFhirError } from '../fhir/errors';
import { outcomeOf, type LoadStatus } from './status';

export interface ResourceState<T> {
  status: LoadStatus;
  data: T | undefined;
  error: Error | undefined;
  outcome: OperationOutcome | undefined;
  /** Runs `loader`; a newer load aborts the older one, whose result is then ignored. */
  load: (loader: (signal: AbortSignal) => Promise<T>) => Promise<void>;
  /** Replace the data after a local change (e.g. a successful write). */
  setData: (data: T) => void;
  reset: () => void;
}

export type ResourceStore<T> = UseBoundStore<StoreApi<ResourceState<T>>>;

export function createResourceStore<T>(): ResourceStore<T> {
  let current: AbortController | undefined;
  return create<ResourceState<T>>()((set) => ({
    status: 'idle',
    data: undefined,
    error: undefined,
    outcome: undefined,
    async load(loader) {
      current?.abort();
      const controller = new AbortController();
      current = controller;
      set({ status: 'loading', error: undefined, outcome: undefined });
      try {
        const data = await loader(controller.signal);
        if (current === controller) set({ status: 'ready', data });
      } catch (error) {
        if (current !== controller || (isFhirError(error) && error.kind === 'aborted')) return;
        const err = error instanceof Error ? error : new Error(String(error));
        set({ status: 'error', error: err, outcome: outcomeOf(err) });
      }
    },
    setData(data) {
      set({ status: 'ready', data, error: undefined, outcome: undefined });
    },
    reset() {
      current?.abort();
      current = undefined;
      set({ status: 'idle', data: undefined, error: undefined, outcome: undefined });
    },
  }));
}

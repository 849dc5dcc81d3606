// Latest-wins loading for the follow-up lists' stores (inbox, worklist): a newer load aborts an older
// one, whose late answer or error is dropped; cancel aborts and says so in words.
import type { OperationOutcome } from '@medplum/fhirtypes';
import { outcomeOf, type LoadStatus } from './status';

export interface LoadFields {
  status?: LoadStatus;
  error?: Error | undefined;
  outcome?: OperationOutcome | undefined;
  progress?: undefined;
}

export interface LatestLoad<T> {
  /** Runs `run`; when it is still the latest load, `ready` stores its data (status 'ready'). */
  load(run: (signal: AbortSignal) => Promise<T>, ready: (data: T) => void): Promise<void>;
  cancel(): void;
}

export function latestLoad<T>(set: (fields: LoadFields) => void): LatestLoad<T> {
  let controller: AbortController | undefined;
  return {
    async load(run, ready) {
      controller?.abort();
      const mine = new AbortController();
      controller = mine;
      set({ status: 'loading', error: undefined, outcome: undefined, progress: undefined });
      try {
        const data = await run(mine.signal);
        if (controller === mine) ready(data);
      } catch (error) {
        if (controller !== mine) return;
        const err = error instanceof Error ? error : new Error(String(error));
        set({ status: 'error', error: err, outcome: outcomeOf(err), progress: undefined });
      }
    },
    cancel() {
      controller?.abort();
      controller = undefined;
      set({ status: 'error', error: Object.assign(new Error('Innlastingen ble avbrutt.'), { userMessage: 'Innlastingen ble avbrutt.', userAction: 'Last inn på nytt når du er klar.' }), outcome: undefined, progress: undefined });
    },
  };
}

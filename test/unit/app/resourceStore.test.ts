import { expect, test } from 'vitest';
import { createResourceStore } from '../../../src/state/createResourceStore';
import { FhirError } from '../../../src/fhir/errors';

test('idle -> loading -> ready', async () => {
  const store = createResourceStore<number>();
  expect(store.getState().status).toBe('idle');
  const pending = store.getState().load(async () => 42);
  expect(store.getState().status).toBe('loading');
  await pending;
  expect(store.getState()).toMatchObject({ status: 'ready', data: 42, error: undefined });
});

test('a FhirError lands in error with its OperationOutcome', async () => {
  const store = createResourceStore<number>();
  await store.getState().load(async () => {
    throw new FhirError({ kind: 'forbidden', status: 403 });
  });
  const state = store.getState();
  expect(state.status).toBe('error');
  expect(state.outcome?.issue[0]?.code).toBe('forbidden');
});

test('a newer load aborts the older one, whose late result is ignored', async () => {
  const store = createResourceStore<string>();
  let releaseFirst: (v: string) => void = () => undefined;
  let firstSignal: AbortSignal | undefined;
  const first = store.getState().load(
    (signal) =>
      new Promise<string>((resolve) => {
        firstSignal = signal;
        releaseFirst = resolve;
      }),
  );
  await store.getState().load(async () => 'second');
  releaseFirst('first');
  await first;
  expect(firstSignal?.aborted).toBe(true);
  expect(store.getState().data).toBe('second');
});

// Issue 12 item 6: opening a patient from a list, the last open wins whatever order the reads answer in,
// earlier reads are aborted, and a close drops an open still on its way.
import { describe, expect, test } from 'vitest';
import type { Patient } from '@medplum/fhirtypes';
import type { FhirClient } from '../../../src/fhir/client';
import { createPatientOpener } from '../../../src/state/patientOpener';

interface PendingRead {
  id: string;
  signal: AbortSignal | undefined;
  answer: () => void;
}

/** A client whose reads answer only when the test says so. */
function controlledClient() {
  const reads: PendingRead[] = [];
  const client = {
    read: (_type: string, id: string, opts?: { signal?: AbortSignal }) =>
      new Promise<Patient>((resolve) => {
        const patient: Patient = { resourceType: 'Patient', id, name: [{ text: `Pasient ${id}` }] };
        reads.push({ id, signal: opts?.signal, answer: () => resolve(patient) });
      }),
  } as unknown as FhirClient;
  return { client, reads };
}

describe('patientOpener', () => {
  test('X then Y, X answers last: Y is open and X was aborted', async () => {
    const { client, reads } = controlledClient();
    const opener = createPatientOpener<{ from: string }>(client);
    const x = opener.getState().open('x', { from: 'worklist' });
    const y = opener.getState().open('y', { from: 'worklist' });
    expect(reads.map((r) => r.id)).toEqual(['x', 'y']);
    expect(reads[0]?.signal?.aborted).toBe(true);
    expect(reads[1]?.signal?.aborted).toBe(false);
    reads[1]?.answer();
    await y;
    reads[0]?.answer();
    await x;
    expect(opener.getState().status).toBe('ready');
    expect(opener.getState().opened?.patient.id).toBe('y');
  });

  test('X then Y, Y answers last: Y is open, X never was', async () => {
    const { client, reads } = controlledClient();
    const opener = createPatientOpener(client);
    const seen: (string | undefined)[] = [];
    opener.subscribe((s) => seen.push(s.opened?.patient.id));
    const x = opener.getState().open('x');
    const y = opener.getState().open('y');
    reads[0]?.answer();
    await x;
    reads[1]?.answer();
    await y;
    expect(opener.getState().opened?.patient.id).toBe('y');
    expect(seen).not.toContain('x');
  });

  test('a close drops the open still on its way', async () => {
    const { client, reads } = controlledClient();
    const opener = createPatientOpener(client);
    const x = opener.getState().open('x');
    await opener.getState().close();
    reads[0]?.answer();
    await x;
    expect(opener.getState().opened).toBeUndefined();
    expect(opener.getState().status).toBe('idle');
  });
});

// Co-payment write path (issue "Performance", point 3): latency of one registration and registrations
// per second with 10 concurrent clients, against a real sandbox over HTTP with real SMART tokens.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../sandbox/app';
import { createFhirClient, type FhirClient } from '../../src/fhir/client';
import { registerContact, type RegisterContactInput } from '../../src/fhir/contacts';
import { launchSession } from '../../test/integration/copay-sandbox';
import { fmt, median, type BenchRow } from '../report';

const DAY = '2026-03-10';

function contact(patientId: string, minute: number): RegisterContactInput {
  const hh = String(8 + Math.floor(minute / 60)).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  return {
    contactId: crypto.randomUUID(),
    patientId,
    practitionerId: 'nurse-1',
    organizationId: 'practice',
    kind: 'follow-up',
    channel: 'in-person',
    minutes: 30,
    start: `${DAY}T${hh}:${mm}:00+01:00`,
    lines: [
      { code: 'S2a', quantity: 1 },
      { code: 'S2b', quantity: 1 },
    ],
    patient: { birthDate: '1950-05-05' },
  };
}

async function register(client: FhirClient, input: RegisterContactInput): Promise<void> {
  const r = await registerContact(client, input);
  if (r.status !== 'saved') throw new Error(`registration not saved: ${r.status}`);
}

export async function benchCopay(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'pht-bench-copay-'));
  const sandbox = await startSandbox({ port: 0, dataDir: dir, patients: 100, asOf: DAY });
  try {
    const fast = { retry: { baseDelayMs: 10, maxDelayMs: 200 } };
    // One client, one patient, sequential: the latency a nurse sees on "Lagre".
    const single = createFhirClient(await launchSession(sandbox, 'nurse-1', 'pat-00090'), fast);
    const latencies: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      await register(single, contact('pat-00090', i));
      latencies.push(performance.now() - t0);
    }
    const p50 = median(latencies);

    // 10 concurrent clients, each its own patient, 20 registrations each.
    const patients = Array.from({ length: 10 }, (_, i) => `pat-${String(60 + i).padStart(5, '0')}`);
    const clients = await Promise.all(patients.map(async (p) => createFhirClient(await launchSession(sandbox, 'nurse-1', p), fast)));
    const t0 = performance.now();
    await Promise.all(
      clients.map(async (c, i) => {
        for (let k = 0; k < 20; k++) await register(c, contact(patients[i] ?? '', k));
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    const perS = 200 / secs;

    // The same 10 clients all on ONE patient-day: the contended case the ledger serialises.
    const same = await Promise.all(patients.map(async () => createFhirClient(await launchSession(sandbox, 'nurse-1', 'pat-00080'), fast)));
    const t1 = performance.now();
    await Promise.all(same.map(async (c, i) => {
      for (let k = 0; k < 5; k++) await register(c, contact('pat-00080', i * 5 + k));
    }));
    const contendedPerS = 50 / ((performance.now() - t1) / 1000);

    return [
      {
        section: 'Egenandel',
        name: 'Registrering av én kontakt (median av 30, sekvensielt)',
        figure: `${fmt(p50, 1)} ms`,
        value: p50,
        unit: 'ms',
        target: '≤ 250 ms',
        met: p50 <= 250,
        note: 'registerContact: ledger read, day charges, one If-Match transaction',
      },
      {
        section: 'Egenandel',
        name: 'Registreringer per sekund, 10 samtidige klienter (hver sin pasient)',
        figure: `${fmt(perS, 1)} /s`,
        value: perS,
        unit: 'per s',
        target: '≥ 20 /s',
        met: perS >= 20,
        note: `200 registrations in ${fmt(secs, 1)} s`,
      },
      {
        section: 'Egenandel',
        name: 'Registreringer per sekund, 10 samtidige klienter på samme pasient-dag',
        figure: `${fmt(contendedPerS, 1)} /s`,
        value: contendedPerS,
        unit: 'per s',
        target: '≥ 5 /s',
        met: contendedPerS >= 5,
        note: 'conflicts retried on 412 (version-checked ledger)',
      },
    ];
  } finally {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
}

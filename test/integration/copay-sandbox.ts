// Shared by copay.test.ts and fault-copay.test.ts: a real sandbox EPJ on port 0 and SMART EHR launches
// (test/support/smartLaunch.ts) that give a Session for our FhirClient.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../sandbox/app';
import type { Session } from '../../src/fhir/session';
import { launchFromSandbox } from '../support/smartLaunch';

export const AS_OF = '2026-03-10';

export interface TestEpj {
  sandbox: Sandbox;
  dataDir: string;
  close(): Promise<void>;
}

export async function startTestEpj(patients = 50): Promise<TestEpj> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pht-copay-'));
  const sandbox = await startSandbox({ port: 0, dataDir, patients, asOf: AS_OF });
  return {
    sandbox,
    dataDir,
    async close() {
      await sandbox.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A full EHR launch as `user` with `patient` in context, asking for the app's manifest scopes. The
 * returned Session points at `fhirBaseUrl` (the sandbox, or a proxy in front of it).
 */
export function launchSession(sandbox: Sandbox, user: string, patient: string, fhirBaseUrl = sandbox.fhirBaseUrl): Promise<Session> {
  return launchFromSandbox({ origin: sandbox.origin, fhirBaseUrl: sandbox.fhirBaseUrl, user, patient, sessionBaseUrl: fhirBaseUrl });
}

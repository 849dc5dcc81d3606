// The patient's co-payment facts from the EPJ (SPEC §6), read by the app server (the browser never parses
// FHIR): the birth date from Patient, and day exemptions from Coverage whose type is a Volven 7461 code
// (frikort F and others). Read by capability (server/epj/capabilities.ts): an EPJ that does not offer
// Coverage (the narrow profile) gives `exemptionsKnown: false` with the reason, never a silent "no
// exemption": the nurse or GP then decides, and the contact form says why.
import type { Coverage, Patient } from '@medplum/fhirtypes';
import { osloDate } from '../../src/domain/calendar';
import type { CopayExemption } from '../../src/domain/copay';
import { referencedId } from '../../src/fhir/builders/common';
import { SYSTEMS } from '../../src/fhir/systems';
import { canRead, type ReadPlan } from './capabilities';
import { EpjReadError, searchAll, type EpjGet } from './targetGroups';

export interface CopayFacts {
  birthDate?: string;
  exemptions: CopayExemption[];
  /** false when the EPJ does not give Coverage: a frikort would then be missed, so the user decides. */
  exemptionsKnown: boolean;
  /** Why the exemptions are unknown (`not-available`: the EPJ does not offer Coverage). */
  unknownReason?: 'not-available' | 'refused';
}

/** A Coverage as a day exemption, when it is an active one for this patient. */
export function exemptionFromCoverage(coverage: Coverage, patientId: string): CopayExemption | undefined {
  if (coverage.status !== undefined && coverage.status !== 'active') return undefined;
  if (referencedId(coverage.beneficiary, 'Patient') !== patientId) return undefined;
  const code = coverage.type?.coding?.find((c) => c.system === SYSTEMS.copayExemption)?.code;
  const from = coverage.period?.start;
  if (!code || !from || !/^\d{4}-\d{2}-\d{2}/.test(from)) return undefined;
  const to = coverage.period?.end;
  return { code, from: osloDate(from), ...(to && /^\d{4}-\d{2}-\d{2}/.test(to) ? { to: osloDate(to) } : {}) };
}

/**
 * Patient + Coverage of one patient, asked for together (one round trip to the EPJ, not two: issue 19
 * point 2); undefined when the EPJ has no such patient (what Coverage gave is then not used). A failed
 * read throws EpjReadError.
 */
export async function readCopayFacts(get: EpjGet, base: string, patientId: string, plan: ReadPlan): Promise<CopayFacts | undefined> {
  // Settled into a value at once: a failed Coverage read never goes unhandled while the Patient is read.
  const coverageRead = canRead(plan, 'Coverage')
    ? searchAll(get, base, 'Coverage', { beneficiary: `Patient/${patientId}`, _count: '100' }).then(
        (found) => ({ found: found as Coverage[] }),
        (error: unknown) => ({ error }),
      )
    : undefined;
  // A search by _id, as the panel's target groups read the Patient: the panel's parts then read it once.
  const patient = ((await searchAll(get, base, 'Patient', { _id: patientId })) as Patient[]).find((p) => p.resourceType === 'Patient' && p.id === patientId);
  if (!patient) return undefined;
  const birthDate = typeof patient.birthDate === 'string' && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(patient.birthDate) ? patient.birthDate : undefined;
  const base_ = birthDate ? { birthDate } : {};
  if (!coverageRead) return { ...base_, exemptions: [], exemptionsKnown: false, unknownReason: 'not-available' };
  const coverages = await coverageRead;
  if ('error' in coverages) {
    const { error } = coverages;
    // A statement that offers Coverage but an EPJ that refuses it for this client: unknown, said so.
    if (error instanceof EpjReadError && /HTTP (401|403|404)/.test(error.message)) return { ...base_, exemptions: [], exemptionsKnown: false, unknownReason: 'refused' };
    throw error;
  }
  const exemptions = coverages.found.map((c) => exemptionFromCoverage(c, patientId)).filter((e): e is CopayExemption => e !== undefined);
  return { ...base_, exemptions, exemptionsKnown: true };
}

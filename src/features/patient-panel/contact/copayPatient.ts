// The patient's co-payment facts (SPEC §6): the birth date, and day exemptions read from the EPJ as Coverage
// whose type is a Volven 7461 code (frikort F and others). Patient data read from the EPJ through the app
// server's /fhir proxy (this round); the server decides the co-payment with them.
import type { Bundle, Coverage } from '@medplum/fhirtypes';
import { osloDate } from '../../../domain/calendar';
import type { CopayExemption, CopayPatient } from '../../../domain/copay';
import { referencedId } from '../../../fhir/builders/common';
import type { FhirClient, RequestOptions } from '../../../fhir/client';
import { isFhirError } from '../../../fhir/errors';
import { SYSTEMS } from '../../../fhir/systems';

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

export interface CopayPatientRead {
  patient: CopayPatient;
  /** false when Coverage could not be read: a frikort would then be missed. */
  exemptionsKnown: boolean;
}

export async function loadCopayPatient(client: FhirClient, patientId: string, birthDate: string | undefined, opts: RequestOptions = {}): Promise<CopayPatientRead> {
  const base = birthDate ? { birthDate } : {};
  try {
    const coverages = await client.searchAll('Coverage', { beneficiary: `Patient/${patientId}` }, opts);
    const exemptions = coverages.map((c) => exemptionFromCoverage(c, patientId)).filter((e): e is CopayExemption => e !== undefined);
    return { patient: { ...base, exemptions }, exemptionsKnown: true };
  } catch (error) {
    if (isFhirError(error) && error.kind === 'forbidden') return { patient: base, exemptionsKnown: false };
    throw error;
  }
}

/**
 * The same facts from a Coverage search answer the app server already made (the patient panel's one
 * response): a one-page searchset gives the exemptions, a refusal (403) gives "not known" like a refused
 * read; anything else (an error, more pages) is undefined and the browser reads Coverage itself.
 */
export function copayPatientFromAnswer(answer: { status: number; body: unknown }, patientId: string, birthDate: string | undefined): CopayPatientRead | undefined {
  const base = birthDate ? { birthDate } : {};
  if (answer.status === 403) return { patient: base, exemptionsKnown: false };
  if (answer.status !== 200) return undefined;
  const bundle = answer.body as Bundle | null;
  if (bundle?.resourceType !== 'Bundle' || bundle.type !== 'searchset' || bundle.link?.some((l) => l.relation === 'next')) return undefined;
  const coverages = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Coverage => r?.resourceType === 'Coverage');
  const exemptions = coverages.map((c) => exemptionFromCoverage(c, patientId)).filter((e): e is CopayExemption => e !== undefined);
  return { patient: { ...base, exemptions }, exemptionsKnown: true };
}

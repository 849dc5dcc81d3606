// FHIR -> display facts for the launch context (the user and the launch patient), mapped here at the
// edge so the UI never walks FHIR structures (STYLE habit 2).
import type { HumanName, Patient } from '@medplum/fhirtypes';
import { SYSTEMS } from './systems';

export interface PatientSummary {
  id: string;
  name: string;
  /** Fødselsnummer, else D-nummer, as the 11 digits. */
  nationalId?: string;
  nationalIdKind?: 'fnr' | 'dnr';
  /** YYYY-MM-DD when known. */
  birthDate?: string;
}

/** The name to show: `official` (or `usual`) use first, text if given, else given + family. */
export function humanNameText(names: readonly HumanName[] | undefined): string | undefined {
  if (!names || names.length === 0) return undefined;
  const current = names.filter((n) => !n.period?.end);
  const pool = current.length > 0 ? current : names;
  const chosen = pool.find((n) => n.use === 'official') ?? pool.find((n) => n.use === 'usual') ?? pool[0];
  if (!chosen) return undefined;
  if (chosen.text?.trim()) return chosen.text.trim();
  const parts = [...(chosen.given ?? []), chosen.family ?? ''].map((p) => p.trim()).filter((p) => p.length > 0);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

export function toPatientSummary(patient: Patient): PatientSummary {
  const identifiers = patient.identifier ?? [];
  const fnr = identifiers.find((i) => i.system === SYSTEMS.fnr)?.value?.trim();
  const dnr = identifiers.find((i) => i.system === SYSTEMS.dnr)?.value?.trim();
  return {
    id: patient.id ?? '',
    name: humanNameText(patient.name) ?? 'Ukjent navn',
    nationalId: fnr ?? dnr,
    nationalIdKind: fnr ? 'fnr' : dnr ? 'dnr' : undefined,
    birthDate: patient.birthDate,
  };
}

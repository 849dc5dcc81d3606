// FHIR -> display facts for the launch context (the user and the launch patient), mapped here at the
// edge so the UI never walks FHIR structures (STYLE habit 2).
import type { HumanName, Patient } from '@medplum/fhirtypes';
import { SYSTEMS } from './systems';
import { field, isRecord, list, text } from './mappers/read';

export interface PatientSummary {
  id: string;
  name: string;
  /** Fødselsnummer, else D-nummer, as the 11 digits. */
  nationalId?: string;
  nationalIdKind?: 'fnr' | 'dnr';
  /** YYYY-MM-DD when known. */
  birthDate?: string;
}

/** The name to show: `official` (or `usual`) use first, text if given, else given + family. Never throws on a
 * malformed name (a string instead of a list, numbers instead of strings): the server's JSON is not
 * checked against the types (test/unit/reliability/bad-data.test.ts). */
export function humanNameText(names: readonly HumanName[] | undefined): string | undefined {
  const all = list(names).filter(isRecord);
  if (all.length === 0) return undefined;
  const current = all.filter((n) => field(n.period, 'end') === undefined);
  const pool = current.length > 0 ? current : all;
  const chosen = pool.find((n) => n.use === 'official') ?? pool.find((n) => n.use === 'usual') ?? pool[0];
  if (!chosen) return undefined;
  const own = text(chosen.text);
  if (own !== undefined) return own;
  const given = typeof chosen.given === 'string' ? [chosen.given] : list(chosen.given);
  const parts = [...given, chosen.family].map(text).filter((p): p is string => p !== undefined);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function identifierValue(patient: Patient, system: string): string | undefined {
  const found = list(patient.identifier).find((i) => field(i, 'system') === system);
  return text(field(found, 'value'));
}

export function toPatientSummary(patient: Patient): PatientSummary {
  const fnr = identifierValue(patient, SYSTEMS.fnr);
  const dnr = identifierValue(patient, SYSTEMS.dnr);
  const birthDate = text(patient.birthDate);
  return {
    id: text(patient.id) ?? '',
    name: humanNameText(patient.name) ?? 'Ukjent navn',
    nationalId: fnr ?? dnr,
    nationalIdKind: fnr ? 'fnr' : dnr ? 'dnr' : undefined,
    birthDate: birthDate !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(birthDate) ? birthDate : undefined,
  };
}

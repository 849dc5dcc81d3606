// Display names for ids in the manager's tables, from the loaded data (no FHIR here).
import type { ManagerData } from '../../fhir/manager';

export interface Names {
  staff: (id: string | null | undefined) => string;
  patient: (id: string) => string;
}

export function namesFor(data: Pick<ManagerData, 'staff' | 'patientNames'>): Names {
  const staff = new Map(data.staff.map((s) => [s.id, s.name]));
  return {
    staff: (id) => (id ? (staff.get(id) ?? id) : 'Ikke tildelt'),
    patient: (id) => data.patientNames[id] ?? id,
  };
}

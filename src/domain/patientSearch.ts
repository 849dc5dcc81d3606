// The patient search of every list (issue 17 item 21): a query matches a patient by name (every word of
// the query starts a word of the name, case- and accent-insensitive: «ing han» finds «Inger Hansen») or by
// birth date as users type it (dd.mm.åååå, dd.mm.åå, ddmmåå, ddmmåååå, or the start of dd.mm). Pure.

export interface Searchable {
  name?: string | null;
  /** ISO date YYYY-MM-DD. */
  birthDate?: string | null;
}

// Accents go (é -> e, å -> a); ø and æ are letters of their own in Unicode, so they are folded by hand:
// «Sorensen» finds «Sørensen», «Aero» finds «Ærø».
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ø/g, 'o')
    .replace(/æ/g, 'ae');

function dateForms(iso: string): string[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return [];
  const [, y = '', mo = '', d = ''] = m;
  return [`${d}.${mo}.${y}`, `${d}.${mo}.${y.slice(2)}`, `${d}${mo}${y}`, `${d}${mo}${y.slice(2)}`];
}

/** Whether `query` finds the patient; an empty query finds everyone. */
export function matchesPatientSearch(patient: Searchable, query: string): boolean {
  const q = query.trim();
  if (!q) return true;
  if (/^[\d.\s/-]+$/.test(q)) {
    const typed = q.replace(/[\s/-]/g, '.').replace(/\.+/g, '.');
    return patient.birthDate ? dateForms(patient.birthDate).some((form) => form.startsWith(typed)) : false;
  }
  const words = fold(patient.name ?? '').split(/[\s,.-]+/).filter(Boolean);
  return fold(q)
    .split(/\s+/)
    .every((part) => words.some((w) => w.startsWith(part)));
}

/** The rows whose patient `query` finds, in their order; `patientOf` picks the name and birth date of a row. */
export function searchPatients<T>(rows: readonly T[], query: string, patientOf: (row: T) => Searchable): T[] {
  if (!query.trim()) return [...rows];
  return rows.filter((row) => matchesPatientSearch(patientOf(row), query));
}

// The patient search field of every list (issue 17 item 21): name or birth date (dd.mm.åååå), matched by
// src/domain/patientSearch.ts. One field, one label, so every list reads and behaves the same.
import { Search } from '@digdir/designsystemet-react';

interface Props {
  value: string;
  onChange: (query: string) => void;
  /** data-testid of the input. */
  testId?: string;
  className?: string;
}

export const PATIENT_SEARCH_LABEL = 'Søk etter pasient (navn eller fødselsdato)';

export function PatientSearchField({ value, onChange, testId, className }: Props) {
  return (
    <Search data-size="sm" className={['pht-patient-search', 'pht-no-print', className].filter(Boolean).join(' ')}>
      <Search.Input aria-label={PATIENT_SEARCH_LABEL} placeholder="Navn eller dd.mm.åååå" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
      <Search.Clear onClick={() => onChange('')} />
    </Search>
  );
}

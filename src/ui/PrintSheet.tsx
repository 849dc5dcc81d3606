// A printable list (issue 17 item 21): the call list of the nurse's day and the recall list on A4. On
// screen only the «Skriv ut» button shows; in print only the sheet does (app.css, @media print): a header
// with the practice's name, the list's title and the date, and a plain table (all rows, not the screen's
// virtualised window) that fits the page width.
import { Button } from '@digdir/designsystemet-react';
import { useQuery } from '@tanstack/react-query';
import type { FhirClient } from '../fhir/client';
import { loadPracticeName } from '../fhir/practiceName';
import { formatDate } from './format';

/**
 * The practice's name for a sheet's header (read once per user; a failed read is tried twice more, so a
 * passing network fault does not leave «Legekontoret» on the printed list). `pending` while it is being
 * read: the print button waits for it.
 */
export function usePracticeName(client: FhirClient, userId: string): { name: string | undefined; pending: boolean } {
  const q = useQuery({ queryKey: ['practice-name', userId], queryFn: ({ signal }) => loadPracticeName(client, userId, signal), staleTime: 60 * 60_000, retry: 2 });
  return { name: q.data ?? undefined, pending: q.isPending };
}

export interface PrintColumn<T> {
  header: string;
  /** Share of the page width, in percent. */
  width: number;
  cell: (row: T) => string;
  /** Keep on one line (dates, phone numbers): the width must hold it. */
  nowrap?: boolean;
}

interface Props<T> {
  title: string;
  /** The practice's name, when known. */
  practice: string | undefined;
  /** The list's date (YYYY-MM-DD). */
  date: string;
  /** What the list shows, e.g. the filter («Sykepleier: Meg og ufordelte»). */
  note?: string;
  columns: readonly PrintColumn<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  testId?: string;
}

export function PrintSheet<T>({ title, practice, date, note, columns, rows, rowKey, testId }: Props<T>) {
  return (
    <div className="pht-print-only pht-print-sheet" data-testid={testId}>
      <header className="pht-print-header">
        <div className="pht-print-practice">{practice ?? 'Legekontoret'}</div>
        <h1 className="pht-print-title">{title}</h1>
        <div className="pht-print-meta">
          Dato {formatDate(date)} · {rows.length} {rows.length === 1 ? 'pasient' : 'pasienter'}
          {note ? ` · ${note}` : ''}
        </div>
      </header>
      <table className="pht-print-table">
        <colgroup>
          {columns.map((c) => (
            <col key={c.header} style={{ width: `${c.width}%` }} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={rowKey(r)}>
              {columns.map((c) => (
                <td key={c.header} className={c.nowrap ? 'pht-print-nowrap' : undefined}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A phone number for paper: the number holds together, only a country code may go on a line of its own. */
export function printPhone(phone: string): string {
  const m = /^(\+\d{1,3})\s+(.*)$/.exec(phone.trim());
  return m ? `${m[1]} ${(m[2] ?? '').replace(/\s+/g, '\u00a0')}` : phone.trim().replace(/\s+/g, '\u00a0');
}

/** «Skriv ut»: the browser's print dialog, which prints the sheet (never in the printout itself). */
export function PrintButton({ testId, disabled }: { testId?: string; disabled?: boolean }) {
  return (
    <Button variant="secondary" data-size="sm" className="pht-no-print" onClick={() => window.print()} disabled={disabled} data-testid={testId}>
      Skriv ut
    </Button>
  );
}

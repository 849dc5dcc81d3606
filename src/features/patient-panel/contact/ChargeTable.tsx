// A day's team charges (SPEC §6): time, tariff, who, what the patient pays, and why not in words.
import type { ReactNode } from 'react';
import { Table, Tag } from '@digdir/designsystemet-react';
import type { ChargeRow } from '../../contact-copay/model';
import { formatKr, formatOsloTime } from './format';

interface Props {
  caption: string;
  rows: readonly ChargeRow[];
  bearerId?: string;
  /** Rows to mark as new (this contact's charges). */
  highlight?: (row: ChargeRow) => boolean;
  /** An action cell per row (e.g. cancel); omitted = no action column. */
  action?: (row: ChargeRow) => ReactNode;
  testId: string;
}

export function egenandelText(row: ChargeRow): string {
  if (row.cancelled) return 'Kansellert';
  if (row.charged > 0) return `${formatKr(row.charged)} betales`;
  if (row.waived > 0) return `${formatKr(0)} (${formatKr(row.waived)} frafalt)`;
  return formatKr(0);
}

export function ChargeTable({ caption, rows, bearerId, highlight, action, testId }: Props) {
  return (
    <div className="pht-table-scroll">
      <Table data-size="sm" data-testid={testId}>
        <caption className="ds-sr-only">{caption}</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell>Tid</Table.HeaderCell>
            <Table.HeaderCell>Takst</Table.HeaderCell>
            <Table.HeaderCell>Utført av</Table.HeaderCell>
            <Table.HeaderCell>Egenandel</Table.HeaderCell>
            <Table.HeaderCell>Årsak</Table.HeaderCell>
            {action && (
              <Table.HeaderCell>
                <span className="ds-sr-only">Handling</span>
              </Table.HeaderCell>
            )}
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {rows.map((row) => (
            <Table.Row key={row.id} data-testid={`charge-${row.code ?? row.id}`} className={highlight?.(row) ? 'pht-row-new' : undefined}>
              <Table.Cell>{formatOsloTime(row.at)}</Table.Cell>
              <Table.Cell>
                <strong>{row.code ?? 'Ukjent takst'}</strong> {row.text}
                {highlight?.(row) && (
                  <>
                    {' '}
                    <Tag data-size="sm" data-color="success">
                      ny
                    </Tag>
                  </>
                )}
              </Table.Cell>
              <Table.Cell>{row.performer}</Table.Cell>
              <Table.Cell className="pht-charge-egenandel" data-testid="charge-egenandel">
                {egenandelText(row)}
                {row.id === bearerId && (
                  <>
                    {' '}
                    <Tag data-size="sm" data-color="info">
                      bærer dagens egenandel
                    </Tag>
                  </>
                )}
              </Table.Cell>
              <Table.Cell data-testid="charge-reason">{row.cancelled ? '' : (row.reasonLabel ?? (row.settled ? 'Betalt eller fakturert' : ''))}</Table.Cell>
              {action && <Table.Cell>{action(row)}</Table.Cell>}
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </div>
  );
}

// Eksport: the evaluation's aggregate figures for the period (ch. 7; SPEC §7): no identifiers, and
// counts under 5 suppressed (suppressSmallCells), shown before download exactly as exported.
import { Button, Heading, Paragraph, Table } from '@digdir/designsystemet-react';
import { evaluationExportRows, EVALUATION_EXPORT_HEADER, MIN_CELL, suppressSmallCells, type AggregateRow, type Period } from '../../domain/manager';
import { downloadCsv, toCsv } from '../../platform/csv';
import { formatNumber, formatShare } from './format';

function cell(v: number | '<5' | ''): string {
  return typeof v === 'number' ? formatNumber(v) : v;
}

export function ExportSection({ rows, period, onExport }: { rows: readonly AggregateRow[]; period: Period; onExport: (rows: number) => void }) {
  const shown = suppressSmallCells(rows);
  return (
    <section aria-labelledby="export-heading" className="pht-manager-section">
      <Heading level={3} data-size="xs" id="export-heading">
        Eksport til evalueringen
      </Heading>
      <Paragraph data-size="sm">
        Bare samletall for perioden, uten pasient- eller personidentitet. Tall under {MIN_CELL} vises som «&lt;5», og andeler regnet av dem utelates.
      </Paragraph>
      <Button onClick={() => {
          downloadCsv(`evaluering-${period.from}-${period.to}.csv`, toCsv(EVALUATION_EXPORT_HEADER, evaluationExportRows(rows)));
          onExport(rows.length);
        }} data-testid="export-csv">
        Last ned CSV
      </Button>
      <Table data-size="sm" zebra className="pht-manager-table" data-testid="export-table">
        <caption>Slik eksporteres perioden</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell>Mål</Table.HeaderCell>
            <Table.HeaderCell className="pht-num">Teller</Table.HeaderCell>
            <Table.HeaderCell className="pht-num">Nevner</Table.HeaderCell>
            <Table.HeaderCell className="pht-num">Andel</Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {shown.map((r) => (
            <Table.Row key={r.measure}>
              <Table.Cell>{r.measure}</Table.Cell>
              <Table.Cell className="pht-num">{cell(r.numerator)}</Table.Cell>
              <Table.Cell className="pht-num">{cell(r.denominator)}</Table.Cell>
              <Table.Cell className="pht-num">{r.share === '' ? '–' : formatShare(r.share)}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </section>
  );
}

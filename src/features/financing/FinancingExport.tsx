// Evaluation export, financing part (issue 18 item 4; ch. 7): the list by age band and sex with small
// and complementary cells suppressed, and the financing figures; shown before download exactly as
// exported, as CSV or as a FHIR MeasureReport bundle. The data dictionary is the column header and the notes below.
import { Button, Heading, Paragraph, Table } from '@digdir/designsystemet-react';
import { FINANCING_EXPORT_HEADER, financingExportCsvRows, financingExportRows, listSizeTable, suppressCrossTable, SUPPRESSED, type Financing } from '../../domain/financing';
import type { ManagerData } from '../../fhir/manager';
import { financingMeasureReportBundle } from '../../fhir/builders/financingMeasureReport';
import { downloadCsv, downloadText, toCsv } from '../../platform/csv';

interface Props {
  data: ManagerData;
  financing: Financing;
  onExport?: (rows: number) => void;
}

export function FinancingExport({ data, financing, onExport }: Props) {
  const period = `${data.period.from}–${data.period.to}`;
  const table = suppressCrossTable(listSizeTable(data.population.map((p) => ({ ...(p.sex ? { sex: p.sex } : {}), ...(p.facts.birthDate ? { birthDate: p.facts.birthDate } : {}) })), financing.asOf));
  const figures = financingExportRows(financing);
  const rows = financingExportCsvRows(period, table, figures);
  return (
    <section aria-labelledby="fin-export-heading" className="pht-fin-block" data-testid="financing-export">
      <Heading level={4} data-size="2xs" id="fin-export-heading">
        Eksport til evalueringen: liste og finansiering
      </Heading>
      <Paragraph data-size="sm">
        Bare samletall, uten pasient- eller personidentitet. «{SUPPRESSED}» betyr skjult: tall under 5, og tall som ellers kunne regnes ut fra summene. Kolonner: {FINANCING_EXPORT_HEADER.join(', ')}; enhet «antall» eller «kr» (per år, helårsanslag der det står).
      </Paragraph>
      <Button
        data-testid="financing-export-csv"
        onClick={() => {
          downloadCsv(`evaluering-finansiering-${data.period.from}-${data.period.to}.csv`, toCsv(FINANCING_EXPORT_HEADER, rows));
          onExport?.(rows.length);
        }}
      >
        Last ned CSV
      </Button>{' '}
      <Button
        variant="secondary"
        data-testid="financing-export-fhir"
        onClick={() => {
          const bundle = financingMeasureReportBundle(data.period, table, figures);
          downloadText(`evaluering-finansiering-${data.period.from}-${data.period.to}.json`, JSON.stringify(bundle, null, 2), 'application/fhir+json');
          onExport?.(rows.length);
        }}
      >
        Last ned FHIR (MeasureReport)
      </Button>
      <Table data-size="sm" zebra className="pht-fin-table" data-testid="financing-export-table">
        <caption>Listestørrelse etter alder og kjønn (per {financing.asOf.split('-').reverse().join('.')})</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell>Alder</Table.HeaderCell>
            {table.colLabels.map((c) => (
              <Table.HeaderCell key={c} className="pht-num">
                {c}
              </Table.HeaderCell>
            ))}
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {table.cells.map((r, i) => (
            <Table.Row key={table.rowLabels[i]}>
              <Table.HeaderCell scope="row">{table.rowLabels[i]}</Table.HeaderCell>
              {r.map((v, j) => (
                <Table.Cell key={table.colLabels[j]} className="pht-num">
                  {v}
                </Table.Cell>
              ))}
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </section>
  );
}

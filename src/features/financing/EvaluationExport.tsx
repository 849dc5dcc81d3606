// The evaluation export (issue 18 item 4; ch. 7; SPEC §7): every part the evaluators need, aggregate only,
// counts under 5 and the cells that would give them away suppressed (src/domain/financing/evaluation.ts),
// shown before download exactly as exported, as CSV or as a FHIR MeasureReport bundle, with the data
// dictionary (src/domain/financing/evaluation-dictionary.json) shown here and downloadable.
import { useMemo } from 'react';
import { Button, Details, Heading, Paragraph, Table } from '@digdir/designsystemet-react';
import { EVALUATION_EXPORT_HEADER, evaluationCsvRows, evaluationExport, financingExportRows, SUPPRESSED, type Cell, type ExportPart, type ExportUnit, type Financing } from '../../domain/financing';
import dictionary from '../../domain/financing/evaluation-dictionary.json';
import type { Indicator } from '../../domain/manager';
import { classifyPatient } from '../../domain/targetGroups';
import type { ManagerData } from '../../fhir/manager';
import { evaluationMeasureReportBundle } from '../../fhir/builders/evaluationMeasureReport';
import { downloadCsv, downloadText, toCsv } from '../../platform/csv';
import { formatPercent, formatValue } from './format';

interface Props {
  data: ManagerData;
  financing: Financing;
  indicators: readonly Indicator[];
  onExport?: (rows: number) => void;
}

function show(v: Cell, unit: ExportUnit): string {
  if (v === SUPPRESSED) return SUPPRESSED;
  if (unit === 'kr') return formatValue(v, 'kr');
  if (unit === 'andel') return formatPercent(v);
  return formatValue(v, 'count');
}

function PartTable({ part }: { part: ExportPart }) {
  return (
    <div className="pht-fin-scroll">
      <Table data-size="sm" zebra className="pht-fin-table" data-testid={`evaluation-part-${part.id}`}>
        <caption>
          {part.title}
          {part.note && <span className="pht-muted pht-fin-caption-note"> {part.note}</span>}
        </caption>
        {part.available ? (
          <>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell />
                {part.colLabels.map((c) => (
                  <Table.HeaderCell key={c} className="pht-num">
                    {c}
                  </Table.HeaderCell>
                ))}
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {part.cells.map((r, i) => (
                <Table.Row key={part.rowLabels[i]}>
                  <Table.HeaderCell scope="row">{part.rowLabels[i]}</Table.HeaderCell>
                  {r.map((v, j) => (
                    <Table.Cell key={part.colLabels[j]} className="pht-num">
                      {show(v, part.units[j]!)}
                    </Table.Cell>
                  ))}
                </Table.Row>
              ))}
            </Table.Body>
          </>
        ) : (
          <Table.Body>
            <Table.Row>
              <Table.Cell>Ikke tilgjengelig.</Table.Cell>
            </Table.Row>
          </Table.Body>
        )}
      </Table>
    </div>
  );
}

export function EvaluationExport({ data, financing, indicators, onExport }: Props) {
  const exported = useMemo(
    () =>
      evaluationExport({
        period: data.period,
        asOf: financing.asOf,
        listed: data.population.map((p) => ({
          ...(p.sex ? { sex: p.sex } : {}),
          ...(p.facts.birthDate ? { birthDate: p.facts.birthDate } : {}),
          groups: classifyPatient(p.facts, financing.asOf).groups,
        })),
        tasks: data.tasks,
        charges: data.charges,
        codes: data.norms.filter((n) => n.profession === 'nurse').map((n) => n.code),
        indicators,
        financing: financingExportRows(financing),
      }),
    [data, financing, indicators],
  );
  const rows = evaluationCsvRows(exported);
  const file = `evaluering-${data.period.from}-${data.period.to}`;
  return (
    <section aria-labelledby="fin-export-heading" className="pht-fin-block" data-testid="financing-export">
      <Heading level={4} data-size="2xs" id="fin-export-heading">
        Eksport til evalueringen
      </Heading>
      <Paragraph data-size="sm">
        Bare samletall for perioden, uten pasient- eller personidentitet. «{SUPPRESSED}» betyr skjult: tall under 5, og tall som ellers kunne regnes ut fra summene. Datakatalogen under forklarer hver del.
      </Paragraph>
      <div className="pht-fin-buttons">
        <Button
          data-testid="financing-export-csv"
          onClick={() => {
            downloadCsv(`${file}.csv`, toCsv(EVALUATION_EXPORT_HEADER, rows));
            onExport?.(rows.length);
          }}
        >
          Last ned CSV
        </Button>
        <Button
          variant="secondary"
          data-testid="financing-export-fhir"
          onClick={() => {
            downloadText(`${file}.json`, JSON.stringify(evaluationMeasureReportBundle(exported), null, 2), 'application/fhir+json');
            onExport?.(rows.length);
          }}
        >
          Last ned FHIR (MeasureReport)
        </Button>
        <Button variant="tertiary" data-testid="financing-export-dictionary" onClick={() => downloadText('evaluering-datakatalog.json', JSON.stringify(dictionary, null, 2), 'application/json')}>
          Last ned datakatalogen
        </Button>
      </div>
      <Details data-testid="evaluation-dictionary">
        <Details.Summary>Datakatalog</Details.Summary>
        <Details.Content>
          <Paragraph data-size="sm">{dictionary.suppression}</Paragraph>
          <Paragraph data-size="sm">CSV: {dictionary.format.csv}</Paragraph>
          <Paragraph data-size="sm">FHIR: {dictionary.format.fhir}</Paragraph>
          <dl className="pht-fin-dictionary">
            {dictionary.parts.map((p) => (
              <div key={p.id}>
                <dt>
                  {p.title} <code>{p.id}</code>
                </dt>
                <dd>
                  Rader: {p.rows}. Kolonner: {p.columns}. Enhet: {p.unit}. Kilde: {p.source}.{'note' in p && p.note ? ` ${p.note}` : ''}
                </dd>
              </div>
            ))}
          </dl>
        </Details.Content>
      </Details>
      {exported.parts.map((p) => (
        <PartTable key={p.id} part={p} />
      ))}
    </section>
  );
}

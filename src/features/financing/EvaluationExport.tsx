// The evaluation export (issue 18 item 4; ch. 7; SPEC §7): every part the evaluators need, aggregate only,
// counts under 5 and the cells that would give them away suppressed (src/domain/financing/evaluation.ts),
// shown before download exactly as exported, as CSV or as a FHIR MeasureReport bundle, with the data
// dictionary (src/domain/financing/evaluation-dictionary.json) shown here and downloadable. The manager's
// «Eksport» tab; outreach and contacts come as counts from their slices' manager endpoints.
import { useMemo } from 'react';
import { Alert, Button, Details, Heading, Paragraph, Table } from '@digdir/designsystemet-react';
import {
  EVALUATION_EXPORT_HEADER,
  evaluationCsvRows,
  evaluationExport,
  financingExportRows,
  SUPPRESSED,
  type Cell,
  type ContactCount,
  type ExportPart,
  type ExportUnit,
  type Financing,
  type OutreachCounts,
} from '../../domain/financing';
import dictionary from '../../domain/financing/evaluation-dictionary.json';
import type { Indicator } from '../../domain/manager';
import { classifyPatient } from '../../domain/targetGroups';
import type { ManagerData } from '../../fhir/manager';
import { evaluationMeasureReportBundle } from '../../fhir/builders/evaluationMeasureReport';
import { downloadCsv, downloadText, toCsv } from '../../platform/csv';
import type { ApiContext } from '../../platform/api';
import { formatPercent, formatValue } from './format';
import { useFinancing } from './useFinancing';
import './financing.css';

/** An aggregate from another slice's endpoint, as its query stands. */
export interface Aggregate<T> {
  data?: T;
  isPending: boolean;
  error: Error | null;
}

interface Props {
  data: ManagerData;
  indicators: readonly Indicator[];
  /** The app server's API (the practice settings behind the financing figures). */
  api: ApiContext;
  /** Outreach outcomes in the period (target-groups slice). */
  outreach: Aggregate<OutreachCounts>;
  /** Contacts by profession and channel in the period (contact-copay slice). */
  contacts: Aggregate<ContactCount[]>;
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

export function EvaluationExport({ data, indicators, api, outreach, contacts, onExport }: Props) {
  const { financing, error } = useFinancing(data, indicators, api);
  if (!financing)
    return (
      <Alert data-color="danger" role="alert">
        <Paragraph>Kan ikke lage eksporten: finansieringen kan ikke beregnes ({error}).</Paragraph>
      </Alert>
    );
  if (outreach.isPending || contacts.isPending) return <Paragraph role="status">Henter oppsøkende arbeid og kontakter …</Paragraph>;
  return <ExportView data={data} financing={financing} indicators={indicators} outreach={outreach} contacts={contacts} {...(onExport ? { onExport } : {})} />;
}

function ExportView({ data, financing, indicators, outreach, contacts, onExport }: Omit<Props, 'api'> & { financing: Financing }) {
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
        ...(outreach.data ? { outreach: outreach.data } : {}),
        ...(contacts.data ? { contacts: contacts.data } : {}),
        tasks: data.tasks,
        charges: data.charges,
        codes: data.norms.filter((n) => n.profession === 'nurse').map((n) => n.code),
        indicators,
        financing: financingExportRows(financing),
      }),
    [data, financing, indicators, outreach.data, contacts.data],
  );
  const rows = evaluationCsvRows(exported);
  const file = `evaluering-${data.period.from}-${data.period.to}`;
  return (
    <section aria-labelledby="evaluation-export-heading" className="pht-manager-section pht-fin" data-testid="evaluation-export">
      <Heading level={3} data-size="xs" id="evaluation-export-heading">
        Eksport til evalueringen
      </Heading>
      <Paragraph data-size="sm">
        Bare samletall for perioden, uten pasient- eller personidentitet. «{SUPPRESSED}» betyr skjult: tall under 5, og tall som ellers kunne regnes ut fra summene. Datakatalogen under forklarer hver del.
      </Paragraph>
      {(outreach.error || contacts.error) && (
        <Alert data-color="warning" role="alert" data-testid="evaluation-export-missing">
          <Paragraph>
            {[outreach.error && `Oppsøkende arbeid kunne ikke hentes (${outreach.error.message})`, contacts.error && `Kontaktene kunne ikke hentes (${contacts.error.message})`].filter(Boolean).join('. ')}. Delene er merket «ikke tilgjengelig» i eksporten.
          </Paragraph>
        </Alert>
      )}
      <div className="pht-fin-buttons">
        <Button
          data-testid="evaluation-export-csv"
          onClick={() => {
            downloadCsv(`${file}.csv`, toCsv(EVALUATION_EXPORT_HEADER, rows));
            onExport?.(rows.length);
          }}
        >
          Last ned CSV
        </Button>
        <Button
          variant="secondary"
          data-testid="evaluation-export-fhir"
          onClick={() => {
            downloadText(`${file}.json`, JSON.stringify(evaluationMeasureReportBundle(exported), null, 2), 'application/fhir+json');
            onExport?.(rows.length);
          }}
        >
          Last ned FHIR (MeasureReport)
        </Button>
        <Button variant="tertiary" data-testid="evaluation-export-dictionary" onClick={() => downloadText('evaluering-datakatalog.json', JSON.stringify(dictionary, null, 2), 'application/json')}>
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

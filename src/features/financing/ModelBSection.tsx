// Model B, driftstilskudd per listed person (seed ch. 6.2, Tables 2 and 3), criterion by criterion with
// the source's average, min and max beside ours, and the patients behind each share.
import { Details, Heading, Paragraph, Table } from '@digdir/designsystemet-react';
import type { CriterionFigure, ModelB } from '../../domain/financing';
import type { Names } from '../manager/names';
import { Explained } from './Explained';
import { formatKroner, formatPercent, formatValue } from './format';

const GROUP_LABEL: Record<CriterionFigure['group'], string> = {
  list: 'Listeinnbyggertilskudd (Tabell 2: 86,05 %)',
  result: 'Tilskudd basert på resultat (5 %)',
  quality: 'Tilskudd basert på kvalitet (8,95 %)',
};

function SourceRange({ c }: { c: CriterionFigure }) {
  return (
    <>
      {formatKroner(c.sourceAverage)}
      {c.sourceMin !== undefined && c.sourceMax !== undefined && (
        <span className="pht-muted pht-fin-range">
          ({formatValue(c.sourceMin, 'count')}–{formatKroner(c.sourceMax)})
        </span>
      )}
    </>
  );
}

function Basis({ c, names }: { c: CriterionFigure; names: Names }) {
  if (c.share === undefined) return <>–</>;
  const d = c.shareFromData;
  return (
    <>
      {formatPercent(c.share)}
      {!d && <span className="pht-muted"> (grunnlinje: mangler data)</span>}
      {d && (
        <span className="pht-muted">
          {' '}
          ({formatValue(d.numerator, 'count')} av {formatValue(d.denominator, 'count')})
        </span>
      )}
      {d?.patientIds && d.patientIds.length > 0 && (
        <Details data-size="sm">
          <Details.Summary>Pasientene ({d.patientIds.length})</Details.Summary>
          <Details.Content>{d.patientIds.map((id) => names.patient(id)).sort((x, y) => x.localeCompare(y, 'nb')).join(', ')}</Details.Content>
        </Details>
      )}
    </>
  );
}

export function ModelBSection({ b, comparison, names }: { b: ModelB; comparison: boolean; names: Names }) {
  const groups: CriterionFigure['group'][] = ['list', 'result', 'quality'];
  return (
    <section aria-labelledby="fin-b-heading" className="pht-fin-block" data-testid="financing-model-b">
      <Heading level={4} data-size="2xs" id="fin-b-heading">
        {comparison ? 'Sammenligning: hva ville modell B gitt?' : 'Modell B: driftstilskudd'}
      </Heading>
      <Paragraph data-size="sm">
        {b.listSize} listeinnbyggere. Per listeinnbygger per år, med kildens gjennomsnitt (min–maks) ved siden av (Tabell 3, kap. 6.2).
      </Paragraph>
      <div className="pht-fin-scroll">
        <Table data-size="sm" zebra className="pht-fin-table" data-testid="model-b-table">
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell>Kriterium</Table.HeaderCell>
              <Table.HeaderCell className="pht-num">Vekt</Table.HeaderCell>
              <Table.HeaderCell>Andel</Table.HeaderCell>
              <Table.HeaderCell className="pht-num">Per listeinnbygger</Table.HeaderCell>
              <Table.HeaderCell className="pht-num">Kilden: snitt (min–maks)</Table.HeaderCell>
              <Table.HeaderCell className="pht-num">Per år</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {groups.map((g) => (
              <GroupRows key={g} label={GROUP_LABEL[g]} rows={b.criteria.filter((c) => c.group === g)} names={names} />
            ))}
            {[b.listGrant, b.qualityGrant, b.patientPayments, b.total].map((f) => (
              <Table.Row key={f.id} className="pht-fin-sum">
                <Table.HeaderCell scope="row" colSpan={3}>
                  {f.label}
                </Table.HeaderCell>
                <Table.Cell className="pht-num">
                  <Explained figure={f} amount={f.perPerson} />
                </Table.Cell>
                <Table.Cell className="pht-num">{formatKroner(Number(f.explain.inputs.find((i) => i.label.startsWith('Kildens'))?.value ?? 0))}</Table.Cell>
                <Table.Cell className="pht-num">
                  <Explained figure={f} />
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      </div>
    </section>
  );
}

function GroupRows({ label, rows, names }: { label: string; rows: CriterionFigure[]; names: Names }) {
  return (
    <>
      <Table.Row className="pht-fin-group">
        <Table.HeaderCell scope="rowgroup" colSpan={6}>
          {label}
        </Table.HeaderCell>
      </Table.Row>
      {rows.map((c) => (
        <Table.Row key={c.id} data-testid={`row-${c.criterion}`}>
          <Table.Cell>{c.label}</Table.Cell>
          <Table.Cell className="pht-num">{formatPercent(c.explain.inputs[1]!.value)}</Table.Cell>
          <Table.Cell>
            <Basis c={c} names={names} />
          </Table.Cell>
          <Table.Cell className="pht-num">
            <Explained figure={c} amount={c.perPerson} />
          </Table.Cell>
          <Table.Cell className="pht-num">
            <SourceRange c={c} />
          </Table.Cell>
          <Table.Cell className="pht-num">
            <Explained figure={c} />
          </Table.Cell>
        </Table.Row>
      ))}
    </>
  );
}

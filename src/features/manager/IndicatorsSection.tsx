// Kvalitetsindikatorer (Table 2; SPEC §7): numerator, denominator, share, baseline, the patients behind
// the numbers, and the trend over the period's months. In financing model B they make up the quality-
// based part of the grant; in A they are shown for the evaluation (ch. 7).
import { useState } from 'react';
import { Button, Heading, Paragraph, Table } from '@digdir/designsystemet-react';
import type { Indicator } from '../../domain/manager';
import type { FinancingModel, IndicatorMonth } from '../../domain/manager/managerFigures';
import { formatMonth, formatNumber, formatShare } from './format';
import type { Names } from './names';
import { PatientList } from './PatientList';

interface Props {
  indicators: readonly Indicator[];
  trend: readonly IndicatorMonth[];
  model: FinancingModel;
  names: Names;
}

export function IndicatorsSection({ indicators, trend, model, names }: Props) {
  const [open, setOpen] = useState<Indicator['id'] | undefined>(undefined);
  const selected = indicators.find((i) => i.id === open);
  const title = model === 'B' ? 'Kvalitetsbasert del av tilskuddet (Tabell 2)' : 'Kvalitetsindikatorer (Tabell 2)';
  return (
    <section aria-labelledby="indicators-heading" className="pht-manager-section">
      <Heading level={3} data-size="xs" id="indicators-heading">
        {title}
      </Heading>
      <Paragraph data-size="sm">
        {model === 'B'
          ? 'Praksisen bruker driftstilskuddsmodellen (B): indikatorene styrer den kvalitetsbaserte delen av tilskuddet.'
          : 'Praksisen bruker honorarmodellen (A): indikatorene vises for evalueringen av forsøket.'}
      </Paragraph>
      <Table data-size="sm" zebra className="pht-manager-table" data-testid="indicator-table">
        <caption>Per periodens slutt</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell>Indikator</Table.HeaderCell>
            <Table.HeaderCell className="pht-num">Teller</Table.HeaderCell>
            <Table.HeaderCell className="pht-num">Nevner</Table.HeaderCell>
            <Table.HeaderCell className="pht-num">Andel</Table.HeaderCell>
            <Table.HeaderCell className="pht-num">Utgangspunkt</Table.HeaderCell>
            <Table.HeaderCell>Pasienter</Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {indicators.map((i) => (
            <Table.Row key={i.id}>
              <Table.Cell>
                {i.label}
                {i.note && <div className="pht-muted">{i.note}</div>}
              </Table.Cell>
              <Table.Cell className="pht-num">{formatNumber(i.numerator)}</Table.Cell>
              <Table.Cell className="pht-num">{formatNumber(i.denominator)}</Table.Cell>
              <Table.Cell className="pht-num">{formatShare(i.share)}</Table.Cell>
              <Table.Cell className="pht-num">{formatShare(i.baseline)}</Table.Cell>
              <Table.Cell>
                {i.denominatorIds.length > 0 && (
                  <Button variant="tertiary" data-size="sm" aria-expanded={open === i.id} onClick={() => setOpen(open === i.id ? undefined : i.id)}>
                    {open === i.id ? 'Skjul' : 'Vis'}
                  </Button>
                )}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
      {selected && <PatientList indicator={selected} names={names} />}
      <Table data-size="sm" className="pht-manager-table" data-testid="indicator-trend">
        <caption>Utvikling: andel ved slutten av hver måned</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell>Indikator</Table.HeaderCell>
            {trend.map((m) => (
              <Table.HeaderCell key={m.month.from} className="pht-num">
                {formatMonth(m.month.from)}
              </Table.HeaderCell>
            ))}
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {indicators.map((i) => (
            <Table.Row key={i.id}>
              <Table.Cell>{i.label}</Table.Cell>
              {trend.map((m) => (
                <Table.Cell key={m.month.from} className="pht-num">
                  {formatShare(m.indicators.find((x) => x.id === i.id)?.share)}
                </Table.Cell>
              ))}
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </section>
  );
}

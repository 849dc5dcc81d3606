// Model A, the nurse's funding (seed ch. 6.1.1, 6.1.4, Table 1): the flat grant, tariff income incl.
// egenandel so far this year against Table 1's 415 564 kr per full position, and the codes above or
// below their expected frequency.
import { Heading, Paragraph, Table } from '@digdir/designsystemet-react';
import type { CodeFrequency, ModelA } from '../../domain/financing';
import { FigureCards } from './Explained';
import { formatValue } from './format';

const STATUS: Record<CodeFrequency['status'], string> = {
  above: 'Over forventet',
  below: 'Under forventet',
  'as-expected': 'Som forventet (±10 %)',
  none: 'Ingen forventet frekvens',
};

export function ModelASection({ a, nursePositions }: { a: ModelA; nursePositions: number }) {
  return (
    <section aria-labelledby="fin-a-heading" className="pht-fin-block" data-testid="financing-model-a">
      <Heading level={4} data-size="2xs" id="fin-a-heading">
        Modell A: sykepleierens finansiering
      </Heading>
      <Paragraph data-size="sm">
        {formatValue(nursePositions, 'positions')} sykepleier. Halvparten fra et flatt tilskudd, halvparten fra takster inkl. egenandel (kap. 6.1.1).
      </Paragraph>
      <FigureCards figures={[a.flatGrantYear, a.flatGrantSoFar, a.tariffIncomeSoFar, a.expectedTariffIncomeSoFar, a.tariffGap]} />
      <Paragraph data-size="sm" className="pht-muted">
        Forventet hittil = forventet per år per hel stilling (Tabell 1) × stillinger × arbeidsdager gått ÷ 230 (Tabell 1s årsverk, høyst ett årsverk), som i fanen Kodebruk. Over eller under: mer enn 10 % fra forventet.
      </Paragraph>
      <Table data-size="sm" zebra className="pht-fin-table" data-testid="model-a-codes">
        <caption>Takstbruk hittil i år mot forventet frekvens (Tabell 1)</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell>Takst</Table.HeaderCell>
            <Table.HeaderCell className="pht-num">Brukt</Table.HeaderCell>
            <Table.HeaderCell className="pht-num">Forventet hittil</Table.HeaderCell>
            <Table.HeaderCell>Vurdering</Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {a.codes.map((c) => (
            <Table.Row key={c.code} data-status={c.status}>
              <Table.Cell>
                {c.code} {c.text}
              </Table.Cell>
              <Table.Cell className="pht-num">{formatValue(c.count, 'count')}</Table.Cell>
              <Table.Cell className="pht-num" title={c.expectedPerYear === undefined ? undefined : `${c.expectedPerYear} per år per hel stilling × stillinger × arbeidsdager gått ÷ 230 (Tabell 1s årsverk, som i Kodebruk)`}>
                {formatValue(Math.round(c.expected * 10) / 10, 'count')}
              </Table.Cell>
              <Table.Cell>{STATUS[c.status]}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </section>
  );
}

// Kodebruk: per nurse code and nurse, count and amounts against Table 1's expected count pro-rated by
// position and working days (SPEC §5, §7), a chart of actual vs expected, and the charges behind a row.
import { useMemo, useState } from 'react';
import { Alert, Button, Heading, Paragraph, Table } from '@digdir/designsystemet-react';
import type { ChargeRecord, CodeUsage, CodeUsageRow, TariffNorm } from '../../domain/manager';
import { BarChart } from './BarChart';
import { ChargeTable, chargesById, pick } from './ChargeTable';
import { formatKr, formatNumber } from './format';
import type { Names } from './names';

interface Props {
  usage: CodeUsage;
  norms: readonly TariffNorm[];
  charges: readonly ChargeRecord[];
  names: Names;
  egenandelIsDemo: boolean;
}

function rowKey(r: CodeUsageRow): string {
  return `${r.code}|${r.performerId}`;
}

export function CodeUsageSection({ usage, norms, charges, names, egenandelIsDemo }: Props) {
  const [open, setOpen] = useState<string | undefined>(undefined);
  const nurseCodes = useMemo(() => new Set(norms.filter((n) => n.profession === 'nurse').map((n) => n.code)), [norms]);
  const rows = usage.rows.filter((r) => nurseCodes.has(r.code));
  const totals = usage.totals.filter((t) => nurseCodes.has(t.code));
  const byId = useMemo(() => chargesById(charges), [charges]);
  const selected = rows.find((r) => rowKey(r) === open);
  return (
    <section aria-labelledby="usage-heading" className="pht-manager-section">
      <Heading level={3} data-size="xs" id="usage-heading">
        Kodebruk per takst og sykepleier
      </Heading>
      <Paragraph data-size="sm">
        Forventet antall er Tabell 1s forventede antall per årsverk × stillingsprosent × {usage.workingDays} arbeidsdager / 230
        {usage.workingDays < usage.periodWorkingDays ? ` (arbeidsdagene så langt av periodens ${usage.periodWorkingDays})` : ''}.
      </Paragraph>
      {egenandelIsDemo && (
        <Alert data-color="info">
          <Paragraph data-size="sm">Egenandelene i takstkatalogen er demoverdier, ikke Helfos takster.</Paragraph>
        </Alert>
      )}
      <BarChart title="Sykepleiertakster i perioden: faktisk antall mot forventet" bars={totals.map((t) => ({ label: t.code, actual: t.count, ...(t.expected !== undefined ? { expected: t.expected } : {}) }))} />
      <Table data-size="sm" zebra className="pht-manager-table" data-testid="code-usage-table">
        <caption>Antall og beløp mot forventet</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell>Takst</Table.HeaderCell>
            <Table.HeaderCell>Utført av</Table.HeaderCell>
            <Table.HeaderCell className="pht-num">Antall</Table.HeaderCell>
            <Table.HeaderCell className="pht-num">Forventet</Table.HeaderCell>
            <Table.HeaderCell className="pht-num">Honorar</Table.HeaderCell>
            <Table.HeaderCell className="pht-num">Egenandel</Table.HeaderCell>
            <Table.HeaderCell className="pht-num">Refusjon</Table.HeaderCell>
            <Table.HeaderCell>Takster</Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {rows.map((r) => (
            <Table.Row key={rowKey(r)}>
              <Table.Cell>
                {r.code} <span className="pht-muted">{r.text}</span>
              </Table.Cell>
              <Table.Cell>{names.staff(r.performerId)}</Table.Cell>
              <Table.Cell className="pht-num">{formatNumber(r.count)}</Table.Cell>
              <Table.Cell className="pht-num">{r.expected === undefined ? '–' : formatNumber(r.expected)}</Table.Cell>
              <Table.Cell className="pht-num">{formatKr(r.honorar)}</Table.Cell>
              <Table.Cell className="pht-num">{formatKr(r.egenandel)}</Table.Cell>
              <Table.Cell className="pht-num">{formatKr(r.refusjon)}</Table.Cell>
              <Table.Cell>
                {r.chargeIds.length > 0 && (
                  <Button variant="tertiary" data-size="sm" aria-expanded={open === rowKey(r)} onClick={() => setOpen(open === rowKey(r) ? undefined : rowKey(r))}>
                    {open === rowKey(r) ? 'Skjul' : `Vis ${r.chargeIds.length}`}
                  </Button>
                )}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
      {selected && <ChargeTable charges={pick(byId, selected.chargeIds)} names={names} caption={`Takster: ${selected.code}, ${names.staff(selected.performerId)}`} />}
    </section>
  );
}

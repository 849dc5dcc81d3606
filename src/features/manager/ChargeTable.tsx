// The charges behind a figure (drill-down): one row per charge line.
import { Table } from '@digdir/designsystemet-react';
import type { ChargeRecord } from '../../domain/manager';
import { copayReasonLabel } from '../../domain/copay';
import { formatDate } from '../../ui/format';
import { formatKr, formatNumber } from './format';
import type { Names } from './names';
import { osloDate } from '../../domain/calendar';

function statusText(c: ChargeRecord): string {
  if (c.cancelled) return c.claimedAt ? 'Kansellert etter krav' : 'Kansellert';
  return c.claimedAt ? `Krevd ${formatDate(osloDate(c.claimedAt))}` : 'Ikke krevd';
}

export function ChargeTable({ charges, names, caption }: { charges: readonly ChargeRecord[]; names: Names; caption: string }) {
  if (charges.length === 0) return <p>Ingen takster.</p>;
  return (
    <Table data-size="sm" zebra className="pht-manager-table">
      <caption>{caption}</caption>
      <Table.Head>
        <Table.Row>
          <Table.HeaderCell>Dato</Table.HeaderCell>
          <Table.HeaderCell>Takst</Table.HeaderCell>
          <Table.HeaderCell>Pasient</Table.HeaderCell>
          <Table.HeaderCell>Utført av</Table.HeaderCell>
          <Table.HeaderCell className="pht-num">Antall</Table.HeaderCell>
          <Table.HeaderCell className="pht-num">Honorar</Table.HeaderCell>
          <Table.HeaderCell className="pht-num">Egenandel</Table.HeaderCell>
          <Table.HeaderCell className="pht-num">Refusjon</Table.HeaderCell>
          <Table.HeaderCell>Fritak</Table.HeaderCell>
          <Table.HeaderCell>Status</Table.HeaderCell>
        </Table.Row>
      </Table.Head>
      <Table.Body>
        {charges.map((c) => (
          <Table.Row key={c.id} data-charge-id={c.id}>
            <Table.Cell>{formatDate(osloDate(c.at))}</Table.Cell>
            <Table.Cell>{c.code}</Table.Cell>
            <Table.Cell>{names.patient(c.patientId)}</Table.Cell>
            <Table.Cell>{names.staff(c.performerId)}</Table.Cell>
            <Table.Cell className="pht-num">{formatNumber(c.quantity)}</Table.Cell>
            <Table.Cell className="pht-num">{formatKr(c.honorar)}</Table.Cell>
            <Table.Cell className="pht-num">{formatKr(c.egenandelCharged)}</Table.Cell>
            <Table.Cell className="pht-num">{formatKr(c.refusjon)}</Table.Cell>
            <Table.Cell>{c.waiverReason ? copayReasonLabel(c.waiverReason) : ''}</Table.Cell>
            <Table.Cell>{statusText(c)}</Table.Cell>
          </Table.Row>
        ))}
      </Table.Body>
    </Table>
  );
}

export function chargesById(charges: readonly ChargeRecord[]): Map<string, ChargeRecord> {
  return new Map(charges.map((c) => [c.id, c]));
}

export function pick(byId: ReadonlyMap<string, ChargeRecord>, ids: readonly string[]): ChargeRecord[] {
  return ids.flatMap((id) => {
    const c = byId.get(id);
    return c ? [c] : [];
  });
}

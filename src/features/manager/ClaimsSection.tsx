// Oppgjørskontroll (financing model A; SPEC §7, seed ch. 5.1): the period's nurse charges not yet
// marked as claimed, totals and exemptions by reason, egenandel older than 14 days, charges cancelled
// after their claim, the reconciliation CSV and "Marker som krevd".
import { Alert, Button, Heading, Paragraph, Table } from '@digdir/designsystemet-react';
import { claimsExportRows, CLAIMS_EXPORT_HEADER, CLAIM_DEADLINE_DAYS, type ClaimsOverview } from '../../domain/manager';
import { copayReasonLabel } from '../../domain/copay';
import type { ClaimRun } from '../../state/managerStore';
import type { ClaimBatch } from '../contact-copay/api';
import { formatDate } from '../../ui/format';
import { ChargeTable } from './ChargeTable';
import { downloadCsv, toCsv } from '../../platform/csv';
import { formatKr, formatNumber } from './format';
import { MarkClaimed } from './MarkClaimed';
import type { Names } from './names';

interface Props {
  claims: ClaimsOverview;
  toMark: number;
  names: Names;
  run: ClaimRun;
  onMark: () => void;
  /** Told after the CSV is made (for the audit log). */
  onExport: (rows: number) => void;
  /** The claims batches marked, newest first. */
  batches: readonly ClaimBatch[];
  /** Undoes the last batch. */
  onUndo: (batchId: string) => void;
  undoing: boolean;
}

export function ClaimsSection({ claims, toMark, names, run, onMark, onExport, batches, onUndo, undoing }: Props) {
  const { totals } = claims;
  return (
    <section aria-labelledby="claims-heading" className="pht-manager-section">
      <Heading level={3} data-size="xs" id="claims-heading">
        Oppgjørskontroll: sykepleiertakster som ikke er krevd
      </Heading>
      <Paragraph data-size="sm">Kravet (behandlerkravmelding) sendes til Helfo fra journalsystemet. Her ser du hva som ikke er markert som krevd.</Paragraph>
      <dl className="pht-manager-totals" data-testid="claims-totals">
        <div><dt>Takster</dt><dd data-testid="unclaimed-count">{formatNumber(totals.count)}</dd></div>
        <div><dt>Honorar</dt><dd>{formatKr(totals.honorar)}</dd></div>
        <div><dt>Egenandel</dt><dd>{formatKr(totals.egenandel)}</dd></div>
        <div><dt>Refusjon</dt><dd>{formatKr(totals.refusjon)}</dd></div>
      </dl>
      {claims.overdueEgenandel.length > 0 && (
        <Alert data-color="warning" data-testid="overdue-egenandel">
          <Paragraph>
            {claims.overdueEgenandel.length === 1 ? '1 takst' : `${claims.overdueEgenandel.length} takster`} har egenandel eldre enn {CLAIM_DEADLINE_DAYS} dager som ikke er krevd. Egenandeler skal rapporteres til Helfo innen{' '}
            {CLAIM_DEADLINE_DAYS} dager.
          </Paragraph>
        </Alert>
      )}
      {claims.cancelledAfterClaim.length > 0 && (
        <Alert data-color="danger" data-testid="cancelled-after-claim">
          <Paragraph>{claims.cancelledAfterClaim.length === 1 ? '1 takst' : `${claims.cancelledAfterClaim.length} takster`} er kansellert etter at de ble krevd. Kravet må korrigeres, og egenandel betales tilbake.</Paragraph>
          <ChargeTable charges={claims.cancelledAfterClaim} names={names} caption="Kansellert etter krav" />
        </Alert>
      )}
      {claims.exemptionsByReason.length > 0 && (
        <Table data-size="sm" className="pht-manager-table">
          <caption>Fritak for egenandel etter årsak</caption>
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell>Årsak</Table.HeaderCell>
              <Table.HeaderCell className="pht-num">Antall</Table.HeaderCell>
              <Table.HeaderCell className="pht-num">Refusjon</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {claims.exemptionsByReason.map((r) => (
              <Table.Row key={r.reason}>
                <Table.Cell>
                  {copayReasonLabel(r.reason)} ({r.reason})
                </Table.Cell>
                <Table.Cell className="pht-num">{r.count}</Table.Cell>
                <Table.Cell className="pht-num">{formatKr(r.refusjon)}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      <div className="pht-manager-actions">
        <MarkClaimed count={toMark} refusjon={totals.refusjon} run={run} onConfirm={onMark} />
        <Button variant="secondary" disabled={claims.unclaimed.length === 0} onClick={() => {
            downloadCsv(`oppgjor-${claims.period.from}-${claims.period.to}.csv`, toCsv(CLAIMS_EXPORT_HEADER, claimsExportRows(claims.unclaimed)));
            onExport(claims.unclaimed.length);
          }}
        >
          Last ned CSV for avstemming
        </Button>
      </div>
      <div data-testid="unclaimed-list">
        <ChargeTable charges={claims.unclaimed} names={names} caption="Ikke krevd" />
      </div>
      {batches.length > 0 && (
        <Table data-size="sm" className="pht-manager-table" data-testid="claim-batches">
          <caption>Markert som krevd (historikk)</caption>
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell>Markert</Table.HeaderCell>
              <Table.HeaderCell>Periode</Table.HeaderCell>
              <Table.HeaderCell className="pht-num">Takster</Table.HeaderCell>
              <Table.HeaderCell className="pht-num">Refusjon</Table.HeaderCell>
              <Table.HeaderCell>Status</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {batches.map((b) => (
              <Table.Row key={b.id} data-testid="claim-batch">
                <Table.Cell>{formatDate(b.markedAt.slice(0, 10))}</Table.Cell>
                <Table.Cell>{b.periodFrom && b.periodTo ? `${formatDate(b.periodFrom)}–${formatDate(b.periodTo)}` : ''}</Table.Cell>
                <Table.Cell className="pht-num">{b.charges}</Table.Cell>
                <Table.Cell className="pht-num">{formatKr(b.refusjon)}</Table.Cell>
                <Table.Cell>
                  {b.undoneAt ? (
                    `Angret ${formatDate(b.undoneAt.slice(0, 10))}`
                  ) : b.undoable ? (
                    <Button data-size="sm" variant="secondary" disabled={undoing} onClick={() => onUndo(b.id)} data-testid="undo-claims">
                      Angre siste markering
                    </Button>
                  ) : (
                    'Krevd'
                  )}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </section>
  );
}

// Avvik: the anomalies of SPEC §7, each with the charges behind it.
import { useMemo } from 'react';
import { Details, Heading, Paragraph } from '@digdir/designsystemet-react';
import { ANOMALY_LABELS, type Anomaly, type ChargeRecord } from '../../domain/manager';
import { formatDate } from '../../ui/format';
import { ChargeTable, chargesById, pick } from './ChargeTable';
import type { Names } from './names';

export function AnomaliesSection({ anomalies, charges, names }: { anomalies: readonly Anomaly[]; charges: readonly ChargeRecord[]; names: Names }) {
  const byId = useMemo(() => chargesById(charges), [charges]);
  return (
    <section aria-labelledby="anomalies-heading" className="pht-manager-section">
      <Heading level={3} data-size="xs" id="anomalies-heading">
        Avvik i perioden ({anomalies.length})
      </Heading>
      {anomalies.length === 0 ? (
        <Paragraph>Ingen avvik funnet.</Paragraph>
      ) : (
        <div className="pht-manager-list" data-testid="anomaly-list">
          {anomalies.map((a) => (
            <Details key={`${a.kind}|${a.patientId}|${a.day}|${a.chargeIds.join(',')}`}>
              <Details.Summary>
                {formatDate(a.day)}: {ANOMALY_LABELS[a.kind]} – {names.patient(a.patientId)}
                {a.detail && a.kind === 'OVER_YEARLY_MAX' ? ` (${a.detail})` : ''}
                {a.detail && a.kind === 'NURSE_CODE_BY_NON_NURSE' ? ` (${names.staff(a.detail)})` : ''}
              </Details.Summary>
              <Details.Content>
                <ChargeTable charges={pick(byId, a.chargeIds)} names={names} caption="Takstene bak avviket" />
              </Details.Content>
            </Details>
          ))}
        </div>
      )}
    </section>
  );
}

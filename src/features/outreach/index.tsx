// Outreach to weak demanders (issue "Target groups" point 5; source ch. 4.3): the candidates of the
// latest scan with no contact in 365 days; for each the team records the assessed need and the offer.
import { useEffect, useState } from 'react';
import { logListView } from '../../fhir/audit';
import { Alert, Button, Heading, Paragraph } from '@digdir/designsystemet-react';
import { describeError } from '../../fhir/errors';
import { scanPopulation } from '../../fhir/population';
import { loadOutreachWorklist } from '../../fhir/targetGroupsOutreach';
import { useOutreachStore } from '../../state/targetGroupsStore';
import type { FeatureProps } from '../../ui/featureProps';
import { formatDate, osloToday } from '../../ui/format';
import { Loading } from '../../ui/Loading';
import { OutreachRow } from './OutreachRow';
import './outreach.css';

export default function Outreach({ client, session, user, openPatient }: FeatureProps) {
  const { status, data, error, load, setData } = useOutreachStore();
  const [scanning, setScanning] = useState(false);
  const userId = user.practitionerId;
  useEffect(() => {
    void load((signal) => loadOutreachWorklist(client, { userId, asOf: osloToday(new Date()), signal }));
  }, [client, userId, load]);
  // Who saw which list when (SPEC §8), once the rows are shown; never blocks the view.
  const shown = status === 'ready' ? data?.rows.length : undefined;
  useEffect(() => {
    if (shown !== undefined) void logListView(client, { list: 'outreach', count: shown, user: { practitionerId: userId, name: user.name } });
  }, [client, shown, userId, user.name]);

  const scanFirst = () =>
    void load(async (signal) => {
      setScanning(true);
      try {
        const asOf = osloToday(new Date());
        await scanPopulation(client, { kind: 'practice' }, { userId, asOf, signal });
        return await loadOutreachWorklist(client, { userId, asOf, signal });
      } finally {
        setScanning(false);
      }
    });

  return (
    <section aria-labelledby="outreach-heading" className="pht-or">
      <Heading level={2} data-size="sm" id="outreach-heading">
        Oppsøkende tilbud til svake etterspørrere
      </Heading>
      <Paragraph data-size="sm">
        Pasienter i en målgruppe uten kontakt med legekontoret de siste 365 dagene. Teamet vurderer behovet, dokumenterer det og tilbyr
        konsultasjon eller hjemmebesøk.
      </Paragraph>
      {status === 'loading' && <Loading text={scanning ? 'Går gjennom listen …' : 'Laster arbeidslisten …'} />}
      {status === 'error' && (
        <Alert data-color="danger" role="alert">
          <Paragraph>Kunne ikke laste arbeidslisten: {describeError(error).message}</Paragraph>
        </Alert>
      )}
      {status === 'ready' && data && !data.hasScan && (
        <Alert data-color="info">
          <Paragraph>Listen er ikke gjennomgått ennå, så det finnes ingen målgruppekandidater.</Paragraph>
          <Button onClick={scanFirst} data-testid="outreach-scan">
            Gå gjennom listen nå
          </Button>
        </Alert>
      )}
      {status === 'ready' && data?.hasScan && (
        <>
          <Paragraph data-testid="outreach-count">
            {data.rows.length} svake etterspørrere per {formatDate(data.asOf)}.
          </Paragraph>
          <ul className="pht-or-list" aria-label="Svake etterspørrere">
            {data.rows.map((row) => (
              <OutreachRow
                key={row.patientId}
                row={row}
                client={client}
                recorder={{ fhirUser: session.fhirUser, name: user.name }}
                onOpen={openPatient ? () => openPatient(row.patientId, { from: 'outreach', outreach: true }) : undefined}
                onRecorded={(outreach) => setData({ ...data, rows: data.rows.map((r) => (r.patientId === row.patientId ? { ...r, outreach } : r)) })}
              />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

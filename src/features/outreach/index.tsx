// Outreach to weak demanders (issue "Target groups" point 5; source ch. 4.3; issue 15): the candidates of
// the last computed result with no contact in 365 days; for each the team records the assessed need and
// the offer. The list and the records come from the app server (src/features/target-groups/api.ts).
import { useMemo, useState } from 'react';
import { Alert, Button, Heading, Paragraph } from '@digdir/designsystemet-react';
import { searchPatients } from '../../domain/patientSearch';
import type { FeatureProps } from '../../ui/featureProps';
import { PatientSearchField } from '../../ui/PatientSearchField';
import { Loading } from '../../ui/Loading';
import { computedAtText, errorMessage, useOutreachWorklist, useScanRun, useStartScan } from '../target-groups/api';
import { OutreachRow } from './OutreachRow';
import './outreach.css';

export default function Outreach({ session, user, openPatient }: FeatureProps) {
  const api = useMemo(() => ({ ...(session.handle ? { handle: session.handle } : {}) }), [session.handle]);
  const worklist = useOutreachWorklist(api);
  const start = useStartScan(api);
  const [runId, setRunId] = useState<string | undefined>(undefined);
  const run = useScanRun(api, runId);
  const scanning = start.isPending || run.data?.state === 'running' || (runId !== undefined && run.data === undefined);
  const data = worklist.data;
  const [query, setQuery] = useState('');
  // The patient search of every list (issue 17 item 21): name or birth date.
  const shown = searchPatients(data?.rows ?? [], query, (r) => ({ name: r.name, birthDate: r.birthDate ?? null }));

  return (
    <section aria-labelledby="outreach-heading" className="pht-or">
      <Heading level={2} data-size="sm" id="outreach-heading">
        Oppsøkende tilbud til svake etterspørrere
      </Heading>
      <Paragraph data-size="sm">
        Pasienter i en målgruppe uten kontakt med legekontoret de siste 365 dagene. Teamet vurderer behovet, dokumenterer det og tilbyr
        konsultasjon eller hjemmebesøk.
      </Paragraph>
      {(worklist.isPending || scanning) && <Loading text={scanning ? 'Går gjennom listen …' : 'Laster arbeidslisten …'} />}
      {worklist.isError && (
        <Alert data-color="danger" role="alert">
          <Paragraph>Kunne ikke laste arbeidslisten: {errorMessage(worklist.error)}</Paragraph>
        </Alert>
      )}
      {start.isError && (
        <Alert data-color="danger" role="alert">
          <Paragraph>Gjennomgangen kunne ikke startes: {errorMessage(start.error)}</Paragraph>
        </Alert>
      )}
      {data && data.computedAt === undefined && !scanning && (
        <Alert data-color="info">
          <Paragraph>Listen er ikke gjennomgått ennå, så det finnes ingen målgruppekandidater.</Paragraph>
          <Button onClick={() => start.mutate(undefined, { onSuccess: (r) => setRunId(r.id) })} data-testid="outreach-scan">
            Gå gjennom listen nå
          </Button>
        </Alert>
      )}
      {data?.computedAt && (
        <>
          <Paragraph data-testid="outreach-count">
            {data.rows.length} svake etterspørrere, {computedAtText(data.computedAt, new Date())}.
          </Paragraph>
          <PatientSearchField value={query} onChange={setQuery} testId="outreach-search" className="pht-or-search" />
          {query.trim() !== '' && shown.length === 0 && <Paragraph>Ingen svake etterspørrere for «{query.trim()}».</Paragraph>}
          <ul className="pht-or-list" aria-label="Svake etterspørrere">
            {shown.map((row) => (
              <OutreachRow
                key={row.patientId}
                row={row}
                api={api}
                authorName={user.name}
                onOpen={openPatient ? () => openPatient(row.patientId, { from: 'outreach', outreach: true }) : undefined}
              />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

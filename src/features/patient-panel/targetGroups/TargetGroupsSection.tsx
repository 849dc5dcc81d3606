// Target groups of the patient in the panel: a badge per group (forslag / bekreftet / avkreftet) with
// its reasons, the markers, and for a GP the assessment (SPEC §3). Nurses see but cannot assess. The app
// server classifies and stores (issue 15); this section only shows and sends.
import { useMemo } from 'react';
import { Alert, Heading, Paragraph, Tag } from '@digdir/designsystemet-react';
import type { PatientTargetGroupsResponse } from '../../../domain/targetGroups/views';
import type { FeatureProps } from '../../../ui/featureProps';
import { Loading } from '../../../ui/Loading';
import { errorMessage, usePatientTargetGroups } from '../../target-groups/api';
import { GroupCard, UncheckedList } from './GroupCard';
import './targetGroups.css';

export function TargetGroupsSection({ session, user, patient }: FeatureProps) {
  const api = useMemo(() => ({ ...(session.handle ? { handle: session.handle } : {}) }), [session.handle]);
  const patientId = patient?.id;
  const query = usePatientTargetGroups(api, patientId);
  if (!patientId) return null;
  const data = query.data?.patientId === patientId ? query.data : undefined;
  const isGp = user.role.role === 'gp';
  return (
    <section aria-labelledby="target-groups-heading" className="pht-tg" data-testid="target-groups" data-ready={data ? 'true' : undefined}>
      <Heading level={3} data-size="xs" id="target-groups-heading">
        Målgrupper
      </Heading>
      {query.isPending && <Loading text="Laster målgrupper …" />}
      {query.isError && (
        <Alert data-color="danger" role="alert">
          <Paragraph>Kunne ikke vise målgruppene: {errorMessage(query.error)}</Paragraph>
        </Alert>
      )}
      {data && (
        <>
          {data.stale && (
            <Alert data-color="warning" data-testid="target-group-stale">
              <Paragraph>Journalsystemet svarte ikke; dette er siste lagrede vurdering.</Paragraph>
            </Alert>
          )}
          <Markers view={data} />
          {data.groups.length === 0 && <Paragraph>Pasienten er ikke kandidat til noen målgruppe.</Paragraph>}
          <ul className="pht-tg-groups">
            {data.groups.map((g) => (
              <GroupCard
                key={g.group}
                patientId={patientId}
                group={g}
                unchecked={(data.unchecked ?? []).filter((u) => u.group === g.group).map((u) => u.text)}
                assessments={data.assessments}
                canAssess={isGp}
                api={api}
                authorName={user.name}
              />
            ))}
          </ul>
          <UncheckedList texts={(data.unchecked ?? []).filter((u) => !data.groups.some((g) => g.group === u.group)).map((u) => u.text)} />
          <DataNotice notes={data.notes} />
        </>
      )}
    </section>
  );
}

function Markers({ view }: { view: PatientTargetGroupsResponse }) {
  const markers = [
    view.weakDemander && 'svak etterspørrer',
    view.needsMedicationReview && 'trenger legemiddelgjennomgang',
    view.needsCarePlan && 'trenger behandlingsplan',
  ].filter((m): m is string => typeof m === 'string');
  if (markers.length === 0) return null;
  return (
    <ul className="pht-tg-markers" aria-label="Markeringer" data-testid="target-group-markers">
      {markers.map((m) => (
        <li key={m}>
          <Tag data-color="warning">{m}</Tag>
        </li>
      ))}
    </ul>
  );
}

function DataNotice({ notes }: { notes: readonly string[] }) {
  if (notes.length === 0) return null;
  return (
    <Alert data-color="warning" data-testid="target-group-data-notice">
      <Paragraph>Noen data kunne ikke brukes: {notes.length === 1 ? notes[0] : ''}</Paragraph>
      {notes.length > 1 && (
        <ul>
          {notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

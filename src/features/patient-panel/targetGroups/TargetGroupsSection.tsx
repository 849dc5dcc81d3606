// Target groups of the patient in the panel: a badge per group (forslag / bekreftet / avkreftet) with
// its reasons, the markers, and for a GP the assessment (SPEC §3). Nurses see but cannot assess.
import { useLayoutEffect } from 'react';
import { Alert, Heading, Paragraph, Tag } from '@digdir/designsystemet-react';
import { describeError } from '../../../fhir/errors';
import { loadPatientTargetGroups, type PatientTargetGroups } from '../../../fhir/targetGroups';
import { usePatientTargetGroupsStore } from '../../../state/targetGroupsStore';
import type { FeatureProps } from '../../../ui/featureProps';
import { osloToday } from '../../../ui/format';
import { Loading } from '../../../ui/Loading';
import { GroupCard } from './GroupCard';
import { MedicationReviewForm } from './MedicationReviewForm';
import './targetGroups.css';

export function TargetGroupsSection({ client, session, user, patient }: FeatureProps) {
  const { status, data, error, load, setData } = usePatientTargetGroupsStore();
  const patientId = patient?.id;
  // A layout effect: the panel's reads all start in the same task at commit (see patient-panel/index.tsx).
  useLayoutEffect(() => {
    if (patientId) void load((signal) => loadPatientTargetGroups(client, patientId, osloToday(new Date()), signal));
  }, [client, patientId, load]);

  if (!patientId) return null;
  const recorder = { fhirUser: session.fhirUser, name: user.name };
  const isGp = user.role.role === 'gp';
  return (
    <section aria-labelledby="target-groups-heading" className="pht-tg" data-testid="target-groups" data-ready={status === 'ready' ? 'true' : undefined}>
      <Heading level={3} data-size="xs" id="target-groups-heading">
        Målgrupper
      </Heading>
      {status === 'loading' && <Loading text="Laster målgrupper …" />}
      {status === 'error' && (
        <Alert data-color="danger" role="alert">
          <Paragraph>Kunne ikke vise målgruppene: {describeError(error).message}</Paragraph>
        </Alert>
      )}
      {status === 'ready' && data && data.patientId === patientId && (
        <>
          <Markers view={data} />
          {data.groups.length === 0 && <Paragraph>Pasienten er ikke kandidat til noen målgruppe.</Paragraph>}
          <ul className="pht-tg-groups">
            {data.groups.map((g) => (
              <GroupCard key={g.group} view={data} group={g} canAssess={isGp} client={client} recorder={recorder} onChange={setData} />
            ))}
          </ul>
          {isGp && data.polypharmacy && <MedicationReviewForm view={data} client={client} recorder={recorder} onChange={setData} />}
          <DataNotice view={data} />
        </>
      )}
    </section>
  );
}

function Markers({ view }: { view: PatientTargetGroups }) {
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

function DataNotice({ view }: { view: PatientTargetGroups }) {
  const notes = [...view.dataIssues, ...view.warnings];
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

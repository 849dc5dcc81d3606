// The patient panel (SPEC §1 role table): target-group badges with reasons and the GP's assessment,
// the open discharge follow-up, and the contact form with today's team charges. Each part loads on its
// own (its own error boundary and message), all in parallel at mount: with the launch's user and patient
// reads that is two sequential FHIR round-trips after the token (issue "Performance", budget 2).
import { useLayoutEffect } from 'react';
import { Heading } from '@digdir/designsystemet-react';
import type { FeatureProps } from '../../ui/featureProps';
import { ErrorBoundary } from '../../ui/ErrorBoundary';
import { osloToday } from '../../ui/format';
import { TargetGroupsSection } from './targetGroups';
import { FollowUpSection } from './followUp';
import { ContactSection } from './contact';
import { CareSection } from '../care/ui/CareSection';
import { prefetchContactDay } from './contact/useContactDay';
import { CapabilityNotes, capabilitiesQuery } from '../../platform/ui/CapabilityNotes';
import { useQueryClient } from '@tanstack/react-query';
import { useInvalidatePatient } from '../target-groups/api';

export default function PatientPanel(props: FeatureProps) {
  const { patient, user, session } = props;
  const queryClient = useQueryClient();
  // A care plan or a medication review moves the target-group markers: reload them after a care change.
  const reloadTargetGroups = useInvalidatePatient(session.handle ? { handle: session.handle } : {});
  const registers = user.role.role === 'gp' || user.role.role === 'nurse';
  // The contact form is rendered below the follow-up once that has loaded; start its reads at commit,
  // like the sections start theirs (layout effects: all in the same task, before paint), so every read of
  // the panel goes out in the same round-trip (issue "Performance": 2 sequential round-trips).
  useLayoutEffect(() => {
    const api = session.handle ? { handle: session.handle } : {};
    void queryClient.prefetchQuery(capabilitiesQuery(api)); // in the same round trip (issue 19 point 1)
    if (registers && patient) prefetchContactDay(queryClient, api, patient.id, osloToday(new Date()));
  }, [queryClient, session.handle, patient, registers]);

  if (!patient) return null;
  return (
    <section aria-labelledby="patient-panel-heading" className="pht-patient-panel">
      <Heading level={2} data-size="sm" id="patient-panel-heading" className="ds-sr-only">
        Pasientpanel
      </Heading>
      <CapabilityNotes handle={props.session.handle} where="patient" />
      <ErrorBoundary area="Målgrupper">
        <TargetGroupsSection {...props} />
      </ErrorBoundary>
      {registers && <ErrorBoundary area="Behandlingsplan, LMG, IP"><CareSection {...props} onChanged={() => void reloadTargetGroups(patient.id)} /></ErrorBoundary>}
      {registers && (
        <ErrorBoundary area="Oppfølging og kontakt">
          <FollowUpSection {...props} fallback={<ContactSection {...props} />} />
        </ErrorBoundary>
      )}
    </section>
  );
}

// The patient panel (SPEC §1 role table): target-group badges with reasons and the GP's assessment,
// the open discharge follow-up, and the contact form with today's team charges. Everything it shows at
// first paint comes in one request after the session (GET /api/panel, the app server reads the parts in
// parallel; issue 19 point 1: two round trips after the session). Each part still loads and fails on its
// own (its own error boundary and message): a part the one answer lacks is read by its section.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Heading } from '@digdir/designsystemet-react';
import type { FeatureProps } from '../../ui/featureProps';
import { ErrorBoundary } from '../../ui/ErrorBoundary';
import { Loading } from '../../ui/Loading';
import { osloToday } from '../../ui/format';
import { TargetGroupsSection } from './targetGroups';
import { FollowUpSection } from './followUp';
import { ContactSection } from './contact';
import { CareSection } from '../care/ui/CareSection';
import { CapabilityNotes } from '../../platform/ui/CapabilityNotes';
import { useInvalidatePatient } from '../target-groups/api';
import { panelQuery, seedPanel, type PanelAnswer } from './api';
import { takeSessionPanel } from '../../platform/panelPrefetch';

export default function PatientPanel(props: FeatureProps) {
  const { patient, user, session } = props;
  const queryClient = useQueryClient();
  // A care plan or a medication review moves the target-group markers: reload them after a care change.
  const reloadTargetGroups = useInvalidatePatient(session.handle ? { handle: session.handle } : {});
  const registers = user.role.role === 'gp' || user.role.role === 'nurse';
  const api = session.handle ? { handle: session.handle } : {};
  const request = { patientId: patient?.id ?? '', birthDate: patient?.birthDate, registers, day: osloToday(new Date()) };
  const query = panelQuery(queryClient, api, request);
  // A launch patient's panel came with the session: into the cache before the sections first render (once;
  // the way TanStack's hydration does it), so they show it without asking.
  useState(() => {
    if (!patient || queryClient.getQueryData(query.queryKey)) return;
    const early = takeSessionPanel(patient.id);
    const answer = early?.answer as PanelAnswer | undefined;
    // As data of the time it arrived: a section whose data is newer keeps it, and an old part is stale at
    // once, so its section reads it again (the user may have changed it in another view meanwhile).
    if (early && answer?.patientId === patient.id) queryClient.setQueryData(query.queryKey, { seeded: seedPanel(queryClient, api, request, answer, early.receivedAt) });
  });
  // Otherwise the sections mount once the one answer is in the cache (or has failed), so none of them asks again.
  const panel = useQuery({ ...query, enabled: patient !== undefined });

  if (!patient) return null;
  if (panel.isPending) return <Loading text="Laster pasientpanelet …" />;
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

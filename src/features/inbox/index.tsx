// Innboks (health secretary; issue "Discharge follow-up" point 3, SPEC §4): discharge messages to triage
// into follow-up tasks. Target-group patients get their task on load; the rest wait here for a decision.
import { useEffect, useState } from 'react';
import { Alert, Button, Details, Heading, Paragraph } from '@digdir/designsystemet-react';
import { osloDate } from '../../domain/calendar';
import { createInboxStore, inboxSections } from '../../state/inboxStore';
import { serverStatusSource } from '../../fhir/targetGroupStatus';
import type { FeatureProps } from '../../ui/featureProps';
import { queryClient } from '../../platform/queryClient';
import { fetchPracticeSettings } from '../../platform/settings';
import { ProgressBar } from '../../ui/ProgressBar';
import { LoadError } from '../../ui/LoadError';
import { HandledTable } from './HandledTable';
import { ErrorRows, HistoryRows } from './OtherRows';
import { TriageCard } from './TriageCard';
import './inbox.css';

export default function Inbox({ client, user, session }: FeatureProps) {
  // The secretary reads no clinical facts (issue 12 item 5): the app server gives her the target-group status.
  const [store] = useState(() =>
    createInboxStore({
      client,
      user,
      settings: async () => (await fetchPracticeSettings(queryClient, { ...(session.handle ? { handle: session.handle } : {}) })).settings,
      ...(user.role.role === 'secretary' ? { statusSource: serverStatusSource(client) } : {}),
    }),
  );
  const { status, progress, data, error, actions, load, cancel, createTask, markNone } = store();
  useEffect(() => {
    void store.getState().load();
  }, [store]);
  const sections = inboxSections(data?.rows ?? []);
  const autoCreated = new Set(data?.autoCreated ?? []);
  const today = osloDate(new Date().toISOString());

  return (
    <section aria-labelledby="inbox-heading" className="pht-inbox">
      <div className="pht-inbox-head">
        <Heading level={2} data-size="sm" id="inbox-heading">
          Innboks: utskrivninger
        </Heading>
        <Button variant="secondary" data-size="sm" onClick={() => void load()} disabled={status === 'loading'} data-testid="inbox-reload">
          Last inn på nytt
        </Button>
      </div>
      <Paragraph data-size="sm">
        Epikriser og meldinger om utskrivning. Pasienter i målgruppene skal kontaktes innen 3 arbeidsdager etter utskrivning.
      </Paragraph>
      {status === 'loading' && <ProgressBar label={progress?.label ?? 'Laster innboksen …'} done={progress?.done ?? 0} total={progress?.total} onCancel={cancel} />}
      {status === 'error' && <LoadError what="innboksen" error={error} onRetry={() => void load()} />}
      {data && status !== 'loading' && (
        <>
          <Paragraph data-testid="inbox-summary" role="status">
            {sections.toTriage.length} {sections.toTriage.length === 1 ? 'melding' : 'meldinger'} til behandling.
            {data.ensured.created > 0 && ` ${data.ensured.created} ${data.ensured.created === 1 ? 'oppgave' : 'oppgaver'} opprettet automatisk for pasienter i målgruppene.`}
          </Paragraph>
          {[...data.taskIssues, ...data.ensured.failures.map((f) => f.message)].map((m) => (
            <Alert data-color="warning" data-size="sm" key={m}>
              <Paragraph data-size="sm">{m}</Paragraph>
            </Alert>
          ))}
          <Heading level={3} data-size="xs">
            Til behandling ({sections.toTriage.length})
          </Heading>
          {sections.toTriage.length === 0 && <Paragraph>Ingen meldinger venter på behandling.</Paragraph>}
          <ul className="pht-inbox-list" aria-label="Meldinger til behandling">
            {sections.toTriage.map((row) => (
              <TriageCard
                key={row.key}
                row={row}
                nurses={data.team.nurses}
                defaultNurseId={data.team.defaultNurseId}
                today={today}
                action={actions[row.key]}
                onCreate={(input) => void createTask(row.key, input)}
                onNone={(input) => void markNone(row.key, input)}
              />
            ))}
          </ul>
          {sections.errors.length > 0 && (
            <>
              <Heading level={3} data-size="xs">
                Meldinger med feil ({sections.errors.length})
              </Heading>
              <ErrorRows rows={sections.errors} />
            </>
          )}
          <Heading level={3} data-size="xs">
            Behandlet ({sections.handled.length})
          </Heading>
          <HandledTable rows={sections.handled} autoCreated={autoCreated} nurses={data.team.nurses} />
          {sections.history.length > 0 && (
            <Details>
              <Details.Summary>Historikk: fristen gikk ut mer enn 30 dager før meldingen ble sett ({sections.history.length})</Details.Summary>
              <Details.Content>
                <Paragraph data-size="sm">Disse utskrivningene får ingen oppgave.</Paragraph>
                <HistoryRows rows={sections.history} />
              </Details.Content>
            </Details>
          )}
        </>
      )}
    </section>
  );
}

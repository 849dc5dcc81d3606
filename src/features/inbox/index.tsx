// Innboks (health secretary; SPEC §4): discharge messages to triage into follow-up tasks, from the app
// server (/api/follow-up/inbox: it reads the messages with its own token, so the secretary reads no
// clinical facts, and creates the tasks of target-group patients first). The rest wait here for a
// decision: a follow-up task for a nurse, or «ingen oppfølging» with a reason.
import { useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Details, Heading, Paragraph } from '@digdir/designsystemet-react';
import { osloDate } from '../../domain/calendar';
import { calendarOf } from '../../domain/settings';
import { loadFollowUpTeam } from '../../state/followUpTeam';
import type { FeatureProps } from '../../ui/featureProps';
import { LoadError } from '../../ui/LoadError';
import { Loading } from '../../ui/Loading';
import { usePracticeSettings } from '../../platform/settings';
import { CapabilityNotes } from '../../platform/ui/CapabilityNotes';
import { newClientId, useInbox, useTriage, type TriageInput } from '../follow-up/api';
import { HandledTable } from './HandledTable';
import { inboxSections, inboxView } from './model';
import { ErrorRows, HistoryRows } from './OtherRows';
import { TriageCard } from './TriageCard';
import type { RowAction } from './TriageForm';
import './inbox.css';

export default function Inbox({ client, user, session }: FeatureProps) {
  const ctx = session.handle ? { handle: session.handle } : {};
  const inbox = useInbox(ctx);
  const settings = usePracticeSettings(ctx);
  const triage = useTriage(ctx);
  const today = osloDate(new Date().toISOString());
  const team = useQuery({ queryKey: ['follow-up-team', user.practitionerId, today], queryFn: ({ signal }) => loadFollowUpTeam(client, user.practitionerId, today, signal), staleTime: 5 * 60_000 });
  const [actions, setActions] = useState<Record<string, RowAction>>({});
  // One client id per message and decision: a retry after an error is the same triage.
  const ids = useRef(new Map<string, string>());
  const calendar = settings.data ? calendarOf(settings.data.settings) : undefined;
  const rows = (inbox.data?.rows ?? []).map((r) => inboxView(r, today, calendar));
  const sections = inboxSections(rows);
  const nurses = team.data?.nurses ?? [];

  const run = async (key: string, input: Omit<TriageInput, 'id' | 'episodeKey'>) => {
    const idKey = `${key}\n${input.action}`;
    const id = ids.current.get(idKey) ?? newClientId();
    ids.current.set(idKey, id);
    setActions((a) => ({ ...a, [key]: { status: 'saving' } }));
    try {
      await triage.mutateAsync({ id, episodeKey: key, ...input });
      setActions(({ [key]: _, ...rest }) => rest);
    } catch (error) {
      setActions((a) => ({ ...a, [key]: { status: 'error', message: error instanceof Error ? error.message : String(error), action: '' } }));
    }
  };

  return (
    <section aria-labelledby="inbox-heading" className="pht-inbox">
      <div className="pht-inbox-head">
        <Heading level={2} data-size="sm" id="inbox-heading">
          Innboks: utskrivninger
        </Heading>
        <Button variant="secondary" data-size="sm" onClick={() => void inbox.refetch()} disabled={inbox.isFetching} data-testid="inbox-reload">
          Last inn på nytt
        </Button>
      </div>
      <CapabilityNotes handle={session.handle} where="inbox" />
      <Paragraph data-size="sm">Epikriser og meldinger om utskrivning. Pasienter i målgruppene skal kontaktes innen 3 arbeidsdager etter utskrivning.</Paragraph>
      {inbox.isPending && <Loading text="Laster innboksen …" />}
      {inbox.isError && <LoadError what="innboksen" error={inbox.error} onRetry={() => void inbox.refetch()} />}
      {inbox.data && (
        <>
          <Paragraph data-testid="inbox-summary" role="status">
            {sections.toTriage.length} {sections.toTriage.length === 1 ? 'melding' : 'meldinger'} til behandling.
          </Paragraph>
          <Heading level={3} data-size="xs">
            Til behandling ({sections.toTriage.length})
          </Heading>
          {sections.toTriage.length === 0 && <Paragraph>Ingen meldinger venter på behandling.</Paragraph>}
          <ul className="pht-inbox-list" aria-label="Meldinger til behandling">
            {sections.toTriage.map((row) => (
              <TriageCard
                key={row.key}
                row={row}
                nurses={nurses}
                defaultNurseId={team.data?.defaultNurseId}
                today={today}
                action={actions[row.key]}
                onCreate={(input) =>
                  void run(row.key, { action: 'create', ...(input.owner ? { owner: `Practitioner/${input.owner}` } : {}), ...(input.confirmDate ? { dischargeDate: input.confirmDate } : {}) })
                }
                onNone={(input) =>
                  void run(row.key, { action: 'no-follow-up', reason: input.reason, ...(input.note ? { note: input.note } : {}), ...(input.confirmDate ? { dischargeDate: input.confirmDate } : {}) })
                }
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
          <HandledTable rows={sections.handled} nurses={nurses} />
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

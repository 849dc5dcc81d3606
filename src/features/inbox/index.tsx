// Innboks (health secretary; SPEC §4): discharge messages to triage into follow-up tasks, from the app
// server (/api/follow-up/inbox: it reads the messages with its own token, so the secretary reads no
// clinical facts, and creates the tasks of target-group patients first). The rest wait here for a
// decision: a follow-up task for a nurse, or «ingen oppfølging» with a reason, in a compact table (issue 17
// item 14) with a patient search (item 21); the last triage can be undone for 10 s.
import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Details, Heading, Paragraph } from '@digdir/designsystemet-react';
import { searchPatients } from '../../domain/patientSearch';
import { PatientSearchField } from '../../ui/PatientSearchField';
import { osloDate } from '../../domain/calendar';
import { calendarOf } from '../../domain/settings';
import { loadFollowUpTeam } from '../../state/followUpTeam';
import type { FeatureProps } from '../../ui/featureProps';
import { LoadError } from '../../ui/LoadError';
import { Loading } from '../../ui/Loading';
import { usePracticeSettings } from '../../platform/settings';
import { CapabilityNotes } from '../../platform/ui/CapabilityNotes';
import { newClientId, useInbox, useTriage, useUndoTriage, type TriageInput } from '../follow-up/api';
import { HandledTable } from './HandledTable';
import { inboxSections, inboxView, type InboxView } from './model';
import { DEFAULT_TRIAGE_SORT, type TriageSort } from './sort';
import { ErrorRows, HistoryRows } from './OtherRows';
import { TriageTable } from './TriageTable';
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
  const [sort, setSort] = useState<TriageSort>(DEFAULT_TRIAGE_SORT);
  const [query, setQuery] = useState('');
  const undo = useUndoTriage(ctx);
  const [last, setLast] = useState<LastTriage | undefined>(undefined);
  // The undo is offered for 10 s (the server refuses it after that anyway).
  useEffect(() => {
    if (!last || last.state !== 'offered') return;
    const timer = setTimeout(() => setLast(undefined), UNDO_MS);
    return () => clearTimeout(timer);
  }, [last]);
  // One client id per message and decision: a retry after an error is the same triage.
  const ids = useRef(new Map<string, string>());
  const calendar = settings.data ? calendarOf(settings.data.settings) : undefined;
  const rows = (inbox.data?.rows ?? []).map((r) => inboxView(r, today, calendar));
  const sections = inboxSections(searchPatients(rows, query, (r) => ({ name: r.patient?.name ?? null, birthDate: r.patient?.birthDate ?? null })));
  const nurses = team.data?.nurses ?? [];

  const run = async (row: InboxView, input: Omit<TriageInput, 'id' | 'episodeKey'>) => {
    const key = row.key;
    const idKey = `${key}\n${input.action}`;
    const id = ids.current.get(idKey) ?? newClientId();
    ids.current.set(idKey, id);
    setActions((a) => ({ ...a, [key]: { status: 'saving' } }));
    try {
      await triage.mutateAsync({ id, episodeKey: key, ...input });
      setActions(({ [key]: _, ...rest }) => rest);
      ids.current.delete(idKey);
      setLast({ id, name: row.patient?.name ?? 'pasienten', action: input.action, state: 'offered' });
    } catch (error) {
      setActions((a) => ({ ...a, [key]: { status: 'error', message: error instanceof Error ? error.message : String(error), action: '' } }));
    }
  };

  const undoLast = async () => {
    if (!last) return;
    setLast({ ...last, state: 'undoing' });
    try {
      await undo.mutateAsync({ id: last.id });
      setLast({ ...last, state: 'undone' });
    } catch (error) {
      setLast({ ...last, state: 'failed', message: error instanceof Error ? error.message : String(error) });
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
          <PatientSearchField value={query} onChange={setQuery} testId="inbox-search" className="pht-inbox-search" />
          <Paragraph data-testid="inbox-summary" role="status">
            {sections.toTriage.length} {sections.toTriage.length === 1 ? 'melding' : 'meldinger'} til behandling.
          </Paragraph>
          <Heading level={3} data-size="xs">
            Til behandling ({sections.toTriage.length})
          </Heading>
          {sections.toTriage.length === 0 && <Paragraph>Ingen meldinger venter på behandling.</Paragraph>}
          {last && <UndoBar last={last} onUndo={() => void undoLast()} onClose={() => setLast(undefined)} />}
          {sections.toTriage.length > 0 && (
            <TriageTable
              ctx={ctx}
              rows={sections.toTriage}
              nurses={nurses}
              defaultNurseId={team.data?.defaultNurseId}
              today={today}
              actions={actions}
              sort={sort}
              onSort={setSort}
              onCreate={(row, input) =>
                void run(row, { action: 'create', ...(input.owner ? { owner: `Practitioner/${input.owner}` } : {}), ...(input.confirmDate ? { dischargeDate: input.confirmDate } : {}) })
              }
              onNone={(row, input) =>
                void run(row, { action: 'no-follow-up', reason: input.reason, ...(input.note ? { note: input.note } : {}), ...(input.confirmDate ? { dischargeDate: input.confirmDate } : {}) })
              }
            />
          )}
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

/** How long the last triage can be undone (issue 17 item 14; the server's limit too). */
const UNDO_MS = 10_000;

interface LastTriage {
  id: string;
  name: string;
  action: TriageInput['action'];
  state: 'offered' | 'undoing' | 'undone' | 'failed';
  message?: string;
}

function UndoBar({ last, onUndo, onClose }: { last: LastTriage; onUndo: () => void; onClose: () => void }) {
  const what = last.action === 'create' ? `Oppfølgingsoppgave opprettet for ${last.name}.` : `Ingen oppfølging registrert for ${last.name}.`;
  return (
    <Alert data-color={last.state === 'failed' ? 'danger' : 'success'} data-size="sm" role="status" data-testid="triage-undo-bar" className="pht-inbox-undo">
      {last.state === 'undone' ? (
        <Paragraph data-size="sm">Angret: meldingen om {last.name} er tilbake til behandling.</Paragraph>
      ) : last.state === 'failed' ? (
        <Paragraph data-size="sm">Kunne ikke angre: {last.message}</Paragraph>
      ) : (
        <Paragraph data-size="sm">
          {what}{' '}
          <Button data-size="sm" variant="secondary" onClick={onUndo} disabled={last.state === 'undoing'} data-testid="triage-undo">
            {last.state === 'undoing' ? 'Angrer …' : 'Angre'}
          </Button>
        </Paragraph>
      )}
      {last.state !== 'offered' && last.state !== 'undoing' && (
        <Button data-size="sm" variant="tertiary" onClick={onClose}>
          Lukk
        </Button>
      )}
    </Alert>
  );
}

// The patient's discharge follow-up in the patient panel (SPEC §4), from the app server
// (/api/follow-up/patients/<id>): the task's deadline and countdown, the epikrise (read from the EPJ),
// attempts, the contact (ContactSection with `followUp`, so the same form registers the contact and its
// tariffs and asks whether medication changes need the GP; the contact is then logged on the task as a
// successful attempt, and a «yes» gives the patient's GP a task in «Mine oppgaver»), and closing with a
// reason. Each attempt and the closure are written to the journal as a note; until the note is written
// the section says so.
import { useRef, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Details, Heading, Paragraph } from '@digdir/designsystemet-react';
import { osloDate } from '../../../domain/calendar';
import { followUpOutcome, worklistUrgency } from '../../../domain/followUp';
import { JournalState } from '../../../platform/ui/JournalState';
import { loadPractitionerNames } from '../../../fhir/followUpsPatients';
import { loadEpikrise, loadSavedContact, signalOf } from '../../../state/followUpReads';
import type { FeatureProps } from '../../../ui/featureProps';
import { Loading } from '../../../ui/Loading';
import { loadPatientDisplays, newClientId, useAddAttempt, useCloseFollowUp, useCreateGpTask, usePatientFollowUps, type FollowUp } from '../../follow-up/api';
import { ContactSection, type ContactSavedEvent } from '../contact';
import { AttemptForm } from './AttemptForm';
import { CloseForm } from './CloseForm';
import { FollowUpSummary, type FollowUpView } from './FollowUpSummary';
import './followUp.css';

export type ActionState = { status: 'idle' } | { status: 'saving' } | { status: 'error'; message: string; action: string } | { status: 'done'; message: string };

export interface FollowUpSectionProps extends FeatureProps {
  /**
   * Shown instead when the patient has no discharge follow-up (e.g. the plain ContactSection), so the
   * panel never shows two contact forms: `<FollowUpSection {...props} fallback={<ContactSection {...props} />} />`.
   */
  fallback?: ReactNode;
}

const OPEN = new Set(['new', 'attempted']);

/** Days a finished follow-up is still shown in the panel (with the GP's answer), after its deadline. */
export const SHOW_FINISHED_DAYS = 30;

/**
 * The task the worklist opened, else the patient's open follow-up with the earliest deadline, else the
 * latest finished one whose deadline is at most SHOW_FINISHED_DAYS calendar days before today.
 */
export function chooseFollowUp(tasks: readonly FollowUp[], taskId: string | undefined, today: string): FollowUp | undefined {
  if (taskId) {
    const opened = tasks.find((t) => t.id === taskId);
    if (opened) return opened;
  }
  const byDeadline = [...tasks].sort((a, b) => (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : 0));
  const open = byDeadline.find((t) => OPEN.has(t.status));
  if (open) return open;
  const since = new Date(`${today}T00:00:00Z`);
  since.setUTCDate(since.getUTCDate() - SHOW_FINISHED_DAYS);
  return byDeadline.reverse().find((t) => t.deadline >= since.toISOString().slice(0, 10));
}

function stateOf(m: { isPending: boolean; isError: boolean; isSuccess: boolean; error: Error | null }, done: string): ActionState {
  if (m.isPending) return { status: 'saving' };
  if (m.isError) return { status: 'error', message: m.error?.message ?? 'Ukjent feil.', action: 'Prøv igjen.' };
  if (m.isSuccess) return { status: 'done', message: done };
  return { status: 'idle' };
}

export function FollowUpSection(props: FollowUpSectionProps) {
  const { client, user, patient, patientContext, session } = props;
  const ctx = session.handle ? { handle: session.handle } : {};
  const patientId = patient?.id;
  const query = usePatientFollowUps(ctx, patientId);
  const today = osloDate(new Date().toISOString());
  const task = query.data ? chooseFollowUp(query.data.tasks, patientContext?.followUpTaskId, today) : undefined;
  const [saved, setSaved] = useState<ContactSavedEvent | undefined>(undefined);
  const attempt = useAddAttempt(ctx);
  const contact = useAddAttempt(ctx);
  const gpTask = useCreateGpTask(ctx);
  const close = useCloseFollowUp(ctx);
  // One client id per user action: a retry of the same contact is the same attempt and the same GP task.
  const contactIds = useRef(new Map<string, { attempt: string; gpTask: string }>());
  // Recording a saved contact is several steps (the successful attempt, then the GP's task): it is "done" only
  // when all of them are, and a step that fails outside the two requests (no regular GP) shows as an error.
  const [recording, setRecording] = useState<{ running: boolean; error?: Error }>({ running: false });

  const epikrise = useQuery({
    queryKey: ['epikrise', patientId, task?.summaryRef],
    queryFn: ({ signal }) => loadEpikrise(client, patientId ?? '', signalOf(task?.summaryRef ?? null), signal),
    enabled: patientId !== undefined && task?.summaryRef !== undefined && task?.summaryRef !== null,
    staleTime: Infinity,
  });
  const people = [...new Set([task?.owner, task?.closure?.by, ...(task?.attempts.map((a) => a.by) ?? [])].filter((r): r is string => !!r && r.startsWith('Practitioner/')).map((r) => r.slice('Practitioner/'.length)))].sort();
  const names = useQuery({ queryKey: ['practitioner-names', people], queryFn: ({ signal }) => loadPractitionerNames(client, people, { signal }), enabled: people.length > 0, staleTime: 5 * 60_000 });

  if (!patientId) return props.fallback ?? null;
  if (query.isPending) return <Loading text="Henter oppfølging etter utskrivning …" />;
  if (query.isError) {
    return (
      <Alert data-color="danger" role="alert">
        <Paragraph>Kunne ikke hente oppfølgingen: {query.error.message}</Paragraph>
        <Button data-size="sm" onClick={() => void query.refetch()}>
          Prøv igjen
        </Button>
      </Alert>
    );
  }
  if (!task) return props.fallback ?? null;

  const name = (ref: string) => (ref === `Practitioner/${user.practitionerId}` ? user.name : (names.data?.get(ref.replace(/^Practitioner\//, '')) ?? ref.replace(/^Practitioner\//, '')));
  const view: FollowUpView = {
    ...task,
    workingDaysLeft: worklistUrgency({ id: task.id, deadline: task.deadline, status: 'new' }, today).workingDaysLeft,
    outcome: followUpOutcome(task.deadline, task.attempts, today),
    ownerName: task.owner ? name(task.owner) : undefined,
    attempts: task.attempts.map((a) => ({ ...a, byName: name(a.by) })),
    closure: task.closure ? { ...task.closure, byName: name(task.closure.by) } : null,
  };
  const open = task.status === 'new' || task.status === 'attempted';

  const record = async (event: ContactSavedEvent) => {
    setRecording({ running: true });
    try {
      await recordSteps(event);
      setRecording({ running: false });
    } catch (error) {
      setRecording({ running: false, error: error instanceof Error ? error : new Error(String(error)) });
      throw error;
    }
  };

  const recordSteps = async (event: ContactSavedEvent) => {
    let ids = contactIds.current.get(event.contactId);
    if (!ids) {
      ids = { attempt: newClientId(), gpTask: newClientId() };
      contactIds.current.set(event.contactId, ids);
    }
    const facts = await loadSavedContact(client, patientId, { contactId: event.contactId, ...(event.result.encounterId ? { encounterId: event.result.encounterId } : {}) }).catch(() => undefined);
    const at = facts?.at ?? new Date().toISOString();
    await contact.mutateAsync({ taskId: task.id, id: ids.attempt, at: new Date(at).toISOString(), channel: facts?.channel ?? 'phone', successful: true });
    if (!event.followUp?.medicationNeedsGp) return;
    // The patient's regular GP (Patient.generalPractitioner) gets the task.
    const gpId = (await loadPatientDisplays(ctx, [patientId])).displays.get(patientId)?.gpId;
    if (!gpId) throw new Error('Pasienten har ingen fastlege registrert; gi beskjed til legen direkte.');
    {
      await gpTask.mutateAsync({
        id: ids.gpTask,
        patientId,
        assignee: `Practitioner/${gpId}`,
        kind: 'medication-review',
        reason: 'Legemiddelendringer etter utskrivning trenger vurdering av fastlegen.',
        // The follow-up's deadline while it is still ahead: the medication should be settled by then.
        ...(task.deadline >= today ? { due: task.deadline } : {}),
        followUpId: task.id,
      });
    }
  };

  const contactState = stateOf(
    { isPending: recording.running || contact.isPending || gpTask.isPending, isError: !!recording.error, isSuccess: contact.isSuccess, error: recording.error ?? null },
    gpTask.isSuccess ? 'Kontakten er registrert, og fastlegen har fått en oppgave om legemiddelendringene.' : 'Kontakten er registrert.',
  );

  return (
    <>
    <section className="pht-fu" aria-labelledby="fu-heading" data-testid="followup-section">
      <Heading level={3} data-size="sm" id="fu-heading">
        Oppfølging etter utskrivning
      </Heading>
      <FollowUpSummary view={view} />
      {task.journal !== null && (
        <div data-testid="fu-journal">
          <JournalState state={task.journal} />
        </div>
      )}
      {epikrise.isError && <Paragraph data-size="sm">Epikrisen kunne ikke hentes: {epikrise.error.message}</Paragraph>}
      {!open && epikrise.data && (
        <Details>
          <Details.Summary>Epikrise</Details.Summary>
          <Details.Content>
            <Paragraph data-size="sm" className="pht-fu-epikrise">
              {epikrise.data}
            </Paragraph>
          </Details.Content>
        </Details>
      )}
      {open && (
        <AttemptForm
          key={task.id}
          userName={user.name}
          action={stateOf(attempt, 'Kontaktforsøket er registrert.')}
          onLog={async (a) => {
            try {
              await attempt.mutateAsync({ taskId: task.id, id: a.id, at: a.at, channel: a.channel, successful: false, ...(a.note ? { note: a.note } : {}) });
              return true;
            } catch {
              return false;
            }
          }}
        />
      )}
      {contactState.status === 'error' && saved && (
        <Alert data-color="danger" role="alert">
          <Paragraph>
            Kontakten er lagret, men oppfølgingen ble ikke oppdatert: {contactState.message} {contactState.action}
          </Paragraph>
          <Button data-size="sm" onClick={() => void record(saved).catch(() => undefined)} data-testid="fu-contact-retry">
            Prøv igjen
          </Button>
        </Alert>
      )}
      {contactState.status === 'saving' && saved && (
        <Paragraph role="status" data-testid="fu-contact-saving">
          Oppdaterer oppfølgingen …
        </Paragraph>
      )}
      {contactState.status === 'done' && (
        <Paragraph role="status" data-testid="fu-contact-done">
          {contactState.message}
        </Paragraph>
      )}
      {(open || saved) && (
        <ContactSection
          client={props.client}
          session={props.session}
          user={props.user}
          patient={props.patient}
          {...(props.patientContext ? { patientContext: props.patientContext } : {})}
          followUp={{ taskId: task.id, ...(epikrise.data ? { epikrise: epikrise.data } : {}) }}
          onSaved={(event) => {
            setSaved(event);
            void record(event).catch(() => undefined);
          }}
        />
      )}
      {open && (
        <Details>
          <Details.Summary>Lukk uten kontakt</Details.Summary>
          <Details.Content>
            <CloseForm
              action={stateOf(close, 'Oppfølgingen er lukket.')}
              onClose={async (c) => {
                try {
                  await close.mutateAsync({ taskId: task.id, version: task.version, ...c });
                  return true;
                } catch {
                  return false;
                }
              }}
            />
          </Details.Content>
        </Details>
      )}
    </section>
    {/* A finished follow-up is shown for its outcome and the GP's answer; new contacts use the plain form. */}
    {!open && !saved && props.fallback}
    </>
  );
}

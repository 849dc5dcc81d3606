// «Mine oppgaver» (GP; issue 17 item 13, issue 15 acceptance): the tasks assigned to the GP, e.g.
// medication changes after a discharge that a nurse asks him to assess, with patient, reason and due
// date; he answers «utført» or «ikke nødvendig» with a note, and the nurse sees the answer on the
// follow-up. Data from /api/follow-up/gp-tasks/mine; the patients' names are read from the EPJ.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Heading, Paragraph, Tag, Textfield } from '@digdir/designsystemet-react';
import { osloDate, workingDaysUntil } from '../../domain/calendar';
import type { FeatureProps } from '../../ui/featureProps';
import { formatDate } from '../../ui/format';
import { LoadError } from '../../ui/LoadError';
import { Loading } from '../../ui/Loading';
import { loadPatientDisplays, useCompleteGpTask, useMyGpTasks, type GpTask } from './api';
import './followUp.css';

export const GP_TASK_KIND_TEXT: Record<GpTask['kind'], string> = {
  'medication-review': 'Vurder legemiddelendringer',
  assessment: 'Vurdering',
  other: 'Annet',
};

const STATUS_TEXT: Record<GpTask['status'], string> = { open: 'Åpen', done: 'Utført', 'not-needed': 'Ikke nødvendig' };

function Due({ task, today }: { task: GpTask; today: string }) {
  if (!task.due) return <span>Ingen frist.</span>;
  const left = workingDaysUntil(task.due, today);
  const color = task.status !== 'open' ? 'neutral' : left < 0 ? 'danger' : left === 0 ? 'warning' : 'info';
  return (
    <Tag data-color={color} data-size="sm">
      Frist {formatDate(task.due)}
    </Tag>
  );
}

function TaskItem({ task, patientName, today, ctx }: { task: GpTask; patientName: string; today: string; ctx: { handle?: string } }) {
  const complete = useCompleteGpTask(ctx);
  const [answer, setAnswer] = useState('');
  const open = task.status === 'open';
  const headingId = `gp-task-${task.id}`;
  const send = (status: 'done' | 'not-needed') => complete.mutate({ id: task.id, status, version: task.version, ...(answer.trim() ? { answer: answer.trim() } : {}) });
  return (
    <li className="pht-mytasks-item" aria-labelledby={headingId} data-testid="gp-task">
      <Heading level={3} data-size="2xs" id={headingId}>
        {patientName}: {GP_TASK_KIND_TEXT[task.kind]}
      </Heading>
      <Paragraph data-size="sm" data-testid="gp-task-reason">
        {task.reason}
      </Paragraph>
      <Paragraph data-size="sm">
        <Due task={task} today={today} /> Opprettet {formatDate(osloDate(task.createdAt))}.{' '}
        {!open && (
          <span data-testid="gp-task-answer">
            {STATUS_TEXT[task.status]}
            {task.answer ? `: ${task.answer}` : ''}
          </span>
        )}
      </Paragraph>
      {open && (
        <div className="pht-mytasks-answer">
          <Textfield label="Svar til sykepleieren (valgfritt)" value={answer} onChange={(e) => setAnswer(e.target.value)} disabled={complete.isPending} data-testid="gp-task-note" />
          <Button data-size="sm" onClick={() => send('done')} disabled={complete.isPending} data-testid="gp-task-done">
            {complete.isPending ? 'Lagrer …' : 'Utført'}
          </Button>
          <Button data-size="sm" variant="secondary" onClick={() => send('not-needed')} disabled={complete.isPending} data-testid="gp-task-not-needed">
            Ikke nødvendig
          </Button>
        </div>
      )}
      {complete.isError && (
        <Alert data-color="danger" role="alert" data-size="sm">
          <Paragraph data-size="sm">Svaret ble ikke lagret: {complete.error.message} Det du skrev er tatt vare på; prøv igjen.</Paragraph>
        </Alert>
      )}
    </li>
  );
}

export default function MyTasks({ session }: FeatureProps) {
  const ctx = session.handle ? { handle: session.handle } : {};
  const [showAll, setShowAll] = useState(false);
  const tasks = useMyGpTasks(ctx, showAll ? 'all' : 'open');
  const today = osloDate(new Date().toISOString());
  const ids = [...new Set((tasks.data?.tasks ?? []).map((t) => t.patientId))].sort();
  const patients = useQuery({ queryKey: ['follow-up-patients', ids], queryFn: ({ signal }) => loadPatientDisplays(ctx, ids, signal), enabled: ids.length > 0, staleTime: 60_000 });
  const list = tasks.data?.tasks ?? [];
  const openCount = list.filter((t) => t.status === 'open').length;
  return (
    <section aria-labelledby="mytasks-heading" className="pht-mytasks">
      <Heading level={2} data-size="sm" id="mytasks-heading">
        Mine oppgaver
      </Heading>
      <Paragraph data-size="sm">Oppgaver sykepleierne og teamet har gitt deg, for eksempel legemiddelendringer etter en utskrivning.</Paragraph>
      <Checkbox label="Vis også besvarte oppgaver" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} data-testid="gp-tasks-all" />
      {tasks.isPending && <Loading text="Henter oppgavene dine …" />}
      {tasks.isError && <LoadError what="oppgavene dine" error={tasks.error} onRetry={() => void tasks.refetch()} />}
      {tasks.data && (
        <>
          <Paragraph role="status" data-testid="gp-tasks-summary">
            {openCount === 0 ? 'Ingen åpne oppgaver.' : `${openCount} ${openCount === 1 ? 'åpen oppgave' : 'åpne oppgaver'}.`}
          </Paragraph>
          <ul className="pht-mytasks-list" aria-label="Oppgaver">
            {list.map((t) => (
              <TaskItem key={t.id} task={t} ctx={ctx} today={today} patientName={patients.data?.displays.get(t.patientId)?.name ?? (patients.isPending ? 'Pasient' : 'Ukjent pasient')} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

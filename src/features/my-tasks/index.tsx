// «Mine oppgaver» (GP; issue 17 items 13 and 17, issue 15 acceptance): one list of the tasks the team has
// given the GP, from two jobs composed here (slices do not import each other, eslint pht/zones): the
// follow-up slice's GP tasks (medication changes after a discharge, assessments the nurse asks for;
// /api/follow-up/gp-tasks/mine) and the care slice's medication reviews (/api/care/tasks/mine). Each with
// patient, reason and due date; he answers «utført» or «ikke nødvendig» with a note, and the nurse sees the
// answer on the follow-up or in the patient's «Behandlingsplan, LMG, IP». Patient names are read from the EPJ.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Heading, Paragraph, Tag, Textfield } from '@digdir/designsystemet-react';
import { osloDate, workingDaysUntil } from '../../domain/calendar';
import { searchPatients } from '../../domain/patientSearch';
import type { FeatureProps } from '../../ui/featureProps';
import { PatientSearchField } from '../../ui/PatientSearchField';
import { formatDate, osloToday } from '../../ui/format';
import { LoadError } from '../../ui/LoadError';
import { Loading } from '../../ui/Loading';
import { useCompleteMedicationReview, useMyCareTasks, type CareTask } from '../care/api';
import { loadPatientDisplays, useCompleteGpTask, useMyGpTasks, type GpTask } from '../follow-up/api';
import { useInvalidatePatient } from '../target-groups/api';
import './myTasks.css';

const KIND_TEXT: Record<GpTask['kind'] | 'care-medication-review', string> = {
  'medication-review': 'Vurder legemiddelendringer',
  assessment: 'Vurdering',
  other: 'Annet',
  'care-medication-review': 'Legemiddelgjennomgang',
};

const STATUS_TEXT = { open: 'Åpen', done: 'Utført', 'not-needed': 'Ikke nødvendig' } as const;

type Status = keyof typeof STATUS_TEXT;

/** One task of either job, as the list shows it; `answer` sends the GP's answer to the job it came from. */
interface Row {
  key: string;
  id: string;
  patientId: string;
  kind: keyof typeof KIND_TEXT;
  reason: string;
  due: string | null;
  createdAt: string;
  status: Status;
  answer: string | null;
}

const fromFollowUp = (t: GpTask): Row => ({ key: `follow-up/${t.id}`, id: t.id, patientId: t.patientId, kind: t.kind, reason: t.reason, due: t.due, createdAt: t.createdAt, status: t.status, answer: t.answer });
const fromCare = (t: CareTask): Row => ({ key: `care/${t.id}`, id: t.id, patientId: t.patientId, kind: 'care-medication-review', reason: t.reason, due: t.due, createdAt: t.createdAt, status: t.status, answer: t.doneNote });

/** Open first; then by due date (none last), then the oldest first. */
function byUrgency(a: Row, b: Row): number {
  const open = Number(b.status === 'open') - Number(a.status === 'open');
  if (open !== 0) return open;
  if (a.due !== b.due) return a.due === null ? 1 : b.due === null ? -1 : a.due.localeCompare(b.due);
  return a.createdAt.localeCompare(b.createdAt) || a.key.localeCompare(b.key);
}

function Due({ row, today }: { row: Row; today: string }) {
  if (!row.due) return <span>Ingen frist.</span>;
  const left = workingDaysUntil(row.due, today);
  const color = row.status !== 'open' ? 'neutral' : left < 0 ? 'danger' : left === 0 ? 'warning' : 'info';
  return (
    <Tag data-color={color} data-size="sm">
      Frist {formatDate(row.due)}
    </Tag>
  );
}

function TaskItem({ row, patientName, today, send }: { row: Row; patientName: string; today: string; send: (status: 'done' | 'not-needed', note: string | undefined) => Promise<unknown> }) {
  const [note, setNote] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const open = row.status === 'open';
  const headingId = `gp-task-${row.key.replace('/', '-')}`;
  const answer = async (status: 'done' | 'not-needed') => {
    setPending(true);
    setError(undefined);
    try {
      await send(status, note.trim() || undefined);
    } catch (e) {
      // What he typed stays in the field.
      setError(e instanceof Error ? e.message : 'Ukjent feil.');
    } finally {
      setPending(false);
    }
  };
  return (
    <li className="pht-mytasks-item" aria-labelledby={headingId} data-testid="gp-task" data-kind={row.kind}>
      <Heading level={3} data-size="2xs" id={headingId}>
        {patientName}: {KIND_TEXT[row.kind]}
      </Heading>
      <Paragraph data-size="sm" data-testid="gp-task-reason">
        {row.reason}
      </Paragraph>
      <Paragraph data-size="sm">
        <Due row={row} today={today} /> Opprettet {formatDate(osloDate(row.createdAt))}.{' '}
        {!open && (
          <span data-testid="gp-task-answer">
            {STATUS_TEXT[row.status]}
            {row.answer ? `: ${row.answer}` : ''}
          </span>
        )}
      </Paragraph>
      {open && (
        <div className="pht-mytasks-answer">
          <Textfield label="Svar til teamet (valgfritt)" value={note} onChange={(e) => setNote(e.target.value)} disabled={pending} data-testid="gp-task-note" />
          <Button data-size="sm" onClick={() => void answer('done')} disabled={pending} data-testid="gp-task-done">
            {pending ? 'Lagrer …' : 'Utført'}
          </Button>
          <Button data-size="sm" variant="secondary" onClick={() => void answer('not-needed')} disabled={pending} data-testid="gp-task-not-needed">
            Ikke nødvendig
          </Button>
        </div>
      )}
      {error && (
        <Alert data-color="danger" role="alert" data-size="sm">
          <Paragraph data-size="sm">Svaret ble ikke lagret: {error} Det du skrev er tatt vare på; prøv igjen.</Paragraph>
        </Alert>
      )}
    </li>
  );
}

export default function MyTasks({ session }: FeatureProps) {
  const ctx = session.handle ? { handle: session.handle } : {};
  const [showAll, setShowAll] = useState(false);
  const followUp = useMyGpTasks(ctx, showAll ? 'all' : 'open');
  const care = useMyCareTasks(ctx, showAll ? 'all' : 'open');
  const completeFollowUp = useCompleteGpTask(ctx);
  const completeCare = useCompleteMedicationReview(ctx);
  const today = osloToday(new Date());
  const rows = [...(followUp.data?.tasks ?? []).map(fromFollowUp), ...(care.data ?? []).map(fromCare)].sort(byUrgency);
  const ids = [...new Set(rows.map((t) => t.patientId))].sort();
  const patients = useQuery({ queryKey: ['my-tasks-patients', ids], queryFn: ({ signal }) => loadPatientDisplays(ctx, ids, signal), enabled: ids.length > 0, staleTime: 60_000 });
  const versions = new Map((followUp.data?.tasks ?? []).map((t) => [t.id, t.version]));
  // A medication review answered moves the patient's target-group marker: reload it (it is cached for the panel).
  const reloadTargetGroups = useInvalidatePatient(ctx);
  const send = (row: Row) => (status: 'done' | 'not-needed', note: string | undefined) =>
    row.kind === 'care-medication-review'
      ? completeCare.mutateAsync({ taskId: row.id, date: today, status, ...(note ? { note } : {}) }).then((answer) => {
          void reloadTargetGroups(row.patientId);
          return answer;
        })
      : completeFollowUp.mutateAsync({ id: row.id, status, version: versions.get(row.id) ?? 1, ...(note ? { answer: note } : {}) });
  const loading = followUp.isPending || care.isPending;
  const failed = followUp.isError ? followUp : care.isError ? care : undefined;
  const openCount = rows.filter((t) => t.status === 'open').length;
  const [query, setQuery] = useState('');
  // The patient search of every list (issue 17 item 21): name or birth date.
  const shown = searchPatients(rows, query, (t) => {
    const p = patients.data?.displays.get(t.patientId);
    return { name: p?.name ?? null, birthDate: p?.birthDate ?? null };
  });
  return (
    <section aria-labelledby="mytasks-heading" className="pht-mytasks">
      <Heading level={2} data-size="sm" id="mytasks-heading">
        Mine oppgaver
      </Heading>
      <Paragraph data-size="sm">Oppgaver sykepleierne og teamet har gitt deg: legemiddelendringer etter en utskrivning, vurderinger og legemiddelgjennomganger.</Paragraph>
      <Checkbox label="Vis også besvarte oppgaver" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} data-testid="gp-tasks-all" />
      {loading && !failed && <Loading text="Henter oppgavene dine …" />}
      {failed && <LoadError what="oppgavene dine" error={failed.error} onRetry={() => void failed.refetch()} />}
      {!loading && !failed && (
        <>
          <Paragraph role="status" data-testid="gp-tasks-summary">
            {openCount === 0 ? 'Ingen åpne oppgaver.' : `${openCount} ${openCount === 1 ? 'åpen oppgave' : 'åpne oppgaver'}.`}
          </Paragraph>
          <PatientSearchField value={query} onChange={setQuery} testId="gp-tasks-search" className="pht-mytasks-search" />
          {query.trim() !== '' && shown.length === 0 && <Paragraph>Ingen oppgaver for «{query.trim()}».</Paragraph>}
          <ul className="pht-mytasks-list" aria-label="Oppgaver">
            {shown.map((t) => (
              <TaskItem key={t.key} row={t} today={today} send={send(t)} patientName={patients.data?.displays.get(t.patientId)?.name ?? (patients.isPending ? 'Pasient' : 'Ukjent pasient')} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

// Messages that already have their task: created automatically for target-group patients (SPEC §4), by
// a user in triage, or recorded as «ingen oppfølging».
import { Tag } from '@digdir/designsystemet-react';
import { FOLLOW_UP_CLOSE_REASON_TEXT } from '../../domain/followUp';
import type { InboxView } from './model';
import { FOLLOW_UP_STATUS_TEXT } from '../../state/followUpFormat';
import type { NurseOption } from '../../state/followUpTeam';
import { DataTable, type Column } from '../../ui/DataTable';
import { Countdown, PatientName, TargetStatusTag } from './MessageFacts';

interface Props {
  rows: readonly InboxView[];
  nurses: readonly NurseOption[];
}

function taskText(row: InboxView): string {
  const task = row.task;
  if (!task) return '';
  if (task.status === 'closed') return `Ingen oppfølging: ${task.closure ? FOLLOW_UP_CLOSE_REASON_TEXT[task.closure.reason].toLowerCase() : 'lukket'}`;
  const status = FOLLOW_UP_STATUS_TEXT[task.status];
  return task.createdBy === 'system' ? `${status}: opprettet automatisk` : `${status}: opprettet i innboksen`;
}

export function HandledTable({ rows, nurses }: Props) {
  const nurseName = (ref: string | null | undefined) => (ref ? (nurses.find((n) => `Practitioner/${n.id}` === ref)?.name ?? ref.replace(/^Practitioner\//, '')) : 'Ikke fordelt');
  const columns: Column<InboxView>[] = [
    { id: 'patient', header: 'Pasient', width: 'minmax(10rem, 2fr)', cell: (r) => <PatientName row={r} /> },
    {
      id: 'date',
      header: 'Utskrevet',
      width: '8rem',
      cell: (r) => (r.needsDateConfirmation ? <Tag data-color="warning" data-size="sm">dato ikke bekreftet</Tag> : r.dischargeDateText),
    },
    { id: 'target', header: 'Målgruppe', width: '8rem', cell: (r) => <TargetStatusTag row={r} /> },
    { id: 'deadline', header: 'Frist', width: '15rem', cell: (r) => (r.task?.status === 'closed' ? '–' : <Countdown row={r} />) },
    { id: 'task', header: 'Oppgave', width: '1.5fr', cell: (r) => <span data-testid="inbox-task-status">{taskText(r)}</span> },
    { id: 'owner', header: 'Sykepleier', width: '8rem', cell: (r) => (r.task?.status === 'closed' ? '–' : nurseName(r.task?.owner)) },
  ];
  return (
    <DataTable
      label="Behandlede meldinger"
      rows={rows}
      columns={columns}
      rowKey={(r) => r.key}
      height={Math.min(480, 48 * Math.max(rows.length, 1) + 8)}
      testId="inbox-handled"
    />
  );
}

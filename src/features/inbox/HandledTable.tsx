// Messages that already have their task: created automatically for target-group patients (SPEC §4), by
// a user in triage, or recorded as «ingen oppfølging».
import { Tag } from '@digdir/designsystemet-react';
import { FOLLOW_UP_CLOSE_REASON_TEXT } from '../../domain/followUp';
import type { InboxRow } from '../../fhir/inbox';
import { FOLLOW_UP_STATUS_TEXT } from '../../state/followUpFormat';
import type { NurseOption } from '../../state/followUpTeam';
import { DataTable, type Column } from '../../ui/DataTable';
import { Countdown, PatientName, TargetStatusTag } from './MessageFacts';

interface Props {
  rows: readonly InboxRow[];
  autoCreated: ReadonlySet<string>;
  nurses: readonly NurseOption[];
}

function taskText(row: InboxRow, auto: boolean): string {
  const task = row.task;
  if (!task) return '';
  if (task.status === 'closed') return `Ingen oppfølging: ${task.closeReason ? FOLLOW_UP_CLOSE_REASON_TEXT[task.closeReason].toLowerCase() : 'lukket'}`;
  const status = FOLLOW_UP_STATUS_TEXT[task.status];
  if (auto) return `${status}: opprettet automatisk`;
  return row.targetStatus === 'none' ? `${status}: opprettet i innboksen` : `${status}: målgruppe, automatisk`;
}

export function HandledTable({ rows, autoCreated, nurses }: Props) {
  const nurseName = (id: string | undefined) => (id ? (nurses.find((n) => n.id === id)?.name ?? id) : 'Ikke fordelt');
  const columns: Column<InboxRow>[] = [
    { id: 'patient', header: 'Pasient', width: 'minmax(10rem, 2fr)', cell: (r) => <PatientName row={r} /> },
    {
      id: 'date',
      header: 'Utskrevet',
      width: '8rem',
      cell: (r) => (r.task?.dischargeDateUnconfirmed ? <Tag data-color="warning" data-size="sm">dato ikke bekreftet</Tag> : r.dischargeDateText),
    },
    { id: 'target', header: 'Målgruppe', width: '8rem', cell: (r) => <TargetStatusTag row={r} /> },
    { id: 'deadline', header: 'Frist', width: '15rem', cell: (r) => (r.task?.status === 'closed' ? '–' : <Countdown row={r} />) },
    { id: 'task', header: 'Oppgave', width: '1.5fr', cell: (r) => <span data-testid="inbox-task-status">{taskText(r, autoCreated.has(r.key))}</span> },
    { id: 'owner', header: 'Sykepleier', width: '8rem', cell: (r) => (r.task?.status === 'closed' ? '–' : nurseName(r.task?.ownerId)) },
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

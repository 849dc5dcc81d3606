// The open follow-ups as a table: overdue first, then due today, then by deadline (the order of
// loadWorklist), each with the countdown, the patient's phone and next of kin (SPEC §4) and address
// (never a protected one, SPEC §8). A row opens the patient with the task (Enter/Space or click).
import type { ReactNode } from 'react';
import { Tag } from '@digdir/designsystemet-react';
import type { WorklistAnnotation } from '../../domain/followUp';
import type { PatientDisplay } from '../follow-up/api';
import type { FollowUp } from '../follow-up/api';
import { countdownColor, countdownText, FOLLOW_UP_STATUS_TEXT } from '../../state/followUpFormat';
import { DataTable, type Column } from '../../ui/DataTable';
import { printPhone, type PrintColumn } from '../../ui/PrintSheet';
import { formatDate } from '../../ui/format';

/** A follow-up with its countdown, the patient as the EPJ has it, and the nurse's name. */
export type WorklistRow = FollowUp & WorklistAnnotation & { patient?: PatientDisplay; ownerName?: string };

// Two lines per cell (the table's rows are 64 px): what matters first, the detail under it.
function TwoLines({ first, second }: { first: ReactNode; second?: string }) {
  return (
    <>
      {first}
      {second && (
        <>
          <br />
          {/* The cell cuts long text with an ellipsis; the title shows all of it. */}
          <span className="pht-wl-second" title={second}>
            {second}
          </span>
        </>
      )}
    </>
  );
}

function Kin({ row }: { row: WorklistRow }) {
  const kin = row.patient?.nextOfKin[0];
  if (!kin) return <>Ingen registrert</>;
  return <TwoLines first={`${kin.name}${kin.relationship ? ` (${kin.relationship})` : ''}`} second={kin.phone ?? 'telefon mangler'} />;
}

const COLUMNS: Column<WorklistRow>[] = [
  {
    id: 'countdown',
    header: 'Frist',
    width: '13.5rem',
    cell: (r) => (
      <TwoLines
        first={
          <Tag data-color={countdownColor(r.workingDaysLeft)} data-size="sm" data-testid="worklist-countdown">
            {countdownText(r.workingDaysLeft)}
          </Tag>
        }
        second={formatDate(r.deadline)}
      />
    ),
  },
  // Names get the room at 1024 px (issue 17 item 12); a longer one is cut with a tooltip.
  { id: 'patient', header: 'Pasient', width: 'minmax(9rem, 2fr)', cell: (r) => <strong>{r.patient?.name ?? 'Ukjent pasient'}</strong> },
  {
    id: 'phone',
    header: 'Telefon og adresse',
    width: '10.5rem',
    cell: (r) => <TwoLines first={r.patient?.phone ?? 'Telefon mangler'} second={r.patient?.address ?? 'Adresse mangler'} />,
  },
  { id: 'kin', header: 'Pårørende', width: '1.5fr', cell: (r) => <Kin row={r} /> },
  {
    id: 'discharge',
    header: 'Utskrevet',
    width: '1.5fr',
    cell: (r) => <TwoLines first={r.dischargeDate ? formatDate(r.dischargeDate) : 'dato ikke bekreftet'} second={r.institution.name ?? undefined} />,
  },
  // Status and the nurse share a column, so the names get the room at 1024 px (issue 17 item 12).
  {
    id: 'status',
    header: 'Status og sykepleier',
    width: '9rem',
    cell: (r) => (
      <TwoLines
        first={`${FOLLOW_UP_STATUS_TEXT[r.status]}${r.attempts.length > 0 ? ` (${r.attempts.length} forsøk)` : ''}`}
        second={r.ownerName ?? 'Ikke fordelt'}
      />
    ),
  },
];

/** The printed call list of the nurse's day (issue 17 item 21): who, how to reach them, why, and by when. */
export const CALL_LIST_COLUMNS: PrintColumn<WorklistRow>[] = [
  { header: 'Pasient', width: 18, cell: (r) => r.patient?.name ?? 'Ukjent pasient' },
  { header: 'Født', width: 12, nowrap: true, cell: (r) => (r.patient?.birthDate ? formatDate(r.patient.birthDate) : '–') },
  { header: 'Telefon', width: 17, cell: (r) => (r.patient?.phone ? printPhone(r.patient.phone) : 'mangler') },
  {
    header: 'Årsak',
    width: 25,
    cell: (r) =>
      `Oppfølging etter utskrivning${r.dischargeDate ? ` ${formatDate(r.dischargeDate)}` : ''}${r.institution.name ? ` fra ${r.institution.name}` : ''}`,
  },
  { header: 'Frist', width: 17, cell: (r) => `${formatDate(r.deadline)} (${countdownText(r.workingDaysLeft)})` },
  { header: 'Notat', width: 11, cell: () => '' },
];

interface Props {
  rows: readonly WorklistRow[];
  onOpen?: (row: WorklistRow) => void;
}

export function WorklistTable({ rows, onOpen }: Props) {
  return (
    <DataTable
      label="Oppfølging etter utskrivning"
      rows={rows}
      columns={COLUMNS}
      rowKey={(r) => r.id}
      onRowOpen={onOpen}
      rowLabel={(r) => `${r.patient?.name ?? 'Ukjent pasient'}, ${countdownText(r.workingDaysLeft)}. Åpne pasienten.`}
      height={Math.min(640, 64 * Math.max(rows.length, 1) + 8)}
      rowHeight={64}
      testId="worklist-table"
    />
  );
}

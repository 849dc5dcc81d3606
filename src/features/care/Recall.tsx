// «Årskontroll» (issue 17 item 18; seed ch. 4.3 «systematiske helsekontroller», ch. 5 «systematisk
// innkalling»): the practice's recall list from /api/care/recall: the patients of the recall groups who are
// due or overdue for their yearly check (never checked and overdue first), when and by whom they were last
// checked, and where the recall stands. Buttons move a patient on: innkalt -> time bestilt -> gjennomført.
// The secretary calls in and books, but sees no clinical groups and cannot record the check as done (the
// server decides both). The daglig leder chooses the groups here. Search by name or birth date; «Skriv ut»
// prints the list on A4 (issue 17 item 21).
import { useMemo, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Field, Heading, Label, Paragraph, Select, Tag } from '@digdir/designsystemet-react';
import { RECALL_GROUP_LABELS, RECALL_STATE_LABELS, type RecallState } from '../../domain/care';
import { searchPatients } from '../../domain/patientSearch';
import { loadPractitionerNames } from '../../fhir/followUpsPatients';
import { DataTable, type Column } from '../../ui/DataTable';
import { DateField } from '../../ui/DateField';
import type { FeatureProps } from '../../ui/featureProps';
import { formatDate } from '../../ui/format';
import { LoadError } from '../../ui/LoadError';
import { Loading } from '../../ui/Loading';
import { PatientSearchField } from '../../ui/PatientSearchField';
import { PrintButton, PrintSheet, printPhone, usePracticeName, type PrintColumn } from '../../ui/PrintSheet';
import { newClientId, useRecall, useRecallEvent, type RecallRow } from './api';
import { RecallGroupsSettings } from './ui/RecallGroupsSettings';
import './ui/recall.css';

const URGENCY_TEXT: Record<RecallRow['urgency'], string> = { overdue: 'Forfalt', due: 'Skal kalles inn', 'not-due': 'Ikke forfalt' };
const URGENCY_COLOR: Record<RecallRow['urgency'], 'danger' | 'warning' | 'neutral'> = { overdue: 'danger', due: 'warning', 'not-due': 'neutral' };

/** The steps a user may take next for a row: the next state first; the GP and nurse may always record the check. */
export function recallSteps(state: RecallRow['state'], clinical: boolean): RecallState[] {
  const next: RecallState = state === null ? 'called' : state === 'called' ? 'booked' : 'done';
  if (!clinical) return next === 'done' ? [] : state === null ? ['called', 'booked'] : [next];
  return next === 'done' ? ['done'] : [next, 'done'];
}

const STEP_TEXT: Record<RecallState, string> = { called: 'Innkalt', booked: 'Time bestilt', done: 'Gjennomført' };

const dueText = (r: RecallRow) => (r.due ? formatDate(r.due) : 'Nå');
const lastText = (r: RecallRow) => (r.lastCheck ? `${formatDate(r.lastCheck)}${r.lastCheckedBy ? `, ${r.lastCheckedBy}` : ''}` : 'Ingen');
const stateText = (r: RecallRow) => (r.state ? `${capitalise(RECALL_STATE_LABELS[r.state])} ${r.stateDate ? formatDate(r.stateDate) : ''}`.trim() : 'Ikke innkalt');
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function TwoLines({ first, second }: { first: ReactNode; second?: string | undefined }) {
  return (
    <>
      {first}
      {second && (
        <>
          <br />
          <span className="pht-recall-second" title={second}>
            {second}
          </span>
        </>
      )}
    </>
  );
}

/** The printed recall list: due as a date, «Nå» when never checked, and «forfalt» when past. */
const printDue = (r: RecallRow) => (r.due ? `${formatDate(r.due)}${r.urgency === 'overdue' ? ' (forfalt)' : ''}` : 'Nå');

function printColumns(clinical: boolean): PrintColumn<RecallRow>[] {
  return [
    { header: 'Pasient', width: clinical ? 18 : 22, cell: (r) => r.name },
    { header: 'Født', width: 12, nowrap: true, cell: (r) => (r.birthDate ? formatDate(r.birthDate) : '–') },
    { header: 'Telefon', width: 17, cell: (r) => (r.phone ? printPhone(r.phone) : 'mangler') },
    ...(clinical ? [{ header: 'Grupper', width: 12, cell: (r: RecallRow) => (r.groups ?? []).join(', ') }] : []),
    { header: 'Siste kontroll', width: clinical ? 14 : 18, cell: lastText },
    { header: 'Forfall', width: 12, cell: printDue },
    { header: 'Status', width: clinical ? 15 : 19, cell: stateText },
  ];
}

export default function Recall({ client, session, user, openPatient }: FeatureProps) {
  const ctx = session.handle ? { handle: session.handle } : {};
  const clinical = user.role.role !== 'secretary';
  const manager = user.role.role === 'gp' && user.role.practiceManager;
  const [showAll, setShowAll] = useState(false);
  const recall = useRecall(ctx, showAll);
  const change = useRecallEvent(ctx);
  const practice = usePracticeName(client, user.practitionerId);
  const [query, setQuery] = useState('');
  const [group, setGroup] = useState('*');
  const [booking, setBooking] = useState<{ row: RecallRow; date: string; error?: string } | undefined>(undefined);
  const [saved, setSaved] = useState('');
  const today = recall.data?.asOf ?? '';
  // Who last checked a patient: the server names them when its EPJ access allows; a bare reference is named
  // here with the user's own access (never shown as «Practitioner/…»).
  const unnamed = [...new Set((recall.data?.rows ?? []).flatMap((r) => (r.lastCheckedBy?.startsWith('Practitioner/') ? [r.lastCheckedBy.slice('Practitioner/'.length)] : [])))].sort();
  const names = useQuery({ queryKey: ['practitioner-names', unnamed], queryFn: ({ signal }) => loadPractitionerNames(client, unnamed, { signal }), enabled: unnamed.length > 0, staleTime: 5 * 60_000 });
  const data = useMemo(() => {
    if (!recall.data) return undefined;
    const named = (by: string | null) => (by?.startsWith('Practitioner/') ? (names.data?.get(by.slice('Practitioner/'.length)) ?? (names.isPending ? '…' : 'ukjent behandler')) : by);
    return { ...recall.data, rows: recall.data.rows.map((r) => ({ ...r, lastCheckedBy: named(r.lastCheckedBy) })) };
  }, [recall.data, names.data, names.isPending]);

  const inGroup = (data?.rows ?? []).filter((r) => group === '*' || (r.groups ?? []).includes(group));
  const rows = searchPatients(inGroup, query, (r) => ({ name: r.name, birthDate: r.birthDate }));
  const overdue = rows.filter((r) => r.urgency === 'overdue').length;
  const due = rows.filter((r) => r.urgency === 'due').length;
  const groupLabels = (data?.groups ?? []).map((g) => RECALL_GROUP_LABELS[g]);

  function record(row: RecallRow, state: RecallState, date: string) {
    setSaved('');
    change.mutate(
      { patientId: row.patientId, id: newClientId(), state, date },
      {
        onSuccess: () => {
          setBooking(undefined);
          setSaved(`${row.name}: ${RECALL_STATE_LABELS[state]} ${formatDate(date)}.${state === 'done' ? ' Neste årskontroll om tolv måneder.' : ''}`);
        },
      },
    );
  }

  function step(row: RecallRow, state: RecallState) {
    if (state === 'booked') {
      change.reset();
      setBooking({ row, date: '' });
      return;
    }
    record(row, state, today);
  }

  function saveBooking() {
    if (!booking) return;
    if (!booking.date) {
      setBooking({ ...booking, error: 'Dato for timen: skriv datoen som dd.mm.åååå, for eksempel 02.12.2026.' });
      return;
    }
    record(booking.row, 'booked', booking.date);
  }

  const columns: Column<RecallRow>[] = [
    {
      id: 'patient',
      header: 'Pasient',
      width: 'minmax(9rem, 2fr)',
      cell: (r) => (
        <TwoLines
          first={
            openPatient && clinical ? (
              <button type="button" className="pht-recall-name" onClick={() => openPatient(r.patientId, { from: 'recall' })}>
                {r.name}
              </button>
            ) : (
              <strong>{r.name}</strong>
            )
          }
          second={[r.birthDate ? `f. ${formatDate(r.birthDate)}` : undefined, r.phone ? `tlf. ${r.phone}` : 'telefon mangler'].filter(Boolean).join(' · ')}
        />
      ),
    },
    ...(clinical ? [{ id: 'groups', header: 'Grupper', width: '1fr', cell: (r: RecallRow) => (r.groups ?? []).join(', ') }] : []),
    {
      id: 'last',
      header: 'Siste kontroll',
      width: '1.1fr',
      cell: (r) => <TwoLines first={r.lastCheck ? formatDate(r.lastCheck) : 'Ingen'} second={r.lastCheckedBy ?? undefined} />,
    },
    {
      id: 'due',
      header: 'Forfall',
      width: '8.5rem',
      cell: (r) => (
        <TwoLines
          first={
            <Tag data-color={URGENCY_COLOR[r.urgency]} data-size="sm" data-testid="recall-urgency">
              {URGENCY_TEXT[r.urgency]}
            </Tag>
          }
          second={dueText(r)}
        />
      ),
    },
    // Two lines: the state, and its date under it (the appointment's, for «time bestilt»).
    {
      id: 'state',
      header: 'Status',
      width: 'minmax(6.5rem, 1fr)',
      cell: (r) => (
        <span data-testid="recall-state" data-state={stateText(r)}>
          <TwoLines first={r.state ? capitalise(RECALL_STATE_LABELS[r.state]) : 'Ikke innkalt'} second={r.stateDate ? formatDate(r.stateDate) : undefined} />
        </span>
      ),
    },
    {
      id: 'actions',
      header: 'Registrer',
      width: '16.5rem',
      cell: (r) => {
        const steps = recallSteps(r.state, clinical);
        if (steps.length === 0) return <span className="pht-recall-second">Venter på kontrollen</span>;
        return (
          <span className="pht-recall-actions">
            {steps.map((s, i) => (
              <Button
                key={s}
                data-size="sm"
                variant={i === 0 ? 'primary' : 'secondary'}
                disabled={change.isPending}
                onClick={() => step(r, s)}
                aria-label={`${STEP_TEXT[s]}: ${r.name}`}
                data-testid={`recall-${s}`}
              >
                {STEP_TEXT[s]}
              </Button>
            ))}
          </span>
        );
      },
    },
  ];

  return (
    <section aria-labelledby="recall-heading" className="pht-recall">
      <div className="pht-recall-head">
        <Heading level={2} data-size="sm" id="recall-heading">
          Årskontroll: innkallingsliste
        </Heading>
        <PrintButton testId="recall-print" disabled={rows.length === 0 || practice.pending} />
      </div>
      <Paragraph data-size="sm" className="pht-no-print">
        Pasienter som skal ha årlig kontroll{clinical && groupLabels.length > 0 ? ` (${groupLabels.join(', ')})` : ''}, de som har forfalt først.
        {clinical
          ? ' Registrer innkalling, timebestilling og gjennomført kontroll etter hvert.'
          : ' Registrer innkalling og timebestilling; legen eller sykepleieren registrerer gjennomført kontroll. Du ser hvem som skal kalles inn, ikke hvilken sykdomsgruppe.'}
      </Paragraph>
      {manager && <RecallGroupsSettings ctx={ctx} />}
      <div className="pht-recall-filters pht-no-print" role="search" aria-label="Filtrer innkallingslisten">
        <PatientSearchField value={query} onChange={setQuery} testId="recall-search" className="pht-recall-search" />
        {clinical && (data?.groups.length ?? 0) > 1 && (
          <Field className="pht-recall-group">
            <Label htmlFor="recall-group">Gruppe</Label>
            <Select id="recall-group" value={group} onChange={(e) => setGroup(e.target.value)} data-testid="recall-group">
              <Select.Option value="*">Alle grupper</Select.Option>
              {groupLabels.map((g) => (
                <Select.Option key={g} value={g}>
                  {g}
                </Select.Option>
              ))}
            </Select>
          </Field>
        )}
        <Checkbox label="Vis også dem som ikke har forfalt" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} data-testid="recall-all" />
      </div>
      {recall.isPending && <Loading text="Henter innkallingslisten fra journalen …" />}
      {recall.isError && <LoadError what="innkallingslisten" error={recall.error} onRetry={() => void recall.refetch()} />}
      <div aria-live="polite" className="pht-no-print">
        {saved && (
          <Paragraph data-size="sm" data-testid="recall-saved">
            Lagret: {saved}
          </Paragraph>
        )}
      </div>
      {change.isError && (
        <Alert data-color="danger" role="alert" className="pht-no-print">
          <Paragraph data-size="sm">Ble ikke lagret: {change.error.message}</Paragraph>
        </Alert>
      )}
      {booking && (
        <form
          className="pht-recall-booking pht-no-print"
          aria-label={`Time bestilt for ${booking.row.name}`}
          onSubmit={(e) => {
            e.preventDefault();
            saveBooking();
          }}
        >
          <Paragraph data-size="sm">
            <strong>Time bestilt for {booking.row.name}.</strong> Når er timen?
          </Paragraph>
          <DateField label="Dato for timen" value={booking.date} onChange={(date) => setBooking({ ...booking, date, error: undefined })} error={booking.error} disabled={change.isPending} data-testid="recall-booking-date" />
          <span className="pht-recall-actions">
            <Button type="submit" data-size="sm" disabled={change.isPending} data-testid="recall-booking-save">
              {change.isPending ? 'Lagrer …' : 'Lagre'}
            </Button>
            <Button type="button" data-size="sm" variant="secondary" onClick={() => setBooking(undefined)}>
              Avbryt
            </Button>
          </span>
        </form>
      )}
      {data && (
        <>
          <Paragraph role="status" data-testid="recall-summary" className="pht-no-print">
            {rows.length} {rows.length === 1 ? 'pasient' : 'pasienter'}: {overdue} forfalt, {due} skal kalles inn nå.
          </Paragraph>
          {rows.length === 0 ? (
            <Paragraph className="pht-no-print">{query.trim() ? `Ingen pasienter for «${query.trim()}».` : 'Ingen pasienter skal kalles inn nå.'}</Paragraph>
          ) : (
            <div className="pht-no-print">
              <DataTable
                label="Innkallingsliste til årskontroll"
                rows={rows}
                columns={columns}
                rowKey={(r) => r.patientId}
                rowLabel={(r) => `${r.name}, ${URGENCY_TEXT[r.urgency].toLowerCase()}, ${stateText(r).toLowerCase()}`}
                height={Math.min(640, 64 * Math.max(rows.length, 1) + 8)}
                rowHeight={64}
                testId="recall-table"
              />
            </div>
          )}
          <PrintSheet
            title="Innkallingsliste: årskontroll"
            practice={practice.name}
            date={today}
            note={[group !== '*' ? group : undefined, showAll ? 'alle i gruppene' : 'forfalt og snart forfalt', query.trim() ? `søk «${query.trim()}»` : undefined].filter(Boolean).join(', ')}
            columns={printColumns(clinical)}
            rows={rows}
            rowKey={(r) => r.patientId}
            testId="recall-print-sheet"
          />
        </>
      )}
    </section>
  );
}

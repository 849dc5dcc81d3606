// Arbeidsliste (nurse; SPEC §4): the open discharge follow-ups from the app server (/api/follow-up/worklist,
// which also runs the discharge sweep for the practice), overdue first, with the countdown in working
// days, phone and next of kin. The patients' phone, address and next of kin are read from the EPJ. Filter
// by nurse (default: me, with the unassigned tasks).
import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Field, Heading, Label, Paragraph, Select } from '@digdir/designsystemet-react';
import { searchPatients } from '../../domain/patientSearch';
import { PatientSearchField } from '../../ui/PatientSearchField';
import { osloDate } from '../../domain/calendar';
import { calendarOf } from '../../domain/settings';
import { sortWorklist } from '../../domain/followUp';
import { loadPractitionerNames } from '../../fhir/followUpsPatients';
import { loadFollowUpTeam } from '../../state/followUpTeam';
import type { FeatureProps } from '../../ui/featureProps';
import { usePracticeSettings } from '../../platform/settings';
import { loadPatientDisplays, useWorklist, type FollowUp } from '../follow-up/api';
import { LoadError } from '../../ui/LoadError';
import { Loading } from '../../ui/Loading';
import { PrintButton, PrintSheet, usePracticeName } from '../../ui/PrintSheet';
import { CALL_LIST_COLUMNS, WorklistTable, type WorklistRow } from './WorklistTable';
import './worklist.css';

/** A nurse's id, or every task. */
export type NurseFilter = { kind: 'nurse'; nurseId: string } | { kind: 'all' };

/** Pure: a nurse sees her own tasks and the unassigned ones (someone must take them); «alle» shows every open task. */
export function filterWorklist<T extends Pick<FollowUp, 'owner'>>(rows: readonly T[], filter: NurseFilter): T[] {
  if (filter.kind === 'all') return [...rows];
  return rows.filter((r) => r.owner === null || r.owner === `Practitioner/${filter.nurseId}`);
}

const idOf = (reference: string) => reference.replace(/^Practitioner\//, '');

export default function Worklist({ client, user, session, openPatient }: FeatureProps) {
  const ctx = session.handle ? { handle: session.handle } : {};
  const worklist = useWorklist(ctx);
  const settings = usePracticeSettings(ctx);
  const [filter, setFilter] = useState<NurseFilter>({ kind: 'nurse', nurseId: user.practitionerId });
  const [query, setQuery] = useState('');
  const today = osloDate(new Date().toISOString());
  const tasks = useMemo(() => worklist.data?.tasks ?? [], [worklist.data]);
  const patientIds = [...new Set(tasks.map((t) => t.patientId))].sort();
  const ownerIds = [...new Set(tasks.flatMap((t) => (t.owner ? [idOf(t.owner)] : [])))].sort();
  const patients = useQuery({
    queryKey: ['follow-up-patients', patientIds],
    queryFn: ({ signal }) => loadPatientDisplays(ctx, patientIds, signal),
    enabled: patientIds.length > 0,
    staleTime: 60_000,
  });
  const owners = useQuery({ queryKey: ['practitioner-names', ownerIds], queryFn: ({ signal }) => loadPractitionerNames(client, ownerIds, { signal }), enabled: ownerIds.length > 0, staleTime: 5 * 60_000 });
  const team = useQuery({ queryKey: ['follow-up-team', user.practitionerId, today], queryFn: ({ signal }) => loadFollowUpTeam(client, user.practitionerId, today, signal), staleTime: 5 * 60_000 });

  const calendar = settings.data ? calendarOf(settings.data.settings) : undefined;
  const all: WorklistRow[] = sortWorklist(filterWorklist(tasks, filter), today, calendar).map((t) => {
    const patient = patients.data?.displays.get(t.patientId);
    const ownerName = t.owner ? owners.data?.get(idOf(t.owner)) : undefined;
    return { ...t, ...(patient ? { patient } : {}), ...(t.owner ? { ownerName: ownerName ?? idOf(t.owner) } : {}) };
  });
  // The patient search (issue 17 item 21): name or birth date.
  const rows = searchPatients(all, query, (r) => ({ name: r.patient?.name ?? null, birthDate: r.patient?.birthDate ?? null }));
  const nurses = team.data?.nurses ?? [];
  const options = nurses.some((n) => n.id === user.practitionerId) ? nurses : [{ id: user.practitionerId, name: user.name }, ...nurses];
  const overdue = rows.filter((r) => r.workingDaysLeft < 0).length;
  const dueToday = rows.filter((r) => r.workingDaysLeft === 0).length;
  const sweep = worklist.data?.sweep;
  const practice = usePracticeName(client, user.practitionerId);
  const filterNote = filter.kind === 'all' ? 'Alle sykepleiere' : (options.find((n) => n.id === filter.nurseId)?.name ?? user.name) + ' og ufordelte';

  return (
    <section aria-labelledby="worklist-heading" className="pht-wl">
      <div className="pht-wl-head">
        <Heading level={2} data-size="sm" id="worklist-heading">
          Arbeidsliste: oppfølging etter utskrivning
        </Heading>
        <div className="pht-wl-actions pht-no-print">
          {/* The nurse's day on paper (issue 17 item 21): the rows as filtered and searched now. */}
          <PrintButton testId="worklist-print" disabled={rows.length === 0 || practice.pending} />
          <Button variant="secondary" data-size="sm" onClick={() => void worklist.refetch()} disabled={worklist.isFetching} data-testid="worklist-reload">
            Last inn på nytt
          </Button>
        </div>
      </div>
      <Paragraph data-size="sm">Kontakt pasienten innen 3 arbeidsdager etter utskrivning. Velg en rad for å åpne pasienten.</Paragraph>
      <Field className="pht-wl-filter">
        <Label htmlFor="worklist-nurse">Sykepleier</Label>
        <Select
          id="worklist-nurse"
          value={filter.kind === 'all' ? '*' : filter.nurseId}
          onChange={(e) => setFilter(e.target.value === '*' ? { kind: 'all' } : { kind: 'nurse', nurseId: e.target.value })}
          data-testid="worklist-nurse"
        >
          {options.map((n) => (
            <Select.Option key={n.id} value={n.id}>
              {n.id === user.practitionerId ? `Meg (${n.name}) og ufordelte` : `${n.name} og ufordelte`}
            </Select.Option>
          ))}
          <Select.Option value="*">Alle sykepleiere</Select.Option>
        </Select>
      </Field>
      <PatientSearchField value={query} onChange={setQuery} testId="worklist-search" className="pht-wl-search" />
      {worklist.isPending && <Loading text="Laster arbeidslisten og ser etter nye utskrivninger …" />}
      {worklist.isError && <LoadError what="arbeidslisten" error={worklist.error} onRetry={() => void worklist.refetch()} />}
      {worklist.data && (
        <>
          <Paragraph role="status" data-testid="worklist-summary">
            {rows.length} åpne oppfølginger: {overdue} forfalt, {dueToday} med frist i dag.
            {sweep && 'created' in sweep && sweep.created > 0 && ` ${sweep.created} nye oppgaver opprettet for nye utskrivninger.`}
          </Paragraph>
          {sweep && 'error' in sweep && (
            <Alert data-color="warning" data-size="sm">
              <Paragraph data-size="sm">{sweep.error}</Paragraph>
            </Alert>
          )}
          {patients.isError && (
            <Alert data-color="warning" data-size="sm">
              <Paragraph data-size="sm">Fikk ikke hentet telefon og pårørende fra journalsystemet.</Paragraph>
            </Alert>
          )}
          {rows.length === 0 ? (
            <Paragraph>{query.trim() ? `Ingen åpne oppfølginger for «${query.trim()}».` : "Ingen åpne oppfølginger."}</Paragraph>
          ) : (
            <WorklistTable rows={rows} onOpen={openPatient ? (r) => openPatient(r.patientId, { from: 'worklist', followUpTaskId: r.id }) : undefined} />
          )}
          <PrintSheet
            title="Ringeliste: oppfølging etter utskrivning"
            practice={practice.name}
            date={today}
            note={query.trim() ? `${filterNote}, søk «${query.trim()}»` : filterNote}
            columns={CALL_LIST_COLUMNS}
            rows={rows}
            rowKey={(r) => r.id}
            testId="worklist-print-sheet"
          />
        </>
      )}
    </section>
  );
}

// Arbeidsliste (nurse; issue "Discharge follow-up" point 5, SPEC §4): the open discharge follow-ups,
// overdue first, with countdown in working days, phone and next of kin. Opening it also creates the tasks
// of newly seen discharges. Filter by nurse (default: me, with the unassigned tasks).
import { useEffect, useState } from 'react';
import { Alert, Button, Field, Heading, Label, Paragraph, Select } from '@digdir/designsystemet-react';
import { createWorklistStore, filterWorklist, type NurseFilter } from '../../state/worklistStore';
import type { FeatureProps } from '../../ui/featureProps';
import { queryClient } from '../../platform/queryClient';
import { fetchPracticeSettings } from '../../platform/settings';
import { ProgressBar } from '../../ui/ProgressBar';
import { LoadError } from '../../ui/LoadError';
import { WorklistTable } from './WorklistTable';
import './worklist.css';

function filterValue(filter: NurseFilter): string {
  return filter.kind === 'all' ? '*' : filter.nurseId;
}

export default function Worklist({ client, user, session, openPatient }: FeatureProps) {
  const [store] = useState(() => createWorklistStore({ client, user, settings: async () => (await fetchPracticeSettings(queryClient, { ...(session.handle ? { handle: session.handle } : {}) })).settings }));
  const { status, progress, data, error, filter, load, cancel, setFilter } = store();
  useEffect(() => {
    void store.getState().load();
  }, [store]);
  const rows = filterWorklist(data?.rows ?? [], filter);
  const nurses = data?.team.nurses ?? [];
  const options = nurses.some((n) => n.id === user.practitionerId) ? nurses : [{ id: user.practitionerId, name: user.name }, ...nurses];
  const overdue = rows.filter((r) => r.workingDaysLeft < 0).length;
  const dueToday = rows.filter((r) => r.workingDaysLeft === 0).length;

  return (
    <section aria-labelledby="worklist-heading" className="pht-wl">
      <div className="pht-wl-head">
        <Heading level={2} data-size="sm" id="worklist-heading">
          Arbeidsliste: oppfølging etter utskrivning
        </Heading>
        <Button variant="secondary" data-size="sm" onClick={() => void load()} disabled={status === 'loading'} data-testid="worklist-reload">
          Last inn på nytt
        </Button>
      </div>
      <Paragraph data-size="sm">Kontakt pasienten innen 3 arbeidsdager etter utskrivning. Velg en rad for å åpne pasienten.</Paragraph>
      <Field className="pht-wl-filter">
        <Label htmlFor="worklist-nurse">Sykepleier</Label>
        <Select
          id="worklist-nurse"
          value={filterValue(filter)}
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
      {status === 'loading' && <ProgressBar label={progress?.label ?? 'Laster arbeidslisten …'} done={progress?.done ?? 0} total={progress?.total} onCancel={cancel} />}
      {status === 'error' && <LoadError what="arbeidslisten" error={error} onRetry={() => void load()} />}
      {data && status !== 'loading' && (
        <>
          <Paragraph role="status" data-testid="worklist-summary">
            {rows.length} åpne oppfølginger: {overdue} forfalt, {dueToday} med frist i dag.
            {data.ensured.created > 0 && ` ${data.ensured.created} nye oppgaver opprettet for nye utskrivninger.`}
          </Paragraph>
          {[...data.issues, ...data.ensured.failures.map((f) => f.message)].map((m) => (
            <Alert data-color="warning" data-size="sm" key={m}>
              <Paragraph data-size="sm">{m}</Paragraph>
            </Alert>
          ))}
          {rows.length === 0 ? (
            <Paragraph>Ingen åpne oppfølginger.</Paragraph>
          ) : (
            <WorklistTable rows={rows} onOpen={openPatient ? (r) => openPatient(r.followUp.patientId, { from: 'worklist', followUpTaskId: r.taskId }) : undefined} />
          )}
        </>
      )}
    </section>
  );
}

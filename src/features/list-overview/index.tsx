// List overview (issue "Target groups" point 6; issue 15): the last computed result at once, with when it
// was computed («beregnet kl. 02:13»), counts per group and GP against the source's estimate, and the
// patient list; a manual rescan on the app server with progress. A GP sees their own list by default, the
// daglig leder and the health secretary the practice; the secretary membership only (the server decides).
import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Heading, Paragraph, Radio, Fieldset } from '@digdir/designsystemet-react';
import type { PopulationRow } from '../../domain/targetGroups/views';
import { logExport } from '../../fhir/audit';
import { loadPracticeTeam, type GpView } from '../../fhir/populationTeam';
import type { FeatureProps } from '../../ui/featureProps';
import { formatDate } from '../../ui/format';
import { Loading } from '../../ui/Loading';
import { computedAtText, defaultListScope, errorMessage, useScanRun, useStartScan, useTargetGroupList } from '../target-groups/api';
import { PatientList } from './PatientList';
import { ScanControls } from './ScanControls';
import { SummaryTable } from './SummaryTable';
import { summarize } from './summary';
import { CapabilityNotes, useEpjAccepts } from '../../platform/ui/CapabilityNotes';
import { apiFetch } from '../../platform/api';
import './listOverview.css';

export default function ListOverview({ client, session, user, openPatient }: FeatureProps) {
  const isGp = user.role.role === 'gp';
  const [scope, setScope] = useState<'gp' | 'practice'>(() => defaultListScope(user.role));
  const api = useMemo(() => ({ ...(session.handle ? { handle: session.handle } : {}) }), [session.handle]);
  const list = useTargetGroupList(api, scope);
  // GP names for the rows and the filter: the practice's team as the user's own token reads it.
  const team = useQuery({ queryKey: ['practice-team', user.practitionerId], queryFn: ({ signal }) => loadPracticeTeam(client, user.practitionerId, signal), staleTime: 10 * 60_000 });
  const start = useStartScan(api);
  const [runId, setRunId] = useState<string | undefined>(undefined);
  const followed = useScanRun(api, runId ?? list.data?.running?.id);
  const running = followed.data?.state === 'running' ? followed.data : undefined;
  const data = list.data;
  const clinical = data?.clinical ?? user.role.role !== 'secretary';
  const gps: GpView[] = useMemo(() => team.data?.gps ?? [], [team.data]);
  const rows: PopulationRow[] = useMemo(() => {
    const names = new Map(gps.map((g) => [g.id, g.name]));
    return (data?.rows ?? []).map((r) => {
      const gpName = r.gpId ? names.get(r.gpId) : undefined;
      return gpName ? { ...r, gpName } : r;
    });
  }, [data, gps]);
  const summaries = useMemo(() => summarize(rows, scope === 'gp' ? 'Min liste' : 'Praksisen'), [rows, scope]);
  const auditUser = useMemo(() => ({ practitionerId: user.practitionerId, name: user.name }), [user.practitionerId, user.name]);
  // An AuditEvent for the EPJ only where it accepts one; the app server's audit log records the export anyway.
  const epjAudit = useEpjAccepts(api, 'AuditEvent');
  const run = () => start.mutate(undefined, { onSuccess: (r) => setRunId(r.id) });
  const failed = followed.data?.state === 'failed' ? followed.data : undefined;

  return (
    <section aria-labelledby="list-overview-heading" className="pht-lo">
      <Heading level={2} data-size="sm" id="list-overview-heading">
        Listeoversikt: målgrupper
      </Heading>
      <CapabilityNotes handle={session.handle} where="list" />
      {isGp && (
        <Fieldset className="pht-lo-scope">
          <Fieldset.Legend>Hvilken liste</Fieldset.Legend>
          <Radio label="Min liste" name="lo-scope" value="gp" checked={scope === 'gp'} onChange={() => setScope('gp')} />
          <Radio label="Hele praksisen" name="lo-scope" value="practice" checked={scope === 'practice'} onChange={() => setScope('practice')} />
        </Fieldset>
      )}
      <ScanControls running={running} starting={start.isPending} hasResult={data?.computedAt !== undefined} onRun={run} />
      {start.isError && (
        <Alert data-color="danger" role="alert">
          <Paragraph>Gjennomgangen kunne ikke startes: {errorMessage(start.error)}</Paragraph>
        </Alert>
      )}
      {failed && (
        <Alert data-color="danger" role="alert">
          <Paragraph>{failed.error ?? 'Gjennomgangen feilet.'} Resultatet under er fra forrige gjennomgang.</Paragraph>
        </Alert>
      )}
      {list.isPending && <Loading text="Laster listeoversikten …" />}
      {list.isError && (
        <Alert data-color="danger" role="alert">
          <Paragraph>Kunne ikke laste listeoversikten: {errorMessage(list.error)}</Paragraph>
        </Alert>
      )}
      {data && data.computedAt === undefined && !running && (
        <Paragraph data-testid="scan-none">Listen er ikke gjennomgått ennå. Appen går gjennom den hver natt kl. 02:00, eller nå med knappen over.</Paragraph>
      )}
      {data?.computedAt && (
        <>
          <Paragraph data-size="sm" data-testid="scan-info">
            Målgrupper {computedAtText(data.computedAt, new Date())}
            {data.asOf ? ` (per ${formatDate(data.asOf)})` : ''}.
            {!clinical && ' Du ser hvem som er i en målgruppe, ikke hvilken eller begrunnelsen.'}
            {clinical && rows.some((r) => r.issueCount > 0) && ` ${rows.filter((r) => r.issueCount > 0).length} pasienter har data som ikke kunne brukes.`}
          </Paragraph>
          {clinical && rows.some((r) => (r.unchecked ?? []).length > 0) && (
            <Paragraph data-size="sm" data-testid="list-unchecked">
              {uncheckedSummary(rows)} Velg «Kriterier som ikke kunne sjekkes» under Målgruppe for å se dem.
            </Paragraph>
          )}
          <SummaryTable summaries={summaries} clinical={clinical} />
          <PatientList
            rows={rows}
            gps={gps}
            clinical={clinical}
            // The secretary has no patient panel (SPEC §1 role table): her rows are not offered as links
            // that lead nowhere (issue 17 item 7).
            onOpen={openPatient && clinical ? (row) => openPatient(row.patientId, { from: 'list-overview' }) : undefined}
            onExport={(count, filter) => {
              if (epjAudit) void logExport(client, { export: 'list-overview', count, format: 'csv', user: auditUser, query: { scope, group: filter.group, marker: filter.marker, gp: filter.gpId } });
              // The app's own audit log (issue 15): who exported what.
              void apiFetch(api, '/api/audit/export', { method: 'POST', body: { what: `listeoversikt ${scope} (CSV)`, rows: count } }).catch(() => undefined);
            }}
          />
        </>
      )}
    </section>
  );
}

/** «N pasienter har kriterier som ikke kunne sjekkes (mangler …)»: what the journal system's data could not decide. */
function uncheckedSummary(rows: readonly PopulationRow[]): string {
  const patients = rows.filter((r) => (r.unchecked ?? []).length > 0);
  const missing = new Set(patients.flatMap((r) => (r.unchecked ?? []).flatMap((u) => (/\(mangler (.+)\)$/.exec(u.text)?.[1] ?? '').split(' og '))).filter((m) => m !== ''));
  const n = patients.length;
  return `${n} ${n === 1 ? 'pasient har' : 'pasienter har'} kriterier som ikke kunne sjekkes med journalsystemets data${missing.size > 0 ? ` (mangler ${[...missing].join(', ')})` : ''}.`;
}

// List overview (issue "Target groups" point 6): run the population scan with progress and cancel,
// counts per group and GP against the source's estimate, and the patient list. A GP sees their own list
// by default, the daglig leder and the health secretary the practice; the secretary without evidence.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Heading, Paragraph, Radio, Fieldset } from '@digdir/designsystemet-react';
import { describeError } from '../../fhir/errors';
import { logExport, logListView } from '../../fhir/audit';
import { serverStatusSource } from '../../fhir/targetGroupStatus';
import { withoutClinicalEvidence } from '../../fhir/populationRows';
import type { ScanScope } from '../../fhir/population';
import { usePopulationStore } from '../../state/populationStore';
import type { FeatureProps } from '../../ui/featureProps';
import { formatDate, osloToday } from '../../ui/format';
import { PatientList } from './PatientList';
import { ScanControls } from './ScanControls';
import { SummaryTable } from './SummaryTable';
import { summarize } from './summary';
import { CapabilityNotes } from '../../platform/ui/CapabilityNotes';
import './listOverview.css';

export default function ListOverview({ client, user, openPatient, session }: FeatureProps) {
  const { status, progress, result, cancelled, error, scan, cancel } = usePopulationStore();
  const isGp = user.role.role === 'gp';
  const [scopeKind, setScopeKind] = useState<'gp' | 'practice'>(isGp && !user.role.practiceManager ? 'gp' : 'practice');
  const clinical = user.role.role !== 'secretary';
  const scope: ScanScope = scopeKind === 'gp' ? { kind: 'gp', gpId: user.practitionerId } : { kind: 'practice' };
  const rows = useMemo(() => (result ? (clinical ? result.rows : withoutClinicalEvidence(result.rows)) : []), [result, clinical]);
  const summaries = useMemo(() => summarize(rows, result?.scope.kind === 'gp' ? 'Min liste' : 'Praksisen'), [rows, result]);
  // The secretary reads no clinical facts (issue 12 item 5): the app server classifies, groups only.
  const run = () => void scan(client, scope, { userId: user.practitionerId, asOf: osloToday(new Date()), ...(clinical ? {} : { statusSource: serverStatusSource(client) }) });
  const auditUser = useMemo(() => ({ practitionerId: user.practitionerId, name: user.name }), [user.practitionerId, user.name]);
  const shownScope = result?.scope.kind;
  // Who saw which list when (SPEC §8): logged once the rows are on screen; never blocks the view.
  useEffect(() => {
    if (shownScope) void logListView(client, { list: 'list-overview', count: rows.length, user: auditUser, query: { scope: shownScope, evidence: clinical } });
  }, [client, rows.length, auditUser, shownScope, clinical]);

  return (
    <section aria-labelledby="list-overview-heading" className="pht-lo">
      <Heading level={2} data-size="sm" id="list-overview-heading">
        Listeoversikt: målgrupper
      </Heading>
      <CapabilityNotes handle={session.handle} where="list" />
      {isGp && (
        <Fieldset className="pht-lo-scope">
          <Fieldset.Legend>Hvilken liste</Fieldset.Legend>
          <Radio label="Min liste" name="lo-scope" value="gp" checked={scopeKind === 'gp'} onChange={() => setScopeKind('gp')} />
          <Radio label="Hele praksisen" name="lo-scope" value="practice" checked={scopeKind === 'practice'} onChange={() => setScopeKind('practice')} />
        </Fieldset>
      )}
      <ScanControls running={status === 'loading'} hasResult={result !== undefined} progress={progress} cancelled={cancelled} onRun={run} onCancel={cancel} />
      {status === 'error' && (
        <Alert data-color="danger" role="alert">
          <Paragraph>Gjennomgangen stoppet: {describeError(error).message}</Paragraph>
        </Alert>
      )}
      {result && (
        <>
          <Paragraph data-size="sm" data-testid="scan-info">
            Gjennomgang per {formatDate(result.asOf)}.
            {!clinical && ' Målgruppene er beregnet av appserveren; du ser hvem som er i en målgruppe, ikke begrunnelsen.'}
            {result.flags && ` Lagret: ${result.flags.created} nye, ${result.flags.updated} endret, ${result.flags.closed} avsluttet, ${result.flags.unchanged} uendret målgruppemarkeringer.`}
            {result.issues.length > 0 && ` ${result.issues.length} pasienter har data som ikke kunne brukes.`}
            {result.skipped.length > 0 && ` ${result.skipped.length} ressurser uten gyldig pasient ble hoppet over.`}
          </Paragraph>
          {result.flags && result.flags.failed > 0 && (
            <Alert data-color="warning">
              <Paragraph>
                {result.flags.failed} markeringer ble ikke lagret: {result.flags.errors.join(' ')} Kjør gjennomgangen på nytt.
              </Paragraph>
            </Alert>
          )}
          <SummaryTable summaries={summaries} />
          <PatientList
            rows={rows}
            gps={result.gps}
            clinical={clinical}
            // The secretary has no patient panel (SPEC §1 role table): her rows are not offered as links
            // that lead nowhere (issue 17 item 7).
            onOpen={openPatient && clinical ? (row) => openPatient(row.patientId, { from: 'list-overview' }) : undefined}
            onExport={(count, filter) =>
              void logExport(client, { export: 'list-overview', count, format: 'csv', user: auditUser, query: { scope: shownScope, group: filter.group, marker: filter.marker, gp: filter.gpId } })
            }
          />
        </>
      )}
    </section>
  );
}

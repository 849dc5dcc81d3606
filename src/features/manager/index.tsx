// The practice manager's view (daglig leder; SPEC §7): code usage, anomalies, claims control, deadline
// compliance, quality indicators and the evaluation export for a chosen period. Loaded lazily by
// src/ui/views.tsx. Every figure comes from computeManagerFigures (pure); this file only wires the
// load, the settings and the one write ("Marker som krevd").
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Heading, Paragraph, Tabs } from '@digdir/designsystemet-react';
import { computeManagerFigures } from '../../domain/manager/managerFigures';
import type { Period } from '../../domain/manager';
import { logExport, logListView } from '../../fhir/audit';
import { useEpjAccepts } from '../../platform/ui/CapabilityNotes';
import { describeError } from '../../fhir/errors';
import { loadManagerData } from '../../fhir/manager';
import { useIndicatorRecords } from '../care/api';
import { useClaimBatches, useManagerCharges, useManagerContacts, useMarkClaimed, useUndoClaims } from '../contact-copay/api';
import { fetchManagerPopulation, useManagerOutreach } from '../target-groups/api';
import { ApiError } from '../../platform/api';
import { useClaimRun, useManagerData, useManagerProgress } from '../../state/managerStore';
import { DEFAULT_SETTINGS } from '../../domain/settings';
import { usePracticeSettings } from '../../platform/settings';
import { apiFetch } from '../../platform/api';
import type { FeatureProps } from '../../ui/featureProps';
import { osloToday } from '../../ui/format';
import { AnomaliesSection } from './AnomaliesSection';
import { ClaimsSection } from './ClaimsSection';
import { CodeUsageSection } from './CodeUsageSection';
import { DeadlinesSection } from './DeadlinesSection';
import { deadlinesQuery } from '../follow-up/api';
import { queryClient } from '../../platform/queryClient';
import { EvaluationExport, FinancingSection } from '../financing';
import { formatPeriod } from './format';
import { IndicatorsSection } from './IndicatorsSection';
import { IssuesNotice, LoadProgress } from './Status';
import { namesFor } from './names';
import { thisMonth } from './period';
import { PeriodPicker } from './PeriodPicker';
import { Settings } from './Settings';
import './manager.css';

export default function Manager({ client, user, session }: FeatureProps) {
  const today = useMemo(() => osloToday(new Date()), []);
  const [period, setPeriod] = useState<Period>(() => thisMonth(today));
  const { status, data: epjData, error: epjError, load } = useManagerData();
  const { progress, setProgress } = useManagerProgress();
  // The practice's settings from the app server (the defaults until they have loaded).
  const api = useMemo(() => ({ ...(session.handle ? { handle: session.handle } : {}) }), [session.handle]);
  const { financingModel, digitalBookingShare } = usePracticeSettings(api).data?.settings ?? DEFAULT_SETTINGS;
  const { run, setRun } = useClaimRun();
  // The charges and claims are the app's own (issue 15): from 1 January of the period's first year, since
  // the yearly-maximum anomaly counts the whole calendar year.
  const chargesPeriod = useMemo(() => ({ from: `${period.from.slice(0, 4)}-01-01`, to: period.to }), [period.from, period.to]);
  const chargesQuery = useManagerCharges(api, chargesPeriod, user.role.practiceManager);
  const batches = useClaimBatches(api, user.role.practiceManager);
  const mark = useMarkClaimed(api);
  const undo = useUndoClaims(api);
  // The evaluation export's outreach and contacts: counts from their slices, for the period.
  const outreach = useManagerOutreach(api, period, user.role.practiceManager);
  const contacts = useManagerContacts(api, period, user.role.practiceManager);
  // The care plans and medication reviews the team recorded in the app (issue 17 items 16-17) count in the
  // Table 2 indicators and model B's quality part next to what the EPJ holds.
  const careRecords = useIndicatorRecords(api, user.role.practiceManager);
  const data = useMemo(() => {
    if (!epjData || !chargesQuery.data || !careRecords.data) return undefined;
    const records = careRecords.data.records;
    return { ...epjData, charges: chargesQuery.data, population: epjData.population.map((p) => (records[p.id] ? { ...p, care: records[p.id] } : p)) };
  }, [epjData, chargesQuery.data, careRecords.data]);
  const error = epjError ?? chargesQuery.error ?? careRecords.error;

  const reload = useCallback(
    () =>
      load(async (signal) => {
        // The follow-up tasks are the app server's (issue 15); the rest is read from the EPJ.
        const [fhir, followUps] = await Promise.all([
          loadManagerData(client, period, { signal, asOf: today, userId: user.practitionerId, onProgress: setProgress, population: (asOf, s) => fetchManagerPopulation(api, asOf, s) }),
          queryClient.fetchQuery(deadlinesQuery(api, { from: period.from, to: period.to, asOf: today })),
        ]);
        return { ...fhir, tasks: followUps.tasks };
      }),
    [client, period, today, user.practitionerId, load, setProgress, api],
  );
  useEffect(() => {
    setRun({ status: 'idle' });
    void reload();
  }, [reload, setRun]);

  const figures = useMemo(
    () => (data ? computeManagerFigures(data, { indicatorSettings: digitalBookingShare === null ? {} : { digitalBookingShare } }) : undefined),
    [data, digitalBookingShare],
  );
  const names = useMemo(() => (data ? namesFor(data) : undefined), [data]);
  const auditUser = useMemo(() => ({ practitionerId: user.practitionerId, name: user.name }), [user.practitionerId, user.name]);
  // The EPJ's own audit trail gets an AuditEvent where it accepts one (a narrow EPJ does not); the app's audit
  // log on the app server records every list view and export either way.
  const epjAudit = useEpjAccepts(api, 'AuditEvent');
  // SPEC §8: list views and exports are logged (who saw which list when).
  useEffect(() => {
    if (status === 'ready' && data && epjAudit) void logListView(client, { list: 'manager', count: data.charges.length, user: auditUser, query: { from: data.period.from, to: data.period.to } });
  }, [status, data, client, auditUser, epjAudit]);
  const logged = (name: 'unclaimed-charges' | 'evaluation') => (count: number) => {
    if (epjAudit) void logExport(client, { export: name, count, user: auditUser, format: 'csv', aggregate: name === 'evaluation', query: { from: period.from, to: period.to } });
    // The app's own audit log (issue 15): who exported what.
    void apiFetch(api, '/api/audit/export', { method: 'POST', body: { what: `${name} ${period.from}–${period.to} (CSV)`, rows: count } }).catch(() => undefined);
  };

  async function onMark() {
    if (!data || !figures) return;
    const ids = figures.toMarkClaimed;
    setRun({ status: 'running', done: 0, total: ids.length });
    try {
      // One batch, one id: a resend after a dropped connection is the same batch (never marked twice).
      const result = await mark.mutateAsync({ batchId: crypto.randomUUID(), chargeIds: ids, period });
      const unchanged = new Set(result.alreadyClaimed);
      setRun({ status: 'done', result: { marked: ids.filter((id) => !unchanged.has(id)).slice(0, result.marked), unchanged: result.alreadyClaimed, failed: [] } });
    } catch (err) {
      setRun({ status: 'error', message: err instanceof ApiError ? err.message : describeError(err).message });
    }
  }

  async function onUndo(batchId: string) {
    try {
      await undo.mutateAsync(batchId);
      setRun({ status: 'idle' });
    } catch (err) {
      setRun({ status: 'error', message: err instanceof ApiError ? err.message : describeError(err).message });
    }
  }

  return (
    <section aria-labelledby="manager-heading" className="pht-manager">
      <Heading level={2} data-size="sm" id="manager-heading">
        Leder: praksisens tall
      </Heading>
      <div className="pht-manager-controls">
        <PeriodPicker value={period} onChange={setPeriod} disabled={status === 'loading'} />
        <Settings api={api} canEdit={user.role.practiceManager} />
      </div>
      <Paragraph data-testid="manager-period">Periode: {formatPeriod(period)}</Paragraph>
      {status === 'loading' && <LoadProgress progress={progress} />}
      {status !== 'loading' && chargesQuery.isPending && !chargesQuery.error && <Paragraph role="status">Henter takstene …</Paragraph>}
      {(status === 'error' || error) && (
        <Alert data-color="danger" role="alert" data-testid="manager-error">
          <Paragraph>
            {error instanceof ApiError ? error.message : `${describeError(error).message} ${describeError(error).action}`}
          </Paragraph>
        </Alert>
      )}
      {data && figures && names && status !== 'error' && !error && (
        <>
          <IssuesNotice issues={data.issues} />
          <Tabs defaultValue="usage" data-size="sm">
            <Tabs.List>
              <Tabs.Tab value="usage">Kodebruk</Tabs.Tab>
              <Tabs.Tab value="anomalies">Avvik ({figures.anomalies.length})</Tabs.Tab>
              <Tabs.Tab value="claims">Oppgjørskontroll</Tabs.Tab>
              <Tabs.Tab value="deadlines">Frister</Tabs.Tab>
              <Tabs.Tab value="indicators">Kvalitetsindikatorer</Tabs.Tab>
              <Tabs.Tab value="financing">Finansiering</Tabs.Tab>
              <Tabs.Tab value="export">Eksport</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="usage">
              <CodeUsageSection usage={figures.codeUsage} norms={data.norms} charges={data.charges} names={names} egenandelIsDemo={data.egenandelIsDemo} />
            </Tabs.Panel>
            <Tabs.Panel value="anomalies">
              <AnomaliesSection anomalies={figures.anomalies} charges={data.charges} names={names} />
            </Tabs.Panel>
            <Tabs.Panel value="claims">
              {financingModel === 'A' ? (
                <ClaimsSection
                  claims={figures.claims}
                  toMark={figures.toMarkClaimed.length}
                  names={names}
                  run={run}
                  onMark={() => void onMark()}
                  onExport={logged('unclaimed-charges')}
                  batches={batches.data ?? []}
                  onUndo={(id) => void onUndo(id)}
                  undoing={undo.isPending}
                />
              ) : (
                <Alert data-color="info">
                  <Paragraph>Praksisen bruker driftstilskuddsmodellen (B): sykepleiertakstene kreves ikke refundert, så det er ikke noe oppgjør å kontrollere.</Paragraph>
                </Alert>
              )}
            </Tabs.Panel>
            <Tabs.Panel value="deadlines">
              <DeadlinesSection compliance={figures.compliance} cases={figures.complianceCases} overdue={figures.overdueNow} names={names} />
            </Tabs.Panel>
            <Tabs.Panel value="indicators">
              <IndicatorsSection indicators={figures.indicators} trend={figures.indicatorTrend} model={financingModel} names={names} />
            </Tabs.Panel>
            <Tabs.Panel value="financing">
              <FinancingSection data={data} indicators={figures.indicators} names={names} api={api} canEdit={user.role.practiceManager} />
            </Tabs.Panel>
            <Tabs.Panel value="export">
              <EvaluationExport data={data} indicators={figures.indicators} api={api} outreach={outreach} contacts={contacts} onExport={logged('evaluation')} />
            </Tabs.Panel>
          </Tabs>
        </>
      )}
    </section>
  );
}

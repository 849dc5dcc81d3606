// The target groups from the app server (issue 15): the list overview's last computed result, the manual
// rescan and its progress, the patient panel's groups, the GP's assessment and the team's outreach, all
// through TanStack Query. The server classifies (src/domain/targetGroups) and decides what each role may
// see; the health secretary's answers carry membership only.
import { queryOptions, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { OutreachCounts } from '../../domain/financing/evaluationSources';
import type { PatientFacts, TargetGroup } from '../../domain/targetGroups';
import type {
  AssessmentRecord,
  ListOverviewResponse,
  OutreachNeed,
  OutreachOffer,
  OutreachRecord,
  OutreachWorklistResponse,
  PatientTargetGroupsResponse,
  ScanRunView,
} from '../../domain/targetGroups/views';
import { describeError } from '../../fhir/errors';
import { ApiError, apiFetch, type ApiContext } from '../../platform/api';

export type { ApiContext };
const BASE = '/api/target-groups';
/** How often a running scan's progress is asked for. */
export const SCAN_POLL_MS = 1000;

const keys = {
  all: (ctx: ApiContext) => ['target-groups', ctx.handle ?? ''] as const,
  list: (ctx: ApiContext, scope: 'gp' | 'practice') => [...keys.all(ctx), 'list', scope] as const,
  outreach: (ctx: ApiContext) => [...keys.all(ctx), 'outreach'] as const,
  patient: (ctx: ApiContext, patientId: string) => [...keys.all(ctx), 'patient', patientId] as const,
  run: (ctx: ApiContext, runId: string) => [...keys.all(ctx), 'run', runId] as const,
};

/**
 * Fresh for 2 s: the answer asked for together with the view's code (prefetchList, on the click on
 * «Listeoversikt») is the one the view shows when it mounts, not asked for (and audited) twice.
 */
export const LIST_FRESH_MS = 2_000;

export const listQuery = (ctx: ApiContext, scope: 'gp' | 'practice') =>
  queryOptions({
    queryKey: keys.list(ctx, scope),
    queryFn: ({ signal }) => apiFetch<ListOverviewResponse>(ctx, `${BASE}/list?scope=${scope}`, { signal }),
    staleTime: LIST_FRESH_MS,
  });

/** The list a user sees first: a GP his own list, the daglig leder and the others the practice. */
export function defaultListScope(role: { role: string; practiceManager?: boolean }): 'gp' | 'practice' {
  return role.role === 'gp' && !role.practiceManager ? 'gp' : 'practice';
}

/**
 * Asks for the list overview's first answer while the view's code loads (issue 19 point 4: the two
 * one after the other were most of the time to the first rows).
 */
export function prefetchList(queryClient: QueryClient, ctx: ApiContext, role: { role: string; practiceManager?: boolean }): Promise<void> {
  return queryClient.prefetchQuery(listQuery(ctx, defaultListScope(role)));
}

export function useTargetGroupList(ctx: ApiContext, scope: 'gp' | 'practice') {
  return useQuery(listQuery(ctx, scope));
}

export function useOutreachWorklist(ctx: ApiContext) {
  return useQuery({ queryKey: keys.outreach(ctx), queryFn: ({ signal }) => apiFetch<OutreachWorklistResponse>(ctx, `${BASE}/outreach`, { signal }) });
}

/** A patient's target groups; fresh for a few seconds, so what the patient panel's one answer brought is not read again at once. */
export const patientTargetGroupsQuery = (ctx: ApiContext, patientId: string) =>
  queryOptions({
    queryKey: keys.patient(ctx, patientId),
    queryFn: ({ signal }) => apiFetch<PatientTargetGroupsResponse & { stale?: boolean }>(ctx, `${BASE}/patients/${encodeURIComponent(patientId)}`, { signal }),
    staleTime: 5_000,
  });

export function usePatientTargetGroups(ctx: ApiContext, patientId: string | undefined) {
  return useQuery({ ...patientTargetGroupsQuery(ctx, patientId ?? ''), enabled: patientId !== undefined });
}

/** A run's progress, asked for every SCAN_POLL_MS while it runs; the list reloads when it is done. */
export function useScanRun(ctx: ApiContext, runId: string | undefined) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: keys.run(ctx, runId ?? ''),
    queryFn: async ({ signal }) => {
      const { run } = await apiFetch<{ run: ScanRunView }>(ctx, `${BASE}/scan/${runId ?? ''}`, { signal });
      // Finished: reload what shows its result (not the run itself: that would start it again).
      if (run.state !== 'running') void queryClient.invalidateQueries({ queryKey: keys.all(ctx), predicate: (q) => q.queryKey[2] !== 'run' });
      return run;
    },
    enabled: runId !== undefined,
    refetchInterval: (query) => (query.state.data?.state === 'running' || query.state.data === undefined ? SCAN_POLL_MS : false),
  });
}

/** Starts a rescan; a run already going (409) is answered with that run, to follow instead. */
export function useStartScan(ctx: ApiContext) {
  return useMutation({
    mutationFn: async (): Promise<ScanRunView> => {
      try {
        return (await apiFetch<{ run: ScanRunView }>(ctx, `${BASE}/scan`, { method: 'POST', body: {} })).run;
      } catch (error) {
        if (error instanceof ApiError && error.status === 409 && isRun(error.body.running)) return error.body.running;
        throw error;
      }
    },
  });
}

function isRun(value: unknown): value is ScanRunView {
  return typeof value === 'object' && value !== null && 'state' in value && 'id' in value;
}

export interface AssessInput {
  patientId: string;
  group: TargetGroup;
  include: boolean;
  reason: string;
  authorName: string;
}

/** The GP's confirm/reject; one id per attempt, so a retry of the same save is one record on the server. */
export function useAssessTargetGroup(ctx: ApiContext) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ patientId, ...body }: AssessInput & { id: string }) =>
      apiFetch<{ assessment: AssessmentRecord }>(ctx, `${BASE}/patients/${encodeURIComponent(patientId)}/assessments`, { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.all(ctx) }),
  });
}

export interface OutreachInput {
  patientId: string;
  need: OutreachNeed;
  offer?: OutreachOffer;
  note: string;
  authorName: string;
}

export function useRecordOutreach(ctx: ApiContext) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ patientId, ...body }: OutreachInput & { id: string }) =>
      apiFetch<{ outreach: OutreachRecord }>(ctx, `${BASE}/patients/${encodeURIComponent(patientId)}/outreach`, { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.all(ctx) }),
  });
}

/** After a write elsewhere that changes the groups (a medication review): reload the patient. */
export function useInvalidatePatient(ctx: ApiContext) {
  const queryClient = useQueryClient();
  return (patientId: string) => queryClient.invalidateQueries({ queryKey: keys.patient(ctx, patientId) });
}

/** «beregnet kl. 02:13» (Oslo time), with the date when it is not today. */
export function computedAtText(iso: string, now: Date): string {
  const at = new Date(iso);
  const time = new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', hour: '2-digit', minute: '2-digit' }).format(at);
  const day = (d: Date) => new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);
  return day(at) === day(now) ? `beregnet kl. ${time}` : `beregnet ${day(at)} kl. ${time}`;
}

/** What the user reads when a call failed: the server's Norwegian sentence, or the general one. */
export function errorMessage(error: unknown): string {
  return error instanceof ApiError ? error.message : describeError(error).message;
}

// ---- The daglig leder: outreach outcomes in a period, counts only (the evaluation export) ----

export const managerOutreachQuery = (ctx: ApiContext, period: { from: string; to: string }) =>
  queryOptions({
    queryKey: [...keys.all(ctx), 'manager-outreach', period.from, period.to] as const,
    queryFn: ({ signal }) => apiFetch<{ outreach: OutreachCounts }>(ctx, `${BASE}/manager/outreach?from=${period.from}&to=${period.to}`, { signal }).then((r) => r.outreach),
  });

export function useManagerOutreach(ctx: ApiContext, period: { from: string; to: string }, enabled = true) {
  return useQuery({ ...managerOutreachQuery(ctx, period), enabled });
}

/** The practice's listed population with the facts the manager's indicators need, as the app server read it from the EPJ. */
export interface ManagerPopulation {
  members: { id: string; facts: PatientFacts; sex?: 'female' | 'male' }[];
  names: Record<string, string>;
  issues: { resourceType: string; id?: string; severity: 'warning' | 'error'; message: string }[];
  /** The fact kinds the EPJ could not give. */
  unavailable: string[];
}

export function fetchManagerPopulation(ctx: ApiContext, asOf: string, signal?: AbortSignal): Promise<ManagerPopulation> {
  return apiFetch<ManagerPopulation>(ctx, `${BASE}/manager/population?asOf=${encodeURIComponent(asOf)}`, { signal });
}

// The care slice's calls to the app server (/api/care; issue 17 items 16-19) as TanStack Query hooks: the
// patient's care plans, medication review tasks and individual plan, and the yearly-check recall list. Every
// new record gets a client id once per user action; a change invalidates every care query.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CareRecord, IpReportChannel, RecallGroup, RecallState } from '../../domain/care';
import type { CarePlanView as CarePlan, CareTaskView as CareTask, IndividualPlanView as IndividualPlan, MedicationAssessmentView as MedicationAssessment, PatientCare, RecallRow } from '../../domain/careViews';
import { apiFetch, type ApiContext } from '../../platform/api';

// The shapes the server sends: src/domain/careViews.ts (shared with server/features/care).
export type { CarePlanView as CarePlan, CareTaskView as CareTask, IndividualPlanView as IndividualPlan, JournalState, MedicationAssessmentView as MedicationAssessment, PatientCare, RecallRow } from '../../domain/careViews';

const ROOT = ['care'] as const;
const handleOf = (ctx: ApiContext) => ctx.handle ?? '';

export const newClientId = (): string => crypto.randomUUID();

/** A patient's care; fresh for a few seconds, so what the patient panel's one answer brought is not read again at once. */
export const patientCareQuery = (ctx: ApiContext, patientId: string) =>
  queryOptions({
    queryKey: [...ROOT, handleOf(ctx), 'patient', patientId],
    queryFn: ({ signal }) => apiFetch<PatientCare>(ctx, `/api/care/patients/${encodeURIComponent(patientId)}`, { signal }),
    staleTime: 5_000,
  });

export const usePatientCare = (ctx: ApiContext, patientId: string) => useQuery(patientCareQuery(ctx, patientId));

export interface RecallList {
  /** The server's business day (YYYY-MM-DD). */
  asOf: string;
  /** The practice's recall groups. */
  groups: RecallGroup[];
  rows: RecallRow[];
}

/** The recall list: due and overdue patients, or (`all`) every patient of the recall groups. */
export const useRecall = (ctx: ApiContext, all = false) =>
  useQuery({
    queryKey: [...ROOT, handleOf(ctx), 'recall', all ? 'all' : 'due'],
    queryFn: ({ signal }) => apiFetch<RecallList>(ctx, `/api/care/recall${all ? '?all=1' : ''}`, { signal }),
  });

export interface RecallSettings {
  groups: RecallGroup[];
  all: { id: RecallGroup; label: string }[];
}

export const useRecallSettings = (ctx: ApiContext, enabled = true) =>
  useQuery({ queryKey: [...ROOT, handleOf(ctx), 'recall-settings'], queryFn: ({ signal }) => apiFetch<RecallSettings>(ctx, '/api/care/recall/settings', { signal }), enabled });

/** The GP's medication reviews for «Mine oppgaver»: open ones, or with 'all' the answered ones too. */
export const useMyCareTasks = (ctx: ApiContext, status: 'open' | 'all' = 'open') =>
  useQuery({
    queryKey: [...ROOT, handleOf(ctx), 'mine', status],
    queryFn: ({ signal }) => apiFetch<CareTask[]>(ctx, `/api/care/tasks/mine${status === 'all' ? '?status=all' : ''}`, { signal }),
  });

/** Every patient's care record, for the daglig leder's Table 2 indicators (idle unless `enabled`). */
export const useIndicatorRecords = (ctx: ApiContext, enabled: boolean) =>
  useQuery({
    queryKey: [...ROOT, handleOf(ctx), 'indicator-records'],
    queryFn: ({ signal }) => apiFetch<{ records: Record<string, CareRecord> }>(ctx, '/api/care/indicator-records', { signal }),
    enabled,
  });

function useChange<I, O>(ctx: ApiContext, call: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: call, onSettled: () => queryClient.invalidateQueries({ queryKey: [...ROOT, handleOf(ctx)] }) });
}

const post = <T>(ctx: ApiContext, path: string, body: unknown) => apiFetch<T>(ctx, `/api/care${path}`, { method: 'POST', body });
const p = (id: string) => encodeURIComponent(id);

export const useCreatePlan = (ctx: ApiContext) =>
  useChange(ctx, ({ patientId, ...body }: { patientId: string; id: string; condition: 'diabetes' | 'kols'; goals: string[] }) => post<CarePlan>(ctx, `/patients/${p(patientId)}/plans`, body));
export const useReviewPlan = (ctx: ApiContext) =>
  useChange(ctx, ({ planId, ...body }: { planId: string; id: string; date: string; note: string }) => post<CarePlan>(ctx, `/plans/${p(planId)}/reviews`, body));
export const useEndPlan = (ctx: ApiContext) =>
  useChange(ctx, ({ planId, ...body }: { planId: string; date: string; note?: string; version: number }) => post<CarePlan>(ctx, `/plans/${p(planId)}/end`, body));
export const useRecordMedicationReviewNeed = (ctx: ApiContext) =>
  useChange(ctx, ({ patientId, ...body }: { patientId: string; id: string; assignee?: string; reason: string; due?: string }) => post<CareTask>(ctx, `/patients/${p(patientId)}/medication-review`, body));
/** «Ikke behov for legemiddelgjennomgang nå» (an assessment of the need; no task). */
export const useRecordNoMedicationReviewNeed = (ctx: ApiContext) =>
  useChange(ctx, ({ patientId, ...body }: { patientId: string; id: string; reason?: string }) =>
    post<{ assessment: MedicationAssessment }>(ctx, `/patients/${p(patientId)}/medication-review`, { ...body, needed: false }),
  );
/** The GP's answer: done, or not needed, with an optional note the team sees. */
export const useCompleteMedicationReview = (ctx: ApiContext) =>
  useChange(ctx, ({ taskId, ...body }: { taskId: string; date: string; note?: string; status?: 'done' | 'not-needed' }) => post<CareTask>(ctx, `/tasks/${p(taskId)}/done`, body));
export const useRecordIpNeed = (ctx: ApiContext) =>
  useChange(ctx, ({ patientId, ...body }: { patientId: string; id: string; date: string }) => post<IndividualPlan>(ctx, `/patients/${p(patientId)}/ip`, body));
export const useReportIp = (ctx: ApiContext) =>
  useChange(ctx, ({ patientId, ...body }: { patientId: string; date: string; how: IpReportChannel; version: number }) => post<IndividualPlan>(ctx, `/patients/${p(patientId)}/ip/report`, body));
export const useIpCoordinator = (ctx: ApiContext) =>
  useChange(ctx, ({ patientId, ...body }: { patientId: string; name: string; date: string; version: number }) => post<IndividualPlan>(ctx, `/patients/${p(patientId)}/ip/coordinator`, body));
/** Daglig leder: which groups get a yearly check. */
export const useSaveRecallGroups = (ctx: ApiContext) =>
  useChange(ctx, (body: { groups: RecallGroup[] }) => apiFetch<{ groups: RecallGroup[] }>(ctx, '/api/care/recall/settings', { method: 'PUT', body }));
export const useRecallEvent = (ctx: ApiContext) =>
  useChange(ctx, ({ patientId, ...body }: { patientId: string; id: string; state: RecallState; date: string }) => post<unknown>(ctx, `/recall/${p(patientId)}/events`, body));

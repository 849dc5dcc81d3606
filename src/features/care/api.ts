// The care slice's calls to the app server (/api/care; issue 17 items 16-19) as TanStack Query hooks: the
// patient's care plans, medication review tasks and individual plan, and the yearly-check recall list. Every
// new record gets a client id once per user action; a change invalidates every care query.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CarePlanStatus, IpReportChannel, IpStage, RecallGroup, RecallState } from '../../domain/care';
import { apiFetch, type ApiContext } from '../../platform/api';

export type JournalState = 'pending' | 'written' | 'failed';

export interface CarePlan {
  id: string;
  patientId: string;
  condition: 'diabetes' | 'kols';
  goals: string[];
  status: CarePlanStatus;
  createdAt: string;
  createdBy: string;
  endedOn: string | null;
  endNote: string | null;
  version: number;
  journal: JournalState | null;
  endJournal: JournalState | null;
  reviews: { id: string; reviewedOn: string; note: string; by: string; journal: JournalState | null }[];
}

export interface CareTask {
  id: string;
  patientId: string;
  kind: 'medication-review';
  assignee: string;
  reason: string;
  status: 'open' | 'done';
  createdAt: string;
  createdBy: string;
  doneOn: string | null;
  doneBy: string | null;
  doneNote: string | null;
  journal?: JournalState | null;
}

export interface IndividualPlan {
  neededOn: string;
  reportedOn: string | null;
  reportedHow: IpReportChannel | null;
  reportedBy: string | null;
  coordinatorName: string | null;
  coordinatorOn: string | null;
  version: number;
  stage: IpStage;
}

export interface PatientCare {
  patientId: string;
  carePlanDiseases: ('diabetes' | 'kols')[] | null;
  needsCarePlan: boolean | null;
  plans: CarePlan[];
  tasks: CareTask[];
  medicationReviewOpen: boolean;
  ip: IndividualPlan | null;
}

export interface RecallRow {
  patientId: string;
  name: string;
  birthDate: string | null;
  phone: string | null;
  groups?: string[];
  lastCheck: string | null;
  lastCheckedBy: string | null;
  due: string | null;
  urgency: 'overdue' | 'due' | 'not-due';
  state: 'called' | 'booked' | null;
  stateLabel: string | null;
  stateDate: string | null;
}

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

export const useRecall = (ctx: ApiContext) =>
  useQuery({
    queryKey: [...ROOT, handleOf(ctx), 'recall'],
    queryFn: ({ signal }) => apiFetch<{ asOf: string; groups: RecallGroup[]; rows: RecallRow[] }>(ctx, '/api/care/recall', { signal }),
  });

/** The GP's open medication reviews (for «Mine oppgaver»). */
export const useMyCareTasks = (ctx: ApiContext) =>
  useQuery({ queryKey: [...ROOT, handleOf(ctx), 'mine'], queryFn: ({ signal }) => apiFetch<CareTask[]>(ctx, '/api/care/tasks/mine', { signal }) });

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
  useChange(ctx, ({ patientId, ...body }: { patientId: string; id: string; assignee?: string; reason: string }) => post<CareTask>(ctx, `/patients/${p(patientId)}/medication-review`, body));
export const useCompleteMedicationReview = (ctx: ApiContext) =>
  useChange(ctx, ({ taskId, ...body }: { taskId: string; date: string; note?: string }) => post<CareTask>(ctx, `/tasks/${p(taskId)}/done`, body));
export const useRecordIpNeed = (ctx: ApiContext) =>
  useChange(ctx, ({ patientId, ...body }: { patientId: string; id: string; date: string }) => post<IndividualPlan>(ctx, `/patients/${p(patientId)}/ip`, body));
export const useReportIp = (ctx: ApiContext) =>
  useChange(ctx, ({ patientId, ...body }: { patientId: string; date: string; how: IpReportChannel; version: number }) => post<IndividualPlan>(ctx, `/patients/${p(patientId)}/ip/report`, body));
export const useIpCoordinator = (ctx: ApiContext) =>
  useChange(ctx, ({ patientId, ...body }: { patientId: string; name: string; date: string; version: number }) => post<IndividualPlan>(ctx, `/patients/${p(patientId)}/ip/coordinator`, body));
export const useRecallEvent = (ctx: ApiContext) =>
  useChange(ctx, ({ patientId, ...body }: { patientId: string; id: string; state: RecallState; date: string }) => post<unknown>(ctx, `/recall/${p(patientId)}/events`, body));

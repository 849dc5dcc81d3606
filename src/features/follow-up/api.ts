// The follow-up slice's calls to the app server (/api/follow-up; issue 15): the nurse's worklist, the
// secretary's inbox and triage, the patient panel's follow-up (attempts, close), the GP's «Mine oppgaver»
// and the daglig leder's deadline figures, as TanStack Query hooks. Every new record gets a client id
// (crypto.randomUUID) once per user action, so a retry of the same action is the same record. A change
// invalidates every follow-up query, so the worklist, the inbox and the panel agree.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ComplianceCounts, ContactChannel, FollowUpCloseReason, FollowUpTask } from '../../domain/followUp';
import type { TargetGroup } from '../../domain/targetGroups';
import type { FollowUp, GpTask, NewGpTask } from '../../domain/followUpViews';
import { apiFetch, type ApiContext } from '../../platform/api';

// The shapes the server sends and takes: src/domain/followUpViews.ts (shared with server/features/follow-up).
export type { ComplianceCounts };
export type { Attempt, FollowUp, GpTask, JournalState, NewGpTask } from '../../domain/followUpViews';

export interface InboxRow {
  key: string;
  patientId: string | null;
  patient: { name: string; birthDate: string | null; phone: string | null; gpId: string | null } | null;
  institution: { id: string | null; name: string | null };
  dischargeDate: string | null;
  messageDate: string | null;
  deadline: string | null;
  summaryRef: string | null;
  inTargetGroup: boolean;
  /** Absent for the secretary (no clinical group labels, issue 17 item 7). */
  targetGroups?: TargetGroup[];
  decision: { create: boolean; reason: 'target-group' | 'requested-by-user' | 'not-in-target-group' | 'historic' | 'task-exists' | 'has-errors' };
  task: FollowUp | null;
  warnings: string[];
  errors: string[];
}

export interface Worklist {
  tasks: FollowUp[];
  sweep: { created: number; failures: number } | { error: string };
}

export interface DeadlineRow {
  taskId: string;
  patientId: string;
  deadline: string;
  owner: string | null;
  closeReason: FollowUpCloseReason | null;
  firstContact: string | null;
  workingDaysOverdue?: number;
}

export interface Deadlines {
  /** The period's tasks and every open overdue one, in the domain's shape (bare practitioner ids). */
  tasks: FollowUpTask[];
  figures: { period: { from: string; to: string }; asOf: string; total: ComplianceCounts; byNurse: (ComplianceCounts & { nurseId: string | null })[] };
  late: DeadlineRow[];
  missed: DeadlineRow[];
  overdueNow: (DeadlineRow & { workingDaysOverdue: number })[];
}

const ROOT = ['follow-up'] as const;
const handleOf = (ctx: ApiContext) => ctx.handle ?? '';

export const worklistQuery = (ctx: ApiContext) =>
  // Going back to the list from a patient shows it at once; a change invalidates it anyway.
  queryOptions({ queryKey: [...ROOT, handleOf(ctx), 'worklist'], queryFn: ({ signal }) => apiFetch<Worklist>(ctx, '/api/follow-up/worklist', { signal }), staleTime: 30_000 });

export const patientFollowUpsQuery = (ctx: ApiContext, patientId: string) =>
  queryOptions({
    queryKey: [...ROOT, handleOf(ctx), 'patient', patientId],
    queryFn: ({ signal }) => apiFetch<{ tasks: FollowUp[] }>(ctx, `/api/follow-up/patients/${encodeURIComponent(patientId)}`, { signal }),
    // Fresh for a few seconds, so what the patient panel's one answer brought is not read again at once.
    staleTime: 5_000,
  });

export const inboxQuery = (ctx: ApiContext) =>
  queryOptions({ queryKey: [...ROOT, handleOf(ctx), 'inbox'], queryFn: ({ signal }) => apiFetch<{ today: string; rows: InboxRow[] }>(ctx, '/api/follow-up/inbox', { signal }) });

export const myGpTasksQuery = (ctx: ApiContext, status: 'open' | 'all') =>
  queryOptions({
    queryKey: [...ROOT, handleOf(ctx), 'gp-tasks', status],
    queryFn: ({ signal }) => apiFetch<{ tasks: GpTask[] }>(ctx, `/api/follow-up/gp-tasks/mine${status === 'all' ? '?status=all' : ''}`, { signal }),
  });

export const deadlinesQuery = (ctx: ApiContext, period: { from: string; to: string; asOf?: string }) =>
  queryOptions({
    queryKey: [...ROOT, handleOf(ctx), 'deadlines', period.from, period.to, period.asOf ?? ''],
    queryFn: ({ signal }) =>
      apiFetch<Deadlines>(ctx, `/api/follow-up/deadlines?${new URLSearchParams({ from: period.from, to: period.to, ...(period.asOf ? { asOf: period.asOf } : {}) }).toString()}`, { signal }),
  });

export const useWorklist = (ctx: ApiContext) => useQuery(worklistQuery(ctx));
export const usePatientFollowUps = (ctx: ApiContext, patientId: string | undefined) => useQuery({ ...patientFollowUpsQuery(ctx, patientId ?? ''), enabled: patientId !== undefined });
export const useInbox = (ctx: ApiContext) => useQuery(inboxQuery(ctx));
export const useMyGpTasks = (ctx: ApiContext, status: 'open' | 'all') => useQuery(myGpTasksQuery(ctx, status));
export const useDeadlines = (ctx: ApiContext, period: { from: string; to: string; asOf?: string }) => useQuery(deadlinesQuery(ctx, period));

function useChange<I, O>(ctx: ApiContext, call: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSettled: () => queryClient.invalidateQueries({ queryKey: [...ROOT, handleOf(ctx)] }),
  });
}

export interface AttemptInput {
  taskId: string;
  /** The client id of this attempt (one per user action). */
  id: string;
  at: string;
  channel: ContactChannel;
  successful: boolean;
  note?: string;
}

export const useAddAttempt = (ctx: ApiContext) =>
  useChange(ctx, ({ taskId, ...body }: AttemptInput) =>
    apiFetch<{ task: FollowUp; changed: boolean }>(ctx, `/api/follow-up/tasks/${encodeURIComponent(taskId)}/attempts`, { method: 'POST', body }),
  );

export const useCloseFollowUp = (ctx: ApiContext) =>
  useChange(ctx, ({ taskId, ...body }: { taskId: string; reason: FollowUpCloseReason; note?: string; version: number }) =>
    apiFetch<{ task: FollowUp; changed: boolean }>(ctx, `/api/follow-up/tasks/${encodeURIComponent(taskId)}/close`, { method: 'POST', body }),
  );

export const useUpdateFollowUp = (ctx: ApiContext) =>
  useChange(ctx, ({ taskId, ...body }: { taskId: string; version: number; owner?: string | null; dischargeDate?: string }) =>
    apiFetch<{ task: FollowUp; changed: boolean }>(ctx, `/api/follow-up/tasks/${encodeURIComponent(taskId)}`, { method: 'PATCH', body }),
  );

export interface TriageInput {
  id: string;
  episodeKey: string;
  action: 'create' | 'no-follow-up';
  owner?: string;
  dischargeDate?: string;
  reason?: FollowUpCloseReason;
  note?: string;
}

export const useTriage = (ctx: ApiContext) =>
  useChange(ctx, (body: TriageInput) => apiFetch<{ task: FollowUp; created: boolean }>(ctx, '/api/follow-up/inbox/triage', { method: 'POST', body }));

export const useCreateGpTask = (ctx: ApiContext) =>
  useChange(ctx, (body: NewGpTask) => apiFetch<{ task: GpTask; created: boolean }>(ctx, '/api/follow-up/gp-tasks', { method: 'POST', body }));

export const useCompleteGpTask = (ctx: ApiContext) =>
  useChange(ctx, ({ id, ...body }: { id: string; status: 'done' | 'not-needed'; answer?: string; version: number }) =>
    apiFetch<{ task: GpTask; changed: boolean }>(ctx, `/api/follow-up/gp-tasks/${encodeURIComponent(id)}/complete`, { method: 'POST', body }),
  );

/** A new client id for one user action. */
export const newClientId = (): string => crypto.randomUUID();

/** Undo of the user's last triage within 10 s (issue 17 item 14); `id` is the triage's client id. */
export const useUndoTriage = (ctx: ApiContext) =>
  useChange(ctx, ({ id }: { id: string }) => apiFetch<{ undone: string }>(ctx, '/api/follow-up/inbox/triage/undo', { method: 'POST', body: { id } }));

export const epikrisePreviewQuery = (ctx: ApiContext, summaryRef: string, patientId: string) =>
  queryOptions({
    queryKey: [...ROOT, handleOf(ctx), 'preview', summaryRef, patientId],
    queryFn: ({ signal }) =>
      apiFetch<{ preview: string | null; truncated: boolean }>(ctx, `/api/follow-up/inbox/preview?${new URLSearchParams({ ref: summaryRef, patientId }).toString()}`, { signal }),
    // An epikrise does not change; the inbox reloading must not fetch every preview again.
    staleTime: 30 * 60_000,
  });

/** The opening of a message's epikrise as the server lets this user see it; idle without a document. */
export const useEpikrisePreview = (ctx: ApiContext, summaryRef: string | null, patientId: string | null) =>
  useQuery({ ...epikrisePreviewQuery(ctx, summaryRef ?? '', patientId ?? ''), enabled: summaryRef !== null && patientId !== null });

/** What the worklist, «Mine oppgaver» and the follow-up section show about a patient (mapped by the app server). */
import type { PatientDisplay } from '../../fhir/followUpsPatients';
export type { PatientDisplay };

export interface LoadedPatientDisplays {
  displays: Map<string, PatientDisplay>;
  /** The EPJ does not give RelatedPerson: next of kin are only those on the Patient. */
  nextOfKinFromPatientOnly: boolean;
}

/** Patients by id, as the app server read them from the EPJ (batched on the server). */
export async function loadPatientDisplays(ctx: ApiContext, patientIds: readonly string[], signal?: AbortSignal): Promise<LoadedPatientDisplays> {
  const unique = [...new Set(patientIds)];
  if (unique.length === 0) return { displays: new Map(), nextOfKinFromPatientOnly: false };
  const displays = new Map<string, PatientDisplay>();
  let nextOfKinFromPatientOnly = false;
  for (let i = 0; i < unique.length; i += 200) {
    const batch = unique.slice(i, i + 200);
    const r = await apiFetch<{ patients: PatientDisplay[]; nextOfKinFromPatientOnly: boolean }>(ctx, `/api/follow-up/patient-displays?ids=${batch.map(encodeURIComponent).join(',')}`, { signal });
    for (const p of r.patients) displays.set(p.id, p);
    nextOfKinFromPatientOnly ||= r.nextOfKinFromPatientOnly;
  }
  return { displays, nextOfKinFromPatientOnly };
}

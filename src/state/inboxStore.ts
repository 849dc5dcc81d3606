// The secretary's inbox of discharge messages (issue "Discharge follow-up" point 3; SPEC §4): load with
// progress, create the tasks of target-group patients at once (ensureFollowUpTasks), then triage the
// rest one by one. Triage is idempotent in the FHIR layer (conditional create on the episode key), so a
// retry after a failure, or a second click, never makes a second task.
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { osloDate } from '../domain/calendar';
import { DEFAULT_SETTINGS, calendarOf, type PracticeSettings } from '../domain/settings';
import { formatDate } from '../ui/format';
import { worklistUrgency, type FollowUpCloseReason } from '../domain/followUp';
import { logListView } from '../fhir/audit';
import type { FhirClient } from '../fhir/client';
import { describeError } from '../fhir/errors';
import { createFollowUpTask, ensureFollowUpTasks, loadInbox, markNoFollowUp, type EnsureResult, type InboxRow, type TriageResult } from '../fhir/inbox';
import type { StatusSource } from '../fhir/targetGroupStatus';
import { loadFollowUpTeam, type FollowUpTeam } from './followUpTeam';
import { FollowUpError } from '../fhir/followUpsUpdate';
import { type LoadStatus } from './status';
import { latestLoad } from './latestLoad';

export interface LoadProgress {
  label: string;
  done: number;
  total: number;
}

export interface InboxData {
  rows: InboxRow[];
  taskIssues: string[];
  team: FollowUpTeam;
  ensured: Pick<EnsureResult, 'created' | 'alreadyThere' | 'failures'>;
  /** Episode keys whose task was created automatically by this load. */
  autoCreated: string[];
}

/** One row's triage action: the form keeps its values whatever happens here. */
export type RowAction = { status: 'saving' } | { status: 'error'; message: string; action: string } | { status: 'done'; message: string };

export interface InboxState {
  status: LoadStatus;
  progress: LoadProgress | undefined;
  data: InboxData | undefined;
  error: Error | undefined;
  outcome: OperationOutcome | undefined;
  actions: Record<string, RowAction>;
  load: () => Promise<void>;
  cancel: () => void;
  createTask: (key: string, input: { owner?: string; confirmDate?: string }) => Promise<boolean>;
  markNone: (key: string, input: { reason: FollowUpCloseReason; note?: string; confirmDate?: string }) => Promise<boolean>;
}

export interface InboxDeps {
  client: FhirClient;
  /** Target-group status without clinical reads (the app server's endpoint); default: read the facts. */
  statusSource?: StatusSource;
  user: { practitionerId: string; name?: string };
  now?: () => Date;
  /** The practice's settings from the app server (deadline calendar, epikrise codes); default: the defaults. */
  settings?: () => Promise<PracticeSettings>;
}

export interface InboxSections {
  /** Still to be triaged by a user. */
  toTriage: InboxRow[];
  /** Messages that cannot get a task until their data is fixed (unknown patient, future discharge). */
  errors: InboxRow[];
  /** Has a task (open, done or «ingen oppfølging»). */
  handled: InboxRow[];
  /** SPEC §4 [decision]: the deadline passed > 30 days before first seen: listed, no task. */
  history: InboxRow[];
}

/** Pure: the inbox's four lists. */
export function inboxSections(rows: readonly InboxRow[]): InboxSections {
  const out: InboxSections = { toTriage: [], errors: [], handled: [], history: [] };
  for (const row of rows) {
    if (row.task) out.handled.push(row);
    else if (row.errors.length > 0 || row.decision.reason === 'has-errors') out.errors.push(row);
    else if (row.decision.reason === 'historic') out.history.push(row);
    else out.toTriage.push(row);
  }
  return out;
}

/** Pure: the row once its task exists (after a triage action). */
export function rowWithTask(row: InboxRow, result: TriageResult, today: string): InboxRow {
  const { followUp, details } = result;
  const { urgency, workingDaysLeft } = worklistUrgency({ id: followUp.id, deadline: followUp.deadline, status: 'new' }, today);
  const dischargeDate = row.episode.dischargeDate ?? followUp.dischargeDate;
  return {
    ...row,
    // The date the secretary entered and the deadline computed from it (issue 17 item 6).
    ...(dischargeDate ? { dischargeDateText: formatDate(dischargeDate), needsDateConfirmation: false } : {}),
    deadline: followUp.deadline,
    countdown: { urgency: urgency === 'done' ? 'upcoming' : urgency, workingDaysLeft },
    task: {
      id: followUp.id,
      status: followUp.status,
      ...(followUp.owner ? { ownerId: followUp.owner } : {}),
      deadline: followUp.deadline,
      ...(followUp.closure ? { closeReason: followUp.closure.reason } : {}),
      dischargeDateUnconfirmed: details.dischargeDateUnconfirmed,
    },
    decision: { create: false, reason: 'task-exists' },
    needsTriage: false,
  };
}

const TOTAL_STEPS = 1 + 3 + 10 + 1;

export function createInboxStore(deps: InboxDeps): UseBoundStore<StoreApi<InboxState>> {
  const now = deps.now ?? (() => new Date());

  return create<InboxState>()((set, get) => {
    const step = (label: string, done: number) => set({ progress: { label, done, total: TOTAL_STEPS } });

    const loader = latestLoad<InboxData>(set);

    async function runLoad(signal: AbortSignal): Promise<InboxData> {
      const today = osloDate(now().toISOString());
      step('Henter teamet …', 0);
      const team = await loadFollowUpTeam(deps.client, deps.user.practitionerId, today, signal);
      if (!team.practiceOrgId) throw new FollowUpError('Fant ikke legekontoret ditt i journalsystemet.', 'Be daglig leder registrere rollen din ved legekontoret.');
      // The deadline calendar (closed dates, Saturdays) and epikrise codes are the practice's (issue 15).
      const settings = deps.settings ? await deps.settings() : DEFAULT_SETTINGS;
      const inbox = await loadInbox(
        deps.client,
        { practiceOrgId: team.practiceOrgId, today, calendar: calendarOf(settings), epikriseCodes: settings.epikriseCodes },
        {
          signal,
          ...(deps.statusSource ? { statusSource: deps.statusSource } : {}),
          onProgress: (p) => {
            if (p.phase === 'signals') step('Henter epikriser og utskrivningsmeldinger …', 1 + p.done);
            if (p.phase === 'patients') step('Henter pasientopplysninger og målgrupper …', 4 + p.done);
          },
        },
      );
      step('Oppretter oppgaver for målgruppepasienter …', TOTAL_STEPS - 1);
      // A message without a discharge date waits for a user to confirm the date (issue point 3).
      const auto = inbox.rows.filter((r) => !r.needsDateConfirmation);
      const ensured = await ensureFollowUpTasks(deps.client, auto, {
        now: now().toISOString(),
        requester: { practitionerId: deps.user.practitionerId },
        ...(team.defaultNurseId ? { defaultOwnerId: team.defaultNurseId } : {}),
      });
      const byKey = new Map(ensured.rows.map((r) => [r.key, r]));
      const autoCreated = auto.filter((r) => !r.task && byKey.get(r.key)?.task).map((r) => r.key);
      const rows = inbox.rows.map((r) => byKey.get(r.key) ?? r);
      return { rows, taskIssues: inbox.taskIssues, team, ensured: { created: ensured.created, alreadyThere: ensured.alreadyThere, failures: ensured.failures }, autoCreated };
    }

    async function triage(key: string, run: (row: InboxRow) => Promise<TriageResult>, done: (r: TriageResult) => string): Promise<boolean> {
      const row = get().data?.rows.find((r) => r.key === key);
      if (!row) return false;
      set({ actions: { ...get().actions, [key]: { status: 'saving' } } });
      try {
        const result = await run(row);
        const data = get().data;
        const today = osloDate(now().toISOString());
        if (data) set({ data: { ...data, rows: data.rows.map((r) => (r.key === key ? rowWithTask(r, result, today) : r)) } });
        set({ actions: { ...get().actions, [key]: { status: 'done', message: done(result) } } });
        return true;
      } catch (error) {
        const text = describeError(error);
        set({ actions: { ...get().actions, [key]: { status: 'error', message: text.message, action: text.action } } });
        return false;
      }
    }

    return {
      status: 'idle',
      progress: undefined,
      data: undefined,
      error: undefined,
      outcome: undefined,
      actions: {},
      load() {
        return loader.load(runLoad, (data) => {
          set({ status: 'ready', data, progress: undefined, actions: {} });
          void logListView(deps.client, { list: 'inbox', count: data.rows.length, user: deps.user });
        });
      },
      cancel() {
        loader.cancel();
      },
      createTask(key, input) {
        const by = deps.user.practitionerId;
        return triage(
          key,
          (row) =>
            createFollowUpTask(deps.client, row, { by, ...(input.owner ? { owner: input.owner } : {}), ...(input.confirmDate ? { confirmDate: input.confirmDate } : {}) }, { now: now().toISOString() }),
          (r) => (r.created ? 'Oppfølgingsoppgave opprettet.' : 'Oppgaven fantes allerede og er oppdatert.'),
        );
      },
      markNone(key, input) {
        const by = deps.user.practitionerId;
        return triage(
          key,
          (row) =>
            markNoFollowUp(
              deps.client,
              row,
              { by, reason: input.reason, ...(input.note ? { note: input.note } : {}), ...(input.confirmDate ? { confirmDate: input.confirmDate } : {}) },
              { now: now().toISOString() },
            ),
          () => 'Registrert: ingen oppfølging nødvendig.',
        );
      },
    };
  });
}

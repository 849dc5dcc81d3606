// The nurse's worklist of discharge follow-ups (issue "Discharge follow-up" point 5; SPEC §4): opening it
// also creates the tasks of newly seen discharges (whoever sees a discharge first creates its task), then
// lists the open tasks overdue first, due today, then by deadline (loadWorklist sorts). The nurse filter
// works on the loaded rows, so changing it costs no round-trip.
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { osloDate } from '../domain/calendar';
import { DEFAULT_SETTINGS, calendarOf, type PracticeSettings } from '../domain/settings';
import { logListView } from '../fhir/audit';
import type { FhirClient } from '../fhir/client';
import { loadWorklist, type WorklistRow } from '../fhir/followUps';
import { ensureFollowUpTasks, loadInbox, type EnsureResult } from '../fhir/inbox';
import { loadFollowUpTeam, type FollowUpTeam } from './followUpTeam';
import type { LoadProgress } from './inboxStore';
import { FollowUpError } from '../fhir/followUpsUpdate';
import { type LoadStatus } from './status';
import { latestLoad } from './latestLoad';

/** A nurse's id, or every task. */
export type NurseFilter = { kind: 'nurse'; nurseId: string } | { kind: 'all' };

export interface WorklistData {
  rows: WorklistRow[];
  issues: string[];
  team: FollowUpTeam;
  ensured: Pick<EnsureResult, 'created' | 'alreadyThere' | 'failures'>;
}

export interface WorklistState {
  status: LoadStatus;
  progress: LoadProgress | undefined;
  data: WorklistData | undefined;
  error: Error | undefined;
  outcome: OperationOutcome | undefined;
  filter: NurseFilter;
  load: () => Promise<void>;
  cancel: () => void;
  setFilter: (filter: NurseFilter) => void;
}

export interface WorklistDeps {
  client: FhirClient;
  user: { practitionerId: string; name?: string };
  now?: () => Date;
  /** The practice's settings from the app server (deadline calendar, epikrise codes); default: the defaults. */
  settings?: () => Promise<PracticeSettings>;
}

/**
 * Pure: the rows the filter shows. A nurse sees her own tasks and the unassigned ones (someone must take
 * them); «alle» shows every open task. The order of loadWorklist is kept.
 */
export function filterWorklist(rows: readonly WorklistRow[], filter: NurseFilter): WorklistRow[] {
  if (filter.kind === 'all') return [...rows];
  return rows.filter((r) => r.owner === undefined || r.owner.id === filter.nurseId);
}

function filterQuery(filter: NurseFilter): Record<string, string> {
  return filter.kind === 'all' ? { nurse: 'alle' } : { nurse: filter.nurseId };
}

export function createWorklistStore(deps: WorklistDeps): UseBoundStore<StoreApi<WorklistState>> {
  const now = deps.now ?? (() => new Date());
  const audit = (data: WorklistData, filter: NurseFilter) =>
    void logListView(deps.client, { list: 'worklist', count: filterWorklist(data.rows, filter).length, user: deps.user, query: filterQuery(filter) });

  return create<WorklistState>()((set, get) => {
    const step = (label: string, done: number) => set({ progress: { label, done, total: 4 } });

    const loader = latestLoad<WorklistData>(set);

    async function runLoad(signal: AbortSignal): Promise<WorklistData> {
      const today = osloDate(now().toISOString());
      step('Henter teamet …', 0);
      const team = await loadFollowUpTeam(deps.client, deps.user.practitionerId, today, signal);
      if (!team.practiceOrgId) throw new FollowUpError('Fant ikke legekontoret ditt i journalsystemet.', 'Be daglig leder registrere rollen din ved legekontoret.');
      step('Ser etter nye utskrivninger …', 1);
      // The deadline calendar (closed dates, Saturdays) and epikrise codes are the practice's (issue 15).
      const settings = deps.settings ? await deps.settings() : DEFAULT_SETTINGS;
      const calendar = calendarOf(settings);
      const inbox = await loadInbox(deps.client, { practiceOrgId: team.practiceOrgId, today, calendar, epikriseCodes: settings.epikriseCodes }, { signal });
      step('Oppretter oppgaver for nye utskrivninger …', 2);
      // A message without a discharge date waits in the inbox for a user to confirm the date.
      const ensured = await ensureFollowUpTasks(
        deps.client,
        inbox.rows.filter((r) => !r.needsDateConfirmation),
        { now: now().toISOString(), requester: { practitionerId: deps.user.practitionerId }, ...(team.defaultNurseId ? { defaultOwnerId: team.defaultNurseId } : {}) },
      );
      step('Henter oppgavene …', 3);
      const worklist = await loadWorklist(deps.client, { today, calendar }, { signal });
      return { rows: worklist.rows, issues: worklist.issues, team, ensured: { created: ensured.created, alreadyThere: ensured.alreadyThere, failures: ensured.failures } };
    }

    return {
      status: 'idle',
      progress: undefined,
      data: undefined,
      error: undefined,
      outcome: undefined,
      filter: { kind: 'nurse', nurseId: deps.user.practitionerId },
      load() {
        return loader.load(runLoad, (data) => {
          set({ status: 'ready', data, progress: undefined });
          audit(data, get().filter);
        });
      },
      cancel() {
        loader.cancel();
      },
      setFilter(filter) {
        set({ filter });
        const data = get().data;
        if (data) audit(data, filter);
      },
    };
  });
}

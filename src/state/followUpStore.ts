// The patient panel's discharge follow-up (issue "Discharge follow-up" point 6; SPEC §4): the patient's
// open follow-up task (the one the worklist opened, else the open task with the earliest deadline), its
// epikrise and countdown, and the actions: log an attempt, record the contact (from ContactSection's
// save), close with a reason. Every action is version-checked in the FHIR layer and safe to retry; the
// forms keep their values when one fails.
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import { osloDate } from '../domain/calendar';
import { followUpOutcome, worklistUrgency, type ContactChannel, type FollowUpCloseReason, type FollowUpOutcome, type FollowUpStatus } from '../domain/followUp';
import { toFollowUpTask } from '../fhir/builders/task';
import type { FhirClient } from '../fhir/client';
import { describeError } from '../fhir/errors';
import { closeFollowUp, logAttempt, recordContact, type FollowUpRecord } from '../fhir/followUps';
import { loadPractitionerNames } from '../fhir/followUpsPatients';
import { FollowUpError, recordOf } from '../fhir/followUpsUpdate';
import { SYSTEMS } from '../fhir/systems';
import { loadEpikrise, loadSavedContact } from './followUpReads';
import type { LoadStatus } from './status';

export interface AttemptView {
  at: string;
  channel: ContactChannel;
  byName: string;
  successful: boolean;
  note?: string;
}

export interface FollowUpView {
  taskId: string;
  patientId: string;
  status: FollowUpStatus;
  deadline: string;
  /** 0 = due today, > 0 left, < 0 overdue (SPEC §2). */
  workingDaysLeft: number;
  dischargeDate?: string;
  dischargeDateUnconfirmed: boolean;
  institution?: string;
  ownerName?: string;
  attempts: AttemptView[];
  closure?: { reason: FollowUpCloseReason; at: string; byName: string; note?: string };
  /** met = first contact on or before the deadline (SPEC §4). */
  outcome: FollowUpOutcome;
  needsGp: boolean;
  gpTaskCount: number;
}

export interface FollowUpData {
  view: FollowUpView | undefined;
  epikrise: string | undefined;
  epikriseError: string | undefined;
}

export type ActionName = 'attempt' | 'contact' | 'close';
export type ActionState = { status: 'idle' } | { status: 'saving' } | { status: 'error'; message: string; action: string } | { status: 'done'; message: string };

export interface FollowUpState {
  status: LoadStatus;
  data: FollowUpData | undefined;
  error: Error | undefined;
  actions: Record<ActionName, ActionState>;
  load: () => Promise<void>;
  logAttempt: (input: { at: string; channel: ContactChannel; reached: false; note?: string }) => Promise<boolean>;
  recordContact: (input: { contactId: string; encounterId?: string; medicationNeedsGp: boolean }) => Promise<boolean>;
  close: (input: { reason: FollowUpCloseReason; note?: string }) => Promise<boolean>;
}

export interface FollowUpDeps {
  client: FhirClient;
  user: { practitionerId: string; name: string };
  patientId: string;
  /** The task the worklist opened (PatientContext.followUpTaskId). */
  taskId?: string;
  now?: () => Date;
}

/** Pure: the view of a record as of `today`, with practitioner names. */
export function followUpView(record: FollowUpRecord, today: string, names: ReadonlyMap<string, string>): FollowUpView {
  const { followUp, details } = record;
  const name = (id: string) => names.get(id) ?? id;
  return {
    taskId: followUp.id,
    patientId: followUp.patientId,
    status: followUp.status,
    deadline: followUp.deadline,
    workingDaysLeft: worklistUrgency({ id: followUp.id, deadline: followUp.deadline, status: 'new' }, today).workingDaysLeft,
    ...(followUp.dischargeDate ? { dischargeDate: followUp.dischargeDate } : {}),
    dischargeDateUnconfirmed: details.dischargeDateUnconfirmed,
    ...(details.institution?.name ? { institution: details.institution.name } : {}),
    ...(followUp.owner ? { ownerName: name(followUp.owner) } : {}),
    attempts: followUp.attempts.map((a) => ({ at: a.at, channel: a.channel, byName: name(a.by), successful: a.successful, ...(a.note ? { note: a.note } : {}) })),
    ...(followUp.closure ? { closure: { reason: followUp.closure.reason, at: followUp.closure.at, byName: name(followUp.closure.by), ...(followUp.closure.note ? { note: followUp.closure.note } : {}) } } : {}),
    outcome: followUpOutcome(followUp.deadline, followUp.attempts, today),
    needsGp: followUp.needsGp === true,
    gpTaskCount: details.gpTaskIds.length,
  };
}

const OPEN = new Set<FollowUpStatus>(['new', 'attempted']);

/** The task the worklist opened, else the patient's open discharge follow-up with the earliest deadline. */
async function findRecord(client: FhirClient, patientId: string, taskId: string | undefined, signal: AbortSignal): Promise<FollowUpRecord | undefined> {
  if (taskId) {
    const record = recordOf(await client.read('Task', taskId, { signal }));
    if (record.followUp.patientId !== patientId) throw new FollowUpError('Oppgaven gjelder en annen pasient og vises ikke.', 'Åpne pasienten fra arbeidslisten på nytt.');
    return record;
  }
  const tasks = await client.searchAll('Task', { patient: `Patient/${patientId}`, code: `${SYSTEMS.taskType}|discharge-follow-up`, status: 'requested,in-progress' }, { signal });
  const records = tasks.flatMap((resource): FollowUpRecord[] => {
    const { followUp, details } = toFollowUpTask(resource);
    return followUp && details && followUp.patientId === patientId && OPEN.has(followUp.status) ? [{ resource, followUp, details }] : [];
  });
  return records.sort((a, b) => (a.followUp.deadline < b.followUp.deadline ? -1 : a.followUp.deadline > b.followUp.deadline ? 1 : 0))[0];
}

const IDLE: Record<ActionName, ActionState> = { attempt: { status: 'idle' }, contact: { status: 'idle' }, close: { status: 'idle' } };

export function createFollowUpStore(deps: FollowUpDeps): UseBoundStore<StoreApi<FollowUpState>> {
  const now = deps.now ?? (() => new Date());
  const today = () => osloDate(now().toISOString());
  let controller: AbortController | undefined;

  return create<FollowUpState>()((set, get) => {
    async function show(record: FollowUpRecord, signal?: AbortSignal): Promise<FollowUpView> {
      const ids = [record.followUp.owner, record.followUp.closure?.by, ...record.followUp.attempts.map((a) => a.by)].filter((id): id is string => id !== undefined);
      const names = await loadPractitionerNames(deps.client, [...new Set(ids)], { signal });
      names.set(deps.user.practitionerId, deps.user.name);
      return followUpView(record, today(), names);
    }

    async function act(name: ActionName, run: (taskId: string) => Promise<FollowUpRecord>, done: string): Promise<boolean> {
      const current = get().data;
      if (!current?.view) return false;
      set({ actions: { ...get().actions, [name]: { status: 'saving' } } });
      try {
        const record = await run(current.view.taskId);
        const view = await show(record);
        set({ data: { ...current, view }, actions: { ...get().actions, [name]: { status: 'done', message: done } } });
        return true;
      } catch (error) {
        const text = describeError(error);
        set({ actions: { ...get().actions, [name]: { status: 'error', message: text.message, action: text.action } } });
        return false;
      }
    }

    return {
      status: 'idle',
      data: undefined,
      error: undefined,
      actions: IDLE,
      async load() {
        controller?.abort();
        const mine = new AbortController();
        controller = mine;
        set({ status: 'loading', error: undefined, actions: IDLE });
        try {
          const record = await findRecord(deps.client, deps.patientId, deps.taskId, mine.signal);
          let data: FollowUpData = { view: undefined, epikrise: undefined, epikriseError: undefined };
          if (record) {
            const [view, epikrise] = await Promise.all([
              show(record, mine.signal),
              loadEpikrise(deps.client, deps.patientId, record.details.signals, mine.signal).then(
                (text) => ({ text, error: undefined }),
                (error: unknown) => ({ text: undefined, error: describeError(error).message }),
              ),
            ]);
            data = { view, epikrise: epikrise.text, epikriseError: epikrise.error };
          }
          if (controller === mine) set({ status: 'ready', data });
        } catch (error) {
          if (controller !== mine) return;
          set({ status: 'error', error: error instanceof Error ? error : new Error(String(error)) });
        }
      },
      logAttempt(input) {
        const by = deps.user.practitionerId;
        return act(
          'attempt',
          (taskId) => logAttempt(deps.client, taskId, { at: input.at, channel: input.channel, by, successful: input.reached, ...(input.note ? { note: input.note } : {}) }, { now: now().toISOString() }),
          'Kontaktforsøket er registrert.',
        );
      },
      recordContact(input) {
        const by = deps.user.practitionerId;
        return act(
          'contact',
          async (taskId) => {
            const facts = await loadSavedContact(deps.client, deps.patientId, { contactId: input.contactId, ...(input.encounterId ? { encounterId: input.encounterId } : {}) });
            const result = await recordContact(
              deps.client,
              taskId,
              {
                contactId: input.encounterId ?? input.contactId,
                at: facts?.at ?? now().toISOString(),
                by,
                channel: facts?.channel ?? 'phone',
                medicationChangesNeedGp: input.medicationNeedsGp,
              },
              { now: now().toISOString() },
            );
            return result;
          },
          input.medicationNeedsGp ? 'Kontakten er registrert, og fastlegen har fått en oppgave om legemiddelendringene.' : 'Kontakten er registrert.',
        );
      },
      close(input) {
        const by = deps.user.practitionerId;
        return act('close', (taskId) => closeFollowUp(deps.client, taskId, { reason: input.reason, by, ...(input.note ? { note: input.note } : {}) }, { now: now().toISOString() }), 'Oppgaven er lukket.');
      },
    };
  });
}

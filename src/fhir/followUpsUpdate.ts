// Version-checked changes of a follow-up Task (SPEC §6: enforcement relies only on what a FHIR server
// guarantees): read, apply the domain change, PUT with If-Match; on 412 (someone else changed it) read
// again, re-apply and retry. The change is a pure function of the current state, so re-applying it to
// the newer version is safe; a change already present (e.g. the same attempt logged from two machines,
// or our own earlier PUT whose response was lost) is detected by the change itself and not repeated.
import type { Task } from '@medplum/fhirtypes';
import type { FollowUpTask } from '../domain/followUp';
import { applyFollowUpState, toFollowUpTask, type ApplyStateOptions, type FollowUpState, type FollowUpTaskDetails, type TaskIssue } from './builders/task';
import type { FhirClient } from './client';
import { isFhirError } from './errors';

/** A workflow refusal (wrong state, unreadable task), with Norwegian texts like FhirError's. */
export class FollowUpError extends Error {
  readonly userMessage: string;
  readonly userAction: string;
  readonly issues: TaskIssue[];

  constructor(userMessage: string, userAction = 'Last inn på nytt og prøv igjen.', issues: TaskIssue[] = []) {
    super(userMessage);
    this.name = 'FollowUpError';
    this.userMessage = userMessage;
    this.userAction = userAction;
    this.issues = issues;
  }
}

export interface FollowUpRecord {
  resource: Task;
  followUp: FollowUpTask;
  details: FollowUpTaskDetails;
}

/** The record of a Task, or a FollowUpError listing why it cannot be read. */
export function recordOf(resource: Task): FollowUpRecord {
  const { followUp, details, issues } = toFollowUpTask(resource);
  if (!followUp || !details) {
    throw new FollowUpError(`Oppgaven kan ikke leses: ${issues.map((i) => i.message).join('; ')}`, 'Kontakt brukerstøtte.', issues);
  }
  return { resource, followUp, details };
}

/** What to write, or undefined when the change is already there. */
export type TaskChange = (current: FollowUpRecord) => { state: FollowUpState; opts: ApplyStateOptions } | undefined;

export interface UpdateResult extends FollowUpRecord {
  /** False when the change was already there and nothing was written. */
  changed: boolean;
  /** PUTs refused with 412 before one went through. */
  conflicts: number;
}

export const MAX_UPDATE_ATTEMPTS = 8;

export async function updateFollowUpTask(
  client: FhirClient,
  taskId: string,
  change: TaskChange,
  opts: { signal?: AbortSignal; current?: Task } = {},
): Promise<UpdateResult> {
  let resource = opts.current ?? (await client.read('Task', taskId, { signal: opts.signal }));
  for (let attempt = 1, conflicts = 0; ; attempt++) {
    const current = recordOf(resource);
    const next = change(current);
    if (!next) return { ...current, changed: false, conflicts };
    const versionId = resource.meta?.versionId;
    if (!versionId) throw new FollowUpError('Oppgaven mangler versjon og kan ikke endres trygt.', 'Kontakt brukerstøtte.');
    try {
      const written = await client.update(applyFollowUpState(resource, next.state, next.opts), { versionId, signal: opts.signal });
      return { ...recordOf(written), changed: true, conflicts };
    } catch (error) {
      if (!isFhirError(error) || error.kind !== 'conflict' || attempt >= MAX_UPDATE_ATTEMPTS) throw error;
      conflicts++;
      resource = await client.read('Task', taskId, { signal: opts.signal });
    }
  }
}

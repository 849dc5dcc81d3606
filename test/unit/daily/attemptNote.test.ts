// Issue 17 item 1: a successful contact logged in the same minute as a failed attempt must not show
// that attempt's result and note.
import { describe, expect, test } from 'vitest';
import type { Task } from '@medplum/fhirtypes';
import { recordAttempt } from '../../../src/domain/followUp';
import { applyFollowUpState, buildDischargeFollowUpTask, toFollowUpTask } from '../../../src/fhir/builders/task';

const created: Task = {
  ...buildDischargeFollowUpTask({
    episodeKey: 'pat-1|org:org-ahus|2026-11-20',
    patientId: 'pat-1',
    signals: [{ resourceType: 'Encounter', id: 'enc-1' }],
    deadline: '2026-11-25',
    dischargeDate: '2026-11-20',
    ownerId: 'nurse-1',
    requester: { practitionerId: 'secretary-1' },
    authoredOn: '2026-11-23T08:02:00+01:00',
  }),
  id: 'task-1',
};

function attemptsOf(task: Task) {
  const { followUp } = toFollowUpTask(task);
  if (!followUp) throw new Error('no follow-up');
  return followUp.attempts;
}

describe('attempt notes stay with their attempt', () => {
  test('a contact in the same minute as a failed attempt has no note of its own', () => {
    const failed = recordAttempt(toFollowUpTask(created).followUp!, {
      at: '2026-11-23T10:00:00+01:00', channel: 'phone', by: 'nurse-1', successful: false, note: 'Ikke svar: Ringte, ingen svar',
    });
    const afterFailed = applyFollowUpState(created, failed, { now: '2026-11-23T10:00:30+01:00', by: 'nurse-1' });
    const reached = recordAttempt(toFollowUpTask(afterFailed).followUp!, { at: '2026-11-23T10:00:00+01:00', channel: 'phone', by: 'nurse-1', successful: true });
    const done = applyFollowUpState(afterFailed, reached, { now: '2026-11-23T10:05:00+01:00', by: 'nurse-1' });
    const attempts = attemptsOf(done);
    expect(attempts.map((a) => [a.successful, a.note])).toEqual([
      [false, 'Ikke svar: Ringte, ingen svar'],
      [true, undefined],
    ]);
  });

  test('both notes of one minute go to the right attempt', () => {
    const failed = recordAttempt(toFollowUpTask(created).followUp!, { at: '2026-11-23T10:00:00+01:00', channel: 'phone', by: 'nurse-1', successful: false, note: 'Ikke svar' });
    const reached = recordAttempt(failed, { at: '2026-11-23T10:00:00+01:00', channel: 'phone', by: 'nurse-1', successful: true, note: 'Snakket med pasienten' });
    const task = applyFollowUpState(created, reached, { now: '2026-11-23T10:05:00+01:00', by: 'nurse-1' });
    expect(attemptsOf(task).map((a) => a.note)).toEqual(['Ikke svar', 'Snakket med pasienten']);
  });

  test('an older note without id is kept when only one attempt has its time and author', () => {
    const failed = recordAttempt(toFollowUpTask(created).followUp!, { at: '2026-11-23T10:00:00+01:00', channel: 'phone', by: 'nurse-1', successful: false, note: 'Ikke svar' });
    const task = applyFollowUpState(created, failed, { now: '2026-11-23T10:05:00+01:00', by: 'nurse-1' });
    const legacy: Task = { ...task, note: task.note?.map(({ id: _id, ...n }) => n) };
    expect(legacy.note?.[0]?.id).toBeUndefined();
    expect(attemptsOf(legacy).map((a) => a.note)).toEqual(['Ikke svar']);
  });
});

// The worklist's nurse filter and the follow-up section's view of a task (countdown, outcome «innen
// fristen» / «etter fristen», names of who made each attempt).
import { describe, expect, test } from 'vitest';
import { buildDischargeFollowUpTask } from '../../../src/fhir/builders/task';
import type { WorklistRow } from '../../../src/fhir/followUps';
import { recordOf } from '../../../src/fhir/followUpsUpdate';
import { OUTCOME_TEXT } from '../../../src/state/followUpFormat';
import { followUpView } from '../../../src/state/followUpStore';
import { filterWorklist } from '../../../src/state/worklistStore';

function wl(taskId: string, owner?: string): WorklistRow {
  return {
    taskId,
    followUp: { id: taskId, patientId: 'p', dischargeKey: 'k', deadline: '2026-11-25', status: 'new', attempts: [], createdAt: '2026-11-23T08:00:00+01:00', ...(owner ? { owner } : {}) },
    urgency: 'upcoming',
    workingDaysLeft: 2,
    ...(owner ? { owner: { id: owner, name: owner } } : {}),
    dischargeDateUnconfirmed: false,
    attemptCount: 0,
    needsGp: false,
  };
}

describe('filterWorklist', () => {
  const rows = [wl('a', 'nurse-1'), wl('b'), wl('c', 'nurse-2')];
  test('a nurse sees her own tasks and the unassigned ones, in the given order', () => {
    expect(filterWorklist(rows, { kind: 'nurse', nurseId: 'nurse-1' }).map((r) => r.taskId)).toEqual(['a', 'b']);
    expect(filterWorklist(rows, { kind: 'nurse', nurseId: 'nurse-2' }).map((r) => r.taskId)).toEqual(['b', 'c']);
  });
  test('«alle» shows every open task', () => {
    expect(filterWorklist(rows, { kind: 'all' }).map((r) => r.taskId)).toEqual(['a', 'b', 'c']);
  });
});

function record(attempts: { at: string; successful: boolean }[]) {
  const task = buildDischargeFollowUpTask({
    episodeKey: 'p|org:ahus|2026-11-20',
    patientId: 'p',
    signals: [{ resourceType: 'Encounter', id: 'e' }],
    deadline: '2026-11-25',
    dischargeDate: '2026-11-20',
    institution: { id: 'org-ahus', name: 'Ahus' },
    ownerId: 'nurse-1',
    requester: { practitionerId: 'secretary-1' },
    authoredOn: '2026-11-23T08:00:00+01:00',
  });
  const base = recordOf({ ...task, id: 't1', meta: { ...task.meta, versionId: '1' } });
  const status = attempts.some((a) => a.successful) ? 'contacted' : attempts.length > 0 ? 'attempted' : 'new';
  return { ...base, followUp: { ...base.followUp, status, attempts: attempts.map((a) => ({ ...a, channel: 'phone' as const, by: 'nurse-1' })) } } as const;
}

describe('followUpView', () => {
  const names = new Map([['nurse-1', 'Siri Haugland']]);
  test('open task: countdown in working days, owner and attempts by name', () => {
    const view = followUpView(record([{ at: '2026-11-23T09:00:00+01:00', successful: false }]), '2026-11-23', names);
    expect(view).toMatchObject({ status: 'attempted', workingDaysLeft: 2, ownerName: 'Siri Haugland', institution: 'Ahus', outcome: 'pending' });
    expect(view.attempts).toEqual([{ at: '2026-11-23T09:00:00+01:00', channel: 'phone', byName: 'Siri Haugland', successful: false }]);
  });
  test.each([
    ['2026-11-25T15:00:00+01:00', 'met', 'innen fristen'],
    ['2026-11-26T08:00:00+01:00', 'late', 'etter fristen'],
  ])('contact at %s is %s («%s»)', (at, outcome, text) => {
    const view = followUpView(record([{ at, successful: true }]), '2026-11-27', names);
    expect(view.outcome).toBe(outcome);
    expect(OUTCOME_TEXT[view.outcome]).toBe(text);
    expect(view.workingDaysLeft).toBe(-2);
  });
});

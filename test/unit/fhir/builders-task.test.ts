// The follow-up Task builders (profile pht-follow-up-task) and the mapper back to the domain.
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { Task } from '@medplum/fhirtypes';
import { closeTask, recordAttempt, type FollowUpTask } from '../../../src/domain/followUp';
import {
  applyFollowUpState,
  buildDischargeFollowUpTask,
  buildGpMedicationReviewTask,
  buildOutreachTask,
  followUpTaskIdentifierValue,
  toFhirDateTime,
  toFollowUpTask,
  type DischargeFollowUpTaskInput,
  type TaskContactAttempt,
} from '../../../src/fhir/builders/task';
import { nameBasedUuid, sha256 } from '../../../src/fhir/builders/taskKey';
import { SYSTEMS } from '../../../src/fhir/systems';
import { assertValidAgainstProfiles } from '../profiles/validator';

const EPISODE: DischargeFollowUpTaskInput = {
  episodeKey: 'pat-1|org:org-ahus|2026-11-20',
  patientId: 'pat-1',
  signals: [
    { resourceType: 'Encounter', id: 'enc-1' },
    { resourceType: 'DocumentReference', id: 'doc-1' },
  ],
  deadline: '2026-11-25',
  dischargeDate: '2026-11-20',
  institution: { id: 'org-ahus', name: 'Akershus universitetssykehus HF' },
  ownerId: 'nurse-1',
  requester: { practitionerId: 'secretary-1' },
  authoredOn: '2026-11-23T08:02:00+01:00',
};

/** A stored Task as the server returns it. */
function stored(task: Task, id = 'task-1', versionId = '1'): Task {
  return { ...task, id, meta: { ...task.meta, versionId, lastUpdated: '2026-11-23T07:02:00.000Z' } };
}

function mapped(task: Task): FollowUpTask {
  const { followUp, issues } = toFollowUpTask(task);
  expect(issues).toEqual([]);
  if (!followUp) throw new Error('no follow-up');
  return followUp;
}

describe('task identifier (deterministic, so triage is idempotent)', () => {
  test.each(['', 'abc', 'æøå|org:x|2026-11-20', 'x'.repeat(55), 'y'.repeat(64), 'z'.repeat(1000)])('sha256(%#) equals node:crypto', (text) => {
    expect(Buffer.from(sha256(text)).toString('hex')).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });

  test('name-based UUID v8: same key same value, different type or key different value', () => {
    const a = followUpTaskIdentifierValue('discharge-follow-up', EPISODE.episodeKey);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(followUpTaskIdentifierValue('discharge-follow-up', EPISODE.episodeKey)).toBe(a);
    expect(followUpTaskIdentifierValue('outreach', EPISODE.episodeKey)).not.toBe(a);
    expect(nameBasedUuid('pat-2|org:org-ahus|2026-11-20')).not.toBe(nameBasedUuid('pat-1|org:org-ahus|2026-11-20'));
  });
});

describe('toFhirDateTime', () => {
  test.each([
    ['2026-11-23T10:00', '2026-11-23T10:00:00+01:00'], // winter, no offset = Oslo
    ['2026-07-01T10:00:00', '2026-07-01T10:00:00+02:00'], // summer
    ['2026-03-29T03:30:00', '2026-03-29T03:30:00+02:00'], // after the spring change
    ['2026-11-23T10:00Z', '2026-11-23T10:00:00Z'],
    ['2026-11-23T10:00:00.123+01:00', '2026-11-23T10:00:00.123+01:00'],
  ])('%s -> %s', (input, expected) => {
    expect(toFhirDateTime(input)).toBe(expected);
  });
});

describe('buildDischargeFollowUpTask', () => {
  test('a new task is valid against pht-follow-up-task and says what the profile asks', () => {
    const task = buildDischargeFollowUpTask(EPISODE);
    assertValidAgainstProfiles(task);
    expect(task.identifier).toEqual([{ system: SYSTEMS.followUpTaskId, value: followUpTaskIdentifierValue('discharge-follow-up', EPISODE.episodeKey) }]);
    expect(task.status).toBe('requested');
    expect(task.code?.coding?.[0]).toMatchObject({ system: SYSTEMS.taskType, code: 'discharge-follow-up' });
    expect(task.focus).toEqual({ reference: 'Encounter/enc-1' });
    expect(task.for).toEqual({ reference: 'Patient/pat-1' });
    expect(task.owner).toEqual({ reference: 'Practitioner/nurse-1' });
    expect(task.requester).toEqual({ reference: 'Practitioner/secretary-1' });
    expect(task.restriction?.period?.end).toBe('2026-11-25');
    expect(task.businessStatus).toBeUndefined();
  });

  test('unassigned, dateless, requested by the practice (the sweep)', () => {
    const task = buildDischargeFollowUpTask({
      ...EPISODE,
      ownerId: undefined,
      dischargeDate: undefined,
      institution: undefined,
      signals: [{ resourceType: 'Communication', id: 'c-1' }],
      requester: { organizationId: 'org-practice' },
    });
    assertValidAgainstProfiles(task);
    expect(task.owner).toBeUndefined();
    expect(task.requester).toEqual({ reference: 'Organization/org-practice' });
    const { followUp, details } = toFollowUpTask(stored(task));
    expect(followUp?.dischargeDate).toBeUndefined();
    expect(details?.dischargeDateUnconfirmed).toBe(true);
    expect(details?.focus).toEqual({ resourceType: 'Communication', id: 'c-1' });
  });

  test('refuses an episode without a signal', () => {
    expect(() => buildDischargeFollowUpTask({ ...EPISODE, signals: [] })).toThrow(TypeError);
  });

  test('outreach and GP tasks are valid too', () => {
    const outreach = buildOutreachTask({ key: 'pat-1|2026', patientId: 'pat-1', ownerId: 'nurse-1', requester: { practitionerId: 'gp-1' }, authoredOn: '2026-11-23T08:00' });
    assertValidAgainstProfiles(outreach);
    expect(outreach.code?.coding?.[0]?.code).toBe('outreach');
    const gp = buildGpMedicationReviewTask({
      followUpTaskId: 'task-1',
      followUpIdentifier: 'abc',
      patientId: 'pat-1',
      gpId: 'gp-1',
      requesterId: 'nurse-1',
      authoredOn: '2026-11-24T10:45:00+01:00',
      focus: { resourceType: 'DocumentReference', id: 'doc-1' },
      note: 'Furosemid økt',
    });
    assertValidAgainstProfiles(gp);
    expect(gp.owner).toEqual({ reference: 'Practitioner/gp-1' });
    expect(gp.basedOn).toEqual([{ reference: 'Task/task-1' }]);
    expect(gp.identifier?.[0]?.value).toBe(followUpTaskIdentifierValue('gp-medication-review', 'abc'));
  });
});

describe('round trip: domain lifecycle -> Task -> domain', () => {
  const created = stored(buildDischargeFollowUpTask(EPISODE));

  test('the new task maps back', () => {
    expect(mapped(created)).toEqual({
      id: 'task-1',
      patientId: 'pat-1',
      dischargeKey: EPISODE.episodeKey,
      dischargeDate: '2026-11-20',
      deadline: '2026-11-25',
      status: 'new',
      owner: 'nurse-1',
      attempts: [],
      createdAt: '2026-11-23T08:02:00+01:00',
    });
  });

  test('a failed attempt then a contact on the deadline: in-progress, then completed + met', () => {
    const first = recordAttempt(mapped(created), { at: '2026-11-23T10:00', channel: 'phone', by: 'nurse-1', successful: false, note: 'Ingen svar' });
    const afterAttempt = applyFollowUpState(created, first, { now: '2026-11-23T10:01:00+01:00', by: 'nurse-1' });
    assertValidAgainstProfiles(afterAttempt);
    expect(afterAttempt.status).toBe('in-progress');
    expect(mapped(afterAttempt).attempts).toEqual([{ at: '2026-11-23T10:00:00+01:00', channel: 'phone', by: 'nurse-1', successful: false, note: 'Ingen svar' }]);

    const visit: TaskContactAttempt = { at: '2026-11-25T14:00:00+01:00', channel: 'home-visit', by: 'nurse-1', successful: true, contactId: 'contact-1' };
    const contacted = recordAttempt(mapped(afterAttempt), visit);
    const done = applyFollowUpState(afterAttempt, contacted, { now: '2026-11-25T15:00:00+01:00', by: 'nurse-1', gpTaskId: 'gp-task-1' });
    assertValidAgainstProfiles(done);
    expect(done.status).toBe('completed');
    expect(done.businessStatus?.coding?.[0]?.code).toBe('met');
    expect(done.output?.map((o) => o.valueReference?.reference)).toEqual(['Encounter/contact-1', 'Task/gp-task-1']);
    const back = toFollowUpTask(done);
    expect(back.followUp?.status).toBe('contacted');
    expect(back.followUp?.needsGp).toBe(true);
    expect(back.details?.contactIds).toEqual(['contact-1']);
    expect(back.followUp?.attempts[1]).toMatchObject({ channel: 'home-visit', successful: true, contactId: 'contact-1' });
  });

  test('a contact the day after the deadline is late', () => {
    const late = recordAttempt(mapped(created), { at: '2026-11-26T09:00:00+01:00', channel: 'phone', by: 'nurse-1', successful: true });
    const task = applyFollowUpState(created, late, { now: '2026-11-26T09:05:00+01:00' });
    assertValidAgainstProfiles(task);
    expect(task.businessStatus?.coding?.[0]?.code).toBe('late');
  });

  test.each([
    ['readmitted after the deadline: excluded, no businessStatus', 'readmitted', '2026-11-27T09:00:00+01:00', undefined],
    ['a team decision after the deadline: missed', 'not-needed-after-assessment', '2026-11-27T09:00:00+01:00', 'missed'],
    ['no follow-up needed at triage, before the deadline', 'no-follow-up-needed', '2026-11-23T09:00:00+01:00', undefined],
  ] as const)('closed: %s', (_name, reason, at, business) => {
    const closed = closeTask(mapped(created), { reason, at, by: 'secretary-1', note: 'Notat' });
    const task = applyFollowUpState(created, closed, { now: at, by: 'secretary-1' });
    assertValidAgainstProfiles(task);
    expect(task.status).toBe('cancelled');
    expect(task.statusReason?.coding?.[0]).toMatchObject({ system: SYSTEMS.followUpCloseReason, code: reason });
    expect(task.businessStatus?.coding?.[0]?.code).toBe(business);
    expect(mapped(task).closure).toEqual({ reason, at, by: 'secretary-1', note: 'Notat' });
    expect(mapped(task).status).toBe('closed');
  });

  test('assigning and unassigning the owner keeps the rest', () => {
    const reassigned = applyFollowUpState(created, { ...mapped(created), owner: 'nurse-2' }, { now: '2026-11-23T09:00:00+01:00' });
    expect(reassigned.owner).toEqual({ reference: 'Practitioner/nurse-2' });
    expect(reassigned.input).toEqual(created.input);
    expect(reassigned.identifier).toEqual(created.identifier);
    const unassigned = applyFollowUpState(created, { ...mapped(created), owner: undefined }, { now: '2026-11-23T09:00:00+01:00' });
    expect(unassigned.owner).toBeUndefined();
  });
});

describe('toFollowUpTask is tolerant of malformed Tasks', () => {
  const good = stored(buildDischargeFollowUpTask(EPISODE));

  test.each<[string, unknown, RegExp]>([
    ['not an object', 'Task', /Ikke en oppgave/],
    ['another resource', { resourceType: 'Patient', id: 'x' }, /Ikke en oppgave/],
    ['no id', { ...good, id: undefined }, /mangler id/],
    ['no patient', { ...good, for: { reference: 'Group/1' } }, /ingen pasient/],
    ['no deadline', { ...good, restriction: {} }, /mangler frist/],
    ['unknown type', { ...good, code: { text: 'x' } }, /Ukjent oppgavetype/],
    ['entered in error', { ...good, status: 'entered-in-error' }, /ved en feil/],
    ['deadline garbage', { ...good, restriction: { period: { end: 42 } } }, /mangler frist/],
  ])('%s: no follow-up, an issue', (_name, task, message) => {
    const result = toFollowUpTask(task);
    expect(result.followUp).toBeUndefined();
    expect(result.issues.map((i) => i.message).join('\n')).toMatch(message);
  });

  test('bad attempts are skipped with an issue, the rest is kept', () => {
    const task = {
      ...good,
      status: 'in-progress',
      extension: [
        { url: 'https://pht.example.org/fhir/StructureDefinition/contact-attempt', extension: [{ url: 'time', valueDateTime: 'yesterday' }] },
        {
          url: 'https://pht.example.org/fhir/StructureDefinition/contact-attempt',
          extension: [
            { url: 'time', valueDateTime: '2026-11-23T10:00:00+01:00' },
            { url: 'channel', valueCoding: { system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'SMSWRIT' } },
            { url: 'performer', valueReference: { reference: 'Practitioner/nurse-1' } },
            { url: 'reached', valueBoolean: false },
          ],
        },
        { url: 'https://pht.example.org/fhir/StructureDefinition/contact-attempt', extension: 'nonsense' },
      ],
    };
    const { followUp, issues } = toFollowUpTask(task);
    expect(followUp?.attempts).toEqual([{ at: '2026-11-23T10:00:00+01:00', channel: 'written', by: 'nurse-1', successful: false }]);
    expect(followUp?.status).toBe('attempted');
    expect(issues).toHaveLength(2);
  });

  test('cancelled without a reason: closed as no-follow-up-needed, with an issue', () => {
    const { followUp, issues } = toFollowUpTask({ ...good, status: 'cancelled' });
    expect(followUp?.closure?.reason).toBe('no-follow-up-needed');
    expect(issues.map((i) => i.message)).toEqual([expect.stringMatching(/uten kjent årsak/)]);
  });

  test('completed without a registered contact is kept, with an issue', () => {
    const { followUp, issues } = toFollowUpTask({ ...good, status: 'completed' });
    expect(followUp?.status).toBe('contacted');
    expect(issues).toHaveLength(1);
  });

  test('a task without the episode key falls back to its identifier', () => {
    const { followUp, issues } = toFollowUpTask({ ...good, input: [] });
    expect(followUp?.dischargeKey).toBe(good.identifier?.[0]?.value);
    expect(issues).toHaveLength(1);
  });
});

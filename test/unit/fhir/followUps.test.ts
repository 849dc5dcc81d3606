// Inbox row logic, version-checked task updates, ensureFollowUpTasks and the patient display, against a
// the shared fake EPJ (test/support/fakeEpj.ts; the real sandbox is in test/integration/followup.test.ts).
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { FHIR_BASE } from '../../support/fakeEhr';
import { FakeEpj } from '../../support/fakeEpj';
import type { Patient, RelatedPerson, Task } from '@medplum/fhirtypes';
import type { DischargeEpisode } from '../../../src/fhir/discharges';
import { buildDischargeFollowUpTask, followUpTaskIdentifierValue } from '../../../src/fhir/builders/task';
import { createFhirClient, type FhirClient } from '../../../src/fhir/client';
import type { Session } from '../../../src/fhir/session';
import { assignFollowUp, closeFollowUp, logAttempt, recordContact } from '../../../src/fhir/followUps';
import { toPatientDisplay } from '../../../src/fhir/followUpsPatients';
import { FollowUpError } from '../../../src/fhir/followUpsUpdate';
import { ensureFollowUpTasks, inboxRow, markNoFollowUp, type InboxRow } from '../../../src/fhir/inbox';
import { SYSTEMS } from '../../../src/fhir/systems';

const TODAY = '2026-11-23';
const NOW = '2026-11-23T08:00:00+01:00';

function episode(overrides: Partial<DischargeEpisode> = {}): DischargeEpisode {
  return {
    key: 'pat-1|org:org-ahus|2026-11-20',
    patientId: 'pat-1',
    institution: { id: 'org-ahus', name: 'Ahus' },
    dischargeDate: '2026-11-20',
    messageDate: '2026-11-20T12:00:00+01:00',
    effectiveDate: '2026-11-20',
    deadline: '2026-11-25',
    signals: [{ resourceType: 'Encounter', id: 'enc-1' }],
    warnings: [],
    errors: [],
    ...overrides,
  };
}

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** The shared fake EPJ (test/support/fakeEpj.ts) with scripted conflicts on Tasks, and the app's real client. */
class FakeFhir extends FakeEpj {
  /** Conflicts to inject: the next N Task updates find someone else's newer version (with an extra note). */
  injectConflicts = 0;
  private serving = false;

  constructor() {
    super();
    this.beforeWrite = (key) => {
      const current = this.store.get(key);
      if (this.injectConflicts <= 0 || current?.resourceType !== 'Task') return;
      this.injectConflicts--;
      const version = String(Number(current.meta?.versionId ?? '1') + 1);
      this.store.set(key, { ...current, note: [...(current.note ?? []), { text: 'endret av en annen' }], meta: { ...current.meta, versionId: version } });
    };
  }

  /** The conditional creates, as `conditionalCreate system|value`. */
  get calls(): string[] {
    return this.requests.flatMap((r) => {
      const m = /^POST \w+ If-None-Exist: identifier=(.*)$/.exec(r);
      return m ? [`conditionalCreate ${m[1]}`] : [];
    });
  }

  client(): FhirClient {
    if (!this.serving) server.use(...this.handlers());
    this.serving = true;
    const session: Session = { launchKind: 'standalone', fhirBaseUrl: FHIR_BASE, accessToken: 't', expiresAt: Number.MAX_SAFE_INTEGER, grantedScopes: [], requestedScopes: [], needPatientBanner: false };
    return createFhirClient(session, { sleep: async () => undefined });
  }
}

function storedTask(fake: FakeFhir, overrides: Partial<Parameters<typeof buildDischargeFollowUpTask>[0]> = {}): Task {
  const task: Task = {
    ...buildDischargeFollowUpTask({
      episodeKey: 'pat-1|org:org-ahus|2026-11-20',
      patientId: 'pat-1',
      signals: [{ resourceType: 'Encounter', id: 'enc-1' }],
      deadline: '2026-11-25',
      dischargeDate: '2026-11-20',
      requester: { organizationId: 'org-practice' },
      authoredOn: NOW,
      ...overrides,
    }),
    id: 'task-1',
    meta: { versionId: '1' },
  };
  fake.put(task);
  return task;
}

describe('inboxRow', () => {
  test('a target-group patient with a fresh discharge: create, countdown in working days', () => {
    const row = inboxRow(episode(), { target: { status: 'candidate', groups: ['chronic'], warnings: [] }, today: TODAY });
    expect(row).toMatchObject({
      dischargeDateText: '20.11.2026',
      needsDateConfirmation: false,
      deadline: '2026-11-25',
      countdown: { workingDaysLeft: 2, urgency: 'upcoming' },
      targetStatus: 'candidate',
      decision: { create: true, reason: 'target-group' },
      needsTriage: true,
    });
  });

  test.each<[string, Partial<DischargeEpisode>, string, Partial<InboxRow>]>([
    ['due today', { dischargeDate: '2026-11-18', effectiveDate: '2026-11-18', deadline: '2026-11-23' }, 'TODAY', { countdown: { workingDaysLeft: 0, urgency: 'due-today' } }],
    ['overdue', { dischargeDate: '2026-11-13', effectiveDate: '2026-11-13', deadline: '2026-11-18' }, 'TODAY', { countdown: { workingDaysLeft: -3, urgency: 'overdue' } }],
    [
      'missing discharge date',
      { dischargeDate: undefined, warnings: ['utskrivningsdato mangler: dato fra meldingen (20.11.2026) er brukt, og fristen må bekreftes'] },
      'TODAY',
      { dischargeDateText: 'utskrivningsdato mangler', needsDateConfirmation: true, decision: { create: true, reason: 'target-group' } },
    ],
    [
      'future discharge',
      { dischargeDate: '2026-11-30', deadline: undefined, errors: ['utskrivningsdato i fremtiden (30.11.2026)'] },
      'TODAY',
      { decision: { create: false, reason: 'has-errors' }, errors: ['utskrivningsdato i fremtiden (30.11.2026)'] },
    ],
    [
      'patient not found',
      { patientId: undefined, key: '?Patient/x|org:org-ahus|2026-11-20', errors: ['Pasienten finnes ikke i praksisen (Patient/x)'] },
      'TODAY',
      { decision: { create: false, reason: 'has-errors' }, needsTriage: true },
    ],
    ['history (deadline > 30 days before first seen)', { dischargeDate: '2026-10-01', deadline: '2026-10-06' }, 'TODAY', { decision: { create: false, reason: 'historic' } }],
  ])('%s', (_name, overrides, _today, expected) => {
    const row = inboxRow(episode(overrides), { target: { status: 'confirmed', groups: ['frail-elderly'], warnings: [] }, today: TODAY });
    expect(row).toMatchObject(expected);
  });

  test('not in a target group: left for triage', () => {
    const row = inboxRow(episode(), { today: TODAY });
    expect(row.targetStatus).toBe('none');
    expect(row.decision).toEqual({ create: false, reason: 'not-in-target-group' });
  });
});

describe('ensureFollowUpTasks (fake client)', () => {
  test('creates tasks only for target-group rows, conditionally on the episode identifier, once', async () => {
    const fake = new FakeFhir();
    const rows = [
      inboxRow(episode(), { target: { status: 'candidate', groups: ['chronic'], warnings: [] }, today: TODAY }),
      inboxRow(episode({ key: 'pat-2|org:org-ahus|2026-11-20', patientId: 'pat-2' }), { today: TODAY }),
      inboxRow(episode({ key: 'pat-3|org:org-ahus|2026-11-20', patientId: 'pat-3' }), { target: { status: 'confirmed', groups: ['disability'], warnings: [] }, today: TODAY }),
    ];
    const ctx = { now: NOW, requester: { organizationId: 'org-practice' }, defaultOwnerId: 'nurse-1' };
    const first = await ensureFollowUpTasks(fake.client(), rows, ctx);
    expect(first).toMatchObject({ created: 2, alreadyThere: 0, failures: [] });
    expect(fake.calls.filter((c) => c.startsWith('conditionalCreate'))).toEqual([
      `conditionalCreate ${SYSTEMS.followUpTaskId}|${followUpTaskIdentifierValue('discharge-follow-up', 'pat-1|org:org-ahus|2026-11-20')}`,
      `conditionalCreate ${SYSTEMS.followUpTaskId}|${followUpTaskIdentifierValue('discharge-follow-up', 'pat-3|org:org-ahus|2026-11-20')}`,
    ]);
    expect(first.rows.map((r) => r.needsTriage)).toEqual([false, true, false]);
    expect(first.rows[0]?.task).toMatchObject({ status: 'new', ownerId: 'nurse-1', deadline: '2026-11-25' });
    const second = await ensureFollowUpTasks(fake.client(), rows, ctx);
    expect(second).toMatchObject({ created: 0, alreadyThere: 2 });
    expect([...fake.store.values()].filter((r) => r.resourceType === 'Task')).toHaveLength(2);
  });
});

describe('version-checked updates (fake client)', () => {
  test('a 412 is answered by re-reading, re-applying and retrying; the other writer keeps its change', async () => {
    const fake = new FakeFhir();
    storedTask(fake);
    fake.injectConflicts = 2;
    const result = await logAttempt(fake.client(), 'task-1', { at: '2026-11-23T09:00', channel: 'phone', by: 'nurse-1', successful: false }, { now: NOW });
    expect(result).toMatchObject({ changed: true, conflicts: 2 });
    const stored = fake.store.get('Task/task-1');
    expect(stored?.meta?.versionId).toBe('4');
    expect(stored?.resourceType === 'Task' && stored.note?.filter((n) => n.text === 'endret av en annen')).toHaveLength(2);
    expect(result.followUp.attempts).toHaveLength(1);
    expect(result.resource.status).toBe('in-progress');
  });

  test('gives up after repeated conflicts with the FhirError', async () => {
    const fake = new FakeFhir();
    storedTask(fake);
    fake.injectConflicts = 100;
    await expect(logAttempt(fake.client(), 'task-1', { at: NOW, channel: 'phone', by: 'nurse-1', successful: false })).rejects.toMatchObject({ kind: 'conflict' });
  });

  test('the same attempt twice (a lost response, two machines) is logged once', async () => {
    const fake = new FakeFhir();
    storedTask(fake);
    const attempt = { at: '2026-11-23T09:00:00+01:00', channel: 'phone' as const, by: 'nurse-1', successful: false };
    await logAttempt(fake.client(), 'task-1', attempt, { now: NOW });
    const again = await logAttempt(fake.client(), 'task-1', { ...attempt, at: '2026-11-23T09:00' }, { now: NOW });
    expect(again.changed).toBe(false);
    expect(again.followUp.attempts).toHaveLength(1);
  });

  test('close, then close again with the same reason is a no-op; another reason or an attempt is refused', async () => {
    const fake = new FakeFhir();
    storedTask(fake);
    const closed = await closeFollowUp(fake.client(), 'task-1', { reason: 'deceased', by: 'nurse-1', at: NOW }, { now: NOW });
    expect(closed.resource.status).toBe('cancelled');
    expect((await closeFollowUp(fake.client(), 'task-1', { reason: 'deceased', by: 'nurse-1' })).changed).toBe(false);
    await expect(closeFollowUp(fake.client(), 'task-1', { reason: 'declined', by: 'nurse-1' })).rejects.toBeInstanceOf(FollowUpError);
    await expect(logAttempt(fake.client(), 'task-1', { at: NOW, channel: 'phone', by: 'nurse-1', successful: false })).rejects.toThrow(/lukket/);
    await expect(recordContact(fake.client(), 'task-1', { contactId: 'c', at: NOW, by: 'nurse-1', channel: 'phone' })).rejects.toThrow(/lukket/);
  });

  test('recordContact: met on the deadline; a GP task for the patient\'s GP, once', async () => {
    const fake = new FakeFhir();
    storedTask(fake);
    const patient: Patient = { resourceType: 'Patient', id: 'pat-1', generalPractitioner: [{ reference: 'Practitioner/gp-2' }] };
    fake.put({ ...patient, meta: { versionId: '1' } });
    const input = { contactId: 'enc-c1', at: '2026-11-25T15:00:00+01:00', by: 'nurse-1', channel: 'phone' as const, medicationChangesNeedGp: true };
    const result = await recordContact(fake.client(), 'task-1', input, { now: NOW });
    expect(result.resource.businessStatus?.coding?.[0]?.code).toBe('met');
    expect(result.gpTask?.created).toBe(true);
    const gpTask = fake.store.get(`Task/${result.gpTask?.id}`);
    expect(gpTask?.resourceType === 'Task' && gpTask.owner?.reference).toBe('Practitioner/gp-2');
    const again = await recordContact(fake.client(), 'task-1', input, { now: NOW });
    expect(again).toMatchObject({ changed: false, gpTask: { id: result.gpTask?.id, created: false } });
  });

  test('assign is version-checked and idempotent', async () => {
    const fake = new FakeFhir();
    storedTask(fake);
    expect((await assignFollowUp(fake.client(), 'task-1', { ownerId: 'nurse-1', by: 'secretary-1' })).resource.owner).toEqual({ reference: 'Practitioner/nurse-1' });
    expect((await assignFollowUp(fake.client(), 'task-1', { ownerId: 'nurse-1', by: 'secretary-1' })).changed).toBe(false);
  });

  test('markNoFollowUp closes the open task of the episode instead of making another', async () => {
    const fake = new FakeFhir();
    storedTask(fake);
    const row = inboxRow(episode(), { today: TODAY });
    const result = await markNoFollowUp(fake.client(), row, { by: 'secretary-1' }, { now: NOW });
    expect(result).toMatchObject({ created: false, changed: true });
    expect(result.followUp.closure?.reason).toBe('no-follow-up-needed');
    expect([...fake.store.values()].filter((r) => r.resourceType === 'Task')).toHaveLength(1);
    expect(fake.requests.filter((r) => r.startsWith('PUT '))).toEqual(['PUT Task/task-1']); // one write: the close
  });
});

describe('toPatientDisplay', () => {
  test('name, national id, mobile phone, next of kin first, from RelatedPerson and Patient.contact', () => {
    const patient: Patient & { id: string } = {
      resourceType: 'Patient',
      id: 'pat-1',
      identifier: [{ system: SYSTEMS.dnr, value: '41019012345' }],
      name: [{ use: 'official', given: ['Kari'], family: 'Nordmann' }],
      telecom: [
        { system: 'phone', value: '22 00 00 00', use: 'home' },
        { system: 'phone', value: '900 00 000', use: 'mobile' },
        { system: 'phone', value: '111', use: 'mobile', period: { end: '2020-01-01' } },
      ],
      contact: [{ name: { text: 'Ola Nabo' }, relationship: [{ coding: [{ code: 'NBOR' }] }] }],
      generalPractitioner: [{ reference: 'Organization/org-practice' }, { reference: 'Practitioner/gp-1' }],
    };
    const related: RelatedPerson[] = [
      { resourceType: 'RelatedPerson', patient: { reference: 'Patient/pat-1' }, name: [{ given: ['Per'], family: 'Venn' }], relationship: [{ coding: [{ code: 'FRND' }] }] },
      {
        resourceType: 'RelatedPerson',
        patient: { reference: 'Patient/pat-1' },
        name: [{ given: ['Anne'], family: 'Nordmann' }],
        relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'N' }] }, { coding: [{ code: 'DAU' }] }],
        telecom: [{ system: 'phone', value: '911 11 111' }],
      },
      { resourceType: 'RelatedPerson', patient: { reference: 'Patient/pat-2' }, name: [{ text: 'Someone else' }] },
      { resourceType: 'RelatedPerson', active: false, patient: { reference: 'Patient/pat-1' }, name: [{ text: 'Inactive' }] },
    ];
    expect(toPatientDisplay(patient, related)).toEqual({
      id: 'pat-1',
      name: 'Kari Nordmann',
      nationalId: '41019012345',
      phone: '900 00 000',
      nextOfKin: [
        { name: 'Anne Nordmann', relationship: 'datter', phone: '911 11 111' },
        { name: 'Per Venn', relationship: 'venn' },
        { name: 'Ola Nabo', relationship: 'nabo' },
      ],
      gpId: 'gp-1',
    });
  });

  test('a patient with nothing', () => {
    expect(toPatientDisplay({ resourceType: 'Patient', id: 'x' })).toEqual({ id: 'x', name: 'Navn mangler', nextOfKin: [] });
  });
});

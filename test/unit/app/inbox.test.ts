// The inbox's and the follow-up views' pure parts (countdown words, the four lists, the row after
// triage, the default nurse, the epikrise text) and the store's triage: a failed create keeps the row
// for a retry and says why in words; the retry makes one task.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { FHIR_BASE } from '../../support/fakeEhr';
import { FakeEpj } from '../../support/fakeEpj';
import { createFhirClient, type FhirClient } from '../../../src/fhir/client';
import type { Session } from '../../../src/fhir/session';
import type { DischargeEpisode } from '../../../src/fhir/discharges';
import { buildDischargeFollowUpTask } from '../../../src/fhir/builders/task';
import { recordOf } from '../../../src/fhir/followUpsUpdate';
import { inboxRow, type InboxRow } from '../../../src/fhir/inbox';
import { countdownText, formatOsloDateTime } from '../../../src/state/followUpFormat';
import { epikriseTextOf } from '../../../src/state/followUpReads';
import { defaultNurse } from '../../../src/state/followUpTeam';
import { createInboxStore, inboxSections, rowWithTask } from '../../../src/state/inboxStore';

const TODAY = '2026-11-23';

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

function row(overrides: Partial<DischargeEpisode> = {}, target: 'candidate' | 'none' = 'none'): InboxRow {
  return inboxRow(episode(overrides), { today: TODAY, target: { status: target, groups: [], warnings: [] } });
}

describe('countdownText (SPEC §2 countdown in bokmål)', () => {
  test.each([
    [0, 'frist i dag'],
    [1, '1 arbeidsdag igjen'],
    [2, '2 arbeidsdager igjen'],
    [-1, 'forfalt med 1 arbeidsdag'],
    [-4, 'forfalt med 4 arbeidsdager'],
  ])('%i -> %s', (days, text) => expect(countdownText(days)).toBe(text));
});

test('formatOsloDateTime: dd.mm.åååå HH:mm in Oslo, also across UTC midnight', () => {
  expect(formatOsloDateTime('2026-11-22T23:30:00Z')).toBe('23.11.2026 00:30');
  expect(formatOsloDateTime('2026-07-01T08:05:00+02:00')).toBe('01.07.2026 08:05');
  expect(formatOsloDateTime('2026-03-10T09:15')).toBe('10.03.2026 09:15');
});

describe('inboxSections', () => {
  test('triage, errors, handled and history are apart', () => {
    const triage = row();
    const missingDate = row({ key: 'k2', dischargeDate: undefined });
    const error = row({ key: 'k3', patientId: undefined, errors: ['Pasienten finnes ikke i praksisen.'] });
    const history = row({ key: 'k4', dischargeDate: '2026-09-01', effectiveDate: '2026-09-01', deadline: '2026-09-04' });
    const handled: InboxRow = { ...row({ key: 'k5' }), task: { id: 't1', status: 'new', deadline: '2026-11-25', dischargeDateUnconfirmed: false } };
    const s = inboxSections([triage, missingDate, error, history, handled]);
    expect(s.toTriage.map((r) => r.key)).toEqual([triage.key, 'k2']);
    expect(s.errors.map((r) => r.key)).toEqual(['k3']);
    expect(s.history.map((r) => r.key)).toEqual(['k4']);
    expect(s.handled.map((r) => r.key)).toEqual(['k5']);
    expect(missingDate.dischargeDateText).toBe('utskrivningsdato mangler');
  });
});

test('defaultNurse: the user when she is a nurse, else the only nurse, else none', () => {
  const nurses = [{ id: 'nurse-1', name: 'Siri' }];
  expect(defaultNurse(nurses, 'secretary-1')).toBe('nurse-1');
  expect(defaultNurse([...nurses, { id: 'nurse-2', name: 'Per' }], 'nurse-2')).toBe('nurse-2');
  expect(defaultNurse([...nurses, { id: 'nurse-2', name: 'Per' }], 'secretary-1')).toBeUndefined();
});

test('epikriseTextOf: a text attachment (UTF-8 base64) or a Communication payload; never throws', () => {
  const text = 'Innlagt med pneumoni. Legemiddelendringer: økt furosemid.';
  expect(epikriseTextOf({ resourceType: 'DocumentReference', content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: Buffer.from(text).toString('base64') } }] })).toBe(text);
  expect(epikriseTextOf({ resourceType: 'Communication', payload: [{ contentString: text }] })).toBe(text);
  expect(epikriseTextOf({ resourceType: 'DocumentReference', content: [{ attachment: { contentType: 'application/pdf', data: 'JVBERi0=' } }] })).toBeUndefined();
  expect(epikriseTextOf({ content: [{ attachment: { data: '%%%' } }] })).toBeUndefined();
  expect(epikriseTextOf(null)).toBeUndefined();
});

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** The shared fake EPJ whose first `failures` Task creates drop the connection; the app's real client to it. */
function fakeClient(failures: number): { client: FhirClient; epj: FakeEpj } {
  const epj = new FakeEpj();
  epj.failNext('POST', 'Task', 'network', failures);
  server.use(...epj.handlers());
  const session: Session = { launchKind: 'standalone', fhirBaseUrl: FHIR_BASE, accessToken: 't', expiresAt: Number.MAX_SAFE_INTEGER, grantedScopes: [], requestedScopes: [], needPatientBanner: false };
  // One attempt per call: the store's own retry (the user's second click) is what this test is about.
  return { client: createFhirClient(session, { retry: { maxAttempts: 1 }, sleep: async () => undefined }), epj };
}

describe('inbox store triage', () => {
  test('a failed create keeps the row to triage with the reason in words; the retry creates one task', async () => {
    const { client, epj } = fakeClient(1);
    const store = createInboxStore({ client, user: { practitionerId: 'secretary-1' }, now: () => new Date('2026-11-23T09:00:00+01:00') });
    const r = row();
    store.setState({ status: 'ready', data: { rows: [r], taskIssues: [], team: { practiceOrgId: 'org', nurses: [], defaultNurseId: undefined }, ensured: { created: 0, alreadyThere: 0, failures: [] }, autoCreated: [] } });

    expect(await store.getState().createTask(r.key, { owner: 'nurse-1' })).toBe(false);
    const failed = store.getState().actions[r.key];
    expect(failed?.status).toBe('error');
    expect(failed && 'message' in failed ? failed.message : '').toBe('Får ikke kontakt med journalsystemet.');
    expect(inboxSections(store.getState().data?.rows ?? []).toTriage).toHaveLength(1);

    expect(await store.getState().createTask(r.key, { owner: 'nurse-1' })).toBe(true);
    expect(await store.getState().createTask(r.key, { owner: 'nurse-1' })).toBe(true);
    expect(epj.all('Task')).toHaveLength(1);
    const after = store.getState().data?.rows[0];
    expect(after?.task?.ownerId).toBe('nurse-1');
    expect(inboxSections(store.getState().data?.rows ?? []).handled).toHaveLength(1);
  });

  test('rowWithTask: the row leaves triage with its task, owner and countdown', () => {
    const r = row();
    const task = buildDischargeFollowUpTask({
      episodeKey: r.key,
      patientId: 'pat-1',
      signals: [{ resourceType: 'Encounter', id: 'enc-1' }],
      deadline: '2026-11-25',
      dischargeDate: '2026-11-20',
      ownerId: 'nurse-1',
      requester: { practitionerId: 'secretary-1' },
      authoredOn: '2026-11-23T09:00:00+01:00',
    });
    const record = recordOf({ ...task, id: 't9', meta: { ...task.meta, versionId: '1' } });
    const after = rowWithTask(r, { ...record, created: true }, TODAY);
    expect(after.needsTriage).toBe(false);
    expect(after.task).toMatchObject({ id: 't9', status: 'new', ownerId: 'nurse-1', deadline: '2026-11-25', dischargeDateUnconfirmed: false });
    expect(after.countdown).toEqual({ urgency: 'upcoming', workingDaysLeft: 2 });
  });
});

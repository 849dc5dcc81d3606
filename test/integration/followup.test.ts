// Discharge follow-up against a real sandbox (HTTP on port 0, seeded practice of 200 patients, fixed
// asOf): the three signal shapes become episodes, duplicates merge, the headless sweep creates the tasks
// with a backend-services token and no user, concurrent triage gives one task, the worklist is ordered
// with its countdown, and attempts and contacts update the task (If-Match).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Communication, DocumentReference, Task } from '@medplum/fhirtypes';
import { startSandbox, type Sandbox } from '../../sandbox/app';
import { backendServicesSession, type PrivateJwk } from '../../src/fhir/backendServices';
import { followUpTaskIdentifierValue } from '../../src/fhir/builders/task';
import { createFhirClient, type FhirClient } from '../../src/fhir/client';
import { assignFollowUp, closeFollowUp, loadCompliance, loadWorklist, logAttempt, recordContact } from '../../src/fhir/followUps';
import { createFollowUpTask, loadInbox, markNoFollowUp, type Inbox, type InboxRow } from '../../src/fhir/inbox';
import { SYSTEMS } from '../../src/fhir/systems';
// Independent oracle for SPEC §2 (date-holidays, day by day), not the calendar under test.
import { deadlineForTest, workingDaysLeftForTest } from '../unit/seed/osloTestHelpers';
import { main as sweepMain } from '../../scripts/sweep';

const AS_OF = '2026-11-23'; // a Monday
const NOW = '2026-11-23T08:00:00+01:00';
const PRACTICE = 'org-practice';

let sandbox: Sandbox;
let dataDir: string;
let client: FhirClient;

function privateJwk(): PrivateJwk {
  const jwk = sandbox.auth.backendClient.privateJwk;
  const out: PrivateJwk = { kty: String(jwk.kty) };
  for (const name of ['kid', 'alg', 'crv', 'x', 'y', 'd'] as const) {
    const value = jwk[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

async function newClient(): Promise<FhirClient> {
  const session = await backendServicesSession({ fhirBaseUrl: sandbox.fhirBaseUrl, clientId: sandbox.auth.backendClient.clientId, privateJwk: privateJwk() });
  return createFhirClient(session);
}

async function tasks(params: Record<string, string> = {}): Promise<Task[]> {
  return client.searchAll('Task', { ...params, _count: '1000' });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pht-followup-'));
  sandbox = await startSandbox({ port: 0, dataDir, patients: 200, asOf: AS_OF, seed: 7 });
  client = await newClient();
});

afterAll(async () => {
  await sandbox?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('inbox: the three signal shapes', () => {
  let inbox: Inbox;
  beforeAll(async () => {
    inbox = await loadInbox(client, { practiceOrgId: PRACTICE, today: AS_OF });
  });

  test('every recent seeded stay is one episode, whatever shape it came in', async () => {
    const [encounters, documents, messages] = await Promise.all([
      sandbox.fhir.store.search('Encounter', {}),
      sandbox.fhir.store.search('DocumentReference', {}),
      sandbox.fhir.store.search('Communication', {}),
    ]);
    // Seed ids share a stay key: enc-stay-<key>, docref-<key>, comm-<key>.
    const stayOf = (id: string) => id.replace(/^(enc-stay-|docref-|comm-)/, '');
    const signalIds = new Map<string, string>();
    for (const r of [...encounters, ...documents, ...messages]) {
      if (r.id && /^(enc-stay-|docref-|comm-)/.test(r.id)) signalIds.set(`${r.resourceType}/${r.id}`, stayOf(r.id));
    }
    const episodesByStay = new Map<string, Set<string>>();
    for (const row of inbox.rows) {
      for (const s of row.episode.signals) {
        const stay = signalIds.get(`${s.resourceType}/${s.id}`);
        if (stay) episodesByStay.set(stay, new Set([...(episodesByStay.get(stay) ?? []), row.key]));
      }
    }
    expect(episodesByStay.size).toBeGreaterThan(10);
    for (const [stay, keys] of episodesByStay) expect([stay, keys.size]).toEqual([stay, 1]);
    const keysOfStays = [...episodesByStay.values()].map((k) => [...k][0]);
    expect(new Set(keysOfStays).size).toBe(keysOfStays.length);

    const shapes = new Set(inbox.rows.map((r) => r.episode.signals.map((s) => s.resourceType).join('+')));
    expect(shapes).toContain('Encounter');
    expect(shapes).toContain('DocumentReference');
    expect(shapes).toContain('Communication');
    expect(shapes).toContain('Encounter+DocumentReference'); // merged duplicates
    // Emergency visits are not discharges.
    expect(inbox.rows.some((r) => r.episode.signals.some((s) => s.id.startsWith('enc-er-')))).toBe(false);
    expect(inbox.taskIssues).toEqual([]);
  });

  test('rows carry patient display, deadline, countdown, target status and the decision', () => {
    const encounterRow = inbox.rows.find((r) => r.episode.signals[0]?.resourceType === 'Encounter' && r.errors.length === 0);
    expect(encounterRow?.patient?.name).toBeTruthy();
    expect(encounterRow?.patient?.nationalId).toMatch(/^\d{11}$/);
    expect(inbox.rows.some((r) => (r.patient?.nextOfKin.length ?? 0) > 0)).toBe(true);
    for (const row of inbox.rows) {
      if (row.episode.dischargeDate && row.errors.length === 0) {
        expect(row.deadline).toBe(deadlineForTest(row.episode.dischargeDate));
        if (row.countdown) expect(row.countdown.workingDaysLeft).toBe(workingDaysLeftForTest(row.deadline ?? '', AS_OF));
      }
      expect(row.needsTriage).toBe(true); // no task yet
    }
    const communicationOnly = inbox.rows.find((r) => r.episode.signals.every((s) => s.resourceType === 'Communication'));
    expect(communicationOnly?.needsDateConfirmation).toBe(true);
    expect(communicationOnly?.dischargeDateText).toBe('utskrivningsdato mangler');
    const decisions = new Set(inbox.rows.map((r) => r.decision.reason));
    expect(decisions).toContain('target-group');
    expect(decisions).toContain('not-in-target-group');
    expect(inbox.rows.some((r) => r.targetStatus === 'candidate')).toBe(true);
  });

  test('a message about an unknown patient is an error row; a future discharge is refused', async () => {
    const unknown: Communication = {
      resourceType: 'Communication',
      id: 'comm-test-unknown',
      status: 'completed',
      category: [{ coding: [{ system: 'https://pht.example.org/fhir/CodeSystem/message-category', code: 'epikrise' }] }],
      subject: { reference: 'Patient/does-not-exist' },
      sent: '2026-11-20T12:00:00+01:00',
      sender: { reference: 'Organization/org-ahus', display: 'Akershus universitetssykehus HF' },
    };
    const future: DocumentReference = {
      resourceType: 'DocumentReference',
      id: 'docref-test-future',
      status: 'current',
      type: { coding: [{ system: SYSTEMS.loinc, code: '18842-5' }] },
      subject: { reference: `Patient/${inbox.rows.find((r) => r.patient)?.patient?.id ?? ''}` },
      date: '2026-11-22T12:00:00+01:00',
      custodian: { reference: 'Organization/org-ahus' },
      content: [{ attachment: { contentType: 'text/plain', data: 'ZXBpa3Jpc2U=' } }],
      context: { period: { end: '2026-11-30T12:00:00+01:00' } },
    };
    await sandbox.fhir.store.bulkLoad([unknown, future]);
    const again = await loadInbox(client, { practiceOrgId: PRACTICE, today: AS_OF });
    const unknownRow = again.rows.find((r) => r.episode.signals.some((s) => s.id === 'comm-test-unknown'));
    expect(unknownRow?.errors.join()).toMatch(/finnes ikke/);
    expect(unknownRow?.decision.reason).toBe('has-errors');
    const futureRow = again.rows.find((r) => r.episode.signals.some((s) => s.id === 'docref-test-future'));
    expect(futureRow?.errors.join()).toMatch(/fremtiden/);
    expect(futureRow?.decision).toEqual({ create: false, reason: 'has-errors' });
    if (!futureRow) throw new Error('no future row');
    await expect(createFollowUpTask(client, futureRow, { by: 'secretary-1' }, { now: NOW })).rejects.toThrow(/fremtiden/);
  });
});

describe('the headless sweep', () => {
  test('creates the tasks with a backend-services token and no user, and reports due and overdue', async () => {
    expect(await tasks()).toHaveLength(0);
    const before = await loadInbox(client, { practiceOrgId: PRACTICE, today: AS_OF });
    const expected = before.rows.filter((r) => r.decision.create && r.decision.reason === 'target-group');
    // The seed gives few of its recent discharges to target-group patients (2 with this seed).
    expect(expected.length).toBeGreaterThanOrEqual(1);

    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    const code = await sweepMain(['--fhir', sandbox.fhirBaseUrl, '--today', AS_OF, '--now', NOW], io, { PHT_DATA_DIR: dataDir });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const created = await tasks();
    expect(created).toHaveLength(expected.length);
    expect(new Set(created.map((t) => t.identifier?.[0]?.value))).toEqual(
      new Set(expected.map((r) => followUpTaskIdentifierValue('discharge-follow-up', r.key))),
    );
    // No user: the practice is the requester.
    expect(created.every((t) => t.requester?.reference === `Organization/${PRACTICE}`)).toBe(true);
    const text = out.join('\n');
    expect(text).toContain(`Nye oppgaver: ${expected.length}`);
    expect(text).toMatch(/Frist i dag \(\d+\):/);
    expect(text).toMatch(/Over fristen \(\d+\):/);
    expect(text).not.toMatch(/\d{11}/); // no national id numbers in the log

    // Idempotent: a second run creates nothing.
    const out2: string[] = [];
    expect(await sweepMain(['--fhir', sandbox.fhirBaseUrl, '--today', AS_OF, '--now', NOW], { out: (t) => out2.push(t), err: io.err }, { PHT_DATA_DIR: dataDir })).toBe(0);
    expect(out2.join('\n')).toContain('Nye oppgaver: 0');
    expect(await tasks()).toHaveLength(expected.length);
  });

  test('fails with a clear message and a non-zero exit code', async () => {
    const err: string[] = [];
    const io = { out: () => undefined, err: (t: string) => err.push(t) };
    expect(await sweepMain(['--fhir', sandbox.fhirBaseUrl, '--client-id', 'someone-else', '--today', AS_OF, '--now', NOW], io, { PHT_DATA_DIR: dataDir })).toBe(1);
    expect(err.join()).toMatch(/Fikk ikke tilgangstoken.*invalid_client/);
    expect(await sweepMain(['--fhir', 'http://127.0.0.1:1/fhir', '--today', AS_OF, '--now', NOW], io, { PHT_DATA_DIR: dataDir })).toBe(1);
    expect(err.join()).toMatch(/Fant ikke SMART-konfigurasjonen/);
    expect(await sweepMain(['--fhir', 'https://epj.example.no/fhir'], io, {})).toBe(1);
    expect(err.join()).toMatch(/Mangler --key/);
  });
});

describe('triage', () => {
  async function untriaged(n: number): Promise<InboxRow[]> {
    const inbox = await loadInbox(client, { practiceOrgId: PRACTICE, today: AS_OF });
    const rows = inbox.rows.filter((r) => r.needsTriage && r.errors.length === 0 && !r.needsDateConfirmation);
    expect(rows.length).toBeGreaterThanOrEqual(n);
    return rows.slice(0, n);
  }

  test('20 concurrent triages of one message (from 20 clients) create exactly one task', async () => {
    const [row] = await untriaged(1);
    if (!row) throw new Error('no row');
    const clients = await Promise.all(Array.from({ length: 20 }, () => newClient()));
    const results = await Promise.all(clients.map((c, i) => createFollowUpTask(c, row, { by: 'secretary-1', owner: 'nurse-1' }, { now: `2026-11-23T07:5${i % 10}:00+01:00` })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.followUp.id)).size).toBe(1);
    const found = await tasks({ identifier: `${SYSTEMS.followUpTaskId}|${followUpTaskIdentifierValue('discharge-follow-up', row.key)}` });
    expect(found).toHaveLength(1);
    expect(found[0]?.owner?.reference).toBe('Practitioner/nurse-1');

    // The message has left the inbox.
    const inbox = await loadInbox(client, { practiceOrgId: PRACTICE, today: AS_OF });
    expect(inbox.rows.find((r) => r.key === row.key)?.task?.id).toBe(found[0]?.id);
    expect(inbox.rows.find((r) => r.key === row.key)?.needsTriage).toBe(false);
  });

  test('"no follow-up needed" racing "create" still gives one task; the message leaves the inbox', async () => {
    const [row] = await untriaged(1);
    if (!row) throw new Error('no row');
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0
          ? markNoFollowUp(client, row, { by: 'secretary-1' }, { now: NOW })
          : createFollowUpTask(client, row, { by: 'secretary-1' }, { now: NOW }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const found = await tasks({ identifier: `${SYSTEMS.followUpTaskId}|${followUpTaskIdentifierValue('discharge-follow-up', row.key)}` });
    expect(found).toHaveLength(1);
    // Whichever came first, "no follow-up needed" closed the task.
    expect(found[0]?.status).toBe('cancelled');
    expect(found[0]?.statusReason?.coding?.[0]?.code).toBe('no-follow-up-needed');
    const inbox = await loadInbox(client, { practiceOrgId: PRACTICE, today: AS_OF });
    expect(inbox.rows.find((r) => r.key === row.key)?.needsTriage).toBe(false);
  });

  test('a message without a discharge date: the confirmed date sets the deadline', async () => {
    const inbox = await loadInbox(client, { practiceOrgId: PRACTICE, today: AS_OF });
    const row = inbox.rows.find((r) => r.needsDateConfirmation && r.errors.length === 0);
    if (!row) throw new Error('no dateless row');
    const result = await createFollowUpTask(client, row, { by: 'secretary-1', owner: 'nurse-1', confirmDate: '2026-11-18' }, { now: NOW });
    expect(result.followUp.dischargeDate).toBe('2026-11-18');
    expect(result.followUp.deadline).toBe('2026-11-23'); // Wed 18 Nov: Thu 19, Fri 20, Mon 23 (SPEC §2)
    expect(result.details.dischargeDateUnconfirmed).toBe(false);
    await expect(createFollowUpTask(client, row, { by: 'secretary-1', confirmDate: '2026-12-01' }, { now: NOW })).rejects.toThrow(/fremtiden/);
  });
});

describe('worklist and the task lifecycle', () => {
  beforeAll(async () => {
    // The secretary triages the rest of the inbox: a task for every message, every other one to nurse-1.
    const inbox = await loadInbox(client, { practiceOrgId: PRACTICE, today: AS_OF });
    const open = inbox.rows.filter((r) => r.needsTriage && r.errors.length === 0 && r.decision.reason !== 'historic');
    for (const [i, row] of open.entries()) {
      await createFollowUpTask(
        client,
        row,
        { by: 'secretary-1', ...(i % 2 === 0 ? { owner: 'nurse-1' } : {}), ...(row.needsDateConfirmation ? { confirmDate: row.episode.effectiveDate } : {}) },
        { now: NOW },
      );
    }
  });

  test('ordered overdue, due today, then by deadline, with countdown, phone and next of kin', async () => {
    const worklist = await loadWorklist(client, { today: AS_OF });
    expect(worklist.issues).toEqual([]);
    const { rows } = worklist;
    expect(rows.length).toBeGreaterThan(3);
    const rank = { overdue: 0, 'due-today': 1, upcoming: 2, done: 3 };
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1];
      const b = rows[i];
      if (!a || !b) continue;
      expect(rank[a.urgency] < rank[b.urgency] || (a.urgency === b.urgency && a.followUp.deadline <= b.followUp.deadline)).toBe(true);
    }
    for (const row of rows) {
      expect(row.workingDaysLeft).toBe(workingDaysLeftForTest(row.followUp.deadline, AS_OF));
      expect(row.urgency).toBe(row.workingDaysLeft < 0 ? 'overdue' : row.workingDaysLeft === 0 ? 'due-today' : 'upcoming');
    }
    expect(rows.some((r) => r.urgency === 'overdue')).toBe(true);
    expect(rows.some((r) => r.urgency === 'due-today')).toBe(true);
    expect(rows.some((r) => r.patient?.phone)).toBe(true);
    expect(rows.some((r) => (r.patient?.nextOfKin.length ?? 0) > 0)).toBe(true);
    const owned = rows.find((r) => r.owner);
    expect(owned?.owner?.name).not.toBe(owned?.owner?.id); // the nurse's name, not her id

    const mine = await loadWorklist(client, { today: AS_OF, nurseId: 'nurse-1', includeUnassigned: false });
    expect(mine.rows.length).toBeGreaterThan(0);
    expect(mine.rows.every((r) => r.owner?.id === 'nurse-1')).toBe(true);
  });

  test('an attempt then a contact on the deadline: in progress, then completed and met; the GP gets a task', async () => {
    const { rows } = await loadWorklist(client, { today: AS_OF });
    const row = rows.find((r) => r.urgency === 'due-today');
    if (!row) throw new Error('nothing due today');
    await assignFollowUp(client, row.taskId, { ownerId: 'nurse-1', by: 'secretary-1' }, { now: NOW });

    // Two machines log different attempts at once: both are kept (If-Match, re-read, retry).
    const other = await newClient();
    await Promise.all([
      logAttempt(client, row.taskId, { at: '2026-11-23T09:00:00+01:00', channel: 'phone', by: 'nurse-1', successful: false }, { now: NOW }),
      logAttempt(other, row.taskId, { at: '2026-11-23T09:30:00+01:00', channel: 'phone', by: 'nurse-1', successful: false, note: 'Ringte pårørende' }, { now: NOW }),
    ]);
    const attempted = await client.read('Task', row.taskId);
    expect(attempted.status).toBe('in-progress');
    expect(attempted.extension?.filter((e) => e.url.endsWith('/contact-attempt'))).toHaveLength(2);
    // The same attempt again is not logged twice.
    const repeat = await logAttempt(client, row.taskId, { at: '2026-11-23T09:00:00+01:00', channel: 'phone', by: 'nurse-1', successful: false }, { now: NOW });
    expect(repeat.changed).toBe(false);

    const contact = await recordContact(
      client,
      row.taskId,
      { contactId: 'contact-test-1', at: `${row.followUp.deadline}T14:00:00+01:00`, by: 'nurse-1', channel: 'home-visit', medicationChangesNeedGp: true, gpNote: 'Furosemid økt' },
      { now: NOW },
    );
    expect(contact.followUp.status).toBe('contacted');
    expect(contact.resource.status).toBe('completed');
    expect(contact.resource.businessStatus?.coding?.[0]?.code).toBe('met');
    expect(contact.resource.output?.map((o) => o.valueReference?.reference)).toEqual(['Encounter/contact-test-1', `Task/${contact.gpTask?.id}`]);
    const gpTask = await client.read('Task', contact.gpTask?.id ?? '');
    expect(gpTask.code?.coding?.[0]?.code).toBe('gp-medication-review');
    const patient = await client.read('Patient', row.followUp.patientId);
    expect(gpTask.owner?.reference).toBe(patient.generalPractitioner?.[0]?.reference);
    // Recording the same contact again changes nothing and makes no second GP task.
    const again = await recordContact(client, row.taskId, { contactId: 'contact-test-1', at: `${row.followUp.deadline}T14:00:00+01:00`, by: 'nurse-1', channel: 'home-visit', medicationChangesNeedGp: true }, { now: NOW });
    expect(again.changed).toBe(false);
    expect(again.gpTask?.created).toBe(false);
    // It has left the open worklist.
    expect((await loadWorklist(client, { today: AS_OF })).rows.some((r) => r.taskId === row.taskId)).toBe(false);
  });

  test('a contact after the deadline is late; a closed task takes no attempts; compliance counts both', async () => {
    const { rows } = await loadWorklist(client, { today: AS_OF });
    const overdue = rows.filter((r) => r.urgency === 'overdue');
    const [late, closed] = overdue;
    if (!late || !closed) throw new Error('need two overdue tasks');
    const result = await recordContact(client, late.taskId, { contactId: 'contact-test-2', at: '2026-11-23T10:00:00+01:00', by: 'nurse-1', channel: 'phone' }, { now: NOW });
    expect(result.resource.businessStatus?.coding?.[0]?.code).toBe('late');

    const closing = await closeFollowUp(client, closed.taskId, { reason: 'declined', by: 'nurse-1', at: NOW }, { now: NOW });
    expect(closing.resource.status).toBe('cancelled');
    expect(closing.resource.businessStatus?.coding?.[0]?.code).toBe('missed'); // a team decision after the deadline
    await expect(logAttempt(client, closed.taskId, { at: NOW, channel: 'phone', by: 'nurse-1', successful: false })).rejects.toThrow(/lukket/);

    const report = await loadCompliance(client, { from: '2026-10-01', to: '2026-11-23' }, AS_OF);
    expect(report.figures.total.met).toBeGreaterThanOrEqual(1);
    expect(report.figures.total.late).toBeGreaterThanOrEqual(1);
    expect(report.late.map((r) => r.taskId)).toContain(late.taskId);
    expect(report.missed.map((r) => r.taskId)).toContain(closed.taskId);
    expect(report.late.find((r) => r.taskId === late.taskId)?.firstContact).toBe('2026-11-23');
    const nurse = report.byNurse.find((n) => n.nurseId === 'nurse-1');
    expect(nurse?.name).toBeTruthy();
    expect(report.issues).toEqual([]);
  });
});

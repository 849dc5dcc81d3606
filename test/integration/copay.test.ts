// One co-payment a day under concurrency (SPEC §6), against a real sandbox EPJ over HTTP on port 0,
// with SMART EHR launches and our FhirClient: the write path of src/fhir/contacts.ts and chargesCancel.ts.
import type { Account, ChargeItem, Encounter } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { osloDate } from '../../src/domain/calendar';
import { cancelCharge } from '../../src/fhir/chargesCancel';
import { COPAY_EXTENSIONS, COPAY_SYSTEMS } from '../../src/fhir/chargesSystems';
import { readTeamCharge } from '../../src/fhir/charges';
import { createFhirClient, type FhirClient } from '../../src/fhir/client';
import { registerContact, type RegisterContactInput, type RegisterContactSaved } from '../../src/fhir/contacts';
import { EXTENSIONS, SYSTEMS } from '../../src/fhir/systems';
import { AS_OF, launchSession, startTestEpj, type TestEpj } from './copay-sandbox';

let epj: TestEpj;
const DAY = AS_OF;
const ADULT = { birthDate: '1950-05-05' };
const FAST = { retry: { baseDelayMs: 10, maxDelayMs: 100 } };

beforeAll(async () => {
  epj = await startTestEpj(50);
});

afterAll(async () => {
  await epj?.close();
});

async function clientFor(user: string, patient: string): Promise<FhirClient> {
  return createFhirClient(await launchSession(epj.sandbox, user, patient), FAST);
}

async function chargesOf(patient: string): Promise<ChargeItem[]> {
  const all = await epj.sandbox.fhir.store.search<ChargeItem>('ChargeItem', { patient: `Patient/${patient}`, _count: '5000' });
  return all.filter((c) => c.occurrenceDateTime && osloDate(c.occurrenceDateTime) === DAY);
}

/** A patient with no charge at all that day, so the test starts from a clean ledger. */
async function cleanPatient(used: Set<string>): Promise<string> {
  for (let n = 1; n <= 50; n++) {
    const id = `pat-${String(n).padStart(5, '0')}`;
    if (used.has(id)) continue;
    if ((await chargesOf(id)).length === 0) {
      used.add(id);
      return id;
    }
  }
  throw new Error('no patient without charges today');
}

function charged(item: ChargeItem): number {
  return readTeamCharge(item).charge?.charged ?? 0;
}

function contact(patientId: string, practitionerId: string, time: string, over: Partial<RegisterContactInput> = {}): RegisterContactInput {
  return {
    contactId: crypto.randomUUID(),
    patientId,
    practitionerId,
    organizationId: 'practice',
    kind: 'simple',
    channel: 'phone',
    start: `${DAY}T${time}:00+01:00`,
    lines: [{ code: 'S1a', quantity: 1 }],
    patient: ADULT,
    ...over,
  };
}

function saved(result: Awaited<ReturnType<typeof registerContact>>): RegisterContactSaved {
  if (result.status !== 'saved') throw new Error(`expected saved, got ${result.status}`);
  return result;
}

const used = new Set<string>();

describe('registerContact on one patient-day', () => {
  test('two clients register 25 contacts each, concurrently: exactly one egenandel, all 50 contacts and 75 charges', async () => {
    const patient = await cleanPatient(used);
    const [a, b] = await Promise.all([clientFor('nurse-1', patient), clientFor('nurse-1', patient)]);
    const t0 = performance.now();
    const run = async (client: FhirClient, side: 'a' | 'b') => {
      const results: RegisterContactSaved[] = [];
      for (let i = 0; i < 25; i++) {
        const minute = String(i).padStart(2, '0');
        // a: follow-up in person, 30 min -> S2a (egenandel) + S2b (none); b: simple phone contact S1a.
        const input =
          side === 'a'
            ? contact(patient, 'nurse-1', `09:${minute}`, { kind: 'follow-up', channel: 'in-person', minutes: 30, lines: [{ code: 'S2a', quantity: 1 }, { code: 'S2b', quantity: 1 }] })
            : contact(patient, 'nurse-1', `09:${minute}`);
        results.push(saved(await registerContact(client, input)));
      }
      return results;
    };
    const [ra, rb] = await Promise.all([run(a, 'a'), run(b, 'b')]);
    const ms = Math.round(performance.now() - t0);
    const all = [...ra, ...rb];
    const stats = all.reduce(
      (s, r) => ({ attempts: s.attempts + r.stats.attempts, conflicts: s.conflicts + r.stats.conflicts, reads: s.reads + r.stats.reads }),
      { attempts: 0, conflicts: 0, reads: 0 },
    );
    console.info(`[copay] 2 x 25 concurrent registrations: ${ms} ms, ${stats.attempts} transactions, ${stats.conflicts} conflicts, ${stats.reads} day reads`);

    const items = await chargesOf(patient);
    const ours = items.filter((c) => c.identifier?.some((i) => i.system === SYSTEMS.chargeId));
    expect(ours).toHaveLength(75);
    expect(new Set(ours.map((c) => c.identifier?.[0]?.value)).size).toBe(75);
    expect(items.filter((c) => charged(c) > 0)).toHaveLength(1);
    const bearer = items.find((c) => charged(c) > 0);
    // The earliest by service time (09:00) then id: one of the two 09:00 contacts; S2a (100) or S1a (50).
    expect(bearer?.occurrenceDateTime).toBe(`${DAY}T09:00:00+01:00`);
    const waived = ours.filter((c) => c !== bearer && (readTeamCharge(c).charge?.tariffEgenandel ?? 0) > 0);
    expect(waived).toHaveLength(49);
    for (const c of waived) expect(readTeamCharge(c).charge?.waiverReason).toBe('SAME_DAY');

    const encounters = await epj.sandbox.fhir.store.search<Encounter>('Encounter', { subject: `Patient/${patient}`, _count: '5000' });
    const contactIds = new Set(all.map((r) => r.contactId));
    const written = encounters.filter((e) => e.identifier?.some((i) => i.system === SYSTEMS.contactId && contactIds.has(i.value ?? '')));
    expect(written).toHaveLength(50);
    // Every charge points at its own contact and at the day's ledger.
    const accounts = await epj.sandbox.fhir.store.search<Account>('Account', { identifier: `${COPAY_SYSTEMS.copayDay}|${patient}:${DAY}` });
    expect(accounts).toHaveLength(1);
    for (const c of ours) expect(c.account?.[0]?.reference).toBe(`Account/${accounts[0]?.id}`);
    const revision = accounts[0]?.extension?.find((e) => e.url === COPAY_EXTENSIONS.ledgerRevision)?.valueInteger;
    expect(revision).toBe(50);
  });

  test('a GP charge registered after a nurse charge the same day gets egenandel 0 with SAME_DAY', async () => {
    const patient = await cleanPatient(used);
    const nurse = await clientFor('nurse-1', patient);
    const gp = await clientFor('gp-1', patient);
    const first = saved(await registerContact(nurse, contact(patient, 'nurse-1', '08:30', { kind: 'follow-up', channel: 'in-person', lines: [{ code: 'S2a', quantity: 1 }] })));
    expect(first.bearer).toBe(`${first.contactId}:S2a`);
    const second = saved(await registerContact(gp, contact(patient, 'gp-1', '10:15', { kind: 'team-consultation', channel: 'in-person', lines: [{ code: '2ad', quantity: 1 }] })));
    const gpView = second.day.find((d) => d.id === `${second.contactId}:2ad`);
    expect(gpView).toMatchObject({ charged: 0, waived: 160, reason: 'SAME_DAY', reasonLabel: 'Egenandel allerede betalt i dag (teamet)', refusjon: 140 });
    const stored = (await chargesOf(patient)).find((c) => c.identifier?.[0]?.value === `${second.contactId}:2ad`);
    expect(stored?.performer?.[0]?.function?.coding?.[0]?.code).toBe('LE');
    expect(readTeamCharge(stored ?? { resourceType: 'ChargeItem', status: 'billable', code: {}, subject: {} }).charge).toMatchObject({ charged: 0, tariffEgenandel: 160, waiverReason: 'SAME_DAY' });
    expect(stored?.enterer?.reference).toBe('Practitioner/gp-1');
  });

  test('cancelling the unsettled bearer moves the egenandel to the next in line', async () => {
    const patient = await cleanPatient(used);
    const nurse = await clientFor('nurse-1', patient);
    const early = saved(await registerContact(nurse, contact(patient, 'nurse-1', '08:00')));
    const late = saved(await registerContact(nurse, contact(patient, 'nurse-1', '13:00')));
    expect(late.bearer).toBe(`${early.contactId}:S1a`);
    const result = await cancelCharge(nurse, { chargeId: `${early.contactId}:S1a`, patient: ADULT });
    expect(result.cancelled).toBe(true);
    expect(result.bearer).toBe(`${late.contactId}:S1a`);
    expect(result.refunds).toEqual([]);
    const items = await chargesOf(patient);
    const byId = new Map(items.map((c) => [c.identifier?.[0]?.value, c]));
    expect(byId.get(`${early.contactId}:S1a`)?.status).toBe('aborted');
    expect(charged(byId.get(`${late.contactId}:S1a`) ?? items[0]!)).toBe(50);
    expect(byId.get(`${late.contactId}:S1a`)?.extension?.some((e) => e.url === EXTENSIONS.egenandelWaiverReason)).toBe(false);
    // Cancelling again is a no-op.
    expect((await cancelCharge(nurse, { chargeId: `${early.contactId}:S1a`, patient: ADULT })).cancelled).toBe(false);
  });

  test('cancelling a settled (billed) bearer flags a refund and the next in line bears the egenandel', async () => {
    const patient = await cleanPatient(used);
    const nurse = await clientFor('nurse-1', patient);
    const early = saved(await registerContact(nurse, contact(patient, 'nurse-1', '08:00')));
    const late = saved(await registerContact(nurse, contact(patient, 'nurse-1', '12:00')));
    const [item] = await nurse.searchAll('ChargeItem', { identifier: `${SYSTEMS.chargeId}|${early.contactId}:S1a` });
    if (!item) throw new Error('charge not found');
    await nurse.update({ ...item, status: 'billed' });
    const result = await cancelCharge(nurse, { chargeId: `${early.contactId}:S1a`, patient: ADULT });
    expect(result.refunds).toEqual([{ id: `${early.contactId}:S1a`, amount: 50, reason: 'CANCELLED' }]);
    expect(result.bearer).toBe(`${late.contactId}:S1a`);
    const stored = (await chargesOf(patient)).find((c) => c.identifier?.[0]?.value === `${early.contactId}:S1a`);
    expect(stored?.note?.at(-1)?.text).toContain('kr 50');
  });

  test('a retried save (same contactId) never duplicates, also when both tries run at once', async () => {
    const patient = await cleanPatient(used);
    const nurse = await clientFor('nurse-1', patient);
    const input = contact(patient, 'nurse-1', '09:00', { kind: 'home-visit', channel: 'in-person', lines: [{ code: 'S3', quantity: 1 }, { code: 'S6', quantity: 2 }] });
    const first = saved(await registerContact(nurse, input));
    expect(first.created.sort()).toEqual([`${input.contactId}:S3`, `${input.contactId}:S6`]);
    const again = saved(await registerContact(nurse, input));
    expect(again).toMatchObject({ created: [], alreadySaved: true, encounterId: first.encounterId });
    const other = contact(patient, 'nurse-1', '11:00');
    const both = await Promise.all([registerContact(nurse, other), registerContact(nurse, other)]);
    expect(both.map((r) => saved(r).created.length).sort()).toEqual([0, 1]);
    const items = await chargesOf(patient);
    expect(items).toHaveLength(3);
    const encounters = await epj.sandbox.fhir.store.search<Encounter>('Encounter', { identifier: `${SYSTEMS.contactId}|${other.contactId}` });
    expect(encounters).toHaveLength(1);
    expect(encounters[0]?.class?.code).toBe('VR'); // a phone contact
    const home = await epj.sandbox.fhir.store.search<Encounter>('Encounter', { identifier: `${SYSTEMS.contactId}|${input.contactId}` });
    expect(home.map((e) => e.class?.code)).toEqual(['HH']);
  });

  test('when the EPJ does not expose GP charges, the nurse is asked, and "yes" is recorded and waives the egenandel', async () => {
    const patient = await cleanPatient(used);
    const nurse = await clientFor('nurse-1', patient);
    const input = contact(patient, 'nurse-1', '09:00');
    const asked = await registerContact(nurse, input, { gpChargesExposed: false });
    expect(asked).toMatchObject({ status: 'needs-answer', question: 'Har pasienten allerede betalt egenandel i dag?' });
    expect(await chargesOf(patient)).toHaveLength(0);
    const answered = saved(await registerContact(nurse, { ...input, paidElsewhereToday: true }, { gpChargesExposed: false }));
    expect(answered.day).toEqual([expect.objectContaining({ id: `${input.contactId}:S1a`, charged: 0, reason: 'SAME_DAY' })]);
    expect(answered.bearer).toBeUndefined();
    const [account] = await epj.sandbox.fhir.store.search<Account>('Account', { identifier: `${COPAY_SYSTEMS.copayDay}|${patient}:${DAY}` });
    expect(account?.extension?.find((e) => e.url === COPAY_EXTENSIONS.paidElsewhere)?.valueBoolean).toBe(true);
    // A later contact that day does not ask again: the recorded "yes" stands.
    const later = saved(await registerContact(nurse, contact(patient, 'nurse-1', '14:00'), { gpChargesExposed: false }));
    expect(later.day.every((d) => d.charged === 0)).toBe(true);
  });
});

// Reliability (SPEC §6): 50 registrations through a proxy that fails 20 % of write requests, half of
// those failures AFTER the sandbox committed (dropped connection or 500 after forwarding), so the client
// cannot know whether its write happened. The ledger loop must end with no duplicate and no lost charge.
import type { ChargeItem, Encounter } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../sandbox/faultProxy';
import { osloDate } from '../../src/domain/calendar';
import { readTeamCharge } from '../../src/fhir/charges';
import { createFhirClient, type FhirClient } from '../../src/fhir/client';
import { registerContact, type RegisterContactSaved } from '../../src/fhir/contacts';
import { SYSTEMS } from '../../src/fhir/systems';
import { AS_OF, launchSession, startTestEpj, type TestEpj } from './copay-sandbox';

let epj: TestEpj;
let proxy: FaultProxy;
const PATIENT = 'pat-00007';

beforeAll(async () => {
  epj = await startTestEpj(50);
  proxy = await startFaultProxy({
    upstream: epj.sandbox.origin,
    pathPrefix: '/fhir',
    scope: 'writes',
    seed: 20260310,
    rates: { error500: 0.05, dropBefore: 0.05, dropAfter: 0.06, errorAfter: 0.04 },
  });
});

afterAll(async () => {
  await proxy?.close();
  await epj?.close();
});

test('with 20 % of writes failing (incl. after-commit drops), 50 registrations end with no duplicate and no lost charge', async () => {
  const sessions = await Promise.all([0, 1].map(() => launchSession(epj.sandbox, 'nurse-1', PATIENT, `${proxy.origin}/fhir`)));
  const clients: FhirClient[] = sessions.map((s) => createFhirClient(s, { retry: { maxAttempts: 6, baseDelayMs: 10, maxDelayMs: 200 } }));
  const before = await epj.sandbox.fhir.store.search<ChargeItem>('ChargeItem', { patient: `Patient/${PATIENT}`, _count: '5000' });
  const foreignToday = before.filter((c) => c.occurrenceDateTime && osloDate(c.occurrenceDateTime) === AS_OF);

  const t0 = performance.now();
  const run = async (client: FhirClient, side: number) => {
    const results: RegisterContactSaved[] = [];
    for (let i = 0; i < 25; i++) {
      const result = await registerContact(client, {
        contactId: crypto.randomUUID(),
        patientId: PATIENT,
        practitionerId: 'nurse-1',
        kind: 'follow-up',
        channel: side === 0 ? 'in-person' : 'phone',
        minutes: side === 0 ? 25 : undefined,
        start: `${AS_OF}T${String(10 + side).padStart(2, '0')}:${String(i * 2).padStart(2, '0')}:00+01:00`,
        lines: side === 0 ? [{ code: 'S2a', quantity: 1 }, { code: 'S2b', quantity: 1 }] : [{ code: 'S1a', quantity: 1 }],
        patient: { birthDate: '1948-02-02' },
      });
      if (result.status !== 'saved') throw new Error(result.status);
      results.push(result);
    }
    return results;
  };
  const results = (await Promise.all(clients.map((c, i) => run(c, i)))).flat();
  const ms = Math.round(performance.now() - t0);

  const sum = (pick: (r: RegisterContactSaved) => number) => results.reduce((s, r) => s + pick(r), 0);
  const figures = {
    ms,
    transactions: sum((r) => r.stats.attempts),
    conflicts: sum((r) => r.stats.conflicts),
    transientRetries: sum((r) => r.stats.transientRetries),
    dayReads: sum((r) => r.stats.reads),
    proxy: proxy.stats,
  };
  console.info(`[fault-copay] ${JSON.stringify(figures)}`);
  expect(Object.values(proxy.stats.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
  expect(proxy.stats.faults.dropAfter + proxy.stats.faults.errorAfter).toBeGreaterThan(3);

  const after = await epj.sandbox.fhir.store.search<ChargeItem>('ChargeItem', { patient: `Patient/${PATIENT}`, _count: '5000' });
  const today = after.filter((c) => c.occurrenceDateTime && osloDate(c.occurrenceDateTime) === AS_OF);
  const ours = today.filter((c) => c.identifier?.some((i) => i.system === SYSTEMS.chargeId));
  const expected = new Set(results.flatMap((r) => (r.contactId ? [`${r.contactId}:S1a`, `${r.contactId}:S2a`, `${r.contactId}:S2b`] : [])));
  const ids = ours.map((c) => c.identifier?.find((i) => i.system === SYSTEMS.chargeId)?.value ?? '');
  // No duplicate: 75 charges, 75 distinct chargeIds. No lost charge: each contact's lines are there.
  expect(ours).toHaveLength(75);
  expect(new Set(ids).size).toBe(75);
  for (const id of ids) expect(expected.has(id)).toBe(true);
  expect(today.length).toBe(75 + foreignToday.length);
  // Exactly one charge that day carries an egenandel (a settled EPJ charge, if the seed has one, else ours).
  expect(today.filter((c) => (readTeamCharge(c).charge?.charged ?? 0) > 0)).toHaveLength(1);

  const encounters = await epj.sandbox.fhir.store.search<Encounter>('Encounter', { subject: `Patient/${PATIENT}`, _count: '5000' });
  const contactIds = encounters.flatMap((e) => e.identifier?.filter((i) => i.system === SYSTEMS.contactId).map((i) => i.value) ?? []);
  const wanted = new Set(results.map((r) => r.contactId));
  expect(contactIds.filter((id) => id && wanted.has(id))).toHaveLength(50);
});

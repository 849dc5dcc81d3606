// The nurse's outreach worklist against the sandbox: built from the flags of the latest scan.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createFhirClient } from '../../src/fhir/client';
import { scanPopulation } from '../../src/fhir/population';
import { loadOutreachWorklist } from '../../src/fhir/targetGroupsOutreach';
import { recordOutreach } from '../../src/fhir/targetGroups';
import { AS_OF, launchSession, startTestEpj, type TestEpj } from './copay-sandbox';

let epj: TestEpj;
beforeAll(async () => {
  epj = await startTestEpj(300);
});
afterAll(async () => {
  await epj?.close();
});

test('no scan yet -> hasScan false; after a scan the weak demanders, and a recorded offer reads back', async () => {
  const nurse = createFhirClient(await launchSession(epj.sandbox, 'nurse-1', 'pat-00001'));
  expect(await loadOutreachWorklist(nurse, { userId: 'nurse-1', asOf: AS_OF })).toMatchObject({ hasScan: false, rows: [] });
  const gp = createFhirClient(await launchSession(epj.sandbox, 'gp-2', 'pat-00001'));
  const scan = await scanPopulation(gp, { kind: 'practice' }, { userId: 'gp-2', asOf: AS_OF });
  const weak = scan.rows.filter((r) => r.weakDemander).map((r) => r.patientId).sort();
  const list = await loadOutreachWorklist(nurse, { userId: 'nurse-1', asOf: AS_OF });
  expect(list.hasScan).toBe(true);
  expect(list.rows.map((r) => r.patientId).sort()).toEqual(weak);
  const first = list.rows[0];
  if (!first) throw new Error('no weak demander in the seed');
  const record = await recordOutreach(nurse, {
    patientId: first.patientId,
    need: 'follow-up-needed',
    offer: { kind: 'consultation', date: AS_OF, accepted: true },
    note: 'Ringt, avtalt time',
    user: { fhirUser: 'Practitioner/nurse-1', name: 'Siri Haugland' },
    now: new Date(),
  });
  expect(record).toMatchObject({ need: 'follow-up-needed', offer: { kind: 'consultation', accepted: true } });
  const again = await loadOutreachWorklist(nurse, { userId: 'nurse-1', asOf: AS_OF });
  expect(again.rows.find((r) => r.patientId === first.patientId)?.outreach?.need).toBe('follow-up-needed');
});

// Issue 17 item 6: a discharge without a date, triaged with the date the secretary enters: the deadline
// runs from that date and the row no longer says «utskrivningsdato mangler».
// Hand count: discharged Thu 19 Nov 2026 -> 3 working days -> Tue 24 Nov (20, 23, 24).
import { describe, expect, test } from 'vitest';
import type { Task } from '@medplum/fhirtypes';
import type { DischargeEpisode } from '../../../src/fhir/discharges';
import { buildDischargeFollowUpTask } from '../../../src/fhir/builders/task';
import { recordOf } from '../../../src/fhir/followUpsUpdate';
import { createFollowUpTask, inboxRow } from '../../../src/fhir/inbox';
import type { FhirClient } from '../../../src/fhir/client';
import { rowWithTask } from '../../../src/state/inboxStore';

const TODAY = '2026-11-23';
const episode: DischargeEpisode = {
  key: 'pat-1|org:org-ahus|2026-11-21',
  patientId: 'pat-1',
  institution: { id: 'org-ahus', name: 'Ahus' },
  messageDate: '2026-11-21T12:00:00+01:00',
  effectiveDate: '2026-11-21',
  deadline: '2026-11-25',
  signals: [{ resourceType: 'Encounter', id: 'enc-1' }],
  warnings: [],
  errors: [],
};

function creatingClient(): FhirClient {
  return {
    session: { fhirUser: 'Practitioner/secretary-1' },
    conditionalCreate: (task: Task) => Promise.resolve({ resource: { ...task, id: 't1', meta: { versionId: '1' } }, created: true }),
  } as unknown as FhirClient;
}

describe('triage with an entered discharge date', () => {
  test('the row shows the entered date and the deadline from it', async () => {
    const row = inboxRow(episode, { today: TODAY });
    expect(row.dischargeDateText).toBe('utskrivningsdato mangler');
    const result = await createFollowUpTask(creatingClient(), row, { by: 'secretary-1', confirmDate: '2026-11-19' }, { now: '2026-11-23T09:00:00+01:00' });
    expect(result.followUp.deadline).toBe('2026-11-24');
    const after = rowWithTask(row, result, TODAY);
    expect(after.dischargeDateText).toBe('19.11.2026');
    expect(after.needsDateConfirmation).toBe(false);
    expect(after.deadline).toBe('2026-11-24');
    expect(after.countdown).toEqual({ urgency: 'upcoming', workingDaysLeft: 1 });
  });

  test('after a reload, the row reads the confirmed date from the task', () => {
    const task = buildDischargeFollowUpTask({ episodeKey: episode.key, patientId: 'pat-1', signals: episode.signals, deadline: '2026-11-24', dischargeDate: '2026-11-19', requester: { practitionerId: 'secretary-1' }, authoredOn: '2026-11-23T09:00:00+01:00' });
    const record = recordOf({ ...task, id: 't1', meta: { versionId: '1' } });
    const row = inboxRow(episode, { today: TODAY, record });
    expect(row.dischargeDateText).toBe('19.11.2026');
    expect(row.needsDateConfirmation).toBe(false);
    expect(row.deadline).toBe('2026-11-24');
  });
});

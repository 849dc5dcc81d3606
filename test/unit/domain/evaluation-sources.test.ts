// The outreach and contact counts of the evaluation export (issue 18 item 4), as the target-groups and
// contact-copay slices compute them from their rows. Expected counts written by hand.
import { describe, expect, test } from 'vitest';
import { contactChannel, countContacts, countOutreach, outreachOutcome, type OutreachRow } from '../../../src/domain/financing/evaluationSources';

const row = (patientId: string, at: string, need: OutreachRow['need'], offerAccepted?: boolean, id = `${patientId}-${at}`): OutreachRow => ({
  patientId,
  date: at.slice(0, 10),
  at,
  id,
  need,
  ...(offerAccepted === undefined ? {} : { offerAccepted }),
});

describe('outreach outcomes', () => {
  test.each([
    [{ need: 'follow-up-needed', offerAccepted: true }, 'accepted'],
    [{ need: 'follow-up-needed', offerAccepted: false }, 'declined'],
    [{ need: 'follow-up-needed' }, 'notOffered'],
    [{ need: 'no-follow-up-needed' }, 'notOffered'],
    [{ need: 'not-reached' }, 'noAnswer'],
  ] as const)('%o -> %s', (r, expected) => expect(outreachOutcome(r)).toBe(expected));

  test('each patient once, by the latest assessment in the period; outside the period not counted', () => {
    const rows = [
      row('a', '2026-06-02T09:00:00.000Z', 'not-reached'),
      row('a', '2026-06-10T09:00:00.000Z', 'follow-up-needed', true), // a: accepted (latest)
      row('b', '2026-06-05T09:00:00.000Z', 'follow-up-needed', false), // b: declined
      row('c', '2026-06-05T09:00:00.000Z', 'no-follow-up-needed'), // c: not offered
      row('d', '2026-06-30T20:00:00.000Z', 'not-reached'), // d: no answer
      row('e', '2026-05-31T09:00:00.000Z', 'follow-up-needed', true), // before the period
      row('b', '2026-07-01T08:00:00.000Z', 'follow-up-needed', true), // after the period: b stays declined
    ];
    expect(countOutreach(rows, { from: '2026-06-01', to: '2026-06-30' })).toEqual({ notOffered: 1, accepted: 1, declined: 1, noAnswer: 1 });
  });

  test('two entries at the same instant: the larger id wins', () => {
    const rows = [row('a', '2026-06-02T09:00:00.000Z', 'not-reached', undefined, 'id-2'), row('a', '2026-06-02T09:00:00.000Z', 'follow-up-needed', true, 'id-1')];
    expect(countOutreach(rows, { from: '2026-06-01', to: '2026-06-30' })).toEqual({ notOffered: 0, accepted: 0, declined: 0, noAnswer: 1 });
  });
});

describe('contact channels', () => {
  test.each([
    ['home-visit', 'phone', 'home-visit'],
    ['group', 'video', 'group'],
    ['simple', 'phone', 'phone'],
    ['follow-up', 'video', 'video'],
    ['about-patient', 'written', 'written'],
    ['follow-up', null, 'in-person'],
    ['simple', 'in-person', 'in-person'],
  ] as const)('%s via %s -> %s', (kind, channel, expected) => expect(contactChannel(kind, channel)).toBe(expected));

  test('grouped rows add up per profession and channel, in the export order', () => {
    expect(
      countContacts([
        { role: 'nurse', kind: 'simple', channel: 'phone', n: 2 },
        { role: 'gp', kind: 'follow-up', channel: null, n: 4 },
        { role: 'nurse', kind: 'home-visit', channel: null, n: 5 },
        { role: 'nurse', kind: 'follow-up', channel: 'phone', n: 3 },
        { role: 'gp', kind: 'simple', channel: 'in-person', n: 1 },
      ]),
    ).toEqual([
      { profession: 'gp', channel: 'in-person', count: 5 },
      { profession: 'nurse', channel: 'phone', count: 5 },
      { profession: 'nurse', channel: 'home-visit', count: 5 },
    ]);
  });
});

// The care rules (issue 17 items 16-19): «trenger behandlingsplan» (SPEC §3: diabetes/KOLS without an active
// plan with goals), the recall groups by the SPEC §3 code table, the yearly check due 12 months after the last
// one, and the IP stages. Expected values written by hand.
import { describe, expect, it } from 'vitest';
import { addTwelveMonths, carePlanFacts, ipStage, needsCarePlan, recallGroupsOf, recallStatus, type CarePlanFact, type RecallEvent } from '../../../src/domain/care';

const ICPC = 'http://hl7.org/fhir/sid/icpc-2';
const ICD = 'urn:oid:2.16.578.1.12.4.1.1.7110';

describe('needsCarePlan', () => {
  const cases: [string, boolean, CarePlanFact[], boolean][] = [
    ['no diabetes/KOLS', false, [], false],
    ['diabetes, no plan', true, [], true],
    ['diabetes, active plan with a goal', true, [{ status: 'active', goals: ['HbA1c under 53'] }], false],
    ['diabetes, active plan with only blank goals', true, [{ status: 'active', goals: ['  '] }], true],
    ['diabetes, only an ended plan', true, [{ status: 'ended', goals: ['HbA1c under 53'] }], true],
    ['KOLS, one ended and one active plan', true, [{ status: 'ended', goals: ['a'] }, { status: 'active', goals: ['Røykeslutt'] }], false],
  ];
  it.each(cases)('%s', (_, disease, plans, expected) => expect(needsCarePlan(disease, plans)).toBe(expected));

  it('gives the target-group facts shape', () => {
    expect(carePlanFacts([{ status: 'active', goals: ['a'] }, { status: 'ended', goals: [] }])).toEqual([
      { active: true, hasGoals: true },
      { active: false, hasGoals: false },
    ]);
  });
});

describe('recallGroupsOf', () => {
  const cases: [string, { system?: string; code?: string }[], string[]][] = [
    ['ICPC-2 T90 is diabetes', [{ system: ICPC, code: 'T90' }], ['diabetes']],
    ['ICD-10 E11.9 is diabetes (prefix)', [{ system: ICD, code: 'E11.9' }], ['diabetes']],
    ['ICPC-2 R95 is KOLS, K77 heart failure', [{ system: ICPC, code: 'R95' }, { system: ICPC, code: 'k77' }], ['kols', 'heart-failure']],
    ['asthma is not a default recall group', [{ system: ICPC, code: 'R96' }], []],
    ['an unknown code system counts for nothing', [{ system: 'http://example.org', code: 'T90' }], []],
  ];
  it.each(cases)('%s', (_, codings, expected) => expect(recallGroupsOf(codings, ['diabetes', 'kols', 'heart-failure'])).toEqual(expected));
});

describe('yearly check due dates', () => {
  it.each([
    ['2025-11-01', '2026-11-01'],
    ['2024-02-29', '2025-02-28'],
    ['2025-12-31', '2026-12-31'],
  ])('%s + 12 months = %s', (from, to) => expect(addTwelveMonths(from)).toBe(to));

  const ev = (state: RecallEvent['state'], date: string, recordedAt: string, by = 'Practitioner/nurse-1'): RecallEvent => ({ state, date, by, recordedAt });
  const cases: [string, RecallEvent[], object][] = [
    ['never checked: due now', [], { lastCheck: null, due: null, urgency: 'due', state: null }],
    ['checked 2025-11-01: overdue on 2026-11-23', [ev('done', '2025-11-01', '2025-11-01T10:00:00Z')], { lastCheck: '2025-11-01', due: '2026-11-01', urgency: 'overdue', state: null }],
    ['checked 2025-12-10: due within 30 days', [ev('done', '2025-12-10', '2025-12-10T10:00:00Z')], { due: '2026-12-10', urgency: 'due' }],
    ['checked 2026-01-10: not due yet', [ev('done', '2026-01-10', '2026-01-10T10:00:00Z')], { due: '2027-01-10', urgency: 'not-due' }],
    [
      'called then booked after the last check',
      [ev('done', '2025-11-01', '2025-11-01T10:00:00Z'), ev('called', '2026-11-02', '2026-11-02T10:00:00Z', 'Practitioner/sec-1'), ev('booked', '2026-12-01', '2026-11-05T10:00:00Z', 'Practitioner/sec-1')],
      { lastCheck: '2025-11-01', lastCheckedBy: 'Practitioner/nurse-1', state: 'booked', stateDate: '2026-12-01', urgency: 'overdue' },
    ],
    [
      'a check after the call ends the cycle',
      [ev('done', '2025-11-01', '2025-11-01T10:00:00Z'), ev('called', '2026-11-02', '2026-11-02T10:00:00Z'), ev('done', '2026-11-20', '2026-11-20T10:00:00Z', 'Practitioner/gp-1')],
      { lastCheck: '2026-11-20', lastCheckedBy: 'Practitioner/gp-1', due: '2027-11-20', urgency: 'not-due', state: null },
    ],
    [
      // Issue 17 item 18: booked for 01.12, the patient came in on 23.11 and had the check then; the booking
      // belonged to the cycle the check closed, so nothing is pending.
      'a check before the booked appointment uses the booking up',
      [ev('called', '2026-11-02', '2026-11-02T10:00:00Z'), ev('booked', '2026-12-01', '2026-11-05T10:00:00Z'), ev('done', '2026-11-23', '2026-11-23T09:00:00Z', 'Practitioner/gp-1')],
      { lastCheck: '2026-11-23', due: '2027-11-23', urgency: 'not-due', state: null, stateDate: null },
    ],
    [
      'the same, all on the day of the check',
      [ev('called', '2026-11-23', '2026-11-23T08:00:00Z'), ev('booked', '2026-12-01', '2026-11-23T08:05:00Z'), ev('done', '2026-11-23', '2026-11-23T08:10:00Z')],
      { lastCheck: '2026-11-23', state: null },
    ],
    [
      'a booking made after a check registered late still counts (the check dated a year back)',
      [ev('called', '2026-11-02', '2026-11-02T10:00:00Z'), ev('booked', '2026-12-01', '2026-11-05T10:00:00Z'), ev('done', '2025-11-20', '2026-11-10T10:00:00Z')],
      { lastCheck: '2025-11-20', due: '2026-11-20', urgency: 'overdue', state: 'booked', stateDate: '2026-12-01' },
    ],
  ];
  it.each(cases)('%s', (_, events, expected) => expect(recallStatus(events, '2026-11-23')).toMatchObject(expected));
});

describe('ipStage', () => {
  it.each([
    [{ reportedOn: null, coordinatorName: null }, 'needed'],
    [{ reportedOn: '2026-11-02', coordinatorName: null }, 'reported'],
    [{ reportedOn: '2026-11-02', coordinatorName: 'Kari Koordinator' }, 'coordinator'],
  ] as const)('%o is %s', (ip, stage) => expect(ipStage(ip)).toBe(stage));
});

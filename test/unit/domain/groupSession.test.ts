// Group sessions (issue 17 item 20): each participant's egenandel for one S4, written by hand from SPEC §5
// (S4 for each participant) and §6 (one egenandel a patient-day; B under 16, F frikort; SAME_DAY when the
// team already charged that day). S4's egenandel in the default catalogue is 50 kr (demo value).
import { describe, expect, test } from 'vitest';
import { decideGroupCopay, GROUP_SESSION_LINES, rosterProblems, type GroupParticipantDay } from '../../../src/domain/groupSession';

const AT = '2026-03-02T13:00:00+01:00';
const adult = (patientId: string, over: Partial<GroupParticipantDay> = {}): GroupParticipantDay => ({ patientId, patient: { birthDate: '1950-05-05' }, dayCharges: [], ...over });

describe('group session egenandel per participant (SPEC §5, §6)', () => {
  test('each participant gets one S4', () => {
    expect(GROUP_SESSION_LINES).toEqual([{ code: 'S4', quantity: 1 }]);
  });

  test('three adults with nothing else that day: each pays the S4 egenandel in full', () => {
    expect(decideGroupCopay([adult('a'), adult('b'), adult('c')], 50, AT)).toEqual([
      { patientId: 'a', kind: 'charged', amount: 50 },
      { patientId: 'b', kind: 'charged', amount: 50 },
      { patientId: 'c', kind: 'charged', amount: 50 },
    ]);
  });

  test('a participant who already paid an egenandel today (the GP, 09:00) gets none: SAME_DAY', () => {
    const paid = adult('b', { dayCharges: [{ id: 'gp:2ad', at: '2026-03-02T09:00:00+01:00', egenandel: 160 }] });
    expect(decideGroupCopay([adult('a'), paid], 50, AT)).toEqual([
      { patientId: 'a', kind: 'charged', amount: 50 },
      { patientId: 'b', kind: 'waived', amount: 50, reason: 'SAME_DAY', reasonLabel: 'Egenandel allerede belastet i dag (teamet)' },
    ]);
  });

  test('a contact later the same day does not take the egenandel from the earlier group session', () => {
    const later = adult('a', { dayCharges: [{ id: 'n:S1a', at: '2026-03-02T15:00:00+01:00', egenandel: 50 }] });
    expect(decideGroupCopay([later], 50, AT)).toEqual([{ patientId: 'a', kind: 'charged', amount: 50 }]);
  });

  test('a settled charge later that day stays the bearer: the group session is waived', () => {
    const settled = adult('a', { dayCharges: [{ id: 'n:S1a', at: '2026-03-02T15:00:00+01:00', egenandel: 50, settled: true }] });
    expect(decideGroupCopay([settled], 50, AT)).toEqual([{ patientId: 'a', kind: 'waived', amount: 50, reason: 'SAME_DAY', reasonLabel: 'Egenandel allerede belastet i dag (teamet)' }]);
  });

  test('a cancelled charge earlier that day does not count', () => {
    const cancelled = adult('a', { dayCharges: [{ id: 'n:S1a', at: '2026-03-02T09:00:00+01:00', egenandel: 50, cancelled: true }] });
    expect(decideGroupCopay([cancelled], 50, AT)).toEqual([{ patientId: 'a', kind: 'charged', amount: 50 }]);
  });

  test('answered «already paid today» elsewhere: none', () => {
    expect(decideGroupCopay([adult('a', { needsAnswer: true, paidElsewhere: true })], 50, AT)).toEqual([
      { patientId: 'a', kind: 'waived', amount: 50, reason: 'SAME_DAY', reasonLabel: 'Egenandel allerede belastet i dag (teamet)' },
    ]);
  });

  test('the question unanswered: unknown; answered no: charged', () => {
    expect(decideGroupCopay([adult('a', { needsAnswer: true }), adult('b', { needsAnswer: true, paidElsewhere: false })], 50, AT)).toEqual([
      { patientId: 'a', kind: 'unknown' },
      { patientId: 'b', kind: 'charged', amount: 50 },
    ]);
  });

  test('exempt participants get none: frikort (F) valid that day, under 16 (B) on the session date', () => {
    const frikort = adult('f', { patient: { birthDate: '1950-05-05', exemptions: [{ code: 'F', from: '2026-01-10' }] } });
    // 16 years on 2026-03-03: still 15 on the session date.
    const child = adult('k', { patient: { birthDate: '2010-03-03' } });
    // 16 years on the session date: no longer exempt.
    const sixteen = adult('s', { patient: { birthDate: '2010-03-02' } });
    expect(decideGroupCopay([frikort, child, sixteen], 50, AT)).toEqual([
      { patientId: 'f', kind: 'waived', amount: 50, reason: 'F', reasonLabel: 'Frikort' },
      { patientId: 'k', kind: 'waived', amount: 50, reason: 'B', reasonLabel: 'Under 16 år' },
      { patientId: 's', kind: 'charged', amount: 50 },
    ]);
  });

  test('a frikort that ended the day before does not exempt', () => {
    const ended = adult('f', { patient: { birthDate: '1950-05-05', exemptions: [{ code: 'F', from: '2025-03-02', to: '2026-03-01' }] } });
    expect(decideGroupCopay([ended], 50, AT)).toEqual([{ patientId: 'f', kind: 'charged', amount: 50 }]);
  });

  test('a catalogue without egenandel for S4: nothing to decide', () => {
    expect(decideGroupCopay([adult('a')], 0, AT)).toEqual([{ patientId: 'a', kind: 'none' }]);
  });
});

describe('roster checks', () => {
  test('empty, duplicate and too many', () => {
    expect(rosterProblems([])).toEqual([{ message: 'Legg til minst én deltaker.' }]);
    expect(rosterProblems(['a', 'b', 'a'])).toEqual([{ patientId: 'a', message: 'Samme pasient står to ganger på deltakerlisten.' }]);
    const many = Array.from({ length: 21 }, (_, i) => `p${i}`);
    expect(rosterProblems(many)).toEqual([{ message: 'En gruppetime kan ha høyst 20 deltakere.' }]);
    expect(rosterProblems(['a', 'b'])).toEqual([]);
  });
});

// The patient panel's one answer into the browser's cache (issue 19 point 1): each part that succeeded
// under the key its section reads, nothing for a part that failed (the section then reads it itself and
// shows its own message), today's charges only for the day the form shows, and the app server's co-payment
// facts under the contact form's key.
import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { seedPanel, type PanelAnswer } from '../../../src/features/patient-panel/api';
import { dropSessionPanel, takeSessionPanel, rememberSessionPanel } from '../../../src/platform/panelPrefetch';

const api = { handle: 'h1' };
const req = { patientId: 'p1', birthDate: '1950-02-03', registers: true, day: '2026-03-10' };
describe('seedPanel', () => {
  test('puts each answered part under its section’s key, and leaves out a failed part', () => {
    const qc = new QueryClient();
    const answer: PanelAnswer = {
      patientId: 'p1',
      day: '2026-03-10',
      parts: {
        capabilities: { status: 200, body: { capabilities: { notes: [], unavailableFacts: [], readable: [] } } },
        targetGroups: { status: 502, body: { error: 'Journalsystemet svarte ikke.' } },
        care: { status: 200, body: { plans: [] } },
        followUp: { status: 200, body: { tasks: [] } },
        day: { status: 200, body: { patientId: 'p1', day: '2026-03-10', charges: [] } },
        copayFacts: { status: 200, body: { birthDate: '1950-02-03', exemptions: [{ code: 'F', from: '2026-01-15' }], exemptionsKnown: true } },
      },
    };
    expect(seedPanel(qc, api, req, answer).sort()).toEqual(['capabilities', 'care', 'copayFacts', 'day', 'followUp']);
    expect(qc.getQueryData(['follow-up', 'h1', 'patient', 'p1'])).toEqual({ tasks: [] });
    expect(qc.getQueryData(['care', 'h1', 'patient', 'p1'])).toEqual({ plans: [] });
    expect(qc.getQueryData(['contact-copay', 'day', 'h1', 'p1', '2026-03-10'])).toEqual({ patientId: 'p1', day: '2026-03-10', charges: [] });
    expect(qc.getQueryData(['capabilities', 'h1'])).toEqual({ capabilities: { notes: [], unavailableFacts: [], readable: [] } });
    expect(qc.getQueryData(['contact-copay', 'copay-facts', 'h1', 'p1'])).toEqual({ birthDate: '1950-02-03', exemptions: [{ code: 'F', from: '2026-01-15' }], exemptionsKnown: true });
    expect(qc.getQueryData(['target-groups', 'h1', 'patient', 'p1'])).toBeUndefined();
  });

  test('today’s charges of another day than the form’s are not used', () => {
    const qc = new QueryClient();
    const answer: PanelAnswer = { patientId: 'p1', day: '2026-03-09', parts: { day: { status: 200, body: { patientId: 'p1', day: '2026-03-09', charges: [] } } } };
    expect(seedPanel(qc, api, req, answer)).toEqual([]);
    expect(qc.getQueryData(['contact-copay', 'day', 'h1', 'p1', '2026-03-10'])).toBeUndefined();
  });
});

describe('an answer seeded as data of the time it arrived (the session’s, shown after another view)', () => {
  const answer: PanelAnswer = {
    patientId: 'p1',
    day: '2026-03-10',
    parts: {
      targetGroups: { status: 200, body: { groups: ['old'] } },
      care: { status: 200, body: { plans: ['old'] } },
    },
  };

  test('keeps a part the cache holds newer data for, and puts the others in with the answer’s time', () => {
    const qc = new QueryClient();
    // Read after the answer arrived (at 1 000 ms): the GP answered a medication review in «Mine oppgaver» meanwhile.
    qc.setQueryData(['target-groups', 'h1', 'patient', 'p1'], { groups: ['new'] }, { updatedAt: 5_000 });
    expect(seedPanel(qc, api, req, answer, 1_000)).toEqual(['care']);
    expect(qc.getQueryData(['target-groups', 'h1', 'patient', 'p1'])).toEqual({ groups: ['new'] });
    expect(qc.getQueryState(['care', 'h1', 'patient', 'p1'])?.dataUpdatedAt).toBe(1_000);
  });

  beforeEach(() => vi.useFakeTimers({ now: 100_000, toFake: ['Date'] }));
  afterEach(() => vi.useRealTimers());

  test('an old part is stale by its section’s staleTime, so the section reads it again', () => {
    const qc = new QueryClient();
    seedPanel(qc, api, req, answer, 40_000);
    // The target groups are fresh for 5 s (patientTargetGroupsQuery): an answer a minute old is stale.
    expect(qc.getQueryCache().find({ queryKey: ['target-groups', 'h1', 'patient', 'p1'] })?.isStaleByTime(5_000)).toBe(true);
    seedPanel(qc, api, req, { ...answer, parts: { care: answer.parts.care } });
    expect(qc.getQueryCache().find({ queryKey: ['care', 'h1', 'patient', 'p1'] })?.isStaleByTime(5_000)).toBe(false);
  });
});

describe('the session’s panel answer', () => {
  test('is given once, for its patient only', () => {
    rememberSessionPanel('p1', { patientId: 'p1' }, 1_000);
    expect(takeSessionPanel('p2')).toBeUndefined();
    expect(takeSessionPanel('p1')).toEqual({ answer: { patientId: 'p1' }, receivedAt: 1_000 });
    expect(takeSessionPanel('p1')).toBeUndefined();
  });

  test('is dropped when the user opens another view before the panel shows', () => {
    rememberSessionPanel('p1', { patientId: 'p1' }, 1_000);
    dropSessionPanel();
    expect(takeSessionPanel('p1')).toBeUndefined();
  });
});

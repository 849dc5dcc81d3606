// The patient panel's one answer into the browser's cache (issue 19 point 1): each part that succeeded
// under the key its section reads, nothing for a part that failed (the section then reads it itself and
// shows its own message), today's charges only for the day the form shows, and the app server's co-payment
// facts under the contact form's key.
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, test } from 'vitest';
import { seedPanel, type PanelAnswer } from '../../../src/features/patient-panel/api';
import { takeSessionPanel, rememberSessionPanel } from '../../../src/platform/panelPrefetch';

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

describe('the session’s panel answer', () => {
  test('is given once, for its patient only', () => {
    rememberSessionPanel('p1', { patientId: 'p1' });
    expect(takeSessionPanel('p2')).toBeUndefined();
    expect(takeSessionPanel('p1')).toEqual({ patientId: 'p1' });
    expect(takeSessionPanel('p1')).toBeUndefined();
  });
});

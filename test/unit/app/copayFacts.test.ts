// The co-payment facts the app server read (issue 16): when the EPJ does not give the exemptions, the user's
// «Pasienten har frikort denne dagen» becomes a frikort (Volven 7461 F) for that day only; when it does,
// the tick changes nothing.
import { describe, expect, test } from 'vitest';
import { copayPatientOf } from '../../../src/features/patient-panel/contact/useContactDay';

describe('copayPatientOf', () => {
  const unknown = { birthDate: '1966-03-03', exemptions: [], exemptionsKnown: false, unknownReason: 'not-available' as const };
  test('unknown exemptions, not ticked: no exemption, still unknown with the reason', () => {
    expect(copayPatientOf(unknown, '2026-11-25', false)).toEqual({ patient: { birthDate: '1966-03-03', exemptions: [] }, exemptionsKnown: false, unknownReason: 'not-available' });
  });
  test('unknown exemptions, ticked: frikort F on that day only', () => {
    expect(copayPatientOf(unknown, '2026-11-25', true).patient.exemptions).toEqual([{ code: 'F', from: '2026-11-25', to: '2026-11-25' }]);
  });
  test('known exemptions: the EPJ decides, the tick is ignored', () => {
    const known = { exemptions: [{ code: 'F', from: '2026-06-01', to: '2026-12-31' }], exemptionsKnown: true };
    expect(copayPatientOf(known, '2026-11-25', true)).toEqual({ patient: { exemptions: [{ code: 'F', from: '2026-06-01', to: '2026-12-31' }] }, exemptionsKnown: true });
  });
});

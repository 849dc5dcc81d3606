// Issue 17 item 10: only the one who registered a charge, or the daglig leder, may cancel it (the server's
// cancel route applies this rule; test/integration/db-contact-copay.test.ts tests it through the API).
import { describe, expect, test } from 'vitest';
import { mayCancelCharge } from '../../../src/domain/chargeCancel';

describe('mayCancelCharge', () => {
  test.each([
    ['the GP who registered it', { practitionerId: 'gp-1', practiceManager: false }, true],
    ['a nurse', { practitionerId: 'nurse-1', practiceManager: false }, false],
    ['another GP', { practitionerId: 'gp-2', practiceManager: false }, false],
    ['the daglig leder', { practitionerId: 'nurse-1', practiceManager: true }, true],
  ])('%s: %s', (_who, user, allowed) => {
    expect(mayCancelCharge({ registeredBy: 'gp-1' }, user)).toBe(allowed);
  });
  test('a charge with no known registrant can only be cancelled by the daglig leder', () => {
    expect(mayCancelCharge({}, { practitionerId: 'gp-1', practiceManager: false })).toBe(false);
    expect(mayCancelCharge({}, { practitionerId: 'gp-1', practiceManager: true })).toBe(true);
  });
});

import { describe, expect, test } from 'vitest';
import { suggestNurseTariffs, timeTariffCount, type ContactFacts, type TariffLine } from '../../../src/domain/tariffs';

// SPEC §5 [decision] suggestion table, one row per case, including the awkward ones.
const cases: [string, ContactFacts, TariffLine[]][] = [
  ['simple contact, no channel', { kind: 'simple' }, [{ code: 'S1a', quantity: 1 }]],
  ['simple contact by phone', { kind: 'simple', channel: 'phone' }, [{ code: 'S1a', quantity: 1 }]],
  ['simple contact in person, long', { kind: 'simple', channel: 'in-person', minutes: 45 }, [{ code: 'S1a', quantity: 1 }]],
  ['simple contact by video', { kind: 'simple', channel: 'video' }, [{ code: 'S1a', quantity: 1 }]],
  ['simple contact in writing', { kind: 'simple', channel: 'written' }, [{ code: 'S1a', quantity: 1 }]],
  ['follow-up by phone', { kind: 'follow-up', channel: 'phone', minutes: 30 }, [{ code: 'S1a', quantity: 1 }]],
  ['follow-up in writing', { kind: 'follow-up', channel: 'written', minutes: 50 }, [{ code: 'S1a', quantity: 1 }]],
  ['follow-up in person', { kind: 'follow-up', channel: 'in-person', minutes: 15 }, [{ code: 'S2a', quantity: 1 }]],
  ['follow-up, missing channel = in person', { kind: 'follow-up', minutes: 30 }, [{ code: 'S2a', quantity: 1 }, { code: 'S2b', quantity: 1 }]],
  ['follow-up by video, 45 min', { kind: 'follow-up', channel: 'video', minutes: 45 }, [{ code: 'S2a', quantity: 1 }, { code: 'S2b', quantity: 2 }]],
  ['call/letter about the patient', { kind: 'about-patient', channel: 'phone', minutes: 40 }, [{ code: 'S1b', quantity: 1 }]],
  ['about the patient in writing', { kind: 'about-patient', channel: 'written' }, [{ code: 'S1b', quantity: 1 }]],
  ['home visit, not travelled', { kind: 'home-visit', minutes: 20 }, [{ code: 'S3', quantity: 1 }]],
  ['home visit, travelled', { kind: 'home-visit', travelled: true }, [{ code: 'S3', quantity: 1 }, { code: 'S6', quantity: 2 }]],
  ['home visit, travelled, 61 min', { kind: 'home-visit', travelled: true, minutes: 61 }, [{ code: 'S3', quantity: 1 }, { code: 'S6', quantity: 2 }, { code: 'S2b', quantity: 3 }]],
  ['home visit, not travelled, 25 min', { kind: 'home-visit', travelled: false, minutes: 25 }, [{ code: 'S3', quantity: 1 }, { code: 'S2b', quantity: 1 }]],
  ['group session', { kind: 'group', minutes: 90 }, [{ code: 'S4', quantity: 1 }]],
  ['interdisciplinary meeting', { kind: 'meeting', minutes: 60 }, [{ code: 'S5', quantity: 1 }]],
  ['team consultation', { kind: 'team-consultation' }, [{ code: 'S2a', quantity: 1 }]],
  ['team consultation, long: S2a alone', { kind: 'team-consultation', minutes: 75, channel: 'in-person' }, [{ code: 'S2a', quantity: 1 }]],
];

describe('suggestNurseTariffs (SPEC §5)', () => {
  test.each(cases)('%s', (_name, contact, expected) => {
    expect(suggestNurseTariffs(contact)).toEqual(expected);
  });

  test('never a zero quantity, base code first', () => {
    for (const [, contact] of cases) {
      const lines = suggestNurseTariffs(contact);
      expect(lines.every((l) => l.quantity > 0)).toBe(true);
      expect(lines[0]?.code).toBeOneOf(['S1a', 'S1b', 'S2a', 'S3', 'S4', 'S5']);
    }
  });
});

describe('S2b: started 20-minute periods beyond the first 20 minutes', () => {
  test.each([
    [undefined, 0],
    [0, 0],
    [20, 0],
    [20.5, 1],
    [21, 1],
    [40, 1],
    [41, 2],
    [60, 2],
    [61, 3],
  ])('%s min -> %i', (minutes, count) => {
    expect(timeTariffCount(minutes)).toBe(count);
    const lines = suggestNurseTariffs(minutes === undefined ? { kind: 'follow-up' } : { kind: 'follow-up', minutes });
    expect(lines.find((l) => l.code === 'S2b')?.quantity ?? 0).toBe(count);
    expect(lines.some((l) => l.quantity === 0)).toBe(false);
  });

  test.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s minutes', (minutes) => {
    expect(() => suggestNurseTariffs({ kind: 'follow-up', minutes })).toThrow(RangeError);
  });
});

// Issue 17 item 3: before saving, the tariff table shows the egenandel that will be charged (the
// one-egenandel-a-day decision, SPEC §6), not the tariff's egenandel.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { TariffSuggestion } from '../../../src/features/patient-panel/contact/TariffSuggestion';
import { decidedEgenandel } from '../../../src/features/contact-copay/model';
import { defaultCatalogues } from '../../../src/domain/tariffs';
import { initialContactValues, suggestionView } from '../../../src/state/contactForm';

const DAY = '2026-03-10';
const ADULT = { birthDate: '1950-05-05' };
const AT = `${DAY}T12:00:00+01:00`;
const empty = { day: DAY, dayCharges: [], gpChargesVisible: true };
const earlierToday = { ...empty, dayCharges: [{ id: 'c1:S3', at: `${DAY}T09:00:00+01:00`, egenandel: 100 }] };

describe('decidedEgenandel', () => {
  test.each<[string, Parameters<typeof decidedEgenandel>[0], [string, number][]]>([
    ['first of the day: the line with egenandel pays it', empty, [['S2a', 100], ['S6', 0]]],
    ['an earlier charge today bears it: nothing charged', earlierToday, [['S2a', 0], ['S6', 0]]],
  ])('%s', (_name, today, expected) => {
    expect([...(decidedEgenandel(today, [{ code: 'S2a', egenandel: 100 }, { code: 'S6', egenandel: 0 }], AT, ADULT) ?? [])]).toEqual(expected);
  });
  test('unknown while GP charges are hidden and the question is not answered', () => {
    expect(decidedEgenandel({ ...empty, gpChargesVisible: false }, [{ code: 'S2a', egenandel: 100 }], AT, ADULT)).toBeUndefined();
  });
});

describe('the tariff table shows the decision', () => {
  test('already paid today: the egenandel cells say kr 0, the tariff value only as a note', () => {
    const view = suggestionView('nurse', initialContactValues(`${DAY}T12:00`, false), defaultCatalogues);
    const line = view.lines[0];
    if (!line || line.egenandel === 0) throw new Error('the test needs a suggested line with egenandel');
    const decided = new Map(view.lines.map((l) => [l.code, 0]));
    const html = renderToStaticMarkup(
      <TariffSuggestion view={view} chosen={view.suggested} role="nurse" reason="" errors={{}} disabled={false} preview={undefined} decided={decided} onLines={() => {}} onReason={() => {}} />,
    );
    const cell = new RegExp(`data-testid="tariff-egenandel-${line.code}">([^<]*)`).exec(html)?.[1];
    expect(cell).toBe('kr 0');
    expect(/data-testid="tariff-egenandel-total">([^<]*)/.exec(html)?.[1]).toBe('kr 0');
  });
});

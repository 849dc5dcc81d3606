import { describe, expect, test } from 'vitest';
import { pilot2018Catalogue, priceLines, suggestNurseTariffs, TariffNotInForceError, timeTariffCount } from '../../../src/domain/tariffs';

// Edges of the nurse tariffs that the mutation run (npm run mutation) showed untested. SPEC §5: "follow-up
// in person or by video: S2a, plus S2b per started 20 minutes beyond the first 20"; "home visit: S3, plus S6
// x2 if the nurse travelled, plus S2b as for S2a". Amounts from the default catalogue (Table 1: S2a 152,
// S2b 70, S3 152, S6 152; the egenandeler are the catalogue's demo values: S2a 100, S3 100, S2b and S6 0).

describe('timeTariffCount: started 20-minute periods beyond the first 20 minutes', () => {
  test.each([
    [undefined, 0],
    [0, 0],
    [19, 0],
    [20, 0],
    [20.5, 1],
    [21, 1],
    [39, 1],
    [40, 1],
    [41, 2],
    [60, 2],
    [61, 3],
    [100, 4],
  ])('%s minutes -> %i x S2b', (minutes, count) => {
    expect(timeTariffCount(minutes)).toBe(count);
  });

  test.each([
    [-1, 'Ugyldig varighet: -1 minutter'],
    [Number.NaN, 'Ugyldig varighet: NaN minutter'],
    [Number.POSITIVE_INFINITY, 'Ugyldig varighet: Infinity minutter'],
  ])('%s minutes is refused', (minutes, message) => {
    expect(() => timeTariffCount(minutes)).toThrow(RangeError);
    expect(() => timeTariffCount(minutes)).toThrow(message);
    expect(() => suggestNurseTariffs({ kind: 'follow-up', minutes })).toThrow(message);
  });

  test('the time tariff follows S2a and S3 only', () => {
    expect(suggestNurseTariffs({ kind: 'follow-up', channel: 'video', minutes: 21 })).toEqual([
      { code: 'S2a', quantity: 1 },
      { code: 'S2b', quantity: 1 },
    ]);
    expect(suggestNurseTariffs({ kind: 'follow-up', channel: 'phone', minutes: 61 })).toEqual([{ code: 'S1a', quantity: 1 }]);
    expect(suggestNurseTariffs({ kind: 'home-visit', travelled: false, minutes: 41 })).toEqual([
      { code: 'S3', quantity: 1 },
      { code: 'S2b', quantity: 2 },
    ]);
  });
});

describe('priceLines', () => {
  test('home visit, travelled, 41 min: S3 + 2 x S6 + 2 x S2b', () => {
    const priced = priceLines(suggestNurseTariffs({ kind: 'home-visit', travelled: true, minutes: 41 }), pilot2018Catalogue, '2026-11-25');
    expect(priced.lines.map((l) => [l.code, l.quantity, l.honorar, l.egenandel, l.refusjon, l.total, l.profession, l.egenandelIsDemo])).toEqual([
      ['S3', 1, 152, 100, 52, 152, 'nurse', true],
      ['S6', 2, 304, 0, 304, 304, 'nurse', true],
      ['S2b', 2, 140, 0, 140, 140, 'nurse', true],
    ]);
    expect(priced.lines.map((l) => l.text)).toEqual(['Hjemmebesøk', 'Reisetid ifm hjemmebesøk', 'Tidstakst']);
    expect(priced.total).toEqual({ honorar: 596, egenandel: 100, refusjon: 496 });
    expect([priced.catalogueId, priced.catalogueVersion]).toEqual(['pilot-2018', '2018.1']);
  });

  test('two units of a tariff with an egenandel: every amount doubles', () => {
    expect(priceLines([{ code: 'S2a', quantity: 2 }], pilot2018Catalogue, '2026-11-25').lines[0]).toMatchObject({
      quantity: 2,
      unit: { honorar: 152, egenandel: 100, refusjon: 52 },
      honorar: 304,
      egenandel: 200,
      refusjon: 104,
      total: 304,
    });
  });

  test('no lines: zero totals', () => {
    expect(priceLines([], pilot2018Catalogue, '2026-11-25')).toEqual({
      catalogueId: 'pilot-2018',
      catalogueVersion: '2018.1',
      lines: [],
      total: { honorar: 0, egenandel: 0, refusjon: 0 },
    });
  });

  test.each([
    [0, 'Ugyldig antall for S2a: 0'],
    [1.5, 'Ugyldig antall for S2a: 1.5'],
  ])('quantity %s is refused by name', (quantity, message) => {
    expect(() => priceLines([{ code: 'S2a', quantity }], pilot2018Catalogue, '2026-11-25')).toThrow(message);
  });

  test('a code not in force names the code, the date and the catalogue', () => {
    let error: unknown;
    try {
      priceLines([{ code: 'S1a', quantity: 1 }, { code: 'S9', quantity: 1 }], pilot2018Catalogue, '2026-11-25');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TariffNotInForceError);
    expect(error).toMatchObject({
      name: 'TariffNotInForceError',
      code: 'S9',
      serviceDate: '2026-11-25',
      message: 'Takst S9 finnes ikke eller gjelder ikke 2026-11-25 i takstkatalogen pilot-2018',
    });
  });

  test('the catalogue starts on 2018-04-01: the day before is refused, the day itself priced', () => {
    expect(() => priceLines([{ code: 'S2a', quantity: 1 }], pilot2018Catalogue, '2018-03-31')).toThrow(
      'Takst S2a finnes ikke eller gjelder ikke 2018-03-31 i takstkatalogen pilot-2018',
    );
    expect(priceLines([{ code: 'S2a', quantity: 1 }], pilot2018Catalogue, '2018-04-01').total.honorar).toBe(152);
  });
});

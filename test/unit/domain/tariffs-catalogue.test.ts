import { describe, expect, test } from 'vitest';
import pilotJson from '../../../src/domain/tariffs/catalogues/pilot-2018.json';
import {
  CatalogueError,
  catalogueInForce,
  claimableFromHelfo,
  defaultCatalogues,
  invalidCombinations,
  parseCatalogue,
  pilot2018Catalogue,
  priceLines,
  suggestNurseTariffs,
  tariffInForce,
  TariffNotInForceError,
  type Catalogue,
} from '../../../src/domain/tariffs';
import type { CopayDecision } from '../../../src/domain/copay';

/** A fresh, mutable copy of the default file (test-data builder with overrides). */
function pilotCopy(): Record<string, unknown> & { tariffs: Record<string, unknown>[] } {
  return structuredClone(pilotJson) as unknown as Record<string, unknown> & { tariffs: Record<string, unknown>[] };
}

function refusal(json: unknown): CatalogueError {
  try {
    parseCatalogue(json);
  } catch (e) {
    if (e instanceof CatalogueError) return e;
    throw e;
  }
  throw new Error('expected a CatalogueError');
}

const TABLE_1: [string, string, number, number][] = [
  ['S1a', 'Enkel pasientkontakt', 69, 920],
  ['S1b', 'Tlf-samtale om pasient', 95, 460],
  ['S2a', 'Oppfølging hos sykepleier', 152, 1380],
  ['S2b', 'Tidstakst', 70, 460],
  ['S3', 'Hjemmebesøk', 152, 92],
  ['S4', 'Gruppeoppfølging', 152, 115],
  ['S5', 'Møtegodtgjørelse', 152, 46],
  ['S6', 'Reisetid ifm hjemmebesøk', 152, 184],
];

describe('the default catalogue (SPEC §5 Table 1)', () => {
  test('parses and is the one in force', () => {
    expect(parseCatalogue(pilotJson).id).toBe('pilot-2018');
    expect(defaultCatalogues).toHaveLength(1);
    expect(catalogueInForce(defaultCatalogues, '2025-06-02')).toBe(pilot2018Catalogue);
  });

  test.each(TABLE_1)('%s %s: honorar %i, %i per year, nurse, demo egenandel', (code, text, honorar, perYear) => {
    const t = tariffInForce(pilot2018Catalogue, code, '2018-04-01');
    expect(t).toMatchObject({ code, text, honorar, expectedPerYear: perYear, profession: 'nurse', egenandelIsDemo: true });
    expect(t && t.refusjon + t.egenandel).toBe(honorar);
  });

  test('S1b uses 460 (the source prints 690) and says so', () => {
    expect(tariffInForce(pilot2018Catalogue, 'S1b', '2019-01-01')?.note).toMatch(/690/);
    expect(pilot2018Catalogue.source).toMatch(/690/);
  });

  test('honorar x expected frequency sums to kr 415 564 per nurse-year', () => {
    const nurse = pilot2018Catalogue.tariffs.filter((t) => t.profession === 'nurse');
    expect(nurse.map((t) => t.code)).toEqual(TABLE_1.map(([c]) => c));
    expect(nurse.reduce((sum, t) => sum + t.honorar * (t.expectedPerYear ?? 0), 0)).toBe(415_564);
  });

  test('carries demo GP tariffs for the same-day rule, marked as demo', () => {
    for (const code of ['2ad', '2ak', '2cd', '11ad', '11ak']) {
      const t = tariffInForce(pilot2018Catalogue, code, '2024-03-01');
      expect(t?.profession).toBe('gp');
      expect(t?.egenandelIsDemo).toBe(true);
      expect(t?.note).toMatch(/Demo/);
      expect(t?.egenandel).toBeGreaterThan(0);
    }
  });

  test('not in force before the pilot started', () => {
    expect(catalogueInForce(defaultCatalogues, '2018-03-31')).toBeUndefined();
    expect(tariffInForce(pilot2018Catalogue, 'S2a', '2018-03-31')).toBeUndefined();
  });

  test('every suggestion is priceable with it', () => {
    const kinds = ['simple', 'follow-up', 'about-patient', 'home-visit', 'group', 'meeting', 'team-consultation'] as const;
    for (const kind of kinds) {
      const lines = suggestNurseTariffs({ kind, minutes: 65, travelled: true });
      expect(priceLines(lines, pilot2018Catalogue, '2024-05-02').lines).toHaveLength(lines.length); // oracle: one priced line per line
      expect(invalidCombinations(lines.map((l) => l.code), pilot2018Catalogue, '2024-05-02')).toEqual([]);
    }
  });
});

describe('parseCatalogue refuses a malformed file, naming row and field', () => {
  test('honorar "abc" in row 3', () => {
    const json = pilotCopy();
    json.tariffs[2]!.honorar = 'abc';
    const e = refusal(json);
    expect(e.detail).toEqual({ row: 3, code: 'S2a', field: 'honorar' });
    expect(e.message).toContain('rad 3 (S2a)');
    expect(e.message).toContain('«honorar»');
    expect(e.message).toContain('"abc"');
  });

  type Mutation = [string, (j: ReturnType<typeof pilotCopy>) => void, { row: number | null; code: string | null; field: string }];
  const mutations: Mutation[] = [
    ['negative egenandel', (j) => { j.tariffs[0]!.egenandel = -5; }, { row: 1, code: 'S1a', field: 'egenandel' }],
    ['three decimals', (j) => { j.tariffs[1]!.honorar = 95.005; }, { row: 2, code: 'S1b', field: 'honorar' }],
    ['refusjon + egenandel != honorar', (j) => { j.tariffs[3]!.refusjon = 1; }, { row: 4, code: 'S2b', field: 'refusjon' }],
    ['unknown profession', (j) => { j.tariffs[4]!.profession = 'doctor'; }, { row: 5, code: 'S3', field: 'profession' }],
    ['missing text', (j) => { delete j.tariffs[5]!.text; }, { row: 6, code: 'S4', field: 'text' }],
    ['egenandelIsDemo not boolean', (j) => { j.tariffs[6]!.egenandelIsDemo = 'yes'; }, { row: 7, code: 'S5', field: 'egenandelIsDemo' }],
    ['impossible date', (j) => { j.tariffs[7]!.validFrom = '2018-02-30'; }, { row: 8, code: 'S6', field: 'validFrom' }],
    ['validTo before validFrom', (j) => { j.tariffs[0]!.validTo = '2017-01-01'; }, { row: 1, code: 'S1a', field: 'validTo' }],
    ['invalidWith an unknown code', (j) => { j.tariffs[1]!.invalidWith = ['S9']; }, { row: 2, code: 'S1b', field: 'invalidWith' }],
    ['misspelt field', (j) => { j.tariffs[2]!.honorer = 152; }, { row: 3, code: 'S2a', field: 'honorer' }],
    ['minMinutes not an integer', (j) => { j.tariffs[2]!.minMinutes = 2.5; }, { row: 3, code: 'S2a', field: 'minMinutes' }],
    ['maxPerYear 0', (j) => { j.tariffs[2]!.maxPerYear = 0; }, { row: 3, code: 'S2a', field: 'maxPerYear' }],
    ['expectedPerYear text', (j) => { j.tariffs[2]!.expectedPerYear = '1380'; }, { row: 3, code: 'S2a', field: 'expectedPerYear' }],
    ['code with a space', (j) => { j.tariffs[2]!.code = 'S 2a'; }, { row: 3, code: 'S 2a', field: 'code' }],
    ['row not an object', (j) => { j.tariffs[1] = 'S1b' as unknown as Record<string, unknown>; }, { row: 2, code: null, field: 'tariffs' }],
    ['overlapping duplicate code', (j) => { j.tariffs.push({ ...j.tariffs[0]!, validFrom: '2020-01-01' }); }, { row: 16, code: 'S1a', field: 'validFrom' }],
    ['catalogue without id', (j) => { delete j.id; }, { row: null, code: null, field: 'id' }],
    ['catalogue validFrom missing', (j) => { delete j.validFrom; }, { row: null, code: null, field: 'validFrom' }],
    ['empty tariffs', (j) => { j.tariffs = []; }, { row: null, code: null, field: 'tariffs' }],
  ];
  test.each(mutations)('%s', (_name, mutate, detail) => {
    const json = pilotCopy();
    mutate(json);
    const e = refusal(json);
    expect(e.detail).toEqual(detail);
    expect(e.message).toContain(`«${detail.field}»`);
    if (detail.row !== null) expect(e.message).toContain(`rad ${detail.row}`);
  });

  test('not an object at all', () => {
    expect(refusal('[]').field).toBe('(katalog)');
    expect(refusal(null)).toBeInstanceOf(Error);
  });

  test('a code may repeat in non-overlapping periods (a price change)', () => {
    const json = pilotCopy();
    json.tariffs[0]!.validTo = '2019-12-31';
    json.tariffs.push({ ...json.tariffs[0]!, honorar: 75, refusjon: 25, validFrom: '2020-01-01', validTo: null });
    const c = parseCatalogue(json);
    expect(tariffInForce(c, 'S1a', '2019-12-31')?.honorar).toBe(69);
    expect(tariffInForce(c, 'S1a', '2020-01-01')?.honorar).toBe(75);
  });
});

describe('choosing by date', () => {
  const later = (): Catalogue => {
    const json = pilotCopy();
    json.id = 'helfo-2026';
    json.version = '2026.1';
    json.validFrom = '2026-01-01';
    for (const t of json.tariffs) t.validFrom = '2026-01-01';
    json.tariffs[2]!.honorar = 200;
    json.tariffs[2]!.refusjon = 100;
    return parseCatalogue(json);
  };
  const ended = (): Catalogue => ({ ...pilot2018Catalogue, id: 'ended', validTo: '2020-12-31' });

  test('the newest catalogue in force wins from its validFrom', () => {
    const all = [later(), pilot2018Catalogue];
    expect(catalogueInForce(all, '2025-12-31')?.id).toBe('pilot-2018');
    expect(catalogueInForce(all, '2026-01-01')?.id).toBe('helfo-2026');
    expect(catalogueInForce([pilot2018Catalogue, later()], '2026-01-01')?.id).toBe('helfo-2026');
  });

  test('validTo is inclusive', () => {
    expect(catalogueInForce([ended()], '2020-12-31')?.id).toBe('ended');
    expect(catalogueInForce([ended()], '2021-01-01')).toBeUndefined();
    expect(tariffInForce(ended(), 'S2a', '2021-01-01')).toBeUndefined();
  });

  test('same validFrom: the higher version wins, numerically', () => {
    const v9 = { ...pilot2018Catalogue, id: 'v9', version: '2018.9' };
    const v10 = { ...pilot2018Catalogue, id: 'v10', version: '2018.10' };
    expect(catalogueInForce([v9, v10], '2019-01-01')?.id).toBe('v10');
    expect(catalogueInForce([v10, v9], '2019-01-01')?.id).toBe('v10');
  });

  test('a date-time is read as its Oslo calendar date', () => {
    const all = [later(), pilot2018Catalogue];
    expect(catalogueInForce(all, '2025-12-31T23:30:00Z')?.id).toBe('helfo-2026'); // 00:30 on 1 Jan in Oslo
    expect(catalogueInForce(all, '2025-12-31T22:30:00Z')?.id).toBe('pilot-2018'); // 23:30 on 31 Dec in Oslo
    expect(catalogueInForce(all, '2025-12-31T23:30:00')?.id).toBe('pilot-2018'); // Oslo local, no offset
    expect(() => catalogueInForce(all, '31.12.2025')).toThrow(RangeError);
  });
});

describe('priceLines', () => {
  test('follow-up 45 min: S2a + 2 x S2b with line amounts and a total', () => {
    const priced = priceLines(suggestNurseTariffs({ kind: 'follow-up', minutes: 45 }), pilot2018Catalogue, '2024-02-01');
    expect(priced.lines.map((l) => [l.code, l.quantity, l.honorar, l.egenandel, l.refusjon, l.total])).toEqual([
      ['S2a', 1, 152, 100, 52, 152],
      ['S2b', 2, 140, 0, 140, 140],
    ]);
    expect(priced.lines[1]?.unit).toEqual({ honorar: 70, egenandel: 0, refusjon: 70 });
    expect(priced.total).toEqual({ honorar: 292, egenandel: 100, refusjon: 192 });
    expect(priced.catalogueId).toBe('pilot-2018');
  });

  test('sums in øre are exact', () => {
    const json = pilotCopy();
    Object.assign(json.tariffs[0]!, { honorar: 0.1, refusjon: 0.1, egenandel: 0 });
    Object.assign(json.tariffs[1]!, { honorar: 0.2, refusjon: 0.2, egenandel: 0 });
    const priced = priceLines([{ code: 'S1a', quantity: 1 }, { code: 'S1b', quantity: 1 }], parseCatalogue(json), '2024-01-01');
    expect(priced.total.honorar).toBe(0.3);
  });

  test('an unknown code, or one not yet in force, is refused by name', () => {
    expect(() => priceLines([{ code: 'S9', quantity: 1 }], pilot2018Catalogue, '2024-01-01')).toThrow(TariffNotInForceError);
    expect(() => priceLines([{ code: 'S2a', quantity: 1 }], pilot2018Catalogue, '2017-01-01')).toThrow(/S2a/);
  });

  test.each([0, -1, 1.5])('quantity %s is refused', (quantity) => {
    expect(() => priceLines([{ code: 'S2a', quantity }], pilot2018Catalogue, '2024-01-01')).toThrow(RangeError);
  });

  test('invalid combinations are found either way round', () => {
    expect(invalidCombinations(['S2a', 'S1a', 'S2b'], pilot2018Catalogue, '2024-01-01')).toEqual([['S2a', 'S1a']]);
    expect(invalidCombinations(['2ad', '2cd'], pilot2018Catalogue, '2024-01-01')).toEqual([['2ad', '2cd']]);
  });
});

describe('claimableFromHelfo (financing model, SPEC §1 and §6)', () => {
  const [s2a] = priceLines([{ code: 'S2a', quantity: 1 }], pilot2018Catalogue, '2024-01-01').lines;
  const line = s2a!;
  const decision = (d: Partial<CopayDecision>): CopayDecision => ({ id: 'c1', charged: 0, waived: 0, ...d });

  test('model A claims the refusjon; model B claims nothing', () => {
    expect(claimableFromHelfo('A', line)).toBe(52);
    expect(claimableFromHelfo('B', line)).toBe(0);
    expect(claimableFromHelfo('B', line, decision({ reason: 'F', waived: 100 }))).toBe(0);
  });

  test('model A follows the co-payment decision', () => {
    expect(claimableFromHelfo('A', line, decision({ charged: 100 }))).toBe(52);
    expect(claimableFromHelfo('A', line, decision({ waived: 100, reason: 'F' }))).toBe(152);
    expect(claimableFromHelfo('A', line, decision({ waived: 100, reason: 'SAME_DAY' }))).toBe(52);
    expect(claimableFromHelfo('A', line, decision({ reason: 'CANCELLED' }))).toBe(0);
  });
});

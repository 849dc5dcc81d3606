import { describe, expect, test } from 'vitest';
import { gpContactChannel, parseCatalogue, pilot2018Catalogue, suggestGpTariffs, type GpContactKind } from '../../../src/domain/tariffs';

// Expected codes written by hand from the demo catalogue's contactKinds (catalogues/pilot-2018.json).
describe('suggestGpTariffs: the GP default comes from the catalogue rows whose contactKinds fit', () => {
  test.each<[GpContactKind, string, string[]]>([
    ['consultation', '2026-03-10', ['2ad']],
    ['phone', '2026-03-10', ['1ad']],
    ['video', '2026-03-10', ['2ad']],
    ['home-visit', '2026-03-10', ['11ad']],
    ['e-consultation', '2026-03-10', ['1be']],
  ])('%s on %s', (kind, day, expected) => {
    expect(suggestGpTariffs(pilot2018Catalogue, kind, day)).toEqual(expected.map((code) => ({ code, quantity: 1 })));
  });

  test.each<[GpContactKind, 'in-person' | 'phone' | 'video' | 'written']>([
    ['consultation', 'in-person'],
    ['phone', 'phone'],
    ['video', 'video'],
    ['home-visit', 'in-person'],
    ['e-consultation', 'written'],
  ])('%s implies channel %s', (kind, channel) => {
    expect(gpContactChannel(kind)).toBe(channel);
  });
});

const row = (over: Record<string, unknown>) => ({
  code: 'X1', text: 'Test', profession: 'gp', honorar: 100, refusjon: 60, egenandel: 40, egenandelIsDemo: true, validFrom: '2020-01-01', ...over,
});
const cat = (tariffs: unknown[]) => ({ id: 't', version: '1', validFrom: '2020-01-01', source: 'test', tariffs });

describe('contactKinds in the catalogue', () => {
  test('the first row in force that fits is the default; a row out of force or without the kind is skipped', () => {
    const c = parseCatalogue(cat([
      row({ code: 'OLD', contactKinds: ['phone'], validTo: '2020-12-31' }),
      row({ code: 'NONE' }),
      row({ code: 'NEW', contactKinds: ['phone', 'video'] }),
      row({ code: 'LATER', contactKinds: ['phone'] }),
    ]));
    expect(suggestGpTariffs(c, 'phone', '2020-06-01')).toEqual([{ code: 'OLD', quantity: 1 }]);
    expect(suggestGpTariffs(c, 'phone', '2021-06-01')).toEqual([{ code: 'NEW', quantity: 1 }]);
    expect(suggestGpTariffs(c, 'home-visit', '2021-06-01')).toEqual([]);
    expect(c.tariffs[1]?.contactKinds).toEqual([]);
  });

  test.each<[string, Record<string, unknown>]>([
    ['an unknown kind', { contactKinds: ['telefon'] }],
    ['a repeated kind', { contactKinds: ['phone', 'phone'] }],
    ['not a list', { contactKinds: 'phone' }],
    ['on a nurse row', { profession: 'nurse', contactKinds: ['phone'] }],
  ])('refuses %s, naming the row and field', (_name, over) => {
    expect(() => parseCatalogue(cat([row(over)]))).toThrow(/rad 1 \(X1\), felt «contactKinds»/);
  });

  test('every GP row of the demo catalogue fits at least one GP contact kind, and each kind has a tariff', () => {
    const gp = pilot2018Catalogue.tariffs.filter((t) => t.profession === 'gp');
    expect(gp.filter((t) => t.contactKinds.length === 0).map((t) => t.code)).toEqual([]);
    expect(pilot2018Catalogue.tariffs.find((t) => t.code === '1ad')).toMatchObject({ egenandelIsDemo: true, contactKinds: ['phone'] });
    expect(pilot2018Catalogue.tariffs.find((t) => t.code === '1be')).toMatchObject({ egenandelIsDemo: true, contactKinds: ['e-consultation'] });
  });
});

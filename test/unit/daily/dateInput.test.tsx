// Issue 17 item 11: dates are shown and typed as dd.mm.åååå, whatever the browser's locale.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { DateField } from '../../../src/ui/DateField';
import { formatTyped, parseDate, parseDateTime, parseMonth } from '../../../src/ui/format';

describe('parsers (values written by hand)', () => {
  test.each([
    ['02.12.2026', '2026-12-02'],
    ['2.12.2026', '2026-12-02'],
    [' 29.02.2028 ', '2028-02-29'],
    ['2026-12-02', '2026-12-02'],
  ])('date %j -> %s', (text, iso) => expect(parseDate(text, 'Dato')).toEqual({ ok: true, value: iso }));
  test.each([
    ['12/02/2026', 'Dato: skriv datoen som dd.mm.åååå, for eksempel 02.12.2026.'],
    ['31.11.2026', 'Dato: 31.11.2026 er ikke en gyldig dato.'],
    ['29.02.2026', 'Dato: 29.02.2026 er ikke en gyldig dato.'],
    ['', 'Dato: skriv datoen som dd.mm.åååå, for eksempel 02.12.2026.'],
  ])('date %j is refused in Norwegian, naming the field', (text, message) => expect(parseDate(text, 'Dato')).toEqual({ ok: false, message }));
  test.each([
    ['02.12.2026 09:30', '2026-12-02T09:30'],
    ['2.12.2026 kl. 9.05', '2026-12-02T09:05'],
    ['2026-12-02T09:30', '2026-12-02T09:30'],
  ])('date-time %j -> %s', (text, iso) => expect(parseDateTime(text, 'Tidspunkt')).toEqual({ ok: true, value: iso }));
  test('date-time refusals', () => {
    expect(parseDateTime('02.12.2026 24:00', 'Tidspunkt')).toEqual({ ok: false, message: 'Tidspunkt: 24:00 er ikke et gyldig klokkeslett.' });
    expect(parseDateTime('12/02/2026 9:30 AM', 'Tidspunkt').ok).toBe(false);
  });
  test('month', () => {
    expect(parseMonth('12.2026', 'Måned')).toEqual({ ok: true, value: '2026-12' });
    expect(parseMonth('13.2026', 'Måned')).toEqual({ ok: false, message: 'Måned: skriv måneden som mm.åååå, for eksempel 12.2026.' });
  });
  test.each([
    ['2026-12-02', '02.12.2026'],
    ['2026-12-02T09:30', '02.12.2026 09:30'],
    ['2026-12', '12.2026'],
  ])('formatTyped %s -> %s', (iso, text) => expect(formatTyped(iso)).toBe(text));
});

describe('DateField', () => {
  test('a text input showing dd.mm.åååå, not a locale-dependent date input', () => {
    const html = renderToStaticMarkup(<DateField label="Utskrivningsdato" value="2026-12-02" onChange={() => {}} />);
    expect(html).toContain('value="02.12.2026"');
    expect(html).toContain('placeholder="dd.mm.åååå"');
    expect(html).not.toMatch(/type="(date|datetime-local|month)"/);
  });
  test('date and time', () => {
    const html = renderToStaticMarkup(<DateField label="Tidspunkt" kind="date-time" value="2026-12-02T09:30" onChange={() => {}} />);
    expect(html).toContain('value="02.12.2026 09:30"');
  });
});

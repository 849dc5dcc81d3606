// The contact form's pure logic: facts -> suggestion view model with amounts (SPEC §5), validation in
// words (an override needs a reason), and registerContact's input; Oslo service times with offsets.
import { describe, expect, test } from 'vitest';
import { defaultCatalogues } from '../../../src/domain/tariffs';
import {
  addLine,
  initialContactValues,
  noteText,
  removeLine,
  setLineQuantity,
  suggestionView,
  toRegisterInput,
  validateContact,
  type ContactFormValues,
  type ContactRole,
} from '../../../src/state/contactForm';
import { localDay, osloLocalMinute, osloLocalToIso } from '../../../src/state/contactTime';

const TIME = '2026-03-10T09:15';
const NOW = new Date('2026-03-10T12:00:00+01:00');

test('a GP starts on a consultation; the nurse and a follow-up keep theirs', () => {
  expect(initialContactValues(TIME, false, 'gp').kind).toBe('consultation');
  expect(initialContactValues(TIME, false, 'nurse').kind).toBe('simple');
  expect(initialContactValues(TIME, true, 'gp').kind).toBe('follow-up');
});

function form(over: Partial<ContactFormValues> = {}): ContactFormValues {
  return { ...initialContactValues(TIME, false), ...over };
}

const codes = (role: ContactRole, values: ContactFormValues) => suggestionView(role, values, defaultCatalogues).lines.map((l) => `${l.code}x${l.quantity}`);

describe('suggestionView: facts -> codes and amounts', () => {
  test.each<[string, ContactRole, Partial<ContactFormValues>, string[]]>([
    ['simple contact', 'nurse', { kind: 'simple', channel: 'phone' }, ['S1ax1']],
    ['follow-up by phone', 'nurse', { kind: 'follow-up', channel: 'phone', minutes: '45' }, ['S1ax1']],
    ['follow-up by video, 30 min', 'nurse', { kind: 'follow-up', channel: 'video', minutes: '30' }, ['S2ax1', 'S2bx1']],
    ['follow-up in person, 20 min (no time tariff)', 'nurse', { kind: 'follow-up', minutes: '20' }, ['S2ax1']],
    ['about the patient', 'nurse', { kind: 'about-patient' }, ['S1bx1']],
    ['home visit without travel', 'nurse', { kind: 'home-visit' }, ['S3x1']],
    ['home visit with travel, 20 min', 'nurse', { kind: 'home-visit', travelled: true, minutes: '20' }, ['S3x1', 'S6x2']],
    ['home visit with travel, 45 min', 'nurse', { kind: 'home-visit', travelled: true, minutes: '45' }, ['S3x1', 'S6x2', 'S2bx2']],
    ['travel only counts for a home visit', 'nurse', { kind: 'simple', travelled: true }, ['S1ax1']],
    ['group', 'nurse', { kind: 'group', participants: '6' }, ['S4x1']],
    ['meeting', 'nurse', { kind: 'meeting' }, ['S5x1']],
    ['team consultation', 'nurse', { kind: 'team-consultation', minutes: '60' }, ['S2ax1']],
    ['GP consultation', 'gp', { kind: 'consultation' }, ['2adx1']],
    ['GP phone: the phone tariff, not 2ad', 'gp', { kind: 'phone' }, ['1adx1']],
    ['GP video: billed as a consultation', 'gp', { kind: 'video' }, ['2adx1']],
    ['GP e-consultation', 'gp', { kind: 'e-consultation' }, ['1bex1']],
    ['GP home visit', 'gp', { kind: 'home-visit', travelled: true }, ['11adx1']],
    ['GP with a nurse kind: nothing proposed', 'gp', { kind: 'simple' }, []],
    ['nurse with a GP-only kind: nothing proposed', 'nurse', { kind: 'phone' }, []],
  ])('%s', (_name, role, over, expected) => {
    expect(codes(role, form(over))).toEqual(expected);
  });

  test('home visit with travel: honorar, demo egenandel and total from the catalogue in force', () => {
    const view = suggestionView('nurse', form({ kind: 'home-visit', travelled: true, minutes: '20' }), defaultCatalogues);
    expect(view.catalogue?.id).toBe('pilot-2018');
    expect(view.serviceDate).toBe('2026-03-10');
    expect(view.lines.map((l) => [l.code, l.quantity, l.honorar, l.egenandel, l.total, l.egenandelIsDemo])).toEqual([
      ['S3', 1, 152, 100, 152, true],
      ['S6', 2, 304, 0, 304, true],
    ]);
    expect(view.total).toEqual({ honorar: 456, egenandel: 100 });
    expect(view.anyDemo).toBe(true);
    expect(view.changed).toBe(false);
    expect(view.problems).toEqual([]);
    // Only nurse codes can be added by a nurse, and not those already chosen.
    expect(view.addable.map((t) => t.code)).toEqual(['S1a', 'S1b', 'S2a', 'S2b', 'S4', 'S5']);
  });

  test('a GP gets the GP tariffs to add', () => {
    const view = suggestionView('gp', form({ kind: 'consultation' }), defaultCatalogues);
    expect(view.addable.map((t) => t.code)).toEqual(['1ad', '1be', '2ak', '2cd', '11ad', '11ak']);
  });

  test('no catalogue before the pilot started; an invalid time is a problem, not a throw', () => {
    expect(suggestionView('nurse', form({ serviceTime: '2017-01-10T09:00' }), defaultCatalogues).problems).toEqual(['Ingen takstkatalog gjelder 2017-01-10.']);
    expect(suggestionView('nurse', form({ serviceTime: '' }), defaultCatalogues).problems[0]).toContain('gyldig tidspunkt');
    expect(suggestionView('nurse', form({ serviceTime: '2026-02-30T09:00' }), defaultCatalogues).lines).toEqual([]);
  });

  test('a code the catalogue does not allow together is a problem in words', () => {
    const view = suggestionView('nurse', form({ lines: [{ code: 'S1a', quantity: 1 }, { code: 'S2a', quantity: 1 }] }), defaultCatalogues);
    expect(view.problems).toEqual(['S1a og S2a kan ikke faktureres for samme kontakt.']);
  });
});

describe('line edits', () => {
  const base = [{ code: 'S3', quantity: 1 }, { code: 'S6', quantity: 2 }];
  test('add, remove, quantity', () => {
    expect(addLine(base, 'S2b')).toEqual([...base, { code: 'S2b', quantity: 1 }]);
    expect(addLine(base, 'S3')).toEqual(base);
    expect(removeLine(base, 'S6')).toEqual([{ code: 'S3', quantity: 1 }]);
    expect(setLineQuantity(base, 'S6', 1)).toEqual([{ code: 'S3', quantity: 1 }, { code: 'S6', quantity: 1 }]);
    expect(setLineQuantity(base, 'S6', 0)).toEqual(base);
    expect(setLineQuantity(base, 'S6', Number.NaN)).toEqual(base);
  });
});

describe('validateContact', () => {
  const ctx = { role: 'nurse' as const, catalogues: defaultCatalogues, now: NOW, followUp: false };

  test('a plain contact is valid', () => {
    expect(validateContact(form(), ctx)).toEqual({});
  });

  test('an override needs a reason from a nurse, not from a GP', () => {
    const changed = form({ kind: 'home-visit', travelled: true, lines: [{ code: 'S3', quantity: 1 }] });
    expect(suggestionView('nurse', changed, defaultCatalogues).changed).toBe(true);
    expect(validateContact(changed, ctx).overrideReason).toBe('Skriv hvorfor du endrer de foreslåtte takstene.');
    expect(validateContact({ ...changed, overrideReason: '   ' }, ctx).overrideReason).toBeDefined();
    expect(validateContact({ ...changed, overrideReason: 'Kjørte ikke selv' }, ctx)).toEqual({});
    expect(validateContact(form({ lines: [{ code: '2ak', quantity: 1 }] }), { ...ctx, role: 'gp' })).toEqual({});
  });

  test('choosing the same codes as suggested is not an override', () => {
    const same = form({ kind: 'home-visit', travelled: true, lines: [{ code: 'S6', quantity: 2 }, { code: 'S3', quantity: 1 }] });
    expect(validateContact(same, ctx)).toEqual({});
  });

  test.each<[string, Partial<ContactFormValues>, string]>([
    ['minutes not a number', { minutes: 'tjue' }, 'minutes'],
    ['zero minutes', { minutes: '0' }, 'minutes'],
    ['group without participants', { kind: 'group' }, 'participants'],
    ['group of one', { kind: 'group', participants: '1' }, 'participants'],
    ['no time', { serviceTime: '' }, 'serviceTime'],
    ['an hour ahead', { serviceTime: '2026-03-10T13:00' }, 'serviceTime'],
    ['no codes', { lines: [] }, 'lines'],
  ])('%s', (_name, over, field) => {
    expect(Object.keys(validateContact(form({ overrideReason: 'x', ...over }), ctx))).toContain(field);
  });

  test('a few minutes ahead is accepted (clocks differ)', () => {
    expect(validateContact(form({ serviceTime: '2026-03-10T12:04' }), ctx)).toEqual({});
  });

  test('a discharge follow-up must answer the medication question', () => {
    const values = initialContactValues(TIME, true);
    expect(values.kind).toBe('follow-up');
    expect(validateContact(values, { ...ctx, followUp: true }).medicationNeedsGp).toContain('legemiddelendringene');
    expect(validateContact({ ...values, medicationNeedsGp: false }, { ...ctx, followUp: true })).toEqual({});
  });
});

describe('toRegisterInput', () => {
  const ctx = { contactId: 'c-1', patientId: 'pat-1', role: 'nurse' as const, patient: { birthDate: '1950-01-01' } };

  // The server takes the author from the session and the end from the minutes: the body carries neither.
  test('home visit: Oslo time with offset, minutes, travel, lines and suggestion, note', () => {
    const input = toRegisterInput(form({ kind: 'home-visit', travelled: true, minutes: '20', note: ' Fall. ' }), ctx);
    expect(input).toMatchObject({
      id: 'c-1',
      patientId: 'pat-1',
      kind: 'home-visit',
      start: '2026-03-10T09:15:00+01:00',
      minutes: 20,
      travelled: true,
      lines: [{ code: 'S3', quantity: 1 }, { code: 'S6', quantity: 2 }],
      suggested: [{ code: 'S3', quantity: 1 }, { code: 'S6', quantity: 2 }],
      note: 'Fall.',
      patient: { birthDate: '1950-01-01' },
    });
    expect(input.overrideReason).toBeUndefined();
    expect(input.paidElsewhereToday).toBeUndefined();
    expect(input).not.toHaveProperty('end');
    expect(input).not.toHaveProperty('practitionerId');
  });

  test('the override reason goes with changed codes only; the answer to the question is passed on', () => {
    const changed = toRegisterInput(form({ kind: 'home-visit', travelled: true, lines: [{ code: 'S3', quantity: 1 }], overrideReason: 'Kjørte ikke' }), { ...ctx, paidElsewhereToday: true });
    expect(changed.overrideReason).toBe('Kjørte ikke');
    expect(changed.paidElsewhereToday).toBe(true);
    const unchanged = toRegisterInput(form({ overrideReason: 'glemt' }), ctx);
    expect(unchanged.overrideReason).toBeUndefined();
  });

  test('a group note records the group size', () => {
    expect(noteText(form({ kind: 'group', participants: '6', note: 'Diabetesskole.' }))).toBe('Diabetesskole.\n\nGruppeoppfølging med 6 deltakere.');
    expect(noteText(form({ note: '  ' }))).toBeUndefined();
  });

  test('an invalid time throws (validate first)', () => {
    expect(() => toRegisterInput(form({ serviceTime: 'x' }), ctx)).toThrow(RangeError);
  });
});

describe('Oslo service times', () => {
  test.each([
    ['2026-03-10T09:15', '2026-03-10T09:15:00+01:00'],
    ['2026-07-01T23:30', '2026-07-01T23:30:00+02:00'],
    ['2026-10-25T02:30', '2026-10-25T02:30:00+01:00'],
    // Spring gap: 02:30 does not exist on 29 March 2026; it becomes 03:30 summer time.
    ['2026-03-29T02:30', '2026-03-29T03:30:00+02:00'],
  ])('%s -> %s', (local, iso) => {
    expect(osloLocalToIso(local)).toBe(iso);
  });

  test('invalid values', () => {
    for (const bad of ['', '2026-03-10', '2026-03-10T25:00', '2026-02-30T10:00', '10.03.2026 09:15']) expect(osloLocalToIso(bad)).toBeUndefined();
  });

  test('now as Oslo wall clock, across midnight UTC', () => {
    expect(osloLocalMinute(new Date('2026-03-10T23:30:00Z'))).toBe('2026-03-11T00:30');
    expect(osloLocalMinute(new Date('2026-07-10T22:05:59Z'))).toBe('2026-07-11T00:05');
    expect(localDay('2026-03-11T00:30')).toBe('2026-03-11');
  });
});

import { expect, test } from 'vitest';
import { navigationFor, type Can } from '../../../src/ui/navigation';
import type { UserRole } from '../../../src/fhir/roles';

const all: Can = () => true;
const gp: UserRole = { role: 'gp', practiceManager: false };
const leader: UserRole = { role: 'gp', practiceManager: true };
const nurse: UserRole = { role: 'nurse', practiceManager: false };
const secretary: UserRole = { role: 'secretary', practiceManager: false };

test.each([
  ['GP with patient', gp, true, ['Pasient', 'Listeoversikt', 'Mine oppgaver', 'Årskontroll']],
  ['GP without patient', gp, false, ['Listeoversikt', 'Mine oppgaver', 'Årskontroll', 'Gruppetime']],
  ['daglig leder with patient', leader, true, ['Pasient', 'Leder', 'Listeoversikt', 'Mine oppgaver', 'Årskontroll']],
  ['daglig leder from the practice', leader, false, ['Leder', 'Listeoversikt', 'Mine oppgaver', 'Årskontroll', 'Gruppetime']],
  ['nurse with patient: the chart first', nurse, true, ['Pasient', 'Arbeidsliste', 'Oppsøkende', 'Årskontroll']],
  ['nurse from the practice', nurse, false, ['Arbeidsliste', 'Oppsøkende', 'Årskontroll', 'Gruppetime']],
  ['secretary', secretary, false, ['Innboks', 'Listeoversikt', 'Årskontroll']],
  ['secretary launched on a patient gets no patient panel', secretary, true, ['Innboks', 'Listeoversikt', 'Årskontroll']],
] satisfies [string, UserRole, boolean, string[]][])('%s', (_name, role, hasPatient, labels) => {
  expect(navigationFor(role, hasPatient, all).items.map((i) => i.label)).toEqual(labels);
});

test('views whose data the grant does not cover are hidden, and reported', () => {
  const noCharges: Can = (type) => type !== 'ChargeItem';
  const nav = navigationFor(leader, false, noCharges);
  expect(nav.items.map((i) => i.label)).toEqual(['Listeoversikt', 'Mine oppgaver', 'Årskontroll', 'Gruppetime']);
  expect(nav.hidden.map((i) => i.label)).toEqual(['Leder']);
});

// Issue 17 item 4: a GP is offered his own contact types (not the nurse's), and a phone call gets the
// phone tariff from the catalogue, not 2ad. Expected labels and codes written by hand.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { ContactFields } from '../../../src/features/patient-panel/contact/ContactFields';
import { defaultCatalogues } from '../../../src/domain/tariffs';
import { initialContactValues, suggestionView, type ContactRole } from '../../../src/state/contactForm';

const TIME = '2026-03-10T09:15';
const noop = () => undefined;

function kindsOffered(role: ContactRole): string[] {
  const html = renderToStaticMarkup(
    <ContactFields values={initialContactValues(TIME, false, role)} errors={{}} role={role} disabled={false} onChange={noop} />,
  );
  return [...html.matchAll(/name="contact-kind"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="contact-kind"/g)].map((m) => m[1] ?? m[2] ?? '');
}

describe('contact kinds by role', () => {
  test('a GP is offered consultation, phone, video, home visit and e-consultation', () => {
    expect(kindsOffered('gp')).toEqual(['consultation', 'phone', 'video', 'home-visit', 'e-consultation']);
  });
  test('the nurse keeps hers', () => {
    expect(kindsOffered('nurse')).toEqual(['simple', 'follow-up', 'about-patient', 'home-visit', 'group', 'meeting', 'team-consultation']);
  });
  test('a GP phone call is priced with 1ad, not 2ad', () => {
    const view = suggestionView('gp', { ...initialContactValues(TIME, false, 'gp'), kind: 'phone' }, defaultCatalogues);
    expect(view.lines.map((l) => l.code)).toEqual(['1ad']);
    expect(view.problems).toEqual([]);
  });
});

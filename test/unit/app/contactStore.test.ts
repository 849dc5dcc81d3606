// The contact store: nothing typed is lost when a save fails, a retry sends the same contactId, the
// "already paid today?" question is asked and answered, and a new contact gets a new id (SPEC §6).
import { describe, expect, test, vi } from 'vitest';
import { defaultCatalogues } from '../../../src/domain/tariffs';
import type { ContactBody, ContactSaved, RegisterOutcome } from '../../../src/features/contact-copay/api';
import { FhirError } from '../../../src/fhir/errors';
import { initialContactValues } from '../../../src/state/contactForm';
import { createContactStore, type ContactDeps } from '../../../src/state/contactStore';


function saved(input: ContactBody): ContactSaved {
  return { status: 'saved', contactId: input.id, created: [], alreadySaved: false, day: { patientId: input.patientId, day: '2026-03-10', rows: [], journal: {} } };
}

function deps(register: (input: ContactBody) => Promise<RegisterOutcome>): ContactDeps {
  return {
    register,
    context: { patientId: 'pat-1', role: 'nurse', patient: { birthDate: '1950-01-01' } },
    validation: { role: 'nurse', catalogues: defaultCatalogues, followUp: false },
    now: () => new Date('2026-03-10T12:00:00+01:00'),
  };
}

let ids = 0;
const store = () => createContactStore(initialContactValues('2026-03-10T09:15', false), () => `contact-${++ids}`);

describe('contact store', () => {
  test('an invalid form is not sent and its values stay', async () => {
    const s = store();
    const register = vi.fn(async (input: ContactBody) => saved(input));
    s.getState().change({ kind: 'group', note: 'Diabetesskole' });
    expect(await s.getState().submit(deps(register))).toBeUndefined();
    expect(register).not.toHaveBeenCalled();
    expect(s.getState().submitted).toBe(true);
    expect(s.getState().save.status).toBe('editing');
    expect(s.getState().values.note).toBe('Diabetesskole');
  });

  test('an error keeps the form, says what happened in words, and the retry sends the same contactId', async () => {
    const s = store();
    const sent: ContactBody[] = [];
    const register = vi.fn(async (input: ContactBody): Promise<RegisterOutcome> => {
      sent.push(input);
      if (sent.length === 1) throw new FhirError({ kind: 'network' });
      return saved(input);
    });
    s.getState().change({ kind: 'home-visit', travelled: true, note: 'Fall hjemme' });
    expect(await s.getState().submit(deps(register))).toBeUndefined();
    const state = s.getState();
    expect(state.save).toEqual({ status: 'error', error: { message: 'Får ikke kontakt med journalsystemet.', action: 'Sjekk nettverkstilkoblingen og prøv igjen.', title: undefined } });
    expect(state.values).toMatchObject({ kind: 'home-visit', travelled: true, note: 'Fall hjemme' });
    // Editing after an error is allowed and kept.
    s.getState().change({ minutes: '25' });
    const result = await s.getState().submit(deps(register));
    expect(result?.status).toBe('saved');
    expect(sent.map((i) => i.id)).toEqual([state.contactId, state.contactId]);
    expect(sent[1]?.minutes).toBe(25);
    expect(s.getState().save.status).toBe('saved');
  });

  test('needs-answer asks the question; the answer is sent with the same contactId and kept for a retry', async () => {
    const s = store();
    const sent: ContactBody[] = [];
    const register = vi.fn(async (input: ContactBody): Promise<RegisterOutcome> => {
      sent.push(input);
      if (input.paidElsewhereToday === undefined) return { status: 'needs-answer', question: 'Er pasienten allerede belastet egenandel i dag?' };
      if (sent.length === 2) throw new FhirError({ kind: 'server', status: 503 });
      return saved(input);
    });
    await s.getState().submit(deps(register));
    expect(s.getState().save).toEqual({ status: 'needs-answer', question: 'Er pasienten allerede belastet egenandel i dag?' });
    await s.getState().answer(true, deps(register));
    expect(s.getState().save.status).toBe('error');
    await s.getState().submit(deps(register));
    expect(s.getState().save.status).toBe('saved');
    expect(sent.map((i) => [i.id, i.paidElsewhereToday])).toEqual([
      ['contact-' + String(ids), undefined],
      ['contact-' + String(ids), true],
      ['contact-' + String(ids), true],
    ]);
  });

  test('a double click saves once', async () => {
    const s = store();
    let release: () => void = () => undefined;
    const register = vi.fn(
      (input: ContactBody) =>
        new Promise<RegisterOutcome>((resolve) => {
          release = () => resolve(saved(input));
        }),
    );
    const first = s.getState().submit(deps(register));
    const second = s.getState().submit(deps(register));
    expect(s.getState().save.status).toBe('saving');
    release();
    await Promise.all([first, second]);
    expect(register).toHaveBeenCalledTimes(1);
  });

  test('the saved form is locked; a new contact starts clean with a new contactId', async () => {
    const s = store();
    await s.getState().submit(deps(async (input) => saved(input)));
    const before = s.getState().contactId;
    s.getState().change({ note: 'etterpå' });
    expect(s.getState().values.note).toBe('');
    s.getState().startNew(initialContactValues('2026-03-10T10:00', false));
    expect(s.getState().contactId).not.toBe(before);
    expect(s.getState()).toMatchObject({ save: { status: 'editing' }, submitted: false, paidElsewhereToday: undefined });
  });
});

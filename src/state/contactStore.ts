// One contact registration (SPEC §5, §6): the form's values, the contactId that makes the save
// idempotent (the same id on every retry, a new one only for the next contact), and where the save is.
// Nothing the user typed is lost when a save fails: values stay, the error is shown in words with a retry.
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import type { ContactBody, ContactSaved, RegisterOutcome } from '../features/contact-copay/api';
import { describeError, type ErrorText } from '../fhir/errors';
import { ApiError } from '../platform/api';

/** The app server's Norwegian message, or the FHIR side's error text. */
export function errorText(error: unknown): ErrorText {
  if (error instanceof ApiError) return { message: error.message, action: error.status === 0 || error.status >= 500 ? 'Prøv igjen; kontakten lagres ikke to ganger.' : '' };
  return describeError(error);
}
import { toRegisterInput, validateContact, type ContactErrors, type ContactFormValues, type RegisterContext, type ValidationContext } from './contactForm';

export type SaveState =
  | { status: 'editing' }
  | { status: 'saving' }
  | { status: 'needs-answer'; question: string }
  | { status: 'saved'; result: ContactSaved }
  | { status: 'error'; error: ErrorText };

export interface ContactDeps {
  register: (input: ContactBody) => Promise<RegisterOutcome>;
  context: Omit<RegisterContext, 'contactId' | 'paidElsewhereToday'>;
  validation: Omit<ValidationContext, 'now'>;
  now: () => Date;
}

export interface ContactState {
  values: ContactFormValues;
  contactId: string;
  save: SaveState;
  /** The user tried to save: show validation errors from now on. */
  submitted: boolean;
  /** The answer to "Er pasienten allerede belastet egenandel i dag?", kept for retries. */
  paidElsewhereToday?: boolean;
  change: (patch: Partial<ContactFormValues>) => void;
  /** Validates and saves; resolves with the saved result, or undefined (invalid, question, error). */
  submit: (deps: ContactDeps) => Promise<ContactSaved | undefined>;
  /** Answers the paid-elsewhere question and saves again with the same contactId. */
  answer: (paidElsewhereToday: boolean, deps: ContactDeps) => Promise<ContactSaved | undefined>;
  /** After a save: a fresh form and a new contactId for the next contact. */
  startNew: (values: ContactFormValues) => void;
}

export type ContactStore = UseBoundStore<StoreApi<ContactState>>;

export function validationErrors(state: Pick<ContactState, 'values'>, deps: ContactDeps): ContactErrors {
  return validateContact(state.values, { ...deps.validation, now: deps.now() });
}

export function createContactStore(initial: ContactFormValues, newId: () => string = () => crypto.randomUUID()): ContactStore {
  return create<ContactState>()((set, get) => {
    async function send(deps: ContactDeps): Promise<ContactSaved | undefined> {
      const { values, contactId, paidElsewhereToday, save } = get();
      if (save.status === 'saving' || save.status === 'saved') return undefined;
      const input = toRegisterInput(values, { ...deps.context, contactId, ...(paidElsewhereToday === undefined ? {} : { paidElsewhereToday }) });
      set({ save: { status: 'saving' } });
      try {
        const result = await deps.register(input);
        if (result.status === 'needs-answer') {
          set({ save: { status: 'needs-answer', question: result.question } });
          return undefined;
        }
        set({ save: { status: 'saved', result } });
        return result;
      } catch (error) {
        set({ save: { status: 'error', error: errorText(error) } });
        return undefined;
      }
    }
    return {
      values: initial,
      contactId: newId(),
      save: { status: 'editing' },
      submitted: false,
      change(patch) {
        const { save, values } = get();
        if (save.status === 'saving' || save.status === 'saved') return;
        set({ values: { ...values, ...patch } });
      },
      async submit(deps) {
        set({ submitted: true });
        const errors = validationErrors(get(), deps);
        if (Object.keys(errors).length > 0) return undefined;
        return send(deps);
      },
      async answer(paidElsewhereToday, deps) {
        set({ paidElsewhereToday });
        return send(deps);
      },
      startNew(values) {
        set({ values, contactId: newId(), save: { status: 'editing' }, submitted: false, paidElsewhereToday: undefined });
      },
    };
  });
}

// The contact form's logic, pure (no React, no I/O): what the user typed -> the tariff suggestion with
// amounts from the catalogue in force (SPEC §5), validation in words, and the input of registerContact.
// A nurse may change the suggested codes only with a reason (recorded on the charges); a GP registering
// his own consultation gets the GP tariffs (SPEC §5 table, team consultation: "the GP bills his own tariff").
import type { CopayPatient } from '../domain/copay';
import {
  catalogueInForce,
  defaultCatalogues,
  gpContactChannel,
  invalidCombinations,
  isGpContactKind,
  priceLines,
  suggestGpTariffs,
  suggestNurseTariffs,
  TariffNotInForceError,
  type AnyContactKind,
  type Catalogue,
  type PricedLine,
  type Profession,
  type TariffLine,
} from '../domain/tariffs';
import type { ContactBody, ContactChannel } from '../features/contact-copay/api';
import { localDay, osloLocalToIso } from './contactTime';

export type ContactRole = Profession;

export interface ContactFormValues {
  /** The nurse's kinds (SPEC §5) or, for a GP, his own (GP_CONTACT_KINDS). */
  kind: AnyContactKind;
  channel: ContactChannel;
  /** As typed; empty = not given. */
  minutes: string;
  /** Home visit: the nurse travelled (S6 x2). */
  travelled: boolean;
  /** Group session: how many took part (each participant gets an own S4). */
  participants: string;
  note: string;
  /** Oslo wall clock `YYYY-MM-DDTHH:mm`. */
  serviceTime: string;
  /** The codes the user chose; undefined = follow the suggestion as it changes. */
  lines?: TariffLine[];
  overrideReason: string;
  /** Discharge follow-up: «Bør fastlegen vurdere endringene i legemidlene?» */
  medicationNeedsGp?: boolean;
}

export function initialContactValues(serviceTime: string, followUp: boolean, role: ContactRole = 'nurse'): ContactFormValues {
  const gp = role === 'gp' && !followUp;
  return {
    kind: gp ? 'consultation' : followUp ? 'follow-up' : 'simple',
    channel: followUp ? 'phone' : 'in-person',
    minutes: '',
    travelled: false,
    participants: '',
    note: '',
    serviceTime,
    overrideReason: '',
  };
}

/** Whole minutes as typed, or undefined (empty or not a whole number >= 0). */
export function parseMinutes(value: string): number | undefined {
  const t = value.trim();
  return /^\d{1,4}$/.test(t) ? Number(t) : undefined;
}

/**
 * The codes proposed for the contact. Nurse: SPEC §5's mapping. GP: the catalogue's default for his contact
 * kind on the service day (rows' `contactKinds`, suggestGpTariffs); he changes it freely (e.g. 2ak evening).
 * A kind of the other profession proposes nothing.
 */
export function suggestedLines(
  role: ContactRole,
  values: Pick<ContactFormValues, 'kind' | 'channel' | 'minutes' | 'travelled' | 'serviceTime'>,
  catalogues: readonly Catalogue[] = defaultCatalogues,
): TariffLine[] {
  if (role === 'gp') {
    const day = localDay(values.serviceTime);
    const catalogue = /^\d{4}-\d{2}-\d{2}$/.test(day) ? catalogueInForce(catalogues, day) : undefined;
    return catalogue && isGpContactKind(values.kind) ? suggestGpTariffs(catalogue, values.kind, day) : [];
  }
  if (values.kind !== 'home-visit' && isGpContactKind(values.kind)) return [];
  return suggestNurseTariffs({
    kind: values.kind,
    channel: values.channel,
    minutes: parseMinutes(values.minutes),
    travelled: values.kind === 'home-visit' && values.travelled,
  });
}

export function chosenLines(role: ContactRole, values: ContactFormValues, catalogues: readonly Catalogue[] = defaultCatalogues): TariffLine[] {
  return values.lines ?? suggestedLines(role, values, catalogues);
}

function key(lines: readonly TariffLine[]): string {
  const merged = new Map<string, number>();
  for (const l of lines) merged.set(l.code, (merged.get(l.code) ?? 0) + l.quantity);
  return [...merged].sort(([a], [b]) => a.localeCompare(b)).map(([c, q]) => `${c}x${q}`).join(',');
}

export function linesDiffer(a: readonly TariffLine[], b: readonly TariffLine[]): boolean {
  return key(a) !== key(b);
}

export interface TariffLineView extends PricedLine {
  /** Part of what the rules proposed (same code and quantity). */
  suggested: boolean;
}

export interface SuggestionView {
  serviceDate: string;
  catalogue?: { id: string; version: string; source: string };
  suggested: TariffLine[];
  lines: TariffLineView[];
  total: { honorar: number; egenandel: number };
  /** Some egenandel shown is a demo value (SPEC §5): the UI must say so. */
  anyDemo: boolean;
  /** The chosen codes differ from the suggestion. */
  changed: boolean;
  /** Codes of the user's profession in force that day, not chosen yet. */
  addable: { code: string; text: string }[];
  /** Why the lines cannot be priced or billed together, in words. */
  problems: string[];
}

export function suggestionView(role: ContactRole, values: ContactFormValues, catalogues: readonly Catalogue[]): SuggestionView {
  const serviceDate = localDay(values.serviceTime);
  const suggested = suggestedLines(role, values, catalogues);
  const chosen = chosenLines(role, values, catalogues);
  const base = { serviceDate, suggested, changed: linesDiffer(chosen, suggested) };
  const empty = { lines: [], total: { honorar: 0, egenandel: 0 }, anyDemo: false, addable: [] };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(serviceDate) || !osloLocalToIso(values.serviceTime)) {
    return { ...base, ...empty, problems: ['Velg et gyldig tidspunkt for kontakten.'] };
  }
  const catalogue = catalogueInForce(catalogues, serviceDate);
  if (!catalogue) return { ...base, ...empty, problems: [`Ingen takstkatalog gjelder ${serviceDate}.`] };
  const info = { id: catalogue.id, version: catalogue.version, source: catalogue.source };
  const inForce = catalogue.tariffs.filter((t) => t.profession === role && t.validFrom <= serviceDate && (t.validTo === null || serviceDate <= t.validTo));
  const addable = inForce.filter((t) => !chosen.some((l) => l.code === t.code)).map((t) => ({ code: t.code, text: t.text }));
  try {
    const priced = priceLines(chosen, catalogue, serviceDate);
    const suggestedKeys = new Set(suggested.map((l) => `${l.code}x${l.quantity}`));
    const problems = invalidCombinations(chosen.map((l) => l.code), catalogue, serviceDate).map(
      ([a, b]) => `${a} og ${b} kan ikke faktureres for samme kontakt.`,
    );
    if (chosen.length === 0) problems.push('Velg minst én takst.');
    return {
      ...base,
      catalogue: info,
      lines: priced.lines.map((l) => ({ ...l, suggested: suggestedKeys.has(`${l.code}x${l.quantity}`) })),
      total: { honorar: priced.total.honorar, egenandel: priced.total.egenandel },
      anyDemo: priced.lines.some((l) => l.egenandelIsDemo),
      addable,
      problems,
    };
  } catch (error) {
    const message = error instanceof TariffNotInForceError || error instanceof RangeError ? error.message : 'Takstene kunne ikke prises.';
    return { ...base, ...empty, catalogue: info, addable, problems: [message] };
  }
}

export type ContactField = 'minutes' | 'participants' | 'serviceTime' | 'lines' | 'overrideReason' | 'medicationNeedsGp';
export type ContactErrors = Partial<Record<ContactField, string>>;

/** Minutes a contact's service time may lie ahead of the clock (clock skew between machines). */
export const FUTURE_SLACK_MINUTES = 5;

export interface ValidationContext {
  role: ContactRole;
  catalogues: readonly Catalogue[];
  now: Date;
  followUp: boolean;
}

export function validateContact(values: ContactFormValues, ctx: ValidationContext): ContactErrors {
  const errors: ContactErrors = {};
  const minutes = parseMinutes(values.minutes);
  if (values.minutes.trim() !== '' && (minutes === undefined || minutes < 1 || minutes > 600)) {
    errors.minutes = 'Skriv varigheten i hele minutter (1–600).';
  }
  if (values.kind === 'group') {
    const n = parseMinutes(values.participants);
    if (n === undefined || n < 2 || n > 50) errors.participants = 'Skriv antall deltakere i gruppen (2–50).';
  }
  const iso = osloLocalToIso(values.serviceTime);
  if (!iso) errors.serviceTime = 'Skriv et gyldig tidspunkt (dato og klokkeslett).';
  else if (Date.parse(iso) > ctx.now.getTime() + FUTURE_SLACK_MINUTES * 60_000) errors.serviceTime = 'Tidspunktet kan ikke være fram i tid.';
  const view = suggestionView(ctx.role, values, ctx.catalogues);
  if (!errors.serviceTime && view.problems.length > 0) errors.lines = view.problems.join(' ');
  if (view.changed && ctx.role === 'nurse' && values.overrideReason.trim() === '') {
    errors.overrideReason = 'Skriv hvorfor du endrer de foreslåtte takstene.';
  }
  if (ctx.followUp && values.medicationNeedsGp === undefined) {
    errors.medicationNeedsGp = 'Svar på om legemiddelendringene trenger vurdering av fastlege.';
  }
  return errors;
}

export interface RegisterContext {
  contactId: string;
  patientId: string;
  role: ContactRole;
  patient: CopayPatient;
  paidElsewhereToday?: boolean;
}

/** The journal note, with the group size as its last line (the Encounter has no element for it). */
export function noteText(values: ContactFormValues): string | undefined {
  const note = values.note.trim();
  const group = values.kind === 'group' ? parseMinutes(values.participants) : undefined;
  const extra = group === undefined ? '' : `Gruppeoppfølging med ${group} deltakere.`;
  const text = [note, extra].filter((s) => s !== '').join('\n\n');
  return text === '' ? undefined : text;
}

/** The body of POST /api/contact-copay/contacts; call only when validateContact found nothing. */
export function toRegisterInput(values: ContactFormValues, ctx: RegisterContext): ContactBody {
  const start = osloLocalToIso(values.serviceTime);
  if (!start) throw new RangeError(`Ugyldig tidspunkt: ${values.serviceTime}`);
  const minutes = parseMinutes(values.minutes);
  const suggested = suggestedLines(ctx.role, values);
  const lines = chosenLines(ctx.role, values);
  const note = noteText(values);
  const reason = values.overrideReason.trim();
  return {
    id: ctx.contactId,
    patientId: ctx.patientId,
    kind: values.kind,
    channel: ctx.role === 'gp' && isGpContactKind(values.kind) ? gpContactChannel(values.kind) : values.channel,
    start,
    ...(minutes === undefined ? {} : { minutes }),
    ...(values.kind === 'home-visit' && values.travelled ? { travelled: true } : {}),
    lines,
    suggested,
    ...(reason && linesDiffer(lines, suggested) ? { overrideReason: reason } : {}),
    ...(note ? { note } : {}),
    patient: ctx.patient,
    ...(ctx.paidElsewhereToday === undefined ? {} : { paidElsewhereToday: ctx.paidElsewhereToday }),
  };
}

/** Line edits (add, remove, change quantity); the result replaces the suggestion until reset. */
export function addLine(lines: readonly TariffLine[], code: string): TariffLine[] {
  return lines.some((l) => l.code === code) ? [...lines] : [...lines, { code, quantity: 1 }];
}

export function removeLine(lines: readonly TariffLine[], code: string): TariffLine[] {
  return lines.filter((l) => l.code !== code);
}

export function setLineQuantity(lines: readonly TariffLine[], code: string, quantity: number): TariffLine[] {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 20) return [...lines];
  return lines.map((l) => (l.code === code ? { ...l, quantity } : l));
}

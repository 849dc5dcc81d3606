// Discharge signals -> discharge episodes (SPEC §4). There is no national FHIR discharge message and EPJs
// differ, so three shapes are read, and every signal about the same patient + institution + Oslo
// discharge date becomes one episode:
//
// - Encounter: class IMP, ACUTE, NONAC, OBSENC or SS (v3 ActCode; the code is accepted with that system
//   or with none), status finished, from an organisation other than the practice. Discharge date =
//   period.end. EMER (emergency without admission) and other classes are not discharges.
// - DocumentReference: type LOINC 18842-5 (Discharge summary) or one of ctx.epikriseCodes. Discharge date
//   = context.period.end; message date = date.
// - Communication: a category coding with code 'epikrise' or 'discharge-notice' (any system, trimmed,
//   case-insensitive), LOINC 18842-5, or one of ctx.epikriseCodes.
// - Both message shapes also: a Volven 9602 document type whose display names an epikrise/discharge, and
//   a type/category given as text only (CodeableConcept.text or a display without code) naming one,
//   read with a warning (issue 16: real EPJs send these). No discharge date of its own; it
//   takes one from a linked Encounter or DocumentReference (encounter, about, partOf, payload
//   contentReference) or, failing that, from a matching episode (below). Message date = sent ?? received.
//
// Merging: explicitly linked signals of the same patient join first. Then an episode is keyed
// patient|institution|date, where the institution is the Organization's id (`org:<id>`), else its
// identifier (`ident:<system>|<value>`), else its normalised name (`name:<name>`), else empty. A signal
// with a name only joins an episode of the same patient and date whose institution has that name; a
// signal with no institution joins the only episode of that patient and date. A signal without a
// discharge date joins the latest episode of the same patient (and institution, when known) discharged
// in the 30 days up to its message date; otherwise it is its own episode with a warning, and its deadline
// runs from the message date until a user confirms. A signal without a resolvable patient is an
// episode with an error (its key starts with '?'), never dropped.
import type {
  CodeableConcept,
  Coding,
  Communication,
  DocumentReference,
  Encounter,
  Organization,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { followUpDeadline, osloDate, type CalendarOptions } from '../domain/calendar';
import { parseReference } from './session';
import { SYSTEMS } from './systems';

export interface DischargeEpisode {
  /** patientId|institution|dischargeDate (the merge key). */
  key: string;
  /** Undefined when the subject is missing/unresolvable: an error row, never dropped. */
  patientId?: string;
  institution: { id?: string; name?: string };
  /** Oslo date; undefined when missing ("utskrivningsdato mangler"). */
  dischargeDate?: string;
  /** When the message arrived (Communication.sent, DocumentReference.date, Encounter meta.lastUpdated). */
  messageDate?: string;
  /** dischargeDate ?? the Oslo date of messageDate (then a warning the user must confirm). */
  effectiveDate?: string;
  /** followUpDeadline(effectiveDate). */
  deadline?: string;
  signals: { resourceType: SignalType; id: string }[];
  /** DocumentReference/Communication that carries the epikrise, for display. */
  summaryRef?: string;
  /** Norwegian, user-facing. */
  warnings: string[];
  /** Norwegian: e.g. future discharge refused, patient not found. */
  errors: string[];
}

export interface DischargeContext {
  /** Organization ids of the practice itself: its own encounters are not discharges. */
  practiceOrgIds: string[];
  /** Oslo date. */
  today: string;
  /** The practice's configured epikrise codes, besides LOINC 18842-5. */
  epikriseCodes?: { system: string; code: string }[];
  /** When given, a subject outside this set is an error ("finnes ikke i praksisen"). */
  knownPatientIds?: ReadonlySet<string>;
  /** The practice's calendar for the deadline (closed dates, Saturdays). */
  calendar?: CalendarOptions;
  /** The caller reads no deadline (the patient-facts mapper): it is not computed, nor its "cannot compute" error. */
  withoutDeadline?: boolean;
}

export interface IgnoredResource {
  resourceType: string;
  id?: string;
  reason: string;
}

type SignalType = 'Encounter' | 'DocumentReference' | 'Communication';

export const INPATIENT_ENCOUNTER_CLASSES: readonly string[] = ['IMP', 'ACUTE', 'NONAC', 'OBSENC', 'SS'];
export const DISCHARGE_SUMMARY_LOINC = '18842-5';
/** Communication.category codes accepted from any system (compared trimmed, lower case). */
export const DISCHARGE_COMMUNICATION_CATEGORIES: readonly string[] = ['epikrise', 'discharge-notice'];

const LOINC_SYSTEMS = new Set([SYSTEMS.loinc, 'urn:oid:2.16.840.1.113883.6.1']);
/**
 * Volven 9602 (Norwegian document type), by OID or a volven.no URI. Its code values were not verified
 * offline, so a 9602 coding counts when its display names an epikrise or discharge, or when the practice
 * has configured its code (settings: epikrise codes).
 */
export const VOLVEN_DOCUMENT_TYPE_SYSTEMS: readonly string[] = ['urn:oid:2.16.578.1.12.4.1.1.9602', 'http://volven.no/kodeverk/9602', 'https://volven.no/kodeverk/9602'];
/** Words that name a discharge summary or notice in a text-only category/type or a 9602 display. */
const DISCHARGE_WORDS = /\b(epikrise|utskrivningsmelding|utskrivingsmelding|utskrivningsrapport|utskrivelse|utskrivning|discharge summary|discharge notice|discharge)\b/i;
const DATELESS_MATCH_DAYS = 30;
const TYPE_ORDER: Record<SignalType, number> = { Encounter: 0, DocumentReference: 1, Communication: 2 };

// ---------------------------------------------------------------------------------------------
// One signal

interface Institution {
  id?: string;
  name?: string;
  /** org:<id> | ident:<system>|<value> | name:<normalised> | '' */
  key: string;
  strength: number;
}

interface Signal {
  resourceType: SignalType;
  id: string;
  patientId?: string;
  /** patientId, or '?<what>' for an unresolved subject (never merges with a real patient). */
  patientKey: string;
  patientError?: string;
  institution: Institution;
  dischargeDate?: string;
  dateWarning?: string;
  /** The type/category was text only. */
  typeWarning?: string;
  messageDate?: string;
  messageDay?: string;
  /** 'Encounter/x', 'DocumentReference/y' this signal points at. */
  links: string[];
  summaryRef?: string;
}

const NO_INSTITUTION: Institution = { key: '', strength: 3 };

// Institution names repeat (a practice's patients go to a few hospitals): each is normalised once.
const normalisedNames = new Map<string, string>();

function normaliseName(name: string): string {
  let normalised = normalisedNames.get(name);
  if (normalised === undefined) {
    normalised = name.normalize('NFKC').toLocaleLowerCase('nb').replace(/[.,]/g, ' ').replace(/\s+/g, ' ').trim();
    if (normalisedNames.size >= 1000) normalisedNames.clear();
    normalisedNames.set(name, normalised);
  }
  return normalised;
}

function formatDate(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}

function institutionFrom(
  ref: Reference | undefined,
  owner: Resource,
  organizations: Map<string, Organization>,
): Institution | undefined {
  if (!ref) return undefined;
  let name = ref.display?.trim() || undefined;
  let identifier = ref.identifier;
  if (ref.reference?.startsWith('#') && 'contained' in owner) {
    const contained = owner.contained?.find((r) => r.resourceType === 'Organization' && r.id === ref.reference?.slice(1));
    if (contained?.resourceType === 'Organization') {
      name ??= contained.name?.trim() || undefined;
      identifier ??= contained.identifier?.[0];
    }
  } else if (ref.reference) {
    const parsed = parseReference(ref.reference);
    if (parsed?.resourceType !== 'Organization') return undefined; // a person or a location is no institution
    name ??= organizations.get(parsed.id)?.name?.trim() || undefined;
    return { id: parsed.id, name, key: `org:${parsed.id}`, strength: 0 };
  } else if (ref.type !== undefined && ref.type !== 'Organization') {
    return undefined;
  }
  if (identifier?.value) return { name, key: `ident:${identifier.system ?? ''}|${identifier.value.trim()}`, strength: 1 };
  if (name) return { name, key: `name:${normaliseName(name)}`, strength: 2 };
  return undefined;
}

/** The strongest institution the references name (the first of equal strength), else NO_INSTITUTION. */
function firstInstitution(
  refs: (Reference | undefined)[],
  owner: Resource,
  organizations: Map<string, Organization>,
): Institution {
  let best: Institution | undefined;
  for (const ref of refs) {
    const found = institutionFrom(ref, owner, organizations);
    if (found !== undefined && (best === undefined || found.strength < best.strength)) best = found;
  }
  return best ?? NO_INSTITUTION;
}

function resolvePatient(
  subject: Reference | undefined,
  self: string,
  ctx: DischargeContext,
): Pick<Signal, 'patientId' | 'patientKey' | 'patientError'> {
  if (!subject) return { patientKey: `?${self}`, patientError: 'Pasient mangler i meldingen' };
  const parsed = parseReference(subject.reference);
  if (!parsed) {
    const what = subject.display ?? subject.identifier?.value ?? 'ukjent';
    return { patientKey: `?${self}`, patientError: `Pasienten kan ikke identifiseres (${what})` };
  }
  const ref = `${parsed.resourceType}/${parsed.id}`;
  if (parsed.resourceType !== 'Patient') return { patientKey: `?${ref}`, patientError: `Meldingen gjelder ikke en pasient (${ref})` };
  if (ctx.knownPatientIds && !ctx.knownPatientIds.has(parsed.id)) {
    return { patientKey: `?${ref}`, patientError: `Pasienten finnes ikke i praksisen (${ref})` };
  }
  return { patientId: parsed.id, patientKey: parsed.id };
}

/** The Oslo date of a discharge time, or a warning when it is there but unreadable. */
function readDate(value: string | undefined): { date?: string; warning?: string } {
  if (value === undefined) return {};
  try {
    return { date: osloDate(value) };
  } catch {
    return { warning: `Ugyldig utskrivningsdato «${value}»` };
  }
}

function messageDay(value: string | undefined): string | undefined {
  return value === undefined ? undefined : readDate(value).date;
}

/**
 * 'code': a coded discharge type/category; 'text': named only in text (CodeableConcept.text, or a coding
 * with a display and no code), which is read too, with a data-quality warning; undefined: not a discharge.
 */
function hasCode(concepts: unknown, ctx: DischargeContext, communicationWords: boolean): 'code' | 'text' | undefined {
  // Untrusted shapes: a category given as a string or a coding list that is not a list counts as no code.
  // Plain loops over the concepts' codings (no arrays or closures per message: the mapper reads each one).
  const list: (CodeableConcept | undefined)[] = Array.isArray(concepts) ? concepts : [];
  let otherCode = false;
  for (const concept of list) {
    const codings: unknown = concept?.coding;
    if (!Array.isArray(codings)) continue;
    for (const c of codings as (Coding | undefined)[]) {
      if (isDischargeCoding(c, ctx, communicationWords)) return 'code';
      if (typeof c?.code === 'string' && c.code.trim() !== '') otherCode = true;
    }
  }
  if (otherCode) return undefined; // coded as something else
  for (const concept of list) if (namesDischarge(concept?.text)) return 'text';
  for (const concept of list) {
    const codings: unknown = concept?.coding;
    if (Array.isArray(codings)) for (const c of codings as (Coding | undefined)[]) if (namesDischarge(c?.display)) return 'text';
  }
  return undefined;
}

function isDischargeCoding(c: Coding | undefined, ctx: DischargeContext, communicationWords: boolean): boolean {
  const code = typeof c?.code === 'string' ? c.code.trim() : undefined;
  if (!code || c === undefined) return false;
  if (code === DISCHARGE_SUMMARY_LOINC && c.system !== undefined && LOINC_SYSTEMS.has(c.system)) return true;
  if (communicationWords && DISCHARGE_COMMUNICATION_CATEGORIES.includes(code.toLowerCase())) return true;
  if (typeof c.system === 'string' && VOLVEN_DOCUMENT_TYPE_SYSTEMS.includes(c.system.trim()) && typeof c.display === 'string' && DISCHARGE_WORDS.test(c.display)) return true;
  for (const e of ctx.epikriseCodes ?? []) if (e.system === c.system && e.code.trim() === code) return true;
  return false;
}

function namesDischarge(text: unknown): boolean {
  return typeof text === 'string' && DISCHARGE_WORDS.test(text);
}

const TEXT_ONLY_WARNING = 'Meldingstypen er bare oppgitt som tekst (ikke kodet); lest som epikrise/utskrivningsmelding';

function referenceKey(ref: Reference | undefined, types: readonly string[]): string | undefined {
  const parsed = parseReference(ref?.reference);
  return parsed && types.includes(parsed.resourceType) ? `${parsed.resourceType}/${parsed.id}` : undefined;
}

type Parsed = { signal: Signal } | { ignored: string };

function parseEncounter(enc: Encounter & { id: string }, ctx: DischargeContext, orgs: Map<string, Organization>): Parsed {
  const cls = enc.class;
  const code = typeof cls?.code === 'string' ? cls.code.trim() : cls?.code === undefined ? '' : String(cls.code);
  if (cls?.system !== undefined && cls.system !== SYSTEMS.actCode) return { ignored: `Ukjent kontakttype (${cls.system}|${code})` };
  if (code === 'EMER') return { ignored: 'Akuttmottak uten innleggelse (EMER) er ikke en utskrivning' };
  if (!INPATIENT_ENCOUNTER_CLASSES.includes(code)) return { ignored: `Ikke en innleggelse (kontakttype ${code || 'mangler'})` };
  if (enc.status !== 'finished') return { ignored: `Oppholdet er ikke avsluttet (status ${enc.status})` };
  const provider = parseReference(enc.serviceProvider?.reference);
  if (provider?.resourceType === 'Organization' && ctx.practiceOrgIds.includes(provider.id)) {
    return { ignored: 'Kontakt ved praksisen selv, ikke en utskrivning' };
  }
  const self = `Encounter/${enc.id}`;
  const { date, warning } = readDate(enc.period?.end);
  return {
    signal: {
      resourceType: 'Encounter',
      id: enc.id,
      ...resolvePatient(enc.subject, self, ctx),
      institution: firstInstitution([enc.serviceProvider], enc, orgs),
      dischargeDate: date,
      dateWarning: warning,
      messageDate: enc.meta?.lastUpdated,
      messageDay: messageDay(enc.meta?.lastUpdated),
      links: [],
    },
  };
}

function parseDocumentReference(doc: DocumentReference & { id: string }, ctx: DischargeContext, orgs: Map<string, Organization>): Parsed {
  if (doc.status === 'entered-in-error') return { ignored: 'Dokumentet er registrert ved en feil' };
  const kind = hasCode([doc.type, ...(Array.isArray(doc.category) ? doc.category : [])], ctx, false);
  if (!kind) return { ignored: 'Ikke en epikrise (dokumenttype)' };
  const self = `DocumentReference/${doc.id}`;
  const { date, warning } = readDate(doc.context?.period?.end);
  const received = doc.date ?? doc.meta?.lastUpdated;
  return {
    signal: {
      resourceType: 'DocumentReference',
      id: doc.id,
      ...resolvePatient(doc.subject, self, ctx),
      institution: firstInstitution([doc.custodian, ...(doc.author ?? [])], doc, orgs),
      dischargeDate: date,
      dateWarning: warning,
      ...(kind === 'text' && { typeWarning: TEXT_ONLY_WARNING }),
      messageDate: received,
      messageDay: messageDay(received),
      links: (doc.context?.encounter ?? []).map((r) => referenceKey(r, ['Encounter'])).filter((k): k is string => k !== undefined),
      summaryRef: self,
    },
  };
}

function parseCommunication(com: Communication & { id: string }, ctx: DischargeContext, orgs: Map<string, Organization>): Parsed {
  if (com.status === 'entered-in-error' || com.status === 'not-done') return { ignored: `Meldingen er ikke gyldig (status ${com.status})` };
  const kind = hasCode(com.category ?? [], ctx, true);
  if (!kind) return { ignored: 'Ikke en epikrise eller utskrivningsmelding (kategori)' };
  const self = `Communication/${com.id}`;
  const linked = [com.encounter, ...(com.about ?? []), ...(com.partOf ?? []), ...(com.payload ?? []).map((p) => p.contentReference)];
  const links = linked.map((r) => referenceKey(r, ['Encounter', 'DocumentReference'])).filter((k): k is string => k !== undefined);
  const received = com.sent ?? com.received ?? com.meta?.lastUpdated;
  return {
    signal: {
      resourceType: 'Communication',
      id: com.id,
      ...resolvePatient(com.subject, self, ctx),
      institution: firstInstitution([com.sender], com, orgs),
      ...(kind === 'text' && { typeWarning: TEXT_ONLY_WARNING }),
      messageDate: received,
      messageDay: messageDay(received),
      links,
      summaryRef: links.find((l) => l.startsWith('DocumentReference/')) ?? self,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Grouping

/** Signals joined through explicit links (same patient only), by union-find. */
function linkedGroups(signals: Signal[]): Signal[][] {
  const index = new Map(signals.map((s, i) => [`${s.resourceType}/${s.id}`, i]));
  const parent = signals.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] ?? root;
    return root;
  };
  signals.forEach((s, i) => {
    for (const link of s.links) {
      const j = index.get(link);
      const target = j === undefined ? undefined : signals[j];
      if (j === undefined || !target || target.patientKey !== s.patientKey) continue;
      parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, Signal[]>();
  signals.forEach((s, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), s]);
  });
  return [...groups.values()];
}

interface Draft {
  signals: Signal[];
  patientKey: string;
  institution: Institution;
  names: Set<string>;
  dischargeDate?: string;
  messageDay?: string;
}

function bySignalOrder(a: Signal, b: Signal): number {
  return TYPE_ORDER[a.resourceType] - TYPE_ORDER[b.resourceType] || compareText(a.id, b.id);
}

function draftOf(signals: Signal[]): Draft {
  const sorted = [...signals].sort(bySignalOrder);
  const first = sorted[0];
  const institution = sorted.map((s) => s.institution).sort((a, b) => a.strength - b.strength)[0] ?? NO_INSTITUTION;
  // An Encounter's period.end is the discharge; a document's context period comes second.
  const dischargeDate = sorted.find((s) => s.dischargeDate !== undefined)?.dischargeDate;
  const days = sorted.map((s) => s.messageDay).filter((d): d is string => d !== undefined).sort();
  const names = new Set(sorted.map((s) => s.institution.name).filter((n): n is string => n !== undefined).map(normaliseName));
  return { signals: sorted, patientKey: first?.patientKey ?? '?', institution, names, dischargeDate, messageDay: days[0] };
}

function sameInstitution(a: Draft, b: Draft): boolean {
  if (a.institution.key !== '' && a.institution.key === b.institution.key) return true;
  return [...a.names].some((n) => b.names.has(n));
}

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

function firstSignal(draft: Draft): Signal {
  const first = draft.signals[0];
  if (!first) throw new Error('A discharge draft always has a signal');
  return first;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function mergeDrafts(drafts: Draft[]): Map<string, Draft> {
  // Strongest evidence first, so the key carries the best institution identity.
  const ordered = [...drafts].sort(
    (a, b) =>
      Number(a.dischargeDate === undefined) - Number(b.dischargeDate === undefined) ||
      a.institution.strength - b.institution.strength ||
      bySignalOrder(firstSignal(a), firstSignal(b)),
  );
  // Episodes per patient, so merging stays linear in the number of patients' own episodes.
  const byPatient = new Map<string, Map<string, Draft>>();
  for (const draft of ordered) {
    let episodes = byPatient.get(draft.patientKey);
    if (!episodes) {
      episodes = new Map();
      byPatient.set(draft.patientKey, episodes);
    }
    const target = draft.dischargeDate !== undefined ? datedTarget(draft, episodes) : datelessTarget(draft, episodes);
    const existing = episodes.get(target);
    episodes.set(target, existing ? draftOf([...existing.signals, ...draft.signals]) : draft);
  }
  return new Map([...byPatient.values()].flatMap((episodes) => [...episodes.entries()]));
}

/** No episodes yet (read only). */
const NO_EPISODES: ReadonlyMap<string, Draft> = new Map();

/** The key of the episode a dated draft joins (exact key, same institution by name, or the only one that day). */
function datedTarget(draft: Draft, episodes: ReadonlyMap<string, Draft>): string {
  const key = `${draft.patientKey}|${draft.institution.key}|${draft.dischargeDate}`;
  if (episodes.has(key)) return key;
  const sameDay = [...episodes.entries()].filter(([, e]) => e.dischargeDate === draft.dischargeDate);
  const byName = sameDay.find(([, e]) => sameInstitution(e, draft));
  if (byName) return byName[0];
  const only = sameDay[0];
  if (draft.institution.key === '' && sameDay.length === 1 && only) return only[0];
  return key;
}

/**
 * A draft without discharge date joins the latest discharge of this patient (same institution when
 * known; when unknown, only if all candidates are one institution) in the 30 days up to its message.
 */
function datelessTarget(draft: Draft, episodes: ReadonlyMap<string, Draft>): string {
  const day = draft.messageDay;
  if (day !== undefined) {
    const candidates = [...episodes.entries()]
      .filter(([, e]) => {
        if (e.dischargeDate === undefined) return false;
        const gap = daysBetween(e.dischargeDate, day);
        return gap >= 0 && gap <= DATELESS_MATCH_DAYS && (draft.institution.key === '' || sameInstitution(e, draft));
      })
      .sort(([ka, a], [kb, b]) => compareText(b.dischargeDate ?? '', a.dischargeDate ?? '') || compareText(ka, kb));
    const institutions = new Set(candidates.map(([, e]) => e.institution.key));
    const match = candidates[0];
    if (match && (draft.institution.key !== '' || institutions.size === 1)) return match[0];
  }
  const first = firstSignal(draft);
  return `${draft.patientKey}|${draft.institution.key}|?${day ?? `${first.resourceType}/${first.id}`}`;
}

// ---------------------------------------------------------------------------------------------
// Episode

function earliestMessage(signals: Signal[]): string | undefined {
  let best: { at: string; day: string; ms: number } | undefined;
  for (const s of signals) {
    if (s.messageDate === undefined || s.messageDay === undefined) continue;
    const ms = Date.parse(s.messageDate);
    const candidate = { at: s.messageDate, day: s.messageDay, ms: Number.isNaN(ms) ? 0 : ms };
    if (!best || candidate.day < best.day || (candidate.day === best.day && candidate.ms < best.ms)) best = candidate;
  }
  return best?.at;
}

function add(list: string[], text: string | undefined): void {
  if (text !== undefined && !list.includes(text)) list.push(text);
}

function toEpisode(key: string, draft: Draft, ctx: DischargeContext): DischargeEpisode {
  const { signals } = draft;
  const warnings: string[] = [];
  const errors: string[] = [];
  // Plain loops and a module-level `add`: no closures per episode (the patient-facts mapper calls this per patient).
  for (const s of signals) add(errors, s.patientError);
  for (const s of signals) add(warnings, s.dateWarning);
  for (const s of signals) add(warnings, s.typeWarning);

  const dates = [...new Set(signals.map((s) => s.dischargeDate).filter((d): d is string => d !== undefined))].sort();
  if (dates.length > 1) {
    add(warnings, `Meldingene oppgir ulike utskrivningsdatoer (${dates.map(formatDate).join(', ')}); brukt ${formatDate(draft.dischargeDate ?? '')}`);
  }
  const messageDate = earliestMessage(signals);
  const messageOslo = draft.messageDay;
  let effectiveDate = draft.dischargeDate;
  if (draft.dischargeDate === undefined) {
    if (messageOslo !== undefined) {
      add(warnings, `utskrivningsdato mangler: dato fra meldingen (${formatDate(messageOslo)}) er brukt, og fristen må bekreftes`);
      effectiveDate = messageOslo;
    } else {
      add(errors, 'utskrivningsdato mangler, og meldingsdato mangler: fristen kan ikke beregnes');
    }
  }
  if (draft.institution.key === '') add(warnings, 'Institusjonen er ukjent');

  let deadline: string | undefined;
  if (draft.dischargeDate !== undefined && draft.dischargeDate > ctx.today) {
    add(errors, `utskrivningsdato i fremtiden (${formatDate(draft.dischargeDate)})`);
  } else if (draft.dischargeDate === undefined && messageOslo !== undefined && messageOslo > ctx.today) {
    add(errors, `meldingsdato i fremtiden (${formatDate(messageOslo)})`);
  } else if (effectiveDate !== undefined && ctx.withoutDeadline !== true) {
    try {
      deadline = followUpDeadline(effectiveDate, ctx.calendar);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      add(errors, `Fristen kan ikke beregnes for ${formatDate(effectiveDate)}`);
    }
  }

  const patientId = signals.find((s) => s.patientId !== undefined)?.patientId;
  const institution = draft.institution;
  const name = institution.name ?? signals.map((s) => s.institution.name).find((n) => n !== undefined);
  const summaryRef =
    signals.find((s) => s.resourceType === 'DocumentReference')?.summaryRef ??
    signals.find((s) => s.resourceType === 'Communication')?.summaryRef;
  return {
    key,
    ...(patientId !== undefined && { patientId }),
    institution: { ...(institution.id !== undefined && { id: institution.id }), ...(name !== undefined && { name }) },
    ...(draft.dischargeDate !== undefined && { dischargeDate: draft.dischargeDate }),
    ...(messageDate !== undefined && { messageDate }),
    ...(effectiveDate !== undefined && { effectiveDate }),
    ...(deadline !== undefined && { deadline }),
    signals: signals.map((s) => ({ resourceType: s.resourceType, id: s.id })),
    ...(summaryRef !== undefined && { summaryRef }),
    warnings,
    errors,
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * Reads Encounters, DocumentReferences and Communications (other resources: Organization is used for
 * names, Patient is skipped, anything else is listed as ignored) and returns one episode per discharge,
 * sorted by key, plus the resources that are not discharge signals and why.
 */
/** A short, safe description of what broke while reading a malformed resource. */
function fieldError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

export function detectDischarges(
  resources: Resource[],
  ctx: DischargeContext,
): { episodes: DischargeEpisode[]; ignored: IgnoredResource[] } {
  const today = osloDate(ctx.today);
  const context = { ...ctx, today };
  const organizations = new Map<string, Organization>();
  for (const r of resources) if (r.resourceType === 'Organization' && r.id) organizations.set(r.id, r);

  const ignored: IgnoredResource[] = [];
  const signals: Signal[] = [];
  const seen = new Set<string>();
  for (const resource of resources) {
    const { resourceType, id } = resource;
    if (resourceType === 'Organization' || resourceType === 'Patient') continue;
    if (resourceType !== 'Encounter' && resourceType !== 'DocumentReference' && resourceType !== 'Communication') {
      ignored.push({ resourceType, ...(id !== undefined && { id }), reason: 'Ikke et utskrivningssignal' });
      continue;
    }
    if (id === undefined) {
      ignored.push({ resourceType, reason: 'Ressursen mangler id' });
      continue;
    }
    if (seen.has(`${resourceType}/${id}`)) continue; // the same resource from two searches
    seen.add(`${resourceType}/${id}`);
    let parsed: ReturnType<typeof parseEncounter>;
    try {
      // The resource as it is (its id is there, as checked above): no copy per resource.
      parsed =
        resource.resourceType === 'Encounter'
          ? parseEncounter(resource as Encounter & { id: string }, context, organizations)
          : resource.resourceType === 'DocumentReference'
            ? parseDocumentReference(resource as DocumentReference & { id: string }, context, organizations)
            : parseCommunication(resource as Communication & { id: string }, context, organizations);
    } catch (error) {
      // Data from the EPJ is untrusted: a field of the wrong type (a number where a code string should
      // be, a string where a list should be) is reported on the resource and never stops the inbox.
      ignored.push({ resourceType, id, reason: `Feil i data (${fieldError(error)}): meldingen kan ikke tolkes` });
      continue;
    }
    if ('ignored' in parsed) ignored.push({ resourceType, id, reason: parsed.ignored });
    else signals.push(parsed.signal);
  }

  // One signal (the patient-facts mapper's usual case) is one episode: nothing to link or merge.
  const only = signals.length === 1 ? signals[0] : undefined;
  if (only !== undefined) {
    const draft = draftOf([only]);
    const key = draft.dischargeDate !== undefined ? datedTarget(draft, NO_EPISODES) : datelessTarget(draft, NO_EPISODES);
    return { episodes: [toEpisode(key, draft, context)], ignored };
  }
  const drafts = linkedGroups(signals).map(draftOf);
  const episodes = [...mergeDrafts(drafts).entries()]
    .map(([key, draft]) => toEpisode(key, draft, context))
    .sort((a, b) => compareText(a.key, b.key));
  return { episodes, ignored };
}

// Follow-up tasks (SPEC §4, §8: "follow-up and outreach = Task (focus = the discharge, deadline in
// restriction.period.end, owner = nurse)"), profile pht-follow-up-task (fhir-profiles/input/fsh/profiles.fsh):
// builders domain -> Task, and the mapper Task -> FollowUpTask.
//
// Status mapping (profile description): requested = new, in-progress = attempted, completed = contacted
// (businessStatus met|late), cancelled = closed (statusReason = close reason; businessStatus missed when a
// team decision came after the deadline, see complianceClass). Open tasks carry no businessStatus: a
// stored "pending" would go stale the day the deadline passes; the worklist computes it.
//
// What the profile has no element for is carried in Task.input, each marked by `type.text`
// (TASK_INPUT): the discharge episode key (the domain's dischargeKey; the identifier is a hash of it, see
// taskKey.ts), the discharge date when known, every signal of the episode (so a task is found again
// when a later message merges into the episode and changes its key), and the institution.
import type { Annotation, CodeableConcept, Coding, Extension, Task, TaskInput, TaskOutput } from '@medplum/fhirtypes';
import { osloDate } from '../../domain/calendar';
import {
  complianceClass,
  followUpOutcome,
  FOLLOW_UP_CLOSE_REASONS,
  type ContactAttempt,
  type ContactChannel,
  type FollowUpCloseReason,
  type FollowUpStatus,
  type FollowUpTask,
} from '../../domain/followUp';
import { codings, field, isRecord, list, text } from '../mappers/read';
import { parseReference } from '../session';
import { EXTENSIONS, SYSTEMS } from '../systems';
import { identifier, profileMeta, recordedByExtension, reference, withExtension } from './common';
import { followUpTaskIdentifierValue } from './taskKey';

export { followUpTaskIdentifierValue } from './taskKey';

// ---------------------------------------------------------------------------------------------
// Codes (fhir-profiles/input/fsh/codesystems.fsh)

export const TASK_TYPES = ['discharge-follow-up', 'outreach', 'gp-medication-review'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const TASK_TYPE_DISPLAY: Readonly<Record<TaskType, string>> = {
  'discharge-follow-up': 'Oppfølging etter utskrivning',
  outreach: 'Oppsøkende oppfølging',
  'gp-medication-review': 'Legemiddelvurdering hos fastlege',
};

const OUTCOME_DISPLAY = { met: 'Innen fristen', late: 'Etter fristen', missed: 'Ikke kontaktet', pending: 'Venter' } as const;

/** Displays of the follow-up-close-reason code system (the UI labels are FOLLOW_UP_CLOSE_REASON_TEXT). */
const CLOSE_REASON_DISPLAY: Readonly<Record<FollowUpCloseReason, string>> = {
  readmitted: 'Reinnlagt',
  deceased: 'Død',
  declined: 'Pasienten takket nei',
  'moved-to-institution': 'Flyttet til institusjon',
  'followed-up-elsewhere': 'Fulgt opp av annen tjeneste',
  'not-needed-after-assessment': 'Ikke behov etter medisinsk vurdering',
  'no-follow-up-needed': 'Ikke behov for oppfølging',
};

export const PARTICIPATION_MODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode';

/**
 * Attempt channel -> contact-attempt `channel` Coding. The binding is extensible to v3 ParticipationMode,
 * which has no home visit: that one is our contact-kind#home-visit.
 */
const CHANNEL_CODING: Readonly<Record<ContactChannel, Coding>> = {
  phone: { system: PARTICIPATION_MODE_SYSTEM, code: 'PHONE', display: 'telephone' },
  video: { system: PARTICIPATION_MODE_SYSTEM, code: 'VIDEOCONF', display: 'videoconferencing' },
  'in-person': { system: PARTICIPATION_MODE_SYSTEM, code: 'FACE', display: 'face-to-face' },
  written: { system: PARTICIPATION_MODE_SYSTEM, code: 'WRITTEN', display: 'written' },
  'home-visit': { system: SYSTEMS.contactKind, code: 'home-visit', display: 'Hjemmebesøk' },
};

const CHANNELS: readonly ContactChannel[] = ['phone', 'video', 'in-person', 'written', 'home-visit'];

/** Task.input markers (type.text). */
export const TASK_INPUT = {
  episodeKey: 'discharge-episode-key',
  dischargeDate: 'discharge-date',
  signal: 'discharge-signal',
  institution: 'institution',
} as const;

export type SignalType = 'Encounter' | 'DocumentReference' | 'Communication';
export interface SignalRef {
  resourceType: SignalType;
  id: string;
}

/** Who asked for the task: a user, or (the headless sweep) the practice itself. */
export type TaskRequester = { practitionerId: string } | { organizationId: string };

/** A contact attempt as stored on a Task: the domain's attempt plus the nurse contact it produced. */
export interface TaskContactAttempt extends ContactAttempt {
  /** Encounter id of the nurse contact (pht-nurse-contact) when the patient was reached. */
  contactId?: string;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function taskTypeCoding(type: TaskType): Coding {
  return { system: SYSTEMS.taskType, code: type, display: TASK_TYPE_DISPLAY[type] };
}

function concept(coding: Coding, textValue?: string): CodeableConcept {
  return textValue ? { coding: [coding], text: textValue } : { coding: [coding] };
}

function requesterReference(requester: TaskRequester): NonNullable<Task['requester']> {
  const ref = 'practitionerId' in requester
    ? reference('Practitioner', requester.practitionerId)
    : reference('Organization', requester.organizationId);
  return { reference: ref.reference };
}

function markedInput(marker: string, value: Omit<TaskInput, 'type'>): TaskInput {
  return { type: { text: marker }, ...value };
}

const OFFSET_RE = /(Z|[+-]\d{2}:\d{2})$/;
const LOCAL_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/;
let offsetFormatter: Intl.DateTimeFormat | undefined;

function osloOffsetAt(epochMs: number): string {
  offsetFormatter ??= new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Oslo', timeZoneName: 'longOffset' });
  const name = offsetFormatter.formatToParts(new Date(epochMs)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+01:00';
  const match = /GMT([+-]\d{2}:\d{2})/.exec(name);
  return match?.[1] ?? '+00:00';
}

/**
 * A FHIR dateTime with seconds and an offset. The domain allows a date-time without offset, meaning Oslo
 * local time (SPEC §2), which FHIR does not (a dateTime with a time must have a zone): add Oslo's offset.
 */
export function toFhirDateTime(at: string): string {
  osloDate(at); // validates
  if (OFFSET_RE.test(at)) {
    const local = LOCAL_RE.exec(at.replace(OFFSET_RE, ''));
    if (local && local[4] === undefined) return `${local[1]}T${local[2]}:${local[3]}:00${OFFSET_RE.exec(at)?.[1] ?? 'Z'}`;
    return at;
  }
  const local = LOCAL_RE.exec(at);
  if (!local) return at; // a bare date
  const wall = `${local[1]}T${local[2]}:${local[3]}:${local[4] ?? '00'}${local[5] ?? ''}`;
  const asUtc = Date.parse(`${wall}Z`);
  // The offset that maps this wall time to an instant whose Oslo offset is that same offset.
  for (const candidate of ['+01:00', '+02:00']) {
    const hours = Number(candidate.slice(1, 3));
    if (osloOffsetAt(asUtc - hours * 3_600_000) === candidate) return `${wall}${candidate}`;
  }
  return `${wall}+01:00`;
}

// ---------------------------------------------------------------------------------------------
// Builders

export interface DischargeFollowUpTaskInput {
  /** DischargeEpisode.key. */
  episodeKey: string;
  patientId: string;
  /** The episode's signals; the first (Encounter before DocumentReference before Communication) is the focus. */
  signals: readonly SignalRef[];
  /** Oslo date: followUpDeadline of the discharge (SPEC §2). */
  deadline: string;
  /** Oslo date of discharge; absent while it is unconfirmed (deadline then from the message date). */
  dischargeDate?: string;
  institution?: { id?: string; name?: string };
  /** The nurse (Practitioner id); absent until assigned. */
  ownerId?: string;
  requester: TaskRequester;
  /** ISO date-time the task is created. */
  authoredOn: string;
}

function formatNorwegianDate(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}

/** The new follow-up task of a discharge episode (status requested). */
export function buildDischargeFollowUpTask(input: DischargeFollowUpTaskInput): Task {
  const focus = input.signals[0];
  if (!focus) throw new TypeError('A discharge follow-up needs the discharge signal it follows up (focus)');
  const deadline = osloDate(input.deadline);
  const authoredOn = toFhirDateTime(input.authoredOn);
  const where = input.institution?.name ? ` fra ${input.institution.name}` : '';
  const when = input.dischargeDate ? ` ${formatNorwegianDate(input.dischargeDate)}` : ' (utskrivningsdato ikke bekreftet)';
  const inputs: TaskInput[] = [
    markedInput(TASK_INPUT.episodeKey, { valueString: input.episodeKey }),
    ...(input.dischargeDate ? [markedInput(TASK_INPUT.dischargeDate, { valueDate: osloDate(input.dischargeDate) })] : []),
    ...input.signals.map((s) => markedInput(TASK_INPUT.signal, { valueReference: reference(s.resourceType, s.id) })),
    ...(input.institution?.id || input.institution?.name
      ? [
          markedInput(TASK_INPUT.institution, {
            valueReference: input.institution.id
              ? reference('Organization', input.institution.id, input.institution.name)
              : { display: input.institution.name },
          }),
        ]
      : []),
  ];
  return {
    resourceType: 'Task',
    meta: profileMeta('pht-follow-up-task'),
    identifier: [identifier(SYSTEMS.followUpTaskId, followUpTaskIdentifierValue('discharge-follow-up', input.episodeKey))],
    status: 'requested',
    intent: 'order',
    code: concept(taskTypeCoding('discharge-follow-up')),
    description: `Kontakt pasienten innen 3 arbeidsdager etter utskrivning${where}${when}`,
    focus: reference(focus.resourceType, focus.id),
    for: reference('Patient', input.patientId),
    authoredOn,
    lastModified: authoredOn,
    requester: requesterReference(input.requester),
    ...(input.ownerId ? { owner: reference('Practitioner', input.ownerId) } : {}),
    restriction: { period: { end: deadline } },
    input: inputs,
  };
}

export interface OutreachTaskInput {
  /** What makes the outreach unique, e.g. `<patientId>|<year>`: triaging it twice gives one task. */
  key: string;
  patientId: string;
  ownerId?: string;
  requester: TaskRequester;
  authoredOn: string;
  /** Optional Oslo date to have it done by. */
  dueDate?: string;
  description?: string;
}

/** Outreach to a weak demander (SPEC §3: assess the need, offer a consultation or home visit). */
export function buildOutreachTask(input: OutreachTaskInput): Task {
  const authoredOn = toFhirDateTime(input.authoredOn);
  return {
    resourceType: 'Task',
    meta: profileMeta('pht-follow-up-task'),
    identifier: [identifier(SYSTEMS.followUpTaskId, followUpTaskIdentifierValue('outreach', input.key))],
    status: 'requested',
    intent: 'order',
    code: concept(taskTypeCoding('outreach')),
    description: input.description ?? 'Vurder behov for oppfølging og tilby konsultasjon eller hjemmebesøk',
    for: reference('Patient', input.patientId),
    authoredOn,
    lastModified: authoredOn,
    requester: requesterReference(input.requester),
    ...(input.ownerId ? { owner: reference('Practitioner', input.ownerId) } : {}),
    ...(input.dueDate ? { restriction: { period: { end: osloDate(input.dueDate) } } } : {}),
  };
}

export interface GpMedicationReviewTaskInput {
  /** The discharge follow-up this comes from: its id and identifier value (the key of this task). */
  followUpTaskId: string;
  followUpIdentifier: string;
  patientId: string;
  /** The GP (Practitioner id). */
  gpId?: string;
  /** The nurse who asks. */
  requesterId: string;
  authoredOn: string;
  /** The epikrise or discharge the medication changes come from. */
  focus?: SignalRef;
  note?: string;
}

/** Medication changes after discharge that need the GP (nurses do not prescribe, source ch. 3.4.1). */
export function buildGpMedicationReviewTask(input: GpMedicationReviewTaskInput): Task {
  const authoredOn = toFhirDateTime(input.authoredOn);
  return {
    resourceType: 'Task',
    meta: profileMeta('pht-follow-up-task'),
    identifier: [
      identifier(SYSTEMS.followUpTaskId, followUpTaskIdentifierValue('gp-medication-review', input.followUpIdentifier)),
    ],
    basedOn: [reference('Task', input.followUpTaskId)],
    status: 'requested',
    intent: 'order',
    priority: 'urgent',
    code: concept(taskTypeCoding('gp-medication-review')),
    description: 'Legemiddelendringer etter utskrivning må vurderes av fastlegen',
    ...(input.focus ? { focus: reference(input.focus.resourceType, input.focus.id) } : {}),
    for: reference('Patient', input.patientId),
    authoredOn,
    lastModified: authoredOn,
    requester: reference('Practitioner', input.requesterId),
    ...(input.gpId ? { owner: reference('Practitioner', input.gpId) } : {}),
    ...(input.note ? { note: [{ text: input.note, time: authoredOn, authorReference: reference('Practitioner', input.requesterId) }] } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Domain state -> an existing Task

const STATUS_TO_FHIR: Readonly<Record<FollowUpStatus, Task['status']>> = {
  new: 'requested',
  attempted: 'in-progress',
  contacted: 'completed',
  closed: 'cancelled',
};

function attemptExtension(attempt: ContactAttempt): Extension {
  const contactId = 'contactId' in attempt && typeof attempt.contactId === 'string' ? attempt.contactId : undefined;
  return {
    url: EXTENSIONS.contactAttempt,
    extension: [
      { url: 'time', valueDateTime: toFhirDateTime(attempt.at) },
      { url: 'channel', valueCoding: CHANNEL_CODING[attempt.channel] },
      { url: 'performer', valueReference: reference('Practitioner', attempt.by) },
      { url: 'reached', valueBoolean: attempt.successful },
      ...(contactId ? [{ url: 'contact', valueReference: reference('Encounter', contactId) }] : []),
    ],
  };
}

/**
 * Which attempt a note belongs to. Time and author alone are not enough: a failed attempt and the
 * successful contact are often logged in the same minute by the same nurse (issue 17 item 1).
 */
function attemptNoteId(attempt: Pick<ContactAttempt, 'successful' | 'channel'>): string {
  return `attempt-${attempt.successful ? 'reached' : 'not-reached'}-${attempt.channel}`;
}

function attemptNote(attempt: ContactAttempt): Annotation | undefined {
  if (!attempt.note) return undefined;
  return { id: attemptNoteId(attempt), time: toFhirDateTime(attempt.at), authorReference: reference('Practitioner', attempt.by), text: attempt.note };
}

function taskTypeOf(task: Task): TaskType | undefined {
  const code = codings(task.code).find((c) => c.system === SYSTEMS.taskType)?.code;
  return TASK_TYPES.find((t) => t === code);
}

function businessStatus(state: FollowUpState, type: TaskType | undefined): CodeableConcept | undefined {
  const hasDeadline = type === 'discharge-follow-up' || state.deadline !== '';
  let outcome: keyof typeof OUTCOME_DISPLAY | undefined;
  if (state.status === 'contacted') {
    const first = state.attempts.filter((a) => a.successful).map((a) => osloDate(a.at)).sort()[0];
    outcome = hasDeadline && first ? followUpOutcome(state.deadline, state.attempts, first) : 'met';
  } else if (state.status === 'closed' && state.closure && hasDeadline) {
    outcome = complianceClass(state, state.closure.at) === 'missed' ? 'missed' : undefined;
  }
  return outcome ? concept({ system: SYSTEMS.followUpOutcome, code: outcome, display: OUTCOME_DISPLAY[outcome] }) : undefined;
}

/** Sets (in place, keeping the order) or removes the discharge-date input. */
function withDischargeDate(inputs: readonly TaskInput[], date: string | undefined): TaskInput[] {
  const replacement = date ? markedInput(TASK_INPUT.dischargeDate, { valueDate: osloDate(date) }) : undefined;
  const at = inputs.findIndex((i) => i.type?.text === TASK_INPUT.dischargeDate);
  if (at >= 0) return inputs.flatMap((i, n) => (n === at ? (replacement ? [replacement] : []) : [i])).filter((i) => i.type?.text !== TASK_INPUT.dischargeDate || i === replacement);
  if (!replacement) return [...inputs];
  const after = inputs.findIndex((i) => i.type?.text === TASK_INPUT.episodeKey);
  return [...inputs.slice(0, after + 1), replacement, ...inputs.slice(after + 1)];
}

export type FollowUpState = Pick<FollowUpTask, 'status' | 'attempts' | 'closure' | 'owner' | 'deadline' | 'dischargeDate'>;

export interface ApplyStateOptions {
  /** ISO date-time of this change (Task.lastModified). */
  now: string;
  /** The user making the change (recorded-by). */
  by?: string;
  /** A GP task created because medication changes need the GP (Task.output). */
  gpTaskId?: string;
}

/**
 * Writes the domain state (after recordAttempt / closeTask / assignment) onto the Task it came from,
 * keeping everything else the Task carries (other extensions, notes, inputs).
 */
export function applyFollowUpState(resource: Task, state: FollowUpState, opts: ApplyStateOptions): Task {
  const type = taskTypeOf(resource);
  const attempts = state.attempts.map(attemptExtension);
  let extension = withExtension(resource.extension, EXTENSIONS.contactAttempt, attempts);
  if (opts.by) extension = withExtension(extension, EXTENSIONS.recordedBy, [recordedByExtension(reference('Practitioner', opts.by))]);

  const attemptTimes = new Set(state.attempts.map((a) => toFhirDateTime(a.at)));
  const otherNotes = (resource.note ?? []).filter((n) => !(n.time && attemptTimes.has(n.time) && n.authorReference));
  const notes = [...otherNotes, ...state.attempts.map(attemptNote).filter((n): n is Annotation => n !== undefined)];

  const contactIds = state.attempts.flatMap((a) => ('contactId' in a && typeof a.contactId === 'string' ? [a.contactId] : []));
  const outputType = concept(taskTypeCoding(type ?? 'discharge-follow-up'));
  const keptOutputs = (resource.output ?? []).filter((o) => {
    const ref = parseReference(o.valueReference?.reference);
    return !(ref?.resourceType === 'Encounter' && contactIds.includes(ref.id)) && !(opts.gpTaskId && ref?.resourceType === 'Task' && ref.id === opts.gpTaskId);
  });
  const outputs: TaskOutput[] = [
    ...keptOutputs,
    ...contactIds.map((id) => ({ type: outputType, valueReference: reference('Encounter', id) })),
    ...(opts.gpTaskId ? [{ type: concept(taskTypeCoding('gp-medication-review')), valueReference: reference('Task', opts.gpTaskId) }] : []),
  ];

  const firstAttempt = state.attempts.map((a) => toFhirDateTime(a.at)).sort()[0];
  const firstContact = state.attempts.filter((a) => a.successful).map((a) => toFhirDateTime(a.at)).sort()[0];
  const end = state.status === 'contacted' ? firstContact : state.status === 'closed' && state.closure ? toFhirDateTime(state.closure.at) : undefined;
  const start = firstAttempt ?? end;

  const inputs = withDischargeDate(resource.input ?? [], state.dischargeDate);

  const next: Task = {
    ...resource,
    status: STATUS_TO_FHIR[state.status],
    lastModified: toFhirDateTime(opts.now),
    extension,
    ...(inputs.length > 0 ? { input: inputs } : {}),
  };
  delete next.statusReason;
  delete next.businessStatus;
  delete next.owner;
  delete next.executionPeriod;
  delete next.note;
  delete next.output;
  if (extension.length === 0) delete next.extension;
  const status = businessStatus(state, type);
  if (status) next.businessStatus = status;
  if (state.status === 'closed' && state.closure) {
    next.statusReason = concept(
      { system: SYSTEMS.followUpCloseReason, code: state.closure.reason, display: CLOSE_REASON_DISPLAY[state.closure.reason] },
      state.closure.note,
    );
  }
  if (state.owner) next.owner = reference('Practitioner', state.owner);
  if (start) next.executionPeriod = end ? { start, end } : { start };
  if (notes.length > 0) next.note = notes;
  if (outputs.length > 0) next.output = outputs;
  if (state.deadline && (type === 'discharge-follow-up' || resource.restriction?.period?.end)) {
    next.restriction = { ...resource.restriction, period: { ...resource.restriction?.period, end: osloDate(state.deadline) } };
  }
  return next;
}

// ---------------------------------------------------------------------------------------------
// Task -> FollowUpTask (tolerant: issues, never throws)

export interface TaskIssue {
  taskId?: string;
  /** Norwegian, for the user. */
  message: string;
  field?: string;
}

export interface FollowUpTaskDetails {
  taskType: TaskType;
  versionId?: string;
  /** The follow-up-task-id identifier value. */
  identifier?: string;
  focus?: SignalRef;
  signals: SignalRef[];
  institution?: { id?: string; name?: string };
  /** Encounter ids of the nurse contacts (output and attempts). */
  contactIds: string[];
  /** GP tasks created from this one (output). */
  gpTaskIds: string[];
  /** The discharge date was never confirmed: the deadline runs from the message date. */
  dischargeDateUnconfirmed: boolean;
  /** Who asked for the task (Practitioner or Organization reference). */
  requester?: string;
  lastModified?: string;
}

export interface FollowUpTaskMapping {
  followUp?: FollowUpTask;
  details?: FollowUpTaskDetails;
  issues: TaskIssue[];
}

const SIGNAL_TYPES: readonly SignalType[] = ['Encounter', 'DocumentReference', 'Communication'];

function refOf(value: unknown): { resourceType: string; id: string } | undefined {
  return parseReference(text(field(value, 'reference')));
}

function signalOf(value: unknown): SignalRef | undefined {
  const ref = refOf(value);
  const type = SIGNAL_TYPES.find((t) => t === ref?.resourceType);
  return ref && type ? { resourceType: type, id: ref.id } : undefined;
}

function practitionerIdOf(value: unknown): string | undefined {
  const ref = refOf(value);
  return ref && (ref.resourceType === 'Practitioner' || ref.resourceType === 'PractitionerRole') ? ref.id : undefined;
}

function readDate(value: unknown): string | undefined {
  const t = text(value);
  if (t === undefined) return undefined;
  try {
    return osloDate(t);
  } catch {
    return undefined;
  }
}

function channelOf(value: unknown): ContactChannel | undefined {
  const [coding] = codings(value);
  if (!coding) return undefined;
  const found = CHANNELS.find((ch) => CHANNEL_CODING[ch].system === coding.system && CHANNEL_CODING[ch].code === coding.code);
  if (found) return found;
  // Other ParticipationMode codes (EMAILWRIT, FAXWRIT, SMSWRIT, ...) are written.
  if (coding.system === PARTICIPATION_MODE_SYSTEM && coding.code?.endsWith('WRIT')) return 'written';
  return undefined;
}

function subExtension(ext: unknown, url: string): unknown {
  return list(field(ext, 'extension')).find((e) => field(e, 'url') === url);
}

function readAttempt(ext: unknown, notes: unknown[], sameTimeAndAuthor: number, issue: (message: string, at?: string) => void): TaskContactAttempt | undefined {
  const time = text(field(subExtension(ext, 'time'), 'valueDateTime'));
  const channel = channelOf(field(subExtension(ext, 'channel'), 'valueCoding'));
  const by = practitionerIdOf(field(subExtension(ext, 'performer'), 'valueReference'));
  const reached = field(subExtension(ext, 'reached'), 'valueBoolean');
  const contactId = refOf(field(subExtension(ext, 'contact'), 'valueReference'));
  if (time === undefined || readDate(time) === undefined) return issue('Kontaktforsøk uten gyldig tidspunkt er ikke tatt med', 'extension.time'), undefined;
  if (channel === undefined) return issue('Kontaktforsøk med ukjent kanal er ikke tatt med', 'extension.channel'), undefined;
  if (by === undefined) return issue('Kontaktforsøk uten utfører er ikke tatt med', 'extension.performer'), undefined;
  if (typeof reached !== 'boolean') return issue('Kontaktforsøk uten svar på om pasienten ble nådd er ikke tatt med', 'extension.reached'), undefined;
  // A note written by this app names its attempt; an older note without id is only trusted when no
  // other attempt shares its time and author.
  const noteId = attemptNoteId({ successful: reached, channel });
  const note = notes.find((n) => {
    if (text(field(n, 'time')) !== time || practitionerIdOf(field(n, 'authorReference')) !== by) return false;
    const id = text(field(n, 'id'));
    return id === undefined ? sameTimeAndAuthor === 1 : id === noteId;
  });
  const noteText = text(field(note, 'text'));
  return {
    at: time,
    channel,
    by,
    successful: reached,
    ...(noteText !== undefined ? { note: noteText } : {}),
    ...(contactId?.resourceType === 'Encounter' ? { contactId: contactId.id } : {}),
  };
}

function inputsMarked(resource: unknown, marker: string): unknown[] {
  return list(field(resource, 'input')).filter((i) => text(field(field(i, 'type'), 'text')) === marker);
}

const STATUS_FROM_FHIR: Readonly<Record<string, FollowUpStatus>> = {
  draft: 'new',
  requested: 'new',
  received: 'new',
  accepted: 'new',
  ready: 'new',
  'on-hold': 'attempted',
  'in-progress': 'attempted',
  completed: 'contacted',
  cancelled: 'closed',
  rejected: 'closed',
  failed: 'closed',
};

/**
 * Reads a Task (any shape at runtime: it may come from another system or be hand-edited) into the
 * domain's FollowUpTask. What cannot be read becomes an issue in Norwegian; a Task without id, patient,
 * type or (for a discharge follow-up) deadline gives no followUp at all.
 */
export function toFollowUpTask(resource: unknown): FollowUpTaskMapping {
  const issues: TaskIssue[] = [];
  const taskId = text(field(resource, 'id'));
  const issue = (message: string, at?: string) => issues.push({ ...(taskId ? { taskId } : {}), message, ...(at ? { field: at } : {}) });
  if (!isRecord(resource) || resource.resourceType !== 'Task') {
    issue('Ikke en oppgave (Task)');
    return { issues };
  }
  if (!taskId) issue('Oppgaven mangler id', 'id');
  const type = TASK_TYPES.find((t) => codings(resource.code).some((c) => c.system === SYSTEMS.taskType && c.code === t));
  if (!type) issue('Ukjent oppgavetype', 'code');
  const forRef = refOf(resource.for);
  const patientId = forRef?.resourceType === 'Patient' ? forRef.id : undefined;
  if (!patientId) issue('Oppgaven gjelder ingen pasient', 'for');
  const deadline = readDate(field(field(resource.restriction, 'period'), 'end'));
  if (type === 'discharge-follow-up' && !deadline) issue('Oppgaven mangler frist', 'restriction.period.end');
  const rawStatus = text(resource.status);
  if (rawStatus === 'entered-in-error') issue('Oppgaven er registrert ved en feil', 'status');
  const statusFromFhir = rawStatus === undefined ? undefined : STATUS_FROM_FHIR[rawStatus];
  if (rawStatus !== 'entered-in-error' && statusFromFhir === undefined) issue(`Ukjent status «${rawStatus ?? ''}»`, 'status');

  const notes = list(resource.note);
  const attemptExts = list(resource.extension).filter((e) => field(e, 'url') === EXTENSIONS.contactAttempt);
  const timeAndAuthor = (e: unknown) => `${text(field(subExtension(e, 'time'), 'valueDateTime')) ?? ''}|${text(field(field(subExtension(e, 'performer'), 'valueReference'), 'reference')) ?? ''}`;
  const attempts = attemptExts
    .map((e) => readAttempt(e, notes, attemptExts.filter((o) => timeAndAuthor(o) === timeAndAuthor(e)).length, issue))
    .filter((a): a is TaskContactAttempt => a !== undefined)
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

  const episodeKey = text(field(inputsMarked(resource, TASK_INPUT.episodeKey)[0], 'valueString'));
  const idValue = text(field(list(resource.identifier).find((i) => field(i, 'system') === SYSTEMS.followUpTaskId), 'value'));
  const focus = signalOf(resource.focus);
  const signals = inputsMarked(resource, TASK_INPUT.signal)
    .map((i) => signalOf(field(i, 'valueReference')))
    .filter((s): s is SignalRef => s !== undefined);
  if (focus && !signals.some((s) => s.resourceType === focus.resourceType && s.id === focus.id)) signals.unshift(focus);
  const dischargeDate = readDate(field(inputsMarked(resource, TASK_INPUT.dischargeDate)[0], 'valueDate'));
  const institutionRef = field(inputsMarked(resource, TASK_INPUT.institution)[0], 'valueReference');
  const institutionId = refOf(institutionRef)?.resourceType === 'Organization' ? refOf(institutionRef)?.id : undefined;
  const institutionName = text(field(institutionRef, 'display'));

  const reasonCode = codings(resource.statusReason).find((c) => c.system === SYSTEMS.followUpCloseReason)?.code;
  const closeReason = FOLLOW_UP_CLOSE_REASONS.find((r) => r === reasonCode);
  const createdAt = text(resource.authoredOn) ?? text(field(resource.meta, 'lastUpdated'));
  const lastModified = text(resource.lastModified) ?? text(field(resource.meta, 'lastUpdated'));
  const recordedBy = practitionerIdOf(
    field(list(resource.extension).find((e) => field(e, 'url') === EXTENSIONS.recordedBy), 'valueReference'),
  );
  const owner = practitionerIdOf(resource.owner);

  let status = statusFromFhir ?? 'new';
  let closure: FollowUpTask['closure'];
  if (status === 'closed') {
    if (!closeReason) issue('Lukket oppgave uten kjent årsak; vist som «ikke behov for oppfølging»', 'statusReason');
    const closedAt = text(field(resource.executionPeriod, 'end')) ?? lastModified ?? createdAt;
    closure = {
      reason: closeReason ?? 'no-follow-up-needed',
      at: closedAt && readDate(closedAt) ? closedAt : (createdAt ?? ''),
      by: recordedBy ?? owner ?? '',
      ...(text(field(resource.statusReason, 'text')) ? { note: text(field(resource.statusReason, 'text')) } : {}),
    };
    if (attempts.some((a) => a.successful)) {
      issue('Oppgaven er lukket, men pasienten er registrert som kontaktet; vist som kontaktet', 'status');
      status = 'contacted';
    }
  } else if (status === 'contacted' && !attempts.some((a) => a.successful)) {
    issue('Oppgaven er fullført uten registrert kontakt med pasienten', 'status');
  } else if (status === 'new' && attempts.length > 0) {
    status = attempts.some((a) => a.successful) ? 'contacted' : 'attempted';
  } else if (status === 'attempted' && attempts.some((a) => a.successful)) {
    status = 'contacted';
  }

  const outputs = list(resource.output).map((o) => refOf(field(o, 'valueReference')));
  const contactIds = [
    ...new Set([
      ...outputs.filter((r) => r?.resourceType === 'Encounter').map((r) => r?.id ?? ''),
      ...attempts.flatMap((a) => (a.contactId ? [a.contactId] : [])),
    ]),
  ].filter((id) => id !== '');
  const gpTaskIds = outputs.filter((r) => r?.resourceType === 'Task').map((r) => r?.id ?? '').filter((id) => id !== '');

  if (!taskId || !type || !patientId || rawStatus === 'entered-in-error' || !createdAt) {
    if (!createdAt) issue('Oppgaven mangler opprettelsestidspunkt', 'authoredOn');
    return { issues };
  }
  if (!deadline && type === 'discharge-follow-up') return { issues };
  if (type === 'discharge-follow-up' && !episodeKey) issue('Oppgaven mangler utskrivningsepisoden; bruker oppgavens id', 'input');

  const followUp: FollowUpTask = {
    id: taskId,
    patientId,
    dischargeKey: episodeKey ?? idValue ?? taskId,
    ...(dischargeDate ? { dischargeDate } : {}),
    deadline: deadline ?? '',
    status,
    ...(owner ? { owner } : {}),
    attempts,
    ...(closure && status === 'closed' ? { closure } : {}),
    createdAt,
    ...(gpTaskIds.length > 0 ? { needsGp: true } : {}),
  };
  const versionId = text(field(resource.meta, 'versionId'));
  const institution = institutionId || institutionName ? { ...(institutionId ? { id: institutionId } : {}), ...(institutionName ? { name: institutionName } : {}) } : undefined;
  const requester = refOf(resource.requester);
  const details: FollowUpTaskDetails = {
    taskType: type,
    ...(versionId ? { versionId } : {}),
    ...(idValue ? { identifier: idValue } : {}),
    ...(focus ? { focus } : {}),
    signals,
    ...(institution ? { institution } : {}),
    contactIds,
    gpTaskIds,
    dischargeDateUnconfirmed: type === 'discharge-follow-up' && !dischargeDate,
    ...(requester ? { requester: `${requester.resourceType}/${requester.id}` } : {}),
    ...(lastModified ? { lastModified } : {}),
  };
  return { followUp, details, issues };
}

// FHIR R4 -> PatientFacts for the target-group rules (SPEC §3, §4, §8). One patient at a time; every
// related resource is checked against that patient. Malformed data becomes a DataIssue (Norwegian,
// shown to the user), never an exception and never a fact.
//
// Shapes read (our own, documented here until builders exist):
// - Patient.extension[LIVES_IN_INSTITUTION_EXTENSION].valueBoolean (also accepted on a current
//   Patient.address, and under any canonical base ending in /lives-in-institution), or
//   Patient.extension[RESIDENCE_INSTITUTION_EXTENSION].valueReference (the seed's form) meaning true.
// - Target-group assessment: Procedure, status completed, code SYSTEMS.assessmentType#target-group,
//   reasonCode SYSTEMS.targetGroup#<group> (one or more), outcome ASSESSMENT_OUTCOME_SYSTEM#include|exclude,
//   note[].text = reason, performedDateTime = date, recorder = author (display, else reference).
// - Medication review / assessment of the need for one: Procedure, status completed, MEDICATION_REVIEW_CODES.
// - Clinical Frailty Scale: Observation, status final|amended|corrected, CLINICAL_FRAILTY_SCALE_CODES,
//   value 1-9 as valueInteger, valueQuantity.value, valueString or a valueCodeableConcept code.
// - Discharges (SPEC §3 "a discharge in the last 365 days", SPEC §4 shapes): inpatient Encounters (read
//   here, as before), discharge-summary DocumentReferences and epikrise/discharge-notice Communications,
//   merged into episodes by detectDischarges (../discharges.ts, the inbox's reader): one date per
//   episode, its discharge date or, when it has none, its message date (with an issue).
import type {
  CarePlan,
  Communication,
  Condition,
  DocumentReference,
  Encounter,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Organization,
  Patient,
  Procedure,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { osloDate } from '../../domain/calendar';
import { detectDischarges, type DischargeEpisode } from '../discharges';
import { codeSystemKind, TARGET_GROUPS, type PatientFacts, type TargetGroup } from '../../domain/targetGroups';
import { SYSTEMS } from '../systems';
import {
  ASSESSMENT_OUTCOME_SYSTEM,
  ASSESSMENT_TYPE,
  CLINICAL_FRAILTY_SCALE_CODES,
  HOUSING_STATUS_CODES,
  INPATIENT_CLASSES,
  INSTITUTION_ADDRESS_WORDS,
  INSTITUTION_HOUSING_CODES,
  LIVES_IN_INSTITUTION_EXTENSION,
  MEDICATION_REVIEW_CODES,
  RESIDENCE_INSTITUTION_EXTENSION,
} from './codes';
import { codings, field, firstCodeWhere, hasCoding, isRecord, list, parseReference, readOsloDate, someCoding, systemCodePairs, text, type DateRead } from './read';

export interface DataIssue {
  resourceType: string;
  id?: string;
  /** Norwegian, for the user. */
  message: string;
  /** The FHIR element at fault, e.g. 'subject' or 'effectiveDateTime'. */
  field?: string;
}

export interface PatientFactsContext {
  /** Organization id of the practice (its serviceProvider). */
  practiceOrgId: string;
  /** Oslo date, YYYY-MM-DD. */
  asOf: string;
  /** The practice's configured epikrise codes, besides LOINC 18842-5 (SPEC §4). */
  epikriseCodes?: { system: string; code: string }[];
}

/**
 * A discharge signal of this patient: the resource it came from (issues name it), normalised for
 * detectDischarges by signalResource only when episodes are needed (a message is among the signals).
 */
interface DischargeSignal {
  source: Encounter | DocumentReference | Communication;
  /** The id the built resource has (its own, or a stand-in when it has none). */
  id: string;
  /** Encounter only: its Oslo discharge date as read here (the fallback if the episodes cannot be built). */
  date?: string;
}

interface Mapping {
  facts: PatientFacts;
  patient: Patient;
  ctx: PatientFactsContext;
  related: readonly Resource[];
  /** Created with the first signal (most patients have none). */
  signals: DischargeSignal[] | undefined;
  /** The latest housing-status observation read (LOINC 71802-3): its date and whether it is an institution. */
  housing?: { date: string; institution: boolean };
  /** 'Patient/<id>' and 'Organization/<practice>': the common references, compared without parsing. */
  patientRef: string | undefined;
  practiceRef: string;
  issues: DataIssue[];
}

type Handler<R> = (resource: R, m: Mapping) => void;

export function toPatientFacts(
  patient: Patient,
  related: Resource[],
  ctx: PatientFactsContext,
): { facts: PatientFacts; issues: DataIssue[] } {
  const all = Array.isArray(related) ? related : [];
  const m = startMapping(patient, ctx, all);
  // Types seen per id, for long lists only (a short one is searched in place, allocating nothing).
  const seen = all.length > SHORT_LIST ? new Map<string, string | string[]>() : undefined;
  for (let i = 0; i < all.length; i++) {
    const resource: unknown = all[i];
    if (!isRecord(resource)) continue;
    // The same resource twice (e.g. through _include and a search) is one fact.
    if (resource.id !== undefined && (seen === undefined ? seenBefore(all, i, resource) : seenInMap(seen, resource))) continue;
    mapOne(resource as unknown as Resource, m);
  }
  return finishMapping(m);
}

/** toPatientFacts one resource at a time: what a streaming reader uses so it need not keep the resources. */
export interface PatientFactsBuilder {
  /** Maps one related resource now (the same resource twice is one fact). */
  add(resource: Resource): void;
  /** The facts and issues, as toPatientFacts gives them for the resources added, in that order. */
  finish(): { facts: PatientFacts; issues: DataIssue[] };
}

/**
 * toPatientFacts resource by resource. `lookup` is where a MedicationStatement/-Request's `medicationReference`
 * is looked up (a streaming reader that reads no Medication passes nothing). The population scan by $export
 * feeds it as the NDJSON streams in (issue 19 point 5).
 */
export function patientFactsBuilder(patient: Patient, ctx: PatientFactsContext, lookup: readonly Resource[] = []): PatientFactsBuilder {
  const m = startMapping(patient, ctx, lookup);
  // From here on only the subject check reads the patient (its id and identifiers): a builder kept for every
  // patient of a large practice does not keep the whole Patient resource.
  m.patient = { resourceType: 'Patient', id: patient.id, identifier: patient.identifier } as Patient;
  let seen: Map<string, string | string[]> | undefined = new Map();
  let done: { facts: PatientFacts; issues: DataIssue[] } | undefined;
  return {
    add(resource) {
      if (!isRecord(resource) || seen === undefined) return;
      if (resource.id !== undefined && seenInMap(seen, resource)) return;
      mapOne(resource, m);
    },
    finish() {
      seen = undefined;
      done ??= finishMapping(m);
      return done;
    },
  };
}

function startMapping(patient: Patient, ctx: PatientFactsContext, related: readonly Resource[]): Mapping {
  const patientId = text(patient.id);
  const m: Mapping = {
    facts: {
      conditions: [],
      medications: [],
      contacts: [],
      discharges: [],
      frailtyScores: [],
      carePlans: [],
      medicationReviews: [],
      assessments: [],
    },
    patient,
    ctx,
    related,
    signals: undefined,
    patientRef: patientId !== undefined ? `Patient/${patientId}` : undefined,
    practiceRef: practiceReference(ctx.practiceOrgId),
    issues: [],
  };
  try {
    mapPatient(patient, m);
  } catch {
    issue(m, { resourceType: 'Patient', id: patient.id }, UNREADABLE);
  }
  return m;
}

function mapOne(resource: Resource, m: Mapping): void {
  try {
    mapRelated(resource, m);
  } catch {
    issue(m, resource, UNREADABLE);
  }
}

function finishMapping(m: Mapping): { facts: PatientFacts; issues: DataIssue[] } {
  mapDischarges(m);
  // The standard housing-status observation counts like our own extension: an institution anywhere wins.
  if (m.housing !== undefined && m.facts.livesInInstitution !== true) m.facts.livesInInstitution = m.housing.institution;
  return { facts: m.facts, issues: m.issues };
}

// The last line of defence (the try/catch around each resource): whatever shape a resource has,
// mapping it must not throw.
const UNREADABLE = 'Ressursen kunne ikke leses og er ikke brukt.';

const SHORT_LIST = 32;

// 'Organization/<practice>', built once per practice rather than per patient.
let lastPracticeOrgId: string | undefined;
let lastPracticeRef = '';

function practiceReference(practiceOrgId: string): string {
  if (practiceOrgId !== lastPracticeOrgId) {
    lastPracticeRef = `Organization/${practiceOrgId}`;
    lastPracticeOrgId = practiceOrgId;
  }
  return lastPracticeRef;
}

/** Whether a resource with the same type and id comes earlier in the list. */
function seenBefore(all: readonly unknown[], i: number, resource: Record<string, unknown>): boolean {
  const id = String(resource.id);
  const type = String(resource.resourceType);
  // Ids are strings (FHIR): compared as they are, without a String() per earlier resource (a short list is
  // searched once per resource); any other id is compared as its string, as before.
  for (let j = 0; j < i; j++) {
    const earlier = all[j];
    if (typeof earlier !== 'object' || earlier === null) continue;
    const earlierId: unknown = (earlier as { id?: unknown }).id;
    if (earlierId === undefined) continue;
    if (typeof earlierId === 'string' ? earlierId !== id : !isRecord(earlier) || String(earlierId) !== id) continue;
    if (isRecord(earlier) && String(earlier.resourceType) === type) return true;
  }
  return false;
}

/** Whether this type and id were seen (recording them when not). */
function seenInMap(seen: Map<string, string | string[]>, resource: Record<string, unknown>): boolean {
  const id = String(resource.id);
  const type = String(resource.resourceType);
  const prior = seen.get(id);
  if (prior === undefined) seen.set(id, type);
  else if (prior === type || (Array.isArray(prior) && prior.includes(type))) return true;
  else seen.set(id, Array.isArray(prior) ? [...prior, type] : [prior, type]);
  return false;
}

function issue(m: Mapping, resource: { resourceType: string; id?: string }, message: string, at?: string): void {
  const entry: DataIssue = { resourceType: String(resource.resourceType), message };
  const id = text(resource.id);
  if (id !== undefined) entry.id = id;
  if (at !== undefined) entry.field = at;
  m.issues.push(entry);
}


function mapRelated(resource: Resource, m: Mapping): void {
  switch (resource.resourceType) {
    case 'Condition':
      if (ofPatient(resource, m)) mapCondition(resource, m);
      return;
    case 'MedicationStatement':
    case 'MedicationRequest':
      if (ofPatient(resource, m)) mapMedication(resource, m);
      return;
    case 'Encounter':
      if (ofPatient(resource, m)) mapEncounter(resource, m);
      return;
    case 'Observation':
      if (ofPatient(resource, m)) mapObservation(resource, m);
      return;
    case 'CarePlan':
      if (ofPatient(resource, m)) mapCarePlan(resource, m);
      return;
    case 'Procedure':
      if (ofPatient(resource, m)) mapProcedure(resource, m);
      return;
    case 'DocumentReference':
    case 'Communication':
      if (ofPatient(resource, m)) collectDischargeMessage(resource, m);
      return;
    default:
      // Medication (read through references), Organization, Practitioner, ...: not facts themselves.
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Subject: the launch's patient is checked against every resource (SPEC §8).

type WithSubject =
  | Condition
  | MedicationStatement
  | MedicationRequest
  | Encounter
  | Observation
  | CarePlan
  | Procedure
  | DocumentReference
  | Communication;

// Whether the resource is about this patient (else an issue says why it is not used). The handlers are
// called by mapRelated itself, one call site each, so the engine can inline them.
function ofPatient(resource: WithSubject, m: Mapping): boolean {
  const subject: unknown = resource.subject;
  if (!isRecord(subject)) {
    issue(m, resource, 'Mangler pasient (subject); ikke brukt.', 'subject');
    return false;
  }
  // The common case, 'Patient/<id>' exactly, without parsing the reference.
  const verdict = m.patientRef !== undefined && subject.reference === m.patientRef ? 'same' : refersToPatient(subject, m.patient);
  if (verdict === 'other') {
    issue(m, resource, 'Gjelder en annen pasient; ikke brukt.', 'subject');
    return false;
  }
  if (verdict === 'unknown') {
    issue(m, resource, 'Pasientreferansen (subject) kan ikke leses; ikke brukt.', 'subject');
    return false;
  }
  return true;
}

function refersToPatient(subject: Record<string, unknown>, patient: Patient): 'same' | 'other' | 'unknown' {
  const patientId = text(patient.id);
  const reference = text(subject.reference);
  if (reference !== undefined) {
    const parsed = parseReference(reference);
    if (parsed === undefined) return 'unknown';
    return parsed.type === 'Patient' && patientId !== undefined && parsed.id === patientId ? 'same' : 'other';
  }
  // A logical reference by identifier (fødselsnummer, D-nummer) is accepted when it matches the patient.
  const identifier = subject.identifier;
  const system = text(field(identifier, 'system'));
  const value = text(field(identifier, 'value'));
  if (system === undefined || value === undefined) return 'unknown';
  const same = list(patient.identifier).some((id) => text(field(id, 'system')) === system && text(field(id, 'value')) === value);
  return same ? 'same' : 'other';
}

// ---------------------------------------------------------------------------------------------
// Patient

function mapPatient(patient: Patient, m: Mapping): void {
  if (text(patient.id) === undefined) {
    issue(m, patient, 'Pasienten mangler id; ingen andre opplysninger kan knyttes til den.', 'id');
  }
  const birthDate: unknown = patient.birthDate;
  if (birthDate !== undefined) {
    const read = readOsloDate(birthDate);
    // A FHIR date may be partial ('1940'); the age rules need a full date, so it is left out.
    if (read !== undefined && 'date' in read && typeof birthDate === 'string' && birthDate.trim().length === 10) {
      m.facts.birthDate = read.date;
    } else {
      issue(m, patient, `Fødselsdatoen ${quoted(birthDate)} er ufullstendig eller ugyldig.`, 'birthDate');
    }
  }
  const institution = livesInInstitution(patient, m);
  if (institution !== undefined) m.facts.livesInInstitution = institution;
}

/** The address's text and lines (the strings among them), joined by spaces. */
function addressWords(address: unknown): string {
  let words = '';
  let first = true;
  const addressText = field(address, 'text');
  if (typeof addressText === 'string') {
    words = addressText;
    first = false;
  }
  const lines = field(address, 'line');
  if (!Array.isArray(lines)) return words;
  for (const line of lines) {
    if (typeof line !== 'string') continue;
    words = first ? line : `${words} ${line}`;
    first = false;
  }
  return words;
}

function isInstitutionExtension(url: unknown): boolean {
  return url === LIVES_IN_INSTITUTION_EXTENSION || (typeof url === 'string' && url.endsWith('/lives-in-institution'));
}

// Read from the Patient, or from a current address (not use 'old', period not ended before asOf). The
// Patient's extensions are read first, then those of its current addresses in order (no list is copied:
// this runs once per patient of a population scan).
function livesInInstitution(patient: Patient, m: Mapping): boolean | undefined {
  const addresses: unknown = patient.address;
  let addressInstitution = false;
  let addressExtensions = false;
  if (Array.isArray(addresses)) {
    for (const address of addresses) {
      if (!isCurrentAddress(address, m.ctx.asOf)) continue;
      const more = field(address, 'extension');
      if (Array.isArray(more) && more.length > 0) addressExtensions = true;
      const named = INSTITUTION_ADDRESS_WORDS.exec(addressWords(address));
      if (named) {
        addressInstitution = true;
        issue(m, patient, `Regnet som beboer i institusjon ut fra adressen («${short(named[0])}»); bekreft boforholdet.`, 'address');
      }
    }
  }
  let result = institutionExtensions(patient.extension, undefined, patient, m);
  if (addressExtensions && Array.isArray(addresses)) {
    for (const address of addresses) {
      if (isCurrentAddress(address, m.ctx.asOf)) result = institutionExtensions(field(address, 'extension'), result, patient, m);
    }
  }
  return addressInstitution ? true : result;
}

function isCurrentAddress(address: unknown, asOf: string): boolean {
  if (field(address, 'use') === 'old') return false;
  const end = readOsloDate(field(field(address, 'period'), 'end'));
  return !(end !== undefined && 'date' in end && end.date < asOf);
}

/** The institution extensions among `extensions` read onto `result` (true wins), with an issue for each unreadable one. */
function institutionExtensions(extensions: unknown, result: boolean | undefined, patient: Patient, m: Mapping): boolean | undefined {
  if (!Array.isArray(extensions)) return result;
  for (const extension of extensions) {
    const url = field(extension, 'url');
    if (url === RESIDENCE_INSTITUTION_EXTENSION || (typeof url === 'string' && url.endsWith('/residence-institution'))) {
      const institution = field(extension, 'valueReference');
      if (isRecord(institution)) result = true;
      else issue(m, patient, 'Opplysningen om institusjonsopphold mangler institusjon.', 'extension');
      continue;
    }
    if (!isInstitutionExtension(url)) continue;
    const value = field(extension, 'valueBoolean');
    if (typeof value === 'boolean') result = result === true || value;
    else issue(m, patient, 'Opplysningen om institusjonsopphold har ingen gyldig ja/nei-verdi.', 'extension');
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Condition: clinicalStatus active/recurrence/relapse is active; entered-in-error and refuted are not facts.

const ACTIVE_CLINICAL: ReadonlySet<string | undefined> = new Set(['active', 'recurrence', 'relapse']);
const INACTIVE_CLINICAL: ReadonlySet<string | undefined> = new Set(['inactive', 'remission', 'resolved']);

// Coding tests for someCoding, made once (no closure per resource).
const isVoidedVerification = (_system: string | undefined, code: string | undefined): boolean => code === 'entered-in-error' || code === 'refuted';
const isActiveClinical = (_system: string | undefined, code: string | undefined): boolean => ACTIVE_CLINICAL.has(code);
const isInactiveClinical = (_system: string | undefined, code: string | undefined): boolean => INACTIVE_CLINICAL.has(code);
const isAtcSystem = (system: string | undefined): boolean => codeSystemKind(system) === 'atc';

function isDiagnosisSystem(system: string): boolean {
  const kind = codeSystemKind(system);
  return kind === 'icpc2' || kind === 'icd10';
}

const mapCondition: Handler<Condition> = (condition, m) => {
  if (someCoding(condition.verificationStatus, isVoidedVerification)) return;
  // The codings with both a system and a code: the condition's fact codings.
  const found = systemCodePairs(condition.code);
  if (found.length === 0) {
    const written = text(field(condition.code, 'text')) ?? codings(condition.code).map((c) => c.display).find((d) => typeof d === 'string');
    const uncoded = codings(condition.code).find((c) => c.code !== undefined && c.system === undefined)?.code;
    if (uncoded !== undefined) issue(m, condition, `Diagnosekoden ${quoted(uncoded)} mangler kodeverk; den teller ikke i målgruppereglene.`, 'code');
    else if (written !== undefined) issue(m, condition, `Diagnosen er bare oppgitt som tekst (${quoted(written)}); den teller ikke i målgruppereglene.`, 'code');
    else issue(m, condition, 'Diagnosen mangler kode med kodeverk; ikke brukt.', 'code');
    return;
  }
  let usable = false;
  for (let i = 0; i < found.length && !usable; i++) usable = isDiagnosisSystem(found[i]?.system ?? '');
  if (!usable) {
    const systems = [...new Set(found.map((c) => c.system))].join(', ');
    issue(m, condition, `Diagnosen er kodet i et kodeverk appen ikke bruker (${systems}); den teller ikke i målgruppereglene.`, 'code');
  }
  const recorded = dateOf(condition, m, 'recordedDate', condition.recordedDate);
  if (typeof recorded === 'string' && recorded > m.ctx.asOf) return; // not yet known on asOf
  let active: boolean;
  if (someCoding(condition.clinicalStatus, isActiveClinical)) active = true;
  else if (someCoding(condition.clinicalStatus, isInactiveClinical)) active = false;
  else if (condition.abatementDateTime !== undefined || condition.abatementPeriod !== undefined || condition.abatementString !== undefined) {
    active = false;
  } else {
    // FHIR requires clinicalStatus here (con-3); without abatement the condition is taken as ongoing.
    active = true;
    issue(m, condition, 'Diagnosen mangler klinisk status; regnet som aktiv.', 'clinicalStatus');
  }
  m.facts.conditions.push({ codings: found, active });
};

// ---------------------------------------------------------------------------------------------
// MedicationStatement / MedicationRequest: ATC from medicationCodeableConcept, or from the referenced
// Medication (contained or among the related resources).

const ACTIVE_MEDICATION: ReadonlySet<string> = new Set(['active', 'intended', 'on-hold']);

const mapMedication: Handler<MedicationStatement | MedicationRequest> = (medication, m) => {
  const status = text(medication.status);
  if (status === 'entered-in-error') return;
  const atc = atcOf(medication, m);
  if (atc === undefined) {
    issue(m, medication, 'Legemiddelet mangler ATC-kode; teller ikke som legemiddel.', 'medicationCodeableConcept');
    return;
  }
  if (status === undefined) issue(m, medication, 'Legemiddelet mangler status; regnet som ikke aktivt.', 'status');
  const started =
    medication.resourceType === 'MedicationRequest'
      ? dateOf(medication, m, 'authoredOn', medication.authoredOn)
      : dateOf(medication, m, 'effectiveDateTime', medication.effectiveDateTime ?? field(medication.effectivePeriod, 'start'));
  const active = status !== undefined && ACTIVE_MEDICATION.has(status) && (typeof started !== 'string' || started <= m.ctx.asOf);
  m.facts.medications.push({ atc, active });
};

function atcOf(medication: MedicationStatement | MedicationRequest, m: Mapping): string | undefined {
  const direct = firstCodeWhere(medication.medicationCodeableConcept, isAtcSystem);
  if (direct !== undefined) return direct;
  const reference = text(field(medication.medicationReference, 'reference'));
  if (reference === undefined) return undefined;
  const target = reference.startsWith('#')
    ? list(medication.contained).find((r) => field(r, 'id') === reference.slice(1))
    : m.related.find((r) => r.resourceType === 'Medication' && r.id === parseReference(reference)?.id);
  return codings(field(target, 'code')).find((c) => codeSystemKind(c.system) === 'atc')?.code;
}

// ---------------------------------------------------------------------------------------------
// Encounter: contacts with the practice, and discharges (SPEC §3, §4).

const HAPPENED: ReadonlySet<string> = new Set(['finished', 'in-progress', 'arrived', 'triaged', 'onleave']);
const INPATIENT: ReadonlySet<string | undefined> = new Set(INPATIENT_CLASSES);
const isInpatientClass = (_system: string | undefined, code: string | undefined): boolean => INPATIENT.has(code);

const mapEncounter: Handler<Encounter> = (encounter, m) => {
  const status = text(encounter.status);
  if (status === undefined) {
    issue(m, encounter, 'Kontakten mangler status; ikke brukt.', 'status');
    return;
  }
  const inpatient = someCoding(encounter.class, isInpatientClass);
  const provider = encounter.serviceProvider?.reference === m.practiceRef ? 'practice' : serviceProvider(encounter, m.ctx.practiceOrgId);
  if (inpatient) {
    if (provider === 'practice') {
      issue(m, encounter, 'Innleggelse registrert med legekontoret som institusjon; ikke brukt.', 'serviceProvider');
      return;
    }
    if (status !== 'finished') return; // still admitted, or planned/cancelled
    // Emergency visits (class EMER) without admission are not inpatient classes, so never discharges.
    const end = dateOf(encounter, m, 'period.end', field(encounter.period, 'end'));
    if (end === undefined) issue(m, encounter, 'Avsluttet innleggelse uten sluttdato; utskrivningen er ikke brukt.', 'period.end');
    else if (end !== null) collectDischargeEncounter(encounter, end, m);
    return;
  }
  if (provider === 'other' || !HAPPENED.has(status)) return; // another service's contact, or not held
  const period: unknown = encounter.period;
  const date = dateOf(encounter, m, 'period.start', field(period, 'start') ?? field(period, 'end'));
  if (date === undefined) issue(m, encounter, 'Kontakten mangler dato; ikke brukt.', 'period.start');
  else if (date !== null) m.facts.contacts.push(date);
};

function serviceProvider(encounter: Encounter, practiceOrgId: string): 'practice' | 'other' | 'absent' {
  const provider: unknown = encounter.serviceProvider;
  if (!isRecord(provider)) return 'absent';
  const reference = text(provider.reference);
  if (reference !== undefined) {
    const parsed = parseReference(reference);
    return parsed?.type === 'Organization' && parsed.id === practiceOrgId ? 'practice' : 'other';
  }
  const value = text(field(provider.identifier, 'value'));
  if (value !== undefined) return value === practiceOrgId ? 'practice' : 'other';
  return 'absent';
}

// ---------------------------------------------------------------------------------------------
// Discharges: every SPEC §4 shape, merged into episodes by detectDischarges (one date per episode).
// The signals have passed the subject check above, so they are handed over with a normalised subject;
// an Encounter is handed over as read here (class, status, provider and end already checked), so its
// rules stay exactly those of mapEncounter and detectDischarges only merges.

const SELF_ID = 'self';
const SELF: Reference<Patient> = { reference: `Patient/${SELF_ID}` };
/** detectDischarges only reads it. */
const SELF_IDS: ReadonlySet<string> = new Set([SELF_ID]);

function addSignal(source: DischargeSignal['source'], date: string | undefined, m: Mapping): void {
  m.signals ??= [];
  const id = text(source.id) ?? `pht-signal-${m.signals.length + 1}`;
  m.signals.push(date === undefined ? { source, id } : { source, id, date });
}

/** The serviceProvider as an institution reference detectDischarges reads the same way as this mapper. */
function institutionReference(encounter: Encounter): Reference<Organization> | undefined {
  const provider: unknown = encounter.serviceProvider;
  if (!isRecord(provider)) return undefined;
  const display = text(provider.display);
  const reference = text(provider.reference);
  const parsed = reference === undefined ? undefined : parseReference(reference);
  if (parsed?.type === 'Organization') return { reference: `Organization/${parsed.id}`, ...(display !== undefined && { display }) };
  const system = text(field(provider.identifier, 'system'));
  const value = text(field(provider.identifier, 'value'));
  if (value !== undefined) return { identifier: { ...(system !== undefined && { system }), value }, ...(display !== undefined && { display }) };
  return display === undefined ? undefined : { display };
}

function collectDischargeEncounter(encounter: Encounter, end: string, m: Mapping): void {
  addSignal(encounter, end, m);
}

const collectDischargeMessage: Handler<DocumentReference | Communication> = (message, m) => {
  addSignal(message, undefined, m);
};

/** The signal as detectDischarges reads it: an Encounter as read here (its date), a message with the patient as subject. */
function signalResource(s: DischargeSignal): Resource {
  if (s.date === undefined) return { ...s.source, id: s.id, subject: SELF };
  const serviceProvider = institutionReference(s.source as Encounter);
  return {
    resourceType: 'Encounter',
    id: s.id,
    status: 'finished',
    class: { system: SYSTEMS.actCode, code: 'IMP' },
    subject: SELF,
    period: { end: s.date },
    ...(serviceProvider !== undefined && { serviceProvider }),
  };
}

/** Episode notes that say nothing about the patient's facts (the institution, the follow-up deadline). */
const NOT_ABOUT_FACTS = [
  'Institusjonen er ukjent',
  'utskrivningsdato mangler',
  'utskrivningsdato i fremtiden',
  'meldingsdato i fremtiden',
  'Fristen kan ikke beregnes',
];

function short(message: string): string {
  return message.length > 100 ? `${message.slice(0, 100)}…` : message;
}

function formatDate(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}

function mapDischarges(m: Mapping): void {
  // Encounters alone: their dates as read (a same-day duplicate is one date to the rules anyway). The
  // episodes are built only when a message may add a discharge or merge with one.
  const signals = m.signals;
  if (signals === undefined) return;
  let messages = false;
  for (let i = 0; i < signals.length && !messages; i++) messages = signals[i]?.date === undefined;
  if (!messages) {
    for (const s of signals) if (s.date !== undefined && s.date <= m.ctx.asOf) m.facts.discharges.push(s.date);
    return;
  }
  let found: ReturnType<typeof detectDischarges>;
  try {
    found = detectDischarges(
      signals.map(signalResource),
      {
        practiceOrgIds: [m.ctx.practiceOrgId],
        today: m.ctx.asOf,
        knownPatientIds: SELF_IDS,
        withoutDeadline: true,
        ...(m.ctx.epikriseCodes !== undefined && { epikriseCodes: m.ctx.epikriseCodes }),
      },
    );
  } catch {
    // Only an unreadable asOf gets here: the Encounters still count, unmerged, as before.
    for (const s of signals) {
      if (s.date !== undefined) m.facts.discharges.push(s.date);
      else issue(m, s.source, 'Utskrivningsmeldingen kunne ikke leses; ikke brukt.');
    }
    return;
  }
  for (const ignored of found.ignored) {
    if (!ignored.reason.startsWith('Feil i data')) continue; // not a discharge message: not a fact, no issue
    const signal = signalOf(signals, ignored.resourceType, String(ignored.id));
    issue(m, signal?.source ?? { resourceType: ignored.resourceType }, 'Utskrivningsmeldingen kunne ikke leses; ikke brukt.');
  }
  for (const episode of found.episodes) mapEpisode(episode, signals, m);
}

/** The signal of this type and id (the last one, when two share them). */
function signalOf(signals: readonly DischargeSignal[], resourceType: string, id: string): DischargeSignal | undefined {
  for (let i = signals.length - 1; i >= 0; i--) {
    const s = signals[i];
    if (s !== undefined && s.source.resourceType === resourceType && s.id === id) return s;
  }
  return undefined;
}

function mapEpisode(episode: DischargeEpisode, signals: readonly DischargeSignal[], m: Mapping): void {
  if (episode.patientId !== SELF_ID) return;
  // Issues go to the message (the epikrise) when there is one, else to the Encounter.
  let first = episode.signals[0];
  for (const s of episode.signals) {
    if (s.resourceType === 'Encounter') continue;
    first = s;
    break;
  }
  const signal = first === undefined ? undefined : signalOf(signals, first.resourceType, first.id);
  const source = signal?.source ?? { resourceType: first?.resourceType ?? 'DocumentReference' };
  const at = source.resourceType === 'DocumentReference' ? 'context.period.end' : source.resourceType === 'Communication' ? 'sent' : 'period.end';
  const date = episode.dischargeDate ?? episode.effectiveDate;
  if (date === undefined) {
    issue(m, source, 'Utskrivningsmeldingen har verken utskrivningsdato eller meldingsdato; ikke brukt.', at);
    return;
  }
  if (date > m.ctx.asOf) return; // facts after asOf are ignored
  m.facts.discharges.push(date);
  if (episode.dischargeDate === undefined) issue(m, source, `Utskrivningsdato mangler; dato fra meldingen (${formatDate(date)}) er brukt.`, at);
  for (const note of episode.warnings) episodeNote(note, source, at, m);
  for (const note of episode.errors) episodeNote(note, source, at, m);
}

function episodeNote(note: string, source: { resourceType: string; id?: string }, at: string, m: Mapping): void {
  for (const prefix of NOT_ABOUT_FACTS) if (note.startsWith(prefix)) return;
  issue(m, source, short(note), at);
}

// ---------------------------------------------------------------------------------------------
// Observation: Clinical Frailty Scale.

const USABLE_OBSERVATION = ['final', 'amended', 'corrected'];

const mapObservation: Handler<Observation> = (observation, m) => {
  if (hasCoding(observation.code, HOUSING_STATUS_CODES)) return mapHousing(observation, m);
  if (!hasCoding(observation.code, CLINICAL_FRAILTY_SCALE_CODES)) return;
  const status = text(observation.status);
  if (status === undefined) issue(m, observation, 'Skrøpelighetsskåren mangler status; ikke brukt.', 'status');
  if (status === undefined || !USABLE_OBSERVATION.includes(status)) return;
  const effective =
    observation.effectiveDateTime ??
    observation.effectiveInstant ??
    field(observation.effectivePeriod, 'end') ??
    field(observation.effectivePeriod, 'start') ??
    observation.issued;
  const date = dateOf(observation, m, 'effectiveDateTime', effective);
  if (date === undefined) issue(m, observation, 'Skrøpelighetsskåren mangler dato; ikke brukt.', 'effectiveDateTime');
  if (typeof date !== 'string') return;
  const value = frailtyValue(observation);
  if (value === undefined) {
    issue(m, observation, 'Skrøpelighetsskåren (CFS) har ingen verdi fra 1 til 9; ikke brukt.', 'value[x]');
    return;
  }
  m.facts.frailtyScores.push({ value, date });
};

/** LOINC 71802-3: the latest (by date, up to asOf) decides; a nursing-home or residential-care value = institution. */
function mapHousing(observation: Observation, m: Mapping): void {
  const status = text(observation.status);
  if (status === undefined || !USABLE_OBSERVATION.includes(status)) return;
  const effective = observation.effectiveDateTime ?? observation.effectiveInstant ?? field(observation.effectivePeriod, 'start') ?? observation.issued;
  const date = dateOf(observation, m, 'effectiveDateTime', effective);
  if (date === null || (typeof date === 'string' && date > m.ctx.asOf)) return;
  const values = codings(observation.valueCodeableConcept).filter((c) => c.code !== undefined);
  if (values.length === 0) {
    issue(m, observation, 'Boforholdet (LOINC 71802-3) har ingen kodet verdi; ikke brukt.', 'valueCodeableConcept');
    return;
  }
  const institution = hasCoding(observation.valueCodeableConcept, INSTITUTION_HOUSING_CODES);
  const day = date ?? '0000-00-00';
  if (date === undefined) issue(m, observation, 'Boforholdet mangler dato; brukt bare om det ikke finnes et nyere.', 'effectiveDateTime');
  if (m.housing === undefined || day >= m.housing.date) m.housing = { date: day, institution };
}

function frailtyValue(observation: Observation): number | undefined {
  const candidates: unknown[] = [
    observation.valueInteger,
    field(observation.valueQuantity, 'value'),
    observation.valueString,
    ...codings(observation.valueCodeableConcept).map((c) => c.code),
  ];
  for (const candidate of candidates) {
    const n = typeof candidate === 'string' && /^\s*\d\s*$/.test(candidate) ? Number(candidate) : candidate;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 9) return n;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// CarePlan: active (and not ended before asOf) with at least one goal (SPEC §3, source Table 2).

const mapCarePlan: Handler<CarePlan> = (carePlan, m) => {
  const status = text(carePlan.status);
  if (status === 'entered-in-error') return;
  if (status === undefined) issue(m, carePlan, 'Behandlingsplanen mangler status; regnet som ikke aktiv.', 'status');
  const end = dateOf(carePlan, m, 'period.end', field(carePlan.period, 'end'));
  const start = dateOf(carePlan, m, 'period.start', field(carePlan.period, 'start'));
  const current = (typeof end !== 'string' || end >= m.ctx.asOf) && (typeof start !== 'string' || start <= m.ctx.asOf);
  m.facts.carePlans.push({ active: status === 'active' && current, hasGoals: list(carePlan.goal).some(isRecord) });
};

// ---------------------------------------------------------------------------------------------
// Procedure: medication reviews, and the team's target-group assessments.

const TARGET_GROUP_ASSESSMENT = [{ system: SYSTEMS.assessmentType, code: ASSESSMENT_TYPE.targetGroup }];

const mapProcedure: Handler<Procedure> = (procedure, m) => {
  const assessment = hasCoding(procedure.code, TARGET_GROUP_ASSESSMENT);
  const review = hasCoding(procedure.code, MEDICATION_REVIEW_CODES);
  if (!assessment && !review) {
    if (codings(procedure.code).length === 0) issue(m, procedure, 'Prosedyren mangler kode; ikke brukt.', 'code');
    return;
  }
  const status = text(procedure.status);
  if (status === undefined) issue(m, procedure, 'Prosedyren mangler status; ikke brukt.', 'status');
  if (status !== 'completed') return;
  const performed = procedure.performedDateTime ?? field(procedure.performedPeriod, 'end') ?? field(procedure.performedPeriod, 'start');
  const date = dateOf(procedure, m, 'performedDateTime', performed);
  if (date === undefined) issue(m, procedure, 'Prosedyren mangler dato; ikke brukt.', 'performedDateTime');
  if (typeof date !== 'string') return;
  if (review) m.facts.medicationReviews.push(date);
  if (assessment) mapAssessment(procedure, date, m);
};

function mapAssessment(procedure: Procedure, date: string, m: Mapping): void {
  const outcomes = codings(procedure.outcome).filter(
    (c) => c.system === undefined || c.system === ASSESSMENT_OUTCOME_SYSTEM || c.system === SYSTEMS.assessmentType,
  );
  const include = outcomes.some((c) => c.code === 'include');
  const exclude = outcomes.some((c) => c.code === 'exclude');
  if (include === exclude) {
    issue(m, procedure, 'Målgruppevurderingen har ikke ett utfall (include eller exclude); ikke brukt.', 'outcome');
    return;
  }
  const groupCodes = codings(procedure.reasonCode).filter((c) => c.system === SYSTEMS.targetGroup);
  const groups = groupCodes.map((c) => c.code).filter((g): g is TargetGroup => TARGET_GROUPS.some((t) => t === g));
  if (groups.length < groupCodes.length) issue(m, procedure, 'Målgruppevurderingen har en ukjent målgruppe.', 'reasonCode');
  if (groupCodes.length === 0) {
    issue(m, procedure, 'Målgruppevurderingen mangler målgruppe; ikke brukt.', 'reasonCode');
    return;
  }
  const reason = list(procedure.note)
    .map((n) => text(field(n, 'text')))
    .filter((t) => t !== undefined)
    .join(' ');
  const recorder: unknown = procedure.recorder;
  const author = text(field(recorder, 'display')) ?? text(field(recorder, 'reference'));
  for (const group of new Set(groups)) {
    const entry: PatientFacts['assessments'][number] = { group, include, reason, date };
    if (author !== undefined) entry.author = author;
    m.facts.assessments.push(entry);
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Oslo date of a date/dateTime element: undefined when absent; null when invalid (reported here, so
 * callers report only a missing date).
 */
/** A value quoted into a user-facing issue, cut short: a 5 MB field must not become a 5 MB message. */
function quoted(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function dateOf(resource: { resourceType: string; id?: string }, m: Mapping, at: string, value: unknown): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    // The common case without a result object; an invalid date is reported below.
    try {
      return osloDate(value.trim());
    } catch {
      // reported below
    }
  }
  const read: DateRead = readOsloDate(value);
  if (read === undefined) return undefined;
  if ('date' in read) return read.date;
  issue(m, resource, `Ugyldig dato ${quoted(read.invalid)}; ikke brukt.`, at);
  return null;
}

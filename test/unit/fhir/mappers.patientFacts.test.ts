// FHIR R4 -> PatientFacts (SPEC §3, §4, §8), with hand-written resources including malformed ones.
import type {
  CarePlan,
  Communication,
  Condition,
  DocumentReference,
  Encounter,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  Procedure,
  Resource,
} from '@medplum/fhirtypes';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { classifyPatient } from '../../../src/domain/targetGroups';
import {
  ASSESSMENT_OUTCOME_SYSTEM,
  LIVES_IN_INSTITUTION_EXTENSION,
} from '../../../src/fhir/mappers/codes';
import { toPatientFacts } from '../../../src/fhir/mappers/patientFacts';
import { PHT_CANONICAL, SYSTEMS } from '../../../src/fhir/systems';

const ctx = { practiceOrgId: 'org-practice', asOf: '2026-11-23' };
const FNR = '01014012345';
const patient: Patient = { resourceType: 'Patient', id: 'p1', birthDate: '1940-05-17', identifier: [{ system: SYSTEMS.fnr, value: FNR }] };
const subject = { reference: 'Patient/p1' };
const map = (related: Resource[], p: Patient = patient) => toPatientFacts(p, related, ctx);
const clinical = (code: string) => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code }] });
const verification = (code: string) => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code }] });

function condition(overrides: Partial<Condition> = {}): Condition {
  return {
    resourceType: 'Condition',
    id: 'c1',
    subject,
    clinicalStatus: clinical('active'),
    code: { coding: [{ system: SYSTEMS.icpc2, code: 'T90' }] },
    ...overrides,
  };
}
function statement(overrides: Partial<MedicationStatement> = {}): MedicationStatement {
  return {
    resourceType: 'MedicationStatement',
    id: 'ms1',
    status: 'active',
    subject,
    medicationCodeableConcept: { coding: [{ system: SYSTEMS.atc, code: 'C09AA05' }] },
    ...overrides,
  };
}
function encounter(overrides: Partial<Encounter> = {}): Encounter {
  return {
    resourceType: 'Encounter',
    id: 'e1',
    status: 'finished',
    class: { system: SYSTEMS.actCode, code: 'AMB' },
    subject,
    serviceProvider: { reference: 'Organization/org-practice' },
    period: { start: '2026-11-22T23:30:00Z', end: '2026-11-22T23:50:00Z' },
    ...overrides,
  };
}
function admission(overrides: Partial<Encounter> = {}): Encounter {
  return encounter({
    id: 'adm1',
    class: { system: SYSTEMS.actCode, code: 'IMP' },
    serviceProvider: { reference: 'Organization/hospital' },
    period: { start: '2026-09-28T10:00:00+02:00', end: '2026-10-01T22:30:00Z' },
    ...overrides,
  });
}
// R5 made Encounter.class a list of CodeableConcepts; some servers already send that shape.
function r5Admission(): Encounter {
  return JSON.parse(JSON.stringify({ ...admission(), class: [{ coding: [{ system: SYSTEMS.actCode, code: 'IMP' }] }] }));
}
function epikrise(overrides: Partial<DocumentReference> = {}): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    id: 'doc1',
    status: 'current',
    type: { coding: [{ system: SYSTEMS.loinc, code: '18842-5' }] },
    subject,
    date: '2026-10-02T09:00:00+02:00',
    custodian: { reference: 'Organization/hospital' },
    context: { period: { start: '2026-09-28', end: '2026-10-01T22:30:00Z' } },
    content: [{ attachment: { contentType: 'text/plain', title: 'Epikrise' } }],
    ...overrides,
  };
}
function notice(overrides: Partial<Communication> = {}): Communication {
  return {
    resourceType: 'Communication',
    id: 'com1',
    status: 'completed',
    category: [{ coding: [{ system: `${PHT_CANONICAL}/CodeSystem/message-category`, code: 'epikrise' }] }],
    subject,
    sent: '2026-10-03T08:00:00+02:00',
    sender: { reference: 'Organization/hospital' },
    ...overrides,
  };
}
function cfs(overrides: Partial<Observation> = {}): Observation {
  return {
    resourceType: 'Observation',
    id: 'o1',
    status: 'final',
    subject,
    code: { coding: [{ system: SYSTEMS.snomed, code: '763264000' }] },
    effectiveDateTime: '2026-03-01T10:00:00+01:00',
    valueInteger: 6,
    ...overrides,
  };
}
function procedure(overrides: Partial<Procedure> = {}): Procedure {
  return {
    resourceType: 'Procedure',
    id: 'pr1',
    status: 'completed',
    subject,
    code: { coding: [{ system: SYSTEMS.snomed, code: '182836005' }] },
    performedDateTime: '2026-02-01',
    ...overrides,
  };
}
function assessment(overrides: Partial<Procedure> = {}): Procedure {
  return procedure({
    id: 'a1',
    code: { coding: [{ system: SYSTEMS.assessmentType, code: 'target-group' }] },
    reasonCode: [{ coding: [{ system: SYSTEMS.targetGroup, code: 'chronic' }] }],
    outcome: { coding: [{ system: ASSESSMENT_OUTCOME_SYSTEM, code: 'include' }] },
    note: [{ text: 'Trenger koordinert oppfølging' }],
    recorder: { reference: 'Practitioner/gp1', display: 'Kari Lege' },
    performedDateTime: '2026-05-04T09:15:00+02:00',
    ...overrides,
  });
}

describe('Patient', () => {
  test.each([
    { birthDate: '1940-05-17', facts: '1940-05-17', issue: false },
    { birthDate: '1940', facts: undefined, issue: true },
    { birthDate: '1940-05', facts: undefined, issue: true },
    { birthDate: '1940-02-30', facts: undefined, issue: true },
    { birthDate: undefined, facts: undefined, issue: false },
  ])('birthDate $birthDate', ({ birthDate, facts, issue }) => {
    const result = map([], { ...patient, birthDate });
    expect(result.facts.birthDate).toBe(facts);
    expect(result.issues.some((i) => i.field === 'birthDate')).toBe(issue);
  });

  const ext = (valueBoolean: boolean, url: string = LIVES_IN_INSTITUTION_EXTENSION) => ({ url, valueBoolean });
  test.each([
    { name: 'extension true', p: { extension: [ext(true)] }, expected: true },
    { name: 'extension false', p: { extension: [ext(false)] }, expected: false },
    { name: 'no extension', p: {}, expected: undefined },
    { name: 'another canonical base', p: { extension: [ext(true, 'http://seed.example/fhir/StructureDefinition/lives-in-institution')] }, expected: true },
    { name: 'on the current address', p: { address: [{ use: 'home' as const, extension: [ext(true)] }] }, expected: true },
    { name: 'on an old address', p: { address: [{ use: 'old' as const, extension: [ext(true)] }] }, expected: undefined },
    {
      name: "the seed's residence-institution reference",
      p: { extension: [{ url: `${PHT_CANONICAL}/StructureDefinition/residence-institution`, valueReference: { reference: 'Organization/org-sagene-sykehjem' } }] },
      expected: true,
    },
    { name: 'on an address that ended', p: { address: [{ period: { end: '2025-01-01' }, extension: [ext(true)] }] }, expected: undefined },
  ])('institution: $name', ({ p, expected }) => {
    const result = map([], { ...patient, ...p });
    expect(result.facts.livesInInstitution).toBe(expected);
    expect(result.issues).toEqual([]);
  });

  test('an institution extension with a wrong value type is an issue', () => {
    const result = map([], { ...patient, extension: [{ url: LIVES_IN_INSTITUTION_EXTENSION, valueString: 'ja' }] });
    expect(result.facts.livesInInstitution).toBeUndefined();
    expect(result.issues).toMatchObject([{ resourceType: 'Patient', id: 'p1', field: 'extension' }]);
  });
});

describe('subject checks (SPEC §8: the launch patient against every resource)', () => {
  test.each([
    { name: 'relative reference', subject: { reference: 'Patient/p1' }, fact: true },
    { name: 'absolute reference with history', subject: { reference: 'https://epj.example/fhir/Patient/p1/_history/3' }, fact: true },
    { name: 'by fødselsnummer', subject: { identifier: { system: SYSTEMS.fnr, value: FNR } }, fact: true },
    { name: 'another patient', subject: { reference: 'Patient/p2' }, fact: false },
    { name: 'another patient by fødselsnummer', subject: { identifier: { system: SYSTEMS.fnr, value: '02029012345' } }, fact: false },
    { name: 'a Group, not a Patient', subject: { reference: 'Group/p1' }, fact: false },
    { name: 'display only', subject: { display: 'Ola Nordmann' }, fact: false },
    { name: 'missing', subject: undefined, fact: false },
  ])('$name', ({ subject: s, fact }) => {
    const result = map([condition({ subject: s })]);
    expect(result.facts.conditions.length).toBe(fact ? 1 : 0);
    expect(result.issues.length).toBe(fact ? 0 : 1);
    if (!fact) expect(result.issues[0]).toMatchObject({ resourceType: 'Condition', id: 'c1', field: 'subject' });
  });
  test('a patient without id gets no facts from related resources', () => {
    const result = map([condition()], { resourceType: 'Patient', birthDate: '1940-01-01' });
    expect(result.facts.conditions).toEqual([]);
    expect(result.issues.map((i) => i.field)).toEqual(['id', 'subject']);
  });
});

describe('Condition', () => {
  test.each([
    { name: 'active', c: {}, expected: [{ active: true }] },
    { name: 'recurrence', c: { clinicalStatus: clinical('recurrence') }, expected: [{ active: true }] },
    { name: 'relapse', c: { clinicalStatus: clinical('relapse') }, expected: [{ active: true }] },
    { name: 'resolved', c: { clinicalStatus: clinical('resolved') }, expected: [{ active: false }] },
    { name: 'remission', c: { clinicalStatus: clinical('remission') }, expected: [{ active: false }] },
    { name: 'entered in error', c: { verificationStatus: verification('entered-in-error') }, expected: [] },
    { name: 'refuted', c: { verificationStatus: verification('refuted') }, expected: [] },
    { name: 'provisional still counts', c: { verificationStatus: verification('provisional') }, expected: [{ active: true }] },
    { name: 'recorded after asOf', c: { recordedDate: '2026-11-24' }, expected: [] },
    { name: 'no clinicalStatus but abated', c: { clinicalStatus: undefined, abatementDateTime: '2020-01-01' }, expected: [{ active: false }] },
  ])('$name', ({ c, expected }) => {
    const result = map([condition(c)]);
    expect(result.facts.conditions).toMatchObject(expected);
    expect(result.issues).toEqual([]);
  });

  test('codings are kept as given, several systems on one condition', () => {
    const c = condition({
      code: {
        coding: [
          { system: SYSTEMS.icpc2, code: 'T90' },
          { system: SYSTEMS.icd10no, code: 'E11.9' },
          { system: SYSTEMS.snomed, code: '44054006' },
          { display: 'uten kode' },
        ],
      },
    });
    expect(map([c]).facts.conditions).toEqual([
      {
        active: true,
        codings: [
          { system: SYSTEMS.icpc2, code: 'T90' },
          { system: SYSTEMS.icd10no, code: 'E11.9' },
          { system: SYSTEMS.snomed, code: '44054006' },
        ],
      },
    ]);
  });

  test.each([
    { name: 'no code', c: { code: undefined }, field: 'code', facts: 0 },
    { name: 'code without system', c: { code: { coding: [{ code: 'T90' }] } }, field: 'code', facts: 0 },
    { name: 'text only', c: { code: { text: 'sukkersyke' } }, field: 'code', facts: 0 },
    { name: 'only an unknown system', c: { code: { coding: [{ system: SYSTEMS.snomed, code: '44054006' }] } }, field: 'code', facts: 1 },
    { name: 'no clinicalStatus', c: { clinicalStatus: undefined }, field: 'clinicalStatus', facts: 1 },
    { name: 'invalid recordedDate', c: { recordedDate: '2026-13-01' }, field: 'recordedDate', facts: 1 },
  ])('issue: $name', ({ c, field, facts }) => {
    const result = map([condition(c)]);
    expect(result.issues).toMatchObject([{ resourceType: 'Condition', id: 'c1', field }]);
    expect(result.facts.conditions).toHaveLength(facts);
  });
});

describe('MedicationStatement and MedicationRequest', () => {
  const request = (overrides: Partial<MedicationRequest> = {}): MedicationRequest => ({
    resourceType: 'MedicationRequest',
    id: 'mr1',
    status: 'active',
    intent: 'order',
    subject,
    medicationCodeableConcept: { coding: [{ system: 'urn:oid:2.16.578.1.12.4.1.1.7180', code: 'A10BA02' }] },
    authoredOn: '2026-01-10',
    ...overrides,
  });
  test.each([
    { name: 'statement active', r: statement(), expected: [{ atc: 'C09AA05', active: true }] },
    { name: 'statement intended', r: statement({ status: 'intended' }), expected: [{ atc: 'C09AA05', active: true }] },
    { name: 'statement on hold', r: statement({ status: 'on-hold' }), expected: [{ atc: 'C09AA05', active: true }] },
    { name: 'statement completed', r: statement({ status: 'completed' }), expected: [{ atc: 'C09AA05', active: false }] },
    { name: 'statement stopped', r: statement({ status: 'stopped' }), expected: [{ atc: 'C09AA05', active: false }] },
    { name: 'statement entered in error', r: statement({ status: 'entered-in-error' }), expected: [] },
    { name: 'statement starting after asOf', r: statement({ effectivePeriod: { start: '2026-12-01' } }), expected: [{ atc: 'C09AA05', active: false }] },
    { name: 'request active, ATC by OID', r: request(), expected: [{ atc: 'A10BA02', active: true }] },
    { name: 'request cancelled', r: request({ status: 'cancelled' }), expected: [{ atc: 'A10BA02', active: false }] },
    { name: 'request authored after asOf', r: request({ authoredOn: '2026-11-24T08:00:00+01:00' }), expected: [{ atc: 'A10BA02', active: false }] },
    {
      name: 'contained Medication',
      r: statement({
        medicationCodeableConcept: undefined,
        medicationReference: { reference: '#med' },
        contained: [{ resourceType: 'Medication', id: 'med', code: { coding: [{ system: SYSTEMS.atc, code: 'N02BE01' }] } }],
      }),
      expected: [{ atc: 'N02BE01', active: true }],
    },
  ])('$name', ({ r, expected }) => {
    const result = map([r]);
    expect(result.facts.medications).toEqual(expected);
    expect(result.issues).toEqual([]);
  });
  test('a referenced Medication among the related resources', () => {
    const result = map([
      statement({ medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/m9' } }),
      { resourceType: 'Medication', id: 'm9', code: { coding: [{ system: SYSTEMS.atc, code: 'B01AC06' }] } },
    ]);
    expect(result.facts.medications).toEqual([{ atc: 'B01AC06', active: true }]);
  });
  test.each([
    { name: 'no ATC, only a local code', r: statement({ medicationCodeableConcept: { coding: [{ system: 'urn:oid:2.16.578.1.12.4.1.1.7424', code: '123' }] } }), field: 'medicationCodeableConcept' },
    { name: 'unresolvable reference', r: statement({ medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/nope' } }), field: 'medicationCodeableConcept' },
  ])('issue: $name', ({ r, field }) => {
    const result = map([r]);
    expect(result.facts.medications).toEqual([]);
    expect(result.issues).toMatchObject([{ resourceType: 'MedicationStatement', field }]);
  });
});

describe('Encounter: contacts and discharges', () => {
  test.each([
    { name: 'practice contact, UTC late evening is the next Oslo day', e: encounter(), contacts: ['2026-11-23'], discharges: [] },
    { name: 'no serviceProvider', e: encounter({ serviceProvider: undefined }), contacts: ['2026-11-23'], discharges: [] },
    { name: 'practice by identifier', e: encounter({ serviceProvider: { identifier: { system: SYSTEMS.orgnr, value: 'org-practice' } } }), contacts: ['2026-11-23'], discharges: [] },
    { name: 'home visit class', e: encounter({ class: { system: SYSTEMS.actCode, code: 'HH' } }), contacts: ['2026-11-23'], discharges: [] },
    { name: 'virtual, only an end date', e: encounter({ class: { system: SYSTEMS.actCode, code: 'VR' }, period: { end: '2026-06-01T10:00:00+02:00' } }), contacts: ['2026-06-01'], discharges: [] },
    { name: 'planned', e: encounter({ status: 'planned' }), contacts: [], discharges: [] },
    { name: 'cancelled', e: encounter({ status: 'cancelled' }), contacts: [], discharges: [] },
    { name: 'another organisation (legevakt)', e: encounter({ class: { system: SYSTEMS.actCode, code: 'EMER' }, serviceProvider: { reference: 'Organization/legevakt' } }), contacts: [], discharges: [] },
    { name: 'inpatient, finished, from a hospital', e: admission(), contacts: [], discharges: ['2026-10-02'] },
    ...['ACUTE', 'NONAC', 'OBSENC', 'SS'].map((code) => ({ name: `class ${code}`, e: admission({ class: { system: SYSTEMS.actCode, code } }), contacts: [], discharges: ['2026-10-02'] })),
    { name: 'inpatient without serviceProvider', e: admission({ serviceProvider: undefined }), contacts: [], discharges: ['2026-10-02'] },
    { name: 'inpatient, still in progress', e: admission({ status: 'in-progress' }), contacts: [], discharges: [] },
    { name: 'R5-style class list', e: r5Admission(), contacts: [], discharges: ['2026-10-02'] },
  ])('$name', ({ e, contacts, discharges }) => {
    const result = map([e]);
    expect(result.facts.contacts).toEqual(contacts);
    expect(result.facts.discharges).toEqual(discharges);
    expect(result.issues).toEqual([]);
  });
  test.each([
    { name: 'inpatient finished without end', e: admission({ period: { start: '2026-09-28' } }), field: 'period.end' },
    { name: 'inpatient at the practice', e: admission({ serviceProvider: { reference: 'Organization/org-practice' } }), field: 'serviceProvider' },
    { name: 'contact without date', e: encounter({ period: undefined }), field: 'period.start' },
    { name: 'contact with an invalid date', e: encounter({ period: { start: '22.11.2026' } }), field: 'period.start' },
    { name: 'no status', e: encounter({ status: undefined }), field: 'status' },
  ])('issue: $name', ({ e, field }) => {
    const result = map([e]);
    expect(result.facts.contacts).toEqual([]);
    expect(result.facts.discharges).toEqual([]);
    expect(result.issues).toMatchObject([{ resourceType: 'Encounter', field }]);
  });
});

describe('DocumentReference and Communication: discharges of every SPEC §4 shape, merged', () => {
  const otherDoc = { coding: [{ system: SYSTEMS.loinc, code: '11506-3' }] };
  test.each([
    { name: 'a discharge summary only (DocumentReference)', r: [epikrise()], discharges: ['2026-10-02'], issues: [] },
    { name: 'a discharge summary by fødselsnummer', r: [epikrise({ subject: { identifier: { system: SYSTEMS.fnr, value: FNR } } })], discharges: ['2026-10-02'], issues: [] },
    { name: 'an epikrise message only (Communication, dated by sent)', r: [notice()], discharges: ['2026-10-03'], issues: ['Communication:sent'] },
    {
      name: 'a discharge notice only (Communication)',
      r: [notice({ category: [{ coding: [{ system: 'urn:x', code: 'discharge-notice' }] }], sent: undefined, received: '2026-10-04T10:00:00+02:00' })],
      discharges: ['2026-10-04'],
      issues: ['Communication:sent'],
    },
    { name: 'a summary without discharge date: its document date, with an issue', r: [epikrise({ context: undefined })], discharges: ['2026-10-02'], issues: ['DocumentReference:context.period.end'] },
    { name: 'Encounter + DocumentReference of the same stay count once', r: [admission(), epikrise()], discharges: ['2026-10-02'], issues: [] },
    {
      name: 'Encounter + a linked DocumentReference with another date: once, the Encounter date',
      r: [admission(), epikrise({ custodian: undefined, context: { encounter: [{ reference: 'Encounter/adm1' }], period: { end: '2026-10-05' } } })],
      discharges: ['2026-10-02'],
      issues: ['DocumentReference:context.period.end'],
    },
    { name: 'Encounter + Communication two days later count once', r: [admission(), notice()], discharges: ['2026-10-02'], issues: [] },
    { name: 'Encounter + DocumentReference + Communication count once', r: [admission(), epikrise(), notice()], discharges: ['2026-10-02'], issues: [] },
    { name: 'two stays at two hospitals', r: [admission(), epikrise({ custodian: { reference: 'Organization/other' }, context: { period: { end: '2026-06-01' } } })], discharges: ['2026-06-01', '2026-10-02'], issues: [] },
    { name: 'another kind of document', r: [epikrise({ type: otherDoc })], discharges: [], issues: [] },
    { name: 'a summary entered in error', r: [epikrise({ status: 'entered-in-error' })], discharges: [], issues: [] },
    { name: 'a message of another category', r: [notice({ category: [{ coding: [{ system: 'urn:x', code: 'reminder' }] }] })], discharges: [], issues: [] },
    { name: 'a message not sent', r: [notice({ status: 'not-done' })], discharges: [], issues: [] },
    { name: 'a summary of a discharge after asOf', r: [epikrise({ date: '2026-11-25', context: { period: { end: '2026-11-24T10:00:00+01:00' } } })], discharges: [], issues: [] },
    { name: "another patient's summary", r: [epikrise({ subject: { reference: 'Patient/p2' } })], discharges: [], issues: ['DocumentReference:subject'] },
    { name: 'a message without subject', r: [notice({ subject: undefined })], discharges: [], issues: ['Communication:subject'] },
    { name: 'a message without any date', r: [notice({ sent: undefined })], discharges: [], issues: ['Communication:sent'] },
  ])('$name', ({ r, discharges, issues }) => {
    const result = map(r);
    expect([...result.facts.discharges].sort()).toEqual(discharges);
    expect(result.issues.map((i) => `${i.resourceType}:${i.field}`)).toEqual(issues);
    expect(result.facts.contacts).toEqual([]);
    for (const issue of result.issues) expect(issue.message.length).toBeLessThanOrEqual(120);
  });

  test('a huge unreadable discharge date gives a short issue', () => {
    const result = map([epikrise({ context: { period: { end: `x${'9'.repeat(100_000)}` } } })]);
    expect(result.facts.discharges).toEqual(['2026-10-02']);
    expect(result.issues.length).toBeGreaterThan(0);
    for (const issue of result.issues) expect(issue.message.length).toBeLessThanOrEqual(120);
  });

  test('a Communication-only discharge makes a diabetic a chronic candidate', () => {
    const { facts } = map([condition(), notice()], { ...patient, birthDate: '1970-01-01' });
    const c = classifyPatient(facts, ctx.asOf);
    expect(c.groups).toEqual(['chronic']);
    expect(c.reasons.find((r) => r.rule === 'chronic.key-disease-with-discharge')?.evidence).toEqual(['ICPC-2 T90 (diabetes)', 'Utskrevet 2026-10-03']);
  });
});

describe('Observation: Clinical Frailty Scale', () => {
  test.each([
    { name: 'valueInteger', o: cfs(), expected: [{ value: 6, date: '2026-03-01' }] },
    { name: 'valueQuantity', o: cfs({ valueInteger: undefined, valueQuantity: { value: 5, unit: '{score}' } }), expected: [{ value: 5, date: '2026-03-01' }] },
    { name: 'valueCodeableConcept', o: cfs({ valueInteger: undefined, valueCodeableConcept: { coding: [{ system: 'urn:x', code: '7' }] } }), expected: [{ value: 7, date: '2026-03-01' }] },
    { name: 'valueString', o: cfs({ valueInteger: undefined, valueString: ' 4 ' }), expected: [{ value: 4, date: '2026-03-01' }] },
    { name: 'effectivePeriod', o: cfs({ effectiveDateTime: undefined, effectivePeriod: { start: '2026-04-01' } }), expected: [{ value: 6, date: '2026-04-01' }] },
    { name: 'amended', o: cfs({ status: 'amended' }), expected: [{ value: 6, date: '2026-03-01' }] },
    { name: 'preliminary', o: cfs({ status: 'preliminary' }), expected: [] },
    { name: 'entered in error', o: cfs({ status: 'entered-in-error' }), expected: [] },
    { name: 'another observation', o: cfs({ code: { coding: [{ system: SYSTEMS.loinc, code: '8480-6' }] } }), expected: [] },
  ])('$name', ({ o, expected }) => {
    const result = map([o]);
    expect(result.facts.frailtyScores).toEqual(expected);
    expect(result.issues).toEqual([]);
  });
  test.each([
    { name: 'value 0', o: cfs({ valueInteger: 0 }), field: 'value[x]' },
    { name: 'value 10', o: cfs({ valueInteger: 10 }), field: 'value[x]' },
    { name: 'value 5.5', o: cfs({ valueInteger: undefined, valueQuantity: { value: 5.5 } }), field: 'value[x]' },
    { name: 'no value', o: cfs({ valueInteger: undefined }), field: 'value[x]' },
    { name: 'no date', o: cfs({ effectiveDateTime: undefined }), field: 'effectiveDateTime' },
  ])('issue: $name', ({ o, field }) => {
    const result = map([o]);
    expect(result.facts.frailtyScores).toEqual([]);
    expect(result.issues).toMatchObject([{ resourceType: 'Observation', field }]);
  });
});

describe('CarePlan', () => {
  const plan = (overrides: Partial<CarePlan> = {}): CarePlan => ({
    resourceType: 'CarePlan',
    id: 'cp1',
    status: 'active',
    intent: 'plan',
    subject,
    goal: [{ reference: 'Goal/g1' }],
    ...overrides,
  });
  test.each([
    { name: 'active with a goal', cp: plan(), expected: [{ active: true, hasGoals: true }] },
    { name: 'active without goals', cp: plan({ goal: undefined }), expected: [{ active: true, hasGoals: false }] },
    { name: 'completed', cp: plan({ status: 'completed' }), expected: [{ active: false, hasGoals: true }] },
    { name: 'active but ended before asOf', cp: plan({ period: { end: '2026-01-01' } }), expected: [{ active: false, hasGoals: true }] },
    { name: 'active, ends on asOf', cp: plan({ period: { end: '2026-11-23' } }), expected: [{ active: true, hasGoals: true }] },
    { name: 'entered in error', cp: plan({ status: 'entered-in-error' }), expected: [] },
  ])('$name', ({ cp, expected }) => {
    expect(map([cp]).facts.carePlans).toEqual(expected);
  });
});

describe('Procedure: medication reviews and target-group assessments', () => {
  test.each([
    { name: 'SNOMED medication review', p: procedure(), reviews: ['2026-02-01'] },
    { name: 'assessment of the need', p: procedure({ code: { coding: [{ system: SYSTEMS.assessmentType, code: 'medication-review-need' }] } }), reviews: ['2026-02-01'] },
    { name: 'performedPeriod', p: procedure({ performedDateTime: undefined, performedPeriod: { start: '2026-02-01', end: '2026-02-02T00:30:00+01:00' } }), reviews: ['2026-02-02'] },
    { name: 'in progress', p: procedure({ status: 'in-progress' }), reviews: [] },
    { name: 'not done', p: procedure({ status: 'not-done' }), reviews: [] },
    { name: 'another procedure', p: procedure({ code: { coding: [{ system: SYSTEMS.snomed, code: '80146002' }] } }), reviews: [] },
  ])('$name', ({ p, reviews }) => {
    const result = map([p]);
    expect(result.facts.medicationReviews).toEqual(reviews);
    expect(result.issues).toEqual([]);
  });

  test('a target-group assessment', () => {
    expect(map([assessment()]).facts.assessments).toEqual([
      { group: 'chronic', include: true, reason: 'Trenger koordinert oppfølging', date: '2026-05-04', author: 'Kari Lege' },
    ]);
  });
  test('exclude, several groups, author from reference, outcome in SYSTEMS.assessmentType', () => {
    const a = assessment({
      reasonCode: [
        { coding: [{ system: SYSTEMS.targetGroup, code: 'mental-substance' }] },
        { coding: [{ system: SYSTEMS.targetGroup, code: 'disability' }] },
      ],
      outcome: { coding: [{ system: SYSTEMS.assessmentType, code: 'exclude' }] },
      recorder: { reference: 'Practitioner/gp1' },
      note: undefined,
    });
    expect(map([a]).facts.assessments).toEqual([
      { group: 'mental-substance', include: false, reason: '', date: '2026-05-04', author: 'Practitioner/gp1' },
      { group: 'disability', include: false, reason: '', date: '2026-05-04', author: 'Practitioner/gp1' },
    ]);
  });
  test.each([
    { name: 'no outcome', p: assessment({ outcome: undefined }), field: 'outcome', count: 0 },
    {
      name: 'both outcomes',
      p: assessment({ outcome: { coding: [{ system: ASSESSMENT_OUTCOME_SYSTEM, code: 'include' }, { system: ASSESSMENT_OUTCOME_SYSTEM, code: 'exclude' }] } }),
      field: 'outcome',
      count: 0,
    },
    { name: 'no group', p: assessment({ reasonCode: undefined }), field: 'reasonCode', count: 0 },
    {
      name: 'an unknown group next to a known one',
      p: assessment({ reasonCode: [{ coding: [{ system: SYSTEMS.targetGroup, code: 'chronic' }, { system: SYSTEMS.targetGroup, code: 'elderly' }] }] }),
      field: 'reasonCode',
      count: 1,
    },
    { name: 'no date', p: assessment({ performedDateTime: undefined }), field: 'performedDateTime', count: 0 },
    { name: 'invalid date', p: assessment({ performedDateTime: '2026-05-04T25:00:00Z' }), field: 'performedDateTime', count: 0 },
    { name: 'no status', p: assessment({ status: undefined }), field: 'status', count: 0 },
  ])('issue: $name', ({ p, field, count }) => {
    const result = map([p]);
    expect(result.facts.assessments).toHaveLength(count);
    expect(result.issues.map((i) => i.field)).toContain(field);
  });
  test('a procedure without code is an issue', () => {
    expect(map([procedure({ code: undefined })]).issues).toMatchObject([{ resourceType: 'Procedure', field: 'code' }]);
  });
});

describe('robustness', () => {
  test('malformed resources become issues, never exceptions', () => {
    const garbage: Resource[] = JSON.parse(
      JSON.stringify([
        null,
        42,
        { resourceType: 'Condition', id: 'x1', subject: 5, code: 'T90' },
        { resourceType: 'Condition', id: 'x2', subject: { reference: 'Patient/p1' }, code: { coding: 'T90' } },
        { resourceType: 'Condition', id: 'x3', subject: { reference: 'Patient/p1' }, code: { coding: [null, 7, { system: 5, code: 'T90' }] } },
        { resourceType: 'Encounter', id: 'x4', subject: { reference: 'Patient/p1' }, status: 'finished', class: 'IMP', period: 'yesterday' },
        { resourceType: 'Observation', id: 'x5', subject: { reference: 'Patient/p1' }, status: 'final', code: { coding: [{ system: SYSTEMS.snomed, code: '763264000' }] }, effectiveDateTime: 20260101, valueInteger: '6' },
        { resourceType: 'Procedure', id: 'x6', subject: { reference: 'Patient/p1' }, status: 'completed', code: { coding: [{ system: SYSTEMS.assessmentType, code: 'target-group' }] }, reasonCode: 'chronic', outcome: [], performedDateTime: '2026-01-01', note: 'x' },
        { resourceType: 'MedicationStatement', id: 'x7', subject: { reference: 'Patient/p1' }, status: 'active', medicationCodeableConcept: { coding: [{ system: SYSTEMS.atc }] } },
        { resourceType: 'CarePlan', id: 'x8', subject: { reference: 'Patient/p1' }, status: 'active', goal: 'lots', period: { end: 5 } },
      ]),
    );
    const result = map(garbage);
    expect(result.facts).toMatchObject({ conditions: [], medications: [], contacts: [], discharges: [], frailtyScores: [], assessments: [] });
    expect(result.facts.carePlans).toEqual([{ active: true, hasGoals: false }]);
    expect(result.issues.map((i) => `${i.id}:${i.field}`)).toEqual([
      'x1:subject',
      'x2:code',
      'x3:code',
      'x4:period.start',
      'x5:effectiveDateTime',
      'x6:outcome',
      'x7:medicationCodeableConcept',
      'x8:period.end',
    ]);
    for (const issue of result.issues) expect(issue.message).toMatch(/[a-zæøå]/);
  });

  test('random JSON in any field never throws', () => {
    const types = ['Condition', 'MedicationStatement', 'MedicationRequest', 'Encounter', 'Observation', 'CarePlan', 'Procedure', 'Medication', 'DocumentReference', 'Communication'];
    const resource = fc.record({
      resourceType: fc.constantFrom(...types),
      id: fc.oneof(fc.string(), fc.anything()),
      subject: fc.oneof(fc.constant({ reference: 'Patient/p1' }), fc.anything()),
      status: fc.oneof(fc.constantFrom('active', 'finished', 'final', 'completed'), fc.anything()),
      code: fc.anything(),
      class: fc.anything(),
      clinicalStatus: fc.anything(),
      period: fc.anything(),
      valueInteger: fc.anything(),
      outcome: fc.anything(),
      reasonCode: fc.anything(),
      medicationCodeableConcept: fc.anything(),
      medicationReference: fc.anything(),
      performedDateTime: fc.anything(),
      goal: fc.anything(),
      type: fc.oneof(fc.constant({ coding: [{ system: SYSTEMS.loinc, code: '18842-5' }] }), fc.anything()),
      category: fc.oneof(fc.constant([{ coding: [{ code: 'epikrise' }] }]), fc.anything()),
      context: fc.anything(),
      custodian: fc.anything(),
      author: fc.anything(),
      date: fc.anything(),
      sent: fc.anything(),
      about: fc.anything(),
      payload: fc.anything(),
    });
    fc.assert(
      fc.property(fc.array(resource, { maxLength: 5 }), fc.anything(), (resources, birthDate) => {
        const related: Resource[] = JSON.parse(JSON.stringify(resources));
        const p: Patient = JSON.parse(JSON.stringify({ ...patient, birthDate, extension: birthDate }));
        const result = toPatientFacts(p, related, ctx);
        expect(Array.isArray(result.issues)).toBe(true);
      }),
      { seed: 20261123, numRuns: 300 },
    );
  });

  test('the same resource twice is one fact', () => {
    expect(map([condition(), condition()]).facts.conditions).toHaveLength(1);
  });

  test('in a long list too (40 contacts, one of them twice)', () => {
    const contacts = Array.from({ length: 40 }, (_, i) => encounter({ id: `e${i}`, period: { start: `2026-10-${String(1 + (i % 28)).padStart(2, '0')}` } }));
    const facts = map([...contacts, encounter({ id: 'e7', period: { start: '2026-10-08' } })]).facts;
    expect(facts.contacts).toHaveLength(40);
  });

  test('a condition and a contact with the same id are two resources, in a short list and a long one', () => {
    const pair = [condition({ id: 'x' }), encounter({ id: 'x' })];
    const short = map(pair).facts;
    expect([short.conditions.length, short.contacts.length]).toEqual([1, 1]);
    const others = Array.from({ length: 40 }, (_, i) => statement({ id: `m${i}` }));
    const long = map([...others, ...pair, condition({ id: 'x' })]).facts;
    expect([long.conditions.length, long.contacts.length, long.medications.length]).toEqual([1, 1, 40]);
  });
});

describe('end to end with the classifier', () => {
  test('a diabetic discharged last month, seen by no one at the practice this year', () => {
    const { facts, issues } = map([
      condition(),
      condition({ id: 'c2', code: { coding: [{ system: 'urn:oid:2.16.578.1.12.4.1.1.7110', code: 'I10' }] } }),
      admission(),
      encounter({ id: 'old', period: { start: '2025-06-01T10:00:00+02:00' } }),
      statement({ id: 'm1' }),
    ]);
    expect(issues).toEqual([]);
    const c = classifyPatient(facts, ctx.asOf);
    expect(c.groups).toEqual(['chronic', 'frail-elderly']);
    expect(c.weakDemander).toBe(true);
    expect(c.needsCarePlan).toBe(true);
    expect(c.reasons.find((r) => r.rule === 'chronic.key-disease-with-discharge')?.evidence).toEqual(['ICPC-2 T90 (diabetes)', 'Utskrevet 2026-10-02']);
  });
  test('an assessment read from FHIR overrides the rules', () => {
    const reject = assessment({ outcome: { coding: [{ system: ASSESSMENT_OUTCOME_SYSTEM, code: 'exclude' }] } });
    const { facts } = map([condition(), condition({ id: 'c2', code: { coding: [{ system: SYSTEMS.icpc2, code: 'K86' }] } }), reject], {
      ...patient,
      birthDate: '1980-01-01',
      extension: [{ url: `${PHT_CANONICAL}/StructureDefinition/lives-in-institution`, valueBoolean: false }],
    });
    expect(classifyPatient(facts, ctx.asOf).groups).toEqual([]);
  });
});

// What real Norwegian journals send (issue 16 item 3), read by the mappers and the discharge reader. Each
// row is a shape seen in EPJ exports; expected facts, episodes and notes written by hand from SPEC §3-§4.
import { describe, expect, test } from 'vitest';
import type { Communication, DocumentReference, Observation, Patient, PractitionerRole, Resource } from '@medplum/fhirtypes';
import { toPatientFacts } from '../../../src/fhir/mappers/patientFacts';
import { listingOf, GP_UNKNOWN } from '../../../src/fhir/mappers/listing';
import { detectDischarges } from '../../../src/fhir/discharges';
import { classifyPatient } from '../../../src/domain/targetGroups';

const AS_OF = '2026-11-25';
const CTX = { practiceOrgId: 'org-practice', asOf: AS_OF };
const P: Patient = { resourceType: 'Patient', id: 'p1', birthDate: '1938-02-02' };
const subject = { reference: 'Patient/p1' };

function housing(id: string, code: string, date: string): Observation {
  return { resourceType: 'Observation', id, status: 'final', subject, code: { coding: [{ system: 'http://loinc.org', code: '71802-3' }] }, effectiveDateTime: date, valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code }] } };
}

describe('living in an institution (SPEC §3 home-dwelling)', () => {
  test.each([
    { name: 'housing status: nursing home (SNOMED 160734000)', patient: P, related: [housing('h1', '160734000', '2026-03-01')], lives: true, candidate: false },
    { name: 'housing status: residential home (SNOMED 160737007)', patient: P, related: [housing('h1', '160737007', '2026-03-01')], lives: true, candidate: false },
    { name: 'the latest housing status wins: moved home again', patient: P, related: [housing('h1', '160734000', '2025-03-01'), housing('h2', '160943002', '2026-03-01')], lives: false, candidate: true },
    { name: 'housing status dated after asOf is ignored', patient: P, related: [housing('h1', '160734000', '2026-12-01')], lives: undefined, candidate: true },
    { name: 'address line names a nursing home', patient: { ...P, address: [{ use: 'home', line: ['Lindeberg sykehjem', 'Avdeling 2'], postalCode: '1054', city: 'Oslo' }] }, related: [], lives: true, candidate: false },
    { name: 'an old address at a nursing home does not count', patient: { ...P, address: [{ use: 'old', line: ['Lindeberg sykehjem'] }] }, related: [], lives: undefined, candidate: true },
  ] as { name: string; patient: Patient; related: Resource[]; lives: boolean | undefined; candidate: boolean }[])('$name', ({ patient, related, lives, candidate }) => {
    const { facts } = toPatientFacts(patient, related, CTX);
    expect(facts.livesInInstitution).toBe(lives);
    // Aged 88: frail-elderly by age alone unless living in an institution.
    expect(classifyPatient(facts, AS_OF).groups.includes('frail-elderly')).toBe(candidate);
  });
});

describe('conditions as journals write them', () => {
  const cond = (id: string, code: Record<string, unknown>) => ({ resourceType: 'Condition', id, subject, clinicalStatus: { coding: [{ code: 'active' }] }, code }) as Resource;
  test.each([
    { name: 'ICD-10 without dot by OID', code: { coding: [{ system: 'urn:oid:2.16.578.1.12.4.1.1.7110', code: 'E119' }] }, codings: 1, issue: undefined },
    { name: 'ICPC-2 by OID', code: { coding: [{ system: 'urn:oid:2.16.578.1.12.4.1.1.7170', code: 'T90' }] }, codings: 1, issue: undefined },
    { name: 'text only', code: { text: 'Diabetes type 2' }, codings: 0, issue: 'Diagnosen er bare oppgitt som tekst ("Diabetes type 2"); den teller ikke i målgruppereglene.' },
    { name: 'code without system', code: { coding: [{ code: 'T90' }] }, codings: 0, issue: 'Diagnosekoden "T90" mangler kodeverk; den teller ikke i målgruppereglene.' },
    { name: 'unknown system', code: { coding: [{ system: 'urn:oid:9.9.9', code: 'X1' }] }, codings: 1, issue: 'Diagnosen er kodet i et kodeverk appen ikke bruker (urn:oid:9.9.9); den teller ikke i målgruppereglene.' },
  ])('$name', ({ code, codings, issue }) => {
    const { facts, issues } = toPatientFacts(P, [cond('c1', code)], CTX);
    expect(facts.conditions.length).toBe(codings);
    expect(issues[0]?.message).toBe(issue);
  });

  test('ICD-10 E119 (no dot) and ICPC-2 K86 by OID make a chronic candidate with 4 medicines', () => {
    const meds = ['A10BA02', 'C09AA05', 'C10AA01', 'B01AC06'].map((atc, i) => ({ resourceType: 'MedicationStatement', id: `m${i}`, status: 'active', subject, medicationCodeableConcept: { coding: [{ system: 'urn:oid:2.16.578.1.12.4.1.1.7180', code: atc }] } }) as Resource);
    const { facts } = toPatientFacts({ ...P, birthDate: '1960-01-01' }, [cond('c1', { coding: [{ system: 'urn:oid:2.16.578.1.12.4.1.1.7110', code: 'E119' }] }), ...meds], CTX);
    expect(classifyPatient(facts, AS_OF).groups).toEqual(['chronic']);
  });
});

describe('discharge messages as journals send them (SPEC §4)', () => {
  const ctx = { practiceOrgIds: ['org-practice'], today: AS_OF };
  const com = (over: Partial<Communication>): Communication => ({ resourceType: 'Communication', id: 'k1', status: 'completed', subject, ...over });
  const doc = (over: Partial<DocumentReference>): DocumentReference => ({ resourceType: 'DocumentReference', id: 'd1', status: 'current', subject, content: [{ attachment: { contentType: 'text/plain' } }], ...over });
  test.each([
    {
      name: 'Communication, category text only, sent 20.11 (no stay): dated by the message, marked',
      resources: [com({ category: [{ text: 'Epikrise' }], sent: '2026-11-20T10:15:00+01:00' })],
      dischargeDate: undefined, effectiveDate: '2026-11-20', deadline: '2026-11-25',
      warnings: ['Meldingstypen er bare oppgitt som tekst (ikke kodet); lest som epikrise/utskrivningsmelding', 'utskrivningsdato mangler: dato fra meldingen (20.11.2026) er brukt, og fristen må bekreftes', 'Institusjonen er ukjent'],
    },
    {
      name: 'Communication, category text only, about the stay (Encounter ended 18.11): dated by the stay',
      resources: [
        com({ category: [{ text: 'Utskrivningsmelding' }], sent: '2026-11-20T10:15:00', encounter: { reference: 'Encounter/e1' } }),
        { resourceType: 'Encounter', id: 'e1', status: 'finished', class: { code: 'IMP' }, subject, period: { end: '2026-11-18' }, serviceProvider: { reference: 'Organization/ous' } } as Resource,
      ],
      dischargeDate: '2026-11-18', effectiveDate: '2026-11-18', deadline: '2026-11-23',
      warnings: ['Meldingstypen er bare oppgitt som tekst (ikke kodet); lest som epikrise/utskrivningsmelding'],
    },
    {
      name: 'DocumentReference with Volven 9602 type "Epikrise" and no date at all',
      resources: [doc({ type: { coding: [{ system: 'urn:oid:2.16.578.1.12.4.1.1.9602', code: 'XX', display: 'Epikrise' }] }, custodian: { reference: 'Organization/ous' } })],
      dischargeDate: undefined, effectiveDate: undefined, deadline: undefined,
      warnings: [],
    },
    {
      name: 'DocumentReference, LOINC, date without time or offset, stay end without offset',
      resources: [doc({ type: { coding: [{ system: 'http://loinc.org', code: '18842-5' }] }, date: '2026-11-21', context: { period: { end: '2026-11-19T14:00:00' } }, custodian: { reference: 'Organization/ous' } })],
      dischargeDate: '2026-11-19', effectiveDate: '2026-11-19', deadline: '2026-11-24',
      warnings: [],
    },
  ] as { name: string; resources: Resource[]; dischargeDate?: string; effectiveDate?: string; deadline?: string; warnings: string[] }[])('$name', (row) => {
    const { episodes } = detectDischarges(row.resources, ctx);
    expect(episodes).toHaveLength(1);
    const e = episodes[0];
    expect(e?.dischargeDate).toBe(row.dischargeDate);
    expect(e?.effectiveDate).toBe(row.effectiveDate);
    expect(e?.deadline).toBe(row.deadline);
    expect(e?.warnings).toEqual(row.warnings);
  });

  test('the undated epikrise is an episode with an error, never dropped', () => {
    const { episodes } = detectDischarges([doc({ type: { text: 'epikrise' } })], ctx);
    expect(episodes[0]?.errors).toEqual(['utskrivningsdato mangler, og meldingsdato mangler: fristen kan ikke beregnes']);
  });

  test('a document of another kind given as text is not a discharge', () => {
    expect(detectDischarges([doc({ type: { text: 'Henvisning' } })], ctx).episodes).toEqual([]);
  });
});

describe('whose list (practice and GP)', () => {
  const role: PractitionerRole = { resourceType: 'PractitionerRole', id: 'role-gp1', practitioner: { reference: 'Practitioner/gp1' }, organization: { reference: 'Organization/org-practice' } };
  test.each([
    { name: 'managingOrganization and generalPractitioner', patient: { ...P, managingOrganization: { reference: 'Organization/org-practice' }, generalPractitioner: [{ reference: 'Practitioner/gp1' }] }, expected: { practiceOrgId: 'org-practice', gpId: 'gp1', source: 'patient', notes: [] } },
    { name: 'GP given as PractitionerRole only', patient: { ...P, generalPractitioner: [{ reference: 'PractitionerRole/role-gp1' }] }, expected: { practiceOrgId: 'org-practice', gpId: 'gp1', source: 'patient', notes: [] } },
    { name: 'GP as Practitioner, practice from his role', patient: { ...P, generalPractitioner: [{ reference: 'Practitioner/gp1' }] }, expected: { practiceOrgId: 'org-practice', gpId: 'gp1', source: 'practitioner-role', notes: [] } },
    { name: 'nothing: the registry practice, fastlege ukjent', patient: P, expected: { practiceOrgId: 'org-default', source: 'default', notes: [GP_UNKNOWN] } },
  ] as { name: string; patient: Patient; expected: unknown }[])('$name', ({ patient, expected }) => {
    expect(listingOf(patient, [role], 'org-default')).toEqual(expected);
  });
});

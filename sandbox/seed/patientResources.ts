// Builders for a listed patient's own record: Patient, next of kin, conditions, drugs, frailty scores.

import type { CodeableConcept, Coding, Condition, Extension, MedicationStatement, Observation, Patient, RelatedPerson } from '@medplum/fhirtypes';
import { EXTENSIONS, SYSTEMS } from '../../src/fhir/systems';
import { addDays, osloDateTime } from './calendar';
import { ATC_DISPLAY, DISEASE_BY_KEY } from './catalogue';
import { CFS_CODE, EXT_RESIDENCE_INSTITUTION, ICD10_NO_URI, ICPC2_OID } from './codes';
import { STREETS, givenNamesFor } from './names';
import { INSTITUTIONS, PRACTICE_ID } from './organizations';
import type { ConditionPlan, PatientPlan } from './plan';
import { phoneNumber } from './plan';
import type { Rng } from './prng';
import { ref } from './references';

const NURSING_HOME = 'org-sagene-sykehjem' as const;

export function buildPatient(p: PatientPlan): Patient {
  const extension: Extension[] = [];
  if (p.protection) extension.push({ url: EXTENSIONS.addressProtection, valueCode: p.protection });
  const home = INSTITUTIONS[NURSING_HOME];
  if (p.institution) extension.push({ url: EXT_RESIDENCE_INSTITUTION, valueReference: ref('Organization', home.id, home.name) });
  const street = STREETS[p.street] ?? STREETS[0];
  const address = p.institution
    ? { use: 'home' as const, type: 'physical' as const, text: home.name, line: [home.line], postalCode: home.postalCode, city: home.city, country: 'NO' }
    : { use: 'home' as const, type: 'physical' as const, line: [`${street?.name} ${p.houseNumber}`], postalCode: street?.postalCode, city: street?.city, country: 'NO' };
  return {
    resourceType: 'Patient',
    id: p.id,
    meta: { profile: ['http://hl7.no/fhir/StructureDefinition/no-basis-Patient'] },
    ...(extension.length ? { extension } : {}),
    identifier: [{ use: 'official', system: p.idKind === 'fnr' ? SYSTEMS.fnr : SYSTEMS.dnr, value: p.nationalId }],
    active: true,
    name: [{ use: 'official', family: p.family, given: [...p.given], text: `${p.given.join(' ')} ${p.family}` }],
    ...(p.phone ? { telecom: [{ system: 'phone' as const, value: p.phone, use: 'mobile' as const }] } : {}),
    gender: p.sex,
    birthDate: p.birthDate,
    address: [address],
    generalPractitioner: [ref('Practitioner', p.gp)],
    managingOrganization: ref('Organization', PRACTICE_ID),
  };
}

const KIN_ROLES = {
  DAU: 'daughter', SON: 'son', WIFE: 'wife', HUSB: 'husband',
} as const;

export function buildNextOfKin(rng: Rng, p: PatientPlan): RelatedPerson {
  const spouse = !p.institution && p.age < 88 && rng.chance(0.35);
  const kinSex = rng.chance(0.5) ? 'female' : 'male';
  const role: keyof typeof KIN_ROLES = spouse ? (p.sex === 'male' ? 'WIFE' : 'HUSB') : kinSex === 'female' ? 'DAU' : 'SON';
  const sex = role === 'WIFE' || role === 'DAU' ? 'female' : 'male';
  const birthYear = Number(p.birthDate.slice(0, 4)) + (spouse ? rng.int(-4, 4) : rng.int(22, 38));
  const given = rng.pick(givenNamesFor(birthYear, sex));
  return {
    resourceType: 'RelatedPerson',
    id: `rp-${p.id.slice(4)}-1`,
    active: true,
    patient: ref('Patient', p.id),
    relationship: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'N', display: 'Next-of-Kin' }], text: 'Nærmeste pårørende' },
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: role, display: KIN_ROLES[role] }] },
    ],
    name: [{ use: 'official', family: spouse || rng.chance(0.6) ? p.family : rng.pick(['Hansen', 'Berg', 'Lie', 'Dahl', 'Moen']), given: [given] }],
    telecom: [{ system: 'phone', value: phoneNumber(rng), use: 'mobile' }],
    gender: sex,
  };
}

function conditionCodings(c: ConditionPlan): Coding[] {
  const code = DISEASE_BY_KEY.get(c.disease)?.codes[c.codeIndex];
  const icdSystem = c.icdSystem === 'oid' ? SYSTEMS.icd10no : ICD10_NO_URI;
  const icpc = code?.icpc;
  const icd = code?.icd;
  const icpcCoding = (system: string): Coding[] => (icpc ? [{ system, code: icpc[0], display: icpc[1] }] : []);
  const icdCoding = (dot: boolean): Coding[] => (icd ? [{ system: icdSystem, code: dot ? icd[0] : icd[0].replace('.', ''), display: icd[1] }] : []);
  switch (c.coding) {
    case 'icpc': return icpcCoding(SYSTEMS.icpc2);
    case 'icpc-oid': return icpcCoding(ICPC2_OID);
    case 'icd-dot': return icdCoding(true);
    case 'icd-nodot': return icdCoding(false);
    case 'both': return [...icpcCoding(SYSTEMS.icpc2), ...icdCoding(true)];
  }
}

export function buildConditions(p: PatientPlan): Condition[] {
  return p.conditions.map((c, i): Condition => {
    const coding = conditionCodings(c);
    return {
      resourceType: 'Condition',
      id: `cond-${p.id.slice(4)}-${String(i + 1).padStart(2, '0')}`,
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: c.status }] },
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
      code: { coding, text: coding[0]?.display },
      subject: ref('Patient', p.id),
      onsetDateTime: c.onset,
      recordedDate: c.onset,
      ...(c.status !== 'active' ? { abatementDateTime: c.onset } : {}),
      recorder: ref('Practitioner', p.gp),
    };
  });
}

function atcConcept(atc: string): CodeableConcept {
  const display = ATC_DISPLAY[atc] ?? atc;
  return { coding: [{ system: SYSTEMS.atc, code: atc, display }], text: display };
}

export function buildMedicationStatements(rng: Rng, p: PatientPlan, asOf: string): MedicationStatement[] {
  const active = p.activeDrugs.map((atc): [string, 'active' | 'completed'] => [atc, 'active']);
  const past = p.pastDrugs.map((atc): [string, 'active' | 'completed'] => [atc, 'completed']);
  return [...active, ...past].map(([atc, status], i): MedicationStatement => {
    const start = rng.int(status === 'active' ? 30 : 20, status === 'active' ? 2000 : 700);
    const startDate = maxDate(p.birthDate, addDays(asOf, -start));
    return {
      resourceType: 'MedicationStatement',
      id: `med-${p.id.slice(4)}-${String(i + 1).padStart(2, '0')}`,
      status,
      medicationCodeableConcept: atcConcept(atc),
      subject: ref('Patient', p.id),
      effectivePeriod: status === 'active' ? { start: startDate } : { start: startDate, end: minDate(asOf, addDays(startDate, rng.int(5, 14))) },
      dateAsserted: startDate,
      informationSource: ref('Practitioner', p.gp),
    };
  });
}

export function buildFrailtyObservations(p: PatientPlan): Observation[] {
  return p.cfs.map((s, i): Observation => ({
    resourceType: 'Observation',
    id: `obs-cfs-${p.id.slice(4)}-${i + 1}`,
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey', display: 'Survey' }] }],
    code: { coding: [{ ...CFS_CODE }], text: 'Clinical Frailty Scale' },
    subject: ref('Patient', p.id),
    effectiveDateTime: osloDateTime(s.date, 10 * 60),
    performer: [ref('Practitioner', p.gp)],
    valueInteger: s.score,
  }));
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}
function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

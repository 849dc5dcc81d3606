// SPEC §4's three discharge shapes: (a) an inpatient Encounter, (b) a discharge-summary DocumentReference,
// (c) a Communication categorised as epikrise / discharge notice; plus ER visits, which are not discharges.
// The Communication's `sent` is on the Oslo discharge date (a mapper can take the discharge date from it).

import type { Communication, DocumentReference, Encounter } from '@medplum/fhirtypes';
import { SYSTEMS } from '../../src/fhir/systems';
import { osloDateTime } from './calendar';
import { ENCOUNTER_CLASS, LOINC_DISCHARGE_SUMMARY, MESSAGE_CATEGORY } from './codes';
import { INSTITUTIONS, PRACTICE_ID } from './organizations';
import type { ErVisitPlan, PatientPlan, StayPlan } from './plan';
import { norwegianDate, ref } from './references';

const REASONS: readonly (readonly [reason: string, change: string])[] = [
  ['forverring av KOLS', 'Prednisolon 30 mg x 1 i 5 dager. Tiotropium fortsetter.'],
  ['pneumoni', 'Fenoksymetylpenicillin 1 g x 4 ut uken. Ingen andre endringer.'],
  ['dekompensert hjertesvikt', 'Furosemid økt til 40 mg x 2. Vekt daglig, kontroll av kreatinin og kalium om 1 uke.'],
  ['hoftebrudd, operert med hemiprotese', 'Startet dalteparin i 4 uker. Paracetamol 1 g x 4.'],
  ['urinveisinfeksjon og delirium', 'Pivmecillinam 400 mg x 3 i 5 dager. Seponert zopiklon.'],
  ['atrieflimmer med rask ventrikkelfrekvens', 'Startet apiksaban 5 mg x 2 og metoprolol 50 mg x 1.'],
  ['hjerneinfarkt', 'Startet klopidogrel 75 mg x 1 og atorvastatin 80 mg x 1.'],
  ['dehydrering og fall', 'Hydroklortiazid seponert. Blodtrykk kontrolleres hos fastlege.'],
  ['brystsmerter, hjerteinfarkt utelukket', 'Ingen endringer i faste legemidler.'],
  ['hypoglykemi', 'Insulin glargin redusert fra 20 til 14 E. Blodsukkermåling 4 ganger daglig.'],
];

/** Reasons that fit a younger patient (the rest are for the old). */
const YOUNG_REASONS: readonly number[] = [1, 8];

function reasonOf(p: PatientPlan, s: StayPlan): readonly [string, string] {
  const index = p.age < 60 ? (YOUNG_REASONS[s.reason % YOUNG_REASONS.length] ?? 1) : s.reason % REASONS.length;
  return REASONS[index] ?? ['innleggelse', 'Ingen endringer.'];
}

function institutionOf(s: StayPlan): { id: string; name: string; department: string } {
  const inst = INSTITUTIONS[s.institution];
  const departments = inst.departments ?? ['Medisinsk avdeling'];
  return { id: inst.id, name: inst.name, department: departments[s.department % departments.length] ?? 'Medisinsk avdeling' };
}

export function epikriseText(p: PatientPlan, s: StayPlan): string {
  const inst = institutionOf(s);
  const [reason, change] = reasonOf(p, s);
  const home = s.institution === 'org-sagene-sykehjem' || p.institution ? 'Sagene sykehjem' : 'hjemmet';
  return [
    `EPIKRISE - ${inst.name}, ${inst.department}`,
    `Pasient: ${p.given.join(' ')} ${p.family}, født ${norwegianDate(p.birthDate)}.`,
    `Innlagt ${norwegianDate(s.admitDate)} med ${reason}. Utskrevet ${norwegianDate(s.dischargeDate)} til ${home}.`,
    `Legemiddelendringer: ${change}`,
    'Videre oppfølging: Fastlege/primærhelseteam bes ta kontakt med pasienten innen 3 arbeidsdager.',
  ].join('\n');
}

function stayKey(p: PatientPlan, k: number): string {
  return `${p.id.slice(4)}-${k + 1}`;
}

export function buildInpatientEncounter(p: PatientPlan, s: StayPlan, k: number): Encounter {
  const inst = institutionOf(s);
  const [reason] = reasonOf(p, s);
  return {
    resourceType: 'Encounter',
    id: `enc-stay-${stayKey(p, k)}`,
    status: 'finished',
    class: { system: SYSTEMS.actCode, code: s.classCode, display: ENCOUNTER_CLASS[s.classCode] },
    subject: ref('Patient', p.id),
    period: { start: osloDateTime(s.admitDate, Math.max(8 * 60, s.dischargeMinutes - 5 * 60)), end: osloDateTime(s.dischargeDate, s.dischargeMinutes) },
    reasonCode: [{ text: reason }],
    hospitalization: {
      dischargeDisposition: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: p.institution ? 'snf' : 'home' }],
      },
    },
    serviceProvider: ref('Organization', inst.id, inst.name),
  };
}

export function buildDischargeDocument(p: PatientPlan, s: StayPlan, k: number, encounterId?: string): DocumentReference {
  const inst = institutionOf(s);
  const text = epikriseText(p, s);
  return {
    resourceType: 'DocumentReference',
    id: `docref-${stayKey(p, k)}`,
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ ...LOINC_DISCHARGE_SUMMARY }], text: 'Epikrise' },
    subject: ref('Patient', p.id),
    date: osloDateTime(s.dischargeDate, Math.min(23 * 60, s.dischargeMinutes + 60)),
    author: [ref('Organization', inst.id, inst.name)],
    custodian: ref('Organization', inst.id, inst.name),
    description: `Epikrise fra ${inst.department}`,
    content: [{
      attachment: {
        contentType: 'text/plain; charset=utf-8',
        language: 'nb',
        title: 'Epikrise',
        data: Buffer.from(text, 'utf8').toString('base64'),
      },
    }],
    context: {
      ...(encounterId ? { encounter: [ref('Encounter', encounterId)] } : {}),
      period: { start: osloDateTime(s.admitDate, 8 * 60), end: osloDateTime(s.dischargeDate, s.dischargeMinutes) },
    },
  };
}

export function buildDischargeCommunication(p: PatientPlan, s: StayPlan, k: number): Communication {
  const inst = institutionOf(s);
  const category = s.notice === 'epikrise'
    ? { coding: [{ ...MESSAGE_CATEGORY.epikrise }, { ...LOINC_DISCHARGE_SUMMARY }], text: 'Epikrise' }
    : { coding: [{ ...MESSAGE_CATEGORY.dischargeNotice }], text: 'Melding om utskrivning' };
  const text = s.notice === 'epikrise'
    ? epikriseText(p, s)
    : `Melding om utskrevet pasient fra ${inst.name}, ${inst.department}: ${p.given.join(' ')} ${p.family} ble utskrevet ${norwegianDate(s.dischargeDate)}. Epikrise ettersendes.`;
  return {
    resourceType: 'Communication',
    id: `comm-${stayKey(p, k)}`,
    status: 'completed',
    category: [category],
    subject: ref('Patient', p.id),
    sent: osloDateTime(s.dischargeDate, Math.min(23 * 60, s.dischargeMinutes + 90)),
    sender: ref('Organization', inst.id, inst.name),
    recipient: [ref('Organization', PRACTICE_ID), ref('Practitioner', p.gp)],
    payload: [{ contentString: text }],
  };
}

export function buildErEncounter(p: PatientPlan, v: ErVisitPlan, k: number): Encounter {
  const inst = INSTITUTIONS[v.institution];
  return {
    resourceType: 'Encounter',
    id: `enc-er-${p.id.slice(4)}-${k + 1}`,
    status: 'finished',
    class: { system: SYSTEMS.actCode, code: 'EMER', display: ENCOUNTER_CLASS.EMER },
    subject: ref('Patient', p.id),
    period: { start: osloDateTime(v.date, v.minutes), end: osloDateTime(v.date, v.minutes + 150) },
    reasonCode: [{ text: 'Akuttmottak, ikke innlagt' }],
    serviceProvider: ref('Organization', inst.id, inst.name),
  };
}

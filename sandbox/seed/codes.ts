// Codes and URLs the seed uses beyond src/fhir/systems.ts. Those marked "ours" should move to
// systems.ts (SYSTEMS/EXTENSIONS) when the lead adopts them; until then the seed exports them here.

import { PHT_CANONICAL } from '../../src/fhir/systems';

/** Ours. Patient extension: the patient lives in this institution (nursing home); valueReference -> Organization. */
export const EXT_RESIDENCE_INSTITUTION = `${PHT_CANONICAL}/StructureDefinition/residence-institution`;

/** Ours. Communication.category for discharge messages (SPEC §4 shape c). */
export const MESSAGE_CATEGORY_SYSTEM = `${PHT_CANONICAL}/CodeSystem/message-category`;
export const MESSAGE_CATEGORY = {
  epikrise: { system: MESSAGE_CATEGORY_SYSTEM, code: 'epikrise', display: 'Epikrise' },
  dischargeNotice: { system: MESSAGE_CATEGORY_SYSTEM, code: 'discharge-notice', display: 'Melding om utskrivning' },
} as const;

/** LOINC discharge summary (SPEC §4 shape b). */
export const LOINC_DISCHARGE_SUMMARY = { system: 'http://loinc.org', code: '18842-5', display: 'Discharge summary' } as const;

/**
 * Clinical Frailty Scale score as an Observation code. Chosen, not verified against a terminology server:
 * SNOMED CT 763264000 |Canadian Study of Health and Aging Clinical Frailty Scale score (observable entity)|.
 * valueInteger 1-9.
 */
export const CFS_CODE = {
  system: 'http://snomed.info/sct',
  code: '763264000',
  display: 'Canadian Study of Health and Aging Clinical Frailty Scale score',
} as const;

/** SNOMED CT 182836005 |Review of medication (procedure)| = legemiddelgjennomgang. */
export const MEDICATION_REVIEW_CODE = { system: 'http://snomed.info/sct', code: '182836005', display: 'Review of medication' } as const;

/** The ICPC-2 OID form (SPEC §3 matches either). */
export const ICPC2_OID = 'urn:oid:2.16.578.1.12.4.1.1.7170';
/** The ICD-10 URI form (SPEC §3 matches it as well as the Volven OID in SYSTEMS.icd10no). */
export const ICD10_NO_URI = 'http://hl7.org/fhir/sid/icd-10-no';

/** The GP consultation tariff the seed charges today (normaltariff 2ad) and its egenandel: a DEMO value. */
export const GP_CONSULTATION_TARIFF = { code: '2ad', display: 'Konsultasjon hos allmennlege' } as const;
export const GP_CONSULTATION_EGENANDEL_NOK = 167;

export const ENCOUNTER_CLASS = {
  AMB: 'ambulatory',
  VR: 'virtual',
  HH: 'home health',
  EMER: 'emergency',
  IMP: 'inpatient encounter',
  ACUTE: 'inpatient acute',
  NONAC: 'inpatient non-acute',
  OBSENC: 'observation encounter',
  SS: 'short stay',
} as const;
export type EncounterClassCode = keyof typeof ENCOUNTER_CLASS;

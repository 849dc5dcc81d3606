// Identifier and code systems used across the app, the sandbox and the FHIR profiles (SPEC §8).
// Our own canonical base; the profiles in fhir-profiles/ use the same one.
export const PHT_CANONICAL = 'https://pht.example.org/fhir';

export const SYSTEMS = {
  // Norwegian identifiers (SPEC §8)
  fnr: 'urn:oid:2.16.578.1.12.4.1.4.1',
  dnr: 'urn:oid:2.16.578.1.12.4.1.4.2',
  hpr: 'urn:oid:2.16.578.1.12.4.1.4.4',
  orgnr: 'urn:oid:2.16.578.1.12.4.1.4.101',
  herId: 'urn:oid:2.16.578.1.12.4.1.2',
  // Volven code systems
  healthPersonnelCategory: 'urn:oid:2.16.578.1.12.4.1.1.9060', // LE, SP, HE
  copayExemption: 'urn:oid:2.16.578.1.12.4.1.1.7461', // fritak for egenandel
  // Clinical code systems (canonical URI; OIDs are accepted on read, see src/domain rule set)
  icpc2: 'http://hl7.org/fhir/sid/icpc-2',
  icd10no: 'urn:oid:2.16.578.1.12.4.1.1.7110',
  atc: 'http://www.whocc.no/atc',
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  // Our own code systems
  targetGroup: `${PHT_CANONICAL}/CodeSystem/target-group`,
  followUpOutcome: `${PHT_CANONICAL}/CodeSystem/follow-up-outcome`,
  followUpCloseReason: `${PHT_CANONICAL}/CodeSystem/follow-up-close-reason`,
  contactKind: `${PHT_CANONICAL}/CodeSystem/contact-kind`,
  tariff: `${PHT_CANONICAL}/CodeSystem/tariff`,
  taskType: `${PHT_CANONICAL}/CodeSystem/task-type`,
  assessmentOutcome: `${PHT_CANONICAL}/CodeSystem/assessment-outcome`,
  egenandelWaiverReason: `${PHT_CANONICAL}/CodeSystem/egenandel-waiver-reason`, // SAME_DAY, CANCELLED (Volven 7461 for the rest)
  addressProtectionCode: `${PHT_CANONICAL}/CodeSystem/address-protection`,
  teamRole: `${PHT_CANONICAL}/CodeSystem/team-role`, // 'practice-manager' = daglig leder
  assessmentType: `${PHT_CANONICAL}/CodeSystem/assessment-type`, // target-group, medication-review-need, outreach
  // Client-generated identifiers that make writes idempotent
  contactId: `${PHT_CANONICAL}/NamingSystem/contact-id`,
  chargeId: `${PHT_CANONICAL}/NamingSystem/charge-id`,
  followUpTaskId: `${PHT_CANONICAL}/NamingSystem/follow-up-task-id`,
  flagId: `${PHT_CANONICAL}/NamingSystem/flag-id`,
} as const;

export const EXTENSIONS = {
  egenandel: `${PHT_CANONICAL}/StructureDefinition/egenandel`,
  egenandelWaiverReason: `${PHT_CANONICAL}/StructureDefinition/egenandel-waiver-reason`,
  addressProtection: `${PHT_CANONICAL}/StructureDefinition/address-protection`, // valueCode fortrolig | strengt-fortrolig
  positionPercent: `${PHT_CANONICAL}/StructureDefinition/position-percent`, // PractitionerRole stillingsprosent
  livesInInstitution: `${PHT_CANONICAL}/StructureDefinition/lives-in-institution`,
  contactAttempt: `${PHT_CANONICAL}/StructureDefinition/contact-attempt`,
  recordedBy: `${PHT_CANONICAL}/StructureDefinition/recorded-by`,
  flagDetail: 'http://hl7.org/fhir/StructureDefinition/flag-detail',
} as const;

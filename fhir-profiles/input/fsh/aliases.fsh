// Systems shared with src/fhir/systems.ts (SYSTEMS / EXTENSIONS), src/fhir/chargesSystems.ts (COPAY_*),
// src/fhir/managerSystems.ts (MANAGER_*) and src/fhir/audit.ts (AUDIT_SYSTEMS). Keep them in step.
// Norwegian identifiers (SPEC §8)
Alias: $fnr = urn:oid:2.16.578.1.12.4.1.4.1
Alias: $dnr = urn:oid:2.16.578.1.12.4.1.4.2
Alias: $hpr = urn:oid:2.16.578.1.12.4.1.4.4
Alias: $orgnr = urn:oid:2.16.578.1.12.4.1.4.101
Alias: $herId = urn:oid:2.16.578.1.12.4.1.2
// Volven code systems
Alias: $hpCategory = urn:oid:2.16.578.1.12.4.1.1.9060
Alias: $copayExemption = urn:oid:2.16.578.1.12.4.1.1.7461
// Clinical code systems (external; not in the core package, so SUSHI cannot check their codes)
Alias: $icpc2 = http://hl7.org/fhir/sid/icpc-2
Alias: $icd10no = urn:oid:2.16.578.1.12.4.1.1.7110
Alias: $loinc = http://loinc.org
Alias: $actCode = http://terminology.hl7.org/CodeSystem/v3-ActCode
Alias: $participationMode = http://terminology.hl7.org/CodeSystem/v3-ParticipationMode
Alias: $participationType = http://terminology.hl7.org/CodeSystem/v3-ParticipationType
Alias: $flagCategory = http://terminology.hl7.org/CodeSystem/flag-category
// Audit (IHE Basic Audit Log Patterns)
Alias: $dcm = http://dicom.nema.org/resources/ontology/DCM
Alias: $restfulInteraction = http://hl7.org/fhir/restful-interaction
Alias: $auditEntityType = http://terminology.hl7.org/CodeSystem/audit-entity-type
Alias: $objectRole = http://terminology.hl7.org/CodeSystem/object-role
Alias: $securitySourceType = http://terminology.hl7.org/CodeSystem/security-source-type
// Client-generated identifiers that make the app's writes idempotent (conditional create on them)
Alias: $contactId = https://pht.example.org/fhir/NamingSystem/contact-id
Alias: $chargeId = https://pht.example.org/fhir/NamingSystem/charge-id
Alias: $followUpTaskId = https://pht.example.org/fhir/NamingSystem/follow-up-task-id
Alias: $flagId = https://pht.example.org/fhir/NamingSystem/flag-id
Alias: $copayDay = https://pht.example.org/fhir/NamingSystem/copay-day
Alias: $contactNoteId = https://pht.example.org/fhir/NamingSystem/contact-note-id
// Standard extension
Alias: $flagDetail = http://hl7.org/fhir/StructureDefinition/flag-detail

// Examples: one small practice's story. A nurse follows up a patient of the chronic target group after a
// discharge, registers a home visit with a journal note, and the GP's consultation the same day bears the one
// egenandel (the day's ledger Account); the practice manager marks an earlier charge as claimed; list views
// and exports are logged.
// Fixed ids and dates (deterministic); synthetic persons and numbers.

Instance: ExamplePatient
InstanceOf: PhtPatient
Title: "Kari Nordmann"
Description: "A home-dwelling patient with diabetes, KOLS and polypharmacy."
Usage: #example
* identifier[fnr].system = $fnr
* identifier[fnr].value = "13116900216"
* name.family = "Nordmann"
* name.given = "Kari"
* gender = #female
* birthDate = "1944-11-13"
* telecom.system = #phone
* telecom.value = "+4791234567"
* extension[livesInInstitution].valueBoolean = false

Instance: ExamplePatientProtected
InstanceOf: PhtPatient
Title: "Patient with a strictly confidential address"
Description: "Her address is never shown or exported."
Usage: #example
* identifier[dnr].system = $dnr
* identifier[dnr].value = "41018012345"
* name.family = "Hansen"
* name.given = "Ola"
* extension[addressProtection].valueCode = #strengt-fortrolig

Instance: ExampleNurse
InstanceOf: PhtPractitioner
Title: "Nurse Siri Sykepleier"
Usage: #example
* identifier[hpr].system = $hpr
* identifier[hpr].value = "9144900"
* name.family = "Sykepleier"
* name.given = "Siri"
* qualification.code = $hpCategory#SP "Sykepleier"

Instance: ExampleGp
InstanceOf: PhtPractitioner
Title: "GP Lars Lege"
Usage: #example
* identifier[hpr].system = $hpr
* identifier[hpr].value = "565505933"
* name.family = "Lege"
* name.given = "Lars"
* qualification.code = $hpCategory#LE "Lege"

Instance: ExampleNurseRole
InstanceOf: PhtPractitionerRole
Title: "Siri's role: nurse, 80 %"
Usage: #example
* practitioner = Reference(ExampleNurse)
* code = $hpCategory#SP "Sykepleier"
* extension[positionPercent].valueDecimal = 80

Instance: ExampleManagerRole
InstanceOf: PhtPractitionerRole
Title: "Lars's role: GP and daglig leder"
Usage: #example
* practitioner = Reference(ExampleGp)
* code[0] = $hpCategory#LE "Lege"
* code[1] = PhtTeamRoleCS#practice-manager "Daglig leder"
* extension[positionPercent].valueDecimal = 100

Instance: ExampleDischarge
InstanceOf: Encounter
Title: "Discharge from hospital"
Description: "An inpatient stay at another organisation, finished Friday 20 Nov 2026: the discharge signal (SPEC §4)."
Usage: #example
* status = #finished
* class = $actCode#IMP "inpatient encounter"
* subject = Reference(ExamplePatient)
* period.start = "2026-11-16T10:00:00+01:00"
* period.end = "2026-11-20T13:00:00+01:00"
* serviceProvider.identifier.system = $orgnr
* serviceProvider.identifier.value = "983974899"
* serviceProvider.display = "Helse Bergen HF"

Instance: ExampleConditionDiabetes
InstanceOf: Condition
Title: "Diabetes type 2"
Usage: #example
* clinicalStatus = http://terminology.hl7.org/CodeSystem/condition-clinical#active
* code = $icpc2#T90 "Diabetes type 2"
* subject = Reference(ExamplePatient)
* recordedDate = "2015-03-02"

Instance: ExampleTargetGroupFlag
InstanceOf: PhtTargetGroupFlag
Title: "Kari is in the chronic target group"
Usage: #example
* identifier[flagId].system = $flagId
* identifier[flagId].value = "0b6a3c1e-6d8c-4f60-9a52-0e1f5d3c7a01"
* status = #active
* category = $flagCategory#clinical "Clinical"
* code = PhtTargetGroupCS#chronic "Kronisk syke"
* code.text = "Kronisk syke: diabetes (nøkkelsykdom), KOLS, utskrevet siste 365 dager"
* subject = Reference(ExamplePatient)
* period.start = "2026-11-23"
* author = Reference(ExampleGp)
* extension[evidence][0].valueReference = Reference(ExampleConditionDiabetes)
* extension[evidence][1].valueReference = Reference(ExampleDischarge)

Instance: ExampleTargetGroupAssessment
InstanceOf: PhtTargetGroupAssessment
Title: "The GP confirms Kari in the chronic target group"
Usage: #example
* status = #completed
* code.coding[assessmentType] = PhtAssessmentTypeCS#target-group "Vurdering av målgruppe"
* subject = Reference(ExamplePatient)
* performedDateTime = "2026-11-23T09:15:00+01:00"
* recorder = Reference(ExampleGp)
* reasonCode = PhtTargetGroupCS#chronic "Kronisk syke"
* outcome = PhtAssessmentOutcomeCS#include "Inkludert"
* note.text = "Hyppige innleggelser, trenger tett oppfølging."

Instance: ExampleFollowUpTask
InstanceOf: PhtFollowUpTask
Title: "Discharge follow-up, met"
Description: "Discharged Fri 20 Nov 2026, deadline Wed 25 Nov; one failed call, then a home visit on Tue 24 Nov."
Usage: #example
* identifier[followUpTaskId].system = $followUpTaskId
* identifier[followUpTaskId].value = "5f1d2a8e-2b4c-4c1e-8f0a-7d9e3b6a4c02"
* status = #completed
* businessStatus = PhtFollowUpOutcomeCS#met "Innen fristen"
* intent = #order
* code = PhtTaskTypeCS#discharge-follow-up "Oppfølging etter utskrivning"
* focus = Reference(ExampleDischarge)
* for = Reference(ExamplePatient)
* authoredOn = "2026-11-23T08:02:00+01:00"
* lastModified = "2026-11-24T11:30:00+01:00"
* owner = Reference(ExampleNurse)
* restriction.period.end = "2026-11-25"
* extension[attempt][0].extension[time].valueDateTime = "2026-11-23T10:00:00+01:00"
* extension[attempt][0].extension[channel].valueCoding = $participationMode#PHONE "telephone"
* extension[attempt][0].extension[performer].valueReference = Reference(ExampleNurse)
* extension[attempt][0].extension[reached].valueBoolean = false
* extension[attempt][1].extension[time].valueDateTime = "2026-11-24T10:00:00+01:00"
* extension[attempt][1].extension[channel].valueCoding = $participationMode#FACE "face-to-face"
* extension[attempt][1].extension[performer].valueReference = Reference(ExampleNurse)
* extension[attempt][1].extension[reached].valueBoolean = true
* extension[attempt][1].extension[contact].valueReference = Reference(ExampleNurseContact)
* output.type = PhtTaskTypeCS#discharge-follow-up
* output.valueReference = Reference(ExampleNurseContact)

Instance: ExampleClosedTask
InstanceOf: PhtFollowUpTask
Title: "Discharge follow-up closed: readmitted"
Usage: #example
* identifier[followUpTaskId].system = $followUpTaskId
* identifier[followUpTaskId].value = "8c0e6a2f-1b3d-4e5f-9a6b-7c8d9e0f1a03"
* status = #cancelled
* statusReason = PhtFollowUpCloseReasonCS#readmitted "Reinnlagt"
* businessStatus = PhtFollowUpOutcomeCS#missed "Ikke kontaktet"
* intent = #order
* code = PhtTaskTypeCS#discharge-follow-up
* focus = Reference(ExampleDischarge)
* for = Reference(ExamplePatient)
* authoredOn = "2026-11-23T08:02:00+01:00"
* owner = Reference(ExampleNurse)
* restriction.period.end = "2026-11-25"

Instance: ExampleOutreachTask
InstanceOf: PhtFollowUpTask
Title: "Outreach to a weak demander"
Usage: #example
* identifier[followUpTaskId].system = $followUpTaskId
* identifier[followUpTaskId].value = "2a7b9c1d-3e4f-4a5b-8c6d-9e0f1a2b3c04"
* status = #requested
* businessStatus = PhtFollowUpOutcomeCS#pending "Venter"
* intent = #order
* code = PhtTaskTypeCS#outreach "Oppsøkende oppfølging"
* for = Reference(ExamplePatientProtected)
* authoredOn = "2026-11-23T08:05:00+01:00"
* owner = Reference(ExampleNurse)

Instance: ExampleNurseContact
InstanceOf: PhtNurseContact
Title: "Home visit after discharge"
Usage: #example
* identifier[contactId].system = $contactId
* identifier[contactId].value = "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e06"
* status = #finished
* class = $actCode#HH "home health"
* type[contactKind] = PhtContactKindCS#home-visit "Hjemmebesøk"
* subject = Reference(ExamplePatient)
* participant.individual = Reference(ExampleNurse)
* period.start = "2026-11-24T10:00:00+01:00"
* period.end = "2026-11-24T10:45:00+01:00"
* length.value = 45
* length.unit = "min"
* length.system = "http://unitsofmeasure.org"
* length.code = #min

Instance: ExampleGpCharge
InstanceOf: PhtTeamCharge
Title: "GP consultation 2ad: bears the day's egenandel"
Usage: #example
* identifier[chargeId].system = $chargeId
* identifier[chargeId].value = "d4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f07"
* status = #billable
* code = PhtTariffCS#2ad
* subject = Reference(ExamplePatient)
* occurrenceDateTime = "2026-11-24T08:30:00+01:00"
* performer.actor = Reference(ExampleGp)
* enterer = Reference(ExampleGp)
* enteredDate = "2026-11-24T08:50:00+01:00"
* quantity.value = 1
* extension[egenandel].extension[charged].valueMoney.value = 167
* extension[egenandel].extension[charged].valueMoney.currency = #NOK
* extension[egenandel].extension[tariff].valueMoney.value = 167
* extension[egenandel].extension[tariff].valueMoney.currency = #NOK

Instance: ExampleNurseCharge
InstanceOf: PhtTeamCharge
Title: "Nurse home visit S3: egenandel waived, already charged today"
Usage: #example
* identifier[chargeId].system = $chargeId
* identifier[chargeId].value = "e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a08"
* status = #billable
* code = PhtTariffCS#S3 "Hjemmebesøk"
* subject = Reference(ExamplePatient)
* context = Reference(ExampleNurseContact)
* occurrenceDateTime = "2026-11-24T10:00:00+01:00"
* performer.actor = Reference(ExampleNurse)
* enterer = Reference(ExampleNurse)
* enteredDate = "2026-11-24T11:00:00+01:00"
* quantity.value = 1
* priceOverride.value = 152
* priceOverride.currency = #NOK
* account = Reference(ExampleCopayDay)
* extension[egenandel].extension[charged].valueMoney.value = 0
* extension[egenandel].extension[charged].valueMoney.currency = #NOK
* extension[egenandel].extension[tariff].valueMoney.value = 60
* extension[egenandel].extension[tariff].valueMoney.currency = #NOK
* extension[waiverReason].valueCodeableConcept = PhtEgenandelWaiverReasonCS#SAME_DAY "Egenandel allerede betalt i dag hos teamet"

Instance: ExampleChildCharge
InstanceOf: PhtTeamCharge
Title: "Nurse contact S1a for a child: exempt (Volven 7461 B)"
Usage: #example
* identifier[chargeId].system = $chargeId
* identifier[chargeId].value = "f6a7b8c9-d0e1-4f2a-9b3c-4d5e6f7a8b09"
* status = #billable
* code = PhtTariffCS#S1a "Enkel pasientkontakt"
* subject = Reference(ExamplePatientProtected)
* occurrenceDateTime = "2026-11-24T13:00:00+01:00"
* performer.actor = Reference(ExampleNurse)
* enterer = Reference(ExampleNurse)
* extension[egenandel].extension[charged].valueMoney.value = 0
* extension[egenandel].extension[charged].valueMoney.currency = #NOK
* extension[waiverReason].valueCodeableConcept = $copayExemption#B "Barn under 16 år"

Instance: ExampleOutreachAssessment
InstanceOf: PhtOutreachAssessment
Title: "Outreach: follow-up needed, home visit offered"
Usage: #example
* status = #completed
* code.coding[assessmentType] = PhtAssessmentTypeCS#outreach
* subject = Reference(ExamplePatientProtected)
* performedDateTime = "2026-11-25T09:00:00+01:00"
* recorder = Reference(ExampleNurse)
* outcome = PhtAssessmentOutcomeCS#follow-up-needed "Behov for oppfølging"
* followUp = PhtAssessmentOutcomeCS#offered-home-visit "Tilbudt hjemmebesøk"
* note.text = "Ikke sett på over ett år, bor alene."

Instance: ExampleMedicationReviewNeedAssessment
InstanceOf: PhtMedicationReviewNeedAssessment
Title: "Medication review needed"
Usage: #example
* status = #completed
* code.coding[assessmentType] = PhtAssessmentTypeCS#medication-review-need
* subject = Reference(ExamplePatient)
* performedDateTime = "2026-11-24T11:00:00+01:00"
* recorder = Reference(ExampleGp)
* outcome = PhtAssessmentOutcomeCS#review-needed "Behov for legemiddelgjennomgang"

Instance: ExampleCopayDay
InstanceOf: PhtCopayDay
Title: "Kari's co-payment ledger of Tue 24 Nov 2026"
Description: "Written with every change to the day's charges (If-Match); third write by the nurse, who answered that Kari had not paid elsewhere today."
Usage: #example
* identifier[copayDay].system = $copayDay
* identifier[copayDay].value = "ExamplePatient:2026-11-24"
* status = #active
* name = "Egenandel 2026-11-24"
* subject = Reference(ExamplePatient)
* servicePeriod.start = "2026-11-24"
* servicePeriod.end = "2026-11-24"
* description = "Én egenandel per dag for teamets tjenester (primærhelseteam)."
* extension[ledgerRevision].valueInteger = 3
* extension[paidElsewhere].valueBoolean = false
* extension[recordedBy].valueReference = Reference(ExampleNurse)

Instance: ExampleContactNote
InstanceOf: PhtContactNote
Title: "Journal note of the home visit"
Usage: #example
* identifier[contactNoteId].system = $contactNoteId
* identifier[contactNoteId].value = "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e06"
* status = #current
* docStatus = #final
* type.coding[nurseNote] = $loinc#34746-8 "Nurse Note"
* type.text = "Journalnotat"
* subject = Reference(ExamplePatient)
* date = "2026-11-24T11:00:00+01:00"
* author = Reference(ExampleNurse)
* context.encounter = Reference(ExampleNurseContact)
* context.period.start = "2026-11-24T10:00:00+01:00"
* context.period.end = "2026-11-24T10:45:00+01:00"
* content.attachment.contentType = #"text/plain; charset=utf-8"
* content.attachment.title = "Journalnotat"
// "Hjemmebesøk etter utskrivning. Blodsukker 7,2. Medisinliste gjennomgått." (UTF-8, base64)
* content.attachment.data = "SGplbW1lYmVzw7hrIGV0dGVyIHV0c2tyaXZuaW5nLiBCbG9kc3Vra2VyIDcsMi4gTWVkaXNpbmxpc3RlIGdqZW5ub21nw6V0dC4="

Instance: ExampleClaimedCharge
InstanceOf: PhtTeamCharge
Title: "Nurse follow-up S2a, claimed from Helfo"
Description: "Registered by the nurse on 10 Nov; the practice manager marked it claimed on 20 Nov (status billed)."
Usage: #example
* identifier[chargeId].system = $chargeId
* identifier[chargeId].value = "a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c10:S2a"
* status = #billed
* code = PhtTariffCS#S2a "Oppfølging hos sykepleier"
* subject = Reference(ExamplePatient)
* occurrenceDateTime = "2026-11-10T09:00:00+01:00"
* performer.actor = Reference(ExampleNurse)
* enterer = Reference(ExampleNurse)
* enteredDate = "2026-11-10T09:40:00+01:00"
* quantity.value = 1
* priceOverride.value = 152
* priceOverride.currency = #NOK
* extension[egenandel].extension[charged].valueMoney.value = 60
* extension[egenandel].extension[charged].valueMoney.currency = #NOK
* extension[egenandel].extension[tariff].valueMoney.value = 60
* extension[egenandel].extension[tariff].valueMoney.currency = #NOK
* extension[claimMarked].extension[at].valueDateTime = "2026-11-20T14:00:00+01:00"
* extension[claimMarked].extension[by].valueReference = Reference(ExampleGp)

Instance: ExampleListViewAudit
InstanceOf: PhtAccessAuditEvent
Title: "The GP saw the list overview"
Usage: #example
* type = $dcm#110112 "Query"
* subtype = $restfulInteraction#search-type "search type"
* action = #E
* recorded = "2026-11-23T08:15:00.000Z"
* outcome = #0
* agent[0].type = $dcm#110153 "Source Role ID"
* agent[0].requestor = true
* agent[0].who = Reference(ExampleGp) "Lars Lege"
* agent[0].name = "Lars Lege"
* agent[1].type = $dcm#110150 "Application"
* agent[1].requestor = false
* agent[1].who.display = "Primærhelseteam"
* source.observer.display = "Primærhelseteam"
* source.type = $securitySourceType#4 "Application Server"
* entity.what.identifier.system = "https://pht.example.org/fhir/CodeSystem/audit-activity"
* entity.what.identifier.value = "list-overview"
* entity.what.display = "Listeoversikt"
* entity.type = $auditEntityType#2 "System Object"
* entity.role = $objectRole#24 "Query"
* entity.name = "Listeoversikt"
* entity.detail[0].type = "count"
* entity.detail[0].valueString = "312"
* entity.detail[1].type = "event-id"
* entity.detail[1].valueString = "3f2b8a4c-1d5e-4f6a-9b7c-8d9e0f1a2b11"

Instance: ExampleExportAudit
InstanceOf: PhtAccessAuditEvent
Title: "The nurse exported the worklist, filtered"
Usage: #example
* type = $dcm#110106 "Export"
* subtype = PhtAuditActivityCS#export "Eksport"
* action = #R
* recorded = "2026-11-24T14:02:00.000Z"
* outcome = #0
* agent[0].type = $dcm#110153 "Source Role ID"
* agent[0].requestor = true
* agent[0].who = Reference(ExampleNurse)
* agent[1].type = $dcm#110150 "Application"
* agent[1].requestor = false
* agent[1].who.display = "Primærhelseteam"
* source.observer.display = "Primærhelseteam"
* source.type = $securitySourceType#4 "Application Server"
* entity.what.identifier.system = "https://pht.example.org/fhir/CodeSystem/audit-activity"
* entity.what.identifier.value = "worklist"
* entity.what.display = "Eksport av arbeidsliste"
* entity.type = $auditEntityType#2 "System Object"
* entity.role = $objectRole#3 "Report"
// query: "nurse=ExampleNurse&status=open" (base64); with a query, no entity.name (sev-1)
* entity.query = "bnVyc2U9RXhhbXBsZU51cnNlJnN0YXR1cz1vcGVu"
* entity.description = "nurse=ExampleNurse&status=open"
* entity.detail[0].type = "count"
* entity.detail[0].valueString = "14"
* entity.detail[1].type = "event-id"
* entity.detail[1].valueString = "4a3c9b5d-2e6f-4a7b-8c8d-9e0f1a2b3c12"
* entity.detail[2].type = "format"
* entity.detail[2].valueString = "csv"
* entity.detail[3].type = "aggregate"
* entity.detail[3].valueString = "false"

// Profiles of what the app writes (Flag, Task, Encounter, ChargeItem, Procedure, Account, DocumentReference,
// AuditEvent) and reads (Patient,
// Practitioner, PractitionerRole). They derive from FHIR R4 core because HL7 Norway's no-basis package
// (http://hl7.no/fhir/StructureDefinition/no-basis-<Resource>) cannot be loaded offline; each description
// names the no-basis profile it would derive from, and the Norwegian identifier systems are the same.

RuleSet: PhtProfile
* ^status = #active
* ^experimental = false
* ^publisher = "Primærhelseteam app project"
* ^jurisdiction = urn:iso:std:iso:3166#NO "Norway"

// One identifier with our client-generated id: the key of the app's conditional create (idempotent writes).
RuleSet: PhtClientIdentifier(slice, system)
* identifier ^slicing.discriminator.type = #value
* identifier ^slicing.discriminator.path = "system"
* identifier ^slicing.rules = #open
* identifier ^slicing.description = "The app's own identifier, used for idempotent conditional create"
* identifier contains {slice} 1..1 MS
* identifier[{slice}].system 1..1
* identifier[{slice}].system = "{system}" (exactly)
* identifier[{slice}].value 1..1

// ---------------------------------------------------------------------------------------------- read

Profile: PhtPatient
Parent: Patient
Id: pht-patient
Title: "PHT Patient"
Description: "The patient as the app reads it. Would derive from no-basis-Patient (http://hl7.no/fhir/StructureDefinition/no-basis-Patient). Identified by fødselsnummer or D-nummer."
* insert PhtProfile
* identifier ^slicing.discriminator.type = #value
* identifier ^slicing.discriminator.path = "system"
* identifier ^slicing.rules = #open
* identifier contains fnr 0..1 MS and dnr 0..1 MS
* identifier[fnr].system = $fnr (exactly)
* identifier[fnr].value 1..1
* identifier[fnr] ^short = "Fødselsnummer"
* identifier[dnr].system = $dnr (exactly)
* identifier[dnr].value 1..1
* identifier[dnr] ^short = "D-nummer"
* extension contains PhtAddressProtection named addressProtection 0..1 MS and PhtLivesInInstitution named livesInInstitution 0..1 MS
* birthDate MS
* telecom MS
* contact MS

Profile: PhtPractitioner
Parent: Practitioner
Id: pht-practitioner
Title: "PHT Practitioner"
Description: "A team member. Would derive from no-basis-Practitioner (http://hl7.no/fhir/StructureDefinition/no-basis-Practitioner). Identified by HPR-nummer; health personnel category (Volven 9060) in qualification."
* insert PhtProfile
* identifier ^slicing.discriminator.type = #value
* identifier ^slicing.discriminator.path = "system"
* identifier ^slicing.rules = #open
* identifier contains hpr 1..1 MS
* identifier[hpr].system = $hpr (exactly)
* identifier[hpr].value 1..1
* identifier[hpr] ^short = "HPR-nummer"
* name 1..* MS
* qualification MS
* qualification.code from PhtHealthPersonnelCategoryVS (extensible)

Profile: PhtPractitionerRole
Parent: PractitionerRole
Id: pht-practitioner-role
Title: "PHT PractitionerRole"
Description: "A team member's role in the practice: category (Volven 9060), practice manager (daglig leder) and position size. Would derive from no-basis-PractitionerRole (http://hl7.no/fhir/StructureDefinition/no-basis-PractitionerRole)."
* insert PhtProfile
* extension contains PhtPositionPercent named positionPercent 0..1 MS
* practitioner 1..1 MS
* practitioner only Reference(Practitioner)
* organization MS
* code MS
* code ^short = "Volven 9060 category (LE, SP, HE) and/or team-role#practice-manager"

// --------------------------------------------------------------------------------------------- write

Profile: PhtTargetGroupFlag
Parent: Flag
Id: pht-target-group-flag
Title: "PHT target-group flag"
Description: "The patient is a candidate for, or confirmed in, a target group (målgruppe; SPEC §3). The evidence (conditions, medications, encounters, observations, assessments) is referenced with the standard flag-detail extension. Would derive from no-basis-Flag (http://hl7.no/fhir/StructureDefinition/no-basis-Flag; not published by HL7 Norway at the time of writing, so Flag from core)."
* insert PhtProfile
* insert PhtClientIdentifier(flagId, https://pht.example.org/fhir/NamingSystem/flag-id)
* extension contains $flagDetail named evidence 0..* MS
* extension[evidence] ^short = "A fact behind the flag (the rule that fired is in the fact's display/text)"
* status MS
* category 1..* MS
* category ^short = "flag-category#clinical"
* code MS
* code from PhtTargetGroupVS (required)
* code.coding 1..*
* code.coding.system 1..1
* code.coding.code 1..1
* subject MS
* subject only Reference(Patient)
* period 1..1 MS
* period.start 1..1
* author MS

Invariant: pht-task-1
Description: "A discharge follow-up names the discharge (focus) and its deadline (restriction.period.end)."
Expression: "code.coding.where(system = 'https://pht.example.org/fhir/CodeSystem/task-type' and code = 'discharge-follow-up').exists() implies (focus.exists() and restriction.period.end.exists())"
Severity: #error

Invariant: pht-task-2
Description: "A completed follow-up says whether the deadline was met (businessStatus)."
Expression: "status = 'completed' implies businessStatus.exists()"
Severity: #error

Invariant: pht-task-3
Description: "A cancelled follow-up says why (statusReason)."
Expression: "status = 'cancelled' implies statusReason.exists()"
Severity: #error

Profile: PhtFollowUpTask
Parent: Task
Id: pht-follow-up-task
Title: "PHT follow-up task"
Description: "A task of the team: discharge follow-up within 3 working days (focus = the discharge Encounter, DocumentReference or Communication; deadline = restriction.period.end), outreach to a weak demander, or a medication question for the GP. Status mapping: requested = new, in-progress = attempted (each attempt a contact-attempt extension), completed = contacted (businessStatus met or late), cancelled = closed (statusReason). Would derive from no-basis-Task (not published by HL7 Norway; Task from core)."
* insert PhtProfile
* insert PhtClientIdentifier(followUpTaskId, https://pht.example.org/fhir/NamingSystem/follow-up-task-id)
* obeys pht-task-1 and pht-task-2 and pht-task-3
* extension contains PhtContactAttempt named attempt 0..* MS
* status MS
* statusReason MS
* statusReason from PhtFollowUpCloseReasonVS (required)
* businessStatus MS
* businessStatus from PhtFollowUpOutcomeVS (required)
* intent = #order
* code 1..1 MS
* code from PhtTaskTypeVS (required)
* code.coding 1..*
* code.coding.system 1..1
* code.coding.code 1..1
* focus MS
* focus only Reference(Encounter or DocumentReference or Communication)
* for 1..1 MS
* for only Reference(Patient)
* authoredOn 1..1 MS
* lastModified MS
* requester MS
* owner MS
* owner only Reference(Practitioner or PractitionerRole)
* owner ^short = "The nurse (or, for gp-medication-review, the GP) responsible"
* restriction MS
* restriction.period MS
* restriction.period.end MS
* restriction.period.end ^short = "Deadline: 3rd working day after the Oslo date of discharge (SPEC §2)"
* output MS
* output ^short = "What completed the task: valueReference to the contact (Encounter) or assessment (Procedure)"

Profile: PhtNurseContact
Parent: Encounter
Id: pht-nurse-contact
Title: "PHT nurse contact"
Description: "A contact of a team nurse with or about the patient (SPEC §5); the basis of the tariff suggestion. class: AMB (in person), HH (home visit), VR (phone, video, written). The journal note itself stays in the EPJ. Would derive from no-basis-Encounter (http://hl7.no/fhir/StructureDefinition/no-basis-Encounter)."
* insert PhtProfile
* insert PhtClientIdentifier(contactId, https://pht.example.org/fhir/NamingSystem/contact-id)
* status MS
* class MS
* type 1..* MS
* type ^slicing.discriminator.type = #value
* type ^slicing.discriminator.path = "coding.system"
* type ^slicing.rules = #open
* type contains contactKind 1..1 MS
* type[contactKind] from PhtContactKindVS (required)
* type[contactKind].coding 1..*
* type[contactKind].coding.system 1..1
* type[contactKind].coding.system = "https://pht.example.org/fhir/CodeSystem/contact-kind" (exactly)
* type[contactKind].coding.code 1..1
* subject 1..1 MS
* subject only Reference(Patient)
* participant 1..* MS
* participant.individual 1..1 MS
* participant.individual only Reference(Practitioner or PractitionerRole)
* participant.individual ^short = "An HPR-identified practitioner (PhtPractitioner): the nurse, and the GP in a team consultation"
* period 1..1 MS
* period.start 1..1
* length MS
* length ^short = "Duration in minutes (drives S2b)"
* serviceProvider MS

Invariant: pht-charge-1
Description: "A charge with a waiver reason charges no egenandel."
Expression: "extension.where(url = 'https://pht.example.org/fhir/StructureDefinition/egenandel-waiver-reason').exists() implies extension.where(url = 'https://pht.example.org/fhir/StructureDefinition/egenandel').extension.where(url = 'charged').value.ofType(Money).value.all($this = 0)"
Severity: #error

Invariant: pht-charge-2
Description: "A charge marked as claimed is billed, or aborted when it was cancelled after the claim."
Expression: "extension.where(url = 'https://pht.example.org/fhir/StructureDefinition/claim-marked').exists() implies (status = 'billed' or status = 'aborted')"
Severity: #error

Profile: PhtTeamCharge
Parent: ChargeItem
Id: pht-team-charge
Title: "PHT team charge"
Description: "One tariff code charged for a patient by the team (nurse S-code or GP code), with the egenandel charged and, when none is, why (SPEC §5, §6). Status: billable = registered, billed = claimed from Helfo (claim-marked says when and by whom), aborted = cancelled (does not count for the one-egenandel rule). priceOverride = honorar of the catalogue version used; account = the patient-day's co-payment ledger (PhtCopayDay). Would derive from no-basis-ChargeItem (not published by HL7 Norway; ChargeItem from core)."
* insert PhtProfile
* insert PhtClientIdentifier(chargeId, https://pht.example.org/fhir/NamingSystem/charge-id)
* obeys pht-charge-1 and pht-charge-2
* extension contains PhtEgenandel named egenandel 0..1 MS and PhtEgenandelWaiverReason named waiverReason 0..1 MS and PhtClaimMarked named claimMarked 0..1 MS
* extension[claimMarked] ^short = "Marked as claimed from Helfo by the practice manager (status billed, or aborted when cancelled afterwards)"
* status MS
* code MS
* code from PhtTariffVS (required)
* code.coding 1..*
* code.coding.system 1..1
* code.coding.code 1..1
* subject MS
* subject only Reference(Patient)
* context MS
* context only Reference(Encounter)
* context ^short = "The nurse contact (PhtNurseContact) the charge belongs to"
* occurrence[x] 1..1 MS
* occurrence[x] only dateTime
* occurrence[x] ^short = "When the service was given (decides the Oslo day of the one-egenandel rule)"
* performer 1..* MS
* performer.actor only Reference(Practitioner or PractitionerRole)
* enterer MS
* enterer only Reference(Practitioner or PractitionerRole)
* enteredDate MS
* quantity MS
* priceOverride MS
* priceOverride.currency = #NOK
* account MS
* account only Reference(Account)
* account ^short = "The co-payment ledger of the patient and Oslo day (PhtCopayDay)"
* note MS
* note ^short = "On cancellation: who, when, and any egenandel to pay back"

RuleSet: PhtAssessment(type)
* insert PhtProfile
* status = #completed
* code 1..1 MS
* code.coding 1..*
* code.coding ^slicing.discriminator.type = #pattern
* code.coding ^slicing.discriminator.path = "$this"
* code.coding ^slicing.rules = #open
* code.coding contains assessmentType 1..1
* code.coding[assessmentType] = https://pht.example.org/fhir/CodeSystem/assessment-type#{type}
* subject MS
* subject only Reference(Patient)
* performed[x] 1..1 MS
* performed[x] only dateTime
* recorder 1..1 MS
* recorder only Reference(Practitioner or PractitionerRole)
* performer MS
* outcome 1..1 MS
* note MS

Profile: PhtTargetGroupAssessment
Parent: Procedure
Id: pht-target-group-assessment
Title: "PHT target-group assessment"
Description: "A GP's medical assessment of a candidate for a target group: include or exclude, with the reason in note. The latest assessment per group (performedDateTime, then lastUpdated) wins over the rules (SPEC §3). Would derive from no-basis-Procedure (not published by HL7 Norway; Procedure from core)."
* insert PhtAssessment(target-group)
* reasonCode 1..1 MS
* reasonCode from PhtTargetGroupVS (required)
* reasonCode ^short = "The target group assessed"
* outcome from PhtTargetGroupAssessmentOutcomeVS (required)
* note 1..* MS
* note ^short = "The reason for the decision"

Profile: PhtOutreachAssessment
Parent: Procedure
Id: pht-outreach-assessment
Title: "PHT outreach assessment and offer"
Description: "The team's assessment of a weak demander's need for follow-up and what was offered (consultation or home visit), as the source demands (ch. 4.3; SPEC §3). The outreach task points to it in Task.output. Would derive from no-basis-Procedure (not published; Procedure from core)."
* insert PhtAssessment(outreach)
* outcome from PhtOutreachOutcomeVS (required)
* followUp MS
* followUp from PhtOutreachOfferVS (required)
* followUp ^short = "What was offered, and whether it was declined"

Profile: PhtMedicationReviewNeedAssessment
Parent: Procedure
Id: pht-medication-review-need-assessment
Title: "PHT assessment of the need for a medication review"
Description: "Assessment of the need for a medication review (legemiddelgjennomgang) of a patient with polypharmacy; counts for the Table 2 indicator (source ch. 6.2.1; SPEC §3, §7). Would derive from no-basis-Procedure (not published; Procedure from core)."
* insert PhtAssessment(medication-review-need)
* outcome from PhtMedicationReviewNeedOutcomeVS (required)

Invariant: pht-copay-day-1
Description: "The ledger covers one Oslo calendar day: servicePeriod.start and .end are the same date, without a time."
Expression: "servicePeriod.start.exists() and servicePeriod.start = servicePeriod.end and servicePeriod.start.toString().length() = 10"
Severity: #error

Invariant: pht-copay-day-2
Description: "The identifier value is `<patient id>:<Oslo date>` and names the ledger's day."
Expression: "identifier.where(system = 'https://pht.example.org/fhir/NamingSystem/copay-day').value.endsWith(':' + %resource.servicePeriod.start.toString())"
Severity: #error

Profile: PhtCopayDay
Parent: Account
Id: pht-copay-day
Title: "PHT co-payment ledger of a patient-day"
Description: "The ledger of one patient and one Oslo calendar day that enforces one egenandel a day across the team's charges (SPEC §6, relying only on what a FHIR server guarantees). Created with a conditional create on its identifier (`<patient id>:<Oslo date>`), then rewritten, version-checked with If-Match, in the same transaction as every change to that day's charges (whose ChargeItem.account points here), so two writers of the same day conflict (412) instead of both charging. copay-ledger-revision is raised on every write; copay-paid-elsewhere is the nurse's answer whether the patient already paid today outside the team; recorded-by is the last writer. Never deleted. Would derive from no-basis-Account (not published by HL7 Norway; Account from core)."
* insert PhtProfile
* insert PhtClientIdentifier(copayDay, https://pht.example.org/fhir/NamingSystem/copay-day)
* obeys pht-copay-day-1 and pht-copay-day-2
* identifier[copayDay] ^short = "`<patient id>:<Oslo date YYYY-MM-DD>`"
* extension contains PhtCopayLedgerRevision named ledgerRevision 1..1 MS and PhtCopayPaidElsewhere named paidElsewhere 0..1 MS and PhtRecordedBy named recordedBy 0..1 MS
// The url again on the required slice (it equals the extension's own): validators that match extension
// slices by the slice's elements, not the extension's definition (Medplum), would otherwise count none.
* extension[ledgerRevision].url = "https://pht.example.org/fhir/StructureDefinition/copay-ledger-revision" (exactly)
* status MS
* status ^short = "active"
* name MS
* subject 1..1 MS
* subject only Reference(Patient)
* servicePeriod 1..1 MS
* servicePeriod.start 1..1
* servicePeriod.end 1..1
* servicePeriod ^short = "The Oslo calendar day (start = end, date only)"
* description MS

Invariant: pht-contact-note-1
Description: "The note is plain text, inline."
Expression: "content.all(attachment.contentType.startsWith('text/plain') and attachment.data.exists())"
Severity: #error

Profile: PhtContactNote
Parent: DocumentReference
Id: pht-contact-note
Title: "PHT journal note of a nurse contact"
Description: "The journal note a nurse writes with a contact (SPEC §5, §8: contact = Encounter plus a note the journal keeps): LOINC 34746-8 Nurse note, context.encounter = the nurse contact (PhtNurseContact), the text as UTF-8 plain text inline. Written in the same transaction as the contact (conditional create on the contact's id, so a retried save never duplicates it), and only when the user's grant allows DocumentReference create; otherwise the note is written in the EPJ. Would derive from no-basis-DocumentReference (not published by HL7 Norway; DocumentReference from core)."
* insert PhtProfile
* insert PhtClientIdentifier(contactNoteId, https://pht.example.org/fhir/NamingSystem/contact-note-id)
* obeys pht-contact-note-1
* identifier[contactNoteId] ^short = "The contactId of the nurse contact the note belongs to"
* status MS
* docStatus MS
* type 1..1 MS
* type.coding 1..*
* type.coding ^slicing.discriminator.type = #pattern
* type.coding ^slicing.discriminator.path = "$this"
* type.coding ^slicing.rules = #open
* type.coding contains nurseNote 1..1
* type.coding[nurseNote] = $loinc#34746-8
* subject 1..1 MS
* subject only Reference(Patient)
* date 1..1 MS
* author 1..* MS
* author only Reference(Practitioner or PractitionerRole)
* context 1..1 MS
* context.encounter 1..1 MS
* context.encounter only Reference(Encounter)
* context.encounter ^short = "The nurse contact (PhtNurseContact)"
* context.period MS
* content 1..1 MS
* content.attachment.contentType 1..1 MS
* content.attachment.data 1..1 MS

Invariant: pht-audit-1
Description: "Exactly one agent is the user who asked (requestor), and it says who: a reference to the Practitioner or PractitionerRole, or a display when the user is unknown."
Expression: "agent.where(requestor = true).count() = 1 and agent.where(requestor = true).who.exists()"
Severity: #error

Invariant: pht-audit-2
Description: "A list view is a Query with action E; an export is an Export with action R that names the file format."
Expression: "(type.code = '110112' implies action = 'E') and (type.code = '110106' implies (action = 'R' and entity.detail.where(type = 'format').exists()))"
Severity: #error

Invariant: pht-audit-3
Description: "Each entity names the list or export (identifier in the audit-activity code system) and the number of rows (detail `count`)."
Expression: "entity.all(what.identifier.system = 'https://pht.example.org/fhir/CodeSystem/audit-activity' and what.identifier.value.exists() and detail.where(type = 'count').exists())"
Severity: #error

Profile: PhtAccessAuditEvent
Parent: AuditEvent
Id: pht-access-audit-event
Title: "PHT access log entry (list view or export)"
Description: "Who saw which list, or exported which file, when (SPEC §8; IHE Basic Audit Log Patterns Query and Export): type DICOM 110112 Query (subtype search-type, action E) or 110106 Export (subtype audit-activity#export, action R); agent = the user (requestor, SMART fhirUser) and the app; entity = the list or export (audit-activity identifier and Norwegian name), its filter as `query` (base64), and details `count`, `event-id` (a uuid per event, to fold duplicates of a retried create), and for an export `format` and `aggregate`. Created (never updated) on every list view and export when the grant allows AuditEvent create. Would derive from no-basis-AuditEvent (not published by HL7 Norway; AuditEvent from core)."
* insert PhtProfile
* obeys pht-audit-1 and pht-audit-2 and pht-audit-3
* type MS
* type from PhtAccessAuditTypeVS (required)
* subtype 1..1 MS
* subtype from PhtAccessAuditSubtypeVS (required)
* action 1..1 MS
* recorded MS
* outcome 1..1 MS
* agent 1..* MS
* agent.requestor MS
* agent.who 1..1 MS
* agent.who only Reference(Practitioner or PractitionerRole or Device)
* agent.who ^short = "The user (Practitioner/PractitionerRole from fhirUser), or the app (display)"
* source MS
* source.observer MS
* entity 1..* MS
* entity.what 1..1 MS
* entity.what.identifier 1..1
* entity.what.identifier.system 1..1
* entity.what.identifier.system = "https://pht.example.org/fhir/CodeSystem/audit-activity" (exactly)
* entity.what.identifier.value 1..1
* entity.name MS
* entity.query MS
* entity.query ^short = "The filter (URL query string, base64); sev-1: not together with name"
* entity.detail 1..* MS

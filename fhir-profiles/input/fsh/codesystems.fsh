// Our own code systems. Ids (and so canonical URLs https://pht.example.org/fhir/CodeSystem/<id>) match
// SYSTEMS in src/fhir/systems.ts.

RuleSet: PhtCodeSystem
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* ^publisher = "Primærhelseteam app project"
* ^jurisdiction = urn:iso:std:iso:3166#NO "Norway"

RuleSet: PhtValueSet
* ^status = #active
* ^experimental = false
* ^publisher = "Primærhelseteam app project"
* ^jurisdiction = urn:iso:std:iso:3166#NO "Norway"

CodeSystem: PhtTargetGroupCS
Id: target-group
Title: "PHT target group (målgruppe)"
Description: "The target groups of the primærhelseteam pilot (SPEC §3; source ch. 4.2-4.3)."
* insert PhtCodeSystem
* #chronic "Kronisk syke" "Patients with a key chronic disease and multimorbidity, polypharmacy or a recent discharge."
* #mental-substance "Psykisk lidelse og rusavhengighet" "Patients with serious psychiatric illness or substance dependence."
* #frail-elderly "Skrøpelige eldre" "Patients aged 85 or more, or 75 or more with frailty signs."
* #disability "Utviklingshemming og funksjonsnedsettelse" "Patients with intellectual disability or functional impairment."

ValueSet: PhtTargetGroupVS
Id: target-group
Title: "PHT target groups"
Description: "All PHT target groups."
* insert PhtValueSet
* include codes from system PhtTargetGroupCS

CodeSystem: PhtFollowUpOutcomeCS
Id: follow-up-outcome
Title: "PHT discharge follow-up outcome"
Description: "Whether a discharge follow-up met the deadline of 3 working days (SPEC §2, §4). Carried in Task.businessStatus."
* insert PhtCodeSystem
* #met "Innen fristen" "First successful contact on or before the deadline."
* #late "Etter fristen" "First successful contact after the deadline."
* #missed "Ikke kontaktet" "Closed without a successful contact, or overdue and still open when counted."
* #pending "Venter" "Not yet contacted; the deadline has not passed."

ValueSet: PhtFollowUpOutcomeVS
Id: follow-up-outcome
Title: "PHT discharge follow-up outcomes"
Description: "All discharge follow-up outcomes."
* insert PhtValueSet
* include codes from system PhtFollowUpOutcomeCS

CodeSystem: PhtFollowUpCloseReasonCS
Id: follow-up-close-reason
Title: "PHT follow-up close reason"
Description: "Why a follow-up task was closed without (further) contact (SPEC §4). Carried in Task.statusReason."
* insert PhtCodeSystem
* #readmitted "Reinnlagt" "The patient was readmitted before contact."
* #deceased "Død" "The patient died."
* #declined "Pasienten takket nei" "The patient declined follow-up."
* #moved-to-institution "Flyttet til institusjon" "The patient moved to an institution (e.g. nursing home)."
* #followed-up-elsewhere "Fulgt opp av annen tjeneste" "Followed up by another service (e.g. home care)."
* #not-needed-after-assessment "Ikke behov etter medisinsk vurdering" "Not needed after the team's medical assessment."
* #no-follow-up-needed "Ikke behov for oppfølging" "No follow-up needed (e.g. the discharge was not relevant)."

ValueSet: PhtFollowUpCloseReasonVS
Id: follow-up-close-reason
Title: "PHT follow-up close reasons"
Description: "All follow-up close reasons."
* insert PhtValueSet
* include codes from system PhtFollowUpCloseReasonCS

CodeSystem: PhtContactKindCS
Id: contact-kind
Title: "PHT nurse contact kind"
Description: "Kinds of nurse contact that drive the tariff suggestion (SPEC §5)."
* insert PhtCodeSystem
* #simple "Enkel pasientkontakt" "Simple contact with the patient, any channel."
* #follow-up "Oppfølging" "Follow-up with the patient (by phone or in writing, or in person or by video)."
* #about-patient "Kontakt om pasienten" "Call or letter about the patient with another service, patient absent."
* #home-visit "Hjemmebesøk" "Home visit."
* #group "Gruppeoppfølging" "Group session; one contact per participant."
* #meeting "Tverrfaglig møte" "Interdisciplinary meeting about the patient."
* #team-consultation "Teamkonsultasjon" "The nurse takes part in the GP's consultation."

ValueSet: PhtContactKindVS
Id: contact-kind
Title: "PHT nurse contact kinds"
Description: "All nurse contact kinds."
* insert PhtValueSet
* include codes from system PhtContactKindCS

CodeSystem: PhtTariffCS
Id: tariff
Title: "PHT tariff codes"
Description: "Nurse tariffs of the pilot (source Table 1, a preliminary proposal; Helfo publishes the valid ones) and the GP tariffs of Normaltariffen the app writes or sees in team charges (the codes of the app's tariff catalogue, src/domain/tariffs/catalogues). Amounts are not part of the code system: they are versioned data in the app's tariff catalogue (SPEC §5)."
* insert PhtCodeSystem
* #S1a "Enkel pasientkontakt"
* #S1b "Tlf-samtale om pasient"
* #S2a "Oppfølging hos sykepleier"
* #S2b "Tidstakst"
* #S3 "Hjemmebesøk"
* #S4 "Gruppeoppfølging"
* #S5 "Møtegodtgjørelse"
* #S6 "Reisetid ifm hjemmebesøk"
* #1ad "Normaltariffen takst 1ad" "GP tariff 1ad (enkel pasientkontakt, også ved telefon); text and amount per Helfo's current Normaltariff."
* #1be "Normaltariffen takst 1be" "GP tariff 1be (e-konsultasjon); text and amount per Helfo's current Normaltariff."
* #2ad "Normaltariffen takst 2ad" "GP tariff 2ad; text and amount per Helfo's current Normaltariff."
* #2cd "Normaltariffen takst 2cd" "GP tariff 2cd; text and amount per Helfo's current Normaltariff."
* #2ak "Normaltariffen takst 2ak" "GP tariff 2ak; text and amount per Helfo's current Normaltariff."
* #11ad "Normaltariffen takst 11ad" "GP tariff 11ad (sykebesøk, dagtid: the GP's home visit); text and amount per Helfo's current Normaltariff."
* #11ak "Normaltariffen takst 11ak" "GP tariff 11ak (sykebesøk, kveld/natt/helg); text and amount per Helfo's current Normaltariff."

ValueSet: PhtTariffVS
Id: tariff
Title: "PHT tariff codes"
Description: "All tariff codes a team charge can carry."
* insert PhtValueSet
* include codes from system PhtTariffCS

CodeSystem: PhtTaskTypeCS
Id: task-type
Title: "PHT task type"
Description: "Kinds of task the app creates (SPEC §3, §4)."
* insert PhtCodeSystem
* #discharge-follow-up "Oppfølging etter utskrivning" "Contact within 3 working days after discharge (source ch. 4.3)."
* #outreach "Oppsøkende oppfølging" "Outreach to a weak demander: assess the need and offer a consultation or home visit (source ch. 4.3)."
* #gp-medication-review "Legemiddelvurdering hos fastlege" "Medication changes after discharge that need the GP (nurses do not prescribe, source ch. 3.4.1)."

ValueSet: PhtTaskTypeVS
Id: task-type
Title: "PHT task types"
Description: "All PHT task types."
* insert PhtValueSet
* include codes from system PhtTaskTypeCS

CodeSystem: PhtTeamRoleCS
Id: team-role
Title: "PHT team role"
Description: "Team roles beyond the health personnel category (Volven 9060)."
* insert PhtCodeSystem
* #practice-manager "Daglig leder" "The GP who leads the practice and the team (SPEC §7)."

ValueSet: PhtTeamRoleVS
Id: team-role
Title: "PHT team roles"
Description: "All PHT team roles."
* insert PhtValueSet
* include codes from system PhtTeamRoleCS

CodeSystem: PhtAssessmentTypeCS
Id: assessment-type
Title: "PHT assessment type"
Description: "Documented team assessments, recorded as Procedure.code (SPEC §3)."
* insert PhtCodeSystem
* #target-group "Vurdering av målgruppe" "A GP confirms or rejects a candidate for a target group."
* #medication-review-need "Vurdering av behov for legemiddelgjennomgang" "Assessment of the need for a medication review (source ch. 6.2.1, Table 2)."
* #outreach "Oppsøkende vurdering og tilbud" "Assessment of a weak demander's need for follow-up and the offer made (source ch. 4.3)."

ValueSet: PhtAssessmentTypeVS
Id: assessment-type
Title: "PHT assessment types"
Description: "All PHT assessment types."
* insert PhtValueSet
* include codes from system PhtAssessmentTypeCS

CodeSystem: PhtAssessmentOutcomeCS
Id: assessment-outcome
Title: "PHT assessment outcome"
Description: "Outcomes of the team's assessments (Procedure.outcome) and offers (Procedure.followUp)."
* insert PhtCodeSystem
* #include "Inkludert" "Target group: the GP confirms the patient is in the group."
* #exclude "Ekskludert" "Target group: the GP rejects the candidate for the group."
* #review-needed "Behov for legemiddelgjennomgang" "Medication review: a review is needed."
* #review-not-needed "Ikke behov for legemiddelgjennomgang" "Medication review: no review needed now."
* #follow-up-needed "Behov for oppfølging" "Outreach: the patient needs follow-up."
* #no-follow-up-needed "Ikke behov for oppfølging" "Outreach: no follow-up needed."
* #offered-consultation "Tilbudt konsultasjon" "Outreach: a consultation was offered."
* #offered-home-visit "Tilbudt hjemmebesøk" "Outreach: a home visit was offered."
* #offer-declined "Tilbud avslått" "Outreach: the patient declined the offer."
* #not-reached "Ikke nådd" "Outreach: the patient could not be reached."

ValueSet: PhtTargetGroupAssessmentOutcomeVS
Id: target-group-assessment-outcome
Title: "PHT target-group assessment outcomes"
Description: "Include or exclude."
* insert PhtValueSet
* PhtAssessmentOutcomeCS#include
* PhtAssessmentOutcomeCS#exclude

ValueSet: PhtMedicationReviewNeedOutcomeVS
Id: medication-review-need-outcome
Title: "PHT medication-review need outcomes"
Description: "Review needed or not."
* insert PhtValueSet
* PhtAssessmentOutcomeCS#review-needed
* PhtAssessmentOutcomeCS#review-not-needed

ValueSet: PhtOutreachOutcomeVS
Id: outreach-outcome
Title: "PHT outreach assessment outcomes"
Description: "The assessed need of a weak demander."
* insert PhtValueSet
* PhtAssessmentOutcomeCS#follow-up-needed
* PhtAssessmentOutcomeCS#no-follow-up-needed
* PhtAssessmentOutcomeCS#not-reached

ValueSet: PhtOutreachOfferVS
Id: outreach-offer
Title: "PHT outreach offers"
Description: "What was offered to a weak demander, and the answer."
* insert PhtValueSet
* PhtAssessmentOutcomeCS#offered-consultation
* PhtAssessmentOutcomeCS#offered-home-visit
* PhtAssessmentOutcomeCS#offer-declined

CodeSystem: PhtEgenandelWaiverReasonCS
Id: egenandel-waiver-reason
Title: "PHT egenandel waiver reason"
Description: "Reasons of our own for a charge without egenandel, beside the exemptions of Volven 7461 (SPEC §6)."
* insert PhtCodeSystem
* #SAME_DAY "Egenandel allerede betalt i dag hos teamet" "Another team charge for the patient carries the egenandel of this Oslo calendar day (source ch. 6.1.2)."
* #CANCELLED "Kansellert" "The charge was cancelled, so it carries no egenandel."

ValueSet: PhtEgenandelWaiverReasonVS
Id: egenandel-waiver-reason
Title: "PHT egenandel waiver reasons"
Description: "Fritak for egenandel (Volven 7461, all codes) and the team's own reasons."
* insert PhtValueSet
* include codes from system $copayExemption
* include codes from system PhtEgenandelWaiverReasonCS

CodeSystem: PhtAddressProtectionCS
Id: address-protection
Title: "PHT address protection"
Description: "Confidential address levels of Folkeregisteret (adressebeskyttelse). Such an address is never shown or exported (SPEC §8)."
* insert PhtCodeSystem
* #fortrolig "Fortrolig adresse"
* #strengt-fortrolig "Strengt fortrolig adresse"

ValueSet: PhtAddressProtectionVS
Id: address-protection
Title: "PHT address protection levels"
Description: "All address protection levels."
* insert PhtValueSet
* include codes from system PhtAddressProtectionCS

ValueSet: PhtHealthPersonnelCategoryVS
Id: health-personnel-category
Title: "Health personnel categories of the team"
Description: "Volven 9060 categories the app distinguishes: LE lege, SP sykepleier, HE helsesekretær."
* insert PhtValueSet
* $hpCategory#LE "Lege"
* $hpCategory#SP "Sykepleier"
* $hpCategory#HE "Helsesekretær"

CodeSystem: PhtAuditActivityCS
Id: audit-activity
Title: "PHT audited activity"
Description: "What a user saw or exported, named in the app's access log (SPEC §8: list views and exports are logged). The list or export is AuditEvent.entity.what.identifier (system = this code system's URL, value = a code below); `export` is the AuditEvent.subtype of an export. Codes match AUDITED_LISTS and AUDITED_EXPORTS in src/fhir/audit.ts."
* insert PhtCodeSystem
* #list-overview "Listeoversikt" "The GP's list overview (target groups); seen or exported."
* #inbox "Innboks (utskrivninger)" "The health secretary's inbox of discharges."
* #worklist "Arbeidsliste (oppfølging)" "The nurse's follow-up worklist; seen or exported."
* #outreach "Oppsøkende (kandidater)" "Outreach candidates (weak demanders); seen or exported."
* #manager "Lederoversikt" "The practice manager's overview."
* #manager-charges "Gebyrer og egenandeler" "The practice manager's charges and co-payments (claims control)."
* #manager-staff "Bemanning" "The practice manager's staffing view."
* #unclaimed-charges "Ikke-krevde egenandeler" "Export of charges not yet claimed from Helfo."
* #evaluation "Evalueringseksport (aggregert)" "Aggregate evaluation export (no patient identifiers, small cells suppressed)."
* #compliance "Oppfølging innen frist" "Export of discharge follow-ups within the deadline."
* #export "Eksport" "AuditEvent.subtype of an export: a file left the app."

ValueSet: PhtAccessAuditTypeVS
Id: access-audit-type
Title: "PHT access audit event types"
Description: "A list view is a DICOM Query, an export a DICOM Export (IHE Basic Audit Log Patterns)."
* insert PhtValueSet
* $dcm#110112 "Query"
* $dcm#110106 "Export"

ValueSet: PhtAccessAuditSubtypeVS
Id: access-audit-subtype
Title: "PHT access audit event subtypes"
Description: "A list view is a RESTful search-type interaction; an export is our audit-activity#export."
* insert PhtValueSet
* $restfulInteraction#search-type "search type"
* PhtAuditActivityCS#export "Eksport"

// Extensions; URLs https://pht.example.org/fhir/StructureDefinition/<id> match EXTENSIONS in src/fhir/systems.ts,
// COPAY_EXTENSIONS in src/fhir/chargesSystems.ts and MANAGER_EXTENSIONS in src/fhir/managerSystems.ts.

RuleSet: PhtExtension
* ^status = #active
* ^experimental = false
* ^publisher = "Primærhelseteam app project"
* ^jurisdiction = urn:iso:std:iso:3166#NO "Norway"

Extension: PhtEgenandel
Id: egenandel
Title: "Egenandel (co-payment) of a team charge"
Description: "The co-payment the patient is charged for this service (`charged`) and the catalogue's egenandel for the tariff (`tariff`). `charged` is 0 NOK when the charge is exempt or waived (then the waiver reason extension says why); refusjon = honorar - charged (SPEC §6, source ch. 6.1.2)."
Context: ChargeItem
* insert PhtExtension
* extension contains charged 1..1 and tariff 0..1
* extension[charged] ^short = "Egenandel charged for this service"
* extension[charged].value[x] only Money
* extension[charged].valueMoney.value 1..1
* extension[charged].valueMoney.currency 1..1
* extension[charged].valueMoney.currency = #NOK
* extension[tariff] ^short = "Egenandel of the tariff in the catalogue version used"
* extension[tariff].value[x] only Money
* extension[tariff].valueMoney.value 1..1
* extension[tariff].valueMoney.currency 1..1
* extension[tariff].valueMoney.currency = #NOK
* value[x] 0..0

Extension: PhtEgenandelWaiverReason
Id: egenandel-waiver-reason
Title: "Why a team charge carries no egenandel"
Description: "Fritak for egenandel: a Volven 7461 exemption (e.g. B under 16, F frikort, A allmennfarlig smittsom sykdom) or the team's SAME_DAY (another charge that day bears it) or CANCELLED (SPEC §6)."
Context: ChargeItem
* insert PhtExtension
* value[x] 1..1
* value[x] only CodeableConcept
* valueCodeableConcept from PhtEgenandelWaiverReasonVS (extensible)

Extension: PhtAddressProtection
Id: address-protection
Title: "Address protection (adressebeskyttelse)"
Description: "The patient has a confidential address (fortrolig or strengt fortrolig, Folkeregisteret). The app never shows or exports such a patient's address (SPEC §8). HL7 Norway's no-basis-Patient expresses this with its own address extension; we read ours or theirs."
Context: Patient
* insert PhtExtension
* value[x] 1..1
* value[x] only code
* valueCode from PhtAddressProtectionVS (required)

Extension: PhtPositionPercent
Id: position-percent
Title: "Position size (stillingsprosent)"
Description: "The practitioner's position in the practice in percent of full time (0-100). Pro-rates the expected tariff counts (SPEC §5, §7)."
Context: PractitionerRole
* insert PhtExtension
* value[x] 1..1
* value[x] only decimal
* obeys pht-position-percent-1

Invariant: pht-position-percent-1
Description: "The position size is between 0 and 100 percent."
Expression: "value.ofType(decimal) >= 0 and value.ofType(decimal) <= 100"
Severity: #error

Extension: PhtRecordedBy
Id: recorded-by
Title: "Recorded by"
Description: "The user who recorded this in the app, when the resource has no element of its own for it (e.g. the nurse's answer that the patient already paid today, on the day's co-payment ledger Account)."
Context: Flag, Task, Encounter, ChargeItem, Procedure, Coverage, Account
* insert PhtExtension
* value[x] 1..1
* value[x] only Reference(Practitioner or PractitionerRole)

Extension: PhtLivesInInstitution
Id: lives-in-institution
Title: "Lives in an institution"
Description: "The patient lives in an institution (e.g. a nursing home) and is therefore not a target-group candidate (SPEC §3, home-dwelling)."
Context: Patient
* insert PhtExtension
* value[x] 1..1
* value[x] only boolean

Extension: PhtContactAttempt
Id: contact-attempt
Title: "Contact attempt of a follow-up task"
Description: "One attempt to reach the patient: when, by which channel, by whom, whether the patient was reached, and the resulting contact (SPEC §4: each attempt logged)."
Context: Task
* insert PhtExtension
* extension contains time 1..1 and channel 1..1 and performer 1..1 and reached 1..1 and contact 0..1
* extension[time].value[x] only dateTime
* extension[channel].value[x] only Coding
* extension[channel].valueCoding from http://terminology.hl7.org/ValueSet/v3-ParticipationMode (extensible)
* extension[channel] ^short = "PHONE, VIDEOCONF, FACE, WRITTEN, ELECTRONIC, ..."
* extension[performer].value[x] only Reference(Practitioner)
* extension[reached].value[x] only boolean
* extension[contact].value[x] only Reference(Encounter)
* extension[contact] ^short = "The nurse contact (PhtNurseContact) when reached"
* value[x] 0..0

Extension: PhtCopayLedgerRevision
Id: copay-ledger-revision
Title: "Revision of the day's co-payment ledger"
Description: "A counter on the per patient-day co-payment ledger (PhtCopayDay), raised by one on every write of that day's ledger. Every ledger write is a real change, so a server that skips a new version for a content-identical PUT cannot let two writers pass the same If-Match (SPEC §6, one egenandel a day). Starts at 0 when the ledger is created."
Context: Account
* insert PhtExtension
* value[x] 1..1
* value[x] only integer
* obeys pht-copay-ledger-revision-1

Invariant: pht-copay-ledger-revision-1
Description: "The ledger revision is not negative."
Expression: "value.ofType(integer) >= 0"
Severity: #error

Extension: PhtCopayPaidElsewhere
Id: copay-paid-elsewhere
Title: "Egenandel already paid today outside the team"
Description: "The nurse's answer to \"Har pasienten allerede betalt egenandel i dag?\" on the day's co-payment ledger (PhtCopayDay), asked when the EPJ does not expose the GP's charges. true: the day's egenandel is already borne elsewhere, so the team's charges that day carry none (SPEC §6). The answer's author is the ledger's recorded-by."
Context: Account
* insert PhtExtension
* value[x] 1..1
* value[x] only boolean

Extension: PhtClaimMarked
Id: claim-marked
Title: "Claim marked by the practice manager"
Description: "The practice manager (daglig leder) marked the team charge as claimed from Helfo (SPEC §7, claims control): when (`at`) and by whom (`by`, when the user is a Practitioner). Set together with status billed; kept when the charge is later cancelled (status aborted), so a charge cancelled after it was claimed stays visible. An extension rather than enteredDate/enterer, which say who registered the charge."
Context: ChargeItem
* insert PhtExtension
* extension contains at 1..1 and by 0..1
* extension[at] ^short = "When the charge was marked as claimed"
* extension[at].value[x] 1..1
* extension[at].value[x] only dateTime
* extension[by] ^short = "The practice manager who marked it"
* extension[by].value[x] 1..1
* extension[by].value[x] only Reference(Practitioner)
* value[x] 0..0

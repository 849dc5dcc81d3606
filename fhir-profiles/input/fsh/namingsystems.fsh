// The identifier systems of the app's own client-generated identifiers: the key of each conditional create
// (If-None-Exist: identifier=<system>|<value>), which makes every write idempotent. URIs match SYSTEMS in
// src/fhir/systems.ts and COPAY_SYSTEMS in src/fhir/chargesSystems.ts.

RuleSet: PhtNamingSystem(uri)
* status = #active
* kind = #identifier
* date = "2026-11-22"
* publisher = "Primærhelseteam app project"
* jurisdiction = urn:iso:std:iso:3166#NO "Norway"
* uniqueId.type = #uri
* uniqueId.value = "{uri}"
* uniqueId.preferred = true

Instance: contact-id
InstanceOf: NamingSystem
Usage: #definition
Title: "PHT contact id"
* insert PhtNamingSystem(https://pht.example.org/fhir/NamingSystem/contact-id)
* name = "PhtContactId"
* description = "Encounter.identifier of a nurse contact (PhtNurseContact): a UUID made by the client."

Instance: contact-note-id
InstanceOf: NamingSystem
Usage: #definition
Title: "PHT contact note id"
* insert PhtNamingSystem(https://pht.example.org/fhir/NamingSystem/contact-note-id)
* name = "PhtContactNoteId"
* description = "DocumentReference.identifier of a contact's journal note (PhtContactNote): the contactId of its nurse contact (one note per contact)."

Instance: charge-id
InstanceOf: NamingSystem
Usage: #definition
Title: "PHT charge id"
* insert PhtNamingSystem(https://pht.example.org/fhir/NamingSystem/charge-id)
* name = "PhtChargeId"
* description = "ChargeItem.identifier of a team charge (PhtTeamCharge): `<contactId>:<tariff code>`, deterministic so a retried save finds the same charge."

Instance: copay-day
InstanceOf: NamingSystem
Usage: #definition
Title: "PHT co-payment day"
* insert PhtNamingSystem(https://pht.example.org/fhir/NamingSystem/copay-day)
* name = "PhtCopayDay"
* description = "Account.identifier of the co-payment ledger of a patient-day (PhtCopayDay): `<patient id>:<Oslo date YYYY-MM-DD>` (':' so the token search `system|value` stays unambiguous)."

Instance: follow-up-task-id
InstanceOf: NamingSystem
Usage: #definition
Title: "PHT follow-up task id"
* insert PhtNamingSystem(https://pht.example.org/fhir/NamingSystem/follow-up-task-id)
* name = "PhtFollowUpTaskId"
* description = "Task.identifier of a follow-up task (PhtFollowUpTask): a name-based UUID (RFC 9562 version 8, SHA-256) of the task type and what the task is about (the discharge episode, the outreach key, or the follow-up a GP task comes from), so triaging the same message twice gives one task."

Instance: flag-id
InstanceOf: NamingSystem
Usage: #definition
Title: "PHT target-group flag id"
* insert PhtNamingSystem(https://pht.example.org/fhir/NamingSystem/flag-id)
* name = "PhtFlagId"
* description = "Flag.identifier of a target-group flag (PhtTargetGroupFlag): `<patient id>|<target group>`, one flag per patient and group."

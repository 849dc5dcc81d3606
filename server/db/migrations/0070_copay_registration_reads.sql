-- What a co-payment registration reads, read cheaply (issue 19 target 3).
--
-- 1. charge_patient_day: a patient-day's charges by the index made for that read. Every registration and
--    cancellation reads the day it decides (practice, patient, Oslo day); without it PostgreSQL read that day
--    through charge_practice_day or charge_contact and filtered the practice's whole day (or all its charges)
--    row by row, a cost that grew with the practice's registrations, not with the patient's.
-- 2. copay_day.version: counts the transactions that have locked the patient-day (each lock adds one). A
--    registration locks the day and reads its charges in ONE statement; that read sees the statement's
--    snapshot, taken before the lock was granted. When the version it locked is the version its snapshot saw
--    plus one, no other transaction locked (so none changed) the day in between and the read is the day as it
--    is; otherwise the charges are read again under the lock.
create index charge_patient_day on charge (practice_id, patient_id, oslo_day);
alter table copay_day add column version bigint not null default 0;

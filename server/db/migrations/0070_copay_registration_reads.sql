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
-- 3. contact_patient_day is replaced by contact_day (Oslo day first): nothing looks contacts up by patient-day,
--    the evaluation counts them by a range of days, and with practice_id leading two indexes, PostgreSQL
--    planned the charges' foreign-key check (practice_id, id) through contact_patient_day on a table without
--    statistics yet, reading every contact of the practice for each new charge until autovacuum analysed it.
drop index contact_patient_day;
create index contact_day on contact (oslo_day, practice_id);

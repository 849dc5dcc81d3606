-- The medication review followed through to the GP's «Mine oppgaver» (issue 17 items 13 and 17, issue 15):
-- the GP answers a care task «utført» or «ikke nødvendig» with a note the nurse sees; the task may carry a
-- due date; and an assessment that no review is needed now (the other outcome of assessing the need, which
-- until now the browser wrote to the journal as a Procedure) is the app's own record.

alter table care_task drop constraint care_task_status_check;
alter table care_task add constraint care_task_status_check check (status in ('open', 'done', 'not-needed'));
alter table care_task drop constraint care_task_check;
alter table care_task add constraint care_task_check check ((status <> 'open') = (done_on is not null and done_by is not null));
alter table care_task add column due date;

-- «Ikke behov for legemiddelgjennomgang nå»: counts as an assessment of the need (SPEC §3, Table 2).
create table care_medication_assessment (
  practice_id text not null,
  id text not null,                      -- client uuid
  iss text not null,
  patient_id text not null,
  assessed_on date not null,
  note text,
  by text not null,
  recorded_at timestamptz not null,
  primary key (practice_id, id)
);
create index care_medication_assessment_patient on care_medication_assessment (practice_id, patient_id);

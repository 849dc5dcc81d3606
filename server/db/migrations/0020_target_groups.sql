-- Target groups (issue 15 item 2; SPEC §3): the population scan's result per patient and group, the scan
-- runs, the team's assessments (which win over the rules) and the outreach assessments and offers.
-- Every table has practice_id in its key (tenant).

-- One scan of a practice's list, by the nightly job or a manual rescan. At most one running per practice:
-- the partial unique index refuses a second one, whatever the number of server processes.
create table tg_scan_run (
  practice_id text not null,
  id uuid not null,
  started_at timestamptz not null,
  finished_at timestamptz,
  state text not null default 'running' check (state in ('running', 'done', 'failed')),
  started_by text not null,             -- Practitioner/<id> or job:<name>
  rule_set_version text not null,
  as_of text not null check (as_of ~ '^\d{4}-\d{2}-\d{2}$'),
  phase text not null default 'patients' check (phase in ('patients', 'facts', 'classify', 'store', 'done')),
  progress_done integer not null default 0,
  progress_total integer not null default 0,
  patients integer,
  candidates integer,
  error text,
  primary key (practice_id, id),
  check ((state = 'running') = (finished_at is null))
);
create unique index tg_scan_run_one_running on tg_scan_run (practice_id) where state = 'running';
create index tg_scan_run_latest on tg_scan_run (practice_id, started_at desc);

-- One listed patient as the last scan (or the patient panel) saw them: the display row (name, age,
-- address only when not protected, markers) and the domain facts, so a team assessment re-classifies
-- the patient at once without reading the EPJ again.
create table tg_patient (
  practice_id text not null,
  patient_id text not null,
  gp_id text,
  display jsonb not null check (jsonb_typeof(display) = 'object'),
  facts jsonb not null check (jsonb_typeof(facts) = 'object'),
  weak_demander boolean not null,
  rule_set_version text not null,
  as_of text not null check (as_of ~ '^\d{4}-\d{2}-\d{2}$'),
  computed_at timestamptz not null,
  scan_id uuid,
  primary key (practice_id, patient_id)
);
create index tg_patient_gp on tg_patient (practice_id, gp_id);

-- The current result per practice + patient + group: the groups with a decision or a reason, with the
-- evidence (rules in words, codes, dates), the rule-set version and when it was computed.
create table tg_result (
  practice_id text not null,
  patient_id text not null,
  target_group text not null check (target_group in ('chronic', 'mental-substance', 'frail-elderly', 'disability')),
  status text not null check (status in ('candidate', 'confirmed', 'rejected', 'not-candidate')),
  evidence jsonb not null check (jsonb_typeof(evidence) = 'array'),
  rule_set_version text not null,
  computed_at timestamptz not null,
  primary key (practice_id, patient_id, target_group),
  foreign key (practice_id, patient_id) references tg_patient (practice_id, patient_id) on delete cascade
);

-- A GP confirms or rejects a group for a patient, with a reason; the latest per group wins over the rules.
create table tg_assessment (
  practice_id text not null,
  id uuid not null,
  patient_id text not null,
  target_group text not null check (target_group in ('chronic', 'mental-substance', 'frail-elderly', 'disability')),
  include boolean not null,
  reason text not null check (length(btrim(reason)) between 1 and 1000),
  by_user text not null,
  by_name text not null,
  at timestamptz not null,
  primary key (practice_id, id)
);
create index tg_assessment_patient on tg_assessment (practice_id, patient_id, at);

-- The team's outreach assessment of a weak demander and the offer made (source ch. 4.3).
create table tg_outreach (
  practice_id text not null,
  id uuid not null,
  patient_id text not null,
  need text not null check (need in ('follow-up-needed', 'no-follow-up-needed', 'not-reached')),
  offer_kind text check (offer_kind in ('consultation', 'home-visit')),
  offer_date text check (offer_date ~ '^\d{4}-\d{2}-\d{2}$'),
  offer_accepted boolean,
  note text not null default '' check (length(note) <= 1000),
  by_user text not null,
  by_name text not null,
  at timestamptz not null,
  primary key (practice_id, id),
  check ((offer_kind is null) = (offer_date is null) and (offer_kind is null) = (offer_accepted is null))
);
create index tg_outreach_patient on tg_outreach (practice_id, patient_id, at);

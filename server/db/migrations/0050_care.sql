-- Care for the chronically ill (issue 17 items 16-19): care plans with goals and their reviews, the
-- medication review followed through as a GP task, the yearly check (årskontroll) with its recall events and
-- the practice's recall groups, and the individual plan (IP). Every table has practice_id in its key.

create table care_plan (
  practice_id text not null,
  id text not null,                      -- client uuid
  iss text not null,                     -- the EPJ the journal notes go to
  patient_id text not null,
  condition text not null check (condition in ('diabetes', 'kols')),
  goals jsonb not null check (jsonb_typeof(goals) = 'array' and jsonb_array_length(goals) between 1 and 20),
  status text not null default 'active' check (status in ('active', 'ended')),
  created_at timestamptz not null,
  created_by text not null,
  ended_on date,
  ended_by text,
  end_note text,
  version integer not null default 1,
  primary key (practice_id, id),
  check ((status = 'ended') = (ended_on is not null and ended_by is not null))
);
-- At most one active plan per patient and condition.
create unique index care_plan_one_active on care_plan (practice_id, patient_id, condition) where status = 'active';

create table care_plan_review (
  practice_id text not null,
  id text not null,                      -- client uuid
  plan_id text not null,
  reviewed_on date not null,
  note text not null check (length(note) between 1 and 4000),
  by text not null,
  recorded_at timestamptz not null,
  primary key (practice_id, id),
  foreign key (practice_id, plan_id) references care_plan (practice_id, id)
);

-- The medication review (legemiddelgjennomgang) a team member found needed, as a task for the GP until done.
create table care_task (
  practice_id text not null,
  id text not null,                      -- client uuid
  iss text not null,
  patient_id text not null,
  kind text not null check (kind in ('medication-review')),
  assignee text not null,                -- Practitioner/<id>: the GP
  reason text not null,
  status text not null default 'open' check (status in ('open', 'done')),
  created_at timestamptz not null,
  created_by text not null,
  done_on date,
  done_by text,
  done_note text,
  primary key (practice_id, id),
  check ((status = 'done') = (done_on is not null and done_by is not null))
);
-- One open medication review per patient: recording the need twice does not make two tasks.
create unique index care_task_one_open on care_task (practice_id, patient_id, kind) where status = 'open';
create index care_task_assignee on care_task (practice_id, assignee) where status = 'open';

-- Which groups the practice calls in for a yearly check (default diabetes, KOLS, heart failure).
create table care_recall_setting (
  practice_id text not null primary key,
  groups jsonb not null check (jsonb_typeof(groups) = 'array'),
  updated_at timestamptz not null,
  updated_by text not null
);

-- Recall events per patient: innkalt, time bestilt, gjennomført (the yearly check itself).
create table care_recall_event (
  practice_id text not null,
  id text not null,                      -- client uuid
  patient_id text not null,
  state text not null check (state in ('called', 'booked', 'done')),
  on_date date not null,
  by text not null,
  recorded_at timestamptz not null,
  primary key (practice_id, id)
);
create index care_recall_event_patient on care_recall_event (practice_id, patient_id);

-- Individual plan: the need, the report to the municipality's coordinating unit, the coordinator.
create table care_ip (
  practice_id text not null,
  patient_id text not null,
  id text not null,                      -- client uuid of the first record
  iss text not null,
  needed_on date not null,
  recorded_by text not null,
  reported_on date,
  reported_how text check (reported_how in ('elektronisk-melding', 'brev', 'telefon', 'møte')),
  reported_by text,
  coordinator_name text,
  coordinator_on date,
  version integer not null default 1,
  updated_at timestamptz not null,
  primary key (practice_id, patient_id),
  unique (practice_id, id),
  check ((reported_on is null) = (reported_how is null) and (reported_on is null) = (reported_by is null)),
  check ((coordinator_name is null) = (coordinator_on is null)),
  check (coordinator_name is null or reported_on is not null)
);

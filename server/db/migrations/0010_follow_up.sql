-- Discharge follow-up (issue 15 item 2, SPEC §4) and the GP's own tasks (issue 17 item 13).
-- Every table has practice_id in its key (tenant). The database holds the invariants: one task per
-- practice + patient + discharge episode (a re-sweep never makes a second one), one task per discharge
-- signal (an episode whose key changes when a later message merges in finds its task again), the
-- lifecycle's states and their fields agree, and an attempt is recorded once per client id.

create table follow_up_task (
  practice_id text not null,
  id text not null,                      -- uuid (client id of the triage, or the sweep's)
  iss text not null,                     -- the EPJ (registry iss) the discharge came from; journal notes go there
  patient_id text not null,
  episode_key text not null,             -- DischargeEpisode.key: patient|institution|date
  institution_id text,
  institution_name text,
  discharge_date date,                   -- null: no date in any message (deadline runs from the message date)
  discharge_date_confirmed boolean not null default false, -- a user entered the date at triage
  message_date date,
  summary_ref text,                      -- DocumentReference/<id> or Communication/<id> carrying the epikrise
  deadline date not null,
  status text not null default 'new' check (status in ('new', 'attempted', 'contacted', 'closed')),
  outcome text check (outcome in ('met', 'late')),
  owner text,                            -- Practitioner/<id>: the nurse responsible
  close_reason text check (close_reason in ('readmitted', 'deceased', 'declined', 'moved-to-institution',
    'followed-up-elsewhere', 'not-needed-after-assessment', 'no-follow-up-needed')),
  closed_at timestamptz,
  closed_by text,
  close_note text,
  created_at timestamptz not null,
  created_by text not null,              -- Practitioner/<id>, or 'system' (the sweep)
  version integer not null default 1,    -- optimistic concurrency
  updated_at timestamptz not null,
  updated_by text not null,
  primary key (practice_id, id),
  unique (practice_id, patient_id, episode_key),
  check ((status = 'contacted') = (outcome is not null)),
  check ((status = 'closed') = (close_reason is not null and closed_at is not null and closed_by is not null))
);
create index follow_up_task_open on follow_up_task (practice_id, deadline) where status in ('new', 'attempted');
create index follow_up_task_deadline on follow_up_task (practice_id, deadline);

-- The discharge signals (Encounter/DocumentReference/Communication) of each task's episode.
create table follow_up_signal (
  practice_id text not null,
  signal text not null,                  -- e.g. Encounter/enc-1
  task_id text not null,
  primary key (practice_id, signal),
  foreign key (practice_id, task_id) references follow_up_task (practice_id, id) on delete cascade
);

-- Contact attempts: time, channel, who, result (SPEC §4). id = the client's uuid (idempotent).
create table follow_up_attempt (
  practice_id text not null,
  id text not null,
  task_id text not null,
  at timestamptz not null,
  channel text not null check (channel in ('phone', 'video', 'in-person', 'home-visit', 'written')),
  by text not null,
  successful boolean not null,
  note text,
  recorded_at timestamptz not null,
  primary key (practice_id, id),
  foreign key (practice_id, task_id) references follow_up_task (practice_id, id) on delete cascade
);
create index follow_up_attempt_task on follow_up_attempt (practice_id, task_id, at);

-- Tasks for a GP (issue 17 item 13): a nurse or a contact asks the GP (assignee = Practitioner) to
-- assess something, e.g. medication changes after a discharge (nurses do not prescribe, ch. 3.4.1).
create table gp_task (
  practice_id text not null,
  id text not null,                      -- the client's uuid
  patient_id text not null,
  assignee text not null check (assignee like 'Practitioner/%'),
  kind text not null check (kind in ('medication-review', 'assessment', 'other')),
  reason text not null check (length(reason) between 1 and 2000),
  due date,
  follow_up_id text,
  status text not null default 'open' check (status in ('open', 'done', 'not-needed')),
  answer text,
  completed_at timestamptz,
  completed_by text,
  created_at timestamptz not null,
  created_by text not null,
  version integer not null default 1,
  primary key (practice_id, id),
  foreign key (practice_id, follow_up_id) references follow_up_task (practice_id, id),
  check ((status = 'open') = (completed_at is null)),
  check ((status = 'open') = (completed_by is null))
);
create index gp_task_assignee on gp_task (practice_id, assignee, status);
create index gp_task_follow_up on gp_task (practice_id, follow_up_id);

-- The job queue (issue 15 item 4): one row per run of a job, for one practice at one EPJ ('' and '' for a
-- deployment-wide job). A worker claims a due row with FOR UPDATE SKIP LOCKED and holds it under a lease;
-- a worker that dies lets its lease expire and the run is queued again. The partial unique indexes are the
-- guarantee, whatever the number of server processes: at most one run of a job per practice+EPJ is running,
-- at most one is waiting (a second "run now" or nudge joins the waiting one), and a scheduled slot (e.g.
-- "daily 2026-03-02" or "every 15 min from 08:15") is queued once. The rows are the run history.
create table job_run (
  id bigserial not null,
  job text not null,
  practice_id text not null default '',
  iss text not null default '',
  slot text,                           -- the schedule slot this run is for; null = run now / nudge
  payload jsonb,
  state text not null default 'queued' check (state in ('queued', 'running', 'done', 'failed')),
  run_at timestamptz not null,         -- due from
  attempts integer not null default 0,
  max_attempts integer not null default 3 check (max_attempts >= 1),
  lease_until timestamptz,
  worker text,
  started_at timestamptz,
  finished_at timestamptz,
  error text,
  created_at timestamptz not null,
  primary key (practice_id, id),
  check ((state = 'running') = (lease_until is not null))
);
create unique index job_run_one_running on job_run (job, practice_id, iss) where state = 'running';
create unique index job_run_one_waiting on job_run (job, practice_id, iss) where state = 'queued';
create unique index job_run_slot on job_run (job, practice_id, iss, slot) where slot is not null;
create index job_run_due on job_run (run_at) where state = 'queued';
create index job_run_expired on job_run (lease_until) where state = 'running';
create index job_run_last on job_run (job, practice_id, iss, finished_at);

-- Warnings a job raised for the daglig leder (e.g. the 14-day claims warning): one open warning per kind
-- and practice, updated while it holds, closed when it no longer does.
create table job_warning (
  practice_id text not null,
  kind text not null,
  message text not null,
  details jsonb not null default '{}',
  opened_at timestamptz not null,
  updated_at timestamptz not null,
  closed_at timestamptz,
  primary key (practice_id, kind)
);

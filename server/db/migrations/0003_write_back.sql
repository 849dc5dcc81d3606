-- The journal write-back queue (issue 15 item 3, the outbox pattern): a store that changes the app's data
-- queues the journal note (or Flag/ChargeItem where the EPJ accepts them) in the same transaction, so
-- nothing is lost when the EPJ is down; the write-back job sends due rows and marks them written. The key
-- (the resource's identifier, system|value) is unique per practice, so queuing the same write twice is one
-- write, and the EPJ side is made idempotent by the same identifier.
create table write_back (
  practice_id text not null,
  key text not null,                 -- identifier system|value of the resource written
  iss text not null,                 -- the EPJ's FHIR base (registry entry)
  resource_type text not null,       -- DocumentReference | Flag | ChargeItem ...
  resource jsonb not null,
  patient_id text,
  source text not null,              -- what in the app it records, e.g. contact/<id>
  state text not null default 'pending' check (state in ('pending', 'written', 'failed')),
  attempts integer not null default 0,
  last_error text,
  next_attempt_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  written_at timestamptz,
  epj_id text,                       -- the id the EPJ gave the resource
  primary key (practice_id, key)
);
create index write_back_due on write_back (next_attempt_at) where state = 'pending';
create index write_back_source on write_back (practice_id, source);

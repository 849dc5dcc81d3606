-- Contacts, charges and claims batches (issue 15 item 2; SPEC §5-§7). Every table has practice_id in its key.
--
-- The one-egenandel-a-day rule (SPEC §6) is held by the database in two ways:
-- 1. charge_one_egenandel_a_day: a partial unique index, so two charges bearing an egenandel for one
--    patient on one Oslo day cannot both exist (not cancelled, egenandel > 0), whatever the number of
--    app-server processes or a bug in the code above;
-- 2. copay_day: one row per patient-day that every registration and cancellation locks (SELECT ... FOR
--    UPDATE) before it decides the day, so the decision for the whole day is made in one transaction at a
--    time; a writer that still collides (unique violation, serialization failure, deadlock) retries.

create table copay_day (
  practice_id text not null,
  patient_id text not null,
  oslo_day text not null check (oslo_day ~ '^\d{4}-\d{2}-\d{2}$'),
  -- The nurse's answer to «Har pasienten allerede betalt egenandel i dag?» (true counts as a settled bearer).
  paid_elsewhere boolean,
  answered_by text,
  -- The patient's co-payment facts (birth date, day exemptions) last sent, for decisions made on cancel.
  patient_facts jsonb not null default '{}'::jsonb,
  primary key (practice_id, patient_id, oslo_day)
);

create table contact (
  practice_id text not null,
  id uuid not null,                       -- the browser's id: a resend with the same id is one contact
  patient_id text not null,
  oslo_day text not null check (oslo_day ~ '^\d{4}-\d{2}-\d{2}$'),
  started_at timestamptz not null,        -- when the service was given
  kind text not null,
  channel text,
  minutes integer check (minutes is null or minutes between 0 and 1440),
  travelled boolean not null default false,
  note text,
  override_reason text,
  exempt_reason text,                     -- the contact's own exemption (Volven 7461, e.g. A)
  registered_by text not null,            -- Practitioner/<id>
  registered_role text not null,
  registered_at timestamptz not null,
  iss text not null,                      -- the EPJ the journal note goes to
  primary key (practice_id, id)
);
create index contact_patient_day on contact (practice_id, patient_id, oslo_day);

create table claim_batch (
  practice_id text not null,
  id uuid not null,                       -- the browser's id: marking twice with one id is one batch
  seq bigint generated always as identity,
  marked_at timestamptz not null,
  marked_by text not null,
  period_from text,
  period_to text,
  charges integer not null,
  honorar numeric(14, 2) not null,
  egenandel numeric(14, 2) not null,
  refusjon numeric(14, 2) not null,
  undone_at timestamptz,
  undone_by text,
  primary key (practice_id, id),
  check ((undone_at is null) = (undone_by is null))
);
create index claim_batch_seq on claim_batch (practice_id, seq);

create table charge (
  practice_id text not null,
  id text not null,                       -- <contactId>:<code>
  contact_id uuid not null,
  patient_id text not null,
  oslo_day text not null check (oslo_day ~ '^\d{4}-\d{2}-\d{2}$'),
  at timestamptz not null,
  code text not null,
  text text not null,
  profession text not null check (profession in ('nurse', 'gp')),
  performer text not null,                -- Practitioner/<id> who gave the service (and registered it)
  quantity integer not null check (quantity >= 1),
  honorar numeric(12, 2) not null check (honorar >= 0),
  tariff_egenandel numeric(12, 2) not null check (tariff_egenandel >= 0),
  egenandel numeric(12, 2) not null default 0 check (egenandel >= 0 and egenandel <= tariff_egenandel),
  refusjon numeric(12, 2) not null check (refusjon >= 0),
  egenandel_is_demo boolean not null default false,
  catalogue_id text not null,
  exempt_reason text,                     -- the charge's own exemption, a fact of the service
  waiver_reason text,                     -- why egenandel < tariff_egenandel: Volven 7461, SAME_DAY, CANCELLED
  registered_at timestamptz not null,
  cancelled_at timestamptz,
  cancelled_by text,
  cancel_reason text,
  refund_owed numeric(12, 2) check (refund_owed is null or refund_owed > 0),
  claim_batch_id uuid,
  primary key (practice_id, id),
  foreign key (practice_id, contact_id) references contact (practice_id, id),
  foreign key (practice_id, claim_batch_id) references claim_batch (practice_id, id),
  check ((cancelled_at is null) = (cancelled_by is null)),
  check (cancelled_at is null or egenandel = 0),
  check (egenandel = 0 or waiver_reason is null)
);
create unique index charge_one_egenandel_a_day on charge (practice_id, patient_id, oslo_day)
  where egenandel > 0 and cancelled_at is null;
create index charge_practice_day on charge (practice_id, oslo_day);
create index charge_contact on charge (practice_id, contact_id);
create index charge_claim_batch on charge (practice_id, claim_batch_id) where claim_batch_id is not null;

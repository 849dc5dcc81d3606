-- Group sessions («gruppetime», issue 17 item 20; seed ch. 4.3 «gruppetilbud»; SPEC §5: S4 for each participant).
-- A session is keyed by the browser's id (a resend with the same id is the same session); its roster lists
-- the participants, patients from any GP list of the practice. Each participant's contact and S4 charge are
-- ordinary rows in contact and charge (kind 'group'), registered one participant per transaction under that
-- patient-day's lock, so charge_one_egenandel_a_day (0030) holds for them as for any single contact.
-- contact_id is derived from the session id and the patient id, so a retry finds the contact already saved.

create table group_session (
  practice_id text not null,
  id uuid not null,                       -- the browser's id: the idempotency key of the registration
  oslo_day text not null check (oslo_day ~ '^\d{4}-\d{2}-\d{2}$'),
  started_at timestamptz not null,
  minutes integer check (minutes is null or minutes between 0 and 1440),
  topic text not null,                    -- e.g. «Diabetesgruppe»
  note text,
  leader text not null,                   -- Practitioner/<id> who led and registered it
  leader_role text not null check (leader_role in ('nurse', 'gp')),
  registered_at timestamptz not null,
  iss text not null,
  primary key (practice_id, id)
);
create index group_session_day on group_session (practice_id, oslo_day);

create table group_session_participant (
  practice_id text not null,
  session_id uuid not null,
  patient_id text not null,
  position integer not null,
  contact_id uuid not null,               -- the participant's contact (created in its own transaction)
  primary key (practice_id, session_id, patient_id),
  unique (practice_id, contact_id),
  foreign key (practice_id, session_id) references group_session (practice_id, id)
);

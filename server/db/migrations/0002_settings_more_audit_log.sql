-- The rest of the practice settings the jobs need, and the append-only audit log.

alter table practice_settings
  add column tariff_catalogue text, -- null: the catalogue in force on the date (SPEC §5)
  add column rule_set_version text not null default '1.0.0',
  add column epikrise_codes jsonb not null default '[]'::jsonb check (jsonb_typeof(epikrise_codes) = 'array'),
  add column discharge_lookback_days integer not null default 60 check (discharge_lookback_days between 1 and 365);

-- Who saw which list, who exported what, who changed what. Append-only: the trigger below refuses
-- UPDATE and DELETE (and TRUNCATE) for every role, including the table's owner.
create table audit_log (
  practice_id text not null,
  id bigint generated always as identity,
  at timestamptz not null default now(),
  actor text not null,          -- Practitioner/<id> or 'system'
  role text not null,           -- gp | nurse | secretary | manager | system ...
  patient_id text,
  action text not null,         -- read-list | export | change-settings ...
  what text not null,           -- e.g. the FHIR search or the setting names
  rows integer,
  request_id text,
  primary key (practice_id, id)
);
create index audit_log_practice_at on audit_log (practice_id, at);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log er bare for tillegg (append-only): % er ikke lov', tg_op using errcode = '42501';
end $$;

create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();

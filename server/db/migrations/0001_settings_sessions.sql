-- First slice of the app's own database (issue 15). Every table of practice data has practice_id in its key
-- (tenant): one deployment serves many practices and many EPJs.

-- Practice settings, edited by the daglig leder (SPEC §1, §2, §7). version = optimistic concurrency.
create table practice_settings (
  practice_id text primary key,
  financing_model text not null default 'A' check (financing_model in ('A', 'B')),
  closed_dates jsonb not null default '[]'::jsonb check (jsonb_typeof(closed_dates) = 'array'),
  saturday_is_working_day boolean not null default false,
  digital_booking_share double precision check (digital_booking_share between 0 and 1),
  version integer not null default 1,
  updated_at timestamptz not null default now(),
  updated_by text
);

-- Server sessions (the app server's SessionStore). The one table without practice_id: a browser session
-- exists before any launch has told us the practice, and is keyed by a 256-bit random token.
create table app_session (
  key text primary key,
  value jsonb not null,
  expires_at timestamptz not null
);
create index app_session_expires_at on app_session (expires_at);

-- The financing figures' inputs as practice settings (issue 18 item 1; seed ch. 6): saved by the daglig
-- leder, in force for every user. null = not set (positions are then counted from the staff list; the income
-- guarantee asks for the pre-pilot income). The checks repeat the edge's rules (src/domain/settings.ts).
alter table practice_settings
  add column nurse_positions double precision check (nurse_positions between 0 and 500),
  add column gp_positions double precision check (gp_positions between 0 and 500),
  add column gp_specialised_positions double precision check (gp_specialised_positions between 0 and 500),
  add column nurse_specialised_positions double precision check (nurse_specialised_positions between 0 and 500),
  add column agreed_nurse_cost_per_position double precision not null default 810000
    check (agreed_nurse_cost_per_position between 0 and 100000000),
  add column living_conditions_index double precision not null default 1 check (living_conditions_index between 0 and 20),
  add column travel_distance_index double precision not null default 1 check (travel_distance_index between 0 and 20),
  add column pre_pilot_income double precision check (pre_pilot_income between 0 and 10000000000),
  add column other_income_per_year double precision not null default 0 check (other_income_per_year between 0 and 10000000000),
  add constraint practice_settings_gp_specialised_within check (gp_specialised_positions <= gp_positions),
  add constraint practice_settings_nurse_specialised_within check (nurse_specialised_positions <= nurse_positions);

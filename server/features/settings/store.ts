// Practice settings in the database (issue 15): one row per practice; no row = the defaults at version 0.
// Writes are optimistic: the caller says which version it edited, and a write over a newer version is refused.
import type { Kysely, Selectable } from 'kysely';
import { DEFAULT_SETTINGS, type PracticeSettings } from '../../../src/domain/settings';
import type { Database, PracticeSettingsTable } from '../../db/schema';

export interface StoredSettings {
  settings: PracticeSettings;
  /** 0 = never saved (defaults). */
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

export type SaveResult = { ok: true; stored: StoredSettings } | { ok: false; current: StoredSettings };

function fromRow(row: Selectable<PracticeSettingsTable>): StoredSettings {
  return {
    settings: {
      financingModel: row.financing_model,
      closedDates: row.closed_dates,
      saturdayIsWorkingDay: row.saturday_is_working_day,
      digitalBookingShare: row.digital_booking_share,
      tariffCatalogue: row.tariff_catalogue,
      ruleSetVersion: row.rule_set_version,
      epikriseCodes: row.epikrise_codes,
      dischargeLookbackDays: row.discharge_lookback_days,
      financing: {
        nursePositions: row.nurse_positions,
        gpPositions: row.gp_positions,
        gpSpecialisedPositions: row.gp_specialised_positions,
        nurseSpecialisedPositions: row.nurse_specialised_positions,
        agreedNurseCostPerPosition: row.agreed_nurse_cost_per_position,
        livingConditionsIndex: row.living_conditions_index,
        travelDistanceIndex: row.travel_distance_index,
        prePilotIncome: row.pre_pilot_income,
        otherIncomePerYear: row.other_income_per_year,
      },
    },
    version: row.version,
    updatedAt: new Date(row.updated_at).toISOString(),
    updatedBy: row.updated_by,
  };
}

function toRow(s: PracticeSettings) {
  return {
    financing_model: s.financingModel,
    closed_dates: JSON.stringify(s.closedDates),
    saturday_is_working_day: s.saturdayIsWorkingDay,
    digital_booking_share: s.digitalBookingShare,
    tariff_catalogue: s.tariffCatalogue,
    rule_set_version: s.ruleSetVersion,
    epikrise_codes: JSON.stringify(s.epikriseCodes),
    discharge_lookback_days: s.dischargeLookbackDays,
    nurse_positions: s.financing.nursePositions,
    gp_positions: s.financing.gpPositions,
    gp_specialised_positions: s.financing.gpSpecialisedPositions,
    nurse_specialised_positions: s.financing.nurseSpecialisedPositions,
    agreed_nurse_cost_per_position: s.financing.agreedNurseCostPerPosition,
    living_conditions_index: s.financing.livingConditionsIndex,
    travel_distance_index: s.financing.travelDistanceIndex,
    pre_pilot_income: s.financing.prePilotIncome,
    other_income_per_year: s.financing.otherIncomePerYear,
  };
}

export async function getSettings(db: Kysely<Database>, practiceId: string): Promise<StoredSettings> {
  const row = await db.selectFrom('practice_settings').selectAll().where('practice_id', '=', practiceId).executeTakeFirst();
  return row ? fromRow(row) : { settings: { ...DEFAULT_SETTINGS, financing: { ...DEFAULT_SETTINGS.financing } }, version: 0, updatedAt: null, updatedBy: null };
}

/** Saves if the stored version is still `expectedVersion`; otherwise returns what is stored now. */
export async function saveSettings(
  db: Kysely<Database>,
  practiceId: string,
  settings: PracticeSettings,
  change: { expectedVersion: number; by: string; at: Date },
): Promise<SaveResult> {
  const values = { ...toRow(settings), updated_at: change.at, updated_by: change.by };
  const row =
    change.expectedVersion === 0
      ? await db
          .insertInto('practice_settings')
          .values({ practice_id: practiceId, ...values, version: 1 })
          .onConflict((oc) => oc.column('practice_id').doNothing())
          .returningAll()
          .executeTakeFirst()
      : await db
          .updateTable('practice_settings')
          .set({ ...values, version: change.expectedVersion + 1 })
          .where('practice_id', '=', practiceId)
          .where('version', '=', change.expectedVersion)
          .returningAll()
          .executeTakeFirst();
  return row ? { ok: true, stored: fromRow(row) } : { ok: false, current: await getSettings(db, practiceId) };
}

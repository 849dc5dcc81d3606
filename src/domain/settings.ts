// Practice settings (issue 15): edited by the daglig leder, used by every user and by the jobs. One schema
// (valibot) checks them at both edges: the app server refuses a bad PUT /api/settings with a Norwegian
// message naming the field (nothing stored), and the browser form uses the same rules for the user's sake.
import * as v from 'valibot';
import type { CalendarOptions } from './calendar';
import { defaultRates } from './financing/rates';
import { DEFAULT_RULE_SET } from './targetGroups';
import { defaultCatalogues } from './tariffs';

export interface EpikriseCode {
  system: string;
  code: string;
}

/**
 * The inputs of the financing figures (issue 18; seed ch. 6), set by the daglig leder. null = not set:
 * positions and specialised positions are then counted from the staff list, and the income guarantee
 * asks for the pre-pilot income.
 */
export interface FinancingInputs {
  /** Nurse positions in the team (årsverk), ch. 6.1.1. */
  nursePositions: number | null;
  /** GP positions (årsverk): the pilot grants (ch. 6) and the specialisation share's denominator. */
  gpPositions: number | null;
  /** Of gpPositions, årsverk with specialisation in general practice (Table 2, ch. 6.2.1). */
  gpSpecialisedPositions: number | null;
  /** Of nursePositions, årsverk with specialisation/videreutdanning (Table 2, ch. 6.2.1). */
  nurseSpecialisedPositions: number | null;
  /** Agreed cost of one full nurse position per year, kr (ch. 6.1.4; source: 810 000 in 2015 kroner). */
  agreedNurseCostPerPosition: number;
  /** Municipality indices, 1 = the national average (Table 3: 40 and 32 kr per listed person). */
  livingConditionsIndex: number;
  travelDistanceIndex: number;
  /** The practice's yearly income before the pilot, kr (the income guarantee, ch. 6). */
  prePilotIncome: number | null;
  /** Yearly income the app cannot see (e.g. basistilskudd), kr. */
  otherIncomePerYear: number;
}

export interface PracticeSettings {
  /** SPEC §1: A honorarmodell (default), B driftstilskuddsmodell. */
  financingModel: 'A' | 'B';
  /** SPEC §2: dates the practice is closed ('YYYY-MM-DD'), e.g. 24 and 31 Dec, fellesferie weeks. */
  closedDates: string[];
  /** SPEC §2: default off (Mon-Fri). */
  saturdayIsWorkingDay: boolean;
  /** SPEC §7 Table 2: share (0-1) of the list with digital booking, where the EPJ does not record it. */
  digitalBookingShare: number | null;
  /** Tariff catalogue id in force; null = the one in force on the date (SPEC §5). */
  tariffCatalogue: string | null;
  /** Target-group rule-set version (SPEC §3). */
  ruleSetVersion: string;
  /** The practice's epikrise document codes, besides LOINC 18842-5 (SPEC §2). */
  epikriseCodes: EpikriseCode[];
  /** How far back the discharge sweep and inbox look, in days. */
  dischargeLookbackDays: number;
  /** Issue 18: the financing figures' inputs. */
  financing: FinancingInputs;
}

export const DEFAULT_FINANCING_INPUTS: Readonly<FinancingInputs> = Object.freeze({
  nursePositions: null,
  gpPositions: null,
  gpSpecialisedPositions: null,
  nurseSpecialisedPositions: null,
  agreedNurseCostPerPosition: defaultRates.modelA.agreedNurseCostPerPosition,
  livingConditionsIndex: 1,
  travelDistanceIndex: 1,
  prePilotIncome: null,
  otherIncomePerYear: 0,
});

export const DEFAULT_SETTINGS: Readonly<PracticeSettings> = Object.freeze({
  financingModel: 'A',
  closedDates: [],
  saturdayIsWorkingDay: false,
  digitalBookingShare: null,
  tariffCatalogue: null,
  ruleSetVersion: DEFAULT_RULE_SET.version,
  epikriseCodes: [],
  // Deadline (3 working days) plus the 30-day episode history rule, with margin (src/fhir/inbox.ts).
  dischargeLookbackDays: 60,
  financing: DEFAULT_FINANCING_INPUTS,
});

/** Field names as the daglig leder sees them, for error messages. */
export const SETTING_LABELS: Record<keyof PracticeSettings, string> = {
  financingModel: 'Finansieringsmodell',
  closedDates: 'Stengte dager',
  saturdayIsWorkingDay: 'Lørdag som arbeidsdag',
  digitalBookingShare: 'Digital timebestilling',
  tariffCatalogue: 'Takstkatalog',
  ruleSetVersion: 'Regelsettversjon',
  epikriseCodes: 'Epikrisekoder',
  dischargeLookbackDays: 'Tilbakeblikk for utskrivninger',
  financing: 'Finansiering',
};

/** The financing inputs' names as the daglig leder sees them (the form's labels and the messages). */
export const FINANCING_INPUT_LABELS: Record<keyof FinancingInputs, string> = {
  nursePositions: 'Sykepleierstillinger (årsverk)',
  gpPositions: 'Fastlegestillinger (årsverk)',
  gpSpecialisedPositions: 'Fastlegeårsverk med spesialisering',
  nurseSpecialisedPositions: 'Sykepleierårsverk med videreutdanning',
  agreedNurseCostPerPosition: 'Avtalt sykepleierkostnad per hel stilling (kr)',
  livingConditionsIndex: 'Levekårsindeks (1 = landssnitt)',
  travelDistanceIndex: 'Reiseavstandsindeks (1 = landssnitt)',
  prePilotIncome: 'Inntekt før forsøket (kr per år)',
  otherIncomePerYear: 'Andre inntekter per år (kr)',
};

function isCalendarDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const isoDate = v.pipe(
  v.string('må være en dato'),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, 'må være en dato på formen ÅÅÅÅ-MM-DD'),
  v.check(isCalendarDate, 'er ikke en gyldig dato'),
);

const text = (max: number) => v.pipe(v.string('må være tekst'), v.trim(), v.nonEmpty('kan ikke være tom'), v.maxLength(max, `kan ha høyst ${max} tegn`));

const amount = (max: number, what: string) =>
  v.pipe(v.number('må være et tall'), v.finite('må være et tall'), v.minValue(0, 'kan ikke være negativ'), v.maxValue(max, `kan være høyst ${what}`));
const positions = v.nullable(amount(500, '500 årsverk'));
const index = v.pipe(v.number('må være et tall'), v.finite('må være et tall'), v.minValue(0, 'kan ikke være negativ'), v.maxValue(20, 'kan være høyst 20 (20 ganger landssnittet)'));

export const financingInputsSchema = v.pipe(
  v.strictObject(
    {
      nursePositions: positions,
      gpPositions: positions,
      gpSpecialisedPositions: positions,
      nurseSpecialisedPositions: positions,
      agreedNurseCostPerPosition: amount(100_000_000, '100 000 000 kr'),
      livingConditionsIndex: index,
      travelDistanceIndex: index,
      prePilotIncome: v.nullable(amount(10_000_000_000, '10 000 000 000 kr')),
      otherIncomePerYear: amount(10_000_000_000, '10 000 000 000 kr'),
    },
    'må være et objekt',
  ),
  // Specialised positions are part of the positions (when both are set).
  v.forward(
    v.check((f) => f.gpSpecialisedPositions === null || f.gpPositions === null || f.gpSpecialisedPositions <= f.gpPositions, 'kan ikke være flere enn fastlegestillingene'),
    ['gpSpecialisedPositions'],
  ),
  v.forward(
    v.check((f) => f.nurseSpecialisedPositions === null || f.nursePositions === null || f.nurseSpecialisedPositions <= f.nursePositions, 'kan ikke være flere enn sykepleierstillingene'),
    ['nurseSpecialisedPositions'],
  ),
);

export const practiceSettingsSchema = v.strictObject(
  {
    financingModel: v.picklist(['A', 'B'], 'må være A eller B'),
    closedDates: v.pipe(v.array(isoDate, 'må være en liste med datoer'), v.maxLength(366, 'kan ha høyst 366 datoer')),
    saturdayIsWorkingDay: v.boolean('må være ja eller nei'),
    digitalBookingShare: v.nullable(
      v.pipe(v.number('må være et tall'), v.minValue(0, 'må være mellom 0 og 100 %'), v.maxValue(1, 'må være mellom 0 og 100 %')),
    ),
    tariffCatalogue: v.nullable(v.picklist(defaultCatalogues.map((c) => c.id), 'er ikke en kjent takstkatalog')),
    ruleSetVersion: v.picklist([DEFAULT_RULE_SET.version], 'er ikke en kjent regelsettversjon'),
    epikriseCodes: v.pipe(
      v.array(v.strictObject({ system: text(500), code: text(100) }, 'må ha system og kode'), 'må være en liste med koder'),
      v.maxLength(50, 'kan ha høyst 50 koder'),
    ),
    dischargeLookbackDays: v.pipe(
      v.number('må være et tall'),
      v.integer('må være et helt antall dager'),
      v.minValue(1, 'må være minst 1 dag'),
      v.maxValue(365, 'kan være høyst 365 dager'),
    ),
    financing: financingInputsSchema,
  },
  'må være et objekt',
);

/** The body of PUT /api/settings: the settings and the version they were edited from (optimistic concurrency). */
export const settingsUpdateSchema = v.strictObject(
  {
    version: v.pipe(v.number('må være et tall'), v.integer('må være et heltall'), v.minValue(0, 'kan ikke være negativ')),
    settings: practiceSettingsSchema,
  },
  'må være et objekt',
);

export type SettingsUpdate = v.InferOutput<typeof settingsUpdateSchema>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

/** Parses a PUT /api/settings body; the message names the field in Norwegian ("Stengte dager: ..."). */
export function parseSettingsUpdate(input: unknown): Parsed<SettingsUpdate> {
  const result = v.safeParse(settingsUpdateSchema, input, { abortEarly: true });
  if (result.success) {
    const settings = result.output.settings;
    // Sorted and without duplicates, so equal settings are stored equally.
    return { ok: true, value: { ...result.output, settings: { ...settings, closedDates: [...new Set(settings.closedDates)].sort() } } };
  }
  const issue = result.issues[0];
  const path = (issue.path ?? []).map((p) => String(p.key));
  const key = path[0] === 'settings' ? path[1] : path[0];
  if (issue.type === 'strict_object' && issue.expected === 'never') {
    const unknown = path[path.length - 1] ?? '?';
    return { ok: false, field: unknown, message: `Feltet «${unknown}» er ukjent` };
  }
  if (key === undefined) return { ok: false, field: path[0] ?? 'body', message: `${path[0] === 'settings' ? 'Innstillinger' : 'Forespørselen'}: må være et objekt` };
  // A financing input is named by its own label ("Levekårsindeks (1 = landssnitt): ...").
  const sub = key === 'financing' ? path[path[0] === 'settings' ? 2 : 1] : undefined;
  if (sub !== undefined) {
    const subLabel = FINANCING_INPUT_LABELS[sub as keyof FinancingInputs] ?? `Feltet «${sub}»`;
    const missing = issue.type === 'strict_object' && issue.input === undefined;
    return { ok: false, field: `financing.${sub}`, message: `${subLabel}: ${missing ? 'mangler' : issue.message}` };
  }
  const label = key === 'version' ? 'Versjon' : (SETTING_LABELS[key as keyof PracticeSettings] ?? `Feltet «${key}»`);
  // A missing key is reported by the object schema: say that it is missing.
  const missing = issue.type === 'strict_object' && issue.input === undefined;
  return { ok: false, field: key, message: `${label}: ${missing ? 'mangler' : issue.message}` };
}

/** The deadline calendar of these settings (SPEC §2). */
export function calendarOf(settings: Pick<PracticeSettings, 'closedDates' | 'saturdayIsWorkingDay'>): CalendarOptions {
  return { closedDates: settings.closedDates, saturdayIsWorkingDay: settings.saturdayIsWorkingDay };
}

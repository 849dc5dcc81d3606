// Generates src/domain/holidays-no.json: Norwegian public holidays per year, from the maintained
// date-holidays library (SPEC §2). Run: `node scripts/gen-holidays.ts` (Node 22 strips the types).
//
// Why a generated file instead of importing date-holidays in the app: date-holidays pulls in
// moment-timezone and astronomia; `esbuild --bundle --minify` of a module that only constructs
// `new Holidays('NO')` is 1.49 MB raw / 241 KB gzip, which alone eats the app's 250 KB gzip budget.
// The generated table is about 2 KB gzip. date-holidays stays the authority: the unit test
// test/unit/domain/calendar.test.ts regenerates the table in memory and compares it with the file,
// so the committed file cannot drift from the library version we pin.
import Holidays from 'date-holidays';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const HOLIDAY_YEARS = { from: 2000, to: 2100 } as const;

/** One year's public holidays as [MM-DD, Norwegian name] in date order (a date can occur twice). */
export type HolidayYear = [string, string][];

export interface HolidayTable {
  source: string;
  from: number;
  to: number;
  years: Record<string, HolidayYear>;
}

export function generateHolidayTable(from: number = HOLIDAY_YEARS.from, to: number = HOLIDAY_YEARS.to): HolidayTable {
  // types: ['public'] — the defaults also return observances (Valentinsdag) and 24/31 Dec as bank days.
  const hd = new Holidays('NO', { types: ['public'], languages: ['no'] });
  const years: Record<string, HolidayYear> = {};
  for (let year = from; year <= to; year++) {
    // `date` is the local date "YYYY-MM-DD hh:mm:ss"; `start` is Oslo midnight in UTC, a day early.
    years[String(year)] = hd
      .getHolidays(year, 'no')
      .filter((h) => h.type === 'public')
      .map((h): [string, string] => [h.date.slice(5, 10), h.name]);
  }
  return { source: 'date-holidays 3.37.0, country NO, types public, language no', from, to, years };
}

/** Stable, diff-friendly JSON: one line per year. */
export function serializeHolidayTable(table: HolidayTable): string {
  const lines = Object.entries(table.years).map(([year, days]) => `    ${JSON.stringify(year)}: ${JSON.stringify(days)}`);
  return [
    '{',
    `  "source": ${JSON.stringify(table.source)},`,
    `  "from": ${table.from},`,
    `  "to": ${table.to},`,
    '  "years": {',
    lines.join(',\n'),
    '  }',
    '}',
    '',
  ].join('\n');
}

export const HOLIDAY_TABLE_PATH = fileURLToPath(new URL('../src/domain/holidays-no.json', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(HOLIDAY_TABLE_PATH, serializeHolidayTable(generateHolidayTable()));
  console.log(`wrote ${HOLIDAY_TABLE_PATH}`);
}

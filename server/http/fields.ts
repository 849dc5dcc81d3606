// Field schemas the API slices share (valibot, messages in bokmål without the field's name: the 400 message
// puts the slice's label in front, see parseWith in ./json.ts).
import * as v from 'valibot';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

function isCalendarDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A calendar date YYYY-MM-DD that exists. */
export const isoDate = v.pipe(v.string('må være en dato'), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'må være en dato på formen ÅÅÅÅ-MM-DD'), v.check(isCalendarDate, 'er ikke en gyldig dato'));
/** The client's id of a new record (a uuid). */
export const clientId = v.pipe(v.string('må være en uuid'), v.regex(UUID, 'må være en uuid'));
/** The version of a record the user saw (optimistic concurrency). */
export const version = v.pipe(v.number('må være et tall'), v.integer('må være et heltall'), v.minValue(1, 'må være minst 1'));
/** A practitioner reference, Practitioner/<id>. */
export const practitioner = v.pipe(v.string('må være en behandler'), v.regex(/^Practitioner\/[A-Za-z0-9\-.]{1,64}$/, 'må være en behandler (Practitioner/<id>)'));
/** Optional free text, trimmed, at most `max` characters. */
export const optionalText = (max: number) => v.optional(v.pipe(v.string('må være tekst'), v.trim(), v.maxLength(max, `kan ha høyst ${max} tegn`)));

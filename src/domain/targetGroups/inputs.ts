// What a client may send to the target-group API (issue 15 item 5): a GP's assessment and the team's
// outreach assessment and offer, checked with valibot at both edges. A refusal names the field in
// Norwegian; nothing is stored.
import * as v from 'valibot';
import { isIsoDate } from './isoDate';
import { TARGET_GROUPS } from './types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const id = v.pipe(v.string('må være tekst'), v.regex(UUID, 'må være en uuid'));
const text = (max: number) => v.pipe(v.string('må være tekst'), v.trim(), v.maxLength(max, `kan ha høyst ${max} tegn`));

export const assessmentInputSchema = v.strictObject({
  id,
  group: v.picklist(TARGET_GROUPS, 'er ikke en kjent målgruppe'),
  include: v.boolean('må være ja eller nei'),
  reason: v.pipe(text(1000), v.nonEmpty('må fylles ut')),
  /** The user's name as the EPJ shows it (display only; who it was is the session's fhirUser). */
  authorName: v.optional(text(200)),
});
export type AssessmentInputBody = v.InferOutput<typeof assessmentInputSchema>;

export const outreachInputSchema = v.strictObject({
  id,
  need: v.picklist(['follow-up-needed', 'no-follow-up-needed', 'not-reached'], 'må være et kjent behov'),
  offer: v.optional(
    v.strictObject({
      kind: v.picklist(['consultation', 'home-visit'], 'må være konsultasjon eller hjemmebesøk'),
      date: v.pipe(v.string('må være en dato'), v.check((s: string) => isIsoDate(s), 'må være en dato på formen ÅÅÅÅ-MM-DD')),
      accepted: v.boolean('må være ja eller nei'),
    }),
  ),
  note: v.optional(text(1000), ''),
  authorName: v.optional(text(200)),
});
export type OutreachInputBody = v.InferOutput<typeof outreachInputSchema>;

const LABELS: Readonly<Record<string, string>> = {
  id: 'Id',
  group: 'Målgruppe',
  include: 'Bekreft eller avkreft',
  reason: 'Begrunnelse',
  need: 'Vurdert behov',
  offer: 'Tilbud',
  kind: 'Tilbudstype',
  date: 'Dato for tilbudet',
  accepted: 'Svar på tilbudet',
  note: 'Notat',
  authorName: 'Navn',
};

export type ParsedInput<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

function parseWith<T>(schema: v.GenericSchema<unknown, T>, input: unknown): ParsedInput<T> {
  const result = v.safeParse(schema, input, { abortEarly: true });
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const path = (issue.path ?? []).map((p) => String(p.key));
  const key = path[path.length - 1];
  if (key === undefined) return { ok: false, field: 'body', message: 'Forespørselen må være et objekt.' };
  if (issue.type === 'strict_object' && issue.expected === 'never') return { ok: false, field: key, message: `Feltet «${key}» er ukjent.` };
  const label = LABELS[key] ?? `Feltet «${key}»`;
  const missing = issue.type === 'strict_object' && issue.input === undefined;
  return { ok: false, field: path.join('.'), message: `${label}: ${missing ? 'mangler' : issue.message}.` };
}

export const parseAssessmentInput = (input: unknown) => parseWith(assessmentInputSchema, input);
export const parseOutreachInput = (input: unknown) => parseWith(outreachInputSchema, input);

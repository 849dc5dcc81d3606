// The JSON edge every API slice shares: the error answer ({error, ...extra} with a status), reading a JSON
// body (415 unless it is sent as JSON, 400 when it does not parse), checking it with a valibot schema (400
// with a Norwegian message naming the field; nothing is stored), and the role check of a slice's own
// ALLOWED/REFUSED table (403 with its Norwegian message). The slices keep their labels and role tables.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as v from 'valibot';
import type { Actor, ResolveActor } from '../epj/actor';

/** An error answer: `{ error: message, ...extra }` with the status. */
export const problem = (c: Context, status: ContentfulStatusCode, message: string, extra: Record<string, unknown> = {}) => c.json({ error: message, ...extra }, status);

export type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

/** Norwegian names of a slice's fields, for the 400 message (a field without one is «Feltet «x»»). */
export type FieldLabels = Readonly<Record<string, string>>;

/**
 * Checks `input` with `schema` (first issue only). An unknown field: «Feltet «x» er ukjent»; a top-level
 * issue: «Forespørselen: <message>» (field body); otherwise «<label of the top-level field>: mangler» or
 * «...: <message>», field the top-level key.
 */
export function parseWith<S extends v.GenericSchema>(schema: S, input: unknown, labels: FieldLabels): Parsed<v.InferOutput<S>> {
  const result = v.safeParse(schema, input, { abortEarly: true });
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const path = (issue.path ?? []).map((p) => String(p.key));
  if (issue.type === 'strict_object' && issue.expected === 'never') {
    const unknown = path[path.length - 1] ?? '?';
    return { ok: false, field: unknown, message: `Feltet «${unknown}» er ukjent` };
  }
  const key = path[0];
  if (key === undefined) return { ok: false, field: 'body', message: `Forespørselen: ${issue.message}` };
  const missing = issue.type === 'strict_object' && issue.input === undefined;
  return { ok: false, field: key, message: `${labels[key] ?? `Feltet «${key}»`}: ${missing ? 'mangler' : issue.message}` };
}

/** The request's body as JSON, or the answer: 415 unless it is sent as JSON, 400 (field body) when it does not parse. */
export async function readJson(c: Context): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
  if (!/^application\/json\b/.test(c.req.header('content-type') ?? '')) return { ok: false, response: problem(c, 415, 'Forespørselen må sendes som JSON.') };
  try {
    return { ok: true, body: await c.req.json() };
  } catch {
    return { ok: false, response: problem(c, 400, 'Forespørselen er ikke gyldig JSON.', { field: 'body' }) };
  }
}

/** The request's JSON body checked by `parse`, or the answer (415, or 400 naming the field). */
export async function jsonBody<T>(c: Context, parse: (input: unknown) => Parsed<T>): Promise<{ value: T } | { response: Response }> {
  const raw = await readJson(c);
  if (!raw.ok) return { response: raw.response };
  const parsed = parse(raw.body);
  return parsed.ok ? { value: parsed.value } : { response: problem(c, 400, parsed.message, { field: parsed.field }) };
}

/**
 * A slice's role check: `who(c, can)` is the request's actor when `allowed[can]` lets them, else the answer
 * (the actor resolver's own, or 403 with `refused[can]`).
 */
export function roleCheck<Can extends string>(
  resolve: ResolveActor,
  allowed: Record<Can, (a: Actor) => boolean>,
  refused: Record<Can, string>,
): (c: Context, can: Can) => Promise<{ actor: Actor } | { response: Response }> {
  return async (c, can) => {
    const r = await resolve(c);
    if ('response' in r) return r;
    if (!allowed[can](r.actor)) return { response: problem(c, 403, refused[can]) };
    return r;
  };
}

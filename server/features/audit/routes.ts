// POST /api/audit/export (issue 15: "who exported what"): the browser builds exports (CSV) itself from data it
// was allowed to read, and records each one here before the file is offered. Body {what, rows}, checked with
// valibot; a bad body gets 400 with a Norwegian message naming the field and nothing is written.
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import * as v from 'valibot';
import type { Database } from '../../db/schema';
import type { ResolveActor } from '../../epj/actor';
import { problem } from '../../http/json';
import { appendAudit } from './store';

const exportSchema = v.strictObject({
  what: v.pipe(v.string('Hva: må være tekst'), v.trim(), v.nonEmpty('Hva: kan ikke være tom'), v.maxLength(200, 'Hva: kan ha høyst 200 tegn')),
  rows: v.pipe(v.number('Rader: må være et tall'), v.integer('Rader: må være et heltall'), v.minValue(0, 'Rader: kan ikke være negativ')),
}, 'Forespørselen: må være et objekt med hva og rader');

export function auditRoutes(deps: { db: Kysely<Database>; actor: ResolveActor; now: () => number }): Hono {
  const app = new Hono();
  app.post('/export', async (c) => {
    const r = await deps.actor(c);
    if ('response' in r) return r.response;
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return problem(c, 400, 'Forespørselen er ikke gyldig JSON.');
    }
    const parsed = v.safeParse(exportSchema, body, { abortEarly: true });
    if (!parsed.success) {
      const issue = parsed.issues[0];
      const unknown = issue.type === 'strict_object' && issue.expected === 'never';
      return problem(c, 400, unknown ? `Feltet «${String(issue.path?.at(-1)?.key)}» er ukjent` : issue.message);
    }
    const { actor } = r;
    await appendAudit(deps.db, {
      practiceId: actor.practiceId,
      actor: actor.user,
      role: actor.practiceManager ? 'daglig-leder' : actor.role,
      action: 'export',
      what: parsed.output.what,
      rows: parsed.output.rows,
      at: new Date(deps.now()),
    });
    return c.body(null, 204);
  });
  return app;
}

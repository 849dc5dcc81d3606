// server/http/json.ts: the JSON edge the API slices share (415 unless JSON, 400 when it does not parse, 400 naming
// the field in bokmål, 403 from the slice's role table). Expected answers written by hand from the slices' rules.
import { Hono } from 'hono';
import * as v from 'valibot';
import { describe, expect, test } from 'vitest';
import type { Actor, ResolveActor } from '../../../server/epj/actor';
import { jsonBody, parseWith, problem, roleCheck } from '../../../server/http/json';

const LABELS = { date: 'Dato', reason: 'Begrunnelse' };
const schema = v.strictObject(
  {
    date: v.pipe(v.string('må være en dato'), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'må være en dato på formen ÅÅÅÅ-MM-DD')),
    reason: v.optional(v.string('må være tekst')),
    period: v.optional(v.strictObject({ from: v.string('må være tekst') }, 'må ha fra')),
  },
  'må være et objekt',
);

describe('parseWith', () => {
  test('a valid body is its value', () => {
    expect(parseWith(schema, { date: '2026-03-02' }, LABELS)).toEqual({ ok: true, value: { date: '2026-03-02' } });
  });
  test('names the field with its label, «mangler» when missing', () => {
    expect(parseWith(schema, { date: '2.3.2026' }, LABELS)).toEqual({ ok: false, field: 'date', message: 'Dato: må være en dato på formen ÅÅÅÅ-MM-DD' });
    expect(parseWith(schema, {}, LABELS)).toEqual({ ok: false, field: 'date', message: 'Dato: mangler' });
    expect(parseWith(schema, { date: '2026-03-02', reason: 3 }, LABELS)).toEqual({ ok: false, field: 'reason', message: 'Begrunnelse: må være tekst' });
  });
  test('a field without a label, an unknown field (also nested), and a body that is not an object', () => {
    expect(parseWith(schema, { date: '2026-03-02', period: 'x' }, LABELS)).toEqual({ ok: false, field: 'period', message: 'Feltet «period»: må ha fra' });
    expect(parseWith(schema, { date: '2026-03-02', extra: 1 }, LABELS)).toEqual({ ok: false, field: 'extra', message: 'Feltet «extra» er ukjent' });
    expect(parseWith(schema, { date: '2026-03-02', period: { from: 'a', to: 'b' } }, LABELS)).toEqual({ ok: false, field: 'to', message: 'Feltet «to» er ukjent' });
    expect(parseWith(schema, 'tekst', LABELS)).toEqual({ ok: false, field: 'body', message: 'Forespørselen: må være et objekt' });
  });
});

describe('jsonBody and problem over HTTP', () => {
  const app = new Hono();
  app.post('/x', async (c) => {
    const b = await jsonBody(c, (input) => parseWith(schema, input, LABELS));
    if ('response' in b) return b.response;
    return c.json(b.value);
  });
  app.get('/gone', (c) => problem(c, 404, 'Fant ikke saken.', { field: 'id' }));
  const post = (body: string, type = 'application/json') => app.request('/x', { method: 'POST', headers: { 'content-type': type }, body });

  test('415 unless sent as JSON; 400 (field body) when it does not parse', async () => {
    const notJson = await post('{}', 'text/plain');
    expect(notJson.status).toBe(415);
    expect(await notJson.json()).toEqual({ error: 'Forespørselen må sendes som JSON.' });
    const broken = await post('{');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ error: 'Forespørselen er ikke gyldig JSON.', field: 'body' });
  });
  test('400 naming the field; the value when valid', async () => {
    const bad = await post('{"reason":"x"}');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'Dato: mangler', field: 'date' });
    const good = await post('{"date":"2026-03-02","reason":"kontroll"}');
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ date: '2026-03-02', reason: 'kontroll' });
  });
  test('problem: the error and the extra fields with the status', async () => {
    const res = await app.request('/gone');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Fant ikke saken.', field: 'id' });
  });
});

describe('roleCheck', () => {
  const nurse: Actor = { practiceId: 'Organization/p', user: 'Practitioner/n', role: 'nurse', practiceManager: false };
  const resolve: ResolveActor = async (c) => (c.req.header('x-who') === 'nurse' ? { actor: nurse } : { response: c.json({ error: 'Økten er utløpt' }, 401) });
  const who = roleCheck(resolve, { read: () => true, manage: (a) => a.role === 'gp' && a.practiceManager }, { read: 'Ingen tilgang.', manage: 'Bare daglig leder kan endre dette.' });
  const app = new Hono();
  app.get('/:can', async (c) => {
    const r = await who(c, c.req.param('can') as 'read' | 'manage');
    return 'response' in r ? r.response : c.json({ user: r.actor.user });
  });

  test('the actor when allowed, 403 with the table message when not, the resolver answer without a session', async () => {
    const ok = await app.request('/read', { headers: { 'x-who': 'nurse' } });
    expect(await ok.json()).toEqual({ user: 'Practitioner/n' });
    const refused = await app.request('/manage', { headers: { 'x-who': 'nurse' } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: 'Bare daglig leder kan endre dette.' });
    const anonymous = await app.request('/read');
    expect(anonymous.status).toBe(401);
  });
});

// /api/contact-copay (issue 15 item 2; SPEC §5-§7): register a contact with its tariff lines (the server
// decides who bears the day's egenandel), today's charges of a patient, cancel a charge, and the daglig
// leder's charges (code usage, charge table) and claims batches (mark, history, undo the last).
// Bodies are parsed at the edge (400 with a Norwegian message naming the field, nothing stored);
// every call is authorised by the actor's role (403 with a Norwegian message).
import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import * as v from 'valibot';
import { GP_CONTACT_KINDS, isGpContactKind } from '../../../src/domain/tariffs';
import type { Database } from '../../db/schema';
import type { Actor, ResolveActor } from '../../epj/actor';
import { READ_EVERYTHING, type ReadPlan } from '../../epj/capabilities';
import { readCopayFacts } from '../../epj/copayFacts';
import type { EpjGet } from '../../epj/targetGroups';
import { parseWith as parseWithLabels, problem, readJson as jsonBody } from '../../http/json';
import { appendAudit } from '../audit/store';
import { groupSessionRoutes } from './groupSessions';
import { cancelCharge, chargeRecords, claimBatches, contactCounts, getDay, markClaimed, registerContact, undoLastBatch, type ContactInput, type StoreOptions } from './store';

export type { ResolveActor } from '../../epj/actor';

/** The launch behind a request: the EPJ the journal note goes to, and whether it accepts ChargeItems. */
export type LaunchOf = (c: Context) => Promise<{ iss: string; chargeItems: boolean; gpChargesVisible: boolean } | undefined>;

/** The launch's EPJ as the server reads it (its own token) and what it lets the server read. */
export type LaunchEpj = (c: Context) => Promise<{ iss: string; get: EpjGet; plan?: () => Promise<ReadPlan> } | undefined>;

export interface ContactCopayDeps {
  db: Kysely<Database>;
  actor: ResolveActor;
  launchOf: LaunchOf;
  /** For the patient's co-payment facts (birth date, Coverage); absent = the route answers 503. */
  epj?: LaunchEpj;
  now: () => number;
  store?: StoreOptions;
}

const uuid = v.pipe(v.string('må være tekst'), v.uuid('må være en uuid'));
const isoDate = v.pipe(v.string('må være en dato'), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'må være en dato på formen ÅÅÅÅ-MM-DD'));
const instant = v.pipe(
  v.string('må være et tidspunkt'),
  v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, 'må være et tidspunkt med tidssone (ISO 8601)'),
  v.check((s) => !Number.isNaN(Date.parse(s)), 'er ikke et gyldig tidspunkt'),
);
const id = v.pipe(v.string('må være tekst'), v.regex(/^[A-Za-z0-9\-.]{1,64}$/, 'må være en FHIR-id'));
const line = v.strictObject(
  {
    code: v.pipe(v.string('må være tekst'), v.regex(/^[A-Za-z0-9]{1,10}$/, 'må være en takstkode')),
    quantity: v.pipe(v.number('må være et tall'), v.integer('må være et helt tall'), v.minValue(1, 'må være minst 1'), v.maxValue(20, 'kan være høyst 20')),
  },
  'må ha kode og antall',
);
const lines = v.pipe(v.array(line, 'må være en liste med takster'), v.maxLength(20, 'kan ha høyst 20 takster'));
const optionalText = (max: number) => v.optional(v.pipe(v.string('må være tekst'), v.trim(), v.maxLength(max, `kan ha høyst ${max} tegn`)));

const NURSE_KINDS = ['simple', 'follow-up', 'about-patient', 'home-visit', 'group', 'meeting', 'team-consultation'] as const;

const contactSchema = v.strictObject(
  {
    id: uuid,
    patientId: id,
    start: instant,
    kind: v.picklist([...NURSE_KINDS, ...GP_CONTACT_KINDS.filter((k) => k !== 'home-visit')], 'er ikke en kjent kontakttype'),
    channel: v.optional(v.picklist(['in-person', 'phone', 'video', 'written'], 'må være oppmøte, telefon, video eller skriftlig')),
    minutes: v.optional(v.pipe(v.number('må være et tall'), v.integer('må være et helt antall minutter'), v.minValue(0, 'kan ikke være negativ'), v.maxValue(1440, 'kan være høyst 1440 minutter'))),
    travelled: v.optional(v.boolean('må være ja eller nei')),
    lines: v.pipe(lines, v.minLength(1, 'må ha minst én takst')),
    suggested: v.optional(lines),
    overrideReason: optionalText(500),
    exemptReason: v.optional(v.pipe(v.string('må være tekst'), v.regex(/^[A-Z0-9]{1,4}$/, 'må være en kode for fritak (Volven 7461)'))),
    note: optionalText(10_000),
    patient: v.strictObject(
      {
        birthDate: v.optional(v.pipe(v.string('må være en dato'), v.regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'må være en dato på formen ÅÅÅÅ-MM-DD'))),
        exemptions: v.optional(
          v.pipe(
            v.array(
              v.strictObject({ code: v.pipe(v.string('må være tekst'), v.regex(/^[A-Z0-9]{1,4}$/, 'må være en kode for fritak')), from: isoDate, to: v.optional(isoDate) }, 'må ha kode og periode'),
              'må være en liste',
            ),
            v.maxLength(50, 'kan ha høyst 50 fritak'),
          ),
        ),
      },
      'må være et objekt',
    ),
    paidElsewhereToday: v.optional(v.boolean('må være ja eller nei')),
  },
  'må være et objekt',
);

const cancelSchema = v.strictObject({ reason: optionalText(500) }, 'må være et objekt');
const markSchema = v.strictObject(
  {
    batchId: uuid,
    chargeIds: v.pipe(v.array(v.pipe(v.string('må være tekst'), v.maxLength(200, 'er for lang')), 'må være en liste'), v.minLength(1, 'må ha minst én takst'), v.maxLength(5000, 'kan ha høyst 5000 takster')),
    period: v.optional(v.strictObject({ from: isoDate, to: isoDate }, 'må ha fra og til')),
  },
  'må være et objekt',
);

/** Norwegian names of the fields, for the 400 message. */
const LABELS: Record<string, string> = {
  id: 'Kontakt-id',
  patientId: 'Pasient',
  start: 'Tidspunkt',
  kind: 'Kontakttype',
  channel: 'Kanal',
  minutes: 'Varighet',
  travelled: 'Reise',
  lines: 'Takster',
  suggested: 'Foreslåtte takster',
  overrideReason: 'Begrunnelse for endring',
  exemptReason: 'Fritak',
  note: 'Journalnotat',
  patient: 'Pasientopplysninger',
  paidElsewhereToday: 'Betalt egenandel i dag',
  reason: 'Begrunnelse',
  batchId: 'Kravbunke-id',
  chargeIds: 'Takster',
  period: 'Periode',
  day: 'Dag',
  from: 'Fra',
  to: 'Til',
};

export const parseWith = <S extends v.GenericSchema>(schema: S, input: unknown, labels: Record<string, string> = LABELS) => parseWithLabels(schema, input, labels);

// The group-session routes (groupSessions.ts) answer with the same helpers.
export { jsonBody, problem };

const isManager = (a: Actor) => a.role === 'gp' && a.practiceManager;

/** A dropped database connection or a transaction that kept colliding: the browser may send the same request again. */
export async function guarded(c: Context, run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const message = error instanceof Error ? error.message : '';
    if (typeof code === 'string' || /connection|terminat/i.test(message)) {
      c.header('retry-after', '1');
      return problem(c, 503, 'Databasen svarte ikke. Prøv igjen; ingenting blir lagret to ganger.');
    }
    throw error;
  }
}

export function contactCopayRoutes(deps: ContactCopayDeps): Hono {
  const app = new Hono();

  app.post('/contacts', async (c) => {
    const r = await deps.actor(c);
    if ('response' in r) return r.response;
    const { actor } = r;
    if (actor.role !== 'nurse' && actor.role !== 'gp') {
      return problem(c, 403, actor.role === 'secretary' ? 'Helsesekretær kan ikke registrere takster.' : 'Du har ikke tilgang til å registrere kontakter og takster.');
    }
    const body = await jsonBody(c);
    if (!body.ok) return body.response;
    const parsed = parseWith(contactSchema, body.body);
    if (!parsed.ok) return problem(c, 400, parsed.message, { field: parsed.field });
    if (Date.parse(parsed.value.start) > deps.now() + 5 * 60_000) return problem(c, 400, 'Tidspunkt: kan ikke være i fremtiden', { field: 'start' });
    const launch = await deps.launchOf(c);
    if (!launch) return problem(c, 403, 'Fant ikke journalsystemet for denne økten.');
    const input = parsed.value as ContactInput;
    if (actor.role === 'nurse' && input.kind !== 'home-visit' && isGpContactKind(input.kind)) {
      return problem(c, 403, 'Kontakttype: sykepleier kan ikke registrere fastlegens kontakttyper.', { field: 'kind' });
    }
    return guarded(c, async () => {
      const result = await registerContact(
        deps.db,
        { practiceId: actor.practiceId, user: actor.user, role: actor.role as 'gp' | 'nurse', iss: launch.iss, chargeItems: launch.chargeItems, gpChargesVisible: launch.gpChargesVisible },
        input,
        new Date(deps.now()),
        deps.store,
      );
      if (!result.ok) return problem(c, result.status, result.message, { ...(result.field ? { field: result.field } : {}), ...(result.needsAnswer ? { needsAnswer: true } : {}) });
      return c.json(result, result.alreadySaved ? 200 : 201);
    });
  });

  app.get('/patients/:patientId/days/:day', async (c) => {
    const r = await deps.actor(c);
    if ('response' in r) return r.response;
    const { actor } = r;
    const parsed = parseWith(v.strictObject({ patientId: id, day: isoDate }), { patientId: c.req.param('patientId'), day: c.req.param('day') });
    if (!parsed.ok) return problem(c, 400, parsed.message, { field: parsed.field });
    return guarded(c, async () => {
      const day = await getDay(deps.db, actor.practiceId, parsed.value.patientId, parsed.value.day);
      await appendAudit(deps.db, {
        practiceId: actor.practiceId,
        actor: actor.user,
        role: actor.role,
        patientId: parsed.value.patientId,
        action: 'read',
        what: `dagens takster ${parsed.value.day}`,
        rows: day.rows.length,
        at: new Date(deps.now()),
      });
      return c.json(day);
    });
  });

  // The patient's co-payment facts from the EPJ (birth date, frikort and other day exemptions), read by the
  // server by capability: without Coverage the exemptions are unknown, said so, and the user decides.
  app.get('/patients/:patientId/copay-facts', async (c) => {
    const r = await deps.actor(c);
    if ('response' in r) return r.response;
    const { actor } = r;
    if (actor.role !== 'nurse' && actor.role !== 'gp') return problem(c, 403, 'Du har ikke tilgang til pasientens egenandelsfritak.');
    const parsed = parseWith(v.strictObject({ patientId: id }), { patientId: c.req.param('patientId') });
    if (!parsed.ok) return problem(c, 400, parsed.message, { field: parsed.field });
    const epj = await deps.epj?.(c);
    if (!epj) return problem(c, 403, 'Fant ikke journalsystemet for denne økten.');
    let facts;
    try {
      facts = await readCopayFacts(epj.get, epj.iss, parsed.value.patientId, epj.plan ? await epj.plan() : READ_EVERYTHING);
    } catch {
      c.header('retry-after', '5');
      return problem(c, 503, 'Fikk ikke hentet pasientens egenandelsfritak fra journalsystemet. Prøv igjen.');
    }
    if (!facts) return problem(c, 404, 'Fant ikke pasienten i journalsystemet.', { field: 'patientId' });
    await appendAudit(deps.db, { practiceId: actor.practiceId, actor: actor.user, role: actor.role, patientId: parsed.value.patientId, action: 'read', what: 'egenandelsfritak', at: new Date(deps.now()) });
    return c.json(facts);
  });

  app.post('/charges/:chargeId/cancel', async (c) => {
    const r = await deps.actor(c);
    if ('response' in r) return r.response;
    const { actor } = r;
    if (actor.role !== 'nurse' && actor.role !== 'gp') return problem(c, 403, 'Du har ikke tilgang til å kansellere takster.');
    const body = await jsonBody(c);
    if (!body.ok) return body.response;
    const parsed = parseWith(cancelSchema, body.body);
    if (!parsed.ok) return problem(c, 400, parsed.message, { field: parsed.field });
    return guarded(c, async () => {
      const result = await cancelCharge(deps.db, actor, c.req.param('chargeId'), parsed.value.reason || undefined, new Date(deps.now()), deps.store);
      if (!result.ok) return problem(c, result.status, result.message);
      return c.json(result);
    });
  });

  app.get('/manager/charges', async (c) => {
    const r = await deps.actor(c);
    if ('response' in r) return r.response;
    const { actor } = r;
    if (!isManager(actor)) return problem(c, 403, 'Bare daglig leder kan se praksisens takster.');
    const parsed = parseWith(v.strictObject({ from: isoDate, to: isoDate }), { from: c.req.query('from'), to: c.req.query('to') });
    if (!parsed.ok) return problem(c, 400, parsed.message, { field: parsed.field });
    if (parsed.value.from > parsed.value.to) return problem(c, 400, 'Periode: fra-datoen er etter til-datoen', { field: 'from' });
    return guarded(c, async () => {
      const charges = await chargeRecords(deps.db, actor.practiceId, parsed.value.from, parsed.value.to);
      await appendAudit(deps.db, {
        practiceId: actor.practiceId,
        actor: actor.user,
        role: 'daglig-leder',
        action: 'read-list',
        what: `takster ${parsed.value.from}–${parsed.value.to}`,
        rows: charges.length,
        at: new Date(deps.now()),
      });
      return c.json({ charges });
    });
  });

  app.get('/manager/contacts', async (c) => {
    const r = await deps.actor(c);
    if ('response' in r) return r.response;
    const { actor } = r;
    if (!isManager(actor)) return problem(c, 403, 'Bare daglig leder kan hente tallene til evalueringen.');
    const parsed = parseWith(v.strictObject({ from: isoDate, to: isoDate }), { from: c.req.query('from'), to: c.req.query('to') });
    if (!parsed.ok) return problem(c, 400, parsed.message, { field: parsed.field });
    if (parsed.value.from > parsed.value.to) return problem(c, 400, 'Periode: fra-datoen er etter til-datoen', { field: 'from' });
    return guarded(c, async () => {
      const contacts = await contactCounts(deps.db, actor.practiceId, parsed.value.from, parsed.value.to);
      await appendAudit(deps.db, { practiceId: actor.practiceId, actor: actor.user, role: 'daglig-leder', action: 'read-list', what: `kontakter, samletall ${parsed.value.from}–${parsed.value.to}`, at: new Date(deps.now()) });
      return c.json({ period: parsed.value, contacts });
    });
  });

  app.get('/manager/claims', async (c) => {
    const r = await deps.actor(c);
    if ('response' in r) return r.response;
    if (!isManager(r.actor)) return problem(c, 403, 'Bare daglig leder kan se kravbunkene.');
    return guarded(c, async () => c.json({ batches: await claimBatches(deps.db, r.actor.practiceId) }));
  });

  app.post('/manager/claims', async (c) => {
    const r = await deps.actor(c);
    if ('response' in r) return r.response;
    const { actor } = r;
    if (!isManager(actor)) return problem(c, 403, 'Bare daglig leder kan merke takster som krevd.');
    const body = await jsonBody(c);
    if (!body.ok) return body.response;
    const parsed = parseWith(markSchema, body.body);
    if (!parsed.ok) return problem(c, 400, parsed.message, { field: parsed.field });
    return guarded(c, async () => {
      const result = await markClaimed(deps.db, actor, parsed.value, new Date(deps.now()), deps.store);
      if (!result.ok) return problem(c, result.status, result.message, result.field ? { field: result.field } : {});
      return c.json(result, result.alreadySaved ? 200 : 201);
    });
  });

  app.post('/manager/claims/:batchId/undo', async (c) => {
    const r = await deps.actor(c);
    if ('response' in r) return r.response;
    const { actor } = r;
    if (!isManager(actor)) return problem(c, 403, 'Bare daglig leder kan angre en kravbunke.');
    const batchId = parseWith(v.strictObject({ batchId: uuid }), { batchId: c.req.param('batchId') });
    if (!batchId.ok) return problem(c, 400, batchId.message, { field: batchId.field });
    return guarded(c, async () => {
      const result = await undoLastBatch(deps.db, actor, batchId.value.batchId, new Date(deps.now()), deps.store);
      if (!result.ok) return problem(c, result.status, result.message);
      return c.json(result);
    });
  });

  app.route('/group-sessions', groupSessionRoutes(deps));
  return app;
}

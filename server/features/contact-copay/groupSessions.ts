// /api/contact-copay/group-sessions (issue 17 item 20; seed ch. 4.3 «gruppetilbud»; SPEC §5-§6): register a
// group session with its roster; each participant gets one S4 and the same egenandel decision as a single
// contact, in its own transaction (see groupStore.ts for why), and the response gives each participant's
// result. The browser's session id makes a resend finish what is left without charging anyone twice.
// Nurse and GP may register; the secretary may not (403, Norwegian). Bodies are parsed at the edge (400
// naming the field in Norwegian, nothing stored). Mounted from routes.ts; only the handlers use its helpers.
import { Hono } from 'hono';
import * as v from 'valibot';
import { MAX_GROUP_PARTICIPANTS, rosterProblems } from '../../../src/domain/groupSession';
import { registerGroupSession, type GroupSessionInput } from './groupStore';
import { guarded, jsonBody, parseWith, problem, type ContactCopayDeps } from './routes';

const LABELS: Record<string, string> = {
  id: 'Gruppetime-id',
  start: 'Tidspunkt',
  minutes: 'Varighet',
  topic: 'Tema',
  note: 'Journalnotat',
  participants: 'Deltakere',
};

const isoDate = v.pipe(v.string('må være en dato'), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'må være en dato på formen ÅÅÅÅ-MM-DD'));

const participant = v.strictObject(
  {
    patientId: v.pipe(v.string('må være tekst'), v.regex(/^[A-Za-z0-9\-.]{1,64}$/, 'må ha en gyldig pasient-id')),
    patient: v.strictObject(
      {
        birthDate: v.optional(v.pipe(v.string('må være en dato'), v.regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'må ha fødselsdato på formen ÅÅÅÅ-MM-DD'))),
        exemptions: v.optional(
          v.pipe(
            v.array(v.strictObject({ code: v.pipe(v.string('må være tekst'), v.regex(/^[A-Z0-9]{1,4}$/, 'må ha en kode for fritak')), from: isoDate, to: v.optional(isoDate) }, 'må ha fritak med kode og periode'), 'må ha fritak som liste'),
            v.maxLength(50, 'kan ha høyst 50 fritak per deltaker'),
          ),
        ),
      },
      'må ha pasientopplysninger',
    ),
    paidElsewhereToday: v.optional(v.boolean('må ha ja eller nei på om egenandel er belastet i dag')),
  },
  'må være en liste med deltakere (pasient og pasientopplysninger)',
);

const sessionSchema = v.strictObject(
  {
    id: v.pipe(v.string('må være tekst'), v.uuid('må være en uuid')),
    start: v.pipe(
      v.string('må være et tidspunkt'),
      v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, 'må være et tidspunkt med tidssone (ISO 8601)'),
      v.check((s) => !Number.isNaN(Date.parse(s)), 'er ikke et gyldig tidspunkt'),
    ),
    minutes: v.optional(v.pipe(v.number('må være et tall'), v.integer('må være et helt antall minutter'), v.minValue(1, 'må være minst 1 minutt'), v.maxValue(600, 'kan være høyst 600 minutter'))),
    topic: v.pipe(v.string('må være tekst'), v.trim(), v.minLength(1, 'mangler'), v.maxLength(100, 'kan ha høyst 100 tegn')),
    note: v.optional(v.pipe(v.string('må være tekst'), v.trim(), v.maxLength(10_000, 'kan ha høyst 10000 tegn'))),
    participants: v.pipe(
      v.array(participant, 'må være en liste med deltakere'),
      v.minLength(1, 'legg til minst én deltaker'),
      v.maxLength(MAX_GROUP_PARTICIPANTS, `kan ha høyst ${MAX_GROUP_PARTICIPANTS} deltakere`),
    ),
  },
  'må være et objekt',
);

export function groupSessionRoutes(deps: ContactCopayDeps): Hono {
  const app = new Hono();

  app.post('/', async (c) => {
    const r = await deps.actor(c);
    if ('response' in r) return r.response;
    const { actor } = r;
    if (actor.role !== 'nurse' && actor.role !== 'gp') {
      return problem(c, 403, actor.role === 'secretary' ? 'Helsesekretær kan ikke registrere gruppetimer.' : 'Du har ikke tilgang til å registrere gruppetimer.');
    }
    const body = await jsonBody(c);
    if (!body.ok) return body.response;
    const parsed = parseWith(sessionSchema, body.body, LABELS);
    if (!parsed.ok) return problem(c, 400, parsed.message, { field: parsed.field });
    const input = parsed.value as GroupSessionInput;
    const duplicate = rosterProblems(input.participants.map((p) => p.patientId))[0];
    if (duplicate) return problem(c, 400, `Deltakere: ${duplicate.message}`, { field: 'participants', ...(duplicate.patientId ? { patientId: duplicate.patientId } : {}) });
    if (Date.parse(input.start) > deps.now() + 5 * 60_000) return problem(c, 400, 'Tidspunkt: kan ikke være i fremtiden', { field: 'start' });
    const launch = await deps.launchOf(c);
    if (!launch) return problem(c, 403, 'Fant ikke journalsystemet for denne økten.');
    return guarded(c, async () => {
      const result = await registerGroupSession(
        deps.db,
        { practiceId: actor.practiceId, user: actor.user, role: actor.role as 'gp' | 'nurse', iss: launch.iss, chargeItems: launch.chargeItems, gpChargesVisible: launch.gpChargesVisible },
        input,
        new Date(deps.now()),
        deps.store,
      );
      if (!result.ok) return problem(c, result.status, result.message, result.field ? { field: result.field } : {});
      const created = !result.alreadySaved || result.participants.some((p) => p.status === 'registered');
      return c.json(result, created ? 201 : 200);
    });
  });

  return app;
}

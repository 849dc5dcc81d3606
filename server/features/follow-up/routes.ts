// /api/follow-up (issue 15 item 2, SPEC §1 and §4, issue 17 item 13): the nurse's worklist, the
// secretary's inbox and triage, the patient panel's follow-up (attempts, close), the GP's «Mine oppgaver»
// and the daglig leder's deadline figures. Bodies are parsed at the edge (valibot; 400 with a Norwegian
// message naming the field, nothing stored); each call is authorised by the actor's role (403); new
// records carry the client's id (a retry gives the same answer); changes two users can make to one task
// carry the version the user saw (409 with what is stored now).
import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import * as v from 'valibot';
import { followUpDeadline, osloDate } from '../../../src/domain/calendar';
import { complianceClass, deadlineCompliance, overdueNow, FOLLOW_UP_CLOSE_REASONS } from '../../../src/domain/followUp';
import { calendarOf } from '../../../src/domain/settings';
import type { Database } from '../../db/schema';
import type { Actor, ResolveActor } from '../../epj/actor';
import type { Resource } from '@medplum/fhirtypes';
import { searchAll, type EpjGet } from '../../epj/targetGroups';
import { READ_EVERYTHING, type ReadPlan } from '../../epj/capabilities';
import { readPatientDisplays } from '../../epj/patientDisplays';
import { clientId, FHIR_ID, isoDate, optionalText, practitioner, version } from '../../http/fields';
import { jsonBody, parseWith, problem, roleCheck } from '../../http/json';
import { appendAudit } from '../audit/store';
import { getSettings } from '../settings/store';
import type { ShortCache } from '../../epj/shortCache';
import type { DischargeRead } from './epj';
import { createAutomatic, decisionOf, readEpisodes, signalKeys, sweepPractice, type Episodes } from './jobs';
import {
  addAttempt,
  closeFollowUp,
  completeGpTask,
  createGpTask,
  ensureFollowUp,
  getFollowUp,
  listFollowUps,
  listGpTasks,
  updateFollowUp,
  type Change,
  type FollowUp,
} from './store';

export interface FollowUpDeps {
  db: Kysely<Database>;
  actor: ResolveActor;
  /** The EPJ of the request's launch, read with the server's own token; undefined when not registered. */
  epj: (c: Context) => Promise<{ iss: string; get: EpjGet; plan?: () => Promise<ReadPlan> } | undefined>;
  now: () => number;
  log?: (line: string) => void;
  /** Opening the worklist sweeps the practice at most this often (default 60 s); the job sweeps anyway. */
  worklistSweepMs?: number;
  /**
   * The app server's short cache of each practice's discharge read (issue 19 point 2): the inbox, the triage
   * and the worklist's sweep of many users share one EPJ read a few seconds old. Absent: every call reads.
   */
  discharges?: ShortCache<DischargeRead>;
}

// ---------------------------------------------------------------------------------------------
// Parsing

const LABELS: Record<string, string> = {
  id: 'Id',
  at: 'Tidspunkt',
  channel: 'Kanal',
  successful: 'Resultat',
  note: 'Notat',
  reason: 'Årsak',
  version: 'Versjon',
  owner: 'Ansvarlig sykepleier',
  dischargeDate: 'Utskrivningsdato',
  episodeKey: 'Utskrivning',
  action: 'Handling',
  patientId: 'Pasient',
  assignee: 'Fastlege',
  kind: 'Type oppgave',
  due: 'Frist',
  followUpId: 'Oppfølging',
  status: 'Status',
  answer: 'Svar',
};

/** What the secretary may record at triage: facts and «no follow-up needed», not a clinical assessment. */
const TRIAGE_REASONS = ['no-follow-up-needed', 'followed-up-elsewhere', 'moved-to-institution', 'readmitted', 'deceased', 'declined'] as const;
const instant = v.pipe(
  v.string('må være et tidspunkt'),
  v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, 'må være et tidspunkt med tidssone (ÅÅÅÅ-MM-DDTtt:mm+01:00)'),
  v.check((s) => !Number.isNaN(Date.parse(s)), 'er ikke et gyldig tidspunkt'),
);
const note = optionalText;

const attemptSchema = v.strictObject(
  {
    id: clientId,
    at: instant,
    channel: v.picklist(['phone', 'video', 'in-person', 'home-visit', 'written'], 'må være telefon, video, oppmøte, hjemmebesøk eller skriftlig'),
    successful: v.boolean('må være nådd eller ikke nådd'),
    note: note(2000),
  },
  'må være et objekt',
);
const closeSchema = v.strictObject(
  { reason: v.picklist(FOLLOW_UP_CLOSE_REASONS, 'er ikke en kjent årsak'), note: note(2000), version },
  'må være et objekt',
);
const updateSchema = v.strictObject({ version, owner: v.optional(v.nullable(practitioner)), dischargeDate: v.optional(isoDate) }, 'må være et objekt');
const triageSchema = v.strictObject(
  {
    id: clientId,
    episodeKey: v.pipe(v.string('må være tekst'), v.nonEmpty('kan ikke være tom'), v.maxLength(500, 'kan ha høyst 500 tegn')),
    action: v.picklist(['create', 'no-follow-up'], 'må være «create» eller «no-follow-up»'),
    reason: v.optional(v.picklist(TRIAGE_REASONS, 'er ikke en kjent årsak for ingen oppfølging')),
    owner: v.optional(practitioner),
    dischargeDate: v.optional(isoDate),
    note: note(2000),
  },
  'må være et objekt',
);
const undoSchema = v.strictObject({ id: clientId }, 'må være et objekt');
/** How long a triage can be undone (issue 17 item 14). */
const UNDO_MS = 10_000;
const gpTaskSchema = v.strictObject(
  {
    id: clientId,
    patientId: v.pipe(v.string('må være en pasient-id'), v.regex(FHIR_ID, 'må være en pasient-id')),
    assignee: practitioner,
    kind: v.picklist(['medication-review', 'assessment', 'other'], 'må være legemiddelvurdering, vurdering eller annet'),
    reason: v.pipe(v.string('må være tekst'), v.trim(), v.nonEmpty('kan ikke være tom'), v.maxLength(2000, 'kan ha høyst 2000 tegn')),
    due: v.optional(isoDate),
    followUpId: v.optional(clientId),
  },
  'må være et objekt',
);
const completeSchema = v.strictObject({ status: v.picklist(['done', 'not-needed'], 'må være utført eller ikke nødvendig'), answer: note(2000), version }, 'må være et objekt');

const parse = <S extends v.GenericSchema>(schema: S, input: unknown) => parseWith(schema, input, LABELS);

// ---------------------------------------------------------------------------------------------
// Roles (SPEC §1)

type Can = 'read-worklist' | 'triage' | 'contact' | 'ask-gp' | 'my-tasks' | 'deadlines';

const ALLOWED: Record<Can, (a: Actor) => boolean> = {
  'read-worklist': (a) => a.role === 'nurse' || a.role === 'gp' || a.role === 'secretary',
  triage: (a) => a.role === 'secretary' || a.role === 'nurse' || a.role === 'gp',
  contact: (a) => a.role === 'nurse' || a.role === 'gp',
  'ask-gp': (a) => a.role === 'nurse' || a.role === 'gp',
  'my-tasks': (a) => a.role === 'gp',
  deadlines: (a) => a.role === 'gp' && a.practiceManager,
};

const REFUSED: Record<Can, string> = {
  'read-worklist': 'Bare helsepersonell og helsesekretærer ved legekontoret kan se oppfølgingene.',
  triage: 'Bare helsepersonell og helsesekretærer ved legekontoret kan vurdere utskrivningsmeldinger.',
  contact: 'Bare sykepleiere og leger kan registrere kontakt med pasienten eller avslutte en oppfølging.',
  'ask-gp': 'Bare sykepleiere og leger kan gi en fastlege en oppgave.',
  'my-tasks': '«Mine oppgaver» er for fastleger.',
  deadlines: 'Bare daglig leder kan se fristoppfølgingen for praksisen.',
};

const REFUSAL_TEXT = {
  closed: 'Oppfølgingen er avsluttet, og det kan ikke registreres flere kontaktforsøk.',
  contacted: 'Pasienten er allerede kontaktet; oppfølgingen er fullført og kan ikke avsluttes med en årsak.',
  'closed-other-reason': 'Oppfølgingen er allerede avsluttet med en annen årsak.',
  'future-date': 'Utskrivningsdatoen er i fremtiden. Kontroller datoen.',
  'after-message': 'Utskrivningsdatoen er etter at meldingen kom. Kontroller datoen.',
} as const;

const CONFLICT = 'Oppfølgingen er endret av noen andre siden du åpnet den. Se hva som er lagret nå, og prøv igjen.';

/** How much of an epikrise the inbox table previews (issue 17 item 14). */
const PREVIEW_CHARS = 300;

function subjectOf(resource: Resource): string | undefined {
  if (resource.resourceType === 'DocumentReference' || resource.resourceType === 'Communication') return resource.subject?.reference;
  return undefined;
}

/** The plain text of an epikrise: a text attachment of a DocumentReference, or a Communication's payload. */
function epikriseText(resource: Resource): string | undefined {
  if (resource.resourceType === 'DocumentReference') {
    for (const content of resource.content) {
      const { contentType, data } = content.attachment;
      if (data && (contentType ?? 'text/plain').startsWith('text/')) {
        const decoded = Buffer.from(data, 'base64').toString('utf8').replace(/\s+/g, ' ').trim();
        if (decoded) return decoded;
      }
    }
  }
  if (resource.resourceType === 'Communication') {
    for (const p of resource.payload ?? []) if (p.contentString?.trim()) return p.contentString.replace(/\s+/g, ' ').trim();
  }
  return undefined;
}

export function followUpRoutes(deps: FollowUpDeps): Hono {
  const app = new Hono();
  const log = deps.log ?? (() => undefined);
  // When this process last swept each practice for a worklist (a nurse going back and forth between the
  // list and her patients must not make the server read every discharge each time).
  const lastSweep = new Map<string, number>();
  const who = roleCheck(deps.actor, ALLOWED, REFUSED);
  const shared = deps.discharges ? { discharges: deps.discharges } : {};
  const body = <S extends v.GenericSchema>(c: Context, schema: S) => jsonBody(c, (input) => parse(schema, input));

  function answer(c: Context, result: Change<FollowUp>) {
    if (result.ok) return c.json({ task: result.value, changed: result.changed });
    if (result.kind === 'not-found') return problem(c, 404, 'Fant ikke oppfølgingen.');
    if (result.kind === 'conflict') return problem(c, 409, CONFLICT, { current: result.current });
    return problem(c, 409, REFUSAL_TEXT[result.reason], { current: result.current, refused: result.reason });
  }

  async function episodesFor(c: Context, actor: Actor): Promise<{ episodes: Episodes; iss: string } | { response: Response }> {
    const epj = await deps.epj(c);
    if (!epj) return { response: problem(c, 403, 'Journalsystemet er ikke registrert for appen.') };
    try {
      return { episodes: await readEpisodes(deps.db, { practiceId: actor.practiceId, ...epj, ...shared }, deps.now()), iss: epj.iss };
    } catch (error) {
      log(`[follow-up] reading discharges failed: ${error instanceof Error ? error.message : String(error)}`);
      return { response: problem(c, 502, 'Får ikke hentet utskrivningsmeldinger fra journalsystemet. Prøv igjen om litt.') };
    }
  }

  const audit = (actor: Actor, what: string, rows: number, patientId?: string) =>
    appendAudit(deps.db, { practiceId: actor.practiceId, actor: actor.user, role: actor.role, action: 'read-list', what, rows, at: new Date(deps.now()), ...(patientId ? { patientId } : {}) });

  // The nurse's worklist: the open follow-ups (the browser sorts by its countdown). Opening it also runs the
  // sweep for this practice (SPEC §4: whoever sees a discharge first creates its task); when the EPJ cannot
  // be read the stored tasks are still shown, with a warning.
  app.get('/worklist', async (c) => {
    const r = await who(c, 'read-worklist');
    if ('response' in r) return r.response;
    const { actor } = r;
    let sweep: { created: number; failures: number } | { error: string } = { created: 0, failures: 0 };
    const epj = await deps.epj(c);
    try {
      if (!epj) throw new Error('ukjent EPJ');
      const key = `${actor.practiceId}\n${epj.iss}`;
      const last = lastSweep.get(key);
      if (last === undefined || deps.now() - last >= (deps.worklistSweepMs ?? 60_000)) {
        lastSweep.set(key, deps.now());
        const report = await sweepPractice(deps.db, { practiceId: actor.practiceId, ...epj, ...shared }, deps.now(), log);
        sweep = { created: report.created, failures: report.failures.length };
      }
    } catch (error) {
      log(`[follow-up] worklist sweep failed: ${error instanceof Error ? error.message : String(error)}`);
      sweep = { error: 'Fikk ikke sjekket journalsystemet for nye utskrivninger; listen viser oppgavene som er lagret.' };
    }
    const tasks = await listFollowUps(deps.db, actor.practiceId, { open: true });
    await audit(actor, 'follow-up worklist', tasks.length);
    return c.json({ tasks, sweep });
  });

  // Name, phone and next of kin of the listed patients (worklist, «Mine oppgaver», the follow-up section),
  // read by the server by capability: the browser never reads the EPJ for them.
  app.get('/patient-displays', async (c) => {
    const r = await who(c, 'read-worklist');
    if ('response' in r) return r.response;
    const ids = (c.req.query('ids') ?? '').split(',').filter((id) => id !== '');
    if (ids.length === 0 || ids.length > 500 || !ids.every((id) => FHIR_ID.test(id))) return problem(c, 400, 'Pasienter: må være 1 til 500 pasient-id-er, kommaseparert.', { field: 'ids' });
    const epj = await deps.epj(c);
    if (!epj) return problem(c, 403, 'Journalsystemet er ikke registrert for appen.');
    try {
      const read = await readPatientDisplays(epj.get, epj.iss, ids, epj.plan ? await epj.plan() : READ_EVERYTHING);
      await audit(r.actor, 'pasientopplysninger for oppfølging', read.patients.length);
      return c.json(read);
    } catch (error) {
      log(`[follow-up] patient displays failed: ${error instanceof Error ? error.message : String(error)}`);
      return problem(c, 502, 'Fikk ikke hentet pasientopplysningene fra journalsystemet. Prøv igjen.');
    }
  });

  app.get('/patients/:patientId', async (c) => {
    const r = await who(c, 'read-worklist');
    if ('response' in r) return r.response;
    const patientId = c.req.param('patientId');
    if (!FHIR_ID.test(patientId)) return problem(c, 400, 'Pasient: ugyldig pasient-id.', { field: 'patientId' });
    const tasks = await listFollowUps(deps.db, r.actor.practiceId, { patientId });
    return c.json({ tasks });
  });

  app.get('/tasks/:id', async (c) => {
    const r = await who(c, 'read-worklist');
    if ('response' in r) return r.response;
    const task = await getFollowUp(deps.db, r.actor.practiceId, c.req.param('id'));
    return task ? c.json({ task }) : problem(c, 404, 'Fant ikke oppfølgingen.');
  });

  app.post('/tasks/:id/attempts', async (c) => {
    const r = await who(c, 'contact');
    if ('response' in r) return r.response;
    const b = await body(c, attemptSchema);
    if ('response' in b) return b.response;
    if (Date.parse(b.value.at) > deps.now() + 5 * 60_000) return problem(c, 400, 'Tidspunkt: kan ikke være i fremtiden', { field: 'at' });
    const { note: n, ...rest } = b.value;
    return answer(c, await addAttempt(deps.db, r.actor.practiceId, c.req.param('id'), { ...rest, ...(n ? { note: n } : {}) }, r.actor.user, new Date(deps.now())));
  });

  app.post('/tasks/:id/close', async (c) => {
    const r = await who(c, 'triage');
    if ('response' in r) return r.response;
    const b = await body(c, closeSchema);
    if ('response' in b) return b.response;
    // The secretary triages (no follow-up needed); the clinical reasons are the nurse's and the GP's.
    if (r.actor.role === 'secretary' && !(TRIAGE_REASONS as readonly string[]).includes(b.value.reason)) return problem(c, 403, REFUSED.contact);
    const { note: n, ...rest } = b.value;
    return answer(c, await closeFollowUp(deps.db, r.actor.practiceId, c.req.param('id'), { ...rest, ...(n ? { note: n } : {}) }, r.actor.user, new Date(deps.now())));
  });

  app.patch('/tasks/:id', async (c) => {
    const r = await who(c, 'triage');
    if ('response' in r) return r.response;
    const b = await body(c, updateSchema);
    if ('response' in b) return b.response;
    const calendar = calendarOf((await getSettings(deps.db, r.actor.practiceId)).settings);
    return answer(c, await updateFollowUp(deps.db, r.actor.practiceId, c.req.param('id'), b.value, r.actor.user, new Date(deps.now()), calendar));
  });

  // The secretary's inbox: every discharge episode of the look-back window, with the patient (name, birth
  // date, phone), whether the patient is in a target group (the secretary gets no group names: issue 17
  // item 7), the task if there is one, and SPEC §4's decision. Automatic tasks are created first.
  app.get('/inbox', async (c) => {
    const r = await who(c, 'triage');
    if ('response' in r) return r.response;
    const { actor } = r;
    const read = await episodesFor(c, actor);
    if ('response' in read) return read.response;
    await createAutomatic(deps.db, { practiceId: actor.practiceId, iss: read.iss }, read.episodes, deps.now());
    const { episodes } = read;
    const taskIds = [...new Set(episodes.taskOf.values())];
    const tasks = new Map((await listFollowUps(deps.db, actor.practiceId, { ids: taskIds })).map((t) => [t.id, t] as const));
    const clinical = actor.role !== 'secretary';
    const rows = episodes.episodes.map((e) => {
      const patient = e.patientId ? episodes.patients.get(e.patientId) : undefined;
      const target = e.patientId ? episodes.target.get(e.patientId) : undefined;
      const taskId = episodes.taskOf.get(e.key);
      const task = taskId ? tasks.get(taskId) : undefined;
      return {
        key: e.key,
        patientId: e.patientId ?? null,
        patient: patient ? { name: patient.name, birthDate: patient.birthDate ?? null, phone: patient.phone ?? null, gpId: patient.gpId ?? null } : null,
        institution: { id: e.institution.id ?? null, name: e.institution.name ?? null },
        dischargeDate: task?.dischargeDate ?? e.dischargeDate ?? null,
        messageDate: e.messageDate ? osloDate(e.messageDate) : null,
        deadline: task?.deadline ?? e.deadline ?? null,
        summaryRef: e.summaryRef ?? null,
        inTargetGroup: target ? target.status !== 'none' : false,
        ...(clinical ? { targetGroups: target?.groups ?? [] } : {}),
        decision: decisionOf(episodes, e),
        task: task ?? null,
        warnings: e.warnings,
        errors: e.errors,
      };
    });
    rows.sort((a, b) => ((b.dischargeDate ?? b.messageDate ?? '9999') < (a.dischargeDate ?? a.messageDate ?? '9999') ? -1 : 1) || (a.key < b.key ? -1 : 1));
    await audit(actor, 'follow-up inbox', rows.length);
    return c.json({ today: episodes.today, rows });
  });

  // Triage of one message: create its follow-up task (also outside the target groups, SPEC §4), or record
  // «no follow-up needed» as a closed task so the message leaves every inbox. The episode is read again
  // from the EPJ: the browser names it, it does not describe it.
  app.post('/inbox/triage', async (c) => {
    const r = await who(c, 'triage');
    if ('response' in r) return r.response;
    const b = await body(c, triageSchema);
    if ('response' in b) return b.response;
    const { actor } = r;
    const input = b.value;
    const read = await episodesFor(c, actor);
    if ('response' in read) return read.response;
    const { episodes, iss } = read;
    const episode = episodes.episodes.find((e) => e.key === input.episodeKey);
    if (!episode) return problem(c, 404, 'Fant ikke utskrivningsmeldingen i journalsystemet. Last inn innboksen på nytt.', { field: 'episodeKey' });
    if (!episode.patientId || episode.errors.length > 0) return problem(c, 409, `Kan ikke lage oppgave for denne meldingen: ${episode.errors.join('; ') || 'pasienten mangler'}.`);
    let dischargeDate = episode.dischargeDate;
    let deadline = episode.deadline;
    if (input.dischargeDate !== undefined && input.dischargeDate !== episode.dischargeDate) {
      if (input.dischargeDate > episodes.today) return problem(c, 400, 'Utskrivningsdato: kan ikke være i fremtiden', { field: 'dischargeDate' });
      if (episode.messageDate && input.dischargeDate > osloDate(episode.messageDate)) return problem(c, 400, 'Utskrivningsdato: kan ikke være etter at meldingen kom', { field: 'dischargeDate' });
      dischargeDate = input.dischargeDate;
      deadline = followUpDeadline(input.dischargeDate, episodes.calendar);
    }
    if (!deadline) return problem(c, 409, 'Fristen kan ikke beregnes for denne meldingen.');
    const now = new Date(deps.now());
    const ensured = await ensureFollowUp(deps.db, actor.practiceId, {
      id: input.id,
      iss,
      patientId: episode.patientId,
      episodeKey: episode.key,
      institution: episode.institution,
      ...(dischargeDate ? { dischargeDate } : {}),
      dischargeDateConfirmed: dischargeDate !== undefined && dischargeDate !== episode.dischargeDate,
      ...(episode.messageDate ? { messageDate: osloDate(episode.messageDate) } : {}),
      ...(episode.summaryRef ? { summaryRef: episode.summaryRef } : {}),
      deadline,
      signals: signalKeys(episode),
      ...(input.owner ? { owner: input.owner } : {}),
      createdBy: actor.user,
      at: now,
    });
    let task = ensured.task;
    if (!ensured.created && ((input.owner && input.owner !== task.owner) || (dischargeDate && dischargeDate !== task.dischargeDate))) {
      const changed = await updateFollowUp(
        deps.db,
        actor.practiceId,
        task.id,
        { version: task.version, ...(input.owner ? { owner: input.owner } : {}), ...(dischargeDate && dischargeDate !== task.dischargeDate ? { dischargeDate } : {}) },
        actor.user,
        now,
        calendarOf(episodes.settings),
      );
      if (!changed.ok) return answer(c, changed);
      task = changed.value;
    }
    if (input.action === 'no-follow-up' && (task.status === 'new' || task.status === 'attempted')) {
      const closed = await closeFollowUp(deps.db, actor.practiceId, task.id, { reason: input.reason ?? 'no-follow-up-needed', version: task.version, ...(input.note ? { note: input.note } : {}) }, actor.user, now);
      if (!closed.ok) return answer(c, closed);
      task = closed.value;
    }
    return c.json({ task, created: ensured.created }, ensured.created ? 201 : 200);
  });

  // The preview of one message's epikrise in the inbox table (issue 17 item 14): what the triage needs and
  // no more, the first PREVIEW_CHARS characters of its text (the letter's opening: who, where, when, why).
  // The server reads it with its own token and checks it belongs to the patient; the browser never
  // reads the document itself. Logged like every read of patient data.
  app.get('/inbox/preview', async (c) => {
    const r = await who(c, 'triage');
    if ('response' in r) return r.response;
    const ref = /^(DocumentReference|Communication)\/([A-Za-z0-9\-.]{1,64})$/.exec(c.req.query('ref') ?? '');
    if (!ref?.[1] || !ref[2]) return problem(c, 400, 'Epikrise: må være DocumentReference/<id> eller Communication/<id>.', { field: 'ref' });
    const patientId = c.req.query('patientId') ?? '';
    if (!FHIR_ID.test(patientId)) return problem(c, 400, 'Pasient: ugyldig pasient-id.', { field: 'patientId' });
    const epj = await deps.epj(c);
    if (!epj) return problem(c, 403, 'Journalsystemet er ikke registrert for appen.');
    let found: Resource[];
    try {
      found = await searchAll(epj.get, epj.iss, ref[1], { _id: ref[2] });
    } catch (error) {
      log(`[follow-up] reading an epikrise failed: ${error instanceof Error ? error.message : String(error)}`);
      return problem(c, 502, 'Får ikke hentet epikrisen fra journalsystemet. Prøv igjen om litt.');
    }
    const resource = found.find((x) => x.resourceType === ref[1] && x.id === ref[2]);
    if (!resource || subjectOf(resource) !== `Patient/${patientId}`) return problem(c, 404, 'Fant ikke epikrisen for denne pasienten.');
    const text = epikriseText(resource);
    await appendAudit(deps.db, { practiceId: r.actor.practiceId, actor: r.actor.user, role: r.actor.role, action: 'read', what: `epikrise preview ${ref[0]}`, patientId, at: new Date(deps.now()) });
    if (!text) return c.json({ preview: null, truncated: false });
    return c.json({ preview: text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS).trimEnd()} …` : text, truncated: text.length > PREVIEW_CHARS });
  });

  // Undo of the user's last triage within 10 s (issue 17 item 14): the task that triage created (and, for
  // «ingen oppfølging», closed) is deleted with its signals and its journal note still in the queue, so the
  // message is back in every inbox. Only the user's own latest triage, only while nobody has worked on
  // the task and its note has not reached the journal. Idempotent: undoing an undone triage answers the same.
  app.post('/inbox/triage/undo', async (c) => {
    const r = await who(c, 'triage');
    if ('response' in r) return r.response;
    const b = await body(c, undoSchema);
    if ('response' in b) return b.response;
    const { actor } = r;
    const { id } = b.value;
    const what = `follow-up triage ${id}`;
    const now = new Date(deps.now());
    const result = await deps.db.transaction().execute(async (tx): Promise<{ status: 200 | 403 | 404 | 409; message?: string }> => {
      const undone = await tx.selectFrom('audit_log').select('id').where('practice_id', '=', actor.practiceId).where('action', '=', 'undo-triage').where('what', '=', what).where('actor', '=', actor.user).executeTakeFirst();
      if (undone) return { status: 200 };
      const task = await tx.selectFrom('follow_up_task').select(['id', 'created_by', 'created_at', 'status', 'closed_by', 'patient_id']).where('practice_id', '=', actor.practiceId).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!task) return { status: 404, message: 'Fant ikke vurderingen som skulle angres.' };
      if (task.created_by !== actor.user) return { status: 403, message: 'Du kan bare angre din egen siste vurdering.' };
      if (deps.now() - task.created_at.getTime() > UNDO_MS) return { status: 409, message: 'Det er gått mer enn 10 sekunder siden vurderingen, så den kan ikke angres lenger. Endre oppgaven i arbeidslisten i stedet.' };
      const latest = await tx.selectFrom('follow_up_task').select('id').where('practice_id', '=', actor.practiceId).where('created_by', '=', actor.user).orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
      if (latest?.id !== id) return { status: 409, message: 'Bare den siste vurderingen din kan angres.' };
      const untouched = task.status === 'new' || (task.status === 'closed' && task.closed_by === actor.user);
      const asked = await tx.selectFrom('gp_task').select('id').where('practice_id', '=', actor.practiceId).where('follow_up_id', '=', id).executeTakeFirst();
      if (!untouched || asked) return { status: 409, message: 'Oppgaven er allerede tatt i bruk av teamet og kan ikke angres.' };
      const source = `follow-up/${id}`;
      const sent = await tx.selectFrom('write_back').select('key').where('practice_id', '=', actor.practiceId).where('source', '=', source).where('state', '!=', 'pending').executeTakeFirst();
      if (sent) return { status: 409, message: 'Journalnotatet er allerede skrevet til journalen, så vurderingen kan ikke angres.' };
      await tx.deleteFrom('write_back').where('practice_id', '=', actor.practiceId).where('source', '=', source).execute();
      await tx.deleteFrom('follow_up_task').where('practice_id', '=', actor.practiceId).where('id', '=', id).execute();
      await appendAudit(tx, { practiceId: actor.practiceId, actor: actor.user, role: actor.role, action: 'undo-triage', what, patientId: task.patient_id, at: now });
      return { status: 200 };
    });
    return result.status === 200 ? c.json({ undone: id }) : problem(c, result.status, result.message ?? '');
  });

  // «Mine oppgaver»: the tasks assigned to the GP (open first; ?status=all adds the answered ones).
  app.get('/gp-tasks/mine', async (c) => {
    const r = await who(c, 'my-tasks');
    if ('response' in r) return r.response;
    const tasks = await listGpTasks(deps.db, r.actor.practiceId, { assignee: r.actor.user, status: c.req.query('status') === 'all' ? 'all' : 'open' });
    await audit(r.actor, 'gp tasks mine', tasks.length);
    return c.json({ tasks });
  });

  app.post('/gp-tasks', async (c) => {
    const r = await who(c, 'ask-gp');
    if ('response' in r) return r.response;
    const b = await body(c, gpTaskSchema);
    if ('response' in b) return b.response;
    const { due, followUpId, ...rest } = b.value;
    const result = await createGpTask(deps.db, r.actor.practiceId, { ...rest, ...(due ? { due } : {}), ...(followUpId ? { followUpId } : {}) }, r.actor.user, new Date(deps.now()));
    if (!result.ok) {
      return result.kind === 'id-taken'
        ? problem(c, 409, 'Id: er allerede brukt for en annen oppgave', { field: 'id' })
        : problem(c, 400, 'Oppfølging: finnes ikke for denne pasienten', { field: 'followUpId' });
    }
    return c.json({ task: result.value, created: result.created }, result.created ? 201 : 200);
  });

  app.post('/gp-tasks/:id/complete', async (c) => {
    const r = await who(c, 'my-tasks');
    if ('response' in r) return r.response;
    const b = await body(c, completeSchema);
    if ('response' in b) return b.response;
    const { answer: text, ...rest } = b.value;
    const result = await completeGpTask(deps.db, r.actor.practiceId, c.req.param('id'), { ...rest, ...(text ? { answer: text } : {}) }, r.actor.user, new Date(deps.now()));
    if (result.ok) return c.json({ task: result.value, changed: result.changed });
    if (result.kind === 'not-found') return problem(c, 404, 'Fant ikke oppgaven.');
    if (result.kind === 'not-assignee') return problem(c, 403, 'Bare fastlegen oppgaven er gitt til kan svare på den.');
    return problem(c, 409, 'Oppgaven er endret siden du åpnet den. Se hva som er lagret nå, og prøv igjen.', 'current' in result ? { current: result.current } : {});
  });

  // The daglig leder's deadline compliance (SPEC §7) for a period of deadlines, and what is overdue now
  // whatever the period (issue 17 item 2). `asOf` defaults to today in Oslo.
  app.get('/deadlines', async (c) => {
    const r = await who(c, 'deadlines');
    if ('response' in r) return r.response;
    const q = parse(v.strictObject({ from: isoDate, to: isoDate, asOf: v.optional(isoDate) }, 'må være et objekt'), c.req.query());
    if (!q.ok) return problem(c, 400, q.message.replace(/^(from|to|asOf|Feltet «(from|to|asOf)»)/, (m) => ({ from: 'Fra', to: 'Til', asOf: 'Per dato' })[m] ?? m), { field: q.field });
    const { from, to } = q.value;
    if (from > to) return problem(c, 400, 'Til: kan ikke være før fra-datoen', { field: 'to' });
    const asOf = q.value.asOf ?? osloDate(new Date(deps.now()).toISOString());
    const calendar = calendarOf((await getSettings(deps.db, r.actor.practiceId)).settings);
    const [inPeriod, open] = await Promise.all([listFollowUps(deps.db, r.actor.practiceId, { deadlineFrom: from, deadlineTo: to }), listFollowUps(deps.db, r.actor.practiceId, { open: true, deadlineTo: asOf })]);
    const domain = (t: FollowUp) => ({
      id: t.id,
      deadline: t.deadline,
      attempts: t.attempts.map((a) => ({ at: a.at, channel: a.channel, by: a.by, successful: a.successful })),
      ...(t.closure ? { closure: { reason: t.closure.reason, at: t.closure.at, by: t.closure.by } } : {}),
      ...(t.owner ? { owner: t.owner } : {}),
    });
    const figures = deadlineCompliance(inPeriod.map(domain), { from, to }, asOf);
    const row = (t: FollowUp) => ({ taskId: t.id, patientId: t.patientId, deadline: t.deadline, owner: t.owner, closeReason: t.closure?.reason ?? null, firstContact: t.attempts.find((a) => a.successful)?.at ?? null });
    const classed = inPeriod.map((t) => ({ t, cls: complianceClass(domain(t), asOf) }));
    const overdue = overdueNow(open.map((t) => ({ ...domain(t), task: t })), asOf, calendar).map((o) => ({ ...row(o.task.task), workingDaysOverdue: o.workingDaysOverdue }));
    await audit(r.actor, `follow-up deadlines ${from}..${to}`, inPeriod.length);
    // The tasks in the domain's shape (src/domain/followUp FollowUpTask; bare practitioner ids), for the
    // manager's own figures (evaluation export) computed in the browser from the same rules.
    const bare = (ref: string) => ref.replace(/^Practitioner\//, '');
    const seen = new Set<string>();
    const tasks = [...inPeriod, ...open]
      .filter((t) => !seen.has(t.id) && (seen.add(t.id), true))
      .map((t) => ({
        id: t.id,
        patientId: t.patientId,
        dischargeKey: t.episodeKey,
        ...(t.dischargeDate ? { dischargeDate: t.dischargeDate } : {}),
        deadline: t.deadline,
        status: t.status,
        ...(t.owner ? { owner: bare(t.owner) } : {}),
        attempts: t.attempts.map((a) => ({ at: a.at, channel: a.channel, by: bare(a.by), successful: a.successful, ...(a.note ? { note: a.note } : {}) })),
        ...(t.closure ? { closure: { reason: t.closure.reason, at: t.closure.at, by: bare(t.closure.by), ...(t.closure.note ? { note: t.closure.note } : {}) } } : {}),
        createdAt: t.createdAt,
        needsGp: t.gpTasks.length > 0,
      }));
    return c.json({
      tasks,
      figures,
      late: classed.filter((x) => x.cls === 'late').map((x) => row(x.t)),
      missed: classed.filter((x) => x.cls === 'missed').map((x) => row(x.t)),
      overdueNow: overdue,
    });
  });

  return app;
}

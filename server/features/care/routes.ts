// /api/care (issue 17 items 16-19; seed ch. 4.3 and 5): care plans with goals (GP or nurse: create, review,
// end; each queues a journal note in the same transaction), the medication review followed through (the need
// makes a task for the GP until the review is recorded as done), the yearly check and recall list (patients of
// the practice's recall groups read from the EPJ with the server's own token; the secretary sees who is due
// and the recall state, not the groups), and the individual plan (IP). Bodies are parsed at the edge (valibot;
// 400 naming the field, nothing stored); each call is authorised by role (SPEC §1; 403); new records carry the
// client's id (a retry gives the same answer); every change and every read of a patient's care is audited.
import type { Condition, Patient, Practitioner } from '@medplum/fhirtypes';
import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import * as v from 'valibot';
import { osloDate } from '../../../src/domain/calendar';
import {
  IP_CHANNEL_LABELS,
  IP_REPORT_CHANNELS,
  RECALL_GROUPS,
  RECALL_GROUP_LABELS,
  RECALL_STATE_LABELS,
  ipStage,
  needsCarePlan,
  recallGroupsOf,
  recallStatus,
  type RecallGroup,
} from '../../../src/domain/care';
import type { CarePlanView } from '../../../src/domain/careViews';
import type { Database } from '../../db/schema';
import type { Actor, ResolveActor } from '../../epj/actor';
import { journalNote } from '../../epj/journalNote';
import { searchAll, type EpjGet } from '../../epj/targetGroups';
import { enqueueWriteBack, journalStates } from '../../epj/writeBack';
import { clientId, FHIR_ID, isoDate, optionalText, practitioner, version } from '../../http/fields';
import { jsonBody, parseWith, problem, roleCheck } from '../../http/json';
import { appendAudit } from '../audit/store';
import {
  addRecallEvent,
  careRecords,
  completeMedicationReview,
  createPlan,
  endPlan,
  getIp,
  getRecallGroups,
  listPlans,
  listTasks,
  medicationAssessments,
  openCareTasksFor,
  recallEvents,
  recordIpNeed,
  recordMedicationAssessment,
  recordMedicationReviewNeed,
  reviewPlan,
  saveRecallGroups,
  updateIp,
  type CarePlan,
} from './store';

export interface CareDeps {
  db: Kysely<Database>;
  actor: ResolveActor;
  /** The EPJ of the request's launch, read with the server's own token; undefined when not registered. */
  epj: (c: Context) => Promise<{ iss: string; get: EpjGet } | undefined>;
  now: () => number;
  /**
   * Called after a change that moves a marker (a care plan made or ended, a medication review's need, answer or
   * assessment): the composition root re-classifies the patient's stored target-group result, so the list
   * overview and the panel agree at once. Errors are logged by the caller and do not fail the change.
   */
  onChanged?: (practiceId: string, patientId: string) => Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Parsing

const LABELS: Record<string, string> = {
  id: 'Id',
  condition: 'Sykdom',
  goals: 'Behandlingsmål',
  date: 'Dato',
  note: 'Notat',
  version: 'Versjon',
  reason: 'Begrunnelse',
  assignee: 'Fastlege',
  groups: 'Grupper',
  state: 'Status',
  how: 'Hvordan',
  name: 'Koordinator',
  needed: 'Behov',
  due: 'Frist',
  status: 'Svar',
};

const text = (max: number) => v.pipe(v.string('må være tekst'), v.trim(), v.nonEmpty('kan ikke være tom'), v.maxLength(max, `kan ha høyst ${max} tegn`));

const planSchema = v.strictObject(
  {
    id: clientId,
    condition: v.picklist(['diabetes', 'kols'], 'må være diabetes eller KOLS'),
    goals: v.pipe(
      v.array(text(500), 'må være en liste med mål'),
      v.minLength(1, 'må ha minst ett mål'),
      v.maxLength(20, 'kan ha høyst 20 mål'),
    ),
  },
  'må være et objekt',
);
const reviewSchema = v.strictObject({ id: clientId, date: isoDate, note: text(4000) }, 'må være et objekt');
const endSchema = v.strictObject({ date: isoDate, note: optionalText(2000), version }, 'må være et objekt');
// Without `assignee` the task goes to the patient's GP (Patient.generalPractitioner in the EPJ). `needed: false`
// records the assessment «ikke behov nå» instead (no task; `reason` is then an optional note).
const needSchema = v.strictObject(
  { id: clientId, needed: v.optional(v.boolean('må være sann eller usann')), assignee: v.optional(practitioner), reason: optionalText(2000), due: v.optional(isoDate) },
  'må være et objekt',
);
const doneSchema = v.strictObject(
  { date: isoDate, note: optionalText(2000), status: v.optional(v.picklist(['done', 'not-needed'], 'må være utført eller ikke nødvendig')) },
  'må være et objekt',
);
const groupsSchema = v.strictObject(
  { groups: v.pipe(v.array(v.picklist(RECALL_GROUPS, 'er ikke en kjent gruppe'), 'må være en liste'), v.check((g) => new Set(g).size === g.length, 'har en gruppe to ganger')) },
  'må være et objekt',
);
const recallSchema = v.strictObject({ id: clientId, state: v.picklist(['called', 'booked', 'done'], 'må være innkalt, time bestilt eller gjennomført'), date: isoDate }, 'må være et objekt');
const ipNeedSchema = v.strictObject({ id: clientId, date: isoDate }, 'må være et objekt');
const ipReportSchema = v.strictObject({ date: isoDate, how: v.picklist(IP_REPORT_CHANNELS, 'må være elektronisk melding, brev, telefon eller møte'), version }, 'må være et objekt');
const ipCoordinatorSchema = v.strictObject({ name: text(200), date: isoDate, version }, 'må være et objekt');

// ---------------------------------------------------------------------------------------------
// Roles (SPEC §1)

type Can = 'clinical' | 'my-tasks' | 'indicators' | 'recall' | 'recall-book' | 'recall-settings';

const ALLOWED: Record<Can, (a: Actor) => boolean> = {
  clinical: (a) => a.role === 'gp' || a.role === 'nurse',
  'my-tasks': (a) => a.role === 'gp',
  indicators: (a) => a.practiceManager,
  recall: (a) => a.role === 'gp' || a.role === 'nurse' || a.role === 'secretary',
  'recall-book': (a) => a.role === 'gp' || a.role === 'nurse' || a.role === 'secretary',
  'recall-settings': (a) => a.role === 'gp' && a.practiceManager,
};

const REFUSED: Record<Can, string> = {
  clinical: 'Bare leger og sykepleiere kan se og endre behandlingsplaner, legemiddelgjennomganger og individuell plan.',
  'my-tasks': '«Mine oppgaver» er for fastleger.',
  indicators: 'Bare daglig leder kan se kvalitetsindikatorene.',
  recall: 'Bare helsepersonell og helsesekretærer ved legekontoret kan se innkallingslisten.',
  'recall-book': 'Bare helsepersonell og helsesekretærer ved legekontoret kan registrere innkalling og timebestilling.',
  'recall-settings': 'Bare daglig leder kan endre hvilke grupper som kalles inn til årskontroll.',
};

const CONDITION_LABEL = { diabetes: 'diabetes', kols: 'KOLS' } as const;

const noEpj = (c: Context) => problem(c, 502, 'Journalsystemet er ikke tilgjengelig for appen. Prøv igjen om litt.');
const futureDate = (c: Context) => problem(c, 400, 'Dato: kan ikke være i fremtiden', { field: 'date' });

export function careRoutes(deps: CareDeps): Hono {
  const app = new Hono();
  const who = roleCheck(deps.actor, ALLOWED, REFUSED);
  const body = <S extends v.GenericSchema>(c: Context, schema: S) => jsonBody(c, (input) => parseWith(schema, input, LABELS));

  /** The actor allowed to `can` and the patient of the address, or the answer (403, or 400 for a bad patient id). */
  async function whoFor(c: Context, can: Can): Promise<{ actor: Actor; patientId: string } | { response: Response }> {
    const r = await who(c, can);
    if ('response' in r) return r;
    const patientId = c.req.param('patientId') ?? '';
    if (!FHIR_ID.test(patientId)) return { response: problem(c, 400, 'Pasient: ugyldig id', { field: 'patientId' }) };
    return { actor: r.actor, patientId };
  }

  /** A clinical record of a date: the actor, the body and now; or the answer (403, 415/400, 400 for a date after today). */
  async function datedBody<S extends v.GenericSchema<unknown, { date: string }>>(c: Context, schema: S): Promise<{ actor: Actor; value: v.InferOutput<S>; at: Date } | { response: Response }> {
    const r = await who(c, 'clinical');
    if ('response' in r) return r;
    const b = await body(c, schema);
    if ('response' in b) return b;
    const at = new Date(deps.now());
    if (b.value.date > osloDate(at.toISOString())) return { response: futureDate(c) };
    return { actor: r.actor, value: b.value, at };
  }

  /** Queues the journal note of a change (in the change's transaction); its id is the source with '-' for '/'. */
  const noteToJournal = (tx: Kysely<Database>, actor: Actor, note: { iss: string; patientId: string; source: string; at: Date; title: string; text: string }) =>
    enqueueWriteBack(tx, {
      practiceId: actor.practiceId,
      iss: note.iss,
      patientId: note.patientId,
      source: note.source,
      at: note.at,
      resource: journalNote({ id: note.source.replace('/', '-'), patientId: note.patientId, author: actor.user, date: note.at.toISOString(), title: note.title, text: note.text }),
    });

  /** The EPJ the care plan or task was made in (care_plan or care_task). */
  const issOf = async (tx: Kysely<Database>, table: 'care_plan' | 'care_task', practiceId: string, id: string) =>
    (await tx.selectFrom(table).select('iss').where('practice_id', '=', practiceId).where('id', '=', id).executeTakeFirstOrThrow()).iss;

  /** Which of diabetes/KOLS the EPJ lists as active conditions of the patient (undefined: no EPJ to ask). */
  async function carePlanDiseases(c: Context, patientId: string): Promise<{ iss: string; diseases: RecallGroup[] } | undefined> {
    const epj = await deps.epj(c);
    if (!epj) return undefined;
    const conditions = (await searchAll(epj.get, epj.iss, 'Condition', { patient: `Patient/${patientId}`, _count: '1000' })) as Condition[];
    const codings = conditions.filter((x) => activeCondition(x)).flatMap((x) => x.code?.coding ?? []);
    return { iss: epj.iss, diseases: recallGroupsOf(codings, ['diabetes', 'kols']) };
  }

  /** Tells the composition root a marker may have moved; a failure there does not fail the change. */
  async function changed(practiceId: string, patientId: string): Promise<void> {
    await deps.onChanged?.(practiceId, patientId).catch(() => undefined);
  }

  async function planView(plans: CarePlan[], practiceId: string): Promise<CarePlanView[]> {
    const states = await journalStates(deps.db, practiceId, plans.flatMap((p) => [`care-plan/${p.id}`, ...p.reviews.map((r) => `care-plan-review/${r.id}`), ...(p.status === 'ended' ? [`care-plan-end/${p.id}`] : [])]));
    return plans.map((p) => ({
      ...p,
      journal: states.get(`care-plan/${p.id}`) ?? null,
      endJournal: p.status === 'ended' ? (states.get(`care-plan-end/${p.id}`) ?? null) : null,
      reviews: p.reviews.map((r) => ({ ...r, journal: states.get(`care-plan-review/${r.id}`) ?? null })),
    }));
  }

  // The patient's care: plans, medication review tasks, the IP, and whether a care plan is needed.
  app.get('/patients/:patientId', async (c) => {
    const r = await whoFor(c, 'clinical');
    if ('response' in r) return r.response;
    const { patientId } = r;
    const { actor } = r;
    // The EPJ's diagnoses are read while the app's own records are (one wait, not two in a row).
    const reading = carePlanDiseases(c, patientId).catch(() => undefined);
    const plans = await listPlans(deps.db, actor.practiceId, patientId);
    const tasks = await listTasks(deps.db, actor.practiceId, patientId);
    const ip = await getIp(deps.db, actor.practiceId, patientId);
    const assessments = await medicationAssessments(deps.db, actor.practiceId, patientId);
    const read = await reading;
    const at = new Date(deps.now());
    await appendAudit(deps.db, { practiceId: actor.practiceId, actor: actor.user, role: actor.role, patientId, action: 'read', what: 'behandlingsplan, legemiddelgjennomgang, IP', at });
    const taskStates = await journalStates(deps.db, actor.practiceId, [...tasks.map((t) => `care-task/${t.id}`), ...assessments.map((a) => `care-assessment/${a.id}`)]);
    return c.json({
      patientId,
      carePlanDiseases: read?.diseases ?? null,
      needsCarePlan: read ? needsCarePlan(read.diseases.length > 0, plans) : null,
      plans: await planView(plans, actor.practiceId),
      tasks: tasks.map((t) => ({ ...t, journal: taskStates.get(`care-task/${t.id}`) ?? null })),
      medicationReviewOpen: tasks.some((t) => t.status === 'open'),
      medicationAssessments: assessments.map((a) => ({ ...a, journal: taskStates.get(`care-assessment/${a.id}`) ?? null })),
      ip: ip ? { ...ip, stage: ipStage(ip) } : null,
    });
  });

  app.post('/patients/:patientId/plans', async (c) => {
    const r = await whoFor(c, 'clinical');
    if ('response' in r) return r.response;
    const { patientId } = r;
    const b = await body(c, planSchema);
    if ('response' in b) return b.response;
    const { actor } = r;
    let read: Awaited<ReturnType<typeof carePlanDiseases>>;
    try {
      read = await carePlanDiseases(c, patientId);
    } catch {
      return problem(c, 502, 'Fikk ikke lest pasientens diagnoser fra journalen. Prøv igjen om litt.');
    }
    if (!read) return noEpj(c);
    if (!read.diseases.includes(b.value.condition)) {
      return problem(c, 409, `Pasienten har ikke ${CONDITION_LABEL[b.value.condition]} som aktiv diagnose i journalen. Behandlingsplan her gjelder diabetes og KOLS.`, { field: 'condition' });
    }
    const at = new Date(deps.now());
    const result = await deps.db.transaction().execute(async (tx) => {
      const w = await createPlan(tx, { practiceId: actor.practiceId, iss: read.iss, id: b.value.id, patientId, condition: b.value.condition, goals: b.value.goals, by: actor.user, at });
      if (w.ok && w.created) {
        const lines = b.value.goals.map((g, i) => `${i + 1}. ${g}`).join('\n');
        await noteToJournal(tx, actor, {
          iss: read.iss,
          patientId,
          source: `care-plan/${w.plan.id}`,
          at,
          title: `Behandlingsplan (${CONDITION_LABEL[b.value.condition]}) opprettet`,
          text: `Behandlingsplan for ${CONDITION_LABEL[b.value.condition]} opprettet.\nBehandlingsmål:\n${lines}`,
        });
        await appendAudit(tx, { practiceId: actor.practiceId, actor: actor.user, role: actor.role, patientId, action: 'assess', what: `behandlingsplan ${w.plan.id} opprettet`, at });
      }
      return w;
    });
    if (!result.ok) {
      if (result.reason === 'active-exists') return problem(c, 409, `Pasienten har allerede en aktiv behandlingsplan for ${CONDITION_LABEL[b.value.condition]}. Evaluer eller avslutt den først.`, { current: result.plan });
      return problem(c, 409, 'Denne id-en er brukt for en annen pasient.');
    }
    if (result.created) await changed(actor.practiceId, patientId);
    return c.json((await planView([result.plan], actor.practiceId))[0], result.created ? 201 : 200);
  });

  app.post('/plans/:planId/reviews', async (c) => {
    const b = await datedBody(c, reviewSchema);
    if ('response' in b) return b.response;
    const { actor, at } = b;
    const planId = c.req.param('planId');
    const result = await deps.db.transaction().execute(async (tx) => {
      const w = await reviewPlan(tx, { practiceId: actor.practiceId, planId, id: b.value.id, reviewedOn: b.value.date, note: b.value.note, by: actor.user, at });
      if (w.ok && w.created) {
        await noteToJournal(tx, actor, {
          iss: await issOf(tx, 'care_plan', actor.practiceId, planId),
          patientId: w.plan.patientId,
          source: `care-plan-review/${b.value.id}`,
          at,
          title: `Behandlingsplan (${CONDITION_LABEL[w.plan.condition]}) evaluert ${b.value.date}`,
          text: `Evaluering av behandlingsplan for ${CONDITION_LABEL[w.plan.condition]}, ${b.value.date}:\n${b.value.note}`,
        });
        await appendAudit(tx, { practiceId: actor.practiceId, actor: actor.user, role: actor.role, patientId: w.plan.patientId, action: 'assess', what: `behandlingsplan ${planId} evaluert`, at });
      }
      return w;
    });
    if (!result.ok) {
      if (result.reason === 'not-found') return problem(c, 404, 'Fant ikke behandlingsplanen.');
      return problem(c, 409, 'Behandlingsplanen er avsluttet og kan ikke evalueres.', { current: result.plan });
    }
    return c.json((await planView([result.plan], actor.practiceId))[0], result.created ? 201 : 200);
  });

  app.post('/plans/:planId/end', async (c) => {
    const b = await datedBody(c, endSchema);
    if ('response' in b) return b.response;
    const { actor, at } = b;
    const planId = c.req.param('planId');
    const result = await deps.db.transaction().execute(async (tx) => {
      const w = await endPlan(tx, { practiceId: actor.practiceId, planId, endedOn: b.value.date, note: b.value.note || null, version: b.value.version, by: actor.user });
      if (w.ok && w.created) {
        await noteToJournal(tx, actor, {
          iss: await issOf(tx, 'care_plan', actor.practiceId, planId),
          patientId: w.plan.patientId,
          source: `care-plan-end/${planId}`,
          at,
          title: `Behandlingsplan (${CONDITION_LABEL[w.plan.condition]}) avsluttet ${b.value.date}`,
          text: `Behandlingsplan for ${CONDITION_LABEL[w.plan.condition]} avsluttet ${b.value.date}.${b.value.note ? `\n${b.value.note}` : ''}`,
        });
        await appendAudit(tx, { practiceId: actor.practiceId, actor: actor.user, role: actor.role, patientId: w.plan.patientId, action: 'assess', what: `behandlingsplan ${planId} avsluttet`, at });
      }
      return w;
    });
    if (!result.ok) {
      if (result.reason === 'not-found') return problem(c, 404, 'Fant ikke behandlingsplanen.');
      if (result.reason === 'conflict') return problem(c, 409, 'Behandlingsplanen er endret av noen andre siden du åpnet den. Se hva som er lagret nå, og prøv igjen.', { current: result.plan });
      return problem(c, 409, 'Behandlingsplanen er allerede avsluttet.', { current: result.plan });
    }
    if (result.created) await changed(actor.practiceId, result.plan.patientId);
    return c.json((await planView([result.plan], actor.practiceId))[0]);
  });

  // Medication review: the need makes a task for the GP (journal note); «ikke behov nå» is recorded as an
  // assessment (journal note); the GP's answer (done or not needed, with a note) closes the task (journal note).
  app.post('/patients/:patientId/medication-review', async (c) => {
    const r = await whoFor(c, 'clinical');
    if ('response' in r) return r.response;
    const { patientId } = r;
    const b = await body(c, needSchema);
    if ('response' in b) return b.response;
    const { actor } = r;
    const needed = b.value.needed !== false;
    const reason = b.value.reason ?? '';
    if (needed && reason === '') return problem(c, 400, 'Begrunnelse: mangler', { field: 'reason' });
    const at = new Date(deps.now());
    const today = osloDate(at.toISOString());
    if (needed && b.value.due !== undefined && b.value.due < today) return problem(c, 400, 'Frist: kan ikke være tilbake i tid', { field: 'due' });
    const epj = await deps.epj(c);
    if (!epj) return noEpj(c);
    if (!needed) {
      const saved = await deps.db.transaction().execute(async (tx) => {
        const w = await recordMedicationAssessment(tx, { practiceId: actor.practiceId, iss: epj.iss, id: b.value.id, patientId, assessedOn: today, note: reason || null, by: actor.user, at });
        if (w.ok && w.created) {
          await noteToJournal(tx, actor, {
            iss: epj.iss,
            patientId,
            source: `care-assessment/${b.value.id}`,
            at,
            title: 'Vurdert: ikke behov for legemiddelgjennomgang nå',
            text: `Behovet for legemiddelgjennomgang er vurdert ${today}: ikke behov nå.${reason ? `\n${reason}` : ''}`,
          });
          await appendAudit(tx, { practiceId: actor.practiceId, actor: actor.user, role: actor.role, patientId, action: 'assess', what: 'ikke behov for legemiddelgjennomgang nå', at });
        }
        return w;
      });
      if (!saved.ok) return problem(c, 409, 'Denne id-en er brukt for en annen pasient.');
      await changed(actor.practiceId, patientId);
      return c.json({ assessment: saved.assessment }, saved.created ? 201 : 200);
    }
    let assignee = b.value.assignee;
    if (!assignee) {
      try {
        const [found] = (await searchAll(epj.get, epj.iss, 'Patient', { _id: patientId })) as Patient[];
        assignee = found?.generalPractitioner?.map((g) => g.reference).find((ref): ref is string => !!ref && ref.startsWith('Practitioner/'));
      } catch {
        return problem(c, 502, 'Fikk ikke lest pasientens fastlege fra journalen. Prøv igjen om litt.');
      }
      if (!assignee) return problem(c, 409, 'Pasienten har ingen fastlege i journalen. Velg hvilken lege som skal gjøre legemiddelgjennomgangen.', { field: 'assignee' });
    }
    const to = assignee;
    const result = await deps.db.transaction().execute(async (tx) => {
      const w = await recordMedicationReviewNeed(tx, { practiceId: actor.practiceId, iss: epj.iss, id: b.value.id, patientId, assignee: to, reason, due: b.value.due, by: actor.user, at });
      if (w.ok && w.created) {
        await enqueueWriteBack(tx, {
          practiceId: actor.practiceId,
          iss: epj.iss,
          patientId,
          source: `care-need/${w.task.id}`,
          at,
          resource: journalNote({
            id: `care-need-${w.task.id}`,
            patientId,
            author: actor.user,
            date: at.toISOString(),
            title: 'Behov for legemiddelgjennomgang',
            text: `Behov for legemiddelgjennomgang vurdert ${today}; oppgave til fastlegen${b.value.due ? ` med frist ${b.value.due}` : ''}.\n${reason}`,
          }),
        });
        await appendAudit(tx, { practiceId: actor.practiceId, actor: actor.user, role: actor.role, patientId, action: 'assess', what: `behov for legemiddelgjennomgang, oppgave til ${to}`, at });
      }
      return w;
    });
    if (!result.ok) return problem(c, 409, 'Denne id-en er brukt for en annen pasient.');
    if (result.created) await changed(actor.practiceId, patientId);
    return c.json(result.task, result.created ? 201 : 200);
  });

  app.post('/tasks/:taskId/done', async (c) => {
    const b = await datedBody(c, doneSchema);
    if ('response' in b) return b.response;
    const { actor, at } = b;
    const status = b.value.status ?? 'done';
    const taskId = c.req.param('taskId');
    const result = await deps.db.transaction().execute(async (tx) => {
      const w = await completeMedicationReview(tx, { practiceId: actor.practiceId, taskId, status, doneOn: b.value.date, note: b.value.note || null, by: actor.user });
      if (w.ok && w.created) {
        const title = status === 'done' ? `Legemiddelgjennomgang utført ${b.value.date}` : `Legemiddelgjennomgang vurdert ikke nødvendig ${b.value.date}`;
        await noteToJournal(tx, actor, {
          iss: await issOf(tx, 'care_task', actor.practiceId, taskId),
          patientId: w.task.patientId,
          source: `care-task/${taskId}`,
          at,
          title,
          text: `${title}.${b.value.note ? `\n${b.value.note}` : ''}`,
        });
        await appendAudit(tx, { practiceId: actor.practiceId, actor: actor.user, role: actor.role, patientId: w.task.patientId, action: 'assess', what: `legemiddelgjennomgang ${taskId} ${status === 'done' ? 'utført' : 'ikke nødvendig'}`, at });
      }
      return w;
    });
    if (!result.ok) {
      if (result.reason === 'not-found') return problem(c, 404, 'Fant ikke oppgaven.');
      return problem(c, 409, result.task?.status === 'not-needed' ? 'Legemiddelgjennomgangen er allerede besvart som ikke nødvendig.' : 'Legemiddelgjennomgangen er allerede registrert som utført.', { current: result.task });
    }
    if (result.created) await changed(actor.practiceId, result.task.patientId);
    return c.json(result.task);
  });

  // The GP's care tasks for «Mine oppgaver» (composed in the browser with the follow-up slice's GP tasks).
  app.get('/tasks/mine', async (c) => {
    const r = await who(c, 'my-tasks');
    if ('response' in r) return r.response;
    return c.json(await openCareTasksFor(deps.db, r.actor.practiceId, r.actor.user, { all: c.req.query('status') === 'all' }));
  });

  // The care records of every patient of the practice, for the daglig leder's Table 2 indicators and model B's
  // quality part (src/domain/care careFactsAt turns them into target-group facts on each month's end).
  app.get('/indicator-records', async (c) => {
    const r = await who(c, 'indicators');
    if ('response' in r) return r.response;
    const records = await careRecords(deps.db, r.actor.practiceId);
    await appendAudit(deps.db, { practiceId: r.actor.practiceId, actor: r.actor.user, role: 'daglig-leder', action: 'read-list', what: 'kvalitetsindikatorer: behandlingsplaner og legemiddelgjennomganger', rows: records.size, at: new Date(deps.now()) });
    return c.json({ records: Object.fromEntries(records) });
  });

  // Individual plan
  const ipView = async (practiceId: string, patientId: string) => {
    const ip = await getIp(deps.db, practiceId, patientId);
    return ip ? { ...ip, stage: ipStage(ip) } : null;
  };

  app.post('/patients/:patientId/ip', async (c) => {
    const r = await whoFor(c, 'clinical');
    if ('response' in r) return r.response;
    const { patientId } = r;
    const b = await body(c, ipNeedSchema);
    if ('response' in b) return b.response;
    const { actor } = r;
    const epj = await deps.epj(c);
    if (!epj) return noEpj(c);
    const at = new Date(deps.now());
    await deps.db.transaction().execute(async (tx) => {
      await recordIpNeed(tx, { practiceId: actor.practiceId, iss: epj.iss, id: b.value.id, patientId, neededOn: b.value.date, by: actor.user, at });
      await appendAudit(tx, { practiceId: actor.practiceId, actor: actor.user, role: actor.role, patientId, action: 'assess', what: 'behov for individuell plan', at });
    });
    return c.json(await ipView(actor.practiceId, patientId));
  });

  for (const step of ['report', 'coordinator'] as const) {
    app.post(`/patients/:patientId/ip/${step}`, async (c) => {
      const r = await whoFor(c, 'clinical');
      if ('response' in r) return r.response;
      const { patientId } = r;
      const { actor } = r;
      const at = new Date(deps.now());
      let result;
      if (step === 'report') {
        const b = await body(c, ipReportSchema);
        if ('response' in b) return b.response;
        result = await deps.db.transaction().execute(async (tx) => {
          const w = await updateIp(tx, { practiceId: actor.practiceId, patientId, version: b.value.version, at, step, reportedOn: b.value.date, reportedHow: b.value.how, by: actor.user });
          if (w.ok) await appendAudit(tx, { practiceId: actor.practiceId, actor: actor.user, role: actor.role, patientId, action: 'assess', what: `IP meldt til koordinerende enhet (${IP_CHANNEL_LABELS[b.value.how]})`, at });
          return w;
        });
      } else {
        const b = await body(c, ipCoordinatorSchema);
        if ('response' in b) return b.response;
        result = await deps.db.transaction().execute(async (tx) => {
          const w = await updateIp(tx, { practiceId: actor.practiceId, patientId, version: b.value.version, at, step, coordinatorName: b.value.name, coordinatorOn: b.value.date });
          if (w.ok) await appendAudit(tx, { practiceId: actor.practiceId, actor: actor.user, role: actor.role, patientId, action: 'assess', what: 'IP-koordinator registrert', at });
          return w;
        });
      }
      if (!result.ok) {
        if (result.reason === 'not-found') return problem(c, 404, 'Behovet for individuell plan er ikke registrert for denne pasienten.');
        if (result.reason === 'not-reported') return problem(c, 409, 'Behovet må meldes til koordinerende enhet før en koordinator kan registreres.');
        return problem(c, 409, 'Den individuelle planen er endret av noen andre siden du åpnet den. Se hva som er lagret nå, og prøv igjen.');
      }
      return c.json(await ipView(actor.practiceId, patientId));
    });
  }

  // Årskontroll and recall
  app.get('/recall/settings', async (c) => {
    const r = await who(c, 'recall');
    if ('response' in r) return r.response;
    const s = await getRecallGroups(deps.db, r.actor.practiceId);
    return c.json({ groups: s.groups, all: RECALL_GROUPS.map((g) => ({ id: g, label: RECALL_GROUP_LABELS[g] })) });
  });

  app.put('/recall/settings', async (c) => {
    const r = await who(c, 'recall-settings');
    if ('response' in r) return r.response;
    const b = await body(c, groupsSchema);
    if ('response' in b) return b.response;
    const { actor } = r;
    const at = new Date(deps.now());
    await deps.db.transaction().execute(async (tx) => {
      await saveRecallGroups(tx, actor.practiceId, b.value.groups, actor.user, at);
      await appendAudit(tx, { practiceId: actor.practiceId, actor: actor.user, role: 'daglig-leder', action: 'change-settings', what: `årskontroll-grupper: ${b.value.groups.join(', ') || 'ingen'}`, at });
    });
    return c.json({ groups: b.value.groups });
  });

  // The recall list: the practice's patients with an active condition of a recall group, read from the EPJ
  // (server token), with the last check, due date and recall state from this slice's table.
  app.get('/recall', async (c) => {
    const r = await who(c, 'recall');
    if ('response' in r) return r.response;
    const { actor } = r;
    const epj = await deps.epj(c);
    if (!epj) return noEpj(c);
    const { groups } = await getRecallGroups(deps.db, actor.practiceId);
    const at = new Date(deps.now());
    const today = osloDate(at.toISOString());
    let conditions: Condition[];
    try {
      conditions = (await searchAll(epj.get, epj.iss, 'Condition', { _count: '1000' })) as Condition[];
    } catch {
      return problem(c, 502, 'Fikk ikke lest diagnosene fra journalen. Prøv igjen om litt.');
    }
    const codings = new Map<string, { system?: string; code?: string }[]>();
    for (const cond of conditions) {
      if (!activeCondition(cond)) continue;
      const pid = cond.subject?.reference?.match(/^Patient\/(.+)$/)?.[1];
      if (!pid) continue;
      codings.set(pid, [...(codings.get(pid) ?? []), ...(cond.code?.coding ?? [])]);
    }
    const inGroups = [...codings].map(([id, cs]) => ({ id, groups: recallGroupsOf(cs, groups) })).filter((p) => p.groups.length > 0);
    const ids = inGroups.map((p) => p.id);
    const patients = new Map<string, Patient>();
    for (let i = 0; i < ids.length; i += 100) {
      const batch = ids.slice(i, i + 100);
      for (const p of (await searchAll(epj.get, epj.iss, 'Patient', { _id: batch.join(','), _count: '1000' })) as Patient[]) if (p.id) patients.set(p.id, p);
    }
    const events = await recallEvents(deps.db, actor.practiceId, ids);
    const statuses = inGroups.filter((p) => patients.has(p.id) && patients.get(p.id)?.deceasedBoolean !== true && !patients.get(p.id)?.deceasedDateTime).map((p) => ({ ...p, status: recallStatus(events.get(p.id) ?? [], today) }));
    const showAll = c.req.query('all') === '1';
    const rows = statuses.filter((p) => showAll || p.status.urgency !== 'not-due');
    // Names of who last checked them.
    const checkers = [...new Set(rows.map((p) => p.status.lastCheckedBy).filter((x): x is string => !!x))];
    const names = new Map<string, string>();
    if (checkers.length > 0) {
      try {
        const found = (await searchAll(epj.get, epj.iss, 'Practitioner', { _id: checkers.map((x) => x.replace(/^Practitioner\//, '')).join(','), _count: '1000' })) as Practitioner[];
        for (const p of found) names.set(`Practitioner/${p.id}`, personName(p.name) ?? `Practitioner/${p.id}`);
      } catch {
        // names stay as references
      }
    }
    const clinical = actor.role !== 'secretary';
    const out = rows
      .map((p) => {
        const patient = patients.get(p.id)!;
        return {
          patientId: p.id,
          name: personName(patient.name) ?? p.id,
          birthDate: patient.birthDate ?? null,
          phone: patient.telecom?.find((t) => t.system === 'phone')?.value ?? null,
          ...(clinical ? { groups: p.groups.map((g) => RECALL_GROUP_LABELS[g]) } : {}),
          lastCheck: p.status.lastCheck,
          lastCheckedBy: p.status.lastCheckedBy ? (names.get(p.status.lastCheckedBy) ?? p.status.lastCheckedBy) : null,
          due: p.status.due,
          urgency: p.status.urgency,
          state: p.status.state,
          stateLabel: p.status.state ? RECALL_STATE_LABELS[p.status.state] : null,
          stateDate: p.status.stateDate,
        };
      })
      .sort((a, b) => (a.due ?? '0000').localeCompare(b.due ?? '0000') || a.name.localeCompare(b.name, 'nb'));
    await appendAudit(deps.db, { practiceId: actor.practiceId, actor: actor.user, role: actor.role, action: 'read-list', what: 'årskontroll: innkallingsliste', rows: out.length, at });
    return c.json({ asOf: today, groups, rows: out });
  });

  app.post('/recall/:patientId/events', async (c) => {
    const r = await whoFor(c, 'recall-book');
    if ('response' in r) return r.response;
    const { patientId } = r;
    const b = await body(c, recallSchema);
    if ('response' in b) return b.response;
    const { actor } = r;
    if (b.value.state === 'done' && actor.role === 'secretary') return problem(c, 403, 'Bare leger og sykepleiere kan registrere at årskontrollen er gjennomført.');
    const at = new Date(deps.now());
    const today = osloDate(at.toISOString());
    if (b.value.state !== 'booked' && b.value.date > today) return futureDate(c);
    const result = await deps.db.transaction().execute(async (tx) => {
      const w = await addRecallEvent(tx, { practiceId: actor.practiceId, id: b.value.id, patientId, state: b.value.state, onDate: b.value.date, by: actor.user, at });
      if (w.ok && w.created) await appendAudit(tx, { practiceId: actor.practiceId, actor: actor.user, role: actor.role, patientId, action: 'outreach', what: `årskontroll: ${RECALL_STATE_LABELS[b.value.state]} ${b.value.date}`, at });
      return w;
    });
    if (!result.ok) return problem(c, 409, 'Denne id-en er brukt for en annen registrering.');
    const events = await recallEvents(deps.db, actor.practiceId, [patientId]);
    return c.json({ patientId, ...recallStatus(events.get(patientId) ?? [], today) }, result.created ? 201 : 200);
  });

  return app;
}

function activeCondition(c: Condition): boolean {
  const status = c.clinicalStatus?.coding?.[0]?.code;
  return status === undefined || status === 'active' || status === 'recurrence' || status === 'relapse';
}

function personName(names: Patient['name']): string | undefined {
  const n = names?.[0];
  if (!n) return undefined;
  return n.text ?? ([...(n.given ?? []), n.family].filter(Boolean).join(' ') || undefined);
}

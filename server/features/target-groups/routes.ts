// /api/target-groups (issue 15): the list overview from the last computed result, the manual rescan with
// its progress, the patient panel's groups, the GP's assessment and the team's outreach assessment and
// offer. Authorised by the session's team role (SPEC §1): the health secretary sees membership only and
// never receives clinical evidence; only a GP assesses; a nurse or GP records outreach. Each assessment and
// outreach offer queues its journal note (and, for a confirmed group, a Flag) in the same transaction
// (server/epj/writeBack.ts), and every read and change is in the audit log.
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import { osloDate } from '../../../src/domain/calendar';
import { countOutreach } from '../../../src/domain/financing/evaluationSources';
import { withCareFacts } from '../../../src/domain/care';
import { DEFAULT_RULE_SET, type TargetGroup } from '../../../src/domain/targetGroups';
import { parseAssessmentInput, parseOutreachInput } from '../../../src/domain/targetGroups/inputs';
import { isIsoDate } from '../../../src/domain/targetGroups/isoDate';
import {
  TARGET_GROUP_DISPLAY,
  type AssessmentRecord,
  type ListOverviewResponse,
  type OutreachRecord,
  type OutreachWorklistResponse,
  type PatientTargetGroupsResponse,
  type UncheckedView,
  uncheckedViews,
} from '../../../src/domain/targetGroups/views';
import { buildTargetGroupFlag } from '../../../src/fhir/builders/flag';
import type { Database } from '../../db/schema';
import type { Actor, ResolveActor } from '../../epj/actor';
import { READ_EVERYTHING, type ReadPlan } from '../../epj/capabilities';
import { journalNote } from '../../epj/journalNote';
import { readPopulation } from '../../epj/population';
import type { EpjGet } from '../../epj/targetGroups';
import type { ShortCache } from '../../epj/shortCache';
import { enqueueWriteBack, journalStates } from '../../epj/writeBack';
import { jsonBody, problem } from '../../http/json';
import { appendAudit } from '../audit/store';
import { executeScan, hasPolypharmacy, reclassifyWithCare, startPracticeScan, type CareSource, type ScanDeps } from './jobs';
import { classifyWith, readPatient, type ScannedPatient } from './scan';
import {
  asRuleAssessment,
  assessmentsOf,
  getRun,
  latestOutreachByPatient,
  latestRuns,
  listRows,
  outreachRowsIn,
  patientResult,
  recordAssessment,
  recordOutreach,
  storedPatient,
  storePatientResult,
  storePatientResultIfChanged,
} from './store';

/** The actor of a request, or the response to send instead (no session, unknown practice). */
export type { ResolveActor } from '../../epj/actor';

/** The launch's EPJ as the server reads it with its own Backend Services token. */
export interface LaunchEpj {
  iss: string;
  get: EpjGet;
  /** A patient-scoped launch may only reach its own patient. */
  patientScoped: boolean;
  patient?: string;
  /** The EPJ can create Flags (its CapabilityStatement): only then is the target-group Flag queued. */
  flags?: boolean;
  /** What the EPJ lets the server read, from its CapabilityStatement (default: everything). */
  plan?: () => Promise<ReadPlan>;
}

export interface TargetGroupDeps {
  db: Kysely<Database>;
  actor: ResolveActor;
  epj: (c: Context) => Promise<LaunchEpj | undefined>;
  now: () => number;
  log?: (line: string) => void;
  /**
   * The app server's short cache of the panel's patient reads (issue 19 point 2; server/epj/shortCache.ts).
   * Absent: every panel reads the EPJ.
   */
  patientReads?: ShortCache<PanelRead>;
  /** The app's care records, added to the EPJ's facts when classifying (the care slice's store; default none). */
  care?: CareSource;
  /**
   * Registers what to do when a patient's care changed (a plan, a medication review): this slice re-classifies
   * the stored result and forgets the cached list. The composition root calls it from the care slice's hook.
   */
  onCareChanged?: (handler: (practiceId: string, patientId: string) => Promise<void>) => void;
}

/** What the panel's read of a patient gave: the result stored (with what could not be checked), no such patient, or the EPJ failed. */
export type PanelRead = { unchecked: UncheckedView[] } | { missing: true } | { failed: string };

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

const LIST_ROLES: ReadonlySet<Actor['role']> = new Set(['gp', 'nurse', 'secretary']);

function gpIdOf(actor: Actor): string {
  return actor.user.replace(/^Practitioner\//, '');
}

export function targetGroupRoutes(deps: TargetGroupDeps): Hono {
  const app = new Hono();
  const { db } = deps;
  const asOfNow = () => osloDate(new Date(deps.now()).toISOString());
  const classify = classifyWith(DEFAULT_RULE_SET);
  // The list's rows, serialised, per practice and view, for the last finished scan run (issue 19 point 4):
  // a run that finishes changes the key; a change in this process (an assessment, an outreach record, a
  // patient re-read from the EPJ) forgets the practice's rows. Nothing is kept while a scan runs.
  const listCache = new Map<string, { runId: string; rowsJson: string; count: number }>();
  const forgetList = (practiceId: string) => {
    for (const key of listCache.keys()) if (key.startsWith(`${practiceId}|`)) listCache.delete(key);
  };
  const forgetPatient = (practiceId: string, patientId: string) => deps.patientReads?.forget(`${practiceId}\n${patientId}\n`);
  const careOf = async (tx: Kysely<Database>, practiceId: string, patientId: string) => (deps.care ? (await deps.care(tx, practiceId, [patientId])).get(patientId) : undefined);
  const care = deps.care;
  if (care) {
    deps.onCareChanged?.(async (practiceId, patientId) => {
      await reclassifyWithCare(db, practiceId, patientId, care, new Date(deps.now()));
      forgetList(practiceId);
      forgetPatient(practiceId, patientId);
    });
  }

  /** The actor and launch EPJ, or the response that refuses the request. */
  async function who(c: Context, roles: ReadonlySet<Actor['role']>, refusal: string): Promise<{ actor: Actor; epj: LaunchEpj } | { response: Response }> {
    const r = await deps.actor(c);
    if ('response' in r) return r;
    const epj = await deps.epj(c);
    if (!epj) return { response: problem(c, 403, 'Journalsystemet er ikke registrert for appen.') };
    if (!roles.has(r.actor.role)) return { response: problem(c, 403, refusal) };
    return { actor: r.actor, epj };
  }

  function patientParam(c: Context, epj: LaunchEpj): { patientId: string } | { response: Response } {
    const patientId = c.req.param('patientId') ?? '';
    if (!FHIR_ID.test(patientId)) return { response: problem(c, 400, 'Pasient-id-en i adressen er ugyldig.', { field: 'patientId' }) };
    if (epj.patientScoped && epj.patient !== patientId) return { response: problem(c, 403, 'Denne innloggingen gjelder en annen pasient.') };
    return { patientId };
  }

  // ---- list overview: the last computed result, at once --------------------------------------------
  app.get('/list', async (c) => {
    const w = await who(c, LIST_ROLES, 'Listeoversikten er for fastleger, sykepleiere og helsesekretærer ved legekontoret.');
    if ('response' in w) return w.response;
    const { actor, epj } = w;
    if (epj.patientScoped) return problem(c, 403, 'Listeoversikten kan ikke åpnes fra en pasientinnlogging.');
    const scopeParam = c.req.query('scope') ?? 'practice';
    if (scopeParam !== 'gp' && scopeParam !== 'practice') return problem(c, 400, 'Feltet «scope» må være gp eller practice.', { field: 'scope' });
    if (scopeParam === 'gp' && actor.role !== 'gp') return problem(c, 403, 'Bare en fastlege har en egen liste.');
    const clinical = actor.role !== 'secretary';
    const gpId = scopeParam === 'gp' ? gpIdOf(actor) : undefined;
    const key = `${actor.practiceId}|${scopeParam}|${clinical}|${gpId ?? ''}`;
    const runs = await latestRuns(db, actor.practiceId);
    const doneId = runs.running ? undefined : runs.lastDone?.id;
    let cached = doneId !== undefined ? listCache.get(key) : undefined;
    if (!cached || cached.runId !== doneId) {
      const rows = await listRows(db, actor.practiceId, { clinical, ...(gpId !== undefined ? { gpId } : {}) });
      cached = { runId: doneId ?? '', rowsJson: JSON.stringify(rows), count: rows.length };
      if (doneId !== undefined) listCache.set(key, cached);
    }
    await appendAudit(db, {
      practiceId: actor.practiceId,
      actor: actor.user,
      role: actor.role,
      action: 'read-list',
      what: `list-overview scope=${scopeParam}${clinical ? '' : ' uten begrunnelse'}`,
      rows: cached.count,
      at: new Date(deps.now()),
    });
    const body: Omit<ListOverviewResponse, 'rows'> = { scope: scopeParam, clinical };
    if (runs.lastDone) {
      body.lastScan = runs.lastDone;
      if (runs.lastDone.finishedAt) body.computedAt = runs.lastDone.finishedAt;
      body.asOf = runs.lastDone.asOf;
      body.ruleSetVersion = runs.lastDone.ruleSetVersion;
    }
    if (runs.running) body.running = runs.running;
    return c.body(`${JSON.stringify(body).slice(0, -1)},"rows":${cached.rowsJson}}`, 200, { 'content-type': 'application/json; charset=utf-8' });
  });

  // ---- manual rescan: the same code as the nightly job; progress by polling the run ---------------
  app.post('/scan', async (c) => {
    const w = await who(c, LIST_ROLES, 'Gjennomgang av listen er for fastleger, sykepleiere og helsesekretærer ved legekontoret.');
    if ('response' in w) return w.response;
    const { actor, epj } = w;
    if (epj.patientScoped) return problem(c, 403, 'Listen kan ikke gjennomgås fra en pasientinnlogging.');
    const scan: ScanDeps = { db, get: epj.get, iss: epj.iss, practiceId: actor.practiceId, now: deps.now, ...(deps.log ? { log: deps.log } : {}), ...(epj.plan ? { plan: epj.plan } : {}), ...(care ? { care } : {}) };
    const start = await startPracticeScan(scan, actor.user, randomUUID());
    if (!start.ok) return problem(c, 409, 'En gjennomgang av listen kjører allerede. Vent til den er ferdig.', { running: start.running });
    await appendAudit(db, { practiceId: actor.practiceId, actor: actor.user, role: actor.role, action: 'scan', what: `target-groups scan ${start.run.id}`, at: new Date(deps.now()) });
    // Runs on after the answer; its progress and end are in tg_scan_run (GET /scan/:id).
    void executeScan(scan, start.run.id).catch(() => undefined);
    return c.json({ run: start.run }, 202);
  });

  app.get('/scan/:runId', async (c) => {
    const w = await who(c, LIST_ROLES, 'Gjennomgang av listen er for fastleger, sykepleiere og helsesekretærer ved legekontoret.');
    if ('response' in w) return w.response;
    const runId = c.req.param('runId');
    const run = /^[0-9a-f-]{36}$/i.test(runId) ? await getRun(db, w.actor.practiceId, runId) : undefined;
    return run ? c.json({ run }) : problem(c, 404, 'Fant ikke gjennomgangen.');
  });

  // ---- patient panel ----------------------------------------------------------------------------
  /** Classifies a patient just read from the EPJ and stores the result (what the panel and the list show). */
  async function refresh(practiceId: string, patientId: string, scanned: ScannedPatient, asOf: string, plan: ReadPlan): Promise<UncheckedView[]> {
    const assessments = await assessmentsOf(db, practiceId, patientId);
    const facts = withCareFacts(scanned.facts, await careOf(db, practiceId, patientId), asOf);
    const classification = classify(facts, assessments.map(asRuleAssessment), asOf, plan.unavailable.length > 0 ? { unavailable: plan.unavailable } : undefined);
    // A patient re-read unchanged moves only «computed at»; the list's cached rows then stay valid.
    const changed = await storePatientResultIfChanged(db, practiceId, { patient: scanned, classification, polypharmacy: hasPolypharmacy(scanned.facts), unavailable: plan.unavailable }, { asOf, ruleSetVersion: DEFAULT_RULE_SET.version, at: new Date(deps.now()) });
    if (changed) forgetList(practiceId);
    return uncheckedViews(classification);
  }

  /**
   * The panel's read of one patient: the EPJ's facts, classified and stored. Shared a few seconds by the
   * requests for the same patient (deps.patientReads): 50 users opening panels do not each read ~14 FHIR
   * searches and write the result again. A failed EPJ read is not kept; a change this server makes to the
   * patient (assessment, outreach, care) forgets it.
   */
  async function readForPanel(practiceId: string, epj: LaunchEpj, patientId: string, asOf: string, plan: ReadPlan): Promise<PanelRead> {
    const load = async (): Promise<PanelRead> => {
      let scanned: ScannedPatient | undefined;
      try {
        scanned = await readPatient(epj.get, epj.iss, practiceId, patientId, asOf, plan);
      } catch (error) {
        return { failed: error instanceof Error ? error.message : String(error) };
      }
      return scanned ? { unchecked: await refresh(practiceId, patientId, scanned, asOf, plan) } : { missing: true };
    };
    if (!deps.patientReads) return load();
    const key = `${practiceId}\n${patientId}\n${epj.iss}\n${asOf}\n${plan.readable ? [...plan.readable].sort().join(',') : '*'}`;
    const { value } = await deps.patientReads.get(key, load);
    if ('failed' in value) deps.patientReads.forget(key);
    return value;
  }

  async function panel(actor: Actor, patientId: string, unchecked: UncheckedView[] | undefined): Promise<PatientTargetGroupsResponse | undefined> {
    const clinical = actor.role !== 'secretary';
    const assessments = await assessmentsOf(db, actor.practiceId, patientId);
    const stored = await patientResult(db, actor.practiceId, patientId);
    if (!stored) return undefined;
    const outreach = (await latestOutreachByPatient(db, actor.practiceId, patientId)).get(patientId);
    const states = await journalStates(db, actor.practiceId, [...assessments.map((a) => `target-groups/assessment/${a.id}`), ...(outreach ? [`target-groups/outreach/${outreach.id}`] : [])]);
    const groups = stored.results.map((r) => ({ group: r.target_group, status: r.status, reasons: clinical ? (r.evidence as PatientTargetGroupsResponse['groups'][number]['reasons']) : [] }));
    const response: PatientTargetGroupsResponse = {
      patientId,
      asOf: stored.asOf,
      computedAt: stored.computedAt,
      clinical,
      groups: clinical ? groups : groups.filter((g) => g.status === 'candidate' || g.status === 'confirmed').map((g) => ({ ...g, status: g.status })),
      inTargetGroup: groups.some((g) => g.status === 'candidate' || g.status === 'confirmed'),
      weakDemander: clinical && stored.weakDemander,
      needsMedicationReview: clinical && stored.display.needsMedicationReview,
      needsCarePlan: clinical && stored.display.needsCarePlan,
      polypharmacy: clinical && stored.display.polypharmacy,
      notes: clinical ? [...stored.display.notes, ...stored.display.warnings] : [],
      assessments: clinical ? assessments.map((a) => withJournal(a, states.get(`target-groups/assessment/${a.id}`))) : [],
    };
    if (clinical && outreach) response.outreach = withJournal(outreach, states.get(`target-groups/outreach/${outreach.id}`));
    // Read now, or (the EPJ not reached) as stored with the last result.
    const shown = unchecked ?? stored.display.unchecked ?? [];
    if (clinical && shown.length > 0) response.unchecked = shown;
    return response;
  }

  app.get('/patients/:patientId', async (c) => {
    const w = await who(c, new Set(['gp', 'nurse', 'viewer', 'secretary']), 'Du har ikke tilgang til målgruppene.');
    if ('response' in w) return w.response;
    const p = patientParam(c, w.epj);
    if ('response' in p) return p.response;
    const { actor, epj } = w;
    const asOf = asOfNow();
    // Fresh from the EPJ when it answers (the panel is the moment of care: at most a few seconds old); the
    // stored result otherwise.
    const plan = epj.plan ? await epj.plan() : READ_EVERYTHING;
    const read = await readForPanel(actor.practiceId, epj, p.patientId, asOf, plan);
    const stale = 'failed' in read;
    if ('failed' in read) deps.log?.(`[target-groups] panel ${p.patientId}: journalsystemet svarte ikke (${read.failed})`);
    const view = await panel(actor, p.patientId, 'unchecked' in read ? read.unchecked : undefined);
    if (!view) return stale ? problem(c, 502, 'Får ikke hentet målgruppene fra journalsystemet. Prøv igjen om litt.') : problem(c, 404, 'Fant ikke pasienten i journalsystemet.');
    await appendAudit(db, {
      practiceId: actor.practiceId,
      actor: actor.user,
      role: actor.role,
      patientId: p.patientId,
      action: 'read',
      what: `target-groups patient${view.clinical ? '' : ' uten begrunnelse'}`,
      at: new Date(deps.now()),
    });
    return c.json({ ...view, stale });
  });

  // ---- the GP's assessment: confirm or reject a group with a reason (wins over the rules) -----------
  app.post('/patients/:patientId/assessments', async (c) => {
    const w = await who(c, new Set(['gp']), 'Bare en fastlege kan bekrefte eller avkrefte en målgruppe.');
    if ('response' in w) return w.response;
    const p = patientParam(c, w.epj);
    if ('response' in p) return p.response;
    const body = await jsonBody(c, parseAssessmentInput);
    if ('response' in body) return body.response;
    const { actor, epj } = w;
    const input = body.value;
    const at = new Date(deps.now());
    const byName = input.authorName || actor.user;
    const result = await db.transaction().execute(async (tx) => {
      const saved = await recordAssessment(tx, actor.practiceId, { id: input.id, patientId: p.patientId, group: input.group, include: input.include, reason: input.reason, by: actor.user, byName, at });
      if (saved.patientId !== p.patientId) return { conflict: true as const };
      if (saved.created) {
        await queueAssessmentNotes(tx, actor, epj, saved.record, p.patientId, at);
        await appendAudit(tx, {
          practiceId: actor.practiceId,
          actor: actor.user,
          role: actor.role,
          patientId: p.patientId,
          action: 'assess',
          what: `målgruppe ${input.group}: ${input.include ? 'bekreftet' : 'avkreftet'}`,
          at,
        });
        // The list shows the decision at once: re-classify the stored facts with the new assessment.
        const stored = await storedPatient(tx, actor.practiceId, p.patientId);
        if (stored) {
          const all = await assessmentsOf(tx, actor.practiceId, p.patientId);
          const classification = classify(withCareFacts(stored.patient.facts, await careOf(tx, actor.practiceId, p.patientId), stored.asOf), all.map(asRuleAssessment), stored.asOf, stored.unavailable.length > 0 ? { unavailable: stored.unavailable } : undefined);
          await storePatientResult(tx, actor.practiceId, { patient: stored.patient, classification, polypharmacy: hasPolypharmacy(stored.patient.facts), unavailable: stored.unavailable }, { asOf: stored.asOf, ruleSetVersion: DEFAULT_RULE_SET.version, at });
        }
      }
      return { conflict: false as const, saved };
    });
    forgetList(actor.practiceId);
    forgetPatient(actor.practiceId, p.patientId);
    if (result.conflict) return problem(c, 409, 'Id-en er allerede brukt for en annen pasient.', { field: 'id' });
    const states = await journalStates(db, actor.practiceId, [`target-groups/assessment/${result.saved.record.id}`]);
    return c.json({ assessment: withJournal(result.saved.record, states.get(`target-groups/assessment/${result.saved.record.id}`)) }, result.saved.created ? 201 : 200);
  });

  // ---- outreach worklist and the team's outreach assessment and offer ---------------------------------
  app.get('/outreach', async (c) => {
    const w = await who(c, new Set(['gp', 'nurse']), 'Arbeidslisten for oppsøkende tilbud er for sykepleiere og fastleger.');
    if ('response' in w) return w.response;
    const { actor } = w;
    const [runs, rows] = await Promise.all([latestRuns(db, actor.practiceId), listRows(db, actor.practiceId, { clinical: true, weakDemandersOnly: true })]);
    const inGroup = rows.filter((r) => r.inTargetGroup);
    const states = await journalStates(db, actor.practiceId, inGroup.flatMap((r) => (r.outreach ? [`target-groups/outreach/${r.outreach.id}`] : [])));
    for (const r of inGroup) if (r.outreach) r.outreach = withJournal(r.outreach, states.get(`target-groups/outreach/${r.outreach.id}`));
    await appendAudit(db, { practiceId: actor.practiceId, actor: actor.user, role: actor.role, action: 'read-list', what: 'outreach', rows: inGroup.length, at: new Date(deps.now()) });
    const body: OutreachWorklistResponse = { rows: inGroup };
    if (runs.lastDone?.finishedAt) body.computedAt = runs.lastDone.finishedAt;
    return c.json(body);
  });

  app.post('/patients/:patientId/outreach', async (c) => {
    const w = await who(c, new Set(['gp', 'nurse']), 'Bare sykepleiere og fastleger kan registrere oppsøkende vurderinger og tilbud.');
    if ('response' in w) return w.response;
    const p = patientParam(c, w.epj);
    if ('response' in p) return p.response;
    const body = await jsonBody(c, parseOutreachInput);
    if ('response' in body) return body.response;
    const { actor, epj } = w;
    const input = body.value;
    const at = new Date(deps.now());
    const result = await db.transaction().execute(async (tx) => {
      const saved = await recordOutreach(tx, actor.practiceId, {
        id: input.id,
        patientId: p.patientId,
        need: input.need,
        ...(input.offer ? { offer: input.offer } : {}),
        note: input.note,
        by: actor.user,
        byName: input.authorName || actor.user,
        at,
      });
      if (saved.patientId !== p.patientId) return { conflict: true as const };
      if (saved.created) {
        await enqueueWriteBack(tx, {
          practiceId: actor.practiceId,
          iss: epj.iss,
          resource: journalNote({ id: `tg-outreach-${saved.record.id}`, patientId: p.patientId, author: actor.user, date: at.toISOString(), title: 'Oppsøkende tilbud til svak etterspørrer', text: outreachNoteText(saved.record) }),
          patientId: p.patientId,
          source: `target-groups/outreach/${saved.record.id}`,
          at,
        });
        await appendAudit(tx, { practiceId: actor.practiceId, actor: actor.user, role: actor.role, patientId: p.patientId, action: 'outreach', what: `oppsøkende vurdering: ${input.need}${input.offer ? `, tilbud ${input.offer.kind}` : ''}`, at });
      }
      return { conflict: false as const, saved };
    });
    forgetList(actor.practiceId);
    forgetPatient(actor.practiceId, p.patientId);
    if (result.conflict) return problem(c, 409, 'Id-en er allerede brukt for en annen pasient.', { field: 'id' });
    const source = `target-groups/outreach/${result.saved.record.id}`;
    const states = await journalStates(db, actor.practiceId, [source]);
    return c.json({ outreach: withJournal(result.saved.record, states.get(source)) }, result.saved.created ? 201 : 200);
  });

  // ---- the daglig leder's evaluation export: outreach outcomes in a period, counts only ---------------
  app.get('/manager/outreach', async (c) => {
    const r = await deps.actor(c);
    if ('response' in r) return r.response;
    const { actor } = r;
    if (!(actor.role === 'gp' && actor.practiceManager)) return problem(c, 403, 'Bare daglig leder kan hente tallene til evalueringen.');
    const from = c.req.query('from') ?? '';
    const to = c.req.query('to') ?? '';
    for (const [field, value, label] of [['from', from, 'Fra'], ['to', to, 'Til']] as const) {
      if (!isIsoDate(value)) return problem(c, 400, `${label}: må være en dato på formen ÅÅÅÅ-MM-DD.`, { field });
    }
    if (from > to) return problem(c, 400, 'Periode: fra-datoen er etter til-datoen.', { field: 'from' });
    const outreach = countOutreach(await outreachRowsIn(db, actor.practiceId, from, to), { from, to });
    await appendAudit(db, { practiceId: actor.practiceId, actor: actor.user, role: 'daglig-leder', action: 'read-list', what: `oppsøkende arbeid, samletall ${from}–${to}`, at: new Date(deps.now()) });
    return c.json({ period: { from, to }, outreach });
  });

  // ---- the daglig leder's indicators: the listed population with its facts, read from the EPJ by capability ----
  app.get('/manager/population', async (c) => {
    const w = await who(c, new Set(['gp']), 'Bare daglig leder kan hente praksisens listeinnbyggere.');
    if ('response' in w) return w.response;
    const { actor, epj } = w;
    if (!actor.practiceManager) return problem(c, 403, 'Bare daglig leder kan hente praksisens listeinnbyggere.');
    if (epj.patientScoped) return problem(c, 403, 'Listeinnbyggerne kan ikke hentes fra en pasientinnlogging.');
    const asOf = c.req.query('asOf') ?? '';
    if (!isIsoDate(asOf)) return problem(c, 400, 'Dato: må være en dato på formen ÅÅÅÅ-MM-DD.', { field: 'asOf' });
    let population;
    try {
      population = await readPopulation(epj.get, epj.iss, actor.practiceId, asOf, epj.plan ? await epj.plan() : READ_EVERYTHING);
    } catch (error) {
      deps.log?.(`[target-groups] population read failed: ${error instanceof Error ? error.message : String(error)}`);
      return problem(c, 502, 'Fikk ikke hentet listeinnbyggerne fra journalsystemet. Prøv igjen.');
    }
    await appendAudit(db, { practiceId: actor.practiceId, actor: actor.user, role: 'daglig-leder', action: 'read-list', what: `listeinnbyggere for indikatorer ${asOf}`, rows: population.members.length, at: new Date(deps.now()) });
    return c.json(population);
  });

  return app;
}

function withJournal<T extends AssessmentRecord | OutreachRecord>(record: T, state: 'pending' | 'written' | 'failed' | undefined): T {
  return state ? { ...record, journal: state } : record;
}

async function queueAssessmentNotes(tx: Kysely<Database>, actor: Actor, epj: Pick<LaunchEpj, 'iss' | 'flags'>, a: AssessmentRecord, patientId: string, at: Date): Promise<void> {
  const { iss } = epj;
  const label = TARGET_GROUP_DISPLAY[a.group];
  const decision = a.include ? 'bekreftet' : 'avkreftet';
  await enqueueWriteBack(tx, {
    practiceId: actor.practiceId,
    iss,
    resource: journalNote({
      id: `tg-assessment-${a.id}`,
      patientId,
      author: actor.user,
      date: at.toISOString(),
      title: `Målgruppe ${label}: ${decision}`,
      text: `Målgruppe for primærhelseteamet: ${label} ${decision} av ${a.by}.\nBegrunnelse: ${a.reason}`,
    }),
    patientId,
    source: `target-groups/assessment/${a.id}`,
    at,
  });
  // The EPJ's full profile also takes the target-group Flag (SPEC §8): queued only where the EPJ can create
  // Flags (its CapabilityStatement). One Flag per patient and group (its identifier).
  if (a.include && epj.flags === true) {
    await enqueueWriteBack(tx, {
      practiceId: actor.practiceId,
      iss,
      resource: buildTargetGroupFlag({ patientId, group: a.group as TargetGroup, confirmed: true, reasons: [], start: osloDate(at.toISOString()) }),
      patientId,
      source: `target-groups/flag/${a.id}`,
      at,
    });
  }
}

const NEED_TEXT: Readonly<Record<OutreachRecord['need'], string>> = {
  'follow-up-needed': 'Behov for oppfølging',
  'no-follow-up-needed': 'Ikke behov for oppfølging',
  'not-reached': 'Fikk ikke kontakt med pasienten',
};

function outreachNoteText(o: OutreachRecord): string {
  const lines = [`Vurdering av svak etterspørrer: ${NEED_TEXT[o.need]}.`];
  if (o.offer) {
    const [y, m, d] = o.offer.date.split('-');
    lines.push(`Tilbud: ${o.offer.kind === 'home-visit' ? 'hjemmebesøk' : 'konsultasjon'} ${d}.${m}.${y}, ${o.offer.accepted ? 'takket ja' : 'takket nei'}.`);
  }
  if (o.note) lines.push(`Notat: ${o.note}`);
  lines.push(`Registrert av ${o.by}.`);
  return lines.join('\n');
}

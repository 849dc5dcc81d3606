// Contacts, charges and claims batches in the app's database (issue 15 item 2; SPEC §5-§7).
//
// The one-egenandel-a-day rule (SPEC §6): every registration and cancellation locks the patient-day's
// copay_day row (SELECT ... FOR UPDATE) and decides the WHOLE day again with the pure rule
// (allocateCopayments in src/domain/copay.ts) inside one transaction; the partial unique index
// charge_one_egenandel_a_day makes two bearers impossible even if that lock were bypassed. A transaction
// that still collides (unique violation, serialization failure, deadlock, a dropped connection) is run
// again from the start; every write is keyed by the browser's id, so a run again is never a duplicate.
import { sql, type Kysely, type QueryCreator, type Selectable, type Transaction } from 'kysely';
import { osloDate } from '../../../src/domain/calendar';
import { allocateCopayments, needsRefund, REASON_CANCELLED, refusjonAfterCopay, type CopayDecision, type CopayPatient, type DayCharge } from '../../../src/domain/copay';
import { mayCancelCharge } from '../../../src/domain/chargeCancel';
import { catalogueInForce, defaultCatalogues, priceLines, type Catalogue, type PricedLine, type TariffLine } from '../../../src/domain/tariffs';
import type { ChargeRecord } from '../../../src/domain/manager';
import { countContacts, type ContactCount } from '../../../src/domain/financing/evaluationSources';
import type { Database } from '../../db/schema';
import { journalNote } from '../../epj/journalNote';
import type { CancelAnswer, ChargeView, ClaimBatchView, ContactInput as ContactInputView, DayView, JournalState, MarkClaimedAnswer } from '../../../src/domain/contactCopayViews';
import { WRITE_BACK_CHANNEL, writeBackRow, type WriteBackRequest } from '../../epj/writeBack';
export type { ChargeView, ClaimBatchView, ContactChannel, DayView } from '../../../src/domain/contactCopayViews';

/** A contact as the store registers it: the API's input, plus what only the server sets. */
export interface ContactInput extends ContactInputView {
  /** The journal note's title (a group session's participants: «Gruppetime: <topic>»); not accepted from the API. */
  journalTitle?: string;
}
import { appendAudit, auditRow } from '../audit/store';
import { buildTeamChargeItem } from './chargeItem';
import type { ChargeTable } from './tables';

type Db = Kysely<Database>;

export interface Registrar {
  practiceId: string;
  /** Practitioner/<id>. */
  user: string;
  role: 'gp' | 'nurse';
  /** The EPJ the journal note (and ChargeItems) go to. */
  iss: string;
  /** The EPJ accepts ChargeItems (the sandbox's full profile): queue one per charge besides the note. */
  chargeItems: boolean;
  /**
   * The app sees the GP charges of the day (SPEC §6). When not, the first charge with an egenandel on a
   * patient-day needs the answer to «Er pasienten allerede belastet egenandel i dag?».
   */
  gpChargesVisible: boolean;
}

export const PAID_ELSEWHERE_QUESTION = 'Er pasienten allerede belastet egenandel i dag?';

export type StoreRefusal = { ok: false; status: 403 | 404 | 409 | 422; message: string; field?: string; needsAnswer?: true };

export type RegisterResult = { ok: true; contactId: string; created: string[]; alreadySaved: boolean; day: DayView } | StoreRefusal;

export interface StoreOptions {
  catalogues?: readonly Catalogue[];
  /** How many times a colliding transaction is run again (default 8). */
  attempts?: number;
}

const kr = (v: string | number | null): number => (v === null ? 0 : Math.round(Number(v) * 100) / 100);

/** Errors after which the whole transaction is safe to run again (nothing of it was committed, or it is idempotent). */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && ['40001', '40P01', '23505', '57P01', '57P02', '57P03', '08000', '08003', '08006', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED'].includes(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|terminating connection|Client has encountered a connection error|connection is closed|Connection ended/i.test(message);
}

async function withRetry<T>(attempts: number, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      // A short, growing pause with jitter so two colliding writers do not collide again.
      await new Promise((r) => setTimeout(r, Math.min(200, 2 ** attempt) * Math.random()));
    }
  }
}

function mergeLines(lines: readonly TariffLine[]): TariffLine[] {
  const byCode = new Map<string, number>();
  for (const l of lines) byCode.set(l.code, (byCode.get(l.code) ?? 0) + l.quantity);
  return [...byCode].map(([code, quantity]) => ({ code, quantity }));
}

function describeLines(lines: readonly TariffLine[]): string {
  return (
    mergeLines(lines)
      .sort((x, y) => x.code.localeCompare(y.code))
      .map((l) => (l.quantity === 1 ? l.code : `${l.code} x${l.quantity}`))
      .join(', ') || 'ingen'
  );
}

/** The override reason when the billed codes differ from the suggestion: what changed, plus the user's words. */
export function overrideReasonFor(input: Pick<ContactInput, 'lines' | 'suggested' | 'overrideReason'>): string | undefined {
  if (!input.suggested) return input.overrideReason;
  const a = describeLines(input.suggested);
  const b = describeLines(input.lines);
  if (a === b) return input.overrideReason;
  const change = `Foreslått ${a}; valgt ${b}.`;
  return input.overrideReason ? `${change} ${input.overrideReason}` : change;
}

export const chargeIdFor = (contactId: string, code: string): string => `${contactId}:${code}`;

type ChargeRow = Selectable<ChargeTable>;

function view(row: ChargeRow): ChargeView {
  const cancelled = row.cancelled_at !== null;
  const charged = kr(row.egenandel);
  return {
    id: row.id,
    contactId: row.contact_id,
    code: row.code,
    text: row.text,
    profession: row.profession,
    registeredBy: row.performer,
    at: new Date(row.at).toISOString(),
    quantity: row.quantity,
    honorar: kr(row.honorar),
    tariffEgenandel: kr(row.tariff_egenandel),
    charged,
    waived: cancelled || !row.waiver_reason ? 0 : kr(kr(row.tariff_egenandel) - charged),
    ...(row.waiver_reason ? { reason: row.waiver_reason } : {}),
    refusjon: kr(row.refusjon),
    egenandelIsDemo: row.egenandel_is_demo,
    cancelled,
    ...(row.cancelled_by ? { cancelledBy: row.cancelled_by } : {}),
    ...(row.cancelled_at ? { cancelledAt: new Date(row.cancelled_at).toISOString() } : {}),
    ...(row.cancel_reason ? { cancelReason: row.cancel_reason } : {}),
    settled: row.claim_batch_id !== null,
    ...(row.refund_owed === null ? {} : { refundOwed: kr(row.refund_owed) }),
  };
}

function toDayCharge(row: ChargeRow): DayCharge {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    egenandel: kr(row.tariff_egenandel),
    ...(row.cancelled_at ? { cancelled: true } : {}),
    ...(row.claim_batch_id && kr(row.egenandel) > 0 ? { settled: true } : {}),
    ...(row.exempt_reason ? { exemptReason: row.exempt_reason } : {}),
  };
}

const storedDecision = (row: ChargeRow): CopayDecision => ({
  id: row.id,
  charged: kr(row.egenandel),
  waived: 0,
  ...(row.waiver_reason ? { reason: row.waiver_reason } : {}),
});

/** A stand-in settled bearer for the answer "yes, already paid today" (never stored as a charge). */
const PAID_ELSEWHERE_ID = '~paid-elsewhere';

function patientFacts(value: unknown): CopayPatient {
  return typeof value === 'object' && value !== null ? (value as CopayPatient) : {};
}

/**
 * Locks the patient-day (creating its row), so one transaction at a time decides that day: ONE statement, an
 * upsert whose update takes the row lock as SELECT ... FOR UPDATE would and counts the lock in `version`
 * (0070), returning the row. A registration passes the patient's facts (and the nurse's answer) to store with it.
 */
function lockDayQuery(tx: QueryCreator<Database>, practiceId: string, patientId: string, day: string, set: { facts?: string; paidElsewhere?: boolean; answeredBy?: string } = {}) {
  const answer = set.paidElsewhere === undefined ? {} : { paid_elsewhere: set.paidElsewhere, answered_by: set.answeredBy ?? null };
  return tx
    .insertInto('copay_day')
    .values({ practice_id: practiceId, patient_id: patientId, oslo_day: day, version: 1, ...(set.facts === undefined ? {} : { patient_facts: set.facts }), ...answer })
    .onConflict((oc) =>
      oc.columns(['practice_id', 'patient_id', 'oslo_day']).doUpdateSet((eb) => ({
        version: eb('copay_day.version', '+', 1),
        ...(set.facts === undefined ? {} : { patient_facts: eb.ref('excluded.patient_facts') }),
        ...(set.paidElsewhere === undefined ? {} : { paid_elsewhere: eb.ref('excluded.paid_elsewhere'), answered_by: eb.ref('excluded.answered_by') }),
      })),
    )
    .returningAll();
}

async function lockDay(tx: Transaction<Database>, practiceId: string, patientId: string, day: string) {
  return lockDayQuery(tx, practiceId, patientId, day).executeTakeFirstOrThrow();
}

/** A patient-day's charges in the order the day is decided (time, then id); the caller picks the columns. */
function dayChargesQuery(db: Db, practiceId: string, patientId: string, day: string) {
  return db.selectFrom('charge').where('practice_id', '=', practiceId).where('patient_id', '=', patientId).where('oslo_day', '=', day).orderBy('at').orderBy('id');
}

async function dayRows(db: Db, practiceId: string, patientId: string, day: string): Promise<ChargeRow[]> {
  return dayChargesQuery(db, practiceId, patientId, day).selectAll().execute();
}

/**
 * Decides the day again and writes what changed: first the charges whose egenandel goes down, then the
 * ones that go up, so the partial unique index never sees two bearers between two statements.
 */
function changesOf(rows: readonly ChargeRow[], decisions: readonly CopayDecision[]) {
  const byId = new Map(decisions.map((d) => [d.id, d]));
  return rows
    .filter((r) => r.cancelled_at === null)
    .flatMap((r) => {
      const d = byId.get(r.id);
      if (!d) return [];
      const before = kr(r.egenandel);
      if (before === d.charged && (r.waiver_reason ?? undefined) === d.reason) return [];
      return [{ row: r, decision: d, down: d.charged < before }];
    })
    .sort((a, b) => Number(b.down) - Number(a.down));
}

async function applyDecisions(tx: Transaction<Database>, practiceId: string, rows: readonly ChargeRow[], decisions: readonly CopayDecision[]) {
  for (const { row, decision } of changesOf(rows, decisions)) {
    await tx
      .updateTable('charge')
      .set({
        egenandel: decision.charged,
        waiver_reason: decision.reason ?? null,
        refusjon: refusjonAfterCopay({ honorar: kr(row.honorar), egenandel: kr(row.tariff_egenandel) }, decision),
      })
      .where('practice_id', '=', practiceId)
      .where('id', '=', row.id)
      .execute();
  }
}

function dayCharges(rows: readonly ChargeRow[], extra: readonly DayCharge[], paidElsewhere: boolean | null, day: string): DayCharge[] {
  const all = [...rows.map(toDayCharge), ...extra];
  if (paidElsewhere) all.push({ id: PAID_ELSEWHERE_ID, at: `${day}T00:00:00`, egenandel: 1, settled: true });
  return all;
}

/** The day's charges, each with the journal state of its contact's write-backs (failed > pending > written). */
const journalStateOfCharge = sql<JournalState | null>`(select case when bool_or(w.state = 'failed') then 'failed' when bool_or(w.state = 'pending') then 'pending' when bool_or(w.state = 'written') then 'written' end
  from write_back w where w.practice_id = charge.practice_id and w.source = 'contact/' || charge.contact_id)`;

async function dayRowsWithJournal(db: Db, practiceId: string, patientId: string, day: string) {
  return dayChargesQuery(db, practiceId, patientId, day).selectAll('charge').select(journalStateOfCharge.as('journal_state')).execute();
}

/**
 * Today's charges of a patient (the todays-charges panel), with the journal state of each contact's note.
 * `paidElsewhere`: the day's answer when the caller holds it (inside the registration), saving a read.
 */
export async function getDay(db: Db, practiceId: string, patientId: string, day: string, known?: { paidElsewhere: boolean | null }): Promise<DayView> {
  const [rows, paidElsewhere] = await Promise.all([
    dayRowsWithJournal(db, practiceId, patientId, day),
    known
      ? known.paidElsewhere
      : db
          .selectFrom('copay_day')
          .select('paid_elsewhere')
          .where('practice_id', '=', practiceId)
          .where('patient_id', '=', patientId)
          .where('oslo_day', '=', day)
          .executeTakeFirst()
          .then((r) => r?.paid_elsewhere ?? null),
  ]);
  return dayViewOf(rows, patientId, day, paidElsewhere);
}

function dayViewOf(rows: readonly (ChargeRow & { journal_state: JournalState | null })[], patientId: string, day: string, paidElsewhere: boolean | null): DayView {
  const journal: Record<string, JournalState> = {};
  for (const r of rows) if (r.journal_state) journal[r.contact_id] = r.journal_state;
  const views = rows.map(({ journal_state: _, ...row }) => view(row));
  const bearer = views.find((v) => !v.cancelled && v.charged > 0);
  return {
    patientId,
    day,
    rows: views,
    ...(bearer ? { bearerId: bearer.id } : {}),
    ...(paidElsewhere === null ? {} : { paidElsewhere }),
    journal,
  };
}

function priced(input: ContactInput, day: string, catalogues: readonly Catalogue[]): { catalogueId: string; lines: PricedLine[] } | StoreRefusal {
  const catalogue = catalogueInForce(catalogues, day);
  if (!catalogue) return { ok: false, status: 422, field: 'start', message: `Ingen takstkatalog gjelder ${day}.` };
  try {
    return { catalogueId: catalogue.id, lines: priceLines(mergeLines(input.lines), catalogue, day).lines };
  } catch (error) {
    return { ok: false, status: 422, field: 'lines', message: error instanceof Error ? `${error.message}.` : 'Taksten kan ikke prises.' };
  }
}

function noteText(input: ContactInput, lines: readonly PricedLine[], decisions: ReadonlyMap<string, CopayDecision>): string {
  const codes = lines
    .map((l) => {
      const d = decisions.get(chargeIdFor(input.id, l.code));
      const egenandel = d ? ` (egenandel kr ${d.charged})` : '';
      return `${l.quantity === 1 ? l.code : `${l.code} x${l.quantity}`} ${l.text}${egenandel}`;
    })
    .join('; ');
  return [input.note?.trim(), codes ? `Takster: ${codes}.` : undefined].filter(Boolean).join('\n\n');
}

/** A charge with the journal state of its contact's write-backs (the answer's day). */
type JournalRow = ChargeRow & { journal_state: JournalState | null };

/** A charge as json_agg gives it: timestamps as text, numerics as numbers. */
type ChargeJson = Omit<JournalRow, 'at' | 'registered_at' | 'cancelled_at' | 'honorar' | 'tariff_egenandel' | 'egenandel' | 'refusjon' | 'refund_owed'> & {
  at: string;
  registered_at: string;
  cancelled_at: string | null;
  honorar: number;
  tariff_egenandel: number;
  egenandel: number;
  refusjon: number;
  refund_owed: number | null;
};

/** The row as the driver gives it (Date, numeric as text), so one set of functions reads both. */
function chargeFromJson(j: ChargeJson): JournalRow {
  return {
    ...j,
    at: new Date(j.at),
    registered_at: new Date(j.registered_at),
    cancelled_at: j.cancelled_at === null ? null : new Date(j.cancelled_at),
    honorar: String(j.honorar),
    tariff_egenandel: String(j.tariff_egenandel),
    egenandel: String(j.egenandel),
    refusjon: String(j.refusjon),
    refund_owed: j.refund_owed === null ? null : String(j.refund_owed),
  };
}

/** The order a day is decided and shown in: time, then id (ids are <uuid>:<code>, ordered alike in any collation). */
function byTimeThenId(a: ChargeRow, b: ChargeRow): number {
  return new Date(a.at).getTime() - new Date(b.at).getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A registration committed, its answer's day still to be built from the rows it read and wrote. */
type Registered = Omit<Extract<RegisterResult, { ok: true }>, 'day'> & { dayRows: JournalRow[]; paidElsewhere: boolean | null };

/**
 * Registers a contact with its tariff lines; the server decides who bears the day's egenandel. A resend
 * with the same contact id returns the day as it is, never a second contact or charge.
 */
export async function registerContact(db: Db, who: Registrar, input: ContactInput, now: Date, opts: StoreOptions = {}): Promise<RegisterResult> {
  const day = osloDate(input.start);
  const price = priced(input, day, opts.catalogues ?? defaultCatalogues);
  if ('ok' in price) return price;
  if (who.role === 'nurse') {
    const gpLine = price.lines.find((l) => l.profession !== 'nurse');
    if (gpLine) return { ok: false, status: 403, field: 'lines', message: `Sykepleier kan ikke registrere legetaksten ${gpLine.code}.` };
  }
  const overrideReason = overrideReasonFor(input);
  const outcome = await withRetry(opts.attempts ?? 8, () =>
    db.transaction().execute(async (tx): Promise<RegisterResult | Registered> => {
      // Statements per registration (round trips inside BEGIN ... COMMIT), 2 in the usual case:
      // 1. lock the day (storing the patient's facts and the nurse's answer with it) + look the contact id up +
      //    the write-back NOTIFY + the day's charges as the statement's snapshot saw them, with the version of
      //    the day that snapshot saw; [the charges read again under the lock when another transaction locked
      //    the day after that snapshot was taken (0070)]; [an update per existing charge that loses the egenandel];
      // 2. the contact + the new charges + the journal note and ChargeItems (outbox) + the audit row;
      //    [an update per existing charge that gains the egenandel or changes its reason: after the insert].
      // The answer's day is built from what the transaction read and wrote, after COMMIT.
      // A resend that races its first send is not seen by 1 (the statement's snapshot predates the lock
      // wait): its contact insert then collides (unique violation) and the transaction is run again.
      const dayRow = await tx
        .with('d', (qc) =>
          lockDayQuery(qc, who.practiceId, input.patientId, day, {
            facts: JSON.stringify(input.patient),
            ...(input.paidElsewhereToday === undefined ? {} : { paidElsewhere: input.paidElsewhereToday, answeredBy: who.user }),
          }),
        )
        .selectFrom('d')
        .leftJoin('contact', (j) => j.on('contact.practice_id', '=', who.practiceId).on('contact.id', '=', input.id))
        .selectAll('d')
        .select(['contact.patient_id as contact_patient_id', 'contact.oslo_day as contact_oslo_day'])
        // The write-back job's nudge (delivered at commit, so only if the registration commits; a refusal or
        // a resend nudges for nothing, which is harmless), here to spare a statement of its own.
        .select(sql<unknown>`pg_notify(${WRITE_BACK_CHANNEL}, ${who.practiceId})`.as('notified'))
        // The statement's snapshot, taken before the lock was granted: the day's version then, and its charges.
        .select((eb) =>
          eb
            .selectFrom('copay_day as seen')
            .select('seen.version')
            .where('seen.practice_id', '=', who.practiceId)
            .where('seen.patient_id', '=', input.patientId)
            .where('seen.oslo_day', '=', day)
            .as('seen_version'),
        )
        .select(
          sql<ChargeJson[] | null>`(select json_agg(c order by c.at, c.id) from (select charge.*, ${journalStateOfCharge} as journal_state from charge
            where charge.practice_id = ${who.practiceId} and charge.patient_id = ${input.patientId} and charge.oslo_day = ${day}) c)`.as('charges'),
        )
        .executeTakeFirstOrThrow();
      if (dayRow.contact_patient_id !== null) {
        if (dayRow.contact_patient_id !== input.patientId || dayRow.contact_oslo_day !== day) {
          return { ok: false, status: 409, field: 'id', message: 'Kontakten er allerede lagret for en annen pasient eller dag.' };
        }
        return { ok: true, contactId: input.id, created: [], alreadySaved: true, day: await getDay(tx, who.practiceId, input.patientId, day) };
      }
      const paidElsewhere = input.paidElsewhereToday ?? dayRow.paid_elsewhere;
      if (!who.gpChargesVisible && paidElsewhere === null && price.lines.some((l) => l.egenandel > 0)) {
        return { ok: false, status: 422, field: 'paidElsewhereToday', message: PAID_ELSEWHERE_QUESTION, needsAnswer: true };
      }
      // The snapshot's charges are the day as it is unless another transaction locked the day in between.
      const current = Number(dayRow.version) === Number(dayRow.seen_version ?? 0) + 1;
      const rows: JournalRow[] = current ? (dayRow.charges ?? []).map(chargeFromJson) : await dayRowsWithJournal(tx, who.practiceId, input.patientId, day);
      const fresh = price.lines.map((l): DayCharge => ({
        id: chargeIdFor(input.id, l.code),
        at: new Date(input.start).toISOString(),
        egenandel: l.egenandel,
        ...(input.exemptReason ? { exemptReason: input.exemptReason } : {}),
      }));
      const decisions = allocateCopayments(dayCharges(rows, fresh, paidElsewhere, day), input.patient);
      const byId = new Map(decisions.map((d) => [d.id, d]));
      // Existing charges that lose the egenandel first, then the new lines, then any that gain it.
      const stored = rows.filter((r) => r.cancelled_at === null);
      const downs = stored.filter((r) => (byId.get(r.id)?.charged ?? 0) < kr(r.egenandel));
      await applyDecisions(tx, who.practiceId, downs, decisions);
      const newCharges = price.lines.map((l) => {
        const id = chargeIdFor(input.id, l.code);
        const d = byId.get(id) ?? { id, charged: 0, waived: 0 };
        return {
          practice_id: who.practiceId,
          id,
          contact_id: input.id,
          patient_id: input.patientId,
          oslo_day: day,
          at: new Date(input.start),
          code: l.code,
          text: l.text,
          profession: l.profession,
          performer: who.user,
          quantity: l.quantity,
          honorar: l.honorar,
          tariff_egenandel: l.egenandel,
          egenandel: d.charged,
          refusjon: refusjonAfterCopay({ honorar: l.honorar, egenandel: l.egenandel }, d),
          egenandel_is_demo: l.egenandelIsDemo,
          catalogue_id: price.catalogueId,
          exempt_reason: input.exemptReason ?? null,
          waiver_reason: d.reason ?? null,
          registered_at: now,
        };
      });
      // The journal note (and, where the EPJ accepts them, the ChargeItems) in the same transaction (outbox).
      const source = `contact/${input.id}`;
      const writeBacks: WriteBackRequest[] = [
        {
          practiceId: who.practiceId,
          iss: who.iss,
          patientId: input.patientId,
          source,
          at: now,
          resource: journalNote({
            id: `contact-${input.id}`,
            patientId: input.patientId,
            author: who.user,
            date: new Date(input.start).toISOString(),
            title: input.journalTitle ?? (who.role === 'nurse' ? 'Sykepleierkontakt' : 'Konsultasjon'),
            text: noteText(input, price.lines, byId),
          }),
        },
        ...(who.chargeItems
          ? price.lines.map((l): WriteBackRequest => {
              const id = chargeIdFor(input.id, l.code);
              return {
                practiceId: who.practiceId,
                iss: who.iss,
                patientId: input.patientId,
                source,
                at: now,
                resource: buildTeamChargeItem({
                  chargeId: id,
                  patientId: input.patientId,
                  line: l,
                  performer: who.user,
                  occurrence: new Date(input.start).toISOString(),
                  enteredDate: now.toISOString(),
                  decision: byId.get(id) ?? { id, charged: 0, waived: 0 },
                  ...(overrideReason ? { overrideReason } : {}),
                }),
              };
            })
          : []),
      ];
      // One statement: the contact, its charges, the outbox and the audit row. The charges' foreign key to the
      // contact is checked at the end of the statement, when the contact is there.
      await tx
        .with('added_contact', (qc) =>
          qc.insertInto('contact').values({
            practice_id: who.practiceId,
            id: input.id,
            patient_id: input.patientId,
            oslo_day: day,
            started_at: new Date(input.start),
            kind: input.kind,
            channel: input.channel ?? null,
            minutes: input.minutes ?? null,
            travelled: input.travelled ?? false,
            note: input.note ?? null,
            override_reason: overrideReason ?? null,
            exempt_reason: input.exemptReason ?? null,
            registered_by: who.user,
            registered_role: who.role,
            registered_at: now,
            iss: who.iss,
          }),
        )
        .with('queued', (qc) =>
          qc
            .insertInto('write_back')
            .values(writeBacks.map(writeBackRow))
            .onConflict((oc) => oc.columns(['practice_id', 'key']).doNothing()),
        )
        .with('audited', (qc) =>
          qc.insertInto('audit_log').values(
            auditRow({
              practiceId: who.practiceId,
              actor: who.user,
              role: who.role,
              patientId: input.patientId,
              action: 'register-contact',
              what: `kontakt ${input.id}: ${describeLines(input.lines)}`,
              rows: price.lines.length,
              at: now,
            }),
          ),
        )
        .insertInto('charge')
        .values(newCharges)
        .execute();
      // Charges that gain the egenandel (or change their reason) are updated after the insert (nearly never).
      const rest = stored.filter((r) => !downs.includes(r));
      await applyDecisions(tx, who.practiceId, rest, decisions);
      // The day as it is now: the rows read under the lock with the decisions applied, and the new charges.
      const decided = rows.map((r) => {
        const d = r.cancelled_at === null ? byId.get(r.id) : undefined;
        if (!d || (kr(r.egenandel) === d.charged && (r.waiver_reason ?? undefined) === d.reason)) return r;
        return { ...r, egenandel: String(d.charged), waiver_reason: d.reason ?? null, refusjon: String(refusjonAfterCopay({ honorar: kr(r.honorar), egenandel: kr(r.tariff_egenandel) }, d)) };
      });
      const added: JournalRow[] = newCharges.map((c) => ({
        ...c,
        honorar: String(c.honorar),
        tariff_egenandel: String(c.tariff_egenandel),
        egenandel: String(c.egenandel),
        refusjon: String(c.refusjon),
        cancelled_at: null,
        cancelled_by: null,
        cancel_reason: null,
        refund_owed: null,
        claim_batch_id: null,
        journal_state: 'pending',
      }));
      return {
        ok: true,
        contactId: input.id,
        created: price.lines.map((l) => chargeIdFor(input.id, l.code)),
        alreadySaved: false,
        dayRows: [...decided, ...added].sort(byTimeThenId),
        paidElsewhere,
      };
    }),
  );
  if ('dayRows' in outcome) {
    const { dayRows: rows, paidElsewhere, ...rest } = outcome;
    return { ...rest, day: dayViewOf(rows, input.patientId, day, paidElsewhere) };
  }
  return outcome;
}

export interface Canceller {
  practiceId: string;
  user: string;
  role: string;
  practiceManager: boolean;
}

export type CancelResult = ({ ok: true } & CancelAnswer) | StoreRefusal;

/**
 * Cancels a charge (SPEC §6): it counts for nothing, the day is decided again in the same transaction so
 * the next in line becomes the bearer, and a settled bearer cancelled is flagged for refund. Only the one
 * who registered it, or the daglig leder, may cancel it (so a nurse never cancels a GP's charge).
 */
export async function cancelCharge(db: Db, who: Canceller, chargeId: string, reason: string | undefined, now: Date, opts: StoreOptions = {}): Promise<CancelResult> {
  const target = await db.selectFrom('charge').select(['patient_id', 'oslo_day', 'performer', 'profession']).where('practice_id', '=', who.practiceId).where('id', '=', chargeId).executeTakeFirst();
  if (!target) return { ok: false, status: 404, message: 'Fant ikke tjenesten som skal kanselleres.' };
  const practitionerId = who.user.replace(/^Practitioner\//, '');
  const registeredBy = target.performer.replace(/^Practitioner\//, '');
  if (who.role === 'nurse' && target.profession === 'gp' && !who.practiceManager) {
    return { ok: false, status: 403, message: 'Sykepleier kan ikke kansellere legens takst.' };
  }
  if (!mayCancelCharge({ registeredBy }, { practitionerId, practiceManager: who.practiceManager })) {
    return { ok: false, status: 403, message: 'Bare den som registrerte tjenesten, eller daglig leder, kan kansellere den.' };
  }
  return withRetry(opts.attempts ?? 8, () =>
    db.transaction().execute(async (tx): Promise<CancelResult> => {
      const dayRow = await lockDay(tx, who.practiceId, target.patient_id, target.oslo_day);
      const rows = await dayRows(tx, who.practiceId, target.patient_id, target.oslo_day);
      const current = rows.find((r) => r.id === chargeId);
      if (!current) return { ok: false, status: 404, message: 'Fant ikke tjenesten som skal kanselleres.' };
      if (current.cancelled_at) return { ok: true, cancelled: false, day: await getDay(tx, who.practiceId, target.patient_id, target.oslo_day) };
      const before = dayCharges(rows, [], dayRow.paid_elsewhere, target.oslo_day);
      const after = before.map((c) => (c.id === chargeId ? { ...c, cancelled: true } : c));
      const patient = patientFacts(dayRow.patient_facts);
      const decisions = allocateCopayments(after, patient);
      const refund = needsRefund(rows.map(storedDecision), decisions, rows.map(toDayCharge)).find((r) => r.id === chargeId)?.amount;
      await tx
        .updateTable('charge')
        .set({
          cancelled_at: now,
          cancelled_by: who.user,
          cancel_reason: reason ?? null,
          egenandel: 0,
          waiver_reason: REASON_CANCELLED,
          refusjon: 0,
          refund_owed: refund ?? null,
        })
        .where('practice_id', '=', who.practiceId)
        .where('id', '=', chargeId)
        .execute();
      await applyDecisions(tx, who.practiceId, rows.filter((r) => r.id !== chargeId), decisions);
      await appendAudit(tx, {
        practiceId: who.practiceId,
        actor: who.user,
        role: who.role,
        patientId: target.patient_id,
        action: 'cancel-charge',
        what: `takst ${chargeId}${reason ? `: ${reason}` : ''}`,
        rows: 1,
        at: now,
      });
      return { ok: true, cancelled: true, day: await getDay(tx, who.practiceId, target.patient_id, target.oslo_day), ...(refund ? { refundOwed: refund } : {}) };
    }),
  );
}

// ---- The practice manager: code usage, charge table, claims (model A) ----

const PROFESSION_ROLE = { nurse: 'nurse', gp: 'gp' } as const;

/** The practice's charges with service time in [from, to] (Oslo dates, inclusive), as the manager's figures read them. */
export async function chargeRecords(db: Db, practiceId: string, from: string, to: string): Promise<ChargeRecord[]> {
  const rows = await db
    .selectFrom('charge')
    .leftJoin('claim_batch', (j) => j.onRef('claim_batch.practice_id', '=', 'charge.practice_id').onRef('claim_batch.id', '=', 'charge.claim_batch_id'))
    .innerJoin('contact', (j) => j.onRef('contact.practice_id', '=', 'charge.practice_id').onRef('contact.id', '=', 'charge.contact_id'))
    .selectAll('charge')
    .select(['claim_batch.marked_at', 'contact.registered_role'])
    .where('charge.practice_id', '=', practiceId)
    .where('charge.oslo_day', '>=', from)
    .where('charge.oslo_day', '<=', to)
    .orderBy('charge.at')
    .orderBy('charge.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    at: new Date(r.at).toISOString(),
    patientId: r.patient_id,
    performerId: r.performer.replace(/^Practitioner\//, ''),
    // The role of the one who registered it (a GP billing S2a in a team consultation is not a nurse).
    performerRole: r.registered_role === 'nurse' || r.registered_role === 'gp' ? r.registered_role : PROFESSION_ROLE[r.profession],
    quantity: r.quantity,
    honorar: kr(r.honorar),
    egenandelCharged: kr(r.egenandel),
    refusjon: kr(r.refusjon),
    ...(r.waiver_reason ? { waiverReason: r.waiver_reason } : {}),
    cancelled: r.cancelled_at !== null,
    ...(r.marked_at ? { claimedAt: new Date(r.marked_at).toISOString() } : {}),
    contactId: r.contact_id,
  }));
}

export async function claimBatches(db: Db, practiceId: string): Promise<ClaimBatchView[]> {
  const rows = await db.selectFrom('claim_batch').selectAll().where('practice_id', '=', practiceId).orderBy('seq', 'desc').execute();
  const last = rows.find((r) => r.undone_at === null)?.id;
  return rows.map((r) => ({
    id: r.id,
    markedAt: new Date(r.marked_at).toISOString(),
    markedBy: r.marked_by,
    ...(r.period_from ? { periodFrom: r.period_from } : {}),
    ...(r.period_to ? { periodTo: r.period_to } : {}),
    charges: r.charges,
    honorar: kr(r.honorar),
    egenandel: kr(r.egenandel),
    refusjon: kr(r.refusjon),
    ...(r.undone_at ? { undoneAt: new Date(r.undone_at).toISOString() } : {}),
    ...(r.undone_by ? { undoneBy: r.undone_by } : {}),
    undoable: r.id === last,
  }));
}

export interface MarkClaimedInput {
  /** The browser's uuid for the batch: marking again with it is the same batch. */
  batchId: string;
  chargeIds: string[];
  period?: { from: string; to: string };
}

export type MarkClaimedResult = ({ ok: true } & MarkClaimedAnswer) | StoreRefusal;

/** Marks charges as claimed in one batch (never twice: a charge already in a batch is left out). */
export async function markClaimed(db: Db, who: { practiceId: string; user: string }, input: MarkClaimedInput, now: Date, opts: StoreOptions = {}): Promise<MarkClaimedResult> {
  return withRetry(opts.attempts ?? 8, () =>
    db.transaction().execute(async (tx): Promise<MarkClaimedResult> => {
      // One batch at a time per practice: marks and undos queue behind this advisory lock.
      await sql`select pg_advisory_xact_lock(hashtext(${`claims:${who.practiceId}`}))`.execute(tx);
      const found = await tx.selectFrom('claim_batch').select('id').where('practice_id', '=', who.practiceId).where('id', '=', input.batchId).executeTakeFirst();
      if (found) {
        const batch = (await claimBatches(tx, who.practiceId)).find((b) => b.id === input.batchId);
        if (!batch) throw new Error('claim batch vanished');
        return { ok: true, batch, marked: batch.charges, alreadyClaimed: [], alreadySaved: true };
      }
      const ids = [...new Set(input.chargeIds)];
      const candidates = ids.length
        ? await tx.selectFrom('charge').select(['id', 'claim_batch_id', 'cancelled_at', 'honorar', 'egenandel', 'refusjon']).where('practice_id', '=', who.practiceId).where('id', 'in', ids).execute()
        : [];
      const missing = ids.filter((id) => !candidates.some((c) => c.id === id));
      if (missing.length) return { ok: false, status: 404, field: 'chargeIds', message: `Fant ikke tjenesten ${missing[0]}.` };
      const alreadyClaimed = candidates.filter((c) => c.claim_batch_id !== null).map((c) => c.id);
      const toMark = candidates.filter((c) => c.claim_batch_id === null && c.cancelled_at === null);
      if (toMark.length === 0) return { ok: false, status: 409, field: 'chargeIds', message: 'Ingen av takstene kan merkes som krevd: de er allerede krevd eller kansellert.' };
      const sum = (pick: (c: (typeof toMark)[number]) => string) => kr(toMark.reduce((s, c) => s + Math.round(Number(pick(c)) * 100), 0) / 100);
      await tx
        .insertInto('claim_batch')
        .values({
          practice_id: who.practiceId,
          id: input.batchId,
          marked_at: now,
          marked_by: who.user,
          period_from: input.period?.from ?? null,
          period_to: input.period?.to ?? null,
          charges: toMark.length,
          honorar: sum((c) => c.honorar),
          egenandel: sum((c) => c.egenandel),
          refusjon: sum((c) => c.refusjon),
        })
        .execute();
      await tx
        .updateTable('charge')
        .set({ claim_batch_id: input.batchId })
        .where('practice_id', '=', who.practiceId)
        .where('id', 'in', toMark.map((c) => c.id))
        .where('claim_batch_id', 'is', null)
        .execute();
      await appendAudit(tx, { practiceId: who.practiceId, actor: who.user, role: 'daglig-leder', action: 'mark-claimed', what: `kravbunke ${input.batchId}`, rows: toMark.length, at: now });
      const batch = (await claimBatches(tx, who.practiceId)).find((b) => b.id === input.batchId);
      if (!batch) throw new Error('claim batch vanished');
      return { ok: true, batch, marked: toMark.length, alreadyClaimed, alreadySaved: false };
    }),
  );
}

export type UndoResult = { ok: true; batch: ClaimBatchView; alreadyUndone: boolean } | StoreRefusal;

/** Undoes the LAST batch not undone: its charges are unclaimed again; the batch stays in the history. */
export async function undoLastBatch(db: Db, who: { practiceId: string; user: string }, batchId: string, now: Date, opts: StoreOptions = {}): Promise<UndoResult> {
  return withRetry(opts.attempts ?? 8, () =>
    db.transaction().execute(async (tx): Promise<UndoResult> => {
      await sql`select pg_advisory_xact_lock(hashtext(${`claims:${who.practiceId}`}))`.execute(tx);
      const batches = await claimBatches(tx, who.practiceId);
      const batch = batches.find((b) => b.id === batchId);
      if (!batch) return { ok: false, status: 404, message: 'Fant ikke kravbunken.' };
      if (batch.undoneAt) return { ok: true, batch, alreadyUndone: true };
      if (!batch.undoable) return { ok: false, status: 409, message: 'Bare den siste kravbunken kan angres.' };
      await tx.updateTable('charge').set({ claim_batch_id: null }).where('practice_id', '=', who.practiceId).where('claim_batch_id', '=', batchId).execute();
      await tx.updateTable('claim_batch').set({ undone_at: now, undone_by: who.user }).where('practice_id', '=', who.practiceId).where('id', '=', batchId).execute();
      await appendAudit(tx, { practiceId: who.practiceId, actor: who.user, role: 'daglig-leder', action: 'undo-claims', what: `kravbunke ${batchId}`, rows: batch.charges, at: now });
      const after = (await claimBatches(tx, who.practiceId)).find((b) => b.id === batchId);
      if (!after) throw new Error('claim batch vanished');
      return { ok: true, batch: after, alreadyUndone: false };
    }),
  );
}

/** Contacts with Oslo day in [from, to], as counts per profession and channel (the evaluation export; no ids). */
export async function contactCounts(db: Db, practiceId: string, from: string, to: string): Promise<ContactCount[]> {
  const rows = await db
    .selectFrom('contact')
    .select(['registered_role', 'kind', 'channel', sql<number>`count(*)::int`.as('n')])
    .where('practice_id', '=', practiceId)
    .where('oslo_day', '>=', from)
    .where('oslo_day', '<=', to)
    .groupBy(['registered_role', 'kind', 'channel'])
    .execute();
  return countContacts(rows.map((r) => ({ role: r.registered_role, kind: r.kind, channel: r.channel, n: Number(r.n) })));
}

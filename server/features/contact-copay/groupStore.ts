// Group sessions in the app's database (issue 17 item 20; seed ch. 4.3 «gruppetilbud»; SPEC §5-§6).
//
// Registering a session gives every participant an ordinary contact (kind 'group') with one S4 and the
// same egenandel decision as a single contact: each participant is registered by registerContact, in ITS
// OWN transaction under that patient-day's lock, so the one-egenandel-a-day rule and the partial unique
// index charge_one_egenandel_a_day hold exactly as for a single contact, and the journal note is queued in
// the outbox in that same transaction.
//
// [decision] One transaction per participant, not all-or-nothing: a participant's charge depends only on
// that patient's day, and one patient's problem (the paid-elsewhere question unanswered, a dropped
// connection) must not keep the rest of the group from being registered. The session and its roster are
// stored first, keyed by the browser's id; each participant's contact id is derived from the session id
// and the patient id, so sending the same session again registers only those not yet registered and
// never charges anyone twice. The response tells each participant's outcome.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { osloDate } from '../../../src/domain/calendar';
import type { CopayPatient } from '../../../src/domain/copay';
import { GROUP_SESSION_LINES } from '../../../src/domain/groupSession';
import { catalogueInForce, defaultCatalogues, priceLines } from '../../../src/domain/tariffs';
import type { Database } from '../../db/schema';
import { appendAudit } from '../audit/store';
import { PAID_ELSEWHERE_QUESTION, registerContact, type ChargeView, type Registrar, type StoreOptions, type StoreRefusal } from './store';

type Db = Kysely<Database>;

export interface GroupParticipantInput {
  patientId: string;
  /** Birth date and day exemptions (frikort) of the patient. */
  patient: CopayPatient;
  /** The answer to «Er pasienten allerede belastet egenandel i dag?» when the EPJ does not show GP charges. */
  paidElsewhereToday?: boolean;
}

export interface GroupSessionInput {
  /** The browser's uuid: sending the same session again is the same session. */
  id: string;
  /** When the session started (ISO date-time with offset). */
  start: string;
  minutes?: number;
  /** What the group is, e.g. «Diabetesgruppe». */
  topic: string;
  /** Written in every participant's journal: nothing about one participant. */
  note?: string;
  participants: GroupParticipantInput[];
}

export type ParticipantResult =
  | {
      patientId: string;
      contactId: string;
      status: 'registered' | 'already-registered';
      /** The participant's S4 as the server decided it. */
      charge: ChargeView;
    }
  | { patientId: string; contactId: string; status: 'needs-answer'; message: string }
  | { patientId: string; contactId: string; status: 'refused'; message: string };

export type GroupRegisterResult =
  | {
      ok: true;
      sessionId: string;
      day: string;
      /** The session was stored before (a resend). */
      alreadySaved: boolean;
      /** Every participant has a contact with its S4. */
      complete: boolean;
      participants: ParticipantResult[];
    }
  | StoreRefusal;

/** A participant's contact id: a name-based uuid (version 5 form) of the session id and the patient id. */
export function participantContactId(sessionId: string, patientId: string): string {
  const h = createHash('sha1').update(`group-session:${sessionId}:${patientId}`).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function journalText(input: GroupSessionInput): string {
  const minutes = input.minutes ? `, ${input.minutes} minutter` : '';
  return [`Deltok i gruppetime: ${input.topic}${minutes}.`, input.note?.trim()].filter(Boolean).join('\n\n');
}

/** Stores the session and its roster (once); a resend with another time, topic or roster is refused. */
async function storeSession(db: Db, who: Registrar, input: GroupSessionInput, day: string, now: Date): Promise<{ ok: true; alreadySaved: boolean } | StoreRefusal> {
  return db.transaction().execute(async (tx) => {
    const inserted = await tx
      .insertInto('group_session')
      .values({
        practice_id: who.practiceId,
        id: input.id,
        oslo_day: day,
        started_at: new Date(input.start),
        minutes: input.minutes ?? null,
        topic: input.topic,
        note: input.note ?? null,
        leader: who.user,
        leader_role: who.role,
        registered_at: now,
        iss: who.iss,
      })
      .onConflict((oc) => oc.columns(['practice_id', 'id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      const stored = await tx.selectFrom('group_session').selectAll().where('practice_id', '=', who.practiceId).where('id', '=', input.id).forUpdate().executeTakeFirstOrThrow();
      const roster = await tx.selectFrom('group_session_participant').select('patient_id').where('practice_id', '=', who.practiceId).where('session_id', '=', input.id).execute();
      const same =
        new Date(stored.started_at).getTime() === new Date(input.start).getTime() &&
        stored.topic === input.topic &&
        roster.length === input.participants.length &&
        input.participants.every((p) => roster.some((r) => r.patient_id === p.patientId));
      if (!same) return { ok: false, status: 409, field: 'id', message: 'Gruppetimen er allerede lagret med et annet tidspunkt, tema eller andre deltakere.' };
      return { ok: true, alreadySaved: true };
    }
    await tx
      .insertInto('group_session_participant')
      .values(
        input.participants.map((p, position) => ({
          practice_id: who.practiceId,
          session_id: input.id,
          patient_id: p.patientId,
          position,
          contact_id: participantContactId(input.id, p.patientId),
        })),
      )
      .execute();
    await appendAudit(tx, {
      practiceId: who.practiceId,
      actor: who.user,
      role: who.role,
      action: 'register-contact',
      what: `gruppetime ${input.id}: ${input.topic}`,
      rows: input.participants.length,
      at: now,
    });
    return { ok: true, alreadySaved: false };
  });
}

/**
 * Registers a group session: the session and roster, then each participant's contact with one S4 and its
 * egenandel decision (see the top of this file). Sending it again finishes what is left.
 */
export async function registerGroupSession(db: Db, who: Registrar, input: GroupSessionInput, now: Date, opts: StoreOptions = {}): Promise<GroupRegisterResult> {
  const day = osloDate(input.start);
  const catalogue = catalogueInForce(opts.catalogues ?? defaultCatalogues, day);
  if (!catalogue) return { ok: false, status: 422, field: 'start', message: `Ingen takstkatalog gjelder ${day}.` };
  try {
    priceLines(GROUP_SESSION_LINES, catalogue, day);
  } catch (error) {
    return { ok: false, status: 422, field: 'start', message: error instanceof Error ? `${error.message}.` : 'Taksten kan ikke prises.' };
  }
  const session = await storeSession(db, who, input, day, now);
  if (!session.ok) return session;
  const participants: ParticipantResult[] = [];
  for (const p of input.participants) {
    const contactId = participantContactId(input.id, p.patientId);
    const result = await registerContact(
      db,
      who,
      {
        id: contactId,
        patientId: p.patientId,
        start: input.start,
        kind: 'group',
        channel: 'in-person',
        ...(input.minutes === undefined ? {} : { minutes: input.minutes }),
        lines: [...GROUP_SESSION_LINES],
        suggested: [...GROUP_SESSION_LINES],
        note: journalText(input),
        patient: p.patient,
        ...(p.paidElsewhereToday === undefined ? {} : { paidElsewhereToday: p.paidElsewhereToday }),
        journalTitle: `Gruppetime: ${input.topic}`,
      },
      now,
      opts,
    );
    if (!result.ok) {
      participants.push(
        result.needsAnswer
          ? { patientId: p.patientId, contactId, status: 'needs-answer', message: PAID_ELSEWHERE_QUESTION }
          : { patientId: p.patientId, contactId, status: 'refused', message: result.message },
      );
      continue;
    }
    const charge = result.day.rows.find((r) => r.contactId === contactId);
    if (!charge) throw new Error(`the S4 of contact ${contactId} vanished`);
    participants.push({ patientId: p.patientId, contactId, status: result.alreadySaved ? 'already-registered' : 'registered', charge });
  }
  return {
    ok: true,
    sessionId: input.id,
    day,
    alreadySaved: session.alreadySaved,
    complete: participants.every((p) => p.status === 'registered' || p.status === 'already-registered'),
    participants,
  };
}

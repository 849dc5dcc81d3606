// Group sessions («gruppetime», seed ch. 4.3 «gruppetilbud»; SPEC §5: "group session -> S4 for each
// participant (each participant's own charge)"; issue 17 item 20). Pure: the roster's checks and the
// egenandel decision of each participant, with the same rule the server decides a single contact with
// (allocateCopayments, SPEC §6: one egenandel a patient-day, exemptions first). The server makes the
// binding decision under the patient-day lock; the browser previews it with this module.
import { osloDate } from './calendar';
import { allocateCopayments, copayReasonLabel, type CopayPatient, type DayCharge } from './copay';
import type { TariffLine } from './tariffs';

/** The tariff line every participant gets (SPEC §5 suggestion table). */
export const GROUP_SESSION_LINES: readonly TariffLine[] = [{ code: 'S4', quantity: 1 }];

/** At most this many participants in one session (seed: groups of about 5; a room seldom holds more than 20). */
export const MAX_GROUP_PARTICIPANTS = 20;

export interface GroupParticipantDay {
  patientId: string;
  /** Birth date and day exemptions (frikort) of the patient. */
  patient: CopayPatient;
  /** The patient's charges that day as the co-payment rule sees them (the team's, as far as the app sees them). */
  dayCharges: readonly DayCharge[];
  /** The recorded or given answer to «Er pasienten allerede belastet egenandel i dag?». */
  paidElsewhere?: boolean;
  /** The app cannot see the GP's charges and nobody has answered the question yet. */
  needsAnswer?: boolean;
}

export type GroupCopayDecision =
  | { patientId: string; kind: 'charged'; amount: number }
  | { patientId: string; kind: 'waived'; amount: number; reason: string; reasonLabel: string }
  | { patientId: string; kind: 'none' }
  | { patientId: string; kind: 'unknown' };

const NEW_ID = '~group-session';

/**
 * The egenandel decision of each participant for one S4 at `at` (SPEC §6), in roster order: charged in full
 * when the participant bears the day; waived with the reason (B under 16, F frikort, SAME_DAY already borne
 * that day by the team) otherwise; unknown while the paid-elsewhere question is unanswered.
 */
export function decideGroupCopay(participants: readonly GroupParticipantDay[], egenandel: number, at: string): GroupCopayDecision[] {
  return participants.map((p): GroupCopayDecision => {
    if (egenandel === 0) return { patientId: p.patientId, kind: 'none' };
    if (p.needsAnswer && p.paidElsewhere === undefined) return { patientId: p.patientId, kind: 'unknown' };
    const extra: DayCharge[] = p.paidElsewhere ? [{ id: '~paid-elsewhere', at: `${osloDate(at)}T00:00:00`, egenandel: 1, settled: true }] : [];
    const decision = allocateCopayments([...p.dayCharges, ...extra, { id: NEW_ID, at, egenandel }], p.patient).find((d) => d.id === NEW_ID);
    if (!decision || decision.charged > 0) return { patientId: p.patientId, kind: 'charged', amount: decision?.charged ?? egenandel };
    const reason = decision.reason ?? '';
    return { patientId: p.patientId, kind: 'waived', amount: decision.waived, reason, reasonLabel: copayReasonLabel(reason) };
  });
}

export interface RosterProblem {
  patientId?: string;
  message: string;
}

/** What keeps a roster from being registered: none, a patient twice, too many. Norwegian messages. */
export function rosterProblems(patientIds: readonly string[]): RosterProblem[] {
  const problems: RosterProblem[] = [];
  if (patientIds.length === 0) problems.push({ message: 'Legg til minst én deltaker.' });
  if (patientIds.length > MAX_GROUP_PARTICIPANTS) problems.push({ message: `En gruppetime kan ha høyst ${MAX_GROUP_PARTICIPANTS} deltakere.` });
  const seen = new Set<string>();
  for (const id of patientIds) {
    if (seen.has(id)) problems.push({ patientId: id, message: 'Samme pasient står to ganger på deltakerlisten.' });
    seen.add(id);
  }
  return problems;
}

// Bokmål texts for the discharge follow-up views (GLOSSARY: frist, forfalt, i dag, arbeidsdager; dates
// dd.mm.åååå, times HH:mm Oslo). Shared by the inbox, the worklist and the patient panel's follow-up
// section, which may not import each other (STYLE: features do not import each other).
import type { ContactChannel, FollowUpOutcome, TargetStatus } from '../domain/followUp';

/** SPEC §2 countdown: 0 = «frist i dag», > 0 working days left, < 0 overdue by that many. */
export function countdownText(workingDaysLeft: number): string {
  if (workingDaysLeft === 0) return 'frist i dag';
  const n = Math.abs(workingDaysLeft);
  const days = n === 1 ? '1 arbeidsdag' : `${n} arbeidsdager`;
  return workingDaysLeft > 0 ? `${days} igjen` : `forfalt med ${days}`;
}

export type CountdownTone = 'overdue' | 'due-today' | 'upcoming';

export function countdownTone(workingDaysLeft: number): CountdownTone {
  return workingDaysLeft < 0 ? 'overdue' : workingDaysLeft === 0 ? 'due-today' : 'upcoming';
}

export const TARGET_STATUS_TEXT: Record<TargetStatus, string> = {
  candidate: 'kandidat',
  confirmed: 'bekreftet',
  none: 'ikke i målgruppe',
};

export const CHANNEL_TEXT: Record<ContactChannel, string> = {
  phone: 'Telefon',
  video: 'Video',
  'in-person': 'Oppmøte',
  'home-visit': 'Hjemmebesøk',
  written: 'Skriftlig',
};

/** The channels an attempt can be logged with (a home visit is registered as a contact, not an attempt). */
export const ATTEMPT_CHANNELS: readonly ContactChannel[] = ['phone', 'video', 'written'];

export const OUTCOME_TEXT: Record<FollowUpOutcome, string> = {
  met: 'innen fristen',
  late: 'etter fristen',
  pending: 'frist ikke passert',
  missed: 'ikke kontaktet innen fristen',
};

export const FOLLOW_UP_STATUS_TEXT = {
  new: 'Ny',
  attempted: 'Forsøkt',
  contacted: 'Kontaktet',
  closed: 'Lukket',
} as const;

const osloTime = new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const osloDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * An ISO date-time as «dd.mm.åååå HH:mm» in Oslo time. A value without an offset already is Oslo wall
 * time (SPEC §2) and is shown as written.
 */
export function formatOsloDateTime(at: string): string {
  const local = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(at);
  if (local) return `${local[3]}.${local[2]}.${local[1]} ${local[4]}:${local[5]}`;
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) return at;
  const day = osloDay.format(new Date(ms));
  return `${day.slice(8, 10)}.${day.slice(5, 7)}.${day.slice(0, 4)} ${osloTime.format(new Date(ms))}`;
}

/** Designsystemet colour of the countdown tag. */
export function countdownColor(workingDaysLeft: number): 'danger' | 'warning' | 'info' {
  const tone = countdownTone(workingDaysLeft);
  return tone === 'overdue' ? 'danger' : tone === 'due-today' ? 'warning' : 'info';
}

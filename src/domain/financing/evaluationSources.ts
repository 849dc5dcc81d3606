// The two parts of the evaluation export whose records live in other slices' tables (issue 18 item 4):
// outreach to weak demanders (target-groups: tg_outreach) and documented contacts (contact-copay: contact).
// The server slices count them with these rules and send the browser aggregate counts only, no identifiers.
// Pure: the caller passes the rows and the period.

/** Outreach to weak demanders in the period: one count per outcome (the latest assessment per patient). */
export interface OutreachCounts {
  /** Assessed (need for follow-up or not), no offer recorded. */
  notOffered: number;
  /** Offered a consultation or home visit, and accepted. */
  accepted: number;
  declined: number;
  /** Assessed as "not reached": the team could not get hold of the patient to offer. */
  noAnswer: number;
}

export interface OutreachRow {
  patientId: string;
  /** Oslo date of the assessment. */
  date: string;
  /** Tie-break on the same date: the later entry wins (ISO instant, then id). */
  at: string;
  id: string;
  need: 'follow-up-needed' | 'no-follow-up-needed' | 'not-reached';
  /** undefined: no offer recorded. */
  offerAccepted?: boolean;
}

export function outreachOutcome(row: Pick<OutreachRow, 'need' | 'offerAccepted'>): keyof OutreachCounts {
  if (row.offerAccepted === true) return 'accepted';
  if (row.offerAccepted === false) return 'declined';
  return row.need === 'not-reached' ? 'noAnswer' : 'notOffered';
}

/** Each patient assessed in [from, to] once, by the latest assessment in the period. */
export function countOutreach(rows: readonly OutreachRow[], period: { from: string; to: string }): OutreachCounts {
  const latest = new Map<string, OutreachRow>();
  for (const r of rows) {
    if (r.date < period.from || r.date > period.to) continue;
    const seen = latest.get(r.patientId);
    if (!seen || r.at > seen.at || (r.at === seen.at && r.id > seen.id)) latest.set(r.patientId, r);
  }
  const counts: OutreachCounts = { notOffered: 0, accepted: 0, declined: 0, noAnswer: 0 };
  for (const r of latest.values()) counts[outreachOutcome(r)] += 1;
  return counts;
}

export type Profession = 'gp' | 'nurse' | 'secretary';
export type Channel = 'in-person' | 'video' | 'phone' | 'written' | 'home-visit' | 'group';
export const PROFESSION_IDS: readonly Profession[] = ['gp', 'nurse', 'secretary'];
export const CHANNEL_IDS: readonly Channel[] = ['in-person', 'video', 'phone', 'written', 'home-visit', 'group'];

/** Contacts in the period with one profession and channel. */
export interface ContactCount {
  profession: Profession;
  channel: Channel;
  count: number;
}

/**
 * The export's channel of a registered contact: a home visit and a group are channels of their own; any
 * other kind by its channel, and a missing channel means in person (the contact form's default).
 */
export function contactChannel(kind: string, channel: string | null | undefined): Channel {
  if (kind === 'home-visit') return 'home-visit';
  if (kind === 'group') return 'group';
  return channel === 'video' || channel === 'phone' || channel === 'written' ? channel : 'in-person';
}

/** Grouped rows (role, kind, channel, n) from the contact table as counts per profession and channel. */
export function countContacts(rows: readonly { role: string; kind: string; channel: string | null; n: number }[]): ContactCount[] {
  const counts = new Map<string, ContactCount>();
  for (const r of rows) {
    const profession: Profession = r.role === 'nurse' ? 'nurse' : r.role === 'secretary' ? 'secretary' : 'gp';
    const channel = contactChannel(r.kind, r.channel);
    const key = `${profession}|${channel}`;
    const c = counts.get(key) ?? { profession, channel, count: 0 };
    c.count += r.n;
    counts.set(key, c);
  }
  return [...counts.values()].sort((a, b) => PROFESSION_IDS.indexOf(a.profession) - PROFESSION_IDS.indexOf(b.profession) || CHANNEL_IDS.indexOf(a.channel) - CHANNEL_IDS.indexOf(b.channel));
}

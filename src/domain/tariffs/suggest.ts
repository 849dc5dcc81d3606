// Nurse tariff suggestion: SPEC §5's [decision] mapping from a contact to S-codes (our default until
// Helfo's tariff text is loaded). Codes only; amounts come from the catalogue in force (see pricing.ts).

export type ContactKind = 'simple' | 'follow-up' | 'about-patient' | 'home-visit' | 'group' | 'meeting' | 'team-consultation';

export interface ContactFacts {
  kind: ContactKind;
  /** Missing means in person. */
  channel?: 'in-person' | 'phone' | 'video' | 'written';
  minutes?: number;
  travelled?: boolean;
}

export interface TariffLine {
  code: string;
  quantity: number;
}

/** Minutes covered by S2a/S3 before the time tariff starts (SPEC §5: "beyond the first 20"). */
export const TIME_TARIFF_AFTER_MINUTES = 20;
/** Each started period of this length beyond the first 20 minutes gives one S2b. */
export const TIME_TARIFF_PERIOD_MINUTES = 20;

/** Started 20-minute periods beyond the first 20 minutes: 20 -> 0, 21 -> 1, 40 -> 1, 41 -> 2; missing -> 0. */
export function timeTariffCount(minutes: number | undefined): number {
  if (minutes === undefined) return 0;
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`Ugyldig varighet: ${minutes} minutter`);
  const beyond = minutes - TIME_TARIFF_AFTER_MINUTES;
  return beyond > 0 ? Math.ceil(beyond / TIME_TARIFF_PERIOD_MINUTES) : 0;
}

function withTime(base: TariffLine[], minutes: number | undefined): TariffLine[] {
  const s2b = timeTariffCount(minutes);
  return s2b > 0 ? [...base, { code: 'S2b', quantity: s2b }] : base;
}

/** SPEC §5 suggestion table: base code first, then supplements; never a zero quantity. */
export function suggestNurseTariffs(contact: ContactFacts): TariffLine[] {
  const channel = contact.channel ?? 'in-person';
  switch (contact.kind) {
    case 'simple':
      return [{ code: 'S1a', quantity: 1 }];
    case 'follow-up':
      return channel === 'phone' || channel === 'written'
        ? [{ code: 'S1a', quantity: 1 }]
        : withTime([{ code: 'S2a', quantity: 1 }], contact.minutes);
    case 'about-patient':
      return [{ code: 'S1b', quantity: 1 }];
    case 'home-visit':
      return withTime(
        contact.travelled ? [{ code: 'S3', quantity: 1 }, { code: 'S6', quantity: 2 }] : [{ code: 'S3', quantity: 1 }],
        contact.minutes,
      );
    case 'group':
      // Each participant's own charge: this patient's line is one S4.
      return [{ code: 'S4', quantity: 1 }];
    case 'meeting':
      return [{ code: 'S5', quantity: 1 }];
    case 'team-consultation':
      // The nurse takes part in the GP's consultation; the GP bills his own tariff (and time) and the
      // patient pays one egenandel (SPEC §5, §6).
      return [{ code: 'S2a', quantity: 1 }];
  }
}

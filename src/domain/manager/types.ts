// Domain records the practice manager's figures are computed from (SPEC §7). The FHIR layer maps
// ChargeItems, Tasks and practitioners into these; nothing here knows FHIR.

export type StaffRole = 'gp' | 'nurse' | 'secretary' | 'unknown';

/** One registered charge line (one tariff code for one patient at one service time). */
export interface ChargeRecord {
  id: string;
  code: string;
  /** Service time (ISO date-time), SPEC §6: "a charge's time is the time the service was given". */
  at: string;
  patientId: string;
  performerId: string;
  performerRole: StaffRole;
  quantity: number;
  /** Full price of the tariff line (honorar x quantity), kr. */
  honorar: number;
  /** Egenandel actually charged to the patient for this line, kr. */
  egenandelCharged: number;
  /** Refund claimable from Helfo for this line, kr (SPEC §6: honorar minus the tariff egenandel, or honorar when exempt). */
  refusjon: number;
  /** Volven 7461 code, 'SAME_DAY' or 'CANCELLED' when the egenandel was waived. */
  waiverReason?: string;
  cancelled: boolean;
  /** When the leader marked the line as claimed (ISO date-time). */
  claimedAt?: string;
  /** The documented contact (Encounter) behind the charge; absent = no documented contact. */
  contactId?: string;
}

export interface StaffMember {
  id: string;
  name: string;
  role: StaffRole;
  /** Position size in percent of full time (stillingsprosent), e.g. 50 for a half position. */
  positionPercent: number;
  /** Has an approved specialisation (spesialist i allmennmedisin / relevant videreutdanning), SPEC §7. */
  specialised?: boolean;
}

export interface Period {
  /** First day, Oslo date YYYY-MM-DD, inclusive. */
  from: string;
  /** Last day, Oslo date YYYY-MM-DD, inclusive. */
  to: string;
}

/** What the code-usage figures need to know about each tariff code (from the catalogue in force). */
export interface TariffNorm {
  code: string;
  text: string;
  profession: 'nurse' | 'gp';
  /** Expected count per year for one full-time nurse (Table 1), or undefined when there is no norm. */
  expectedPerYear?: number;
  /** Maximum count per patient per calendar year, when the tariff sets one. */
  maxPerYear?: number;
}

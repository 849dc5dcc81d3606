// Who may cancel a team charge (issue 17 item 10; SPEC §6): the one who registered it, or the daglig
// leder. Another nurse or GP may not cancel a colleague's charge.

export interface Canceller {
  practitionerId: string;
  /** Daglig leder (practice manager). */
  practiceManager: boolean;
}

/** `registeredBy`: the Practitioner id that registered the charge (ChargeItem.enterer). */
export function mayCancelCharge(charge: { registeredBy?: string }, user: Canceller): boolean {
  if (user.practiceManager) return true;
  return charge.registeredBy !== undefined && charge.registeredBy === user.practitionerId;
}

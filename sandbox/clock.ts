// The sandbox's only reading of the wall clock: "today" in Oslo, for seeding relative dates.
export function osloToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

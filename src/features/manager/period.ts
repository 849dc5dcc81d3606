// The period picker's arithmetic: a calendar month (default: this month) or a from-to range, as Oslo
// dates YYYY-MM-DD.
import type { Period } from '../../domain/manager';

export function monthPeriod(month: string): Period {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

export function thisMonth(today: string): Period {
  return monthPeriod(today.slice(0, 7));
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): boolean {
  return MONTH.test(value);
}

/** A Norwegian message when the range cannot be used, else undefined. */
export function rangeProblem(from: string, to: string): string | undefined {
  if (!DATE.test(from) || !DATE.test(to)) return 'Velg både fra- og til-dato.';
  if (to < from) return 'Til-datoen er før fra-datoen.';
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  if (days > 366) return 'Perioden kan være høyst ett år.';
  return undefined;
}

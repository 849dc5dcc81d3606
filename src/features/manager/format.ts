// Display formats of the manager view (GLOSSARY: amounts `kr 1 234`, dates dd.mm.åååå).
import { formatDate } from '../../ui/format';
import type { Period } from '../../domain/manager';

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** 1234 -> `kr 1 234`; 1234.5 -> `kr 1 234,50`; negative with a minus sign. */
export function formatKr(amount: number): string {
  const sign = amount < 0 ? '−' : '';
  const abs = Math.abs(Math.round(amount * 100) / 100);
  const whole = Math.trunc(abs);
  const cents = Math.round((abs - whole) * 100);
  return `${sign}kr ${groupThousands(String(whole))}${cents ? `,${String(cents).padStart(2, '0')}` : ''}`;
}

/** A count that may be fractional (expected counts, position-weighted staff): one decimal when needed. */
export function formatNumber(n: number): string {
  const rounded = Math.round(n * 10) / 10;
  const [whole = '0', decimals] = String(Math.abs(rounded)).split('.');
  return `${rounded < 0 ? '−' : ''}${groupThousands(whole)}${decimals ? `,${decimals}` : ''}`;
}

/** 0.456 -> `46 %`; undefined/null -> `–`. */
export function formatShare(share: number | undefined | null): string {
  return share === undefined || share === null ? '–' : `${Math.round(share * 100)}\u00a0%`;
}

export function formatPeriod(period: Period): string {
  return `${formatDate(period.from)}–${formatDate(period.to)}`;
}

const MONTHS = ['januar', 'februar', 'mars', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'desember'];

/** `2026-11-01` -> `nov. 2026` style short label for trend axes: `november 2026`. */
export function formatMonth(date: string): string {
  const month = MONTHS[Number(date.slice(5, 7)) - 1] ?? date.slice(5, 7);
  return `${month} ${date.slice(0, 4)}`;
}

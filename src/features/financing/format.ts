// Display formats of the financing view: kroner as nb-NO "1 470 kr" (issue 18), shares and indices.
import type { Unit } from '../../domain/financing';

const whole = new Intl.NumberFormat('nb-NO', { maximumFractionDigits: 0 });
const decimals = new Intl.NumberFormat('nb-NO', { maximumFractionDigits: 4 });
const percent = new Intl.NumberFormat('nb-NO', { style: 'percent', maximumFractionDigits: 2 });

/** 1469.55 -> "1 470 kr" (whole kroner; nb-NO groups with a no-break space and writes − for minus). */
export function formatKroner(amount: number): string {
  return `${whole.format(Math.round(amount))}\u00a0kr`;
}

export function formatPercent(share: number): string {
  return percent.format(share);
}

export function formatValue(value: number, unit: Unit): string {
  switch (unit) {
    case 'kr':
      return formatKroner(value);
    case 'share':
      return formatPercent(value);
    case 'days':
      return `${whole.format(value)} dager`;
    case 'positions':
      return `${decimals.format(value)} årsverk`;
    case 'count':
    case 'index':
      return decimals.format(value);
  }
}

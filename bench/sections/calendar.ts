// Calendar: follow-up deadlines computed per second (issue "Performance", point 3).
import { followUpDeadline, workingDaysUntil } from '../../src/domain/calendar';
import { fmt, median, type BenchRow } from '../report';

export async function benchCalendar(): Promise<BenchRow[]> {
  // Discharge times spread over six years, including Easter/Christmas and both DST changes.
  const inputs: string[] = [];
  for (let i = 0; i < 200_000; i++) {
    const day = new Date(Date.UTC(2025, 0, 1) + (i % 2190) * 86_400_000).toISOString().slice(0, 10);
    inputs.push(`${day}T${String(i % 24).padStart(2, '0')}:30:00Z`);
  }
  const rates: number[] = [];
  let sink = 0;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    for (const at of inputs) sink += workingDaysUntil(followUpDeadline(at), '2027-06-01');
    rates.push(inputs.length / ((performance.now() - t0) / 1000));
  }
  const rate = median(rates);
  return [
    {
      section: 'Kalender',
      name: 'Frister beregnet per sekund (followUpDeadline + workingDaysUntil, fra dato-tid)',
      figure: `${fmt(rate)} /s`,
      value: rate,
      unit: 'per s',
      target: '≥ 100 000 /s',
      met: rate >= 100_000,
      note: `median of 5 rounds of 200 000 (checksum ${sink % 1000})`,
    },
  ];
}

// Synthetic Norwegian identifiers with valid mod-11 control digits (Skatteetaten's algorithm for
// fødselsnummer/D-nummer; Brønnøysund's for organisasjonsnummer). Synthetic, but shaped like the real ones
// so validators in the app and in EPJ test tools accept them.

import type { Rng } from './prng';

const K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2] as const;
const K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;
const ORGNR_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2] as const;

/** The mod-11 control digit for `digits` with `weights`, or undefined when it would be 10 (not allowed). */
export function mod11Control(digits: readonly number[], weights: readonly number[]): number | undefined {
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w * (digits[i] ?? 0);
  });
  const k = 11 - (sum % 11);
  if (k === 11) return 0;
  if (k === 10) return undefined;
  return k;
}

/** Appends both control digits to 9 digits (DDMMYYIII), or undefined when the individnummer is unusable. */
export function withControlDigits(nine: string): string | undefined {
  const digits = [...nine].map(Number);
  const k1 = mod11Control(digits, K1_WEIGHTS);
  if (k1 === undefined) return undefined;
  const k2 = mod11Control([...digits, k1], K2_WEIGHTS);
  if (k2 === undefined) return undefined;
  return `${nine}${k1}${k2}`;
}

/**
 * Individnummer ranges by birth year (Skatteetaten): 1900-1999 -> 000-499 (and 900-999 for 1940-1999),
 * 2000-2039 -> 500-999. 1854-1899 -> 500-749 is not needed (nobody listed is born before 1900 here).
 */
function individnummerRange(birthYear: number): readonly [number, number] {
  if (birthYear >= 2000 && birthYear <= 2039) return [500, 999];
  if (birthYear >= 1900 && birthYear <= 1999) return [0, 499];
  throw new Error(`No individnummer range for birth year ${birthYear}`);
}

/**
 * A fødselsnummer (or D-nummer: first digit + 4) for a birth date and sex: the 9th digit is odd for men,
 * even for women. Draws individnummer until both control digits exist and the number is not in `taken`.
 */
export function syntheticNationalId(
  rng: Rng,
  birthDate: string,
  sex: 'male' | 'female',
  kind: 'fnr' | 'dnr',
  taken: ReadonlySet<string>,
): string {
  const [yyyy, mm, dd] = birthDate.split('-');
  const year = Number(yyyy);
  const dayDigit = Number(dd) + (kind === 'dnr' ? 40 : 0);
  const datePart = `${String(dayDigit).padStart(2, '0')}${mm}${String(yyyy).slice(2)}`;
  const [lo, hi] = individnummerRange(year);
  for (let attempt = 0; attempt < 2000; attempt++) {
    let ind = rng.int(lo, hi);
    const odd = ind % 2 === 1;
    if (odd !== (sex === 'male')) ind = ind === hi ? ind - 1 : ind + 1;
    const id = withControlDigits(`${datePart}${String(ind).padStart(3, '0')}`);
    if (id && !taken.has(id)) return id;
  }
  throw new Error(`No free national id for ${birthDate}`);
}

/** A valid organisasjonsnummer from an 8-digit base (shifts the base until the control digit exists). */
export function syntheticOrgnr(base: number): string {
  for (let b = base; ; b++) {
    const eight = String(b).padStart(8, '0');
    const k = mod11Control([...eight].map(Number), ORGNR_WEIGHTS);
    if (k !== undefined) return `${eight}${k}`;
  }
}

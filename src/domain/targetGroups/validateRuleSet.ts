// Validation of a practice's rule set loaded from JSON (SPEC §3: the rule set is data, configurable per
// practice). A malformed file is refused with the path and what is wrong, in Norwegian, never guessed.
import type { ChronicDisease, CodeList, RuleSet } from './ruleSet';

export type RuleSetValidation = { ok: true; ruleSet: RuleSet } | { ok: false; errors: string[] };

const CATEGORY = /^[A-Z][0-9]{2}$/;

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(obj: Json, key: string, path: string, errors: string[]): string {
  const value = obj[key];
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  errors.push(`${path === '' ? key : `${path}.${key}`}: må være en tekst som ikke er tom`);
  return '';
}

// Codes are normalised (trimmed, upper case) so that a hand-edited file with 'e11 ' still works.
function codes(obj: Json, key: 'icpc2' | 'icd10', path: string, errors: string[]): string[] {
  const value = obj[key];
  if (!Array.isArray(value)) {
    errors.push(`${path}.${key}: må være en liste med koder`);
    return [];
  }
  const out: string[] = [];
  value.forEach((item, i) => {
    const code = typeof item === 'string' ? item.trim().toUpperCase() : '';
    if (!CATEGORY.test(code)) {
      const what = key === 'icd10' ? 'en ICD-10-kategori' : 'en ICPC-2-kode';
      errors.push(`${path}.${key}[${i}]: ${JSON.stringify(item)} er ikke ${what} (bokstav og to sifre, f.eks. E11)`);
    } else if (out.includes(code)) {
      errors.push(`${path}.${key}[${i}]: ${code} står to ganger`);
    } else {
      out.push(code);
    }
  });
  return out;
}

function codeList(value: unknown, path: string, errors: string[]): CodeList {
  if (!isRecord(value)) {
    errors.push(`${path}: må være et objekt med icpc2 og icd10`);
    return { icpc2: [], icd10: [] };
  }
  return { icpc2: codes(value, 'icpc2', path, errors), icd10: codes(value, 'icd10', path, errors) };
}

function chronicDiseases(value: unknown, errors: string[]): ChronicDisease[] {
  if (!Array.isArray(value) || value.length === 0) {
    errors.push('chronicDiseases: må være en liste med minst én sykdom');
    return [];
  }
  const ids = new Set<string>();
  const out: ChronicDisease[] = [];
  value.forEach((item, i) => {
    const path = `chronicDiseases[${i}]`;
    if (!isRecord(item)) {
      errors.push(`${path}: må være et objekt`);
      return;
    }
    const id = nonEmptyString(item, 'id', path, errors);
    if (id !== '' && ids.has(id)) errors.push(`${path}.id: «${id}» står to ganger`);
    ids.add(id);
    const label = nonEmptyString(item, 'label', path, errors);
    if (typeof item.key !== 'boolean') errors.push(`${path}.key: må være true eller false`);
    const list = codeList(item, path, errors);
    if (list.icpc2.length + list.icd10.length === 0) errors.push(`${path}: sykdommen har ingen koder`);
    out.push({ id, label, key: item.key === true, ...list });
  });
  if (!out.some((d) => d.key)) errors.push('chronicDiseases: minst én sykdom må være nøkkelsykdom (key: true)');
  return out;
}

const THRESHOLDS = [
  'polypharmacyMinAtc',
  'chronicMinDiseases',
  'frailAge',
  'frailAgeWithCriteria',
  'frailtyScoreMin',
  'lookbackDays',
] as const;

function thresholds(value: unknown, errors: string[]): RuleSet['thresholds'] {
  const out = { polypharmacyMinAtc: 0, chronicMinDiseases: 0, frailAge: 0, frailAgeWithCriteria: 0, frailtyScoreMin: 0, lookbackDays: 0 };
  if (!isRecord(value)) {
    errors.push('thresholds: må være et objekt');
    return out;
  }
  for (const key of THRESHOLDS) {
    const n = value[key];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 36500) {
      errors.push(`thresholds.${key}: må være et heltall fra 1, var ${JSON.stringify(n)}`);
    } else {
      out[key] = n;
    }
  }
  if (out.frailtyScoreMin > 9) errors.push('thresholds.frailtyScoreMin: Clinical Frailty Scale går fra 1 til 9');
  if (out.frailAgeWithCriteria > out.frailAge) {
    errors.push('thresholds.frailAgeWithCriteria: kan ikke være høyere enn frailAge');
  }
  return out;
}

/** Checks and normalises a rule set read from JSON; returns every error found, with its path. */
export function validateRuleSet(input: unknown): RuleSetValidation {
  const errors: string[] = [];
  if (!isRecord(input)) return { ok: false, errors: ['Regelsettet må være et JSON-objekt'] };
  const ruleSet: RuleSet = {
    id: nonEmptyString(input, 'id', '', errors),
    version: nonEmptyString(input, 'version', '', errors),
    chronicDiseases: chronicDiseases(input.chronicDiseases, errors),
    mentalSubstance: codeList(input.mentalSubstance, 'mentalSubstance', errors),
    dementia: codeList(input.dementia, 'dementia', errors),
    disability: codeList(input.disability, 'disability', errors),
    thresholds: thresholds(input.thresholds, errors),
  };
  return errors.length === 0 ? { ok: true, ruleSet } : { ok: false, errors };
}

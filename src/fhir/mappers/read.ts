// Defensive readers for FHIR JSON. Resources come from EPJs and servers we do not control, so a field
// typed as a string may hold anything at runtime; these read `unknown` and never throw.
import { osloDate } from '../../domain/calendar';

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function text(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  // Printable ASCII at both ends (no whitespace to trim): the string itself, without trimming.
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  if (first > 32 && first < 127 && last > 32 && last < 127) return value;
  const trimmed = value.trim();
  return trimmed !== '' ? trimmed : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function field(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}

export interface ReadCoding {
  system?: string;
  code?: string;
  display?: string;
}

/** The codings of a Coding, a CodeableConcept, or a list of either (R4 and R5 shapes alike). */
export function codings(value: unknown): ReadCoding[] {
  const out: ReadCoding[] = [];
  collectCodings(value, out);
  return out;
}

// One output array for the whole walk (the mapper reads codings of every resource of a population scan).
function collectCodings(value: unknown, out: ReadCoding[]): void {
  if (Array.isArray(value)) {
    for (const v of value) collectCodings(v, out);
    return;
  }
  if (!isRecord(value)) return;
  if (Array.isArray(value.coding)) {
    for (const v of value.coding) collectCodings(v, out);
    return;
  }
  if ('code' in value || 'system' in value) out.push({ system: text(value.system), code: text(value.code), display: text(value.display) });
}

/** Whether any coding (as `codings` reads them) satisfies `test`; reads in place, allocating nothing. */
export function someCoding(value: unknown, test: (system: string | undefined, code: string | undefined) => boolean): boolean {
  if (Array.isArray(value)) {
    for (const v of value) if (someCoding(v, test)) return true;
    return false;
  }
  if (!isRecord(value)) return false;
  if (Array.isArray(value.coding)) {
    for (const v of value.coding) if (someCoding(v, test)) return true;
    return false;
  }
  return ('code' in value || 'system' in value) && test(text(value.system), text(value.code));
}

export function hasCoding(value: unknown, wanted: readonly { system: string; code: string }[]): boolean {
  return someCoding(value, (system, code) => wanted.some((w) => w.system === system && w.code === code));
}

export type DateRead = { date: string } | { invalid: string } | undefined;

/**
 * The Oslo calendar date of a FHIR date or dateTime (SPEC §2: a date-time without offset is Oslo local
 * time). Undefined when absent; `invalid` for partial dates (YYYY, YYYY-MM) and malformed values.
 */
export function readOsloDate(value: unknown): DateRead {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return { invalid: String(JSON.stringify(value)) };
  try {
    return { date: osloDate(value.trim()) };
  } catch {
    return { invalid: value };
  }
}

/** Splits a literal reference ('Patient/1', 'https://host/fhir/Patient/1/_history/2') into type and id. */
export function parseReference(reference: string): { type: string; id: string } | undefined {
  // The common shape ('Type/id', or a URL ending so) without splitting: no arrays per reference.
  if (reference.indexOf('?') < 0 && reference.indexOf('_history') < 0) {
    const slash = reference.lastIndexOf('/');
    if (slash <= 0) return undefined;
    const type = reference.slice(reference.lastIndexOf('/', slash - 1) + 1, slash);
    const id = reference.slice(slash + 1);
    return type !== '' && id !== '' ? { type, id } : undefined;
  }
  const parts = reference.split('?')[0]?.split('/') ?? [];
  const history = parts.indexOf('_history');
  const end = history > 0 ? history : parts.length;
  const type = parts[end - 2];
  const id = parts[end - 1];
  return type !== undefined && id !== undefined && type !== '' && id !== '' ? { type, id } : undefined;
}

/** The system and code of each coding (as `codings` reads them) that has both, in order, allocating only those. */
export function systemCodePairs(value: unknown): { system: string; code: string }[] {
  // The usual CodeableConcept with one coding: a list of exactly one (a list grown by push holds 17).
  if (isRecord(value) && Array.isArray(value.coding) && value.coding.length === 1) {
    const only: unknown = value.coding[0];
    if (isRecord(only) && !Array.isArray(only.coding)) {
      if (!('code' in only || 'system' in only)) return [];
      const system = text(only.system);
      const code = text(only.code);
      return system !== undefined && code !== undefined ? [{ system, code }] : [];
    }
  }
  const out: { system: string; code: string }[] = [];
  collectPairs(value, out);
  return out;
}

function collectPairs(value: unknown, out: { system: string; code: string }[]): void {
  if (Array.isArray(value)) {
    for (const v of value) collectPairs(v, out);
    return;
  }
  if (!isRecord(value)) return;
  if (Array.isArray(value.coding)) {
    for (const v of value.coding) collectPairs(v, out);
    return;
  }
  if (!('code' in value || 'system' in value)) return;
  const system = text(value.system);
  const code = text(value.code);
  if (system !== undefined && code !== undefined) out.push({ system, code });
}

const NO_CODING = { none: true } as const;

/**
 * `codings(value).find((c) => test(c.system))?.code` without the arrays: the code of the first coding
 * whose system passes (undefined when none does, or when that coding has no code).
 */
export function firstCodeWhere(value: unknown, test: (system: string | undefined) => boolean): string | undefined {
  const found = firstWhere(value, test);
  return typeof found === 'string' ? found : undefined;
}

function firstWhere(value: unknown, test: (system: string | undefined) => boolean): string | undefined | typeof NO_CODING {
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = firstWhere(v, test);
      if (found !== NO_CODING) return found;
    }
    return NO_CODING;
  }
  if (!isRecord(value)) return NO_CODING;
  if (Array.isArray(value.coding)) {
    for (const v of value.coding) {
      const found = firstWhere(v, test);
      if (found !== NO_CODING) return found;
    }
    return NO_CODING;
  }
  if (!('code' in value || 'system' in value)) return NO_CODING;
  return test(text(value.system)) ? text(value.code) : NO_CODING;
}

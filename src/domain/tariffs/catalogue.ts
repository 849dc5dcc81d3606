// Tariff catalogues are data, versioned by validity dates, never constants in code (SPEC §5).
// The JSON format is documented in ./FORMAT.md; parseCatalogue is its single gatekeeper.
import { osloDate } from '../calendar';

export type Profession = 'nurse' | 'gp';

/** The GP's contact types (issue 17 item 4): consultation, phone, video, home visit, e-consultation. */
export const GP_CONTACT_KINDS = ['consultation', 'phone', 'video', 'home-visit', 'e-consultation'] as const;
export type GpContactKind = (typeof GP_CONTACT_KINDS)[number];

export interface Tariff {
  code: string;
  text: string;
  profession: Profession;
  /** Full price in kr (honorar = refusjon + egenandel). */
  honorar: number;
  refusjon: number;
  egenandel: number;
  /** The egenandel is a demo value, not a published one; the UI must say so (SPEC §5). */
  egenandelIsDemo: boolean;
  /** Expected count per year per full-time nurse (Table 1), null when not given. */
  expectedPerYear: number | null;
  /** Codes that may not be billed with this one for the same contact. */
  invalidWith: string[];
  minMinutes: number | null;
  maxPerYear: number | null;
  /** GP rows: the GP contact kinds this tariff fits; the first fitting row is the default (gpSuggest.ts). */
  contactKinds: GpContactKind[];
  validFrom: string;
  validTo: string | null;
  note?: string;
}

export interface Catalogue {
  id: string;
  version: string;
  validFrom: string;
  validTo: string | null;
  /** Where the data comes from and what is demo. */
  source: string;
  tariffs: Tariff[];
}

export interface CatalogueErrorDetail {
  /** 1-based row number in `tariffs`, null for a catalogue-level field. */
  row: number | null;
  /** The row's code when it has a readable one. */
  code: string | null;
  field: string;
}

/** A refused catalogue; the message is Norwegian and names the row (number and code) and the field. */
export class CatalogueError extends Error {
  readonly row: number | null;
  readonly code: string | null;
  readonly field: string;

  constructor(detail: CatalogueErrorDetail, problem: string) {
    const where = detail.row === null ? '' : `rad ${detail.row}${detail.code ? ` (${detail.code})` : ''}, `;
    super(`Ugyldig takstkatalog: ${where}felt «${detail.field}»: ${problem}`);
    this.name = 'CatalogueError';
    this.row = detail.row;
    this.code = detail.code;
    this.field = detail.field;
  }

  get detail(): CatalogueErrorDetail {
    return { row: this.row, code: this.code, field: this.field };
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^[A-Za-z0-9]+$/;
const CATALOGUE_FIELDS = ['id', 'version', 'validFrom', 'validTo', 'source', 'tariffs'];
const TARIFF_FIELDS = [
  'code', 'text', 'profession', 'honorar', 'refusjon', 'egenandel', 'egenandelIsDemo', 'expectedPerYear',
  'invalidWith', 'minMinutes', 'maxPerYear', 'contactKinds', 'validFrom', 'validTo', 'note',
];

type Fail = (field: string, problem: string) => never;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function shown(v: unknown): string {
  return v === undefined ? 'mangler' : `fikk ${JSON.stringify(v)}`;
}

function isRealDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function text(o: Record<string, unknown>, field: string, fail: Fail): string {
  const v = o[field];
  if (typeof v !== 'string' || v.trim() === '') fail(field, `må være en tekst, ${shown(v)}`);
  return v as string;
}

function date(o: Record<string, unknown>, field: string, fail: Fail): string {
  const v = o[field];
  if (typeof v !== 'string' || !isRealDate(v)) fail(field, `må være en dato ÅÅÅÅ-MM-DD, ${shown(v)}`);
  return v as string;
}

function optionalDate(o: Record<string, unknown>, field: string, fail: Fail): string | null {
  return o[field] === undefined || o[field] === null ? null : date(o, field, fail);
}

function amount(o: Record<string, unknown>, field: string, fail: Fail): number {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || Math.abs(Math.round(v * 100) - v * 100) > 1e-6) {
    fail(field, `må være et beløp i kr (tall ≥ 0, høyst to desimaler), ${shown(v)}`);
  }
  return v as number;
}

function optionalCount(o: Record<string, unknown>, field: string, fail: Fail): number | null {
  const v = o[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(field, `må være et heltall ≥ 0 eller null, ${shown(v)}`);
  return v as number;
}

function noUnknownFields(o: Record<string, unknown>, known: string[], fail: Fail): void {
  const unknown = Object.keys(o).find((k) => !known.includes(k));
  if (unknown !== undefined) fail(unknown, 'ukjent felt (skrivefeil?)');
}

function period(o: Record<string, unknown>, fail: Fail): { validFrom: string; validTo: string | null } {
  const validFrom = date(o, 'validFrom', fail);
  const validTo = optionalDate(o, 'validTo', fail);
  if (validTo !== null && validTo < validFrom) fail('validTo', `kan ikke være før validFrom (${validFrom})`);
  return { validFrom, validTo };
}

function parseTariff(raw: unknown, index: number): Tariff {
  const row = index + 1;
  const code = isRecord(raw) && typeof raw.code === 'string' && raw.code !== '' ? raw.code : null;
  const fail: Fail = (field, problem) => {
    throw new CatalogueError({ row, code, field }, problem);
  };
  if (!isRecord(raw)) return fail('tariffs', `raden må være et objekt, ${shown(raw)}`);
  noUnknownFields(raw, TARIFF_FIELDS, fail);
  const parsedCode = text(raw, 'code', fail);
  if (!CODE.test(parsedCode)) fail('code', `kun bokstaver og sifre, ${shown(parsedCode)}`);
  const profession = raw.profession;
  if (profession !== 'nurse' && profession !== 'gp') fail('profession', `må være "nurse" eller "gp", ${shown(profession)}`);
  const honorar = amount(raw, 'honorar', fail);
  const refusjon = amount(raw, 'refusjon', fail);
  const egenandel = amount(raw, 'egenandel', fail);
  if (Math.round(refusjon * 100) + Math.round(egenandel * 100) !== Math.round(honorar * 100)) {
    fail('refusjon', `refusjon + egenandel må være lik honorar (${refusjon} + ${egenandel} ≠ ${honorar})`);
  }
  if (typeof raw.egenandelIsDemo !== 'boolean') fail('egenandelIsDemo', `må være true eller false, ${shown(raw.egenandelIsDemo)}`);
  const expected = raw.expectedPerYear;
  if (expected !== undefined && expected !== null && (typeof expected !== 'number' || !Number.isFinite(expected) || expected < 0)) {
    fail('expectedPerYear', `må være et tall ≥ 0 eller null, ${shown(expected)}`);
  }
  const invalidWith = raw.invalidWith ?? [];
  if (!Array.isArray(invalidWith) || invalidWith.some((c) => typeof c !== 'string' || c === '')) {
    fail('invalidWith', `må være en liste med takstkoder, ${shown(raw.invalidWith)}`);
  }
  const contactKinds = raw.contactKinds ?? [];
  if (
    !Array.isArray(contactKinds) ||
    contactKinds.some((k, i) => typeof k !== 'string' || !(GP_CONTACT_KINDS as readonly string[]).includes(k) || contactKinds.indexOf(k) !== i)
  ) {
    fail('contactKinds', `må være en liste uten gjentakelser av ${GP_CONTACT_KINDS.map((k) => `"${k}"`).join(', ')}, ${shown(raw.contactKinds)}`);
  }
  if (profession === 'nurse' && (contactKinds as unknown[]).length > 0) {
    fail('contactKinds', 'gjelder bare fastlegetakster (sykepleiertakstene foreslås etter SPEC §5)');
  }
  const note = raw.note;
  if (note !== undefined && typeof note !== 'string') fail('note', `må være en tekst, ${shown(note)}`);
  const maxPerYear = optionalCount(raw, 'maxPerYear', fail);
  if (maxPerYear === 0) fail('maxPerYear', 'må være minst 1 eller null');
  return {
    code: parsedCode,
    text: text(raw, 'text', fail),
    profession: profession as Profession,
    honorar,
    refusjon,
    egenandel,
    egenandelIsDemo: raw.egenandelIsDemo as boolean,
    expectedPerYear: (expected as number | null | undefined) ?? null,
    invalidWith: [...(invalidWith as string[])],
    minMinutes: optionalCount(raw, 'minMinutes', fail),
    maxPerYear,
    contactKinds: [...(contactKinds as GpContactKind[])],
    ...period(raw, fail),
    ...(note === undefined ? {} : { note: note as string }),
  };
}

function overlaps(a: Tariff, b: Tariff): boolean {
  return (a.validTo === null || b.validFrom <= a.validTo) && (b.validTo === null || a.validFrom <= b.validTo);
}

/** Validates a catalogue read from JSON; throws CatalogueError naming the first bad row and field. */
export function parseCatalogue(json: unknown): Catalogue {
  const fail: Fail = (field, problem) => {
    throw new CatalogueError({ row: null, code: null, field }, problem);
  };
  if (!isRecord(json)) return fail('(katalog)', `må være et JSON-objekt, ${shown(json)}`);
  noUnknownFields(json, CATALOGUE_FIELDS, fail);
  const id = text(json, 'id', fail);
  const version = text(json, 'version', fail);
  const source = text(json, 'source', fail);
  const validity = period(json, fail);
  if (!Array.isArray(json.tariffs) || json.tariffs.length === 0) fail('tariffs', `må være en ikke-tom liste, ${shown(json.tariffs)}`);
  const tariffs = (json.tariffs as unknown[]).map(parseTariff);

  const codes = new Set(tariffs.map((t) => t.code));
  tariffs.forEach((t, i) => {
    const rowFail = (field: string, problem: string): never => {
      throw new CatalogueError({ row: i + 1, code: t.code, field }, problem);
    };
    const unknown = t.invalidWith.find((c) => !codes.has(c) || c === t.code);
    if (unknown !== undefined) rowFail('invalidWith', `ukjent kode eller koden selv: "${unknown}"`);
    const clash = tariffs.findIndex((o, j) => j < i && o.code === t.code && overlaps(o, t));
    if (clash >= 0) rowFail('validFrom', `overlapper gyldighetsperioden til rad ${clash + 1} med samme kode`);
  });
  return { id, version, source, ...validity, tariffs };
}

/** The Oslo service day of a date (YYYY-MM-DD) or an ISO date-time (its Oslo calendar date). */
function serviceDay(serviceDate: string): string {
  if (DATE.test(serviceDate)) {
    if (!isRealDate(serviceDate)) throw new RangeError(`Ugyldig tjenestedato: "${serviceDate}"`);
    return serviceDate;
  }
  return osloDate(serviceDate);
}

function covers(p: { validFrom: string; validTo: string | null }, day: string): boolean {
  return p.validFrom <= day && (p.validTo === null || day <= p.validTo);
}

const versionOrder = new Intl.Collator('en', { numeric: true });

/**
 * The catalogue in force on an Oslo service date (YYYY-MM-DD): among those whose period covers the day,
 * or an ISO date-time:
 * the one that came into force last (then the highest version). Undefined when none covers it.
 */
export function catalogueInForce(catalogues: readonly Catalogue[], serviceDate: string): Catalogue | undefined {
  const day = serviceDay(serviceDate);
  return catalogues
    .filter((c) => covers(c, day))
    .sort((a, b) => (a.validFrom !== b.validFrom ? (a.validFrom < b.validFrom ? 1 : -1) : versionOrder.compare(b.version, a.version)))[0];
}

/** The tariff with this code valid on the service date in this catalogue (and the catalogue valid too). */
export function tariffInForce(catalogue: Catalogue, code: string, serviceDate: string): Tariff | undefined {
  const day = serviceDay(serviceDate);
  if (!covers(catalogue, day)) return undefined;
  return catalogue.tariffs.find((t) => t.code === code && covers(t, day));
}

/** Pairs of codes in one contact that the catalogue says may not go together (each pair once). */
export function invalidCombinations(codes: readonly string[], catalogue: Catalogue, serviceDate: string): [string, string][] {
  const unique = [...new Set(codes)];
  const pairs: [string, string][] = [];
  unique.forEach((a, i) => {
    for (const b of unique.slice(i + 1)) {
      const ta = tariffInForce(catalogue, a, serviceDate);
      const tb = tariffInForce(catalogue, b, serviceDate);
      if (ta?.invalidWith.includes(b) || tb?.invalidWith.includes(a)) pairs.push([a, b]);
    }
  });
  return pairs;
}
